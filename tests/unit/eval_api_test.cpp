#include <doctest/doctest.h>

#include <sanx/eval.hpp>

namespace {

const sanx::Ruleset& shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return *loaded.ruleset;
}

}  // namespace

TEST_SUITE("eval api") {
    TEST_CASE("an expression over the shipped packs evaluates to a CEL literal") {
        auto r = sanx::evaluate(shipped(), "member(\"KZ\", \"EAEU\") && borders(\"KZ\", \"RU\")");
        REQUIRE(r.kind == sanx::EvalResult::Kind::value);
        CHECK(r.value == "true");
        auto list = sanx::evaluate(shipped(), "[1, 'x'].map(v, string(v))");
        CHECK(list.value == "[\"1\", \"x\"]");
    }

    TEST_CASE("membership follows the evaluation date") {
        sanx::EvalContext ctx;
        ctx.as_of = "2010-01-01";
        CHECK(sanx::evaluate(shipped(), "member('KZ', 'EAEU')", ctx).value == "false");
        ctx.as_of = "not-a-date";
        CHECK(sanx::evaluate(shipped(), "true", ctx).kind == sanx::EvalResult::Kind::error);
    }

    TEST_CASE("check and evaluation errors point into <expr>") {
        auto bad = sanx::evaluate(shipped(), "member('KZ', 'EAUE')");
        REQUIRE(bad.kind == sanx::EvalResult::Kind::error);
        REQUIRE(bad.diagnostics.size() == 1);
        CHECK(bad.diagnostics[0].where.file == "<expr>");
        CHECK(bad.diagnostics[0].where.column == 14);
        CHECK(bad.diagnostics[0].hints.at(0) == "did you mean 'EAEU'?");
        auto div = sanx::evaluate(shipped(), "1 + (2 / 0)");
        REQUIRE(div.kind == sanx::EvalResult::Kind::error);
        CHECK(div.diagnostics.at(0).message == "division by zero");
        CHECK(div.diagnostics.at(0).where.column == 6);
    }

    TEST_CASE("variables are JSON values; a compiled expression evaluates many times") {
        auto c = sanx::Expression::compile(shipped(), "n * 2 + size(xs)", {"n", "xs"});
        REQUIRE(c.expression);
        sanx::EvalContext ctx;
        for (int n : {1, 20}) {
            ctx.variables = {{"n", std::to_string(n)}, {"xs", "[1, {\"a\": 2}]"}};
            CHECK(c.expression->evaluate(ctx).value == std::to_string(n * 2 + 2));
        }
        ctx.variables = {{"n", "{"}, {"xs", "[]"}};
        CHECK(c.expression->evaluate(ctx).kind == sanx::EvalResult::Kind::error);
    }

    TEST_CASE("an entity's absent field is unknown, not false") {
        auto read = shipped().read_text("<test>", R"(entities:
  - id: acme
    type: company
    name: Acme
    country: KZ
)");
        sanx::EvalContext ctx;
        ctx.input = &read.input;
        ctx.entity = "acme";
        auto r = sanx::evaluate(shipped(), "entity.sectors.exists(s, s == 'defense')", ctx);
        REQUIRE(r.kind == sanx::EvalResult::Kind::unknown);
        CHECK(r.missing.at(0) == "entity.sectors");
        CHECK(sanx::evaluate(shipped(), "entity.country", ctx).value == "\"KZ\"");
        ctx.entity = "nobody";
        CHECK(sanx::evaluate(shipped(), "true", ctx).kind == sanx::EvalResult::Kind::error);
    }
}
