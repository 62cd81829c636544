// Helpers for golden-file tests: outputs pinned in files under tests/golden, compared byte for
// byte. Run the tests with SANX_UPDATE_GOLDEN=1 to rewrite the expected files, then review the
// diff. SANX_TEST_DIR and SANX_SOURCE_DIR come from tests/CMakeLists.txt.

#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace golden {

/// The tests/ folder of the source tree.
inline const std::string test_dir = SANX_TEST_DIR;
/// The root of the source tree.
inline const std::string source_dir = SANX_SOURCE_DIR;

/// The whole content of a file, byte for byte; empty when it cannot be read.
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Paths relative to the source tree, so the files read the same on every machine.
inline std::string relative(std::string s) {
    for (std::size_t at; (at = s.find(source_dir + "/")) != std::string::npos;)
        s.erase(at, source_dir.size() + 1);
    return s;
}

/// Checks that `actual` equals the content of `expected_file` (doctest prints both when not);
/// with SANX_UPDATE_GOLDEN set, writes `actual` to the file instead.
inline void compare(const std::filesystem::path& expected_file, const std::string& actual) {
    if (std::getenv("SANX_UPDATE_GOLDEN")) {
        std::ofstream(expected_file, std::ios::binary) << actual;
        return;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(expected_file),
                    "missing golden file " << expected_file.string());
    CHECK(slurp(expected_file) == actual);
}

/// A scratch folder for files a test writes, removed at the end of the test.
struct Scratch {
    std::filesystem::path dir;
    explicit Scratch(const std::string& name) {
        dir = std::filesystem::temp_directory_path() /
              ("sanx-" + name + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    }
};

}  // namespace golden
