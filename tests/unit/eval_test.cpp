#include <doctest/doctest.h>

#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "eval/why_not.hpp"

using namespace sanx;
using eval::Kind;
using eval::Value;

namespace {

/// A tiny world: KZ is in EAEU from 2015; ru-1 is listed by OFAC under RUSSIA-EO14024.
class FakeDomain final : public eval::Domain {
  public:
    explicit FakeDomain(const char* date) { eval::parse_date(date, as_of_); }
    eval::Date as_of() const override { return as_of_; }
    Value member(const std::string& c, const std::string& b, std::string* why) const override {
        eval::Date from;
        eval::parse_date("2015-01-01", from);
        bool yes = c == "KZ" && b == "EAEU" && as_of_.days >= from.days;
        if (yes && why) *why = "KZ is a member of EAEU since 2015-01-01";
        return yes;
    }
    Value blocs(const std::string&) const override { return eval::List{}; }
    Value borders(const std::string& a, const std::string& b, std::string*) const override {
        return (a == "KZ" && b == "RU") || (a == "RU" && b == "KZ");
    }
    Value related(const std::string&, const std::string&, const std::string&,
                  std::string*) const override {
        return false;
    }
    Value listed(const Value& x, const std::string& auth, const std::string& prog,
                 std::string* why) const override {
        const Value* id = x.is(Kind::map) ? x.field("id") : &x;
        bool yes = id && id->is(Kind::string) && id->as_string() == "ru-1" &&
                   (auth.empty() || auth == "OFAC") &&
                   std::string("RUSSIA-EO14024").rfind(prog, 0) == 0;
        if (yes && why) *why = "ru-1 is listed by OFAC SDN RUSSIA-EO14024";
        return yes;
    }
    Value blocked(const Value& x, const std::string& a, std::string* why) const override {
        return listed(x, a, "", why);
    }
    Value blocked_share(const Value&, const std::string&, std::string*) const override {
        return 0.0;
    }
    /// kz-2 is declared, with a Chinese and a Russian counterparty and no sectors.
    Value declared(const Value& x) const override {
        const Value* id = x.is(Kind::map) ? x.field("id") : &x;
        if (!id || !id->is(Kind::string) || id->as_string() != "kz-2") return eval::Null{};
        eval::Map cn{{Value("id"), Value("cn-5")}, {Value("country"), Value("CN")}};
        eval::Map ru{{Value("id"), Value("ru-9")},
                     {Value("name"), Value("Moscow Components LLC")},
                     {Value("country"), Value("RU")}};
        return eval::Map{{Value("id"), Value("kz-2")},
                         {Value("name"), Value("Almaty Resale LLP")},
                         {Value("country"), Value("KZ")},
                         {Value("counterparties"), Value(eval::List{Value(cn), Value(ru)})}};
    }

  private:
    eval::Date as_of_;
};

check::Vocabulary vocab() {
    check::Vocabulary v;
    v.countries = {"KZ", "RU", "BY"};
    v.blocs = {"EAEU"};
    v.authorities = {"OFAC"};
    v.sets["chpl"] = Value(eval::List{Value("854231"), Value("8542")});
    return v;
}

Value bank() {
    eval::Map cp1{{Value("id"), Value("ru-1")}, {Value("country"), Value("RU")}};
    eval::Map cp2{{Value("id"), Value("kz-2")}, {Value("country"), Value("KZ")}};
    eval::Map cp3{{Value("name"), Value("Unnamed trader")},
                  {Value("country"), Value("RU")}};  // no sectors
    return eval::Map{
        {Value("id"), Value("kz-bank")},
        {Value("type"), Value("bank")},
        {Value("country"), Value("KZ")},
        {Value("goods"), Value(eval::List{Value("85423190"), Value("1001")})},
        {Value("counterparties"), Value(eval::List{Value(cp2), Value(cp1), Value(cp3)})}};
}

Value run(const char* text, const char* as_of = "2025-06-01") {
    auto c = check::compile(text, vocab());
    REQUIRE_MESSAGE(c.issues.empty(), (c.issues.empty() ? "" : c.issues[0].message));
    FakeDomain d(as_of);
    Value e = bank();
    eval::Frame f;
    f.entity = &e;
    f.domain = &d;
    return eval::evaluate(*c.checked, f);
}

/// An expression that cannot work: the checker rejects it at load time (its types say so),
/// or its evaluation is an error.
bool rejected(const char* text) {
    if (!check::compile(text, vocab()).issues.empty()) return true;
    return run(text).is_error();
}

bool is_true(const Value& v) { return v.is(Kind::boolean) && v.as_bool(); }
bool is_false(const Value& v) { return v.is(Kind::boolean) && !v.as_bool(); }

}  // namespace

