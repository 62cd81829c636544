#include <doctest/doctest.h>

#include <algorithm>

#include <sanx/tools.hpp>

#include "golden.hpp"

namespace {
std::vector<sanx::Diagnostic> errors(const sanx::tools::LintResult& r) {
    std::vector<sanx::Diagnostic> out;
    std::copy_if(r.diagnostics.begin(), r.diagnostics.end(), std::back_inserter(out),
                 [](const auto& d) { return d.severity == sanx::Severity::error; });
    return out;
}
}  // namespace

TEST_SUITE("lint") {
    TEST_CASE("a pack linted without its required pack gets one error, with the --rules hint") {
        const std::string us = golden::source_dir + "/rules/us.yaml";
        auto alone = sanx::tools::lint({us}, {});
        auto errs = errors(alone);
        REQUIRE(errs.size() == 1);
        CHECK(errs[0].code == "missing-pack");
        CHECK(errs[0].message == "pack 'us' requires pack 'world', which is not loaded");
        REQUIRE(errs[0].hints.size() == 2);
        CHECK(errs[0].hints[0] == "load it for context: sanx lint --rules " + golden::source_dir +
                                      "/rules/world.yaml " + us);
        CHECK(errs[0].hints[1].find("further errors about unknown names") != std::string::npos);

        sanx::tools::LintOptions with;
        with.context = {golden::source_dir + "/rules/world.yaml"};
        CHECK(errors(sanx::tools::lint({us}, with)).empty());
    }

    TEST_CASE("a rule id used twice in a regime is one error at the second, among many rules") {
        golden::Scratch s("lint-duplicate");
        std::string text =
            "pack: dup\ntitle: Duplicates\ncountries: {RU: Russia}\n"
            "authorities:\n  OFAC: {name: OFAC}\nregimes:\n  - id: trade\n"
            "    authority: OFAC\n    title: Trade\n    rules:\n";
        for (int i = 0; i < 3000; ++i)  // rule i starts at line 11 + 4 i; the last is r7 again
            text += "      - id: r" + std::to_string(i == 2999 ? 7 : i) +
                    "\n        title: t\n        when: entity.country == 'RU'\n"
                    "        severity: low\n";
        auto errs = errors(sanx::tools::lint({s.write("dup.yaml", text)}, {}));
        REQUIRE(errs.size() == 1);
        CHECK(errs[0].code == "duplicate");
        CHECK(errs[0].message == "rule 'trade/r7' is defined twice");
        CHECK(errs[0].where.line == 11 + 4 * 2999);
    }

    TEST_CASE("one error held back is said in the singular") {
        golden::Scratch s("lint-one-held");
        auto path = s.write("p.yaml",
                            "pack: p\nrequires: [world]\nauthorities:\n  A: {name: A}\nregimes:\n"
                            "  - id: r\n    authority: A\n    rules:\n      - id: x\n"
                            "        when: entity.country == 'RU'\n        severity: high\n");
        auto errs = errors(sanx::tools::lint({path}, {}));
        REQUIRE(errs.size() == 1);
        REQUIRE(errs[0].hints.size() == 2);
        CHECK(errs[0].hints[1].rfind("1 further error about unknown names in this file is not "
                                     "shown",
                                     0) == 0);
    }
}
