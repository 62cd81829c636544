// Lists prepared once (sanx::prepare_lists, what `sanx serve` does per snapshot) and shared by
// every input read against them: each report and each screening must be the bytes a read
// with the lists gives (`sanx check --lists`, `sanx screen --lists`), however many inputs
// came before and whatever their thresholds.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <sanx/engine.hpp>
#include <sanx/prepared_lists.hpp>
#include <sanx/report.hpp>
#include <sanx/screen.hpp>

#include "api/access.hpp"
#include "golden.hpp"

namespace {

std::shared_ptr<const sanx::Ruleset> rules() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

// The same party in two files (merged), a party named by a tax id, an identifier two
// entries share (a warning, and an ambiguous tie), a Cyrillic name, and an owned entry.
const char* list_a =
    R"({"id":"ru-plant","name":"Plant","country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"list-zala","type":"company","name":"LIMITED LIABILITY COMPANY ZALA AERO","aliases":["ООО ЗАЛА АЭРО"],"country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]}
{"id":"list-twin-1","name":"Twin One","identifiers":[{"type":"tax_id","value":"555"}],"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"list-twin-2","name":"Twin Two","identifiers":[{"type":"tax_id","value":"555"}],"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"list-owned","name":"Owned Works","owners":[{"id":"ru-plant","share":51}],"counterparties":[{"id":"list-zala"}]}
)";
const char* list_b =
    R"({"id":"ru-plant","identifiers":[{"type":"tax_id","value":"1841015504"}],"listings":[{"authority":"EU","list":"FSF","program":"EU-UKR"}]}
{"id":"list-kalashnikov","type":"company","name":"KALASHNIKOV CONCERN","country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]}
)";

const std::vector<std::string> inputs = {
    "as_of: 2025-06-01\nentities:\n"
    "  - {id: kz-buyer, country: KZ, counterparties: [{id: ru-plant}, {id: list-owned}]}\n"
    "  - {id: kz-other, country: KZ, counterparties: [{name: P, identifiers: "
    "[{type: tax_id, value: '1841015504'}]}, {name: T, identifiers: [{type: tax_id, value: "
    "'555'}]}]}\n"
    "  - {id: kz-drones, name: Steppe Drones LLP, country: KZ, goods: ['880730'], "
    "counterparties: [{name: 'ООО «Зала Аэро»', country: RU}, {name: Kalashnikov Concern "
    "Group}]}\n"
    "  - {id: kz-owned, country: KZ, owners: [{id: list-owned, share: 100}]}\n",
    "as_of: 2025-06-01\nentities:\n"
    "  - {id: kz-other, name: Kalashnikov Koncern, country: KZ, counterparties: [{id: "
    "nobody}]}\n"
    "  - {id: kz-bad, owners: 3}\n",
};

struct Outcome {
    std::string report, screened, diagnostics;
};

Outcome outcome(const sanx::Ruleset& rs, sanx::Ruleset::ReadResult&& read,
                const sanx::ScreenOptions& o) {
    Outcome out;
    out.report = sanx::to_json(rs.check(read.input));
    out.screened = sanx::to_jsonl(sanx::screen(read.input, o));
    for (const auto& d : read.diagnostics) out.diagnostics += sanx::render(d);
    return out;
}

}  // namespace

TEST_SUITE("prepared lists") {
    TEST_CASE("inputs read against lists prepared once get the reports of reads with the lists") {
        golden::Scratch s("prepared-lists");
        const auto& rs = *rules();
        const auto a = s.write("a.jsonl", list_a), b = s.write("b.jsonl", list_b);
        auto prepared = sanx::prepare_lists(rs, {b, a});
        REQUIRE_FALSE(sanx::has_errors(prepared.diagnostics));
        CHECK(prepared.input.size() == 0);
        CHECK(sanx::detail::Access::data(prepared.input).base != nullptr);  // shared, not copied
        CHECK(rs.provenance(prepared.input).lists.size() == 2);
        for (int round = 0; round < 2; ++round)
            for (std::size_t k = 0; k < inputs.size(); ++k)
                for (const auto& o : {sanx::ScreenOptions{}, sanx::ScreenOptions{0.99, 0.5, 2}}) {
                    CAPTURE(k);
                    CAPTURE(o.match_threshold);
                    const auto path = s.write("input" + std::to_string(k) + ".yaml", inputs[k]);
                    const Outcome expected = outcome(rs, rs.read({path}, {a, b}, {}, o), o);
                    if (k == 0) REQUIRE(expected.report.find("ru-plant") != std::string::npos);
                    const Outcome got = outcome(rs,
                                                rs.read_text(path, inputs[k], prepared.input,
                                                             sanx::InputFormat::automatic, {}, o),
                                                o);
                    CHECK(got.report == expected.report);
                    CHECK(got.screened == expected.screened);
                    CHECK(got.diagnostics == expected.diagnostics);
                }
    }

    TEST_CASE("lists whose entries name counterparties no entry is are indexed with each input") {
        // The counterparty may be an entity of the input: each read must see the lists as read.
        golden::Scratch s("prepared-lists-open");
        const auto& rs = *rules();
        const auto a = s.write(
            "a.jsonl",
            R"({"id":"list-x","name":"X","counterparties":[{"id":"kz-declared"}],"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]})"
            "\n");
        auto prepared = sanx::prepare_lists(rs, {a});
        REQUIRE_FALSE(sanx::has_errors(prepared.diagnostics));
        CHECK(sanx::detail::Access::data(prepared.input).base == nullptr);
        const std::string text =
            "as_of: 2025-06-01\nentities:\n"
            "  - {id: kz-declared, country: RU, sectors: [defense]}\n"
            "  - {id: kz-buyer, country: KZ, counterparties: [{id: list-x}]}\n";
        const auto path = s.write("input.yaml", text);
        const Outcome expected = outcome(rs, rs.read({path}, {a}), {});
        for (int round = 0; round < 2; ++round)
            CHECK(outcome(rs, rs.read_text(path, text, prepared.input), {}).report ==
                  expected.report);
    }
}