TEST_SUITE("eval") {
    TEST_CASE("arithmetic follows CEL: overflow and division by zero are errors") {
        CHECK(run("1 + 2 * 3 == 7").as_bool());
        CHECK(rejected("9223372036854775807 + 1"));
        CHECK(rejected("-9223372036854775808 - 1"));
        CHECK(rejected("1 / 0"));
        CHECK(rejected("5 % 0"));
        CHECK(rejected("0u - 1u"));
        CHECK(run("7 / 2 == 3 && 7 % 2 == 1").as_bool());
        CHECK(rejected("1 + 1u"));  // no mixed arithmetic
    }

    TEST_CASE("numbers compare across types, strings and lists concatenate") {
        CHECK(is_true(run("1 == 1.0 && 1u < 2 && 2.5 > 2")));
        CHECK(is_true(run("'ab' + 'c' == 'abc'")));
        CHECK(is_true(run("[1, 2] + [3] == [1, 2, 3]")));
        CHECK(is_true(run("{'a': 1} == {'a': 1.0}")));
        CHECK(rejected("'a' < 1"));
    }

    TEST_CASE("&& and || absorb errors and unknowns when the other side decides") {
        CHECK(is_false(run("false && 1 / 0 == 1")));
        CHECK(is_false(run("1 / 0 == 1 && false")));
        CHECK(is_true(run("1 / 0 == 1 || true")));
        CHECK(rejected("true && 1 / 0 == 1"));
        CHECK(is_false(run("entity.sectors.exists(s, s == 'defense') && false")));
    }

    TEST_CASE("an absent entity field is unknown, naming the missing fact") {
        Value v = run("entity.sectors.exists(s, s == 'defense')");
        REQUIRE(v.is_unknown());
        CHECK(v.as_unknown().missing == std::vector<std::string>{"entity.sectors"});
        Value w =
            run("entity.counterparties.exists(c, c.country == 'RU' && c.sectors.exists(s, s == "
                "'defense'))");
        REQUIRE(w.is_unknown());
        CHECK(w.as_unknown().missing ==
              std::vector<std::string>{"entity.counterparties[1].sectors",
                                       "entity.counterparties[2].sectors"});
        CHECK(is_false(run("has(entity.sectors)")));
        CHECK(is_true(run("has(entity.goods)")));
    }

    TEST_CASE("a known answer wins over an unknown element in exists and all") {
        CHECK(
            is_true(run("entity.counterparties.exists(c, listed(c, 'OFAC') || c.sectors.exists(s, "
                        "s == 'x'))")));
        CHECK(is_false(run("entity.counterparties.all(c, c.country == 'RU')")));
    }

    TEST_CASE("macros: map, filter, exists_one") {
        CHECK(is_true(run("entity.counterparties.map(c, c.country) == ['KZ', 'RU', 'RU']")));
        CHECK(is_true(run("entity.counterparties.filter(c, c.country == 'RU').size() == 2")));
        CHECK(is_true(run("entity.counterparties.exists_one(c, c.country == 'KZ')")));
        CHECK(is_true(run("[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]")));
    }

    TEST_CASE("string functions and RE2 matching") {
        CHECK(is_true(
            run("'KZ-123'.startsWith('KZ') && 'abc'.endsWith('bc') && 'abc'.contains('b')")));
        CHECK(is_true(run("'ИНН 1841015504'.matches('\\\\d{10}')")));
        CHECK(rejected("'x'.matches('(')"));
        CHECK(run("size('Қазақстан')").as_int() == 9);
    }

    TEST_CASE("domain functions see the evaluation date") {
        CHECK(is_true(run("member(entity.country, 'EAEU')")));
        CHECK(is_false(run("member(entity.country, 'EAEU')", "2014-12-31")));
        CHECK(is_true(run("as_of >= date('2025-01-01')")));
        CHECK(is_true(run("entity.goods.exists(g, hs_match(g, sets.chpl))")));
        CHECK(is_true(run("entity.counterparties.exists(c, listed(c, 'OFAC', 'RUSSIA-EO14024'))")));
        CHECK(is_false(run("entity.counterparties.exists(c, listed(c, 'OFAC', 'IRAN'))")));
    }

    TEST_CASE("a witness names the element that satisfied exists and the domain reason") {
        const char* text =
            "entity.type == 'bank' && entity.counterparties.exists(c, listed(c, 'OFAC'))";
        auto c = check::compile(text, vocab());
        REQUIRE(c.checked);
        FakeDomain d("2025-06-01");
        Value e = bank();
        eval::Frame f;
        f.entity = &e;
        f.domain = &d;
        auto facts = eval::witness(*c.checked, text, f);
        REQUIRE(facts.size() == 3);
        CHECK(facts[0].expr == "entity.type == 'bank'");
        CHECK(facts[0].seen == "entity.type = 'bank'");
        CHECK(facts[1].seen == "entity.counterparties[1] = ru-1");
        CHECK(facts[2].seen == "ru-1 is listed by OFAC SDN RUSSIA-EO14024");
        CHECK(facts[2].begin == 57);
    }

    TEST_CASE("declared() follows a counterparty to its own counterparties, one hop") {
        CHECK(
            is_true(run("entity.counterparties.exists(c, c.country == 'KZ' && "
                        "declared(c).counterparties.exists(d, d.country == 'RU'))")));
        CHECK(
            is_false(run("entity.counterparties.exists(c, c.country == 'KZ' && "
                         "declared(c).counterparties.exists(d, d.country == 'BY'))")));
        CHECK(is_true(run("declared('kz-2').name == 'Almaty Resale LLP'")));
        CHECK(rejected("declared(1)"));
    }

    TEST_CASE("what declared() cannot follow is unknown, never false") {
        // ru-1 is not declared: nothing is known of its counterparties.
        Value v = run("declared(entity.counterparties[1]).counterparties.exists(d, true)");
        REQUIRE(v.is_unknown());
        CHECK(v.as_unknown().missing == std::vector<std::string>{"declared('ru-1')"});
        Value w = run("entity.counterparties.exists(c, declared(c).country == 'BY')");
        REQUIRE(w.is_unknown());
        CHECK(w.as_unknown().missing ==
              std::vector<std::string>{"declared('ru-1')", "declared(entity.counterparties[2])"});
        // A field the declared entity leaves out is unknown, named by the hop.
        Value s =
            run("entity.counterparties.exists(c, c.country == 'KZ' && "
                "declared(c).sectors.exists(x, x == 'defense'))");
        REQUIRE(s.is_unknown());
        CHECK(s.as_unknown().missing == std::vector<std::string>{"declared('kz-2').sectors"});
    }

    TEST_CASE("a field of declared() is checked as an entity's") {
        auto c = check::compile("declared(entity).countrie == 'KZ'", vocab());
        REQUIRE(c.issues.size() == 1);
        CHECK(c.issues[0].code == "unknown-field");
    }

    TEST_CASE("a witness through declared() names each hop") {
        const char* text =
            "entity.counterparties.exists(c, declared(c).counterparties.exists(d, "
            "d.country == 'RU'))";
        auto c = check::compile(text, vocab());
        REQUIRE(c.checked);
        FakeDomain d("2025-06-01");
        Value e = bank();
        eval::Frame f;
        f.entity = &e;
        f.domain = &d;
        auto facts = eval::witness(*c.checked, text, f);
        std::vector<std::string> seen;
        for (const auto& fact : facts) seen.push_back(fact.seen);
        CHECK(seen == std::vector<std::string>{
                          "entity.counterparties[0] = kz-2",
                          "declared('kz-2').counterparties[1] = ru-9 (Moscow Components LLC)",
                          "declared('kz-2').counterparties[1].country = 'RU'"});
    }

    TEST_CASE("why-not through declared() says what the hop found") {
        const char* text =
            "entity.counterparties.exists(c, c.country == 'KZ' && "
            "declared(c).counterparties.exists(d, d.country == 'BY'))";
        auto c = check::compile(text, vocab());
        REQUIRE(c.checked);
        FakeDomain d("2025-06-01");
        Value e = bank();
        eval::Frame f;
        f.entity = &e;
        f.domain = &d;
        std::string all;
        for (const auto& fact : eval::why_not(*c.checked, text, f)) all += fact.seen + "\n";
        CHECK(all.find("no counterparty of declared('kz-2').counterparties satisfies "
                       "d.country == 'BY': cn-5, ru-9 (Moscow Components LLC)") !=
              std::string::npos);
    }

    TEST_CASE("absent map keys are errors, absent entity fields are unknown") {
        CHECK(rejected("{'a': 1}.b"));
        CHECK(rejected("{'a': 1}['b']"));
        Value v = run("entity.sectors.exists(s, s == 'defense')");
        REQUIRE(v.is_unknown());
        CHECK(v.as_unknown().missing.at(0) == "entity.sectors");
        CHECK(is_false(run("has({'a': 1}.b)")));
        CHECK(is_true(run("has({'a': 1}.a)")));
    }

    TEST_CASE("comparisons across kinds: numbers order, other mixes are errors") {
        CHECK(is_true(run("1 < 1.5 && 2u > 1 && -1 < 0u")));
        CHECK(is_false(run("double('NaN') < 1")));
        CHECK(rejected("'foo' >= 1.0"));
        CHECK(is_true(run("1 == 1.0 && 1u == 1 && [1] == [1.0] && {1: 'a'} == {1u: 'a'}")));
        CHECK(is_true(run("1 in [1.0] && 'a' in {'a': 1}")));
        CHECK(rejected("{'a': 1, 'a': 2}"));
    }

    TEST_CASE("type values compare and print as their names") {
        CHECK(is_true(run("type(1u) == uint && type(b'') == bytes && type(null) == null_type")));
        CHECK(is_true(run("type(type(1)) == type && type([]) != map")));
        CHECK(eval::cel_literal(run("type('x')")) == "string");
    }

    TEST_CASE("conversions keep CEL's ranges and refuse bad text") {
        CHECK(rejected("int(9223372036854775807.0)"));
        CHECK(rejected("uint(-1)"));
        CHECK(rejected("string(b'\\xff')"));
        CHECK(rejected("int('1.5')"));
        CHECK(run("double('inf')").as_double() > 1e308);
        CHECK(run("string(1.5)").as_string() == "1.5");
    }

    TEST_CASE("bound variables are read from the frame") {
        check::CheckOptions o;
        o.variables = {"x", "a.b"};
        auto c = check::compile("x.size() + a.b", vocab(), o);
        REQUIRE(c.checked);
        std::map<std::string, Value, std::less<>> vars{{"x", Value(eval::List{1, 2})},
                                                       {"a.b", Value(40)}};
        eval::Frame f;
        f.variables = &vars;
        CHECK(eval::evaluate(*c.checked, f).as_int() == 42);
        vars.erase("a.b");
        CHECK(eval::evaluate(*c.checked, f).is_error());
    }

    TEST_CASE("without an entity or domain, evaluation errs instead of crashing") {
        auto c = check::compile("entity.country == 'KZ' || member('KZ', 'EAEU')", vocab());
        REQUIRE(c.checked);
        eval::Frame f;
        CHECK(eval::evaluate(*c.checked, f).is_error());
    }

    TEST_CASE("values print as CEL literals that read back the same") {
        using eval::cel_literal;
        CHECK(cel_literal(run("[1, 2u, 1.0, -0.0, 1e100]")) == "[1, 2u, 1.0, -0.0, 1e+100]");
        CHECK(cel_literal(run("{'a': null, 'b': true}")) == "{\"a\": null, \"b\": true}");
        CHECK(cel_literal(run("'say \"hi\"\\n'")) == "\"say \\\"hi\\\"\\n\"");
        CHECK(cel_literal(run("b'\\x00\\xffA'")) == "b\"\\x00\\xffA\"");
        CHECK(cel_literal(run("double('NaN')")) == "double(\"NaN\")");
        CHECK(cel_literal(run("date('2022-02-24')")) == "date(\"2022-02-24\")");
    }

    TEST_CASE("nested comprehensions stop at the step budget with an error") {
        auto c = check::compile(
            "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
            "[1,2,3,4,5,6,7,8,9,10].all(d, a + b + d > 0)))",
            vocab());
        REQUIRE(c.checked);
        eval::Frame f;
        CHECK(is_true(eval::evaluate(*c.checked, f)));
        f.max_steps = 1000;
        Value v = eval::evaluate(*c.checked, f);
        REQUIRE(v.is_error());
        CHECK(v.as_error().message == "evaluation takes more than 1000 steps");
    }
}

