// How a diagnostic shows where it is: `file:line:col` counts bytes (docs/authoring.md), the
// caret under the quoted line counts display columns, so that it stands under the character
// meant after Cyrillic, CJK, combining accents or tabs.

#include <doctest/doctest.h>

#include <string>

#include <sanx/diagnostic.hpp>
#include <sanx/engine.hpp>
#include <sanx/tools.hpp>

#include <nlohmann/json.hpp>

#include "golden.hpp"

namespace {

/// A pack with one rule whose `when:` is `when` (line 9, after `        when: "`, 15 columns).
std::string pack_with(const std::string& when) {
    return "pack: p\nauthorities:\n  A: {name: A}\nregimes:\n  - id: r\n"
           "    authority: A\n    rules:\n      - id: x\n        when: \"" +
           when + "\"\n        severity: high\n        cites: [c]\n";
}

/// The rendered load diagnostics of pack_with(when).
std::string lint_when(const std::string& when) {
    golden::Scratch s("diagnostic");
    auto loaded = sanx::Ruleset::load({s.write("p.yaml", pack_with(when))});
    REQUIRE_FALSE(loaded.ruleset);
    return golden::relative(sanx::render(loaded.diagnostics));
}

/// The caret line under the quoted line: `columns` blanks, then `^~~` under `nme`.
std::string caret_at(std::size_t columns) { return "\n  " + std::string(columns, ' ') + "^~~\n"; }

}  // namespace

TEST_SUITE("diagnostics") {
    TEST_CASE("after Cyrillic the caret stands under the field, the column counts bytes") {
        auto out = lint_when("'Банк' == entity.nme");
        CAPTURE(out);
        // 'Банк' is 4 characters in 8 bytes: 15 + 1 + 4 + 1 + 4 + 7 = 32 columns before nme,
        // and nme starts at byte 37 (15 + 1 + 8 + 1 + 4 + 7, plus one).
        CHECK(out.find("p.yaml:9:37: error: an entity has no field 'nme'") != std::string::npos);
        CHECK(out.find("\n          when: \"'Банк' == entity.nme\"" + caret_at(32)) !=
              std::string::npos);
        CHECK(out.find("did you mean 'name'?") != std::string::npos);
    }

    TEST_CASE("after CJK, two columns a character; after a combining accent, none") {
        // 銀行 is 2 characters, 6 bytes, 4 columns wide.
        auto cjk = lint_when("'銀行' == entity.nme");
        CAPTURE(cjk);
        CHECK(cjk.find("p.yaml:9:35:") != std::string::npos);
        CHECK(cjk.find(caret_at(32)) != std::string::npos);
        // И and U+0306 (combining breve) show as one character, Й: 4 bytes, 1 column.
        auto accent = lint_when("'И\u0306' == entity.nme");
        CAPTURE(accent);
        CHECK(accent.find("p.yaml:9:33:") != std::string::npos);
        CHECK(accent.find(caret_at(29)) != std::string::npos);
    }

    TEST_CASE("a tab before the mark is kept as a tab, so the caret follows the terminal's stops") {
        sanx::Diagnostic d;
        d.message = "m";
        d.where = {"<expr>", 1, 4, 1, "\tБ x"};  // the x is at byte 5: tab, 2 bytes, space
        d.where.column = 5;
        auto out = sanx::render(d);
        CHECK(out.find("\n  \tБ x\n  \t  ^\n") != std::string::npos);
    }

    TEST_CASE("SARIF gives the same place in code points, as its columnKind says") {
        golden::Scratch s("diagnostic-sarif");
        auto res = sanx::tools::lint({s.write("p.yaml", pack_with("'Банк' == entity.nme"))});
        auto log = nlohmann::json::parse(sanx::tools::to_sarif(res.diagnostics));
        CHECK(log["runs"][0]["columnKind"] == "unicodeCodePoints");
        nlohmann::json region;
        for (const auto& r : log["runs"][0]["results"])
            if (r["message"]["text"].get<std::string>().find("'nme'") != std::string::npos)
                region = r["locations"][0]["physicalLocation"]["region"];
        REQUIRE(region.is_object());
        // Byte 37 in the text diagnostic; 33 code points (Банк is 4 of them in 8 bytes).
        CHECK(region["startLine"] == 9);
        CHECK(region["startColumn"] == 33);
        CHECK(region["endColumn"] == 36);
    }
}
