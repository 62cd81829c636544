#include "eval/evaluator_core.hpp"

namespace sanx::eval {

namespace core {

Value Evaluator::eval(const Node& n) {
    if (++f_.steps > f_.max_steps)
        return error_at(n, "evaluation takes more than " + std::to_string(f_.max_steps) + " steps");
    if (++f_.depth > max_depth) {
        --f_.depth;
        return error_at(n, "evaluation nests too deeply");
    }
    Value v = eval_node(n);
    if (f_.observer) f_.observer->seen(n, v);
    --f_.depth;
    return v;
}

std::string Evaluator::path_of(const Node& n) const {
    std::string out;
    if (!append_path(n, out)) out.clear();
    return out;
}

std::string Evaluator::path_of_local(std::size_t slot) const {
    std::string out;
    if (!append_local_path(slot, out)) out.clear();
    return out;
}

std::string Evaluator::domain_why(const Node& n) {
    std::string why;
    call(n, &why);
    return why;
}

void Evaluator::bind(std::size_t slot, const Node& range, std::size_t index, const Value& item) {
    if (f_.locals.size() <= slot) {
        f_.locals.resize(slot + 1);
        f_.local_paths.resize(slot + 1);
    }
    if (bound_.size() <= slot) bound_.resize(slot + 1);
    f_.locals[slot] = item;
    bound_[slot] = {&range, index};
}

void Evaluator::unbind(std::size_t slot) {
    if (slot < bound_.size()) bound_[slot].range = nullptr;
}

Value Evaluator::eval_node(const Node& n) {
    switch (n.op) {
        case Op::literal:
            return n.value;
        case Op::entity:
            if (!f_.entity) return error_at(n, "no entity is being checked");
            return *f_.entity;
        case Op::as_of:
            if (!f_.domain) return error_at(n, "no evaluation date");
            return f_.domain->as_of();
        case Op::variable: {
            if (f_.variables)
                if (auto it = f_.variables->find(n.name); it != f_.variables->end())
                    return it->second;
            return error_at(n, "no value for variable '" + n.name + "'");
        }
        case Op::local:
            return f_.locals[static_cast<std::size_t>(n.slot)];
        case Op::select:
            return select(n);
        case Op::has: {
            Value base = eval(n.kids[0]);
            if (base.is_exceptional()) return base;
            if (!base.is(Kind::map)) return no_overload(n, "has", base);
            return base.field(n.name) != nullptr;
        }
        case Op::index:
            return index(n);
        case Op::call:
            return call(n, nullptr);
        case Op::list: {
            List out;
            out.reserve(n.kids.size());
            for (const auto& k : n.kids) {
                Value v = eval(k);
                if (v.is_exceptional()) return v;
                out.push_back(std::move(v));
            }
            return out;
        }
        case Op::map: {
            Map out;
            for (std::size_t i = 0; i + 1 < n.kids.size(); i += 2) {
                Value k = eval(n.kids[i]);
                Value v = eval(n.kids[i + 1]);
                if (k.is_exceptional() || v.is_exceptional()) return pass_on(k, v);
                if (!(k.is(Kind::string) || k.is(Kind::int64) || k.is(Kind::uint64) ||
                      k.is(Kind::boolean)))
                    return error_at(n.kids[i], "unsupported key type " + type_name(k));
                for (const auto& [k2, v2] : out)
                    if (equal(k, k2)) return error_at(n.kids[i], "repeated key " + literal_text(k));
                out.emplace_back(std::move(k), std::move(v));
            }
            return out;
        }
        case Op::not_: {
            Value v = eval(n.kids[0]);
            if (v.is_exceptional()) return v;
            if (!v.is(Kind::boolean)) return no_overload(n, "!", v);
            return !v.as_bool();
        }
        case Op::neg:
            return negate(n, eval(n.kids[0]));
        case Op::binary:
            return binary(n);
        case Op::and_:
        case Op::or_:
            return logical(n);
        case Op::cond: {
            Value c = eval(n.kids[0]);
            if (c.is_exceptional()) return c;
            if (!c.is(Kind::boolean)) return no_overload(n, "_?_:_", c);
            return eval(n.kids[c.as_bool() ? 1 : 2]);
        }
        case Op::macro:
            return macro(n);
    }
    return error_at(n, "internal: unknown node");
}

Value Evaluator::select(const Node& n) {
    // Fields of the entity and of macro variables are read in place, without copying
    // the map they belong to.
    const Node& from = n.kids[0];
    Value held;
    const Value* place = nullptr;
    if (from.op == Op::entity && f_.entity)
        place = f_.entity;
    else if (from.op == Op::local)
        place = &f_.locals[static_cast<std::size_t>(from.slot)];
    else {
        held = eval(from);
        place = &held;
    }
    const Value& base = *place;
    if (base.is_exceptional()) return base;
    if (!base.is(Kind::map))
        return error_at(n, "cannot select '" + n.name + "' from " + type_name(base));
    if (const Value* v = base.field(n.name)) return *v;
    std::string path = path_of(n);
    if (!path.empty()) return Unknown{{path}};
    return error_at(n, "no such key: " + n.name);
}

Value Evaluator::index(const Node& n) {
    Value base = eval(n.kids[0]);
    Value key = eval(n.kids[1]);
    if (base.is_exceptional() || key.is_exceptional()) return pass_on(base, key);
    if (base.is(Kind::list)) {
        const List& l = base.as_list();
        std::int64_t i = 0;
        if (key.is(Kind::int64))
            i = key.as_int();
        else if (key.is(Kind::uint64))
            i = static_cast<std::int64_t>(
                std::min<std::uint64_t>(key.as_uint(), std::numeric_limits<std::int64_t>::max()));
        else if (key.is(Kind::dbl) && std::floor(key.as_double()) == key.as_double())
            i = static_cast<std::int64_t>(key.as_double());
        else
            return no_overload(n, "[]", base, key);
        if (i < 0 || static_cast<std::size_t>(i) >= l.size())
            return error_at(n, "index out of range: " + std::to_string(i));
        return l[static_cast<std::size_t>(i)];
    }
    if (base.is(Kind::map)) {
        for (const auto& [k, v] : base.as_map())
            if (equal(k, key)) return v;
        std::string path = path_of(n.kids[0]);
        if (!path.empty()) return Unknown{{path + "[" + literal_text(key) + "]"}};
        return error_at(n, "no such key: " + display(key));
    }
    return no_overload(n, "[]", base, key);
}

Value Evaluator::negate(const Node& n, const Value& v) {
    if (v.is_exceptional()) return v;
    if (v.is(Kind::int64)) {
        if (v.as_int() == std::numeric_limits<std::int64_t>::min())
            return error_at(n, "int overflow");
        return -v.as_int();
    }
    if (v.is(Kind::dbl)) return -v.as_double();
    return no_overload(n, "-", v);
}

Value Evaluator::logical(const Node& n) {
    bool is_and = n.op == Op::and_;
    // The side that decides wins, whatever the other side is (CEL's commutative && and ||).
    Value a = eval(n.kids[0]);
    if (a.is(Kind::boolean) && a.as_bool() != is_and) {
        if (f_.choices && !is_and) f_.choices->push_back({&n, 0});
        return a;
    }
    Value b = eval(n.kids[1]);
    if (b.is(Kind::boolean) && b.as_bool() != is_and) {
        if (f_.choices && !is_and) f_.choices->push_back({&n, 1});
        return b;
    }
    if (!a.is(Kind::boolean) && !a.is_exceptional()) a = no_overload(n, is_and ? "&&" : "||", a);
    if (!b.is(Kind::boolean) && !b.is_exceptional()) b = no_overload(n, is_and ? "&&" : "||", b);
    if (a.is_exceptional() || b.is_exceptional()) return pass_on(a, b);
    return is_and;
}

Value Evaluator::binary(const Node& n) {
    Value a = eval(n.kids[0]);
    // `s in ['RU', 'BY']`, `g in sets.chpl`: a lookup, and no list is built. A trace sees
    // every node's value, so it takes the way below.
    if (n.strings && !f_.observer) {
        if (a.is_exceptional()) return a;
        if (a.is(Kind::string)) return n.strings->count(a.as_string()) > 0;
    }
    Value b = eval(n.kids[1]);
    if (a.is_exceptional() || b.is_exceptional()) return pass_on(a, b);
    const std::string& op = n.name;
    if (op == "==") return equal(a, b);
    if (op == "!=") return !equal(a, b);
    if (op == "in") {
        if (b.is(Kind::list)) {
            for (const auto& e : b.as_list())
                if (equal(a, e)) return true;
            return false;
        }
        if (b.is(Kind::map)) {
            for (const auto& [k, v] : b.as_map())
                if (equal(a, k)) return true;
            return false;
        }
        return no_overload(n, "in", a, b);
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
        int c = compare(a, b);
        if (c == unordered) {
            bool numbers = (a.is(Kind::dbl) || a.is(Kind::int64) || a.is(Kind::uint64)) &&
                           (b.is(Kind::dbl) || b.is(Kind::int64) || b.is(Kind::uint64));
            if (numbers) return false;  // NaN is not ordered against anything
            return no_overload(n, op, a, b);
        }
        if (op == "<") return c < 0;
        if (op == "<=") return c <= 0;
        if (op == ">") return c > 0;
        return c >= 0;
    }
    if (a.kind() != b.kind()) return no_overload(n, op, a, b);
    char o = op[0];
    switch (a.kind()) {
        case Kind::int64:
            return integer(n, op, a.as_int(), b.as_int());
        case Kind::uint64:
            return integer(n, op, a.as_uint(), b.as_uint());
        case Kind::dbl: {
            double x = a.as_double(), y = b.as_double();
            switch (o) {
                case '+':
                    return x + y;
                case '-':
                    return x - y;
                case '*':
                    return x * y;
                case '/':
                    return x / y;
            }
            break;
        }
        case Kind::string:
            if (o == '+') return a.as_string() + b.as_string();
            break;
        case Kind::bytes:
            if (o == '+') return Bytes{a.as_bytes().data + b.as_bytes().data};
            break;
        case Kind::list:
            if (o == '+') {
                List out = a.as_list();
                out.insert(out.end(), b.as_list().begin(), b.as_list().end());
                return out;
            }
            break;
        default:
            break;
    }
    return no_overload(n, op, a, b);
}

Value Evaluator::bind_value(const Node& n) {
    auto slot = static_cast<std::size_t>(n.slot);
    Value v = eval(n.kids[0]);
    bind(slot, n.kids[0], whole, v);
    struct Unbind {
        Evaluator& e;
        std::size_t slot;
        ~Unbind() { e.unbind(slot); }
    } unbind_at_end{*this, slot};
    return eval(n.kids[1]);
}

Value Evaluator::macro(const Node& n) {
    if (n.macro == Macro::bind) return bind_value(n);
    Value range = eval(n.kids[0]);
    if (range.is_exceptional()) return range;
    List keys;  // a map's keys; a list is walked in place
    const List* list = &keys;
    if (range.is(Kind::list))
        list = &range.as_list();
    else if (range.is(Kind::map))
        for (const auto& kv : range.as_map()) keys.push_back(kv.first);
    else
        return error_at(n, "'" + n.name + "' needs a list or map, not " + type_name(range));
    const List& items = *list;
    auto slot = static_cast<std::size_t>(n.slot);
    if (f_.locals.size() <= slot) {
        f_.locals.resize(slot + 1);
        f_.local_paths.resize(slot + 1);
    }
    if (bound_.size() <= slot) bound_.resize(slot + 1);
    // The variable's path (`entity.counterparties[2]`) is only spelled out when a message
    // needs it; the binding ends with this macro.
    struct Unbind {  // by index: nested macros may grow bound_
        std::vector<Binding>& bound;
        std::size_t slot;
        ~Unbind() { bound[slot].range = nullptr; }
    } unbind{bound_, slot};
    auto bind = [&](std::size_t i) {
        f_.locals[slot] = items[i];
        bound_[slot] = {&n.kids[0], i};
    };
    Value pending = false;  // an unknown or error that did not decide the answer
    bool have_pending = false;
    auto note = [&](const Value& v) {
        pending = have_pending ? pass_on(pending, v) : v;
        have_pending = true;
    };
    auto as_bool = [&](const Value& v) -> int {  // 1 true, 0 false, -1 pending
        if (v.is(Kind::boolean)) return v.as_bool() ? 1 : 0;
        note(v.is_exceptional() ? v : no_overload(n.kids[1], n.name, v));
        return -1;
    };
    switch (n.macro) {
        case Macro::exists:
            for (std::size_t i = 0; i < items.size(); ++i) {
                bind(i);
                if (as_bool(eval(n.kids[1])) == 1) {
                    if (f_.choices) f_.choices->push_back({&n, i});
                    return true;
                }
            }
            return have_pending ? pending : Value(false);
        case Macro::all:
            for (std::size_t i = 0; i < items.size(); ++i) {
                bind(i);
                if (as_bool(eval(n.kids[1])) == 0) return false;
            }
            return have_pending ? pending : Value(true);
        case Macro::exists_one: {
            int count = 0;
            for (std::size_t i = 0; i < items.size(); ++i) {
                bind(i);
                count += as_bool(eval(n.kids[1])) == 1;
            }
            if (have_pending) return pending;
            return count == 1;
        }
        case Macro::filter:
        case Macro::map: {
            List out;
            bool filtered = n.macro == Macro::filter || n.kids.size() == 3;
            for (std::size_t i = 0; i < items.size(); ++i) {
                bind(i);
                if (filtered) {
                    int keep = as_bool(eval(n.kids[1]));
                    if (keep == -1) return pending;
                    if (keep == 0) continue;
                }
                if (n.macro == Macro::filter) {
                    out.push_back(items[i]);
                    continue;
                }
                Value v = eval(n.kids.back());
                if (v.is_exceptional()) return v;
                out.push_back(std::move(v));
            }
            return out;
        }
        case Macro::bind:
            break;  // bind_value()
    }
    return error_at(n, "internal: unknown macro");
}

bool Evaluator::append_path(const Node& n, std::string& out) const {
    switch (n.op) {
        case Op::entity:
            out += "entity";
            return true;
        case Op::local:
            return append_local_path(static_cast<std::size_t>(n.slot), out);
        case Op::select:
            if (!append_path(n.kids[0], out)) return false;
            out += '.';
            out += n.name;
            return true;
        case Op::call: {  // `declared('kz-reseller')`, a hop named by where it lands
            if (n.fn != Fn::declared) return false;
            const Node& arg = n.kids[0];
            const auto slot = static_cast<std::size_t>(arg.slot);
            const Value* x = arg.op == Op::local
                                 ? (slot < f_.locals.size() ? &f_.locals[slot] : nullptr)
                             : arg.op == Op::entity  ? f_.entity
                             : arg.op == Op::literal ? &arg.value
                                                     : nullptr;
            std::string id = x ? id_text(*x) : std::string();
            if (id.empty()) return false;
            out += "declared(" + literal_text(Value(id)) + ")";
            return true;
        }
        default:
            return false;
    }
}

std::string Evaluator::id_text(const Value& x) {
    if (x.is(Kind::string)) return x.as_string();
    if (!x.is(Kind::map)) return {};
    const Value* id = x.field("id");
    return id && id->is(Kind::string) ? id->as_string() : std::string();
}

bool Evaluator::append_local_path(std::size_t slot, std::string& out) const {
    if (slot < bound_.size() && bound_[slot].range) {  // bound by this evaluator
        const Node& range = *bound_[slot].range;
        const std::size_t mark = out.size();
        if (!append_path(range, out)) {
            out.resize(mark);
            if (range.end <= range.begin || range.end > text_.size()) return false;
            out += text_.substr(range.begin, range.end - range.begin);
        }
        if (bound_[slot].index == whole) return true;  // cel.bind: the value itself
        out += '[';
        out += std::to_string(bound_[slot].index);
        out += ']';
        return true;
    }
    if (slot >= f_.local_paths.size() || f_.local_paths[slot].empty()) return false;
    out += f_.local_paths[slot];
    return true;
}

}  // namespace core

using core::Evaluator;

Value evaluate_node(const check::Node& node, Frame& frame) {
    Evaluator ev(frame);
    return ev.eval(node);
}

std::string path_of(const check::Node& node, Frame& frame) {
    Evaluator ev(frame);
    return ev.path_of(node);
}

std::string domain_reason(const check::Node& call, Frame& frame) {
    Evaluator ev(frame);
    return ev.domain_why(call);
}

Value evaluate(const check::Checked& expr, Frame& frame) {
    if (frame.locals.size() < static_cast<std::size_t>(expr.slots)) {
        frame.locals.resize(static_cast<std::size_t>(expr.slots));
        frame.local_paths.resize(static_cast<std::size_t>(expr.slots));
    }
    frame.steps = 0;
    Evaluator ev(frame);
    return ev.eval(expr.root);
}

}  // namespace sanx::eval
