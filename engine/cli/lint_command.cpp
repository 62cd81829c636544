// `sanx lint`: every load and check error of the packs, plus warnings about packs that load
// but are probably wrong. Exit 0 clean, 1 warnings with --strict, 2 errors.

#include <iostream>

#include <sanx/tools.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct LintArgs {
    std::vector<std::string> rules;
    std::vector<std::string> paths;
    std::string format = "text";
    std::string today;
    bool strict = false;
};

int run_lint(const LintArgs& a, const Context& ctx) {
    if (!a.today.empty() && !valid_date(a.today)) {
        std::cerr << "sanx: --today must be a date YYYY-MM-DD, not '" << a.today << "'\n";
        return 2;
    }
    tools::LintOptions opts;
    opts.context = a.rules;
    if (!a.today.empty()) opts.today = a.today;
    std::vector<std::string> paths = a.paths;
    if (paths.empty() && a.rules.empty()) paths.push_back(default_rules_path(ctx.argv0));
    if (paths.empty()) {
        paths = a.rules;
        opts.context.clear();
    }
    auto res = tools::lint(paths, opts);
    int errors = 0, warnings = 0, notes = 0;
    for (const auto& d : res.diagnostics)
        (d.severity == Severity::error     ? errors
         : d.severity == Severity::warning ? warnings
                                           : notes)++;
    if (a.format == "json") {
        std::cout << tools::to_json(res.diagnostics);
    } else if (a.format == "sarif") {
        std::cout << tools::to_sarif(res.diagnostics);
    } else {
        std::cout << render(res.diagnostics, ctx.stdout_tty && ctx.stderr_color);
        std::cout << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings
                  << " warning" << (warnings == 1 ? "" : "s") << ", " << notes << " note"
                  << (notes == 1 ? "" : "s") << "\n";
    }
    if (errors) return 2;
    if (warnings && a.strict) return 1;
    return 0;
}

}  // namespace

Command add_lint_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<LintArgs>();
    auto* cmd = app.add_subcommand("lint", "Check rule packs for errors and likely mistakes");
    // One path per --rules: a path after it is a PATH to lint (CLI11 lets vector options
    // take extra arguments otherwise).
    add_paths_option(*cmd, "--rules", args->rules,
                     "Packs loaded for context, not linted themselves (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--format", args->format, "Output: text, json or sarif (default: text)")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
    cmd->add_flag("--strict", args->strict, "Exit 1 when there are warnings");
    cmd->add_option("--today", args->today,
                    "The date expiry is measured against, YYYY-MM-DD (default: today)");
    cmd->add_option("PATH", args->paths,
                    "Pack files or folders to lint (default: the shipped packs)");
    return {cmd, [args, ctx] { return run_lint(*args, ctx); }};
}

}  // namespace sanx::cli
