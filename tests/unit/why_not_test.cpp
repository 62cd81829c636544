#include <doctest/doctest.h>

#include <algorithm>

#include <sanx/tools.hpp>

#include "golden.hpp"

TEST_SUITE("why not") {
    TEST_CASE("a licence that does not exempt says which of its conditions failed") {
        auto loaded = sanx::Ruleset::load({golden::source_dir + "/rules"});
        REQUIRE(loaded.ruleset);
        const auto& rules = *loaded.ruleset;
        auto read = rules.read({golden::source_dir + "/samples/kazakhstan/entities.yaml"});
        const std::string who = "kostanay-grain-export";

        auto gl8l = sanx::tools::explain_licence(rules, read.input, who, "GL8L", "2025-02-01");
        REQUIRE(gl8l);
        CHECK(gl8l->outcome == "false");
        CHECK(std::find(gl8l->exempts.begin(), gl8l->exempts.end(),
                        "eo14024/material-support-blocked-person") != gl8l->exempts.end());
        REQUIRE_FALSE(gl8l->misses.empty());
        bool wind_down = std::any_of(gl8l->misses.begin(), gl8l->misses.end(), [](const auto& m) {
            return m.expr == "entity.attributes.wind_down == true" && m.at.line > 0 &&
                   m.seen.find("could not be decided") != std::string::npos;
        });
        CHECK(wind_down);

        auto later = sanx::tools::explain_licence(rules, read.input, who, "GL8L", "2025-06-01");
        REQUIRE(later);
        CHECK(later->outcome == "not in force");
        CHECK(sanx::tools::explain_licence(rules, read.input, who, "GL6D", "2025-06-01")->outcome ==
              "holds");
        CHECK_FALSE(sanx::tools::explain_licence(rules, read.input, who, "NOPE", std::nullopt));
        CHECK(sanx::tools::closest("GL6DD", sanx::tools::licence_ids(rules)) == "GL6D");
    }
}
