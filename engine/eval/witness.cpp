// Witnesses: the facts that make a condition true, with their paths and values.

#include "eval/evaluator_core.hpp"

namespace sanx::eval {

namespace {

using check::Macro;
using check::Node;
using check::Op;
using core::Evaluator;

std::string node_text(std::string_view text, const Node& n) {
    if (n.end <= n.begin || n.end > text.size()) return n.name;
    return std::string(text.substr(n.begin, n.end - n.begin));
}

/// A short description of a list element, for "which one" in a witness.
std::string element_summary(const Value& v) {
    std::string named = id_and_name(v);
    return named.empty() ? literal_text(v) : named;
}

/// The facts that make a condition true, found in one walk: each node is evaluated once,
/// and what a branch that turns out false said is taken back. (Walking the tree once per
/// question, "is it true?" then "why?", cost more than the evaluation itself.)
class Witness {
  public:
    Witness(std::string_view text, Frame& f, const Choices* choices)
        : text_(text), f_(f), ev_(f, text), choices_(choices) {}

    /// Appends the facts that make `n` true and says true; leaves `out` as it was and says
    /// false when `n` is not true. `known`: the evaluation already found `n` true here.
    bool explain(const Node& n, std::vector<Fact>& out, bool known = false) {
        const std::size_t mark = out.size();
        if (explain_node(n, out, known)) return true;
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(mark), out.end());
        return false;
    }

  private:
    bool explain_node(const Node& n, std::vector<Fact>& out, bool known) {
        switch (n.op) {
            case Op::and_:  // true only when both sides are
                return explain(n.kids[0], out, known) && explain(n.kids[1], out, known);
            case Op::or_:  // the branch that held
                if (auto held = choice(n, known); held && *held < n.kids.size())
                    return explain(n.kids[*held], out, true);
                for (const auto& k : n.kids)
                    if (explain(k, out)) return true;
                return false;
            case Op::cond: {
                Value c = ev_.eval(n.kids[0]);
                if (!c.is(Kind::boolean)) return false;
                if (c.as_bool() && !explain(n.kids[0], out)) return false;
                return explain(n.kids[c.as_bool() ? 1 : 2], out);
            }
            case Op::macro:
                if (n.macro == Macro::exists ||
                    (n.macro == Macro::exists_one && is_true(n)))  // exactly one holds
                    return explain_exists(n, out, known);
                if (n.macro == Macro::bind) {  // the body, with the name bound as it was
                    auto slot = static_cast<std::size_t>(n.slot);
                    ev_.bind(slot, n.kids[0], Evaluator::whole, ev_.eval(n.kids[0]));
                    bool held = explain(n.kids[1], out, known);
                    ev_.unbind(slot);
                    return held;
                }
                break;
            default:
                break;
        }
        return leaf(n, out, known);
    }

    /// What the evaluation chose at `n`: the element that satisfied an `exists`, the side of
    /// an `||` that held. Only for a node on the path the evaluation found true (`known`):
    /// its last evaluation was the one under the bindings the witness has now.
    std::optional<std::size_t> choice(const Node& n, bool known) const {
        if (!known || !choices_) return std::nullopt;
        for (auto it = choices_->rbegin(); it != choices_->rend(); ++it)
            if (it->first == &n) return it->second;
        return std::nullopt;
    }

    bool is_true(const Node& n) {
        Value v = ev_.eval(n);
        return v.is(Kind::boolean) && v.as_bool();
    }

    /// The first element that satisfies the body, and the body's facts for it. On the path
    /// the evaluation found true, it said which element that is.
    bool explain_exists(const Node& n, std::vector<Fact>& out, bool known) {
        Value range = ev_.eval(n.kids[0]);
        if (!range.is(Kind::list) && !range.is(Kind::map)) return false;
        List keys;
        if (range.is(Kind::map))
            for (const auto& kv : range.as_map()) keys.push_back(kv.first);
        const List& items = range.is(Kind::list) ? range.as_list() : keys;
        const auto held = choice(n, known);
        const std::size_t start = held && *held < items.size() ? *held : 0;
        const auto slot = static_cast<std::size_t>(n.slot);
        struct Unbind {
            Evaluator& ev;
            std::size_t slot;
            ~Unbind() { ev.unbind(slot); }
        } unbind{ev_, slot};
        for (std::size_t i = start; i < items.size(); ++i) {
            ev_.bind(slot, n.kids[0], i, items[i]);
            const std::size_t first = out.size();
            if (!explain(n.kids[1], out, held && i == *held)) continue;
            const std::string path = ev_.path_of_local(slot);
            Fact element{n.begin, n.end, node_text(text_, n),
                         path + " = " + element_summary(items[i])};
            // The element said again with more (`entity.sectors[0] = 'oil_gas', in sets.X`):
            // once is enough.
            const bool said = std::any_of(
                out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                [&](const Fact& fact) { return fact.seen.rfind(element.seen, 0) == 0; });
            if (!said)
                out.insert(out.begin() + static_cast<std::ptrdiff_t>(first), std::move(element));
            // An element shown whole (it has no id or name) already says what its fields
            // are: facts that only repeat one of them go.
            const Value& x = items[i];
            if (!said && x.is(Kind::map) && !x.field("id") && !x.field("name"))
                out.erase(
                    std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(first) + 1, out.end(),
                                   [&](const Fact& fact) {
                                       return fact.seen.rfind(path + ".", 0) == 0 &&
                                              fact.seen.find(';') == std::string::npos;
                                   }),
                    out.end());
            return true;
        }
        return false;
    }

