// Inputs as they arrive from the field: other encodings, stray bytes, spreadsheet CSV,
// impossible dates, and expressions typed with a Cyrillic keyboard. No record vanishes and
// nothing aborts; every problem is a diagnostic with its place.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include <sanx/engine.hpp>
#include <sanx/eval.hpp>
#include <sanx/report.hpp>

#include "dsl/parse.hpp"

namespace {

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

sanx::Report check(const sanx::Ruleset::ReadResult& read) {
    sanx::CheckOptions o;
    o.as_of = "2025-06-01";
    o.jobs = 1;
    return shipped()->check(read.input, o);
}

sanx::Ruleset::ReadResult read(const std::string& name, const std::string& text,
                               const std::string& encoding = {}) {
    return shipped()->read_text(name, text, sanx::InputFormat::automatic, encoding);
}

/// The diagnostics with this severity whose message holds `part`.
std::vector<sanx::Diagnostic> having(const std::vector<sanx::Diagnostic>& ds, sanx::Severity s,
                                     const std::string& part) {
    std::vector<sanx::Diagnostic> out;
    for (const auto& d : ds)
        if (d.severity == s && d.message.find(part) != std::string::npos) out.push_back(d);
    return out;
}

const std::string cp1251_rows = "id,name,country\na,Alpha,KZ\nb,\xC1\xE5\xEB,KZ\n";  // "Бел"

}  // namespace

