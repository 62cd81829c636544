#include <doctest/doctest.h>

#include "check/checker.hpp"

using namespace sanx;

namespace {
check::Vocabulary vocab() {
    check::Vocabulary v;
    v.countries = {"KZ", "RU", "BY", "DE", "AM"};
    v.blocs = {"EAEU", "EU"};
    v.sectors = {"defense", "banking"};
    v.relations = {"borders", "allied_with"};
    v.authorities = {"OFAC", "EU", "UK"};
    v.sets["chpl_tier1"] = eval::Value(eval::List{eval::Value("854231")});
    return v;
}

std::vector<check::Issue> issues(const char* text) { return check::compile(text, vocab()).issues; }

check::Issue only_issue(const char* text) {
    auto r = check::compile(text, vocab());
    REQUIRE_MESSAGE(r.issues.size() == 1, text);
    CHECK_FALSE(r.checked);
    return r.issues[0];
}

std::string type_of(const char* text) {
    auto r = check::compile(text, vocab());
    REQUIRE_MESSAGE(r.checked, text);
    return check::to_string(r.checked->root.type);
}
}  // namespace

TEST_SUITE("check types") {
    TEST_CASE("a typo in a counterparty's field is an error at its position, with a suggestion") {
        const char* text = "entity.counterparties.exists(c, c.contry == 'RU')";
        auto i = only_issue(text);
        CHECK(i.code == "unknown-field");
        CHECK(i.message == "a counterparty has no field 'contry'");
        CHECK(i.begin == 34);
        CHECK(i.hints.at(0) == "did you mean 'country'?");
        // Every level of the schema is known: listings of counterparties, owners, identifiers.
        CHECK(only_issue("entity.counterparties.exists(c, c.listings.exists(l, l.autority == "
                         "'OFAC'))")
                  .message == "a listing has no field 'autority'");
        CHECK(only_issue("entity.owners.exists(o, o.shares > 50.0)").hints.at(0) ==
              "did you mean 'share'?");
        CHECK(only_issue("entity.identifiers.exists(i, i.typ == 'lei')").message ==
              "an identifier has no field 'typ'");
        CHECK(only_issue("declared('x').countrys == []").message ==
              "an entity has no field 'countrys'");
    }

    TEST_CASE("a field no name is close to gets the record's fields listed") {
        // An owner is known by its id; there is no name to offer for 'nam'.
        auto owner = only_issue("entity.owners.exists(o, o.nam == 'x')");
        CHECK(owner.message == "an owner has no field 'nam'");
        REQUIRE(owner.hints.size() == 1);
        CHECK(owner.hints[0] == "an owner has the fields id, share, from, until");
        // Beside a guess among a few fields, the fields too: 'kind' is far from 'id'.
        auto controller = only_issue("entity.controllers.exists(c, c.kind == 'x')");
        CHECK(controller.hints.back() ==
              "a controller has the fields id, basis, with, from, until");
        // The entity's many fields are not listed; its attributes are named instead.
        auto entity = only_issue("entity.xyzzy == 'x'");
        CHECK(entity.hints.back() ==
              "fields outside the schema are read as entity.attributes.xyzzy");
    }

    TEST_CASE("comparing a list with a number is an error, with the size() hint") {
        auto i = only_issue("entity.goods > 5");
        CHECK(i.code == "type-mismatch");
        CHECK(i.message == "'>' does not apply to a list(string) and an int (entity.goods > 5)");
        CHECK(i.hints.at(0) == "to count the elements, write size(entity.goods) > 5");
    }

    TEST_CASE("an equality that can never hold is an error") {
        auto i = only_issue("entity.country == 5");
        CHECK(i.message == "entity.country is a string and 5 is an int: '==' is always false");
        CHECK(only_issue("entity.type != ['bank']").message.find("always true") !=
              std::string::npos);
        // Numbers compare across int, uint and double; null with anything.
        CHECK(issues("entity.owners.exists(o, o.share >= 50)").empty());
        CHECK(issues("1 == 1.0 && 2u == 2 && entity.country != null").empty());
    }

    TEST_CASE("dates compare with dates, and a string gets the date() hint") {
        CHECK(issues("entity.listings.exists(l, l.from <= as_of)").empty());
        auto i = only_issue("entity.listings.exists(l, l.from <= '2022-02-24')");
        CHECK(i.hints.at(0) == "write date('2022-02-24') to compare with a date");
    }

    TEST_CASE("attributes are dyn: anything may be read from them") {
        CHECK(issues("entity.attributes.wind_down == true && "
                     "size(entity.attributes.anything.at.all) > 0")
                  .empty());
        auto i = only_issue("entity.wind_down == true");
        CHECK(i.hints.back() ==
              "fields outside the schema are read as entity.attributes.wind_down");
    }

    TEST_CASE("domain functions take and give their types") {
        auto i = only_issue("member(entity.countries, 'EAEU')");
        CHECK(i.message ==
              "argument 1 of 'member' must be a string; entity.countries is a list(string)");
        CHECK(only_issue("hs_match(entity.goods, sets.chpl_tier1)").begin == 9);
        CHECK(only_issue("blocked_share(entity, 'OFAC') == 'x'").code == "type-mismatch");
        CHECK(issues("blocked_share(entity, 'OFAC') >= 50 && 'EAEU' in blocs(entity.country)")
                  .empty());
        CHECK(only_issue("'EAUE' in blocs(entity.country)").message == "unknown bloc 'EAUE'");
        CHECK(only_issue("entity.name.contains(1)").code == "type-mismatch");
        CHECK(only_issue("!entity.name").message ==
              "the operand of '!' must be a bool; entity.name is a string");
        CHECK(only_issue("entity.goods.exists(g, g)").message ==
              "the condition of 'exists' must be a bool; g is a string");
    }

    TEST_CASE("string literals are checked against the vocabulary the field names") {
        CHECK(only_issue("'KX' in entity.countries").message == "unknown country 'KX'");
        CHECK(only_issue("entity.counterparties.exists(c, c.country == 'RX')").message ==
              "unknown country 'RX'");
        CHECK(only_issue("'defence' in entity.sectors").hints.at(0) == "did you mean 'defense'?");
        CHECK(only_issue("entity.type == 'compnay'").hints.at(0) == "did you mean 'company'?");
        CHECK(only_issue("entity.listings.exists(l, l.measure == 'asset_frezee')").message ==
              "unknown measure 'asset_frezee'");
    }

    TEST_CASE("a mistyped code is offered the code with its first letter: 'KX' is 'KZ'") {
        check::Vocabulary v = vocab();
        v.countries.insert("AX");
        auto r = check::compile("member('KX', 'EAEU')", v);
        REQUIRE(r.issues.size() == 1);
        CHECK(r.issues[0].hints.at(0) == "did you mean 'KZ'?");
    }

    TEST_CASE("expressions have CEL's types") {
        CHECK(type_of("[1]") == "list(int)");
        CHECK(type_of("{'abc': 123}") == "map(string, int)");
        CHECK(type_of("['foo'][0]") == "string");
        CHECK(type_of("[[], [[]], [[[]]], [[[[]]]]]") == "list(list(list(list(list(dyn)))))");
        CHECK(type_of("[[[[[]]]], [], [[[]]]]") == "list(list(list(list(list(dyn)))))");
        CHECK(type_of("([].map(x, x))[0].foo") == "dyn");
        CHECK(type_of("entity.counterparties.map(c, c.sectors)") == "list(list(string))");
        CHECK(type_of("declared('x')") == "entity");
        CHECK(type_of("true ? 1 : 'a'") == "dyn");
    }

    TEST_CASE("without type-checking, type errors are left to evaluation") {
        check::CheckOptions o;
        o.defer_name_errors = true;
        CHECK(check::compile("false && 32", vocab(), o).checked);
        CHECK(only_issue("false && 32").message ==
              "each side of '&&' must be a bool; 32 is an int");
    }
}
