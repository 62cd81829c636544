// libFuzzer target: any bytes as an entity file in one format (SANX_FUZZ_FORMAT: document,
// json_lines or csv; one executable each), read and checked with the shipped packs, with
// every report format rendered. Finds crashes in the readers, ownership, evaluation and the
// report writers, and records lost between reading and the report.

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 16384);
    (void)sanx::fuzz::shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sanx;
    const Ruleset& rules = fuzz::shipped_rules();
    auto read = rules.read_text(SANX_FUZZ_FILE_NAME, fuzz::as_text(data, size),
                                InputFormat::SANX_FUZZ_FORMAT);
    CheckOptions opts;
    opts.jobs = 1;
    if (!read.input.as_of()) opts.as_of = fuzz::fixed_date;
    opts.trace = CheckOptions::Trace::fired;
    Report report = rules.check(read.input, opts);
    // Every record read, rejected ones included, has its result.
    if (report.results.size() != read.input.size()) __builtin_trap();
    to_text(report);
    to_json(report);
    to_jsonl(report);
    to_markdown(report);
    to_html(report);
    for (const auto& r : report.results) {
        traces_to_json(r);
        ownership_svg(r);
    }
    return 0;
}
