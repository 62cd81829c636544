// The pack authors' tools: lint (golden text and SARIF), the rule-test runner with coverage,
// the formatter's properties, and the diff of outcomes between two rule versions.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include <sanx/tools.hpp>

#include "api/access.hpp"
#include "check/checker.hpp"
#include "golden.hpp"
#include "tools/tree.hpp"

namespace fs = std::filesystem;

namespace {

using golden::relative;
using golden::Scratch;
using golden::slurp;
using golden::source_dir;
using golden::test_dir;

std::shared_ptr<const sanx::Ruleset> load(const std::vector<std::string>& paths) {
    auto loaded = sanx::Ruleset::load(paths);
    INFO(sanx::render(loaded.diagnostics));
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

}  // namespace

TEST_SUITE("tools") {
    TEST_CASE("lint: golden text and SARIF for broken packs, positions and suggestions") {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(test_dir + "/golden/lint"))
            if (e.path().extension() == ".yaml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        REQUIRE(files.size() >= 2);
        for (const auto& f : files) {
            CAPTURE(f.filename().string());
            sanx::tools::LintOptions opts;
            opts.today = "2026-01-01";
            auto res = sanx::tools::lint({f.string()}, opts);
            for (auto& d : res.diagnostics) {  // the same text from any checkout
                d.where.file = relative(d.where.file);
                d.message = relative(d.message);
            }
            CHECK_FALSE(res.diagnostics.empty());
            golden::compare(fs::path(f).replace_extension(".expected"),
                            sanx::render(res.diagnostics));
            golden::compare(fs::path(f).replace_extension(".sarif"),
                            sanx::tools::to_sarif(res.diagnostics));
        }
    }

    TEST_CASE("lint: a typo gives a SARIF result on the right line with a fix") {
        sanx::tools::LintOptions opts;
        opts.today = "2026-01-01";
        auto res = sanx::tools::lint({test_dir + "/golden/lint/typo.yaml"}, opts);
        auto log = nlohmann::json::parse(sanx::tools::to_sarif(res.diagnostics));
        CHECK(log["version"] == "2.1.0");
        CHECK(log["runs"][0]["tool"]["driver"]["name"] == "sanx");
        const auto& r = log["runs"][0]["results"][0];
        CHECK(r["ruleId"] == "unknown-set");
        CHECK(r["level"] == "error");
        const auto& region = r["locations"][0]["physicalLocation"]["region"];
        CHECK(region["startLine"] == 18);
        CHECK(region["startColumn"] == 53);
        CHECK(region["endColumn"] == 60);
        CHECK(r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] ==
              "chpl_all");
    }

    TEST_CASE("lint: the shipped packs have no errors and no warnings") {
        sanx::tools::LintOptions opts;
        opts.today = "2026-01-01";
        auto res = sanx::tools::lint({source_dir + "/rules"}, opts);
        CHECK(res.loaded);
        for (const auto& d : res.diagnostics) {
            INFO(sanx::render(d));
            CHECK(d.severity == sanx::Severity::note);
        }
    }

