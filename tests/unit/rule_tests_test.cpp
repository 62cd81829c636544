// `sanx test` on a pack whose tests are written wrong: each mistake is named at its place,
// and failures read as sentences.

#include <doctest/doctest.h>

#include <sanx/tools.hpp>

#include "golden.hpp"

namespace {

const char* pack = R"yaml(pack: tt
requires: [world]
regimes:
  - id: r
    authority: UN
    title: T
    rules:
      - id: a
        title: A
        severity: high
        cites: [x]
        when: "entity.type == 'company'"
        message: "x"
tests:
  - name: misspelt key
    entities:
      - {id: e1, type: company, sectors: [defence]}
    expects:
      e1: {verdict: clear}
  - name: unknown verdict
    entities:
      - {id: e1, type: company}
    expect:
      e1: {verdict: critical}
  - name: missing file
    entities: nofile.yaml
    expect:
      e1: {verdict: high}
  - name: wrong verdict
    entities:
      - {id: e1, type: company}
    expect:
      e1: {verdict: clear}
)yaml";

}  // namespace

TEST_SUITE("rule tests") {
    TEST_CASE("mistakes in a test are reported at their place, with did-you-mean") {
        golden::Scratch s("rule-tests");
        const std::string file = s.write("t.yaml", pack);
        auto loaded = sanx::Ruleset::load({golden::source_dir + "/rules/world.yaml",
                                           golden::source_dir + "/rules/un.yaml", file});
        REQUIRE(loaded.ruleset);
        sanx::tools::TestOptions only;
        only.only_files = {file};
        auto rep = sanx::tools::run_tests(*loaded.ruleset, only);
        CHECK(rep.passed == 0);
        CHECK(rep.failed == 4);
        const std::string text = sanx::tools::to_text(rep);
        CAPTURE(text);
        auto has = [&](const std::string& line) {
            return text.find(file + line) != std::string::npos;
        };
        CHECK(
            has(":17:7: warning: misspelt key: unknown sector 'defence'; did you mean "
                "'defense'?"));
        CHECK(
            has(":18:5: FAIL misspelt key: unknown field 'expects' in a test case; did you "
                "mean 'expect'?"));
        CHECK(
            has(":24:21: FAIL unknown verdict: unknown verdict 'critical' (blocked, high, "
                "medium, low, clear)"));
        CHECK(
            has(":26:15: FAIL missing file: cannot read file " + s.dir.string() + "/nofile.yaml"));
        // At the expectation that failed, not at the case.
        CHECK(has(":33:21: FAIL wrong verdict: e1: expected verdict clear, got high"));
        CHECK(text.find("because entity.type == 'company' holds: entity.type = 'company'") !=
              std::string::npos);
    }
}