TEST_SUITE("eval language") {
    TEST_CASE("doubles print as CEL prints them: 60.0, \"40\", \"-0.0045\"") {
        CHECK(eval::cel_literal(run("60.0")) == "60.0");
        CHECK(eval::cel_literal(run("100.0")) == "100.0");
        CHECK(run("string(40.0)").as_string() == "40");
        CHECK(run("string(-4.5e-3)").as_string() == "-0.0045");
        CHECK(run("string(123456.789)").as_string() == "123456.789");
        CHECK(run("string(1e6)").as_string() == "1e+06");
        CHECK(run("string(2.5e-5)").as_string() == "2.5e-05");
        CHECK(eval::display(run("blocked_share(entity, 'OFAC') + 40.0")).find("e+") ==
              std::string::npos);
    }

    TEST_CASE("a missing fact in a message names itself, not \"(unknown)\"") {
        CHECK(eval::display(Value(eval::Unknown{{"entity.name"}})) == "(entity.name not given)");
    }

    TEST_CASE("cel.bind names a value once; join() lists strings") {
        CHECK(run("cel.bind(ru, entity.counterparties.filter(c, c.country == 'RU'), "
                  "size(ru) == 2 && ru[0].id == 'ru-1')")
                  .as_bool());
        CHECK(run("entity.counterparties.map(c, c.country).join(', ')").as_string() ==
              "KZ, RU, RU");
        CHECK(run("['a', 'b'].join()").as_string() == "ab");
        CHECK(run("cel.bind(x, 1, cel.bind(y, x + 1, x + y))").as_int() == 3);
        // A name bound by cel.bind is known to the checker, with its type.
        auto bad = check::compile("cel.bind(ids, entity.goods, ids > 1)", vocab());
        REQUIRE(bad.issues.size() == 1);
        CHECK(bad.issues[0].code == "type-mismatch");
        CHECK(check::compile("[1, 2].join(',')", vocab()).issues.at(0).message ==
              "the receiver of 'join' must be a list of strings; [1, 2] is a list(int)");
        // What a bound name misses is reported by its path.
        auto undecided =
            run("entity.counterparties.exists(c, cel.bind(s, c.sectors, 'defense' in s))");
        INFO(eval::cel_literal(undecided));
        REQUIRE(undecided.is_unknown());
        CHECK(undecided.as_unknown().missing.at(2) == "entity.counterparties[2].sectors");
    }
}