TEST_SUITE("input") {
    TEST_CASE("a CSV row that is not UTF-8 is a rejected record in its place, not a lost one") {
        auto r = read("office.csv", cp1251_rows);
        auto rep = check(r);
        REQUIRE(rep.results.size() == 2);
        CHECK_FALSE(rep.results[0].rejected);
        REQUIRE(rep.results[1].rejected);
        CHECK(rep.results[1].entity == "b");
        CHECK(rep.results[1].line == 3);
        CHECK(rep.results[1].rejected->find("byte 0xC1 is not valid UTF-8") != std::string::npos);
        CHECK(rep.summary.rejected == 1);
        auto errors = having(r.diagnostics, sanx::Severity::error, "0xC1");
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].where.line == 3);
        CHECK(errors[0].where.column == 3);
        REQUIRE_FALSE(errors[0].hints.empty());
        CHECK(errors[0].hints[0].find("--encoding cp1251") != std::string::npos);
    }

    TEST_CASE("encoding cp1251 reads a Windows Cyrillic file as UTF-8") {
        SUBCASE("CSV") {
            auto rep = check(read("office.csv", cp1251_rows, "cp1251"));
            REQUIRE(rep.results.size() == 2);
            CHECK_FALSE(rep.results[1].rejected);
            CHECK(rep.results[1].name == "Бел");
        }
        SUBCASE("YAML, with positions in the decoded text") {
            auto r = read("office.yaml",
                          "entities:\n  - {id: a, name: \xC1\xE5\xEB, country: KZX}\n", "CP1251");
            auto rep = check(r);
            REQUIRE(rep.results.size() == 1);
            CHECK(rep.results[0].name == "Бел");
            auto warn = having(r.diagnostics, sanx::Severity::warning, "unknown country");
            REQUIRE(warn.size() == 1);
            CHECK(warn[0].where.line == 2);
            CHECK(warn[0].where.source_line.find("Бел") != std::string::npos);
        }
    }

    TEST_CASE("a byte the named encoding has no character for rejects its record") {
        auto rep = check(read("office.csv", "id,name\na,A\nb,\x98\n", "cp1251"));
        REQUIRE(rep.results.size() == 2);
        CHECK_FALSE(rep.results[0].rejected);
        REQUIRE(rep.results[1].rejected);
        CHECK(rep.results[1].rejected->find("byte 0x98 is not a character in cp1251") !=
              std::string::npos);
    }

    TEST_CASE("an unknown encoding is an error and the file is not read") {
        auto r = read("office.csv", cp1251_rows, "no-such-encoding");
        CHECK(r.input.size() == 0);
        CHECK(having(r.diagnostics, sanx::Severity::error, "unknown encoding 'no-such-encoding'")
                  .size() == 1);
    }

    TEST_CASE("a UTF-8 file read as cp1251 is warned about, as its text may come out garbled") {
        auto r = read("office.csv", "id,name\na,Бел\n", "cp1251");
        CHECK(having(r.diagnostics, sanx::Severity::warning, "valid UTF-8").size() == 1);
        SUBCASE("but not for plain ASCII") {
            CHECK(read("office.csv", "id,name\na,A\n", "cp1251").diagnostics.empty());
        }
        SUBCASE("and utf-8 named as such decodes nothing") {
            CHECK(read("office.csv", "id,name\na,Бел\n", "UTF-8").diagnostics.empty());
        }
    }

    TEST_CASE(
        "invalid UTF-8 in a YAML entity rejects that entity alone; the JSON report stays "
        "valid") {
        auto r = read("e.yaml",
                      "entities:\n  - {id: a, name: \"A\xFF\", country: KZ}\n"
                      "  - {id: b, name: B, country: KZ}\n");
        auto rep = check(r);
        REQUIRE(rep.results.size() == 2);
        REQUIRE(rep.results[0].rejected);
        CHECK(rep.results[0].rejected->find("line 2, column 21") != std::string::npos);
        CHECK_FALSE(rep.results[1].rejected);
        auto doc = nlohmann::json::parse(sanx::to_json(rep));  // throws on invalid UTF-8
        CHECK(doc["summary"]["rejected"] == 1);
    }

    TEST_CASE("invalid UTF-8 in a JSON line rejects that line, at the byte's column") {
        auto r = read("e.jsonl", "{\"id\":\"a\",\"name\":\"\xFF\"}\n{\"id\":\"b\"}\n");
        auto rep = check(r);
        REQUIRE(rep.results.size() == 2);
        REQUIRE(rep.results[0].rejected);
        CHECK(rep.results[0].entity == "a");
        CHECK_FALSE(rep.results[1].rejected);
        auto errors = having(r.diagnostics, sanx::Severity::error, "0xFF");
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].where.column == 19);
    }

    TEST_CASE(
        "invalid UTF-8 outside every record is an error for the file; the records are "
        "still read") {
        auto r = read("e.yaml", "# note \xFF\xFE\nentities:\n  - {id: a, country: KZ}\n");
        auto errors = having(r.diagnostics, sanx::Severity::error, "outside any record");
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].message.find("and 1 more") != std::string::npos);
        CHECK(errors[0].where.line == 1);
        auto rep = check(r);
        REQUIRE(rep.results.size() == 1);
        CHECK_FALSE(rep.results[0].rejected);
    }

    TEST_CASE("a UTF-8 byte order mark is skipped in every format") {
        const std::string bom = "\xEF\xBB\xBF";
        for (auto [name, text] :
             {std::pair<std::string, std::string>{"e.jsonl", "{\"id\":\"a\"}\n"},
              {"e.yaml", "entities:\n  - {id: a}\n"},
              {"e.json", "{\"entities\": [{\"id\": \"a\"}]}"},
              {"e.csv", "id,name\na,A\n"}}) {
            CAPTURE(name);
            auto r = read(name, bom + text);
            CHECK_FALSE(sanx::has_errors(r.diagnostics));
            auto rep = check(r);
            REQUIRE(rep.results.size() == 1);
            CHECK_FALSE(rep.results[0].rejected);
            CHECK(rep.results[0].entity == "a");
        }
    }

    TEST_CASE("a quoted CSV cell over several lines is one record that keeps its first line") {
        auto rep = check(read("x.csv",
                              "id,name,country\r\n"
                              "a,\"Alpha \"\"North\"\"\r\nBranch\",KZ\r\n"
                              "b,Beta,KZ\r\n"));
        REQUIRE(rep.results.size() == 2);
        CHECK(rep.results[0].entity == "a");
        CHECK(rep.results[0].name == "Alpha \"North\"\nBranch");
        CHECK(rep.results[0].line == 2);
        CHECK(rep.results[1].entity == "b");
        CHECK(rep.results[1].line == 4);
    }

    TEST_CASE("a ';'-delimited CSV whose header names 'id' is read with ';'") {
        auto rep = check(read("x.csv", "id;name;country;aliases\na;Alpha, LLP;KZ;\"A1;A2\"\n"));
        REQUIRE(rep.results.size() == 1);
        CHECK_FALSE(rep.results[0].rejected);
        CHECK(rep.results[0].name == "Alpha, LLP");
    }

    TEST_CASE("a CSV header without an 'id' column is one error with a hint, not a row each") {
        SUBCASE("semicolons without an id column") {
            auto r = read("x.csv", "ID;Name\na;A\nb;B\n");
            CHECK(r.input.size() == 0);
            auto errors = having(r.diagnostics, sanx::Severity::error, "no 'id' column");
            REQUIRE(errors.size() == 1);
            CHECK(r.diagnostics.size() == 1);
            REQUIRE_FALSE(errors[0].hints.empty());
            CHECK(errors[0].hints.back().find("';'") != std::string::npos);
        }
        SUBCASE("a column named like id") {
            auto r = read("x.csv", "ID,Name\na,A\n");
            auto errors = having(r.diagnostics, sanx::Severity::error, "no 'id' column");
            REQUIRE(errors.size() == 1);
            REQUIRE_FALSE(errors[0].hints.empty());
            CHECK(errors[0].hints[0] == "is 'ID' the id column? name it 'id'");
        }
    }

    TEST_CASE("a raw OFAC SDN CSV given as input says to import it first") {
        auto r = read("sdn.csv",
                      "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
                      ",-0- ,-0- \r\n");
        CHECK(r.input.size() == 0);
        CHECK(having(r.diagnostics, sanx::Severity::error,
                     "this looks like an OFAC SDN CSV file: run `sanx import ofac-sdn sdn.csv` "
                     "first")
                  .size() == 1);
    }

    TEST_CASE("rows the CSV tokenizer cannot split are rejected records in their place") {
        auto r = read("x.csv",
                      "id,name\n"
                      "a,A\n"
                      "b,\"B\"junk\n"
                      "c,C\n"
                      "d,\"never closed\n"
                      "e,E\n");
        auto rep = check(r);
        REQUIRE(rep.results.size() == 5);
        const char* ids[] = {"a", "b", "c", "d", "e"};
        for (std::size_t i = 0; i < 5; ++i) {
            CAPTURE(i);
            CHECK(rep.results[i].entity == ids[i]);
            CHECK(static_cast<bool>(rep.results[i].rejected) == (i == 1 || i == 3));
        }
        CHECK(rep.summary.rejected == 2);
        CHECK(*rep.results[1].rejected == "text after a closing quote");
        CHECK(*rep.results[3].rejected == "a quoted field is not closed");
        auto junk = having(r.diagnostics, sanx::Severity::error, "closing quote");
        REQUIRE(junk.size() == 1);
        CHECK(junk[0].where.line == 3);
        CHECK(junk[0].where.column == 6);
    }

    TEST_CASE("a share must be a decimal percentage: NaN, infinity and hex are rejected") {
        for (const char* bad : {"nan", "NaN%", "nan(0x1)", "inf", "-inf", "infinity", "0x32",
                                "1e999", " 50", "+50", "50 %", "", "%"}) {
            CAPTURE(bad);
            auto rep =
                check(read("e.jsonl", std::string(R"({"id":"a","owners":[{"id":"x","share":")") +
                                          bad + "\"}]}\n"));
            REQUIRE(rep.results.size() == 1);
            REQUIRE(rep.results[0].rejected);
            CHECK(rep.results[0].rejected->find("'share' must be a percentage") !=
                  std::string::npos);
        }
        for (const char* good : {"50", "50%", "12.5", "0.5%", "100", "5e1", "0"}) {
            CAPTURE(good);
            auto rep =
                check(read("e.jsonl", std::string(R"({"id":"a","owners":[{"id":"x","share":")") +
                                          good + "\"}]}\n"));
            REQUIRE(rep.results.size() == 1);
            CHECK_FALSE(rep.results[0].rejected);
        }
    }

    TEST_CASE("an entity owned 0x32 by an SDN is not read as 50 % owned and cleared") {
        auto rep =
            check(read("e.jsonl", R"({"id":"sdn","listings":[{"authority":"OFAC","list":"SDN"}]})"
                                  "\n"
                                  R"({"id":"kz","owners":[{"id":"sdn","share":"0x32"}]})"
                                  "\n"));
        REQUIRE(rep.results.size() == 2);
        REQUIRE(rep.results[1].rejected);
    }

    TEST_CASE("rejected records carry their file name in JSON and text") {
        auto rep = check(read("office.csv", cp1251_rows));
        REQUIRE(rep.results.size() == 2);
        CHECK(rep.results[1].file == "office.csv");
        auto doc = nlohmann::json::parse(sanx::to_json(rep));
        CHECK(doc["results"][1]["file"] == "office.csv");
        CHECK(doc["results"][1]["line"] == 3);
        CHECK(sanx::to_text(rep.results[1]).find("(office.csv:3)") != std::string::npos);
    }

    TEST_CASE("an input with no records is a warning, not silence") {
        for (auto [name, text] : {std::pair<std::string, std::string>{"e.jsonl", ""},
                                  {"e.jsonl", "\n\n"},
                                  {"e.csv", "id,name\n"},
                                  {"e.yaml", "entities: []\n"}}) {
            CAPTURE(name);
            auto r = read(name, text);
            CHECK(r.input.size() == 0);
            CHECK(having(r.diagnostics, sanx::Severity::warning, "no records read from " + name)
                      .size() == 1);
        }
    }

    TEST_CASE("impossible dates are not dates, in options and in fields alike") {
        for (const char* bad : {"2025-02-30", "2025-13-01", "2023-02-29", "2025-00-10",
                                "2025-04-31", "2025-4-01", "20250401"}) {
            CAPTURE(bad);
            CHECK_FALSE(sanx::is_date(bad));
            auto rep =
                check(read("e.jsonl", std::string(R"({"id":"a","owners":[{"id":"x","from":")") +
                                          bad + "\"}]}\n"));
            REQUIRE(rep.results.size() == 1);
            CHECK(rep.results[0].rejected);
        }
        CHECK(sanx::is_date("2024-02-29"));
        CHECK(sanx::is_date("2025-06-01"));
    }
}

