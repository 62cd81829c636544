// The public Expression API (include/sanx/eval.hpp): compile against a ruleset's vocabulary,
// evaluate with the packs' domain functions. No exception leaves these functions.

#include <sanx/eval.hpp>

#include <exception>
#include <new>

#include <nlohmann/json.hpp>

#include "api/access.hpp"
#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "runtime/session.hpp"
#include "source/source.hpp"

namespace sanx {

namespace detail {

struct CompiledExpression {
    const Ruleset* rules = nullptr;
    std::string text;
    check::Checked checked;
};

}  // namespace detail

namespace {

using eval::Kind;
using eval::Value;

constexpr const char* expr_file = "<expr>";

Diagnostic diagnostic_at(const std::string& text, std::size_t begin, std::size_t end,
                         std::string code, std::string message,
                         std::vector<std::string> hints = {}) {
    source::Source src(expr_file, text);
    if (begin > text.size()) begin = text.size();
    std::size_t length = end > begin ? end - begin : 1;
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.where = src.locate(begin, length);
    d.hints = std::move(hints);
    return d;
}

/// A diagnostic about the evaluation as a whole rather than a place in the expression.
EvalResult failure(std::string code, std::string message) {
    EvalResult r;
    r.kind = EvalResult::Kind::error;
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.where.file = expr_file;
    r.diagnostics.push_back(std::move(d));
    return r;
}

Value from_json(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::null:
            return eval::Null{};
        case nlohmann::json::value_t::boolean:
            return j.get<bool>();
        case nlohmann::json::value_t::number_integer:
            return j.get<std::int64_t>();
        case nlohmann::json::value_t::number_unsigned: {
            auto u = j.get<std::uint64_t>();
            // JSON has no unsigned type: small numbers are ints, as CEL reads JSON.
            if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
            return u;
        }
        case nlohmann::json::value_t::number_float:
            return j.get<double>();
        case nlohmann::json::value_t::string:
            return j.get<std::string>();
        case nlohmann::json::value_t::array: {
            eval::List l;
            for (const auto& e : j) l.push_back(from_json(e));
            return l;
        }
        case nlohmann::json::value_t::object: {
            eval::Map m;
            for (const auto& [k, v] : j.items()) m.emplace_back(Value(k), from_json(v));
            return m;
        }
        default:
            return eval::Error{"unsupported JSON value"};
    }
}

EvalResult run(const detail::CompiledExpression& c, const EvalContext& ctx) {
    const detail::Model& model = detail::Access::model(*c.rules);
    static const detail::InputData no_input;
    const detail::InputData& in = ctx.input ? detail::Access::data(*ctx.input) : no_input;

    Diagnostic why;
    auto session = detail::Session::open(model, in, ctx.as_of, &why);
    if (!session) return failure("bad-date", why.message);

    const Value* entity = nullptr;
    if (!ctx.entity.empty()) {
        auto it = in.by_id.find(ctx.entity);
        if (it == in.by_id.end())
            return failure("unknown-entity", "the input has no entity '" + ctx.entity + "'");
        entity = it->second;
    }

    std::map<std::string, Value, std::less<>> vars;
    for (const auto& [name, text] : ctx.variables) {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded())
            return failure("bad-variable", "the value of '" + name + "' is not JSON: " + text);
        vars[name] = from_json(j);
    }

    eval::Frame frame;
    frame.entity = entity;
    frame.domain = &session->domain();
    frame.variables = &vars;
    Value v = eval::evaluate(c.checked, frame);

    EvalResult r;
    if (v.is_unknown()) {
        r.kind = EvalResult::Kind::unknown;
        r.missing = v.as_unknown().missing;
    } else if (v.is_error()) {
        const auto& e = v.as_error();
        r.kind = EvalResult::Kind::error;
        std::size_t begin = e.begin, end = e.end;
        if (end <= begin) end = c.text.size();  // no position: the whole expression
        r.diagnostics.push_back(diagnostic_at(c.text, begin, end, "eval", e.message));
    } else {
        r.kind = EvalResult::Kind::value;
        r.value = eval::cel_literal(v);
    }
    return r;
}

}  // namespace

Expression::Expression(std::shared_ptr<const detail::CompiledExpression> compiled)
    : compiled_(std::move(compiled)) {}
Expression::~Expression() = default;

const std::string& Expression::text() const { return compiled_->text; }

Expression::CompileResult Expression::compile(const Ruleset& rules, const std::string& text,
                                              const std::vector<std::string>& variables) {
    CompileResult out;
    try {
        check::CheckOptions opts;
        opts.variables.insert(variables.begin(), variables.end());
        auto res = check::compile(text, detail::Access::model(rules).vocab, opts);
        for (auto& i : res.issues)
            out.diagnostics.push_back(diagnostic_at(text, i.begin, i.end, std::move(i.code),
                                                    std::move(i.message), std::move(i.hints)));
        if (res.checked) {
            auto c = std::make_shared<detail::CompiledExpression>();
            c->rules = &rules;
            c->text = text;
            c->checked = std::move(*res.checked);
            out.expression = std::shared_ptr<const Expression>(new Expression(std::move(c)));
        }
    } catch (const std::exception& e) {
        out.expression.reset();
        out.diagnostics =
            failure("internal", std::string("internal error: ") + e.what()).diagnostics;
    }
    return out;
}

EvalResult Expression::evaluate(const EvalContext& context) const {
    try {
        return run(*compiled_, context);
    } catch (const std::exception& e) {
        return failure("internal", std::string("internal error: ") + e.what());
    }
}

EvalResult evaluate(const Ruleset& rules, const std::string& text, const EvalContext& context) {
    std::vector<std::string> names;
    for (const auto& kv : context.variables) names.push_back(kv.first);
    auto compiled = Expression::compile(rules, text, names);
    if (!compiled.expression) {
        EvalResult r;
        r.kind = EvalResult::Kind::error;
        r.diagnostics = std::move(compiled.diagnostics);
        return r;
    }
    return compiled.expression->evaluate(context);
}

}  // namespace sanx
