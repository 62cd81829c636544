#pragma once

// Evaluating one expression of the rule language (PRODUCT.md section 5) against loaded packs:
// what `sanx eval` does. Compile once, evaluate many times; evaluation does not re-parse.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sanx/diagnostic.hpp>
#include <sanx/engine.hpp>

namespace sanx {

namespace detail {
struct CompiledExpression;
}

/// What an evaluation produced.
struct EvalResult {
    enum class Kind {
        value,    ///< `value` holds the result
        unknown,  ///< the input lacks facts the answer depends on; see `missing`
        error     ///< `diagnostics` says what went wrong and where
    };
    Kind kind = Kind::error;
    std::string value;                    ///< the result as a CEL literal: `true`, `"x"`, `[1, 2]`
    std::vector<std::string> missing;     ///< for unknown: paths such as `entity.sectors`
    std::vector<Diagnostic> diagnostics;  ///< for error: positions in the file "<expr>"
};

/// Where an evaluation happens: the date, the entity, the variables' values.
struct EvalContext {
    std::optional<std::string> as_of;  ///< YYYY-MM-DD; default: the input's as_of, else today
    const Input* input = nullptr;      ///< documents the entity and `listed()` lookups come from
    std::string entity;                ///< id of the record in `input` bound to `entity`
    /// Values of the variables declared at compile time, as JSON text (`"KZ"`, `[1, 2]`).
    std::map<std::string, std::string> variables;
};

/// An expression checked against a ruleset's vocabulary (sets, countries, blocs, ...).
/// Immutable once compiled; evaluate() may be called from several threads at once.
class Expression {
  public:
    struct CompileResult {
        std::shared_ptr<const Expression> expression;  ///< null when there were errors
        std::vector<Diagnostic> diagnostics;           ///< positions in the file "<expr>"
    };

    /// Parses and checks `text`; `variables` are the extra names it may use (`--var`).
    /// The ruleset must outlive the expression.
    static CompileResult compile(const Ruleset& rules, const std::string& text,
                                 const std::vector<std::string>& variables = {});

    /// Evaluates against the ruleset it was compiled with. Never throws.
    EvalResult evaluate(const EvalContext& context = {}) const;

    /// The expression's source text.
    const std::string& text() const;

    ~Expression();

  private:
    explicit Expression(
        std::shared_ptr<const detail::CompiledExpression> compiled);  // by compile()
    std::shared_ptr<const detail::CompiledExpression> compiled_;
};

/// Compiles and evaluates in one step, as `sanx eval` does; compile errors come back as an
/// error result.
EvalResult evaluate(const Ruleset& rules, const std::string& text, const EvalContext& context = {});

}  // namespace sanx
