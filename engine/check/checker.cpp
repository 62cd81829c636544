#include "check/checker.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "dsl/parse.hpp"
#include "source/source.hpp"

namespace sanx::check {

namespace {

namespace ast = dsl::ast;
namespace x3 = boost::spirit::x3;
using eval::Value;

struct FnSig {
    const char* name;
    Fn fn;
    int min_args, max_args;  // not counting the receiver
    bool method;             // x.f(...) rather than f(x, ...)
};

// `size` and the string functions exist in both forms, as in CEL.
constexpr FnSig functions[] = {
    {"size", Fn::size, 1, 1, false},         {"size", Fn::size, 0, 0, true},
    {"int", Fn::int_, 1, 1, false},          {"uint", Fn::uint_, 1, 1, false},
    {"double", Fn::double_, 1, 1, false},    {"string", Fn::string_, 1, 1, false},
    {"bytes", Fn::bytes_, 1, 1, false},      {"bool", Fn::bool_, 1, 1, false},
    {"type", Fn::type_, 1, 1, false},        {"dyn", Fn::dyn, 1, 1, false},
    {"contains", Fn::contains, 1, 1, true},  {"startsWith", Fn::starts_with, 1, 1, true},
    {"endsWith", Fn::ends_with, 1, 1, true}, {"matches", Fn::matches, 1, 1, true},
    {"matches", Fn::matches, 2, 2, false},   {"member", Fn::member, 2, 2, false},
    {"blocs", Fn::blocs, 1, 1, false},       {"borders", Fn::borders, 2, 2, false},
    {"related", Fn::related, 3, 3, false},   {"listed", Fn::listed, 1, 3, false},
    {"blocked", Fn::blocked, 2, 2, false},   {"blocked_share", Fn::blocked_share, 2, 2, false},
    {"hs_match", Fn::hs_match, 2, 2, false}, {"date", Fn::date, 1, 1, false},
    {"declared", Fn::declared, 1, 1, false},
};

/// PRODUCT.md section 3; `attributes` holds anything else.
constexpr const char* entity_fields[] = {
    "id",     "type",        "name",           "aliases", "country",  "countries", "sectors",
    "owners", "controllers", "counterparties", "goods",   "listings", "attributes"};

constexpr const char* type_names[] = {"int",   "uint", "double", "bool",      "string",
                                      "bytes", "list", "map",    "null_type", "type"};

constexpr const char* macro_names[] = {"all", "exists", "exists_one", "map", "filter"};

std::string arity_text(int lo, int hi) {
    if (lo == hi) return std::to_string(lo) + (lo == 1 ? " argument" : " arguments");
    return std::to_string(lo) + " to " + std::to_string(hi) + " arguments";
}

class Checker {
  public:
    Checker(std::string_view text, const Vocabulary& vocab, const CheckOptions& opts)
        : text_(text), vocab_(vocab), opts_(opts) {}

    Node expression(const ast::expression& e) {
        Nest nest(*this, e.tail ? 2 : 1, e);
        if (nest.too_deep) return make(Op::literal, e);
        Node cond = binary(e.condition);
        if (!e.tail) return cond;
        Node n = make(Op::cond, e);
        n.kids.push_back(std::move(cond));
        n.kids.push_back(binary(e.tail->then_branch));
        n.kids.push_back(expression(e.tail->else_branch.get()));
        return n;
    }

    std::vector<Issue> issues;
    int slots = 0;

  private:
    /// How deep the tree being built can be at this point, counted before it is built: an
    /// operator chain of k operands is k - 1 levels, a member chain one per selection. The
    /// evaluator, the witness and the linter walk trees recursively, so a tree deeper than
    /// the limit (docs/limits.md) is refused here, once, instead of exhausting a stack later.
    struct Nest {
        template <typename T>
        Nest(Checker& c, std::size_t levels, const T& at) : c_(c), levels_(levels) {
            c_.nest_ += levels_;
            if (c_.nest_ <= dsl::max_expression_depth) return;
            too_deep = true;
            if (!c_.reported_depth_)
                c_.error(at.begin, at.end, "too-deep",
                         "expression nests deeper than " +
                             std::to_string(dsl::max_expression_depth) +
                             " levels (operators, selections and brackets together)",
                         {"split the condition into several rules, or test membership with "
                          "`x in [...]` or a set instead of a long chain of == and ||"});
            c_.reported_depth_ = true;
        }
        ~Nest() { c_.nest_ -= levels_; }
        Nest(const Nest&) = delete;
        Nest& operator=(const Nest&) = delete;
        bool too_deep = false;

