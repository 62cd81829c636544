// libFuzzer target: any bytes as a rule pack, loaded and checked by the pack loader; a pack
// that loads then runs its own `tests:` (with coverage) and checks four fixed entities (a
// listed company, one it owns and a person controls, a trader dealing with it), with every
// report format rendered. Finds crashes in the YAML reading, the loader's checks, the
// rule-test runner, evaluation under hostile rules and the report writers.

#include <sanx/engine.hpp>
#include <sanx/report.hpp>
#include <sanx/tools.hpp>

#include "fuzz_util.hpp"

namespace {

constexpr const char* entities = R"(as_of: 2025-06-01
entities:
  - {id: listed, name: Listed Co, type: company, country: RU, sectors: [banking, defense],
     goods: ["854231"], counterparties: [],
     listings: [{authority: OFAC, list: SDN, program: RUSSIA-EO14024, from: 2022-04-06},
                {authority: UN, list: UN SC Consolidated, from: 2017-08-05}]}
  - {id: owned, name: Owned LLP, type: company, country: KZ, sectors: [logistics],
     goods: ["100199"], counterparties: [{id: listed, role: customer}], listings: [],
     owners: [{id: listed, share: 50}], controllers: [{id: person, basis: board}]}
  - {id: trader, name: Trader Inc, type: company, country: US, sectors: [electronics],
     goods: ["854231", "8542"], counterparties: [{id: owned}, {id: elsewhere, country: CN}],
     listings: []}
  - {id: person, name: Иван Петров, type: person, country: BY, counterparties: [],
     listings: [{authority: EU, list: FSF, from: 2022-03-01}]}
)";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 16384);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sanx;
    const fuzz::ScratchDir scratch;
    const std::string path = scratch.write("pack.yaml", fuzz::as_text(data, size));
    auto loaded = Ruleset::load({path});
    if (!loaded.ruleset) return 0;
    const Ruleset& rules = *loaded.ruleset;

    tools::TestOptions topts;
    topts.coverage = true;
    auto tests = tools::run_tests(rules, topts);
    tools::to_text(tests, true);
    if (tests.coverage) tools::to_text(*tests.coverage);

    auto read = rules.read_text("entities.yaml", entities);
    CheckOptions opts;
    opts.jobs = 1;
    opts.trace = CheckOptions::Trace::all;
    Report report = rules.check(read.input, opts);
    to_text(report);
    to_json(report);
    to_jsonl(report);
    to_markdown(report);
    to_html(report);
    for (const auto& r : report.results) traces_to_text(r);
    return 0;
}
