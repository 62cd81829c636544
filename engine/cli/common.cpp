#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"

namespace sanx::cli {

std::shared_ptr<const Ruleset> load_rules(const std::vector<std::string>& paths,
                                          const Context& ctx) {
    std::vector<std::string> rules = paths;
    if (rules.empty()) rules.push_back(default_rules_path(ctx.argv0));
    auto loaded = Ruleset::load(rules);
    std::cerr << render(loaded.diagnostics, ctx.stderr_color);
    if (!loaded.ruleset) std::cerr << "sanx: the rule packs have errors; nothing was evaluated\n";
    return loaded.ruleset;
}

CLI::Option* add_paths_option(CLI::App& app, const std::string& name,
                              std::vector<std::string>& into, const std::string& help) {
    return app.add_option(name, into, help)
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    int y = 0, m = 0, d = 0;
    return std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
           d <= 31;
}

}  // namespace sanx::cli