TEST_SUITE("dsl") {
    TEST_CASE("a Cyrillic letter in a name is a syntax error at its place, not an abort") {
        auto r = sanx::dsl::parse_expression("entity.nаme == 'x'");
        REQUIRE(r.issues.size() == 1);
        CHECK(r.issues[0].offset == 8);
        CHECK(r.issues[0].length == 2);
        CHECK(r.issues[0].message.find("unexpected character 'а' (U+0430, a Cyrillic letter)") ==
              0);
    }

    TEST_CASE("a no-break space and a typographic quote are named as such") {
        auto nbsp = sanx::dsl::parse_expression("1\u00a0+ 2");
        REQUIRE(nbsp.issues.size() == 1);
        CHECK(nbsp.issues[0].offset == 1);
        CHECK(nbsp.issues[0].message.find("no-break") != std::string::npos);
        auto quote = sanx::dsl::parse_expression("x == “KZ”");
        REQUIRE(quote.issues.size() == 1);
        CHECK(quote.issues[0].offset == 5);
        CHECK(quote.issues[0].message.find("typographic quote") != std::string::npos);
    }

    TEST_CASE("non-ASCII text in strings, comments and backtick fields parses") {
        for (const char* text : {"entity.name == 'Сбербанк'", "x // проверка\n && y",
                                 "{'имя': 1}.`имя`", "r'''Ş\u00a0'''"}) {
            CAPTURE(text);
            auto r = sanx::dsl::parse_expression(text);
            CHECK(r.issues.empty());
        }
    }

    TEST_CASE("invalid UTF-8 is an issue, also inside a string") {
        for (std::string text : {"'\xff'", "\"a\xc0\xaf\"", "x == \"\xe2\x82", "a\x80"}) {
            CAPTURE(text);
            auto r = sanx::dsl::parse_expression(text);
            REQUIRE(r.issues.size() == 1);
            CHECK(r.issues[0].message.find("is not valid UTF-8") != std::string::npos);
        }
    }

    TEST_CASE("a relation with a non-ASCII word is an issue, not an abort") {
        auto r = sanx::dsl::parse_relation("KZ borders RU, КZ");
        REQUIRE(r.issues.size() == 1);
        CHECK(r.issues[0].offset == 15);
    }

    TEST_CASE("every fuzz corpus input compiles or fails with a diagnostic") {
        namespace fs = std::filesystem;
        std::size_t seen = 0;
        for (const auto& e : fs::directory_iterator(SANX_TEST_DIR "/fuzz/corpus/expression")) {
            std::ifstream f(e.path(), std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(f)), {});
            CAPTURE(e.path().filename().string());
            auto r = sanx::evaluate(*shipped(), text);
            if (r.kind == sanx::EvalResult::Kind::error) CHECK_FALSE(r.diagnostics.empty());
            ++seen;
        }
        CHECK(seen >= 15);
    }

    TEST_CASE("the caret under a line with multi-byte characters stands under its character") {
        sanx::Diagnostic d;
        d.message = "m";
        d.where = {"<expr>", 1, 24, 2, "name == 'Сбер' && nаme"};  // the second а is Cyrillic
        // Column 24 counts bytes; 'Сбер' is 8 bytes but 4 characters, so 19 go before the caret.
        std::string out = sanx::render(d);
        CHECK(out.find("\n  name == 'Сбер' && nаme\n  " + std::string(19, ' ') + "^\n") !=
              std::string::npos);
    }
    TEST_CASE(
        "a JSON document reads as the YAML reader reads it, and a problem is placed exactly") {
        // Clean, it is read with simdjson; with anything to say, by the YAML reader, whose
        // positions are at each value. Both must give the same records.
        const std::string entities =
            R"([{"id": "kz-bank", "type": "bank", "country": "KZ", "sectors": ["banking"],
                "counterparties": [{"id": "ru-plant", "country": "RU", "sectors": ["defense"],
                                    "volume": 1e6}],
                "owners": [{"id": "ru-plant", "share": "60%"}],
                "attributes": {"n": 18446744073709551615, "x": 1.5, "ok": true, "none": null}},
               {"id": "ru-plant", "country": "RU",
                "listings": [{"authority": "OFAC", "list": "SDN", "program": "RUSSIA-EO14024",
                              "from": "2022-04-06"}]}])";
        auto lines = [](const sanx::Report& rep) {
            std::string out;
            for (const auto& r : rep.results) out += sanx::to_json_line(r, rep.provenance);
            return out;
        };
        auto clean = read("e.json", R"({"as_of": "2025-06-01", "entities": )" + entities + "}");
        CHECK(clean.diagnostics.empty());
        auto bare = read("e.json", entities);
        CHECK(bare.diagnostics.empty());
        // An unknown key at the top is warned: the YAML reader reads this one.
        auto warned = read("e.json", R"({"entities": )" + entities + R"(, "note": 1})");
        REQUIRE(warned.diagnostics.size() == 1);
        CHECK(warned.diagnostics[0].message.find("'note'") != std::string::npos);
        const std::string results = lines(check(clean));
        CHECK(results.find(R"("entity":"kz-bank")") != std::string::npos);
        CHECK(results.find(R"("verdict":"blocked")") != std::string::npos);
        CHECK(lines(check(bare)) == results);
        CHECK(lines(check(warned)) == results);
        CHECK(clean.input.as_of() == "2025-06-01");

        // A value the schema does not know is placed at that value, on its own line.
        auto typo = read("e.json",
                         "{\"entities\": [\n  {\"id\": \"a\",\n   \"country\": \"KZ\",\n"
                         "   \"sektors\": [\"banking\"]}\n]}\n");
        auto unknown = having(typo.diagnostics, sanx::Severity::warning, "unknown field 'sektors'");
        REQUIRE(unknown.size() == 1);
        CHECK(unknown[0].where.line == 4);
        CHECK(unknown[0].where.column == 4);
        // A duplicate id is the YAML reader's to say, in place.
        auto twice = read("e.json", R"([{"id": "a"}, {"id": "a"}])");
        CHECK(having(twice.diagnostics, sanx::Severity::error, "duplicate id 'a'").size() == 1);
        // Text after the document is an error, not ignored.
        auto trailing = read("e.json", R"([{"id": "a"}] [{"id": "b"}])");
        CHECK(sanx::has_errors(trailing.diagnostics));
    }

    TEST_CASE("a second YAML document in a file is an error at its start, not dropped unsaid") {
        auto r = read("e.yaml", "- {id: a}\n---\n- {id: b}\n");
        auto second = having(r.diagnostics, sanx::Severity::error, "a second document starts here");
        REQUIRE(second.size() == 1);
        CHECK(second[0].where.line == 3);
        REQUIRE(r.input.size() == 1);  // the first is still read and checked
        // An empty document at the end leaves nothing out.
        auto ended = read("e.yaml", "- {id: a}\n---\n");
        CHECK_FALSE(sanx::has_errors(ended.diagnostics));
    }
}