      private:
        Checker& c_;
        std::size_t levels_;
    };
    std::size_t nest_ = 0;
    bool reported_depth_ = false;

    template <typename T>
    Node make(Op op, const T& located) {
        Node n;
        n.op = op;
        n.begin = located.begin;
        n.end = located.end;
        return n;
    }

    void error(std::uint32_t b, std::uint32_t e, std::string code, std::string msg,
               std::vector<std::string> hints = {}) {
        issues.push_back(
            {b, std::max(e, b + 1), std::move(code), std::move(msg), std::move(hints)});
    }

    std::vector<std::string> did_you_mean(std::string_view word,
                                          const std::vector<std::string>& candidates) {
        std::string s = source::suggest(word, candidates);
        if (s.empty()) return {};
        return {"did you mean '" + s + "'?"};
    }

    template <typename Set>
    static std::vector<std::string> keys(const Set& s) {
        std::vector<std::string> out;
        for (const auto& k : s) {
            if constexpr (std::is_same_v<std::decay_t<decltype(k)>, std::string>)
                out.push_back(k);
            else
                out.push_back(k.first);
        }
        return out;
    }

    Node binary(const ast::binary& b) {
        Nest nest(*this, b.rest.size(), b);
        if (nest.too_deep) return make(Op::literal, b);
        Node left = operand(b.first);
        for (const auto& op : b.rest) {
            Node right = operand(op.rhs);
            Node n;
            n.begin = left.begin;
            n.end = right.end;
            if (op.op == "&&")
                n.op = Op::and_;
            else if (op.op == "||")
                n.op = Op::or_;
            else {
                n.op = Op::binary;
                n.name = op.op;
            }
            check_codes(n.name, left, right);
            n.kids.push_back(std::move(left));
            n.kids.push_back(std::move(right));
            left = std::move(n);
        }
        return left;
    }

    Node operand(const ast::operand& o) {
        struct Visit {
            Checker& c;
            Node operator()(const ast::unary& u) const { return c.unary(u); }
            Node operator()(const x3::forward_ast<ast::binary>& b) const {
                return c.binary(b.get());
            }
        };
        return boost::apply_visitor(Visit{*this}, o);
    }

    Node unary(const ast::unary& u) {
        Nest nest(*this, u.ops.size(), u);
        if (nest.too_deep) return make(Op::literal, u);
        std::string ops = u.ops;
        Node n;
        // `-` directly on a number literal is part of the literal: -9223372036854775808 fits.
        if (!ops.empty() && ops.back() == '-' && u.operand.tail.empty()) {
            if (auto* lit = boost::get<ast::literal>(&u.operand.head.get());
                lit && lit->kind == 'n') {
                n = number(*lit, true);
                n.begin = u.begin;
                ops.pop_back();
            } else {
                n = member(u.operand);
            }
        } else {
            n = member(u.operand);
        }
        for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
            Node outer;
            outer.op = *it == '!' ? Op::not_ : Op::neg;
            outer.begin = u.begin;
            outer.end = std::max(n.end, u.end);  // through a closing bracket
            outer.kids.push_back(std::move(n));
            n = std::move(outer);
        }
        return n;
    }

