// `sanx test`: run the `tests:` of the rule packs; the last line is `N passed, N failed`.

#include <cstdio>
#include <iostream>

#include <sanx/tools.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct TestArgs {
    std::vector<std::string> rules;
    std::vector<std::string> paths;
    bool coverage = false;
    double min_coverage = -1;
    bool verbose = false;
};

int run_test(const TestArgs& a, const Context& ctx) {
    // The packs under test are loaded with the --rules ones (which they may require).
    std::vector<std::string> load = a.rules;
    std::vector<std::string> only = tools::pack_files(a.paths);
    for (const auto& f : only) load.push_back(f);
    auto ruleset = load_rules(load, ctx);
    if (!ruleset) return 2;
    tools::TestOptions opts;
    opts.coverage = a.coverage || a.min_coverage >= 0;
    if (!a.rules.empty()) opts.only_files = only;
    auto report = tools::run_tests(*ruleset, opts);
    if (report.coverage && a.coverage) std::cout << tools::to_text(*report.coverage);
    bool below = false;
    if (report.coverage && a.min_coverage >= 0 &&
        report.coverage->branch_percent() + 1e-9 < a.min_coverage) {
        std::fprintf(stderr, "sanx: branch coverage %.1f %% is below --min-coverage %.1f %%\n",
                     report.coverage->branch_percent(), a.min_coverage);
        below = true;
    }
    std::cout << tools::to_text(report, a.verbose);
    // A malformed test tests nothing: that is an error in the packs, not a failed test.
    bool malformed = has_errors(report.diagnostics);
    for (const auto& c : report.cases) malformed = malformed || has_errors(c.diagnostics);
    if (malformed) return 2;
    return report.failed > 0 || below ? 1 : 0;
}

}  // namespace

Command add_test_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<TestArgs>();
    auto* cmd = app.add_subcommand("test", "Run the tests: of the rule packs");
    add_paths_option(*cmd, "--rules", args->rules,
                     "Packs to load beside the tested ones (repeatable); with it, only the "
                     "PATH packs' tests run")
        ->allow_extra_args(false);  // a path after --rules X is a PATH
    cmd->add_flag("--coverage", args->coverage,
                  "Report per rule and licence whether tests made it fire and which condition "
                  "branches they never made true or false");
    cmd->add_option("--min-coverage", args->min_coverage,
                    "Exit 1 when branch coverage (percent) is below this")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_flag("--verbose,-v", args->verbose, "Also list the cases that pass");
    cmd->add_option("PATH", args->paths,
                    "Pack files or folders whose tests run (default: the shipped packs)");
    return {cmd, [args, ctx] { return run_test(*args, ctx); }};
}

}  // namespace sanx::cli
