// `sanx diff`: which entities change outcome between two versions of the rules. Exit 0 when
// nothing changed, 1 when something did, 2 on errors.

#include <iostream>

#include <sanx/tools.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct DiffArgs {
    std::vector<std::string> old_rules, new_rules, inputs, lists;
    std::string as_of;
    std::string format = "text";
};

int run_diff(const DiffArgs& a, const Context& ctx) {
    if (!a.as_of.empty() && !valid_date(a.as_of)) {
        std::cerr << "sanx: --as-of must be a date YYYY-MM-DD, not '" << a.as_of << "'\n";
        return 2;
    }
    auto old_rules = load_rules(a.old_rules, ctx);
    if (!old_rules) return 2;
    auto new_rules = load_rules(a.new_rules, ctx);
    if (!new_rules) return 2;
    std::optional<std::string> as_of;
    if (!a.as_of.empty()) as_of = a.as_of;
    auto rep = tools::diff(*old_rules, *new_rules, a.inputs, as_of, a.lists);
    std::cerr << render(rep.diagnostics, ctx.stderr_color);
    if (has_errors(rep.diagnostics)) return 2;
    std::cout << (a.format == "json" ? tools::to_json(rep)
                  : a.format == "md" ? tools::to_markdown(rep)
                                     : tools::to_text(rep));
    return rep.changed.empty() ? 0 : 1;
}

}  // namespace

Command add_diff_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<DiffArgs>();
    auto* cmd = app.add_subcommand(
        "diff", "Evaluate inputs with two versions of the rules and list what changed");
    add_paths_option(*cmd, "--old", args->old_rules, "The old rules: a pack file or folder")
        ->required()
        ->allow_extra_args(false);
    add_paths_option(*cmd, "--new", args->new_rules, "The new rules: a pack file or folder")
        ->required()
        ->allow_extra_args(false);  // what follows is INPUT
    add_paths_option(*cmd, "--lists", args->lists,
                     "List files for look-ups, read by both sides (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--format", args->format, "text (default), json or md")
        ->check(CLI::IsMember({"text", "json", "md"}));
    cmd->add_option("--as-of", args->as_of,
                    "Evaluation date YYYY-MM-DD (default: the input's as_of, else today)");
    cmd->add_option("INPUT", args->inputs, "Input documents")->required();
    return {cmd, [args, ctx] { return run_diff(*args, ctx); }};
}

}  // namespace sanx::cli