    Node member(const ast::member& m) {
        Nest nest(*this, m.tail.size(), m);
        if (nest.too_deep) return make(Op::literal, m);
        // `sets.NAME` is resolved here, at check time, to the set's value.
        std::size_t i = 0;
        Node n;
        auto rest = [&](Node base, std::size_t from) {  // the selections and indexes after
            for (; from < m.tail.size(); ++from) {
                if (auto* sel = boost::get<ast::select_op>(&m.tail[from].get()))
                    base = select(std::move(base), *sel);
                else
                    base = index(std::move(base), boost::get<ast::index_op>(m.tail[from].get()));
            }
            return base;
        };
        auto* head_id = boost::get<x3::forward_ast<ast::ident_or_call>>(&m.head.get());
        if (head_id && !head_id->get().args && !head_id->get().leading_dot &&
            !opts_.variables.empty() && !is_local(head_id->get().name)) {
            // A qualified variable `a.b.c` wins over selecting `b.c` from `a`; the longest
            // declared prefix is the variable, as CEL resolves names.
            std::string name = head_id->get().name;
            std::vector<std::string> prefixes{name};
            for (const auto& t : m.tail) {
                const auto* sel = boost::get<ast::select_op>(&t.get());
                if (!sel || sel->args) break;
                name += "." + sel->field;
                prefixes.push_back(name);
            }
            for (std::size_t k = prefixes.size(); k-- > 0;) {
                if (!opts_.variables.count(prefixes[k])) continue;
                n = make(Op::variable, head_id->get());
                n.name = prefixes[k];
                if (k > 0) n.end = boost::get<ast::select_op>(m.tail[k - 1].get()).end;
                return rest(std::move(n), k);
            }
        }
        if (auto* id = head_id;
            id && !id->get().args && id->get().name == "sets" && !is_local("sets")) {
            const auto& head = id->get();
            const auto* sel =
                m.tail.empty() ? nullptr : boost::get<ast::select_op>(&m.tail[0].get());
            if (!sel || sel->args) {
                error(head.begin, head.end, "unknown-set",
                      "'sets' must be followed by a set name, as in sets.NAME");
                return make(Op::literal, head);
            }
            n = make(Op::literal, head);
            n.end = sel->end;
            n.name = "sets." + sel->field;
            auto found = vocab_.sets.find(sel->field);
            if (found == vocab_.sets.end()) {
                error(sel->begin + 1, sel->end, "unknown-set", "unknown set '" + sel->field + "'",
                      did_you_mean(sel->field, keys(vocab_.sets)));
            } else {
                n.value = found->second;
            }
            i = 1;
        } else {
            n = primary(m.head);
        }
        return rest(std::move(n), i);
    }

    Node index(Node base, const ast::index_op& ix) {
        Node n;
        n.op = Op::index;
        n.begin = base.begin;
        n.end = ix.end;
        n.kids.push_back(std::move(base));
        n.kids.push_back(expression(ix.index.get()));
        return n;
    }

    Node select(Node base, const ast::select_op& sel) {
        if (!sel.args) {
            // `declared(c)` is an entity too: its fields are an entity's.
            const bool entity_like =
                base.op == Op::entity || (base.op == Op::call && base.fn == Fn::declared);
            if (entity_like && std::find(std::begin(entity_fields), std::end(entity_fields),
                                         sel.field) == std::end(entity_fields))
                error(
                    sel.begin + 1, sel.end, "unknown-field",
                    "an entity has no field '" + sel.field + "'",
                    did_you_mean(sel.field, {std::begin(entity_fields), std::end(entity_fields)}));
            Node n;
            n.op = Op::select;
            n.begin = base.begin;
            n.end = sel.end;
            n.name = sel.field;
            n.kids.push_back(std::move(base));
            return n;
        }
        auto mac = std::find(std::begin(macro_names), std::end(macro_names), sel.field);
        if (mac != std::end(macro_names)) return macro(std::move(base), sel, *mac);
        return call(sel.field, &base, *sel.args, base.begin, sel.end, sel.begin + 1);
    }

