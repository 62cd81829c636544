#include "cli/commands.hpp"
#include "cli/log.hpp"

#include <iostream>

namespace sanx::cli {

std::shared_ptr<const Ruleset> load_rules(const std::vector<std::string>& paths,
                                          const Context& ctx) {
    std::vector<std::string> rules = paths;
    if (rules.empty()) rules.push_back(default_rules_path(ctx.argv0));
    spdlog::stopwatch watch;
    auto loaded = Ruleset::load(rules);
    std::cerr << render(loaded.diagnostics, ctx.stderr_color);
    if (!loaded.ruleset) {
        std::cerr << "sanx: the rule packs have errors; nothing was evaluated\n";
        return nullptr;
    }
    spdlog::info("load: {} packs, ruleset {}, in {:.1f} ms", loaded.ruleset->packs().size(),
                 loaded.ruleset->hash(), log::ms(watch));
    return loaded.ruleset;
}

CLI::Option* add_paths_option(CLI::App& app, const std::string& name,
                              std::vector<std::string>& into, const std::string& help) {
    // One path per occurrence, never more: `--rules DIR input.yaml --format json` leaves
    // input.yaml to INPUT.
    return app.add_option(name, into, help)
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_input_options(CLI::App& app, InputArgs& into) {
    add_paths_option(app, "--rules", into.rules,
                     "Rule pack file or folder (repeatable; default: the shipped packs)");
    add_paths_option(app, "--lists", into.lists,
                     "Documents of listed entities, used for lookups only (repeatable)");
    app.add_option("--as-of", into.as_of,
                   "Evaluation date YYYY-MM-DD (default: the input's as_of, else today)");
    app.add_option("--encoding", into.encoding,
                   "Character encoding of the inputs (not of --lists), e.g. cp1251 for Windows "
                   "Cyrillic (default: UTF-8)");
    app.add_option("--match-threshold", into.screening.match_threshold,
                   "Name score (0-1) at which a party is the list entry (default 0.88; "
                   "docs/screening.md)");
    app.add_option("--review-threshold", into.screening.review_threshold,
                   "Name score (0-1) from which a party may be the entry: rules that depend on "
                   "it are undecided (default 0.72)");
}

std::optional<LoadedInputs> load_inputs(const InputArgs& args, const Context& ctx) {
    if (!args.as_of.empty() && !valid_date(args.as_of)) {
        std::cerr << "sanx: --as-of must be a date YYYY-MM-DD, not '" << args.as_of << "'\n";
        return std::nullopt;
    }
    const auto& sc = args.screening;
    if (!(sc.review_threshold > 0 && sc.review_threshold <= sc.match_threshold &&
          sc.match_threshold <= 1)) {
        std::cerr << "sanx: the thresholds must hold 0 < --review-threshold <= "
                     "--match-threshold <= 1\n";
        return std::nullopt;
    }
    auto ruleset = load_rules(args.rules, ctx);
    if (!ruleset) return std::nullopt;
    spdlog::stopwatch watch;
    LoadedInputs loaded{
        ruleset,
        ruleset->read(args.inputs, args.lists, args.encoding, sc, &std::cin, args.jobs),
        {}};
    std::cerr << render(loaded.read.diagnostics, ctx.stderr_color);
    spdlog::info("read: {} records from {} inputs and {} lists in {:.1f} ms",
                 loaded.read.input.size(), args.inputs.size(), args.lists.size(), log::ms(watch));
    if (!args.as_of.empty()) loaded.options.as_of = args.as_of;
    return loaded;
}

bool valid_date(const std::string& s) { return sanx::is_date(s); }

}  // namespace sanx::cli
