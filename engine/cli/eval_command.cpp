// `sanx eval EXPR`: evaluate one expression against the packs and print the value as a CEL
// literal. Exit 0 with the value (or `unknown(...)` when the input lacks a fact), 2 on any
// error, which goes to stderr with its position in "<expr>".

#include <iostream>

#include <sanx/eval.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct EvalArgs {
    std::string expr;
    std::vector<std::string> rules;
    std::string entity;
    std::vector<std::string> vars;
    std::string as_of;
};

int run_eval(const EvalArgs& a, const Context& ctx) {
    if (!a.as_of.empty() && !valid_date(a.as_of)) {
        std::cerr << "sanx: --as-of must be a date YYYY-MM-DD, not '" << a.as_of << "'\n";
        return 2;
    }
    EvalContext ec;
    if (!a.as_of.empty()) ec.as_of = a.as_of;
    for (const auto& v : a.vars) {
        auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::cerr << "sanx: --var takes NAME=JSON, not '" << v << "'\n";
            return 2;
        }
        ec.variables[v.substr(0, eq)] = v.substr(eq + 1);
    }
    auto ruleset = load_rules(a.rules, ctx);
    if (!ruleset) return 2;

    Input input;
    if (!a.entity.empty()) {
        auto colon = a.entity.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == a.entity.size()) {
            std::cerr << "sanx: --entity takes FILE:ID, not '" << a.entity << "'\n";
            return 2;
        }
        auto read = ruleset->read({a.entity.substr(0, colon)});
        std::cerr << render(read.diagnostics, ctx.stderr_color);
        if (has_errors(read.diagnostics)) return 2;
        input = std::move(read.input);
        ec.input = &input;
        ec.entity = a.entity.substr(colon + 1);
    }

    EvalResult r = evaluate(*ruleset, a.expr, ec);
    switch (r.kind) {
        case EvalResult::Kind::value:
            std::cout << r.value << "\n";
            return 0;
        case EvalResult::Kind::unknown: {
            std::cout << "unknown(";
            for (std::size_t i = 0; i < r.missing.size(); ++i)
                std::cout << (i ? ", " : "") << r.missing[i];
            std::cout << ")\n";
            return 0;
        }
        case EvalResult::Kind::error:
            break;
    }
    for (auto& d : r.diagnostics)
        if (d.where.known() && d.where.source_line.empty()) d.where.source_line = a.expr;
    std::cerr << render(r.diagnostics, ctx.stderr_color);
    return 2;
}

}  // namespace

Command add_eval_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<EvalArgs>();
    auto* cmd = app.add_subcommand(
        "eval", "Evaluate one expression against the rule packs and print its value");
    cmd->add_option("EXPR", args->expr, "The expression, e.g. 'member(\"KZ\", \"EAEU\")'")
        ->required();
    add_paths_option(*cmd, "--rules", args->rules,
                     "Rule pack file or folder (repeatable; default: the shipped packs)");
    cmd->add_option("--entity", args->entity,
                    "FILE:ID: bind `entity` to record ID of the document FILE");
    cmd->add_option("--var", args->vars,
                    "NAME=JSON: a variable the expression may use (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("--as-of", args->as_of,
                    "Evaluation date YYYY-MM-DD (default: the input's as_of, else today)");
    return {cmd, [args, ctx] { return run_eval(*args, ctx); }};
}

}  // namespace sanx::cli