    Node macro(Node range, const ast::select_op& sel, std::string_view name) {
        const auto& args = *sel.args;
        Node n;
        n.op = Op::macro;
        n.begin = range.begin;
        n.end = sel.end;
        n.name = std::string(name);
        n.macro = name == "all"          ? Macro::all
                  : name == "exists"     ? Macro::exists
                  : name == "exists_one" ? Macro::exists_one
                  : name == "map"        ? Macro::map
                                         : Macro::filter;
        std::size_t want_lo = 2, want_hi = n.macro == Macro::map ? 3 : 2;
        if (args.size() < want_lo || args.size() > want_hi) {
            error(sel.begin + 1, sel.end, "arity",
                  "'" + n.name + "' takes " +
                      arity_text(static_cast<int>(want_lo), static_cast<int>(want_hi)) + ", not " +
                      std::to_string(args.size()));
            return n;
        }
        std::string var = simple_ident(args[0]);
        if (var.empty()) {
            error(args[0].begin, args[0].end, "macro-variable",
                  "the first argument of '" + n.name + "' must be a variable name");
            return n;
        }
        n.slot = slots++;
        n.kids.push_back(std::move(range));
        scope_.push_back({var, n.slot});
        for (std::size_t k = 1; k < args.size(); ++k) n.kids.push_back(expression(args[k]));
        scope_.pop_back();
        return n;
    }

    static std::string simple_ident(const ast::expression& e) {
        if (e.tail) return {};
        // Each precedence level wraps the next: drill through the ones with no operator.
        const ast::binary* b = &e.condition;
        const ast::unary* u = nullptr;
        while (b && b->rest.empty()) {
            if ((u = boost::get<ast::unary>(&b->first.get()))) break;
            auto* inner = boost::get<x3::forward_ast<ast::binary>>(&b->first.get());
            b = inner ? &inner->get() : nullptr;
        }
        if (!u || !u->ops.empty() || !u->operand.tail.empty()) return {};
        auto* id = boost::get<x3::forward_ast<ast::ident_or_call>>(&u->operand.head.get());
        if (!id || id->get().args || id->get().leading_dot) return {};
        return id->get().name;
    }

    bool is_local(const std::string& name) const {
        return std::any_of(scope_.begin(), scope_.end(),
                           [&](const auto& s) { return s.first == name; });
    }

    Node primary(const ast::primary& p) {
        struct Visit {
            Checker& c;
            Node operator()(const ast::literal& l) const { return c.literal(l); }
            Node operator()(const x3::forward_ast<ast::ident_or_call>& i) const {
                return c.ident(i.get());
            }
            Node operator()(const x3::forward_ast<ast::list_lit>& l) const {
                Node n = c.make(Op::list, l.get());
                for (const auto& e : l.get().elements) n.kids.push_back(c.expression(e));
                return n;
            }
            Node operator()(const x3::forward_ast<ast::map_lit>& m) const {
                Node n = c.make(Op::map, m.get());
                for (const auto& e : m.get().entries) {
                    n.kids.push_back(c.expression(e.key));
                    n.kids.push_back(c.expression(e.value));
                }
                return n;
            }
            Node operator()(const x3::forward_ast<ast::expression>& e) const {
                return c.expression(e.get());
            }
        };
        return boost::apply_visitor(Visit{*this}, p);
    }

    Node ident(const ast::ident_or_call& id) {
        if (id.args) {
            if (id.name == "has") return has(id);
            return call(id.name, nullptr, *id.args, id.begin, id.end, id.begin);
        }
        for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
            if (it->first == id.name) {
                Node n = make(Op::local, id);
                n.slot = it->second;
                n.name = id.name;
                return n;
            }
        if (opts_.variables.count(id.name)) {
            Node n = make(Op::variable, id);
            n.name = id.name;
            return n;
        }
        if (id.name == "entity") return make(Op::entity, id);
        if (id.name == "as_of") return make(Op::as_of, id);
        // Type names are values: `type(x) == int`.
        if (std::find(std::begin(type_names), std::end(type_names), id.name) !=
            std::end(type_names)) {
            Node n = make(Op::literal, id);
            n.value = eval::TypeName{id.name};
            return n;
        }
        if (id.name == "regime") {
            Node n = make(Op::literal, id);
            if (!opts_.regime)
                error(id.begin, id.end, "unknown-variable",
                      "'regime' is only defined in a regime's rules");
            else
                n.value = *opts_.regime;
            return n;
        }
        std::vector<std::string> known{"entity", "as_of", "sets", "regime"};
        for (const auto& s : scope_) known.push_back(s.first);
        known.insert(known.end(), opts_.variables.begin(), opts_.variables.end());
        if (opts_.defer_name_errors) {
            Node n = make(Op::literal, id);
            n.value = eval::Error{"unknown variable '" + id.name + "'", id.begin, id.end};
            return n;
        }
        error(id.begin, id.end, "unknown-variable", "unknown variable '" + id.name + "'",
              did_you_mean(id.name, known));
        return make(Op::literal, id);
    }

