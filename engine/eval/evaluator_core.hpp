#pragma once

// The evaluator's core, shared by the files of eval/: the tree walk (evaluator.cpp), the
// builtin functions and conversions (builtins.cpp) and the witness (witness.cpp). Internal:
// nothing outside eval/ includes it.

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "eval/evaluator.hpp"
#include "eval/why_not.hpp"

namespace sanx::eval::core {

using check::Fn;
using check::Macro;
using check::Node;
using check::Op;

inline constexpr int max_depth = 500;

inline Value error_at(const Node& n, std::string msg) {
    return Error{std::move(msg), n.begin, n.end};
}

/// Unknowns win over errors, as in CEL: the answer may still be decided once the fact is known.
inline Value pass_on(const Value& a, const Value& b) {
    if (a.is_unknown() || b.is_unknown()) return merge_unknown(a, b);
    return a.is_error() ? a : b;
}

inline Value no_overload(const Node& n, const std::string& op, const Value& a) {
    return error_at(n, "no such overload: " + op + "(" + type_name(a) + ")");
}
inline Value no_overload(const Node& n, const std::string& op, const Value& a, const Value& b) {
    return error_at(n, "no such overload: " + type_name(a) + " " + op + " " + type_name(b));
}

class Evaluator {
  public:
    /// The index of a binding that is the value itself (cel.bind), not an element.
    static constexpr std::size_t whole = static_cast<std::size_t>(-1);

    /// `text`, when given, names a bound element whose range is not the entity's data by
    /// the range's source text (`['RU', 'BY'][1]`).
    explicit Evaluator(Frame& f, std::string_view text = {}) : f_(f), text_(text) {}

    Value eval(const Node& n);

    /// `entity.counterparties[2]` for data reached from the entity; empty for other values.
    std::string path_of(const Node& n) const;

    /// The path of what macro variable `slot` is bound to.
    std::string path_of_local(std::size_t slot) const;

    std::string domain_why(const Node& n);

    /// A call's value, and a domain function's reason for it in `why`.
    Value call_with_reason(const Node& n, std::string& why) { return call(n, &why); }

    /// Binds macro variable `slot` to element `index` of `range` (whose value is `item`), as
    /// a macro of `range` would: path_of() then names it. Until unbind(slot).
    void bind(std::size_t slot, const Node& range, std::size_t index, const Value& item);
    void unbind(std::size_t slot);

  private:
    Value eval_node(const Node& n);

    Value select(const Node& n);

    Value index(const Node& n);

    Value negate(const Node& n, const Value& v);

    Value logical(const Node& n);

    /// CEL's integer arithmetic on int or uint: overflow and division by zero are errors.
    template <typename T>
    Value integer(const Node& n, const std::string& op, T x, T y) {
        T r{};
        bool overflow = false;
        switch (op[0]) {
            case '+':
                overflow = __builtin_add_overflow(x, y, &r);
                break;
            case '-':
                overflow = __builtin_sub_overflow(x, y, &r);
                break;
            case '*':
                overflow = __builtin_mul_overflow(x, y, &r);
                break;
            case '/':
            case '%':
                if (y == 0) return error_at(n, op == "/" ? "division by zero" : "modulus by zero");
                if constexpr (std::is_signed_v<T>)
                    if (x == std::numeric_limits<T>::min() && y == -1)
                        return error_at(n, "int overflow");
                return op == "/" ? x / y : x % y;
            default:
                return no_overload(n, op, Value(x), Value(y));
        }
        if (overflow) return error_at(n, std::is_signed_v<T> ? "int overflow" : "uint overflow");
        return r;
    }

    Value binary(const Node& n);

    /// `cel.bind(x, value, body)`: the body with x bound to the value, evaluated once. An
    /// unknown or error value is bound as it is: it matters only where the body reads x.
    Value bind_value(const Node& n);

    Value macro(const Node& n);

    Value call(const Node& n, std::string* why);
    Value to_int(const Node& n, const Value& a);
    Value to_uint(const Node& n, const Value& a);
    Value to_double(const Node& n, const Value& a);
    Value to_string(const Node& n, const Value& a);

    /// Appends the path of `n` to `out` and says whether it has one (`out` is then partly
    /// written).
    bool append_path(const Node& n, std::string& out) const;

    /// The id an entity-like map carries, or the string itself.
    static std::string id_text(const Value& x);

    bool append_local_path(std::size_t slot, std::string& out) const;

    struct Binding {
        const Node* range = nullptr;  ///< the macro's range expression, while it runs
        std::size_t index = 0;        ///< the element, or `whole` for cel.bind
    };

    Frame& f_;
    std::string_view text_;
    std::vector<Binding> bound_;  ///< by macro variable slot
};

}  // namespace sanx::eval::core
