#include "eval/why_not.hpp"

#include <algorithm>
#include <optional>

#include "source/source.hpp"

namespace sanx::eval {

namespace {

using source::one_line;

using check::Fn;
using check::Macro;
using check::Node;
using check::Op;

constexpr std::size_t max_elements = 20;  ///< elements of a macro shown in a trace
constexpr std::size_t max_listed = 10;    ///< values named in one miss

/// The node's source text, widened to the parentheses that a range without them leaves
/// unbalanced (`a || b) && (c` for `(a || b) && (c)`).
std::string node_text(std::string_view text, const Node& n) {
    if (n.end <= n.begin || n.end > text.size()) return n.name;
    std::size_t b = n.begin, e = n.end;
    for (int round = 0; round < 16; ++round) {
        int depth = 0, lowest = 0;
        for (std::size_t i = b; i < e; ++i) {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            lowest = std::min(lowest, depth);
        }
        if (lowest < 0) {  // a ')' closes something opened before the range
            std::size_t i = b;
            while (i > 0 && text[i - 1] != '(') --i;
            if (i == 0) break;
            b = i - 1;
        } else if (depth > 0) {  // a '(' is closed after the range
            std::size_t i = e;
            while (i < text.size() && text[i] != ')') ++i;
            if (i == text.size()) break;
            e = i + 1;
        } else {
            break;
        }
    }
    return std::string(text.substr(b, e - b));
}

bool is_set(const Node& n) { return n.op == Op::literal && n.name.rfind("sets.", 0) == 0; }

bool is_domain(const Node& n) {
    if (n.op != Op::call) return false;
    switch (n.fn) {
        case Fn::member:
        case Fn::borders:
        case Fn::related:
        case Fn::listed:
        case Fn::blocked:
        case Fn::blocked_share:
        case Fn::hs_match:
            return true;
        default:
            return false;
    }
}

/// `kz-bank (Steppe Bank JSC)` for an entity-like map, the value as written otherwise.
std::string summary(const Value& v) {
    if (std::string named = id_and_name(v); !named.empty()) return named;
    if (v.is(Kind::list)) {
        const List& l = v.as_list();
        if (l.size() > 8) return "[" + std::to_string(l.size()) + " items]";
        if (std::any_of(l.begin(), l.end(), [](const Value& x) { return x.is(Kind::map); })) {
            std::string out = "[";
            for (std::size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + summary(l[i]);
            return out + "]";
        }
    }
    return literal_text(v);
}

std::string value_text(const Value& v) {
    if (v.is(Kind::boolean)) return v.as_bool() ? "true" : "false";
    if (v.is_unknown()) {
        std::string out = "unknown: missing ";
        const auto& m = v.as_unknown().missing;
        for (std::size_t i = 0; i < m.size(); ++i) out += (i ? ", " : "") + m[i];
        return out;
    }
    if (v.is_error()) return "error: " + v.as_error().message;
    return summary(v);
}

/// `counterparty` for `entity.counterparties`, `good` for `entity.goods`.
std::string singular(const std::string& path) {
    std::string last =
        path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
    if (last.size() > 3 && last.compare(last.size() - 3, 3, "ies") == 0)
        return last.substr(0, last.size() - 3) + "y";
    if (last.size() > 1 && last.back() == 's' && last.find('[') == std::string::npos)
        return last.substr(0, last.size() - 1);
    return "element";
}

/// The shared walk: evaluation of sub-nodes with macro variables bound by hand.
class Walker {
  public:
    Walker(std::string_view text, Frame& f) : text_(text), f_(f) {}

  protected:
    Value eval(const Node& n) { return evaluate_node(n, f_); }

    bool is_true(const Node& n) {
        Value v = eval(n);
        return v.is(Kind::boolean) && v.as_bool();
    }

    std::string name_of(const Node& n) {
        std::string p = path_of(n, f_);
        return p.empty() ? one_line(node_text(text_, n)) : p;
    }

    /// The variable a macro binds, read from its text: `c` in `xs.exists(c, ...)`.
    std::string variable(const Node& n) {
        if (n.kids.size() < 2 || n.kids[1].begin <= n.kids[0].end || n.kids[1].begin > text_.size())
            return "it";
        std::string_view between = text_.substr(n.kids[0].end, n.kids[1].begin - n.kids[0].end);
        auto open = between.find('(');
        auto comma = between.find(',', open == std::string_view::npos ? 0 : open);
        if (open == std::string_view::npos || comma == std::string_view::npos) return "it";
        return one_line(between.substr(open + 1, comma - open - 1));
    }

    /// The range of a macro as a list (a map's keys), or null when it is not one.
    std::optional<List> range(const Node& n, Value& seen) {
        seen = eval(n.kids[0]);
        if (seen.is(Kind::list)) return seen.as_list();
        if (seen.is(Kind::map)) {
            List keys;
            for (const auto& kv : seen.as_map()) keys.push_back(kv.first);
            return keys;
        }
        return std::nullopt;
    }

    void bind(const Node& n, const List& items, std::size_t i) {
        auto slot = static_cast<std::size_t>(n.slot);
        if (f_.locals.size() <= slot) {
            f_.locals.resize(slot + 1);
            f_.local_paths.resize(slot + 1);
        }
        std::string base = path_of(n.kids[0], f_);
        f_.locals[slot] = items[i];
        f_.local_paths[slot] = base.empty() ? std::string() : base + "[" + std::to_string(i) + "]";
    }

    /// `entity.counterparties[0]` for the element bound in the macro's slot.
    std::string element_name(const Node& n, std::size_t i) {
        return name_of(n.kids[0]) + "[" + std::to_string(i) + "]";
    }

    /// The values of the non-literal operands, as `entity.country = 'KZ'`.
    void operands(const Node& n, std::string& seen) {
        if (n.op == Op::literal || n.op == Op::entity) return;
        if (n.op == Op::has) {
            Value v = eval(n);
            if (!seen.empty()) seen += ", ";
            seen += name_of(n.kids[0]) + "." + n.name +
                    (v.is(Kind::boolean) && v.as_bool() ? " is given" : " is absent");
            return;
        }
        if (n.op == Op::not_ || n.op == Op::binary || n.op == Op::call) {
            for (const auto& k : n.kids) operands(k, seen);
            return;
        }
        if (!seen.empty()) seen += ", ";
        seen += name_of(n) + " = " + summary(eval(n));
    }

    std::string_view text_;
    Frame& f_;
};

class Tracer : Walker {
  public:
    Tracer(std::string_view text, Frame& f, const Locate& locate)
        : Walker(text, f), locate_(locate) {}

    TraceNode build(const Node& n) {
        TraceNode t;
        t.expr = node_text(text_, n);
        t.kind = kind(n);
        t.at = locate_(n.begin, std::max(n.end, n.begin + 1));
        if (is_set(n)) {
            t.expr = n.name;
            t.value = summary(n.value);
            return t;
        }
        Value v = eval(n);
        t.value = value_text(v);
        if (is_domain(n) && v.is(Kind::boolean))
            t.why = v.as_bool() ? domain_reason(n, f_) : negative_reason(n, f_);
        if (n.op == Op::macro) {
            add(t, n.kids[0]);
            Value seen;
            auto items = range(n, seen);
            if (!items) return t;
            const std::string var = variable(n);
            for (std::size_t i = 0; i < items->size() && i < max_elements; ++i) {
                bind(n, *items, i);
                TraceNode e;
                e.kind = TraceKind::element;
                e.expr = var + " = " + element_name(n, i) + ": " + summary((*items)[i]);
                e.at = locate_(n.kids[1].begin, std::max(n.kids[1].end, n.kids[1].begin + 1));
                e.value = value_text(eval(n.kids[1]));
                for (std::size_t k = 1; k < n.kids.size(); ++k) add(e, n.kids[k]);
                t.kids.push_back(std::move(e));
            }
            if (items->size() > max_elements) {
                TraceNode more;
                more.kind = TraceKind::element;
                more.expr = "… " + std::to_string(items->size() - max_elements) + " more";
                t.kids.push_back(std::move(more));
            }
            return t;
        }
        if (n.op == Op::select || n.op == Op::has) return t;  // the path says it all
        for (const auto& k : n.kids) add(t, k);
        return t;
    }

  private:
    void add(TraceNode& parent, const Node& k) {
        if (k.op == Op::literal && !is_set(k)) return;  // a literal's value is its text
        parent.kids.push_back(build(k));
    }

    static TraceKind kind(const Node& n) {
        switch (n.op) {
            case Op::and_:
                return TraceKind::and_;
            case Op::or_:
                return TraceKind::or_;
            case Op::not_:
                return TraceKind::not_;
            case Op::cond:
                return TraceKind::cond;
            case Op::binary:
                return TraceKind::compare;
            case Op::call:
                return TraceKind::call;
            case Op::macro:
                switch (n.macro) {
                    case Macro::all:
                        return TraceKind::all;
                    case Macro::exists:
                        return TraceKind::exists;
                    case Macro::exists_one:
                        return TraceKind::exists_one;
                    case Macro::map:
                        return TraceKind::map;
                    case Macro::filter:
                        return TraceKind::filter;
                    case Macro::bind:
                        return TraceKind::bind;
                }
                return TraceKind::macro;
            default:
                return TraceKind::value;
        }
    }

    const Locate& locate_;
};

class Misser : Walker {
  public:
    using Walker::Walker;

    void run(const Node& n, std::vector<Fact>& out) {
        Value v = eval(n);
        if (v.is(Kind::boolean) && v.as_bool()) return;
        switch (n.op) {
            case Op::and_:
                for (const auto& k : n.kids) run(k, out);
                return;
            case Op::or_:
                if (v.is(Kind::boolean) || v.is_unknown()) {
                    for (const auto& k : n.kids) run(k, out);
                    return;
                }
                break;
            case Op::not_:
                if (is_true(n.kids[0])) return negated(n, out);
                break;
            case Op::cond: {
                Value c = eval(n.kids[0]);
                if (c.is(Kind::boolean)) return run(n.kids[c.as_bool() ? 1 : 2], out);
                break;
            }
            case Op::macro:
                if (n.macro == Macro::exists) return exists(n, v, out);
                if (n.macro == Macro::all) return all(n, v, out);
                break;
            default:
                break;
        }
        leaf(n, v, out);
    }

  private:
    void push(const Node& n, std::string seen, std::vector<Fact>& out) {
        out.push_back({n.begin, n.end, node_text(text_, n), std::move(seen)});
    }

    void leaf(const Node& n, const Value& v, std::vector<Fact>& out) {
        std::string expr = one_line(node_text(text_, n));
        if (v.is_unknown()) {
            std::string missing;
            for (const auto& m : v.as_unknown().missing)
                missing += (missing.empty() ? "" : ", ") + m;
            return push(n, expr + " could not be decided: " + missing + " is missing", out);
        }
        if (v.is_error()) return push(n, expr + " failed: " + v.as_error().message, out);
        if (!v.is(Kind::boolean)) return push(n, expr + " is " + summary(v) + ", not a bool", out);
        std::string seen;
        if (n.op == Op::binary && n.name == "in" && is_set(n.kids[1])) {
            operands(n.kids[0], seen);
            return push(n, (seen.empty() ? expr : seen) + " is not in " + n.kids[1].name, out);
        }
        operands(n, seen);
        if (is_domain(n)) {
            std::string why = negative_reason(n, f_);
            if (!why.empty()) return push(n, seen.empty() ? why : seen + "; " + why, out);
        }
        push(n, expr + " is false" + (seen.empty() ? "" : ": " + seen), out);
    }

    /// `!x` where x held: say what made x true.
    void negated(const Node& n, std::vector<Fact>& out) {
        const Node& k = n.kids[0];
        std::string why = k.op == Op::call ? domain_reason(k, f_) : std::string();
        if (why.empty()) {
            if (k.op == Op::binary && k.name == "in" && is_set(k.kids[1])) {
                operands(k.kids[0], why);
                why += " is in " + k.kids[1].name;
            } else {
                operands(k, why);
                why = one_line(node_text(text_, k)) + " holds" + (why.empty() ? "" : ": " + why);
            }
        }
        push(n, why + ", and the rule asks for the opposite", out);
    }

    /// What the body of `xs.exists(x, body)` asks of an element, in words.
    std::string predicate(const Node& n) {
        const Node& body = n.kids[1];
        auto is_var = [&](const Node& k) { return k.op == Op::local && k.slot == n.slot; };
        if (body.op == Op::call && body.fn == Fn::hs_match && body.kids.size() == 2 &&
            is_var(body.kids[0]))
            return "matches " + (is_set(body.kids[1]) ? body.kids[1].name
                                                      : one_line(node_text(text_, body.kids[1])));
        if (body.op == Op::binary && body.name == "in" && is_var(body.kids[0]))
            return "is in " + (is_set(body.kids[1]) ? body.kids[1].name
                                                    : one_line(node_text(text_, body.kids[1])));
        return "satisfies " + one_line(node_text(text_, body));
    }

    static void conjuncts(const Node& n, std::vector<const Node*>& out) {
        if (n.op == Op::and_) {
            for (const auto& k : n.kids) conjuncts(k, out);
            return;
        }
        out.push_back(&n);
    }

    void exists(const Node& n, const Value& v, std::vector<Fact>& out) {
        Value seen;
        auto items = range(n, seen);
        if (!items) return leaf(n.kids[0], seen, out);
        const std::string base = name_of(n.kids[0]);
        if (items->empty()) return push(n, base + " is empty", out);
        if (v.is_unknown() || v.is_error()) {
            // The elements that could not be decided are what is missing.
            for (std::size_t i = 0; i < items->size(); ++i) {
                bind(n, *items, i);
                if (!eval(n.kids[1]).is(Kind::boolean)) run(n.kids[1], out);
            }
            return;
        }
        std::string values;
        for (std::size_t i = 0; i < items->size() && i < max_listed; ++i) {
            const Value& x = (*items)[i];
            values += (i ? ", " : "") + (x.is(Kind::string) ? display(x) : summary(x));
        }
        if (items->size() > max_listed)
            values += ", … (" + std::to_string(items->size()) + " in all)";
        push(n, "no " + singular(base) + " of " + base + " " + predicate(n) + ": " + values, out);
        // The nearest miss: the element that met the most of the body's conditions.
        std::vector<const Node*> parts;
        conjuncts(n.kids[1], parts);
        if (parts.size() < 2) return;
        std::size_t best = 0, best_held = 0;
        for (std::size_t i = 0; i < items->size(); ++i) {
            bind(n, *items, i);
            std::size_t held = 0;
            for (const Node* p : parts) held += is_true(*p);
            if (held > best_held) {
                best = i;
                best_held = held;
            }
        }
        if (best_held == 0) return;
        bind(n, *items, best);
        push(n,
             "closest: " + element_name(n, best) + " = " + summary((*items)[best]) + " meets " +
                 std::to_string(best_held) + " of " + std::to_string(parts.size()) + " conditions",
             out);
        run(n.kids[1], out);
    }

    void all(const Node& n, const Value& v, std::vector<Fact>& out) {
        Value seen;
        auto items = range(n, seen);
        if (!items) return leaf(n.kids[0], seen, out);
        for (std::size_t i = 0; i < items->size(); ++i) {
            bind(n, *items, i);
            Value b = eval(n.kids[1]);
            if (b.is(Kind::boolean) && b.as_bool()) continue;
            if (b.is(Kind::boolean))
                push(n,
                     element_name(n, i) + " = " + summary((*items)[i]) + " does not satisfy " +
                         one_line(node_text(text_, n.kids[1])),
                     out);
            run(n.kids[1], out);
            if (v.is(Kind::boolean)) return;  // one counterexample decides `all`
        }
    }
};

std::string subject(const Value& x) {
    if (x.is(Kind::string)) return x.as_string();
    return summary(x);
}

/// A party nothing was looked up for: said as such, not as a fact about the party.
std::string unmatched(const Value& x, const std::string& authority) {
    return subject(x) + " matched no declared or listed entity (by id, identifier or name) " +
           "and declares no listings: not known to be listed by " + authority;
}

void prepare(const check::Checked& expr, Frame& frame) {
    if (frame.locals.size() < static_cast<std::size_t>(expr.slots)) {
        frame.locals.resize(static_cast<std::size_t>(expr.slots));
        frame.local_paths.resize(static_cast<std::size_t>(expr.slots));
    }
    frame.steps = 0;
}

}  // namespace

std::string negative_reason(const Node& n, Frame& frame) {
    if (!is_domain(n) || !frame.domain) return {};
    std::vector<Value> args;
    for (const auto& k : n.kids) {
        args.push_back(evaluate_node(k, frame));
        if (args.back().is_exceptional()) return {};
    }
    auto str = [&](std::size_t i) -> std::string {
        return args.size() > i && args[i].is(Kind::string) ? args[i].as_string() : std::string();
    };
    const std::string on = " on " + format_date(frame.domain->as_of());
    switch (n.fn) {
        case Fn::member:
            return str(0) + " is not a member of " + str(1) + on;
        case Fn::borders:
            return str(0) + " does not border " + str(1) + " in the packs";
        case Fn::related:
            return "no relation '" + str(0) + " " + str(1) + " " + str(2) + "' in force" + on;
        case Fn::listed: {
            std::string who = args.size() > 1 ? str(1) : "any authority";
            std::string program = args.size() > 2 ? " under " + str(2) : "";
            if (!frame.domain->looked_up(args[0])) return unmatched(args[0], who) + on;
            return subject(args[0]) + " is not listed by " + who + program + on;
        }
        case Fn::blocked:
        case Fn::blocked_share:
            if (!frame.domain->looked_up(args[0])) return unmatched(args[0], str(1)) + on;
            return subject(args[0]) + " is not blocked by " + str(1) +
                   " (neither listed nor owned or controlled by blocked persons)" + on;
        case Fn::hs_match:
            return "HS " + display(args[0]) + " matches no prefix in " +
                   (is_set(n.kids[1]) ? n.kids[1].name : literal_text(args[1]));
        default:
            return {};
    }
}

TraceNode trace(const check::Checked& expr, std::string_view text, Frame& frame,
                const Locate& locate) {
    prepare(expr, frame);
    return Tracer(text, frame, locate).build(expr.root);
}

std::vector<Fact> why_not(const check::Checked& expr, std::string_view text, Frame& frame) {
    prepare(expr, frame);
    std::vector<Fact> all;
    Misser(text, frame).run(expr.root, all);
    std::vector<Fact> out;  // the same miss reached along two branches is said once
    for (auto& f : all)
        if (std::none_of(out.begin(), out.end(), [&](const Fact& o) { return o.seen == f.seen; }))
            out.push_back(std::move(f));
    return out;
}

}  // namespace sanx::eval
