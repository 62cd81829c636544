// Owners and controllers are parties too (PRODUCT.md section 12): an entity owned by a
// declared entity that its name ties to an asset-freeze list entry is blocked through
// ownership; one owned or controlled by a possible match, directly or through another declared
// entity, is undecided with the candidate named, never clear; so is dealing with one.

#include <doctest/doctest.h>

#include <string>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "golden.hpp"

namespace {

const char* owners_list =
    R"({"id":"list-zala","type":"company","name":"LIMITED LIABILITY COMPANY ZALA AERO","aliases":["ООО ЗАЛА АЭРО"],"country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]}
{"id":"list-kalashnikov","type":"company","name":"KALASHNIKOV CONCERN","country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]}
)";

// Each parent is known by its name only; "Kalashnikov Concern Group" scores 0.75 against
// KALASHNIKOV CONCERN: a possible match.
const char* owners_input = R"(as_of: 2025-12-15
entities:
  - {id: zala-parent, name: "ООО «Зала Аэро»", country: RU, counterparties: []}
  - {id: kalash-parent, name: Kalashnikov Concern Group, country: RU, counterparties: []}
  - {id: kz-zala-owned, name: Zala Kazakhstan LLP, country: KZ, counterparties: [],
     owners: [{id: zala-parent, share: 60}]}
  - {id: kz-kalash-owned, name: Kalash Trade LLP, country: KZ, counterparties: [],
     owners: [{id: kalash-parent, share: 60}]}
  - {id: kz-kalash-grandchild, name: Kalash Retail LLP, country: KZ, counterparties: [],
     owners: [{id: kz-kalash-owned, share: 100}]}
  - {id: kz-kalash-controlled, name: Kalash Board LLP, country: KZ, counterparties: [],
     controllers: [{id: kalash-parent, basis: board}]}
  - {id: kz-both-owned, name: Both Owners LLP, country: KZ, counterparties: [],
     owners: [{id: zala-parent, share: 60}, {id: kalash-parent, share: 40}]}
  - {id: kz-buyer, name: Buyer LLP, country: KZ, goods: ["854239"],
     counterparties: [{id: kalash-parent}]}
)";

sanx::Report check_owners(golden::Scratch& s) {
    auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    auto list = s.write("list.jsonl", owners_list);
    auto input = s.write("owners.yaml", owners_input);
    auto read = loaded.ruleset->read({input}, {list});
    REQUIRE_FALSE(sanx::has_errors(read.diagnostics));
    return loaded.ruleset->check(read.input);
}

const sanx::Result& result_of(const sanx::Report& rep, const std::string& id) {
    for (const auto& r : rep.results)
        if (r.entity == id) return r;
    FAIL("no result for " << id);
    return rep.results.front();
}

/// Whether an undecided rule of `r` names `text` among what it misses.
bool undecided_naming(const sanx::Result& r, const std::string& text) {
    for (const auto& i : r.indeterminate)
        for (const auto& m : i.missing)
            if (m.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_SUITE("owners by name") {
    TEST_CASE("an owner whose name matches a listed entry blocks what it owns through ownership") {
        golden::Scratch s("owners-by-name-match");
        const auto rep = check_owners(s);
        const auto& owned = result_of(rep, "kz-zala-owned");
        CHECK(owned.verdict == sanx::Verdict::blocked);
        REQUIRE(owned.blocked.count("OFAC"));
        CHECK_FALSE(owned.blocked.at("OFAC").paths.empty());  // through its owner
    }

    TEST_CASE("an owner that may be a listed entry leaves what it owns undecided, naming it") {
        golden::Scratch s("owners-by-name-possible");
        const auto rep = check_owners(s);
        for (const char* id : {"kz-kalash-owned", "kz-kalash-grandchild", "kz-kalash-controlled"}) {
            const std::string which = id;
            CAPTURE(which);
            const auto& r = result_of(rep, id);
            CHECK(r.verdict != sanx::Verdict::blocked);
            REQUIRE(r.could_be.has_value());  // undecided, never a plain clear
            CHECK(*r.could_be == sanx::Verdict::blocked);
            CHECK(undecided_naming(r, "list-kalashnikov (KALASHNIKOV CONCERN)"));
        }
        // Dealing with it is undecided too (the buyer is high for its goods either way).
        CHECK(undecided_naming(result_of(rep, "kz-buyer"),
                               "which list entry kalash-parent is: list-kalashnikov"));
        CHECK(undecided_naming(result_of(rep, "kz-kalash-owned"),
                               "its owner kalash-parent (owners[0]), which may be:"));
        CHECK(undecided_naming(result_of(rep, "kz-kalash-controlled"),
                               "its controller kalash-parent (controllers[0])"));
    }

    TEST_CASE("a doubtful owner does not hide a block that known owners make certain") {
        golden::Scratch s("owners-by-name-both");
        const auto rep = check_owners(s);
        const auto& r = result_of(rep, "kz-both-owned");
        CHECK(r.verdict == sanx::Verdict::blocked);
        REQUIRE(r.blocked.count("OFAC"));
        CHECK(r.blocked.at("OFAC").share == 60);
        // The rule that reads the block fires with its reasons; it is not left undecided.
        bool fired = false;
        for (const auto& f : r.findings) fired |= f.rule.ends_with("/owned-by-blocked-persons");
        CHECK(fired);
        for (const auto& i : r.indeterminate)
            CHECK_FALSE(i.rule.ends_with("/owned-by-blocked-persons"));
    }
}