    TEST_CASE("test runner: passes and failures, with the case's position and explanation") {
        Scratch s("runner");
        std::string pack = s.write("p.yaml", R"yaml(pack: p
title: P
countries: {RU: Russia, KZ: Kazakhstan}
authorities:
  UK: {name: UK, ownership: {threshold: 50, inclusive: false}}
regimes:
  - id: uk
    authority: UK
    title: UK
    rules:
      - id: listed
        title: Listed
        when: "listed(entity, 'UK')"
        severity: blocked
        cites: [x]
      - id: dealing
        title: Dealing
        when: "entity.counterparties.exists(c, blocked(c, 'UK'))"
        severity: high
        cites: [x]
tests:
  - name: listed is blocked
    as_of: 2025-06-01
    entities:
      - {id: a, name: A, country: RU, listings: [{authority: UK, from: 2022-03-01}]}
    expect:
      a: {verdict: blocked, rules: [uk/listed], blocked: [UK]}
  - name: wrong expectation
    as_of: 2025-06-01
    entities:
      - {id: b, name: B, country: KZ, counterparties: [{id: a}]}
      - {id: a, name: A, country: RU, listings: [{authority: UK, from: 2022-03-01}]}
    expect:
      b: {verdict: clear, not_rules: [uk/dealing]}
)yaml");
        auto rules = load({pack});
        sanx::tools::TestOptions opts;
        opts.coverage = true;
        auto rep = sanx::tools::run_tests(*rules, opts);
        CHECK(rep.passed == 1);
        CHECK(rep.failed == 1);
        std::string text = sanx::tools::to_text(rep);
        // Each failure at the expectation it is about: the verdict, the rule id.
        CHECK(text.find(pack +
                        ":34:20: FAIL wrong expectation: b: expected verdict clear, got high") !=
              std::string::npos);
        CHECK(text.find(pack + ":34:39: FAIL wrong expectation: b: rule uk/dealing fired but "
                               "should not") != std::string::npos);
        CHECK(text.find("because blocked(c, 'UK')") != std::string::npos);
        CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == "1 passed, 1 failed\n");
        REQUIRE(rep.coverage);
        CHECK(rep.coverage->rules == 2);
        CHECK(rep.coverage->rules_fired == 2);
        // One branch point, the exists body: seen true (b deals with a), never false.
        CHECK(rep.coverage->branch_outcomes == 2);
        CHECK(rep.coverage->branch_outcomes_seen == 1);
        CHECK(sanx::tools::to_text(*rep.coverage).find(": never false: blocked(c, 'UK')") !=
              std::string::npos);
    }
    TEST_CASE("fmt: every expression of the shipped packs keeps its checked tree, fixpoint") {
        auto rules = load({source_dir + "/rules"});
        const auto& m = sanx::detail::Access::model(*rules);
        std::vector<std::pair<std::string, sanx::check::CheckOptions>> exprs;
        for (const auto& g : m.regimes) {
            sanx::check::CheckOptions opts;
            opts.regime = sanx::eval::Value(
                sanx::eval::Map{{sanx::eval::Value("id"), sanx::eval::Value(g.id)},
                                {sanx::eval::Value("authority"), sanx::eval::Value(g.authority)},
                                {sanx::eval::Value("title"), sanx::eval::Value(g.title)}});
            for (const auto& r : g.rules) {
                exprs.emplace_back(r.when.text, opts);
                for (const auto& p : r.message.pieces)
                    if (p.hole) exprs.emplace_back(p.hole->text, opts);
            }
        }
        for (const auto& l : m.licences)
            exprs.emplace_back(l.when.text, sanx::check::CheckOptions{});
        REQUIRE(exprs.size() > 40);
        for (const auto& [text, opts] : exprs) {
            CAPTURE(text);
            auto before = sanx::check::compile(text, m.vocab, opts);
            REQUIRE(before.checked);
            for (int indent : {0, 10}) {
                auto once = sanx::tools::format_expression(text, indent);
                REQUIRE(once);
                auto after = sanx::check::compile(*once, m.vocab, opts);
                REQUIRE(after.checked);
                CHECK(sanx::tools::tree::dump(after.checked->root) ==
                      sanx::tools::tree::dump(before.checked->root));
                CHECK(sanx::tools::format_expression(*once, indent) == once);
                for (std::size_t b = 0, e = 0; b <= once->size(); b = e + 1) {
                    e = once->find('\n', b);
                    if (e == std::string::npos) e = once->size();
                    CHECK(e - b + static_cast<std::size_t>(b == 0 ? indent : 0) <= 100);
                }
            }
        }
    }

    TEST_CASE("fmt: the CEL suite's runnable expressions keep their checked trees") {
        const fs::path dir = source_dir + "/../shared/conformance/cel";
        if (!fs::exists(dir)) return;  // the suite is not part of every checkout
        int compared = 0;
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() != ".jsonl") continue;
            std::ifstream in(e.path());
            for (std::string line; std::getline(in, line);) {
                auto j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_discarded() || !j.contains("expr")) continue;
                bool core = true;
                const auto features = j.value("features", nlohmann::json::array());
                for (const auto& f : features)
                    if (f.is_string() && f.get<std::string>().rfind("ext:", 0) == 0) core = false;
                if (!core) continue;
                sanx::check::CheckOptions opts;
                opts.defer_name_errors = j.value("disable_check", false);
                const auto bindings = j.value("bindings", nlohmann::json::object());
                for (const auto& [name, v] : bindings.items()) opts.variables.insert(name);
                const std::string text = j["expr"].get<std::string>();
                sanx::check::Vocabulary vocab;
                auto before = sanx::check::compile(text, vocab, opts);
                if (!before.checked) continue;
                auto once = sanx::tools::format_expression(text);
                if (!once) continue;  // comments: left as written
                CAPTURE(text);
                CAPTURE(*once);
                auto after = sanx::check::compile(*once, vocab, opts);
                REQUIRE(after.checked);
                CHECK(sanx::tools::tree::dump(after.checked->root) ==
                      sanx::tools::tree::dump(before.checked->root));
                CHECK(sanx::tools::format_expression(*once) == once);
                ++compared;
            }
        }
        CHECK(compared > 500);
    }

    TEST_CASE("fmt: canonical spacing, quotes and line breaks") {
        using sanx::tools::format_expression;
        CHECK(format_expression("a&&b||!c") == "a && b || !c");
        CHECK(format_expression("f( x,y )[ 0 ].g ( 1 )") == "f(x, y)[0].g(1)");
        CHECK(format_expression("\"KZ\" in [ \"KZ\" ,'RU' ]") == "'KZ' in ['KZ', 'RU']");
        CHECK(format_expression("\"it's\"") == "\"it's\"");
        CHECK(format_expression("r\"a\\d\"") == "r\"a\\d\"");
        CHECK(format_expression("{ 'a' :1 }") == "{'a': 1}");
        CHECK(format_expression("x ? y : z") == "x ? y : z");
        CHECK(format_expression("a // comment\n && b") == std::nullopt);
        CHECK(format_expression("a &&") == std::nullopt);
        std::string long_one =
            "entity.type == 'bank' && entity.country != 'US' && entity.counterparties.exists(c, "
            "c.country == 'RU' && c.sectors.exists(s, s in sets.ru_military_industrial_base))";
        CHECK(format_expression(long_one, 10) ==
              "entity.type == 'bank' && entity.country != 'US' &&\n"
              "          entity.counterparties.exists(c, c.country == 'RU' &&\n"
              "            c.sectors.exists(s, s in sets.ru_military_industrial_base))");
    }

    TEST_CASE("fmt: packs are edited in place, comments kept, twice changes nothing") {
        const std::string pack = R"yaml(pack: p   # the id
regimes:
  - id: r
    rules:
      # a comment before the rule
      - id: a
        when: "entity.country=='RU'&&entity.type==\"bank\""   # trailing comment
        message: "{{entity.name}} is a {{ entity.type }}"
      - id: b
        when: >-
          entity.counterparties.exists(c, c.country == 'RU' && c.sectors.exists(s, s in ['defense', 'intelligence', 'aerospace']))
        severity: high
licences:
  - id: L
    when: 'entity.country == ''KZ'''
relations:
  - KZ borders RU,CN   # comment
)yaml";
        auto once = sanx::tools::format_pack("p.yaml", pack);
        CHECK(once.changed());
        CHECK(once.formatted == R"yaml(pack: p   # the id
regimes:
  - id: r
    rules:
      # a comment before the rule
      - id: a
        when: "entity.country == 'RU' && entity.type == 'bank'"   # trailing comment
        message: "{{ entity.name }} is a {{ entity.type }}"
      - id: b
        when: >-
          entity.counterparties.exists(c, c.country == 'RU' &&
            c.sectors.exists(s, s in ['defense', 'intelligence', 'aerospace']))
        severity: high
licences:
  - id: L
    when: "entity.country == 'KZ'"
relations:
  - KZ borders RU, CN   # comment
)yaml");
        auto twice = sanx::tools::format_pack("p.yaml", once.formatted);
        CHECK_FALSE(twice.changed());
    }

    TEST_CASE("fmt: the shipped packs are in canonical form") {
        for (const auto& f : sanx::tools::pack_files({source_dir + "/rules"})) {
            CAPTURE(f);
            auto res = sanx::tools::format_pack(f, slurp(f));
            CHECK_FALSE(res.changed());
            CHECK_FALSE(sanx::has_errors(res.diagnostics));
        }
    }

    TEST_CASE("diff: names exactly the entities whose outcome changed, with the rule") {
        Scratch s("diff");
        const std::string base = R"yaml(pack: p
title: P
countries: {RU: Russia, KZ: Kazakhstan, US: United States}
authorities:
  OFAC: {name: OFAC, ownership: {threshold: 50}}
regimes:
  - id: r
    authority: OFAC
    title: R
    rules:
      - id: russian
        title: Russian
        when: "entity.country == 'RU'"
        severity: SEVERITY
        cites: [x]
)yaml";
        auto with = [&](const std::string& sev) {
            std::string t = base;
            t.replace(t.find("SEVERITY"), 8, sev);
            return t;
        };
        std::string old_pack = s.write("old.yaml", with("medium"));
        std::string new_pack = s.write("new.yaml", with("high"));
        std::string input = s.write("in.yaml", R"yaml(as_of: 2025-06-01
entities:
  - {id: ru-1, name: One, country: RU}
  - {id: kz-1, name: Two, country: KZ}
  - {id: us-1, name: Three, country: US, listings: [{authority: OFAC, list: SDN, from: 2020-01-01}]}
)yaml");
        auto rep = sanx::tools::diff(*load({old_pack}), *load({new_pack}), {input}, std::nullopt);
        REQUIRE(rep.changed.size() == 1);
        CHECK(rep.changed[0].entity == "ru-1");
        CHECK(rep.changed[0].old_verdict == sanx::Verdict::medium);
        CHECK(rep.changed[0].new_verdict == sanx::Verdict::high);
        REQUIRE(rep.changed[0].changes.size() == 1);
        CHECK(rep.changed[0].changes[0] == "~ r/russian: medium -> high");
        CHECK(rep.entities == 3);
        CHECK(sanx::tools::to_text(rep) ==
              "ru-1  One: medium -> high\n    ~ r/russian: medium -> high\n"
              "1 of 3 entities changed (1 verdict changed)\n");
        auto same = sanx::tools::diff(*load({old_pack}), *load({old_pack}), {input}, std::nullopt);
        CHECK(same.changed.empty());
    }

    TEST_CASE("fmt: plain, literal, flow and commented block scalars are all formatted") {
        const std::string pack = R"yaml(pack: p
regimes:
  - id: r
    rules:
      - id: plain-multi
        when: entity.country == 'RU' &&
          entity.type == 'bank'
      - id: literal
        when: |
          entity.country == 'RU'
            && entity.type == 'bank'
      - id: commented
        when: >-   # a comment
          entity.country=='RU'
licences:
  - {id: L, when: "entity.country=='KZ' && entity.counterparties.exists(c, c.country == 'RU' && c.sectors.exists(s, s == 'defense'))", exempts: [r/*]}
)yaml";
        auto res = sanx::tools::format_pack("p.yaml", pack);
        CHECK(res.formatted == R"yaml(pack: p
regimes:
  - id: r
    rules:
      - id: plain-multi
        when: "entity.country == 'RU' && entity.type == 'bank'"
      - id: literal
        when: "entity.country == 'RU' && entity.type == 'bank'"
      - id: commented
        when: "entity.country == 'RU'"  # a comment
licences:
  - {id: L, when: "entity.country == 'KZ' && entity.counterparties.exists(c, c.country == 'RU' && c.sectors.exists(s, s == 'defense'))", exempts: [r/*]}
)yaml");
        CHECK(res.diagnostics.empty());
        CHECK_FALSE(sanx::tools::format_pack("p.yaml", res.formatted).changed());
    }
}