    Node has(const ast::ident_or_call& id) {
        Node n = make(Op::has, id);
        const auto& args = *id.args;
        if (args.size() == 1) {
            Node arg = expression(args[0]);
            if (arg.op == Op::select) {
                n.name = arg.name;
                n.kids.push_back(std::move(arg.kids[0]));
                return n;
            }
        }
        error(id.begin, id.end, "has-argument",
              "has() takes one field selection, as in has(entity.sectors)");
        return n;
    }

    Node call(const std::string& name, Node* receiver, const std::vector<ast::expression>& args,
              std::uint32_t begin, std::uint32_t end, std::uint32_t name_at) {
        Node n;
        n.op = Op::call;
        n.begin = begin;
        n.end = end;
        n.name = name;
        bool method = receiver != nullptr;
        const FnSig* sig = nullptr;
        const FnSig* other_form = nullptr;
        const FnSig* wrong_arity = nullptr;
        for (const auto& f : functions) {
            if (name != f.name) continue;
            if (f.method != method) {
                other_form = &f;
                continue;
            }
            if (static_cast<int>(args.size()) >= f.min_args &&
                static_cast<int>(args.size()) <= f.max_args)
                sig = &f;
            else
                wrong_arity = &f;
        }
        std::uint32_t name_end = name_at + static_cast<std::uint32_t>(name.size());
        if (receiver) n.kids.push_back(std::move(*receiver));
        for (const auto& a : args) n.kids.push_back(expression(a));
        if (!sig && opts_.defer_name_errors) {
            n.op = Op::literal;
            n.kids.clear();
            n.value = eval::Error{"no such overload: " + name, begin, end};
            return n;
        }
        if (!sig) {
            if (wrong_arity)
                error(name_at, name_end, "arity",
                      "'" + name + "' takes " +
                          arity_text(wrong_arity->min_args, wrong_arity->max_args) + ", not " +
                          std::to_string(args.size()));
            else if (other_form)
                error(name_at, name_end, "unknown-function",
                      method
                          ? "'" + name + "' is a function, not a method: write " + name + "(x, ...)"
                          : "'" + name + "' is a method: write x." + name + "(...)");
            else {
                std::vector<std::string> names;
                for (const auto& f : functions) names.push_back(f.name);
                if (method)
                    names.insert(names.end(), std::begin(macro_names), std::end(macro_names));
                error(name_at, name_end, "unknown-function", "unknown function '" + name + "'",
                      did_you_mean(name, names));
            }
            return n;
        }
        n.fn = sig->fn;
        check_call_arguments(n);
        return n;
    }

    // ---- domain checks: country codes, blocs, relations, authorities --------------------

    void check_literal(const Node& arg, const std::set<std::string>& known, const char* what,
                       const char* code) {
        if (arg.op != Op::literal || !arg.value.is(eval::Kind::string)) return;
        const std::string& s = arg.value.as_string();
        if (known.count(s)) return;
        error(arg.begin, arg.end, code, std::string("unknown ") + what + " '" + s + "'",
              did_you_mean(s, keys(known)));
    }

