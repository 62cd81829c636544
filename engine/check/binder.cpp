#include "check/binder.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "check/functions.hpp"
#include "check/literals.hpp"
#include "dsl/parse.hpp"
#include "source/source.hpp"

namespace sanx::check {

namespace {

namespace ast = dsl::ast;
namespace x3 = boost::spirit::x3;
using eval::Value;
using K = Type::K;

constexpr const char* type_names[] = {"int",   "uint", "double", "bool",      "string",
                                      "bytes", "list", "map",    "null_type", "type"};

constexpr const char* macro_names[] = {"all", "exists", "exists_one", "map", "filter"};

std::string arity_text(int lo, int hi) {
    if (lo == hi) return std::to_string(lo) + (lo == 1 ? " argument" : " arguments");
    return std::to_string(lo) + " to " + std::to_string(hi) + " arguments";
}

/// `a list(string)`, `an int`: a type in a sentence.
std::string a_type(const Type& t) {
    if (t.is(K::object)) return t.schema->a;
    std::string s = to_string(t);
    bool vowel = std::string_view("aeiou").find(s[0]) != std::string_view::npos;
    return (vowel ? "an " : "a ") + s;
}

/// Whether two letters are next to each other on a QWERTY keyboard.
bool next_key(char a, char b) {
    static const char* rows[] = {"QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
    auto at = [](char c, int& row, int& col) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (row = 0; row < 3; ++row)
            if (const char* p = std::strchr(rows[row], c); p && c) {
                col = static_cast<int>(p - rows[row]);
                return true;
            }
        return false;
    };
    int ra = 0, ca = 0, rb = 0, cb = 0;
    if (!at(a, ra, ca) || !at(b, rb, cb) || a == b) return false;
    // Each row is shifted half a key right of the one above it.
    return std::abs(ra - rb) <= 1 && std::abs(2 * ca + ra - (2 * cb + rb)) <= 2;
}

class Binder {
  public:
    Binder(std::string_view text, const Vocabulary& vocab, const CheckOptions& opts)
        : text_(text), vocab_(vocab), opts_(opts) {}

    Node expression(const ast::expression& e) {
        Nest nest(*this, e.tail ? 2 : 1, e);
        if (nest.too_deep) return make(Op::literal, e);
        Node cond = binary(e.condition);
        if (!e.tail) return cond;
        Node n = make(Op::cond, e);
        want_bool(cond, "the condition of '? :'");
        Node yes = binary(e.tail->then_branch);
        Node no = expression(e.tail->else_branch.get());
        n.type = join(yes.type, no.type);
        n.kids.push_back(std::move(cond));
        n.kids.push_back(std::move(yes));
        n.kids.push_back(std::move(no));
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
        Nest(Binder& c, std::size_t levels, const T& at) : c_(c), levels_(levels) {
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
        Binder& c_;
        std::size_t levels_;
    };
    std::size_t nest_ = 0;
    bool reported_depth_ = false;

    struct Local {
        std::string name;
        int slot;
        Type type;
    };

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

    /// The expression text of a node, for messages: `entity.goods`.
    std::string text_of(const Node& n) const {
        if (n.end <= n.begin || n.end > text_.size()) return {};
        return source::one_line(text_.substr(n.begin, n.end - n.begin));
    }

    /// `entity.goods (a list(string))`.
    std::string described(const Node& n) const {
        std::string t = text_of(n);
        if (t.size() > 40) t = t.substr(0, 37) + "...";
        return t + " is " + a_type(n.type);
    }

    /// A type error; none when type-checking is off (CheckOptions::defer_name_errors), where
    /// evaluation reports what fails, as CEL does unchecked.
    void type_error(std::uint32_t b, std::uint32_t e, std::string msg,
                    std::vector<std::string> hints = {}) {
        if (!opts_.defer_name_errors)
            error(b, e, "type-mismatch", std::move(msg), std::move(hints));
    }

    /// Reports a node that must be a bool and cannot be one.
    void want_bool(const Node& n, const std::string& what) {
        if (n.type.open() || n.type.is(K::boolean)) return;
        type_error(n.begin, n.end, what + " must be a bool; " + described(n));
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
            if (op.op == "&&" || op.op == "||") {
                n.op = op.op == "&&" ? Op::and_ : Op::or_;
                n.type = Type::of(K::boolean);
                want_bool(left, "each side of '" + op.op + "'");
                want_bool(right, "each side of '" + op.op + "'");
            } else {
                n.op = Op::binary;
                n.name = op.op;
                type_binary(n, left, right);
            }
            n.kids.push_back(std::move(left));
            n.kids.push_back(std::move(right));
            if (n.op == Op::binary && n.name == "in") n.strings = literal_strings(n.kids[1]);
            left = std::move(n);
        }
        return left;
    }

