// The sanx command. It uses only the public API and does all the printing.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include <sanx/engine.hpp>
#include <sanx/version.hpp>

namespace {

struct CheckArgs {
    std::vector<std::string> rules;
    std::vector<std::string> lists;
    std::vector<std::string> inputs;
    std::string as_of;
    std::string format;
    std::string fail_on = "high";
    bool fail_on_indeterminate = false;
    std::string output;
};

bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    int y = 0, m = 0, d = 0;
    return std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
           d <= 31;
}

int run_check(const CheckArgs& a, const std::string& argv0) {
    bool color_err = isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
    std::vector<std::string> rules = a.rules;
    if (rules.empty()) rules.push_back(sanx::default_rules_path(argv0));
    auto loaded = sanx::Ruleset::load(rules);
    std::cerr << sanx::render(loaded.diagnostics, color_err);
    if (!loaded.ruleset) {
        std::cerr << "sanx: the rule packs have errors; nothing was evaluated\n";
        return 2;
    }
    if (!a.as_of.empty() && !valid_date(a.as_of)) {
        std::cerr << "sanx: --as-of must be a date YYYY-MM-DD, not '" << a.as_of << "'\n";
        return 2;
    }
    auto read = loaded.ruleset->read(a.inputs, a.lists);
    std::cerr << sanx::render(read.diagnostics, color_err);
    bool input_errors = sanx::has_errors(read.diagnostics);

    sanx::CheckOptions opts;
    if (!a.as_of.empty()) opts.as_of = a.as_of;
    sanx::Report rep = loaded.ruleset->check(read.input, opts);

    bool to_file = !a.output.empty();
    bool tty = !to_file && isatty(STDOUT_FILENO);
    std::string format = a.format.empty() ? (tty ? "text" : "jsonl") : a.format;
    std::string text;
    if (format == "json")
        text = sanx::to_json(rep);
    else if (format == "jsonl")
        text = sanx::to_jsonl(rep);
    else
        text = sanx::to_text(rep, tty && !std::getenv("NO_COLOR"));
    if (to_file) {
        std::ofstream out(a.output, std::ios::binary);
        if (!(out << text)) {
            std::cerr << "sanx: cannot write " << a.output << "\n";
            return 2;
        }
    } else {
        std::cout << text << std::flush;
    }

    if (input_errors || rep.summary.rejected > 0) return 2;
    static const std::vector<std::string> order{"low", "medium", "high", "blocked"};
    auto threshold = std::find(order.begin(), order.end(), a.fail_on) - order.begin();
    for (const auto& r : rep.results) {
        if (r.rejected) continue;
        auto rank = std::find(order.begin(), order.end(), std::string(sanx::to_string(r.verdict))) -
                    order.begin();
        if (r.verdict != sanx::Verdict::clear && rank >= threshold) return 1;
        if (a.fail_on_indeterminate && !r.indeterminate.empty()) return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "sanx: sanctions-exposure rule engine. Checks declared entities against rule packs\n"
        "and reports exposure with explanations and citations."};
    app.set_version_flag("--version", std::string("sanx ") + sanx::version());
    app.require_subcommand(1);

    CheckArgs ca;
    auto* check = app.add_subcommand(
        "check", "Check entities (YAML or JSON documents) against the rule packs");
    check
        ->add_option("--rules", ca.rules,
                     "Rule pack file or folder (repeatable; default: the shipped packs)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    check
        ->add_option("--lists", ca.lists,
                     "Documents of listed entities, used for lookups only (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    check->add_option("--as-of", ca.as_of,
                      "Evaluation date YYYY-MM-DD (default: the input's as_of, else today)");
    check
        ->add_option("--format", ca.format,
                     "Output: text, json or jsonl (default: text on a terminal, else jsonl)")
        ->check(CLI::IsMember({"text", "json", "jsonl"}));
    check
        ->add_option("--fail-on", ca.fail_on,
                     "Exit 1 when any verdict is at or above this (default: high)")
        ->check(CLI::IsMember({"blocked", "high", "medium", "low"}));
    check->add_flag("--fail-on-indeterminate", ca.fail_on_indeterminate,
                    "Exit 1 when any rule could not be decided");
    check->add_option("--output,-o", ca.output,
                      "Write the report to this file instead of standard output");
    check->add_option("INPUT", ca.inputs, "Input documents")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    if (check->parsed()) return run_check(ca, argv[0]);
    return 2;
}