    void check_call_arguments(const Node& n) {
        const auto& k = n.kids;
        switch (n.fn) {
            case Fn::member:
                check_literal(k[0], vocab_.countries, "country", "unknown-country");
                check_literal(k[1], vocab_.blocs, "bloc", "unknown-bloc");
                break;
            case Fn::blocs:
                check_literal(k[0], vocab_.countries, "country", "unknown-country");
                break;
            case Fn::borders:
                check_literal(k[0], vocab_.countries, "country", "unknown-country");
                check_literal(k[1], vocab_.countries, "country", "unknown-country");
                break;
            case Fn::related:
                check_literal(k[1], vocab_.relations, "relation", "unknown-relation");
                break;
            case Fn::listed:
            case Fn::blocked:
            case Fn::blocked_share:
                if (k.size() > 1)
                    check_literal(k[1], vocab_.authorities, "authority", "unknown-authority");
                break;
            case Fn::date:
                if (k[0].op == Op::literal && k[0].value.is(eval::Kind::string)) {
                    eval::Date d;
                    if (!eval::parse_date(k[0].value.as_string(), d))
                        error(k[0].begin, k[0].end, "bad-date",
                              "'" + k[0].value.as_string() + "' is not a date (YYYY-MM-DD)");
                }
                break;
            default:
                break;
        }
    }

    /// `x.country == 'RU'`, `x.country in ['RU', 'BY']`: the codes must be countries.
    void check_codes(const std::string& op, const Node& left, const Node& right) {
        bool country_field = left.op == Op::select && (left.name == "country");
        if (!country_field) return;
        if (op == "==" || op == "!=")
            check_literal(right, vocab_.countries, "country", "unknown-country");
        if (op == "in" && right.op == Op::list)
            for (const auto& e : right.kids)
                check_literal(e, vocab_.countries, "country", "unknown-country");
    }

    // ---- literals ------------------------------------------------------------------------

    Node literal(const ast::literal& l) {
        Node n = make(Op::literal, l);
        switch (l.kind) {
            case 't':
                n.value = true;
                break;
            case 'f':
                n.value = false;
                break;
            case 'z':
                n.value = eval::Null{};
                break;
            case 'n':
                return number(l, false);
            case 's':
                n.value = string_literal(l);
                break;
        }
        return n;
    }

    Node number(const ast::literal& l, bool negative) {
        Node n = make(Op::literal, l);
        std::string t = l.text;
        bool is_uint = !t.empty() && (t.back() == 'u' || t.back() == 'U');
        if (is_uint) t.pop_back();
        bool hex = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
        bool is_double = !hex && t.find_first_of(".eE") != std::string::npos;
        auto overflow = [&] {
            error(l.begin, l.end, "overflow", "number literal '" + l.text + "' is out of range");
        };
        if (is_double) {
            double d = std::strtod(t.c_str(), nullptr);
            if (std::isinf(d)) overflow();
            n.value = negative ? -d : d;
            return n;
        }
        std::uint64_t u = 0;
        const char* b = t.data() + (hex ? 2 : 0);
        auto [p, ec] = std::from_chars(b, t.data() + t.size(), u, hex ? 16 : 10);
        if (ec != std::errc{} || p != t.data() + t.size()) {
            overflow();
            return n;
        }
        if (is_uint) {
            if (negative)
                error(l.begin, l.end, "overflow", "an unsigned literal cannot be negative");
            n.value = u;
        } else if (negative) {
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
                overflow();
            else
                n.value = static_cast<std::int64_t>(0 - u);
        } else {
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                overflow();
            else
                n.value = static_cast<std::int64_t>(u);
        }
        return n;
    }

