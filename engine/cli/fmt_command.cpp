// `sanx fmt`: canonical layout of the expressions in rule packs, in place; `--check` only
// names the files that would change (exit 1).

#include <fstream>
#include <iostream>
#include <sstream>

#include <sanx/tools.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct FmtArgs {
    std::vector<std::string> paths;
    bool check = false;
};

int run_fmt(const FmtArgs& a, const Context& ctx) {
    int changed = 0;
    bool failed = false;
    for (const auto& file : tools::pack_files(a.paths)) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cerr << "sanx: cannot read " << file << "\n";
            failed = true;
            continue;
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        auto res = tools::format_pack(file, ss.str());
        std::cerr << render(res.diagnostics, ctx.stderr_color);
        if (has_errors(res.diagnostics)) failed = true;
        if (!res.changed()) continue;
        ++changed;
        if (a.check) {
            std::cout << file << "\n";
            continue;
        }
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << res.formatted;
        if (!out) {
            std::cerr << "sanx: cannot write " << file << "\n";
            failed = true;
            continue;
        }
        std::cerr << "formatted " << file << "\n";
    }
    if (failed) return 2;
    if (a.check && changed) {
        std::cerr << "sanx: " << changed << " file" << (changed == 1 ? "" : "s")
                  << " would be reformatted\n";
        return 1;
    }
    return 0;
}

}  // namespace

Command add_fmt_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<FmtArgs>();
    auto* cmd = app.add_subcommand(
        "fmt", "Format the expressions, templates and relations of rule packs in place");
    cmd->add_flag("--check", args->check,
                  "Change nothing; list the files that would change and exit 1 if any");
    cmd->add_option("PATH", args->paths, "Pack files or folders of *.yaml")->required();
    return {cmd, [args, ctx] { return run_fmt(*args, ctx); }};
}

}  // namespace sanx::cli