    bool leaf(const Node& n, std::vector<Fact>& out, bool known) {
        Fact f{n.begin, n.end, {}, {}};
        if (n.op == Op::call) {
            std::string why;  // a domain function says why in the same call
            Value v = ev_.call_with_reason(n, why);
            if (!v.is(Kind::boolean) || !v.as_bool()) return false;
            if (!why.empty()) {
                f.expr = node_text(text_, n);
                f.seen = std::move(why);
                out.push_back(std::move(f));
                return true;
            }
        } else if (!known && !is_true(n)) {
            return false;
        }
        std::string seen;
        collect_operands(n, seen);
        // Sets and negated domain functions say what they found, not only the operands.
        const Node& inner = n.op == Op::not_ ? n.kids[0] : n;
        if (inner.op == Op::binary && inner.name == "in" && inner.kids[1].op == Op::literal &&
            inner.kids[1].name.rfind("sets.", 0) == 0) {
            seen += std::string(n.op == Op::not_ ? ", not in " : ", in ") + inner.kids[1].name;
        } else if (n.op == Op::not_) {
            std::string no = negative_reason(n.kids[0], f_);
            if (!no.empty())
                seen = seen.empty() ? no : seen + "; " + no;
            else if (seen.empty())
                seen = node_text(text_, n.kids[0]) + " is false";
        }
        f.expr = node_text(text_, n);
        f.seen = seen.empty() ? "true" : std::move(seen);
        out.push_back(std::move(f));
        return true;
    }

    /// The values of the non-literal operands, as `entity.country = 'KZ'`.
    void collect_operands(const Node& n, std::string& seen) {
        if (n.op == Op::literal || n.op == Op::entity) return;  // the entity itself says nothing
        if (n.op == Op::has) {
            std::string base = ev_.path_of(n.kids[0]);
            if (!seen.empty()) seen += ", ";
            seen +=
                (base.empty() ? node_text(text_, n.kids[0]) : base) + "." + n.name + " is given";
            return;
        }
        if (n.op == Op::not_ || n.op == Op::binary || n.op == Op::call) {
            for (const auto& k : n.kids) collect_operands(k, seen);
            return;
        }
        std::string name = ev_.path_of(n);
        if (name.empty()) name = node_text(text_, n);
        if (!seen.empty()) seen += ", ";
        Value v = ev_.eval(n);
        seen += name + " = " + (v.is(Kind::map) ? element_summary(v) : literal_text(v));
    }

    std::string_view text_;
    Frame& f_;
    Evaluator ev_;
    const Choices* choices_;
};

}  // namespace

std::vector<Fact> witness(const check::Checked& expr, std::string_view text, Frame& frame,
                          const Choices* choices) {
    if (frame.locals.size() < static_cast<std::size_t>(expr.slots)) {
        frame.locals.resize(static_cast<std::size_t>(expr.slots));
        frame.local_paths.resize(static_cast<std::size_t>(expr.slots));
    }
    std::vector<Fact> out;
    frame.steps = 0;
    Choices* recording = std::exchange(frame.choices, nullptr);  // its own evaluations do not
    Witness w(text, frame, choices);
    w.explain(expr.root, out, true);
    frame.choices = recording;
    // The same fact reached twice (a macro's element, then the test on it) is said once.
    auto end = out.begin();
    for (auto it = out.begin(); it != out.end(); ++it)
        if (std::none_of(out.begin(), end, [&](const Fact& o) { return o.seen == it->seen; })) {
            if (end != it) *end = std::move(*it);
            ++end;
        }
    out.erase(end, out.end());
    return out;
}

}  // namespace sanx::eval
