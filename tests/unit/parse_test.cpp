#include <doctest/doctest.h>

#include "dsl/parse.hpp"

using sanx::dsl::parse_expression;
using sanx::dsl::parse_relation;

TEST_SUITE("dsl") {
    TEST_CASE("well-formed expressions parse and cover the whole text") {
        for (const char* text :
             {"1 + 2 * 3", "a ? b : c ? d : e", "entity.country in ['RU', 'BY']",
              "x.exists(c, c.goods.all(g, hs_match(g, sets.chpl)))", "{'a': 1, 2: [1, 2,],}",
              "r'\\d+' + b\"x\" + '''a'b'''", "1.5e3 + .5 + 0x1Fu + 3u", "!!true && -(-1) == 1",
              "a // comment\n && b", "f()", ".x.y"}) {
            CAPTURE(text);
            auto r = parse_expression(text);
            CHECK(r.issues.empty());
            CHECK(r.tree.end == std::string_view(text).size());
        }
    }

    TEST_CASE("syntax errors say what was expected and where") {
        struct Case {
            const char* text;
            std::size_t offset;
            const char* message;
        };
        for (const Case& c :
             {Case{"f(1,)", 3, "expected ')'"}, Case{"(1 + ", 4, "expected expression"},
              Case{"1 +* 2", 3, "expected expression"},
              Case{"'abc", 0, "this string is not closed: no ' after it on its line"},
              Case{"x == 'abc &&\n y", 5, "this string is not closed: no ' after it on its line"},
              Case{"'''abc", 0, "this string is not closed: no ''' after it"},
              Case{"x.in", 2, "expected field name"},
              Case{"m.`a.b", 6, "expected closing backtick (`)"},
              Case{"a !b", 2, "unexpected '!b'; expected an operator or the end"},
              Case{"", 0, "expected an expression"}}) {
            CAPTURE(c.text);
            auto r = parse_expression(c.text);
            REQUIRE(r.issues.size() == 1);
            CHECK(r.issues[0].offset == c.offset);
            CHECK(r.issues[0].message == c.message);
        }
    }

    TEST_CASE("deep nesting is an issue, not a stack overflow") {
        std::string deep(100000, '(');
        auto r = parse_expression(deep);
        REQUIRE_FALSE(r.issues.empty());
        CHECK(r.issues[0].message.find("nests deeper") != std::string::npos);
    }

    TEST_CASE("relation statements keep every word and its position") {
        auto r = parse_relation("KZ allied_with RU via EAEU, CSTO, CIS since 2015-01-01");
        REQUIRE(r.issues.empty());
        CHECK(r.tree.subject.text == "KZ");
        CHECK(r.tree.relation.text == "allied_with");
        REQUIRE(r.tree.objects.size() == 1);
        CHECK(r.tree.via.size() == 3);
        CHECK(r.tree.via[2].text == "CIS");
        CHECK(r.tree.via[2].begin == 34);
        REQUIRE(static_cast<bool>(r.tree.since));
        CHECK(r.tree.since->text == "2015-01-01");
    }

    TEST_CASE("a relation without objects is an error at the end") {
        auto r = parse_relation("KZ borders");
        REQUIRE(r.issues.size() == 1);
        CHECK(r.issues[0].offset == 10);
        CHECK(r.issues[0].message == "expected country or bloc");
    }

    TEST_CASE("brackets cannot hide from the nesting limit inside what only looks like a string") {
        // A raw string ends at its quote even after a backslash; a comment's quote opens
        // nothing. Either way the brackets that follow are real and must be counted.
        for (std::string head : {"r'\\' + ", "// it's\n", "a.`x'` + "}) {
            CAPTURE(head);
            auto r = parse_expression(head + std::string(5000, '('));
            REQUIRE(r.issues.size() == 1);
            CHECK(r.issues[0].message == "expression nests deeper than 200 levels");
        }
        CHECK(parse_expression("'((((' + \"[[[[\" + '''{{{'''").issues.empty());
    }

    TEST_CASE("a long chain of conditionals is refused, not recursed into") {
        std::string text = "true";
        for (int i = 0; i < 2000; ++i) text += " ? 1 : true";
        auto r = parse_expression(text);
        REQUIRE_FALSE(r.issues.empty());
        CHECK(r.issues[0].message == "expression nests deeper than 200 levels");
    }

    TEST_CASE("fields after a dot may be reserved words or backtick-quoted") {
        for (const char* text : {"m.as", "m.while(1)", "m.`foo.txt`", "has(m.`a/b`)"}) {
            CAPTURE(text);
            CHECK(parse_expression(text).issues.empty());
        }
    }
}
