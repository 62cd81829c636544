#pragma once

// What the libFuzzer targets share: the shipped packs (loaded once, from the source tree's
// rules/), scratch folders for the entry points that only read files, the fixed date that
// keeps every run deterministic, and the splitting of one input into several files.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <sanx/engine.hpp>

namespace sanx::fuzz {

/// The date every check, lint and test is measured against (instead of today).
inline constexpr const char* fixed_date = "2025-06-01";

/// Separates the files of one input for the targets that read several (the OFAC tables):
/// the ASCII record separator, which no real list uses.
inline constexpr char file_separator = '\x1e';

/// For LLVMFuzzerInitialize: adds `-max_len=N` to libFuzzer's flags unless the command line
/// sets one, so that every run of the target bounds its inputs.
inline void bound_input(int* argc, char*** argv, std::size_t max_len) {
    for (int i = 1; i < *argc; ++i)
        if (std::string_view((*argv)[i]).starts_with("-max_len=")) return;
    static std::string flag;
    static std::vector<char*> args;
    flag = "-max_len=" + std::to_string(max_len);
    args.assign(*argv, *argv + *argc);
    args.push_back(flag.data());
    args.push_back(nullptr);
    *argv = args.data();
    ++*argc;
}

inline std::string as_text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// The input cut at every file_separator; always at least one (possibly empty) piece.
inline std::vector<std::string> split_files(std::string_view text) {
    std::vector<std::string> out;
    for (;;) {
        auto at = text.find(file_separator);
        out.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text.remove_prefix(at + 1);
    }
}

/// The source tree's rules/ (baked in by tests/fuzz/CMakeLists.txt).
inline std::string rules_dir() { return SANX_FUZZ_RULES_DIR; }

/// The shipped packs, loaded on first use; a fuzz build whose packs do not load is broken,
/// so that traps.
inline const Ruleset& shipped_rules() {
    static const std::shared_ptr<const Ruleset> rules = [] {
        auto loaded = Ruleset::load({rules_dir()});
        if (!loaded.ruleset) __builtin_trap();
        return loaded.ruleset;
    }();
    return *rules;
}

/// The folder $TMPDIR/sanx-fuzz-PID (or under /tmp), made empty, and removed with what it
/// holds when this goes out of scope. The pack loader and the linter read files only, so
/// their targets write each input here; the name stays the same for every input of a run,
/// so that diagnostics do too. (libFuzzer ends with _Exit, so an exit handler would never
/// run; a crashing input's folder stays behind, beside the artifact libFuzzer saves.)
class ScratchDir {
  public:
    ScratchDir() {
        const char* tmp = std::getenv("TMPDIR");
        dir_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/sanx-fuzz-" + std::to_string(getpid());
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
        if (!std::filesystem::create_directory(dir_, ignored)) __builtin_trap();
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    /// Writes `text` to `name` in the folder and returns its path.
    std::string write(const std::string& name, std::string_view text) const {
        std::string path = dir_ + "/" + name;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) __builtin_trap();
        return path;
    }

  private:
    std::string dir_;
};

}  // namespace sanx::fuzz
