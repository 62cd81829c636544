// The kinds the typed checker assumes the reader gives (check/types.cpp): an identifier's type
// and value are strings and a counterparty's volume a double, however the input spells them,
// so that what a rule was checked for also holds at run time.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <sanx/engine.hpp>
#include <sanx/eval.hpp>

#include "golden.hpp"

namespace {

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

/// `expr` evaluated for the entity `a` of the input `text` (named `name`, which gives its
/// format): the CEL literal, or what went wrong.
std::string eval_on(const std::string& name, const std::string& text, const std::string& expr) {
    auto read = shipped()->read_text(name, text);
    sanx::EvalContext ctx;
    ctx.input = &read.input;
    ctx.entity = "a";
    ctx.as_of = "2025-06-01";
    auto r = sanx::evaluate(*shipped(), expr, ctx);
    if (r.kind == sanx::EvalResult::Kind::value) return r.value;
    std::string why = r.kind == sanx::EvalResult::Kind::unknown ? "unknown" : "error";
    for (const auto& d : r.diagnostics) why += ": " + d.message;
    for (const auto& d : read.diagnostics) why += "; " + d.message;
    return why;
}

sanx::Ruleset::ReadResult read_one(const std::string& name, const std::string& text) {
    auto read = shipped()->read_text(name, text);
    REQUIRE(read.input.size() == 1);
    return read;
}

const sanx::Diagnostic* error_in(const sanx::Ruleset::ReadResult& read) {
    for (const auto& d : read.diagnostics)
        if (d.severity == sanx::Severity::error) return &d;
    return nullptr;
}

}  // namespace

