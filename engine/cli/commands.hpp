#pragma once

// Each subcommand registers its options on the app and returns how to run it. Subcommands
// live in their own files (check_command.cpp, ...) and use only the public API.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <sanx/engine.hpp>

namespace sanx::cli {

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;  ///< the process exit status
};

/// Facts about the invocation every command may need.
struct Context {
    std::string argv0;
    bool stderr_color = false;  ///< stderr is a terminal and NO_COLOR is unset
    bool stderr_tty = false;
    bool stdout_tty = false;
};

Command add_check_command(CLI::App& app, const Context& ctx);
Command add_import_command(CLI::App& app, const Context& ctx);
Command add_eval_command(CLI::App& app, const Context& ctx);
Command add_explain_command(CLI::App& app, const Context& ctx);
Command add_graph_command(CLI::App& app, const Context& ctx);
Command add_lint_command(CLI::App& app, const Context& ctx);
Command add_test_command(CLI::App& app, const Context& ctx);
Command add_fmt_command(CLI::App& app, const Context& ctx);
Command add_diff_command(CLI::App& app, const Context& ctx);
Command add_screen_command(CLI::App& app, const Context& ctx);
Command add_serve_command(CLI::App& app, const Context& ctx);

/// Loads the packs (the shipped ones when `paths` is empty), printing diagnostics to
/// stderr; null when they have errors.
std::shared_ptr<const Ruleset> load_rules(const std::vector<std::string>& paths,
                                          const Context& ctx);

/// What the commands that evaluate entities (check, explain, graph) read.
struct InputArgs {
    std::vector<std::string> rules;   ///< --rules
    std::vector<std::string> lists;   ///< --lists
    std::string as_of;                ///< --as-of, checked by load_inputs
    std::string encoding;             ///< --encoding of the inputs; empty: UTF-8
    ScreenOptions screening;          ///< --match-threshold, --review-threshold
    std::vector<std::string> inputs;  ///< INPUT, declared by each command with its own help
    unsigned jobs = 0;                ///< --jobs where a command declares it; 0: one per core
};

/// Declares `--rules`, `--lists`, `--as-of`, `--encoding`, `--match-threshold` and
/// `--review-threshold` on `app`, storing into `into`.
void add_input_options(CLI::App& app, InputArgs& into);

/// The rule packs and the records of one invocation, ready to check.
struct LoadedInputs {
    std::shared_ptr<const Ruleset> ruleset;  ///< never null
    Ruleset::ReadResult read;                ///< its diagnostics are already printed
    CheckOptions options;                    ///< as_of from --as-of; the rest at defaults
};

/// Checks --as-of, loads the rule packs (load_rules), then reads the inputs and lists,
/// printing every diagnostic to stderr. Empty when the command must exit 2; the reason is
/// printed. Errors in the inputs are left to the command (has_errors(read.diagnostics)).
std::optional<LoadedInputs> load_inputs(const InputArgs& args, const Context& ctx);

/// `--rules PATH` / `--lists PATH`: one path per occurrence, repeatable.
CLI::Option* add_paths_option(CLI::App& app, const std::string& name,
                              std::vector<std::string>& into, const std::string& help);

/// A calendar date YYYY-MM-DD (sanx::is_date: 2025-02-30 is not one).
bool valid_date(const std::string& s);

}  // namespace sanx::cli
