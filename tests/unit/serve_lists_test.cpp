// A server reads its --lists once (Ruleset::read_lists) and each request against them
// (read_text with lists): the report must be the one `sanx check --lists` gives for the same
// input, for every request, however many came before.

#include <doctest/doctest.h>

#include <string>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "golden.hpp"

TEST_SUITE("serve") {
    TEST_CASE("a request read against lists read once gets the report of a read with the lists") {
        golden::Scratch s("serve-lists");
        auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
        REQUIRE(loaded.ruleset);
        const auto& rs = *loaded.ruleset;
        // The same party in two files (merged), and a declared counterparty tied by a tax id.
        auto a =
            s.write("a.jsonl", R"({"id":"ru-plant","name":"Plant","country":"RU","listings":[)"
                               R"({"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]})"
                               "\n");
        auto b = s.write(
            "b.jsonl", R"({"id":"ru-plant","identifiers":[{"type":"tax_id","value":"1841015504"}],)"
                       R"("listings":[{"authority":"EU","list":"FSF","program":"EU-UKR"}]})"
                       "\n");
        const std::string text =
            "as_of: 2025-06-01\nentities:\n"
            "  - {id: kz-buyer, country: KZ, counterparties: [{id: ru-plant}]}\n"
            "  - {id: kz-other, country: KZ, counterparties: [{name: P, identifiers: "
            "[{type: tax_id, value: '1841015504'}]}]}\n";
        auto input = s.write("input.yaml", text);
        auto direct = rs.read({input}, {a, b});
        REQUIRE_FALSE(sanx::has_errors(direct.diagnostics));
        const std::string expected = sanx::to_json(rs.check(direct.input));
        REQUIRE(expected.find("\"list_id\": \"ru-plant\"") != std::string::npos);

        auto lists = rs.read_lists({b, a});
        REQUIRE_FALSE(sanx::has_errors(lists.diagnostics));
        CHECK(lists.input.size() == 0);
        for (int request = 0; request < 3; ++request) {
            auto read = rs.read_text(input, text, lists.input);
            CHECK_FALSE(sanx::has_errors(read.diagnostics));
            CHECK(sanx::to_json(rs.check(read.input)) == expected);
        }
    }

    TEST_CASE("an unreadable list file is an error of read_lists, as of read") {
        auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
        REQUIRE(loaded.ruleset);
        auto lists = loaded.ruleset->read_lists({"/nonexistent/sdn.jsonl"});
        CHECK(sanx::has_errors(lists.diagnostics));
    }
}