TEST_SUITE("input kinds") {
    TEST_CASE(
        "an identifier value written as a number is the string of its digits, in YAML and "
        "JSON alike") {
        const std::string rule =
            "entity.identifiers[0].value.startsWith('18') && "
            "entity.identifiers[0].value == '1841015504' && "
            "entity.counterparties[0].identifiers[0].value == '01234567890123456789'";
        for (
            auto [name, text] : std::vector<std::pair<std::string, std::string>>{
                {"e.yaml",
                 "entities:\n  - id: a\n    identifiers: [{type: tax_id, value: 1841015504}]\n"
                 "    counterparties: [{identifiers: [{type: ogrn, value: "
                 "01234567890123456789}]}]\n"},
                {"e.yaml",
                 "entities:\n  - id: a\n    identifiers: [{type: tax_id, value: '1841015504'}]\n"
                 "    counterparties: [{identifiers: [{type: ogrn, value: "
                 "'01234567890123456789'}]}]\n"},
                {"e.json",
                 R"({"entities":[{"id":"a","identifiers":[{"type":"tax_id","value":1841015504}],)"
                 R"("counterparties":[{"identifiers":[{"type":"ogrn","value":"01234567890123456789"}]}]}]})"},
                {"e.jsonl",
                 R"({"id":"a","identifiers":[{"type":"tax_id","value":1841015504}],)"
                 R"("counterparties":[{"identifiers":[{"type":"ogrn","value":"01234567890123456789"}]}]})"
                 "\n"},
            }) {
            CAPTURE(name);
            CAPTURE(text);
            CHECK(eval_on(name, text, rule) == "true");
        }
        // A whole number past 2^63 keeps its digits too.
        CHECK(eval_on("e.jsonl",
                      R"({"id":"a","identifiers":[{"type":"imo","value":18446744073709551615}]})"
                      "\n",
                      "entity.identifiers[0].value") == "\"18446744073709551615\"");
    }

    TEST_CASE("a volume written as a whole number is a double, so arithmetic on it runs") {
        for (auto [name, text] : std::vector<std::pair<std::string, std::string>>{
                 {"e.yaml", "entities:\n  - {id: a, counterparties: [{id: x, volume: 1000000}]}\n"},
                 {"e.yaml", "entities:\n  - {id: a, counterparties: [{id: x, volume: '1e6'}]}\n"},
                 {"e.jsonl", R"({"id":"a","counterparties":[{"id":"x","volume":1000000}]})"
                             "\n"},
                 {"e.jsonl", R"({"id":"a","counterparties":[{"id":"x","volume":1e6}]})"
                             "\n"},
                 {"e.jsonl", R"({"id":"a","counterparties":[{"id":"x","volume":"1000000"}]})"
                             "\n"},
             }) {
            CAPTURE(name);
            CAPTURE(text);
            CHECK(eval_on(name, text, "entity.counterparties[0].volume * 1.5 == 1500000.0") ==
                  "true");
        }
    }

    TEST_CASE("an identifier value of an impossible kind rejects its record at the value") {
        auto read = read_one("e.yaml",
                             "entities:\n  - id: a\n    identifiers: [{type: tax_id, value: {x: "
                             "1}}]\n");
        const sanx::Diagnostic* d = error_in(read);
        REQUIRE(d);
        CHECK(d->message == "'value' must be a string; record not evaluated");
        CHECK(d->where.line == 3);
        CHECK(d->where.column == 41);
        auto rep = shipped()->check(read.input, {});
        REQUIRE(rep.results.size() == 1);
        CHECK(rep.results[0].rejected);
    }

    TEST_CASE(
        "an identifier given as a JSON number with a fraction or exponent is rejected, "
        "never rounded to another party's number") {
        // 1.84102E+09 is how a spreadsheet shows 1841015504: read as 1841020000 it would name
        // some other company.
        for (const char* value : {"1.84102E+09", "1841015504.0", "1.841015504e9"}) {
            CAPTURE(value);
            auto read = read_one(
                "e.jsonl", std::string(R"({"id":"a","identifiers":[{"type":"tax_id","value":)") +
                               value + "}]}\n");
            const sanx::Diagnostic* d = error_in(read);
            REQUIRE(d);
            CHECK(d->message.find("write it in quotes") != std::string::npos);
            CHECK(d->where.line == 1);
        }
    }

    TEST_CASE(
        "a volume that is not a number, or an identifier that is not a mapping, rejects "
        "its record") {
        for (auto [text, message] : std::vector<std::pair<std::string, std::string>>{
                 {R"({"id":"a","counterparties":[{"volume":"1,000,000"}]})",
                  "'volume' must be a number, not '1,000,000'"},
                 {R"({"id":"a","counterparties":[{"volume":[1]}]})", "'volume' must be a number"},
                 {R"({"id":"a","identifiers":["1841015504"]})", "an identifier must be a mapping"},
             }) {
            CAPTURE(text);
            auto read = read_one("e.jsonl", text + "\n");
            const sanx::Diagnostic* d = error_in(read);
            REQUIRE(d);
            CHECK(d->message == message + "; record not evaluated");
        }
    }

    TEST_CASE("a numeric identifier ties a declared party to the list entry with that identifier") {
        golden::Scratch s("input-kinds");
        const std::string list = s.write(
            "list.jsonl",
            R"({"id":"ru-plant","name":"Plant","identifiers":[{"type":"tax_id","value":"1841015504"}],)"
            R"("listings":[{"authority":"OFAC","list":"SDN"}]})"
            "\n"
            R"({"id":"ru-other","name":"Other","attributes":{"identifiers":[{"type":"inn","value":7707083893}]},)"
            R"("listings":[{"authority":"OFAC","list":"SDN"}]})"
            "\n");
        const std::string input =
            s.write("input.yaml",
                    "entities:\n"
                    "  - {id: a, identifiers: [{type: tax_id, value: 1841015504}]}\n"
                    "  - {id: b, identifiers: [{type: inn, value: 7707083893}]}\n");
        auto read = shipped()->read({input}, {list});
        sanx::CheckOptions o;
        o.as_of = "2025-06-01";
        auto rep = shipped()->check(read.input, o);
        REQUIRE(rep.results.size() == 2);
        for (const auto& r : rep.results) {
            CAPTURE(r.entity);
            CHECK(r.verdict == sanx::Verdict::blocked);
        }
    }
}
