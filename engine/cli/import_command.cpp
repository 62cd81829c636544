// `sanx import`: read a sanctions list in its publisher's format and write sanx entities as
// JSON lines, loadable with `--lists`.

#include <fstream>
#include <iostream>

#include <sanx/import.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct ImportArgs {
    std::string format;
    std::vector<std::string> files;
    std::string output;
    bool quiet = false;
};

int run_import(const ImportArgs& a, const Context& ctx) {
    auto format = sanx::import::parse_format(a.format);
    if (!format) {
        std::cerr << "sanx: unknown import format '" << a.format << "'\n";
        return 2;
    }
    auto result = sanx::import::read(*format, a.files);
    std::cerr << sanx::render(result.diagnostics, ctx.stderr_color);
    std::string text = sanx::import::to_jsonl(result);
    if (!a.output.empty()) {
        std::ofstream out(a.output, std::ios::binary);
        if (!(out << text)) {
            std::cerr << "sanx: cannot write " << a.output << "\n";
            return 2;
        }
    } else {
        std::cout << text << std::flush;
    }
    if (!a.quiet) {
        std::cerr << "sanx import " << a.format << ":";
        for (const auto& [key, n] : result.counts) std::cerr << " " << key << "=" << n;
        std::cerr << "\n";
    }
    // Skipped records are errors: the output is usable, but not everything is in it.
    return sanx::has_errors(result.diagnostics) ? 2 : 0;
}

}  // namespace

Command add_import_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<ImportArgs>();
    auto* cmd = app.add_subcommand(
        "import",
        "Convert a sanctions list (OFAC CSV, OpenSanctions FtM, UN XML) to sanx entities");
    cmd->add_option("FORMAT", args->format, "ofac-sdn, ofac-consolidated, ftm or un-xml")
        ->required()
        ->check(CLI::IsMember(sanx::import::format_names()));
    cmd->add_option("FILE", args->files,
                    "The list's files (ofac-sdn: sdn.csv and optionally add.csv, alt.csv, "
                    "sdn_comments.csv)")
        ->required();
    cmd->add_option("--output,-o", args->output,
                    "Write the JSON lines to this file instead of standard output");
    cmd->add_flag("--quiet,-q", args->quiet, "Do not print the counts to standard error");
    return {cmd, [args, ctx] { return run_import(*args, ctx); }};
}

}  // namespace sanx::cli
