// `sanx check`: evaluate entities against the rule packs and report.

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"

namespace sanx::cli {

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

int run_check(const CheckArgs& a, const Context& ctx) {
    auto ruleset = load_rules(a.rules, ctx);
    if (!ruleset) return 2;
    if (!a.as_of.empty() && !valid_date(a.as_of)) {
        std::cerr << "sanx: --as-of must be a date YYYY-MM-DD, not '" << a.as_of << "'\n";
        return 2;
    }
    auto read = ruleset->read(a.inputs, a.lists);
    std::cerr << sanx::render(read.diagnostics, ctx.stderr_color);
    bool input_errors = sanx::has_errors(read.diagnostics);

    sanx::CheckOptions opts;
    if (!a.as_of.empty()) opts.as_of = a.as_of;
    sanx::Report rep = ruleset->check(read.input, opts);
    std::cerr << sanx::render(rep.warnings, ctx.stderr_color);

    bool to_file = !a.output.empty();
    bool tty = !to_file && ctx.stdout_tty;
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

Command add_check_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<CheckArgs>();
    auto* check = app.add_subcommand(
        "check", "Check entities (YAML or JSON documents) against the rule packs");
    add_paths_option(*check, "--rules", args->rules,
                     "Rule pack file or folder (repeatable; default: the shipped packs)");
    add_paths_option(*check, "--lists", args->lists,
                     "Documents of listed entities, used for lookups only (repeatable)");
    check->add_option("--as-of", args->as_of,
                      "Evaluation date YYYY-MM-DD (default: the input's as_of, else today)");
    check
        ->add_option("--format", args->format,
                     "Output: text, json or jsonl (default: text on a terminal, else jsonl)")
        ->check(CLI::IsMember({"text", "json", "jsonl"}));
    check
        ->add_option("--fail-on", args->fail_on,
                     "Exit 1 when any verdict is at or above this (default: high)")
        ->check(CLI::IsMember({"blocked", "high", "medium", "low"}));
    check->add_flag("--fail-on-indeterminate", args->fail_on_indeterminate,
                    "Exit 1 when any rule could not be decided");
    check->add_option("--output,-o", args->output,
                      "Write the report to this file instead of standard output");
    check->add_option("INPUT", args->inputs, "Input documents")->required();
    return {check, [args, ctx] { return run_check(*args, ctx); }};
}

}  // namespace sanx::cli
