// `sanx screen`: the list entries each party may be, by name, with the features that
// decided each score (docs/screening.md).

#include <cstdio>
#include <iostream>

#include <sanx/screen.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct ScreenArgs : InputArgs {
    std::string format;
    std::size_t max_candidates = 5;
};

std::string fixed(double x, bool sign = false) {
    char buf[32];
    std::snprintf(buf, sizeof buf, sign ? "%+.2f" : "%.2f", x);
    return buf;
}

std::string to_text(const ScreenedParty& p, const ScreenOptions& o) {
    std::string out = p.entity + (p.party == "entity" ? "" : " " + p.party) +
                      (p.name.empty() ? "" : " (" + p.name + ")") + "  " + p.file + ":" +
                      std::to_string(p.line) + "\n";
    if (p.rejected) return out + "  rejected: " + *p.rejected + "\n";
    for (const auto& c : p.candidates) {
        out += "  " + c.decision +
               std::string(c.decision.size() < 8 ? 9 - c.decision.size() : 1, ' ') +
               fixed(c.score) + "  " + c.list_id + " (" + c.list_name + ")\n";
        for (const auto& f : c.features)
            out += "      " + f.name + " " + fixed(f.effect, f.name != "name") + ": " + f.detail +
                   "\n";
    }
    if (p.candidates.empty())
        out += "  no candidate scores " +
               fixed(o.review_threshold - 0.15 > 0 ? o.review_threshold - 0.15 : 0) + " or more\n";
    for (const auto& n : p.notes) out += "  note: " + n + "\n";
    return out;
}

int run_screen(const ScreenArgs& a, const Context& ctx) {
    auto loaded = load_inputs(a, ctx);
    if (!loaded) return 2;
    const auto& read = loaded->read;
    if (a.lists.empty())
        std::cerr << "sanx: note: no --lists given: there is nothing to screen against\n";
    ScreenOptions o = a.screening;
    o.max_candidates = a.max_candidates;
    const std::string format = a.format.empty() ? (ctx.stdout_tty ? "text" : "jsonl") : a.format;
    const auto parties = sanx::screen(read.input, o);
    bool found = false, rejected = false;
    for (const auto& p : parties) {
        rejected = rejected || p.rejected.has_value();
        for (const auto& c : p.candidates) found = found || c.decision != "below";
        if (format == "text") std::cout << to_text(p, o);
    }
    if (format == "json")
        std::cout << sanx::to_json(parties);
    else if (format == "jsonl")
        std::cout << sanx::to_jsonl(parties);
    if (rejected || sanx::has_errors(read.diagnostics)) return 2;
    return found ? 1 : 0;
}

}  // namespace

Command add_screen_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<ScreenArgs>();
    auto* screen = app.add_subcommand(
        "screen", "List the entries of --lists each party (entity, counterparty) may be, by name");
    add_input_options(*screen, *args);
    screen
        ->add_option("--format", args->format, "text, json or jsonl (default: text on a terminal)")
        ->check(CLI::IsMember({"text", "json", "jsonl"}));
    screen->add_option("--max-candidates", args->max_candidates,
                       "Candidates shown per party (default 5)");
    screen
        ->add_option("INPUT", args->inputs,
                     "Entities to screen (YAML, JSON, JSON lines, CSV; - for stdin)")
        ->required();
    screen->footer(
        "Exit status: 0 no party reaches the review threshold, 1 at least one match or possible "
        "match, 2 an error (bad usage, a rejected record).");
    return {screen, [args, ctx] { return run_screen(*args, ctx); }};
}

}  // namespace sanx::cli
