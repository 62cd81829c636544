// `sanx graph --entity ID`: the entity's ownership and control neighbourhood, as Graphviz
// dot (from the library) or as SVG laid out by Graphviz's `dot`, which this command runs.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct GraphArgs : InputArgs {
    std::string entity;
    std::string format = "dot";
    std::string output;
    int depth = 4;
};

/// The full path of `name` on $PATH, or empty.
std::string find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty()) continue;
        std::string full = dir + "/" + name;
        if (access(full.c_str(), X_OK) == 0) return full;
    }
    return {};
}

/// Lays out `dot_text` with Graphviz into SVG; an empty result and `error` on failure.
std::string render_svg(const std::string& dot_text, std::string& error) {
    std::string dot = find_program("dot");
    if (dot.empty()) {
        error =
            "--format svg needs Graphviz's 'dot' on PATH (Debian: apt-get install graphviz); "
            "--format dot prints the graph without it";
        return {};
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    fs::path in = dir / ("sanx-graph-" + std::to_string(getpid()) + ".dot");
    std::ofstream(in, std::ios::binary) << dot_text;
    std::string command = "'" + dot + "' -Tsvg '" + in.string() + "' 2>&1";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        fs::remove(in, ec);
        error = "cannot run " + dot;
        return {};
    }
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    int status = pclose(pipe);
    fs::remove(in, ec);
    if (status != 0) {
        error = "dot failed: " + out;
        return {};
    }
    return out;
}

int run_graph(const GraphArgs& a, const Context& ctx) {
    auto loaded = load_inputs(a, ctx);
    if (!loaded) return 2;
    const auto& ruleset = loaded->ruleset;
    const auto& read = loaded->read;
    if (sanx::has_errors(read.diagnostics)) return 2;
    const sanx::CheckOptions& opts = loaded->options;
    sanx::Report report = ruleset->check(read.input, opts);
    std::string text = sanx::ownership_dot(*ruleset, read.input, opts, a.entity, &report, a.depth);
    if (text.empty()) {
        std::cerr << "sanx: no entity '" << a.entity << "' in the input\n";
        return 2;
    }
    if (a.format == "svg") {
        std::string error;
        text = render_svg(text, error);
        if (text.empty()) {
            std::cerr << "sanx: " << error << "\n";
            return 2;
        }
    }
    if (a.output.empty()) {
        std::cout << text;
        return std::cout ? 0 : 2;
    }
    std::ofstream file(a.output, std::ios::binary);
    file << text;
    if (!file) {
        std::cerr << "sanx: cannot write " << a.output << "\n";
        return 2;
    }
    return 0;
}

}  // namespace

Command add_graph_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<GraphArgs>();
    auto* cmd = app.add_subcommand(
        "graph", "Draw an entity's ownership and control neighbourhood (Graphviz dot or SVG)");
    add_input_options(*cmd, *args);
    cmd->add_option("--entity", args->entity, "The entity id to draw")->required();
    cmd->add_option("--format", args->format,
                    "dot (default), or svg laid out by Graphviz's dot, which must be installed")
        ->check(CLI::IsMember({"dot", "svg"}));
    cmd->add_option("--depth", args->depth, "Ownership steps to follow up and down (default 4)")
        ->check(CLI::Range(1, 20));
    cmd->add_option("--output,-o", args->output, "Write to this file instead of standard output");
    cmd->add_option("INPUT", args->inputs, "Inputs, as for sanx check")->required();
    return {cmd, [args, ctx] { return run_graph(*args, ctx); }};
}

}  // namespace sanx::cli