    static void append_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80)
            out += static_cast<char>(cp);
        else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    Value string_literal(const ast::literal& l) {
        std::string_view t = l.text;
        std::size_t i = 0;
        bool raw = false, bytes = false;
        while (i < t.size() && t[i] != '"' && t[i] != '\'') {
            char c = static_cast<char>(std::tolower(static_cast<unsigned char>(t[i])));
            raw = raw || c == 'r';
            bytes = bytes || c == 'b';
            ++i;
        }
        std::size_t q = (t.size() - i >= 6 && t[i + 1] == t[i] && t[i + 2] == t[i]) ? 3 : 1;
        std::string_view body = t.substr(i + q, t.size() - i - 2 * q);
        std::uint32_t body_at = l.begin + static_cast<std::uint32_t>(i + q);
        std::string out;
        if (raw) out = std::string(body);
        for (std::size_t k = 0; !raw && k < body.size(); ++k) {
            char c = body[k];
            if (c != '\\') {
                out += c;
                continue;
            }
            std::uint32_t at = body_at + static_cast<std::uint32_t>(k);
            if (k + 1 >= body.size()) break;
            char e = body[++k];
            auto hex_digits = [&](std::size_t n, std::uint32_t& cp) {
                cp = 0;
                if (k + n >= body.size()) return false;
                for (std::size_t j = 1; j <= n; ++j) {
                    if (!std::isxdigit(static_cast<unsigned char>(body[k + j]))) return false;
                    char h = body[k + j];
                    cp = cp * 16 +
                         static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                        ? h - '0'
                                                        : (std::tolower(h) - 'a' + 10));
                }
                k += n;
                return true;
            };
            std::uint32_t cp = 0;
            switch (e) {
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'a':
                    out += '\a';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'v':
                    out += '\v';
                    break;
                case '\\':
                case '\'':
                case '"':
                case '`':
                case '?':
                    out += e;
                    break;
                case 'x':
                case 'X':
                    if (!hex_digits(2, cp))
                        error(at, at + 2, "bad-escape", "\\x needs two hex digits");
                    else if (bytes)
                        out += static_cast<char>(cp);
                    else
                        append_utf8(out, cp);
                    break;
                case 'u':
                case 'U':
                    if (bytes)
                        error(at, at + 2, "bad-escape", "\\u and \\U are not allowed in bytes");
                    else if (!hex_digits(e == 'u' ? 4 : 8, cp))
                        error(at, at + 2, "bad-escape",
                              std::string("\\") + e + " needs " + (e == 'u' ? "4" : "8") +
                                  " hex digits");
                    else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                        error(at, at + 2, "bad-escape", "escape names an invalid code point");
                    else
                        append_utf8(out, cp);
                    break;
                default:
                    if (e >= '0' && e <= '3' && k + 2 < body.size() && body[k + 1] >= '0' &&
                        body[k + 1] <= '7' && body[k + 2] >= '0' && body[k + 2] <= '7') {
                        cp = static_cast<std::uint32_t>((e - '0') * 64 + (body[k + 1] - '0') * 8 +
                                                        (body[k + 2] - '0'));
                        k += 2;
                        if (bytes)
                            out += static_cast<char>(cp);
                        else
                            append_utf8(out, cp);
                    } else {
                        error(at, at + 2, "bad-escape",
                              std::string("unknown escape '\\") + e + "'");
                    }
            }
        }
        if (bytes) return eval::Bytes{out};
        return out;
    }

    std::string_view text_;
    const Vocabulary& vocab_;
    const CheckOptions& opts_;
    std::vector<std::pair<std::string, int>> scope_;
};

}  // namespace

CheckResult compile(std::string_view text, const Vocabulary& vocab, const CheckOptions& opts) {
    CheckResult out;
    if (text.size() > dsl::max_expression_bytes) {
        out.issues.push_back({0,
                              1,
                              "too-large",
                              "expression is longer than " +
                                  std::to_string(dsl::max_expression_bytes >> 10) +
                                  " KiB (docs/limits.md)",
                              {"split the condition into several rules, or use a set"}});
        return out;
    }
    auto parsed = dsl::parse_expression(text);
    if (!parsed.issues.empty()) {
        for (const auto& p : parsed.issues)
            out.issues.push_back({static_cast<std::uint32_t>(p.offset),
                                  static_cast<std::uint32_t>(p.offset + p.length),
                                  "syntax",
                                  p.message,
                                  {}});
        return out;
    }
    Checker c(text, vocab, opts);
    Node root = c.expression(parsed.tree);
    out.issues = std::move(c.issues);
    if (out.issues.empty()) out.checked = Checked{std::move(root), c.slots};
    return out;
}

}  // namespace sanx::check