    /// The strings of a list of string literals or of a pack set; null for anything else.
    static std::shared_ptr<const std::unordered_set<std::string>> literal_strings(const Node& l) {
        auto out = std::make_shared<std::unordered_set<std::string>>();
        auto add = [&](const eval::Value& v) {
            if (!v.is(eval::Kind::string)) return false;
            out->insert(v.as_string());
            return true;
        };
        if (l.op == Op::literal && l.value.is(eval::Kind::list)) {
            for (const auto& v : l.value.as_list())
                if (!add(v)) return nullptr;
        } else if (l.op == Op::list) {
            for (const auto& k : l.kids)
                if (k.op != Op::literal || !add(k.value)) return nullptr;
        } else {
            return nullptr;
        }
        return out;
    }

    /// CEL's operator rules: an operator no overload of which takes the operand types, or an
    /// equality that can never hold, is an error now rather than at every evaluation.
    void type_binary(Node& n, const Node& left, const Node& right) {
        const std::string& op = n.name;
        auto t = binary_type(op, left.type, right.type);
        if (t) {
            n.type = *t;
            check_vocab(op, left, right);
            return;
        }
        n.type = Type::of(K::dyn);
        std::vector<std::string> hints;
        bool ordering = op == "<" || op == "<=" || op == ">" || op == ">=";
        if (ordering && left.type.is(K::list) && right.type.numeric())
            hints.push_back("to count the elements, write size(" + text_of(left) + ") " + op + " " +
                            text_of(right));
        if (left.type.is(K::date) && right.type.is(K::string) && right.op == Op::literal)
            hints.push_back("write date(" + text_of(right) + ") to compare with a date");
        if (op == "in" && right.type.is(K::string))
            hints.push_back("to look for a part of a text, write " + text_of(right) + ".contains(" +
                            text_of(left) + ")");
        std::string why;
        if (op == "==" || op == "!=")
            why = described(left) + " and " + described(right) + ": '" + op + "' is always " +
                  (op == "==" ? "false" : "true");
        else if (op == "in")
            why = "'in' cannot find " + a_type(left.type) + " in " + text_of(right) +
                  ", which is " + a_type(right.type);
        else
            why = "'" + op + "' does not apply to " + a_type(left.type) + " and " +
                  a_type(right.type) + " (" + text_of(left) + " " + op + " " + text_of(right) + ")";
        type_error(n.begin, n.end, why, std::move(hints));
    }

