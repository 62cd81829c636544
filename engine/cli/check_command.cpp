// `sanx check`: evaluate entities against the rule packs and report.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/log.hpp"

namespace sanx::cli {

namespace {

struct CheckArgs : InputArgs {
    std::string format;
    std::string fail_on = "high";
    bool fail_on_indeterminate = false;
    std::string output;
    bool explain = false;
    bool explain_all = false;
    bool no_because = false;
};

/// What run_check leaves to the end of the process (volatile: kept, so that a leak checker
/// sees it reachable).
void* volatile left_to_exit[2];

/// More workers than this only cost memory (each chunk holds 4096 results per worker).
constexpr unsigned max_jobs = 256;

int run_check(const CheckArgs& a, const Context& ctx) {
    if (a.jobs > max_jobs)
        spdlog::warn("--jobs {} is more than {}; using {}", a.jobs, max_jobs, max_jobs);
    CheckArgs args = a;
    args.jobs = std::min(a.jobs, max_jobs);
    auto loaded = load_inputs(args, ctx);
    if (!loaded) return 2;
    const auto& ruleset = loaded->ruleset;
    const auto& read = loaded->read;
    bool input_errors = sanx::has_errors(read.diagnostics);

    std::ofstream file;
    if (!a.output.empty()) {
        file.open(a.output, std::ios::binary);
        if (!file) {
            std::cerr << "sanx: cannot write " << a.output << "\n";
            return 2;
        }
    }
    std::ostream& out = a.output.empty() ? std::cout : file;
    bool tty = a.output.empty() && ctx.stdout_tty;
    std::string format = a.format.empty() ? (tty ? "text" : "jsonl") : a.format;
    bool color = tty && !std::getenv("NO_COLOR");

    sanx::CheckOptions opts = loaded->options;
    opts.jobs = args.jobs;
    opts.because = !a.no_because;
    // One JSON document, Markdown and HTML need every result first (summary table on top).
    opts.stream = format == "text" || format == "jsonl";
    if (a.explain_all)
        opts.trace = sanx::CheckOptions::Trace::all;
    else if (a.explain)
        opts.trace = sanx::CheckOptions::Trace::fired;

    static const std::vector<std::string> order{"low", "medium", "high", "blocked"};
    const auto threshold = std::find(order.begin(), order.end(), a.fail_on) - order.begin();
    bool failing = false;
    const sanx::Provenance provenance = ruleset->provenance(read.input, opts);
    if (format == "text") out << sanx::to_text_header(provenance, color);
    const std::size_t total = read.input.size();
    std::size_t done = 0;
    const auto started = std::chrono::steady_clock::now();
    auto progress = [&](bool last) {
        if (!ctx.stderr_tty || total < 10000 || (!last && done % 10000 != 0)) return;
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::fprintf(stderr, "\rsanx: %zu/%zu records, %.0f per second%s", done, total,
                     secs > 0 ? static_cast<double>(done) / secs : 0.0, last ? "\n" : "");
    };
    auto judge = [&](const sanx::Result& r) {
        if (r.rejected) return;
        auto rank = std::find(order.begin(), order.end(), std::string(sanx::to_string(r.verdict))) -
                    order.begin();
        if (r.verdict != sanx::Verdict::clear && rank >= threshold) failing = true;
        if (a.fail_on_indeterminate && !r.indeterminate.empty()) failing = true;
    };
    // Streamed results are written as they come: that time is writing, not evaluating.
    std::chrono::steady_clock::duration streaming{};
    sanx::Report rep = ruleset->check(read.input, opts, [&](sanx::Result&& r) {
        const auto t = std::chrono::steady_clock::now();
        judge(r);
        if (format == "jsonl")
            out << sanx::to_json_line(r, provenance);
        else
            out << sanx::to_text(r, color) << sanx::traces_to_text(r, color);
        ++done;
        progress(false);
        streaming += std::chrono::steady_clock::now() - t;
    });
    const double streamed_ms = std::chrono::duration<double, std::milli>(streaming).count();
    spdlog::info("ownership: {:.1f} ms; evaluate: {} records in {:.1f} ms",
                 rep.timings.ownership * 1000, total, rep.timings.evaluate * 1000 - streamed_ms);
    spdlog::stopwatch writing;
    progress(true);
    for (const auto& r : rep.results) judge(r);
    // Standard error has shown the input's warnings already; the ownership data warnings
    // follow. A JSON report carries both, as data.
    std::cerr << sanx::render(rep.warnings, ctx.stderr_color);
    std::vector<sanx::Diagnostic> input_warnings;
    for (const auto& d : read.diagnostics)
        if (d.severity != sanx::Severity::error) input_warnings.push_back(d);
    rep.warnings.insert(rep.warnings.begin(), input_warnings.begin(), input_warnings.end());
    if (format == "json") out << sanx::to_json(rep);
    if (format == "md") out << sanx::to_markdown(rep);
    if (format == "html") out << sanx::to_html(rep);
    if (format == "text") out << sanx::to_text(rep.summary);
    out.flush();
    if (!out) {
        std::cerr << "sanx: writing the report failed\n";
        return 2;
    }
    spdlog::info("write: {} report in {:.1f} ms", format, streamed_ms + log::ms(writing));
    const int status = input_errors || rep.summary.rejected > 0 ? 2 : failing ? 1 : 0;
    // The process ends next: the input and the report, millions of small blocks in a large
    // run, are left to the operating system rather than freed one by one (7 % of a run).
    left_to_exit[0] = new LoadedInputs(std::move(*loaded));
    left_to_exit[1] = new sanx::Report(std::move(rep));
    return status;
}

}  // namespace

Command add_check_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<CheckArgs>();
    auto* check = app.add_subcommand(
        "check", "Check entities (YAML or JSON documents) against the rule packs");
    add_input_options(*check, *args);
    check
        ->add_option("--format", args->format,
                     "Output: text, json, jsonl, md (Markdown) or html (one self-contained page); "
                     "default: text on a terminal, else jsonl")
        ->check(CLI::IsMember({"text", "json", "jsonl", "md", "html"}));
    check
        ->add_option("--fail-on", args->fail_on,
                     "Exit 1 when any verdict is at or above this (default: high)")
        ->check(CLI::IsMember({"blocked", "high", "medium", "low"}));
    check->add_flag("--fail-on-indeterminate", args->fail_on_indeterminate,
                    "Exit 1 when any rule could not be decided");
    check->add_flag("--explain", args->explain,
                    "Add the condition tree of each rule that fired, with the value of every "
                    "node (in every format; folded in md and html)");
    check->add_flag("--explain-all", args->explain_all,
                    "As --explain, and also each rule that did not fire, with its nearest miss");
    check->add_flag("--no-because", args->no_because,
                    "Leave out each finding's witness facts (`because`): verdicts, findings and "
                    "citations only, for screening where output size and speed matter most");
    check->add_option("--output,-o", args->output,
                      "Write the report to this file instead of standard output");
    check->add_option(
        "--jobs,-j", args->jobs,
        "Threads that read a large JSON lines input and evaluate (default: one per core); "
        "output is the same for any number");
    check
        ->add_option(
            "INPUT", args->inputs,
            "Inputs: YAML/JSON documents, JSON lines (*.jsonl), or - for JSON lines on stdin")
        ->required();
    return {check, [args, ctx] { return run_check(*args, ctx); }};
}

}  // namespace sanx::cli
