// The sanx command: a thin dispatcher over the subcommands, which use only the public API.
// All printing happens here, in the CLI; the library returns values.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>

#include <sanx/version.hpp>

#include "cli/commands.hpp"
#include "cli/log.hpp"

int main(int argc, char** argv) {
    CLI::App app{
        "sanx: sanctions-exposure rule engine. Checks declared entities against rule packs\n"
        "and reports exposure with explanations and citations."};
    app.set_version_flag("--version", std::string("sanx ") + sanx::version());
    app.require_subcommand(1);
    sanx::cli::log::Options log_options;
    sanx::cli::log::add_options(app, log_options);
    // `sanx check --log-level info ...` as well as `sanx --log-level info check ...`.
    app.fallthrough();

    sanx::cli::Context ctx;
    ctx.argv0 = argv[0];
    ctx.stderr_color = isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
    ctx.stdout_tty = isatty(STDOUT_FILENO);
    ctx.stderr_tty = isatty(STDERR_FILENO);

    std::vector<sanx::cli::Command> commands{
        sanx::cli::add_check_command(app, ctx), sanx::cli::add_import_command(app, ctx),
        sanx::cli::add_eval_command(app, ctx),  sanx::cli::add_explain_command(app, ctx),
        sanx::cli::add_graph_command(app, ctx), sanx::cli::add_lint_command(app, ctx),
        sanx::cli::add_test_command(app, ctx),  sanx::cli::add_fmt_command(app, ctx),
        sanx::cli::add_diff_command(app, ctx),  sanx::cli::add_screen_command(app, ctx),
        sanx::cli::add_serve_command(app, ctx)};

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    // The library returns errors as values; what still escapes (out of memory, a system
    // error) ends the run with a message and exit 2, never std::terminate.
    try {
        for (const auto& c : commands) {
            if (!c.app->parsed()) continue;
            // A server's start, reloads and stop are news; a command's timings are not.
            sanx::cli::log::setup(log_options, c.app->get_name() == "serve" ? "info" : "warn");
            int rc = c.run();
            // A report that could not be written is a failure, whatever it said (a full
            // disk, a closed pipe).
            std::cout.flush();
            if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
                std::fputs("sanx: writing to standard output failed\n", stderr);
                return 2;
            }
            return rc;
        }
    } catch (const std::bad_alloc&) {
        std::fputs("sanx: out of memory; nothing more was written\n", stderr);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sanx: %s\n", e.what());
    }
    return 2;
}