    Node operand(const ast::operand& o) {
        struct Visit {
            Binder& c;
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
                n = make(Op::literal, *lit);
                const std::size_t before = issues.size();
                n.value = literals::number(*lit, true, issues);
                if (issues.size() == before) n.type = type_of(n.value);
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
            if (outer.op == Op::not_) {
                want_bool(n, "the operand of '!'");
                outer.type = Type::of(K::boolean);
            } else {
                if (!n.type.open() && !n.type.is(K::int64) && !n.type.is(K::dbl))
                    type_error(outer.begin, outer.end,
                               "'-' negates an int or a double; " + described(n));
                outer.type = n.type;
            }
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
        const ast::select_op* first =
            m.tail.empty() ? nullptr : boost::get<ast::select_op>(&m.tail[0].get());
        if (auto* id = head_id; id && !id->get().args && id->get().name == "cel" &&
                                !is_local("cel") && first && first->field == "bind" &&
                                first->args) {
            n = bind_macro(id->get(), *first);
            i = 1;
        } else if (id && !id->get().args && id->get().name == "sets" && !is_local("sets")) {
            const auto& head = id->get();
            if (!first || first->args) {
                error(head.begin, head.end, "unknown-set",
                      "'sets' must be followed by a set name, as in sets.NAME");
                return make(Op::literal, head);
            }
            n = make(Op::literal, head);
            n.end = first->end;
            n.name = "sets." + first->field;
            auto found = vocab_.sets.find(first->field);
            if (found == vocab_.sets.end()) {
                error(first->begin + 1, first->end, "unknown-set",
                      "unknown set '" + first->field + "'",
                      did_you_mean(first->field, keys(vocab_.sets)));
            } else {
                n.value = found->second;
                n.type = type_of(n.value);
            }
            i = 1;
        } else {
            n = primary(m.head);
        }
        return rest(std::move(n), i);
    }

    /// `cel.bind(name, value, body)`: body sees name bound to value, evaluated once.
    Node bind_macro(const ast::ident_or_call& head, const ast::select_op& sel) {
        const auto& args = *sel.args;
        Node n = make(Op::macro, head);
        n.end = sel.end;
        n.name = "cel.bind";
        n.macro = Macro::bind;
        if (args.size() != 3) {
            error(sel.begin + 1, sel.end, "arity",
                  "'cel.bind' takes 3 arguments, not " + std::to_string(args.size()));
            return n;
        }
        std::string var = simple_ident(args[0]);
        if (var.empty()) {
            error(args[0].begin, args[0].end, "macro-variable",
                  "the first argument of 'cel.bind' must be a variable name");
            return n;
        }
        Node init = expression(args[1]);
        n.slot = slots++;
        scope_.push_back({var, n.slot, init.type});
        n.kids.push_back(std::move(init));
        n.kids.push_back(expression(args[2]));
        scope_.pop_back();
        n.type = n.kids[1].type;
        return n;
    }

    Node index(Node base, const ast::index_op& ix) {
        Node n;
        n.op = Op::index;
        n.begin = base.begin;
        n.end = ix.end;
        Node key = expression(ix.index.get());
        const Type& b = base.type;
        const Type& k = key.type;
        n.type = Type::of(K::dyn);
        auto wrong = [&](const std::string& what) {
            type_error(key.begin, key.end,
                       text_of(base) + " is " + a_type(b) + ", indexed by " + what + "; " +
                           described(key));
        };
        if (b.is(K::list)) {
            if (!k.open() && !k.numeric()) wrong("position (an int)");
            n.type = b.elem();
        } else if (b.is(K::map)) {
            if (!comparable(k, b.args[0])) wrong("key (" + a_type(b.args[0]) + ")");
            n.type = b.args[1];
        } else if (b.is(K::object)) {
            if (key.op == Op::literal && key.value.is(eval::Kind::string))
                n.type = field_type(b, key.value.as_string(), key.begin, key.end);
            else if (!comparable(k, Type::of(K::string)))
                wrong("field name (a string)");
        } else if (!b.open()) {
            type_error(n.begin, n.end,
                       text_of(base) + " is " + a_type(b) + ", which cannot be indexed");
        }
        n.kids.push_back(std::move(base));
        n.kids.push_back(std::move(key));
        return n;
    }

    /// The type of a record's field; an unknown field is an error at [b, e).
    Type field_type(const Type& record, const std::string& name, std::uint32_t b, std::uint32_t e) {
        if (const Field* f = record.schema->field(name)) return f->type;
        std::vector<std::string> hints = did_you_mean(name, record.schema->names());
        if (hints.empty() && record.schema == entity_type().schema)
            hints.push_back("fields outside the schema are read as entity.attributes." + name);
        // Besides the entity (whose fields are documented and many), a record's fields fit
        // on one line: shown when no name is close, or beside a guess among a few fields.
        if (record.schema != entity_type().schema &&
            (hints.empty() || record.schema->fields.size() <= 6)) {
            std::string all;
            for (const auto& f : record.schema->names()) all += (all.empty() ? "" : ", ") + f;
            hints.push_back(record.schema->a + " has the fields " + all);
        }
        error(b, e, "unknown-field", record.schema->a + " has no field '" + name + "'",
              std::move(hints));
        return Type::of(K::dyn);
    }

    /// The type of `base.name`: a record's field, a map's value, or an error.
    Type selected(const Node& base, const std::string& name, std::uint32_t b, std::uint32_t e) {
        const Type& t = base.type;
        if (t.is(K::object)) return field_type(t, name, b, e);
        if (t.is(K::map)) {
            if (!comparable(t.args[0], Type::of(K::string)))
                type_error(b, e, text_of(base) + " is " + a_type(t) + ": its keys are not names");
            return t.args[1];
        }
        if (!t.open() && !opts_.defer_name_errors)
            error(b, e, "unknown-field",
                  text_of(base) + " is " + a_type(t) + ", which has no field '" + name + "'",
                  t.is(K::list)
                      ? std::vector<std::string>{"to read a field of each element, "
                                                 "write " +
                                                 text_of(base) + ".exists(x, x." + name + " ...)"}
                      : std::vector<std::string>{});
        return Type::of(K::dyn);
    }

    Node select(Node base, const ast::select_op& sel) {
        if (!sel.args) {
            Node n;
            n.op = Op::select;
            n.begin = base.begin;
            n.end = sel.end;
            n.name = sel.field;
            n.type = selected(base, sel.field, sel.begin + 1, sel.end);
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
        const Type& r = range.type;
        Type elem = Type::of(K::dyn);
        if (r.is(K::list))
            elem = r.elem();
        else if (r.is(K::map))
            elem = r.args[0];
        else if (r.is(K::object))
            elem = Type::of(K::string);
        else if (r.is(K::free))
            elem = r;
        else if (!r.open())
            type_error(range.begin, range.end,
                       "'" + n.name + "' needs a list or a map; " + described(range));
        n.slot = slots++;
        n.kids.push_back(std::move(range));
        scope_.push_back({var, n.slot, elem});
        for (std::size_t k = 1; k < args.size(); ++k) n.kids.push_back(expression(args[k]));
        scope_.pop_back();
        // The predicate of all, exists, exists_one and filter, and map's filter, is a bool.
        bool predicate = n.macro != Macro::map || n.kids.size() == 4;
        if (predicate) want_bool(n.kids[1], "the condition of '" + n.name + "'");
        switch (n.macro) {
            case Macro::map:
                n.type = Type::list(n.kids.back().type);
                break;
            case Macro::filter:
                n.type = n.kids[0].type.is(K::list) ? n.kids[0].type : Type::list(elem);
                break;
            default:
                n.type = Type::of(K::boolean);
        }
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
                           [&](const auto& s) { return s.name == name; });
    }

    Node primary(const ast::primary& p) {
        struct Visit {
            Binder& c;
            Node operator()(const ast::literal& l) const { return c.literal(l); }
            Node operator()(const x3::forward_ast<ast::ident_or_call>& i) const {
                return c.ident(i.get());
            }
            Node operator()(const x3::forward_ast<ast::list_lit>& l) const {
                Node n = c.make(Op::list, l.get());
                Type elem = Type::of(K::free);
                for (const auto& e : l.get().elements) {
                    n.kids.push_back(c.expression(e));
                    elem = join(elem, n.kids.back().type);
                }
                n.type = Type::list(elem);
                return n;
            }
            Node operator()(const x3::forward_ast<ast::map_lit>& m) const {
                Node n = c.make(Op::map, m.get());
                Type key = Type::of(K::free), value = Type::of(K::free);
                for (const auto& e : m.get().entries) {
                    n.kids.push_back(c.expression(e.key));
                    key = join(key, n.kids.back().type);
                    n.kids.push_back(c.expression(e.value));
                    value = join(value, n.kids.back().type);
                }
                n.type = Type::map(key, value);
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
            if (it->name == id.name) {
                Node n = make(Op::local, id);
                n.slot = it->slot;
                n.name = id.name;
                n.type = it->type;
                return n;
            }
        if (opts_.variables.count(id.name)) {
            Node n = make(Op::variable, id);
            n.name = id.name;
            return n;
        }
        if (id.name == "entity") {
            Node n = make(Op::entity, id);
            n.type = entity_type();
            return n;
        }
        if (id.name == "as_of") {
            Node n = make(Op::as_of, id);
            n.type = Type::of(K::date);
            return n;
        }
        // Type names are values: `type(x) == int`.
        if (std::find(std::begin(type_names), std::end(type_names), id.name) !=
            std::end(type_names)) {
            Node n = make(Op::literal, id);
            n.value = eval::TypeName{id.name};
            n.type = Type::of(K::type);
            return n;
        }
        if (id.name == "regime") {
            Node n = make(Op::literal, id);
            if (!opts_.regime)
                error(id.begin, id.end, "unknown-variable",
                      "'regime' is only defined in a regime's rules");
            else
                n.type = type_of(n.value = *opts_.regime);
            return n;
        }
        std::vector<std::string> known{"entity", "as_of", "sets", "regime"};
        for (const auto& s : scope_) known.push_back(s.name);
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
        n.type = Type::of(K::boolean);
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
        for (const auto& f : functions()) {
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
                for (const auto& f : functions()) names.push_back(f.name);
                if (method)
                    names.insert(names.end(), std::begin(macro_names), std::end(macro_names));
                error(name_at, name_end, "unknown-function", "unknown function '" + name + "'",
                      did_you_mean(name, names));
            }
            return n;
        }
        n.fn = sig->fn;
        n.type = result_type(n.fn);
        for (std::size_t i = 0; i < n.kids.size(); ++i)
            if (auto want = argument_mismatch(n.fn, i, n.kids[i].type)) {
                std::string which = method && i == 0
                                        ? std::string("the receiver")
                                        : "argument " + std::to_string(method ? i : i + 1);
                type_error(
                    n.kids[i].begin, n.kids[i].end,
                    which + " of '" + name + "' must be " + *want + "; " + described(n.kids[i]));
            }
        check_call_arguments(n);
        return n;
    }

    // ---- domain checks: country codes, blocs, sectors, relations, authorities -------------

    void check_literal(const Node& arg, const std::set<std::string>& known, const char* what,
                       const char* code) {
        if (arg.op != Op::literal || !arg.value.is(eval::Kind::string)) return;
        const std::string& s = arg.value.as_string();
        if (known.count(s)) return;
        // A typo of a code keeps its first letter and hits a key next to the right one:
        // 'KX' is likelier 'KZ' than 'AX' or 'KE'. Those candidates are tried first.
        std::vector<std::string> near, same_start;
        for (const auto& k : known) {
            if (k.empty() || s.empty() || k[0] != s[0]) continue;
            same_start.push_back(k);
            if (k.size() == s.size() && k.size() == 2 && next_key(k[1], s[1])) near.push_back(k);
        }
        auto hints = near.size() == 1 ? did_you_mean(s, near) : did_you_mean(s, same_start);
        if (hints.empty()) hints = did_you_mean(s, keys(known));
        error(arg.begin, arg.end, code, std::string("unknown ") + what + " '" + s + "'",
              std::move(hints));
    }

    /// A string literal where the schema says what the string holds.
    void check_literal(const Node& arg, Vocab v) {
        static const std::set<std::string> entity_types{"company",      "bank",   "person",
                                                        "organization", "vessel", "aircraft"};
        static const std::set<std::string> measures{
            "asset_freeze", "travel_ban",     "investment_ban", "transaction_ban",
            "sectoral",     "export_control", "other"};
        static const std::set<std::string> bases{"board", "voting_agreement", "de_facto",
                                                 "joint_arrangement"};
        switch (v) {
            case Vocab::none:
                return;
            case Vocab::country:
                return check_literal(arg, vocab_.countries, "country", "unknown-country");
            case Vocab::bloc:
                return check_literal(arg, vocab_.blocs, "bloc", "unknown-bloc");
            case Vocab::sector:
                // A pack set that declares no sectors (checked alone) cannot say.
                if (vocab_.sectors.empty()) return;
                return check_literal(arg, vocab_.sectors, "sector", "unknown-sector");
            case Vocab::authority:
                if (vocab_.authorities.empty()) return;
                return check_literal(arg, vocab_.authorities, "authority", "unknown-authority");
            case Vocab::entity_type:
                return check_literal(arg, entity_types, "entity type", "unknown-value");
            case Vocab::measure:
                return check_literal(arg, measures, "measure", "unknown-value");
            case Vocab::basis:
                return check_literal(arg, bases, "control basis", "unknown-value");
        }
    }

    /// `x.country == 'RU'`, `x.country in ['RU', 'BY']`, `'defense' in x.sectors`: the
    /// literals must be in the vocabulary the field's type names.
    void check_vocab(const std::string& op, const Node& left, const Node& right) {
        auto vocab_of = [](const Type& t) {
            if (t.is(K::string)) return t.vocab;
            if (t.is(K::list) && t.elem().is(K::string)) return t.elem().vocab;
            return Vocab::none;
        };
        if (op == "==" || op == "!=") {
            if (left.type.is(K::string)) check_literal(right, left.type.vocab);
            if (right.type.is(K::string)) check_literal(left, right.type.vocab);
        } else if (op == "in") {
            if (left.type.is(K::string) && right.op == Op::list)
                for (const auto& e : right.kids) check_literal(e, left.type.vocab);
            check_literal(left, vocab_of(right.type));
        }
    }

    void check_call_arguments(const Node& n) {
        const auto& k = n.kids;
        switch (n.fn) {
            case Fn::member:
                check_literal(k[0], Vocab::country);
                check_literal(k[1], Vocab::bloc);
                break;
            case Fn::blocs:
                check_literal(k[0], Vocab::country);
                break;
            case Fn::borders:
                check_literal(k[0], Vocab::country);
                check_literal(k[1], Vocab::country);
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

    Node literal(const ast::literal& l) {
        Node n = make(Op::literal, l);
        const std::size_t before = issues.size();
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
                n.value = literals::number(l, false, issues);
                break;
            case 's':
                n.value = literals::string(l, issues);
                break;
        }
        if (issues.size() == before) n.type = type_of(n.value);  // else dyn: no cascade
        return n;
    }

    std::string_view text_;
    const Vocabulary& vocab_;
    const CheckOptions& opts_;
    std::vector<Local> scope_;
};

}  // namespace

Bound bind(const dsl::ast::expression& tree, std::string_view text, const Vocabulary& vocab,
           const CheckOptions& opts) {
    Binder b(text, vocab, opts);
    Bound out;
    out.root = b.expression(tree);
    out.slots = b.slots;
    out.issues = std::move(b.issues);
    return out;
}

}  // namespace sanx::check
