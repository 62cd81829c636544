// Evaluations per second of a typical rule: the expression is parsed and checked once, then
// evaluated again and again against one entity, as Ruleset::check does per record.
//
//   make bench          (Release build, runs every bench/*_bench)

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include <sanx/engine.hpp>
#include <sanx/eval.hpp>

#include "api/access.hpp"
#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "runtime/domain.hpp"

namespace {

// rules/eu.yaml, EU re-exporter rule: set lookups, two nested comprehensions, domain calls.
const std::string typical_rule =
    "!member(entity.country, 'EU') && (entity.country in sets.fincen_bis_transshipment_2022 || "
    "entity.country in sets.central_asia) && entity.counterparties.exists(s, member(s.country, "
    "'EU') && s.goods.exists(g, hs_match(g, sets.eu_annex_xl_common_high_priority))) && "
    "entity.counterparties.exists(b, b.country == 'RU' || b.country == 'BY')";

const std::string simple_rule = "member(entity.country, 'EAEU') && borders(entity.country, 'RU')";

/// The shipped packs and the Kazakhstan sample, loaded once for all benchmarks.
struct World {
    std::shared_ptr<const sanx::Ruleset> rules;
    sanx::Input input;
    const sanx::eval::Value* entity = nullptr;

    World() {
        auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
        if (!loaded.ruleset) throw std::runtime_error("the shipped packs do not load");
        rules = loaded.ruleset;
        auto read = rules->read({SANX_SOURCE_DIR "/samples/kazakhstan/entities.yaml"});
        input = std::move(read.input);
        const auto& data = sanx::detail::Access::data(input);
        entity = data.by_id.at("steppe-commercial-bank");
    }
};

World& world() {
    static World w;
    return w;
}

sanx::check::Checked compile_or_die(const std::string& text) {
    auto& w = world();
    auto c = sanx::check::compile(text, sanx::detail::Access::model(*w.rules).vocab);
    if (!c.checked) throw std::runtime_error("bench rule does not check: " + text);
    return std::move(*c.checked);
}

void evaluate_compiled(benchmark::State& state, const std::string& text) {
    auto& w = world();
    const auto& data = sanx::detail::Access::data(w.input);
    sanx::eval::Date as_of;
    sanx::eval::parse_date("2025-06-01", as_of);
    sanx::detail::PackDomain domain(sanx::detail::Access::model(*w.rules), data, as_of);
    sanx::detail::ownership::Graph graph(data.by_id, as_of);
    domain.compute_ownership(graph);
    sanx::check::Checked checked = compile_or_die(text);
    sanx::eval::Frame frame;
    frame.entity = w.entity;
    frame.domain = &domain;
    for (auto _ : state) {
        sanx::eval::Value v = sanx::eval::evaluate(checked, frame);
        benchmark::DoNotOptimize(v);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_EvaluateTypicalRule(benchmark::State& state) { evaluate_compiled(state, typical_rule); }
void BM_EvaluateSimpleRule(benchmark::State& state) { evaluate_compiled(state, simple_rule); }

// For scale: what evaluation saves by not re-parsing and re-checking.
void BM_CompileTypicalRule(benchmark::State& state) {
    const auto& vocab = sanx::detail::Access::model(*world().rules).vocab;
    for (auto _ : state) {
        auto c = sanx::check::compile(typical_rule, vocab);
        benchmark::DoNotOptimize(c);
    }
    state.SetItemsProcessed(state.iterations());
}

// The public API per call, which also sets up the domain (ownership fixpoint) each time.
void BM_PublicExpressionEvaluate(benchmark::State& state) {
    auto& w = world();
    auto compiled = sanx::Expression::compile(*w.rules, typical_rule);
    if (!compiled.expression) throw std::runtime_error("bench rule does not compile");
    sanx::EvalContext ctx;
    ctx.as_of = "2025-06-01";
    ctx.input = &w.input;
    ctx.entity = "steppe-commercial-bank";
    for (auto _ : state) {
        auto r = compiled.expression->evaluate(ctx);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_EvaluateTypicalRule);
BENCHMARK(BM_EvaluateSimpleRule);
BENCHMARK(BM_CompileTypicalRule);
BENCHMARK(BM_PublicExpressionEvaluate);

}  // namespace

BENCHMARK_MAIN();
