#include <doctest/doctest.h>

#include "check/checker.hpp"

using namespace sanx;

namespace {
check::Vocabulary vocab() {
    check::Vocabulary v;
    v.countries = {"KZ", "RU", "BY", "DE"};
    v.blocs = {"EAEU", "EU"};
    v.sectors = {"defense", "banking"};
    v.relations = {"borders", "allied_with"};
    v.authorities = {"OFAC", "EU", "UK"};
    v.sets["chpl_tier1"] = eval::Value(eval::List{eval::Value("854231")});
    return v;
}

check::Issue only_issue(const char* text) {
    auto r = check::compile(text, vocab());
    REQUIRE(r.issues.size() == 1);
    CHECK_FALSE(r.checked);
    return r.issues[0];
}
}  // namespace

TEST_SUITE("check") {
    TEST_CASE("a valid rule checks") {
        auto r = check::compile(
            "entity.country == 'KZ' && member(entity.country, 'EAEU') && "
            "entity.goods.exists(g, hs_match(g, sets.chpl_tier1))",
            vocab());
        CHECK(r.issues.empty());
        REQUIRE(r.checked);
        CHECK(r.checked->slots == 1);
    }

    TEST_CASE("unknown sets are reported at the set name with a suggestion") {
        auto i = only_issue("entity.goods.exists(g, hs_match(g, sets.chpl_tier2))");
        CHECK(i.message == "unknown set 'chpl_tier2'");
        CHECK(i.begin == 40);
        REQUIRE(i.hints.size() == 1);
        CHECK(i.hints[0] == "did you mean 'chpl_tier1'?");
    }

    TEST_CASE("unknown countries, blocs and authorities are errors before evaluation") {
        CHECK(only_issue("member(entity.country, 'EAUE')").message == "unknown bloc 'EAUE'");
        CHECK(only_issue("member('KX', 'EAEU')").message == "unknown country 'KX'");
        CHECK(only_issue("entity.country in ['RU', 'BX']").message == "unknown country 'BX'");
        CHECK(only_issue("listed(entity, 'OFCA')").hints.at(0) == "did you mean 'OFAC'?");
    }

    TEST_CASE("unknown variables and functions, and wrong arity") {
        CHECK(only_issue("entty.country == 'KZ'").hints.at(0) == "did you mean 'entity'?");
        CHECK(only_issue("membr('KZ', 'EAEU')").message == "unknown function 'membr'");
        CHECK(only_issue("member('KZ')").message == "'member' takes 2 arguments, not 1");
        CHECK(only_issue("entity.goods.exists(1, true)").message ==
              "the first argument of 'exists' must be a variable name");
        CHECK(only_issue("c.country == 'RU'").message == "unknown variable 'c'");
    }

    TEST_CASE("literals are decoded and out-of-range numbers rejected") {
        CHECK(only_issue("9223372036854775808 > 1").message ==
              "number literal '9223372036854775808' is out of range");
        CHECK(check::compile("-9223372036854775808 < 0", vocab()).issues.empty());
        CHECK(only_issue("'\\q'").message == "unknown escape '\\q'");
        CHECK(only_issue("date('2024-02-30') < as_of").message ==
              "'2024-02-30' is not a date (YYYY-MM-DD)");
    }

    TEST_CASE("regime is only known inside a regime's rules") {
        CHECK(only_issue("regime.id == 'x'").message ==
              "'regime' is only defined in a regime's rules");
        check::CheckOptions o;
        o.regime = eval::Value(eval::Map{{eval::Value("id"), eval::Value("eo14024")}});
        CHECK(check::compile("regime.id == 'eo14024'", vocab(), o).issues.empty());
    }

    TEST_CASE("declared variables resolve, qualified names longest first") {
        check::CheckOptions o;
        o.variables = {"x", "a.b"};
        auto r = check::compile("x + a.b.c", vocab(), o);
        REQUIRE(r.checked);
        const auto& plus = r.checked->root;
        REQUIRE(plus.kids.size() == 2);
        CHECK(plus.kids[0].op == check::Op::variable);
        CHECK(plus.kids[1].op == check::Op::select);
        CHECK(plus.kids[1].name == "c");
        CHECK(plus.kids[1].kids[0].op == check::Op::variable);
        CHECK(plus.kids[1].kids[0].name == "a.b");
        auto miss = check::compile("xx == 1", vocab(), o);
        REQUIRE(miss.issues.size() == 1);
        CHECK(miss.issues[0].hints.at(0) == "did you mean 'x'?");
    }

    TEST_CASE("type names are values, dyn is not") {
        CHECK(check::compile("type(1) == int && type(int) == type", vocab()).issues.empty());
        CHECK(only_issue("dyn == 1").message == "unknown variable 'dyn'");
    }

    TEST_CASE("deferred name errors turn into evaluation errors only when asked") {
        CHECK(only_issue("f_unknown(1) || true").message == "unknown function 'f_unknown'");
        check::CheckOptions o;
        o.defer_name_errors = true;
        auto r = check::compile("f_unknown(1) || nope || true", vocab(), o);
        CHECK(r.issues.empty());
        CHECK(r.checked);
    }
}
