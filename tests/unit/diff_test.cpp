// `sanx diff` for a pull-request check: list files read by both sides, and the change in a
// machine-readable form.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sanx/tools.hpp>

#include "golden.hpp"

namespace {

const char* pack_text = R"yaml(pack: p
title: P
countries: {RU: Russia, KZ: Kazakhstan}
authorities:
  OFAC: {name: OFAC, lists: [{id: SDN, measure: asset_freeze}], ownership: {threshold: 50}}
regimes:
  - id: r
    authority: OFAC
    title: R
    rules:
      - id: russian
        title: Russian
        when: "entity.country == 'RU'"
        severity: medium
        cites: [x]
RULE)yaml";

std::shared_ptr<const sanx::Ruleset> load(const std::string& path) {
    auto l = sanx::Ruleset::load({path});
    INFO(sanx::render(l.diagnostics));
    REQUIRE(l.ruleset);
    return l.ruleset;
}

}  // namespace

TEST_SUITE("diff") {
    TEST_CASE("a rule that needs the lists is compared with them, and told as json and md") {
        golden::Scratch s("diff-lists");
        std::string old_text = pack_text, new_text = pack_text;
        old_text.replace(old_text.find("RULE"), 4, "");
        new_text.replace(new_text.find("RULE"), 4,
                         "      - id: dealing\n"
                         "        title: Dealing\n"
                         "        when: \"entity.counterparties.exists(c, blocked(c, 'OFAC'))\"\n"
                         "        severity: high\n"
                         "        cites: [x]\n");
        auto old_rules = load(s.write("old.yaml", old_text));
        auto new_rules = load(s.write("new.yaml", new_text));
        const std::string input = s.write("in.yaml", R"yaml(as_of: 2025-06-01
entities:
  - {id: kz-1, name: Steppe LLP, country: KZ, counterparties: [{id: sdn-1}]}
)yaml");
        const std::string list = s.write("sdn.yaml", R"yaml(entities:
  - {id: sdn-1, name: Listed Co, country: RU, listings: [{authority: OFAC, list: SDN, from: 2020-01-01}]}
)yaml");

        auto without = sanx::tools::diff(*old_rules, *new_rules, {input}, std::nullopt);
        auto with = sanx::tools::diff(*old_rules, *new_rules, {input}, std::nullopt, {list});
        REQUIRE(with.changed.size() == 1);
        CHECK(with.changed[0].rules_gained == std::vector<std::string>{"r/dealing"});
        CHECK(with.changed[0].new_verdict == sanx::Verdict::high);
        // Without the list, the counterparty is unknown and the new rule is undecided.
        CHECK((without.changed.empty() || without.changed[0].new_verdict != sanx::Verdict::high));

        auto doc = nlohmann::json::parse(sanx::tools::to_json(with));
        CHECK(doc["entities"] == 1);
        CHECK(doc["changed"] == 1);
        CHECK(doc["results"][0]["entity"] == "kz-1");
        CHECK(doc["results"][0]["verdict"]["before"] == "clear");
        CHECK(doc["results"][0]["verdict"]["after"] == "high");
        CHECK(doc["results"][0]["rules_gained"][0] == "r/dealing");
        CHECK(doc["results"][0]["rules_lost"].empty());

        CHECK(sanx::tools::to_markdown(with) ==
              "## sanx diff\n\n"
              "| entity | name | before | after | rules gained | rules lost |\n"
              "|---|---|---|---|---|---|\n"
              "| `kz-1` | Steppe LLP | clear | **high** | `r/dealing` |  |\n\n"
              "1 of 1 entity changed (1 verdict changed).\n");
    }
}
