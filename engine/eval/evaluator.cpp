#include "eval/evaluator.hpp"
#include "eval/why_not.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>

#include <re2/re2.h>
#include <boost/container/small_vector.hpp>

namespace sanx::eval {

namespace {

using check::Fn;
using check::Macro;
using check::Node;
using check::Op;

constexpr int max_depth = 500;

Value error_at(const Node& n, std::string msg) { return Error{std::move(msg), n.begin, n.end}; }

/// Unknowns win over errors, as in CEL: the answer may still be decided once the fact is known.
Value pass_on(const Value& a, const Value& b) {
    if (a.is_unknown() || b.is_unknown()) return merge_unknown(a, b);
    return a.is_error() ? a : b;
}

Value no_overload(const Node& n, const std::string& op, const Value& a) {
    return error_at(n, "no such overload: " + op + "(" + type_name(a) + ")");
}
Value no_overload(const Node& n, const std::string& op, const Value& a, const Value& b) {
    return error_at(n, "no such overload: " + type_name(a) + " " + op + " " + type_name(b));
}

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80           ? 0
                        : (c >> 5) == 0x6  ? 1
                        : (c >> 4) == 0xE  ? 2
                        : (c >> 3) == 0x1E ? 3
                                           : 4;
        if (n == 4 || i + n >= s.size() + (n ? 0 : 1)) return false;
        std::uint32_t cp = n == 0 ? c : c & (0x3F >> n);
        for (std::size_t k = 1; k <= n; ++k) {
            auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        static constexpr std::uint32_t least[] = {0, 0x80, 0x800, 0x10000};
        if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

const RE2* regex(const std::string& pattern, std::string& err) {
    thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        RE2::Options o;
        o.set_log_errors(false);
        it = cache.emplace(pattern, std::make_unique<RE2>(pattern, o)).first;
    }
    if (!it->second->ok()) {
        err = it->second->error();
        return nullptr;
    }
    return it->second.get();
}

class Evaluator {
  public:
    /// The index of a binding that is the value itself (cel.bind), not an element.
    static constexpr std::size_t whole = static_cast<std::size_t>(-1);

    /// `text`, when given, names a bound element whose range is not the entity's data by
    /// the range's source text (`['RU', 'BY'][1]`).
    explicit Evaluator(Frame& f, std::string_view text = {}) : f_(f), text_(text) {}

    Value eval(const Node& n) {
        if (++f_.steps > f_.max_steps)
            return error_at(
                n, "evaluation takes more than " + std::to_string(f_.max_steps) + " steps");
        if (++f_.depth > max_depth) {
            --f_.depth;
            return error_at(n, "evaluation nests too deeply");
        }
        Value v = eval_node(n);
        if (f_.observer) f_.observer->seen(n, v);
        --f_.depth;
        return v;
    }

    /// `entity.counterparties[2]` for data reached from the entity; empty for other values.
    std::string path_of(const Node& n) const {
        std::string out;
        if (!append_path(n, out)) out.clear();
        return out;
    }

    /// The path of what macro variable `slot` is bound to.
    std::string path_of_local(std::size_t slot) const {
        std::string out;
        if (!append_local_path(slot, out)) out.clear();
        return out;
    }

    std::string domain_why(const Node& n) {
        std::string why;
        call(n, &why);
        return why;
    }

    /// A call's value, and a domain function's reason for it in `why`.
    Value call_with_reason(const Node& n, std::string& why) { return call(n, &why); }

    /// Binds macro variable `slot` to element `index` of `range` (whose value is `item`), as
    /// a macro of `range` would: path_of() then names it. Until unbind(slot).
    void bind(std::size_t slot, const Node& range, std::size_t index, const Value& item) {
        if (f_.locals.size() <= slot) {
            f_.locals.resize(slot + 1);
            f_.local_paths.resize(slot + 1);
        }
        if (bound_.size() <= slot) bound_.resize(slot + 1);
        f_.locals[slot] = item;
        bound_[slot] = {&range, index};
    }
    void unbind(std::size_t slot) {
        if (slot < bound_.size()) bound_[slot].range = nullptr;
    }

  private:
    Value eval_node(const Node& n) {
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
                        if (equal(k, k2))
                            return error_at(n.kids[i], "repeated key " + literal_text(k));
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

    Value select(const Node& n) {
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

    Value index(const Node& n) {
        Value base = eval(n.kids[0]);
        Value key = eval(n.kids[1]);
        if (base.is_exceptional() || key.is_exceptional()) return pass_on(base, key);
        if (base.is(Kind::list)) {
            const List& l = base.as_list();
            std::int64_t i = 0;
            if (key.is(Kind::int64))
                i = key.as_int();
            else if (key.is(Kind::uint64))
                i = static_cast<std::int64_t>(std::min<std::uint64_t>(
                    key.as_uint(), std::numeric_limits<std::int64_t>::max()));
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

    Value negate(const Node& n, const Value& v) {
        if (v.is_exceptional()) return v;
        if (v.is(Kind::int64)) {
            if (v.as_int() == std::numeric_limits<std::int64_t>::min())
                return error_at(n, "int overflow");
            return -v.as_int();
        }
        if (v.is(Kind::dbl)) return -v.as_double();
        return no_overload(n, "-", v);
    }

    Value logical(const Node& n) {
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
        if (!a.is(Kind::boolean) && !a.is_exceptional())
            a = no_overload(n, is_and ? "&&" : "||", a);
        if (!b.is(Kind::boolean) && !b.is_exceptional())
            b = no_overload(n, is_and ? "&&" : "||", b);
        if (a.is_exceptional() || b.is_exceptional()) return pass_on(a, b);
        return is_and;
    }

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

    Value binary(const Node& n) {
        Value a = eval(n.kids[0]);
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

    /// `cel.bind(x, value, body)`: the body with x bound to the value, evaluated once. An
    /// unknown or error value is bound as it is: it matters only where the body reads x.
    Value bind_value(const Node& n) {
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

    Value macro(const Node& n) {
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

    Value call(const Node& n, std::string* why) {
        boost::container::small_vector<Value, 4> args;
        for (const auto& k : n.kids) {
            args.push_back(eval(k));
            if (args.back().is_exceptional()) {
                // An unknown argument may still be settled by another argument's error: CEL
                // reports the unknown.
                Value acc = args.back();
                for (std::size_t i = args.size(); i < n.kids.size(); ++i)
                    acc = pass_on(acc, eval(n.kids[i]));
                return acc;
            }
        }
        const Value& a = args[0];
        auto str = [&](std::size_t i) -> const std::string* {
            return args.size() > i && args[i].is(Kind::string) ? &args[i].as_string() : nullptr;
        };
        switch (n.fn) {
            case Fn::member:
            case Fn::blocs:
            case Fn::borders:
            case Fn::related:
            case Fn::listed:
            case Fn::blocked:
            case Fn::blocked_share:
            case Fn::declared:
                if (!f_.domain) return error_at(n, "'" + n.name + "' needs the rule packs");
                break;
            default:
                break;
        }
        switch (n.fn) {
            case Fn::size:
                if (a.is(Kind::string))
                    return static_cast<std::int64_t>(utf8_length(a.as_string()));
                if (a.is(Kind::bytes)) return static_cast<std::int64_t>(a.as_bytes().data.size());
                if (a.is(Kind::list)) return static_cast<std::int64_t>(a.as_list().size());
                if (a.is(Kind::map)) return static_cast<std::int64_t>(a.as_map().size());
                return no_overload(n, "size", a);
            case Fn::contains:
            case Fn::starts_with:
            case Fn::ends_with: {
                if (!str(0) || !str(1)) return no_overload(n, n.name, a, args[1]);
                const std::string& s = *str(0);
                const std::string& p = *str(1);
                if (n.fn == Fn::contains) return s.find(p) != std::string::npos;
                if (n.fn == Fn::starts_with) return s.rfind(p, 0) == 0;
                return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
            }
            case Fn::matches: {
                if (!str(0) || !str(1)) return no_overload(n, "matches", a, args[1]);
                std::string err;
                const RE2* re = regex(*str(1), err);
                if (!re) return error_at(n, "invalid regular expression: " + err);
                return RE2::PartialMatch(*str(0), *re);
            }
            case Fn::int_:
                return to_int(n, a);
            case Fn::uint_:
                return to_uint(n, a);
            case Fn::double_:
                return to_double(n, a);
            case Fn::string_:
                return to_string(n, a);
            case Fn::bytes_:
                if (a.is(Kind::bytes)) return a;
                if (a.is(Kind::string)) return Bytes{a.as_string()};
                return no_overload(n, "bytes", a);
            case Fn::bool_:
                if (a.is(Kind::boolean)) return a;
                if (a.is(Kind::string)) {
                    const std::string& s = a.as_string();
                    if (s == "true" || s == "True" || s == "TRUE" || s == "t" || s == "1")
                        return true;
                    if (s == "false" || s == "False" || s == "FALSE" || s == "f" || s == "0")
                        return false;
                    return error_at(n, "cannot convert '" + s + "' to bool");
                }
                return no_overload(n, "bool", a);
            case Fn::type_:
                return TypeName{type_name(a) == "null_type" ? "null_type" : type_name(a)};
            case Fn::dyn:
                return a;
            case Fn::date: {
                if (a.is(Kind::date)) return a;
                Date d;
                if (!str(0) || !parse_date(*str(0), d))
                    return error_at(n, "not a date (YYYY-MM-DD): " + display(a));
                return d;
            }
            case Fn::join: {
                if (!a.is(Kind::list) || (args.size() > 1 && !str(1)))
                    return no_overload(n, "join", a);
                std::string out;
                const std::string sep = args.size() > 1 ? *str(1) : std::string();
                for (const auto& e : a.as_list()) {
                    if (!e.is(Kind::string)) return no_overload(n, "join", e);
                    if (&e != &a.as_list().front()) out += sep;
                    out += e.as_string();
                }
                return out;
            }
            case Fn::hs_match: {
                if (!str(0)) return no_overload(n, "hs_match", a);
                const std::string& code = *str(0);
                auto match = [&](const Value& p) {
                    return p.is(Kind::string) && !p.as_string().empty() &&
                           code.rfind(p.as_string(), 0) == 0;
                };
                if (args[1].is(Kind::string)) return match(args[1]);
                if (!args[1].is(Kind::list)) return no_overload(n, "hs_match", a, args[1]);
                for (const auto& p : args[1].as_list())
                    if (match(p)) {
                        if (why)
                            *why =
                                "HS " + code + " starts with " + p.as_string() +
                                (n.kids[1].name.rfind("sets.", 0) == 0 ? " (" + n.kids[1].name + ")"
                                                                       : std::string());
                        return true;
                    }
                return false;
            }
            case Fn::member:
                if (!str(0) || !str(1)) return no_overload(n, "member", a, args[1]);
                return f_.domain->member(*str(0), *str(1), why);
            case Fn::blocs:
                if (!str(0)) return no_overload(n, "blocs", a);
                return f_.domain->blocs(*str(0));
            case Fn::borders:
                if (!str(0) || !str(1)) return no_overload(n, "borders", a, args[1]);
                return f_.domain->borders(*str(0), *str(1), why);
            case Fn::related:
                if (!str(0) || !str(1) || !str(2))
                    return error_at(n, "related() takes three strings");
                return f_.domain->related(*str(0), *str(1), *str(2), why);
            case Fn::listed: {
                static const std::string none;
                if (args.size() > 1 && !str(1)) return no_overload(n, "listed", a, args[1]);
                if (args.size() > 2 && !str(2)) return no_overload(n, "listed", a, args[2]);
                return f_.domain->listed(a, str(1) ? *str(1) : none, str(2) ? *str(2) : none, why);
            }
            case Fn::blocked:
            case Fn::blocked_share:
                if (!str(1)) return no_overload(n, n.name, a, args[1]);
                return n.fn == Fn::blocked ? f_.domain->blocked(a, *str(1), why)
                                           : f_.domain->blocked_share(a, *str(1), why);
            case Fn::declared: {
                if (!a.is(Kind::map) && !a.is(Kind::string)) return no_overload(n, "declared", a);
                Value d = f_.domain->declared(a);
                if (!d.is(Kind::null)) return d;
                // Nothing is known of an entity the input does not declare: what a rule asks
                // of it is undecided, never false.
                std::string what = id_text(a);
                what = !what.empty() ? literal_text(Value(what)) : path_of(n.kids[0]);
                if (what.empty()) what = id_and_name(a);
                return Unknown{{"declared(" + (what.empty() ? literal_text(a) : what) + ")"}};
            }
        }
        return error_at(n, "internal: unknown function");
    }

    Value to_int(const Node& n, const Value& a) {
        switch (a.kind()) {
            case Kind::int64:
                return a;
            case Kind::uint64:
                if (a.as_uint() >
                    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return error_at(n, "int overflow");
                return static_cast<std::int64_t>(a.as_uint());
            case Kind::dbl: {
                double d = a.as_double();
                if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0))
                    return error_at(n, "int overflow");
                return static_cast<std::int64_t>(d);
            }
            case Kind::string: {
                try {
                    std::size_t used = 0;
                    long long x = std::stoll(a.as_string(), &used, 10);
                    if (used == a.as_string().size()) return static_cast<std::int64_t>(x);
                } catch (...) {
                }
                return error_at(n, "cannot convert '" + a.as_string() + "' to int");
            }
            case Kind::date:
                return static_cast<std::int64_t>(a.as_date().days) * 86400;
            default:
                return no_overload(n, "int", a);
        }
    }

    Value to_uint(const Node& n, const Value& a) {
        switch (a.kind()) {
            case Kind::uint64:
                return a;
            case Kind::int64:
                if (a.as_int() < 0) return error_at(n, "uint overflow");
                return static_cast<std::uint64_t>(a.as_int());
            case Kind::dbl: {
                double d = a.as_double();
                if (!(d > -1.0 && d < 18446744073709551616.0)) return error_at(n, "uint overflow");
                return static_cast<std::uint64_t>(d);
            }
            case Kind::string: {
                const std::string& s = a.as_string();
                if (!s.empty() && s[0] != '-') try {
                        std::size_t used = 0;
                        unsigned long long x = std::stoull(s, &used, 10);
                        if (used == s.size()) return static_cast<std::uint64_t>(x);
                    } catch (...) {
                    }
                return error_at(n, "cannot convert '" + s + "' to uint");
            }
            default:
                return no_overload(n, "uint", a);
        }
    }

    Value to_double(const Node& n, const Value& a) {
        switch (a.kind()) {
            case Kind::dbl:
                return a;
            case Kind::int64:
                return static_cast<double>(a.as_int());
            case Kind::uint64:
                return static_cast<double>(a.as_uint());
            case Kind::string: {
                const std::string& s = a.as_string();
                char* end = nullptr;
                double d = std::strtod(s.c_str(), &end);
                if (!s.empty() && end == s.c_str() + s.size()) return d;
                return error_at(n, "cannot convert '" + s + "' to double");
            }
            default:
                return no_overload(n, "double", a);
        }
    }

    Value to_string(const Node& n, const Value& a) {
        switch (a.kind()) {
            case Kind::string:
                return a;
            case Kind::bytes:
                if (!valid_utf8(a.as_bytes().data))
                    return error_at(n, "invalid UTF-8 in bytes converted to string");
                return a.as_bytes().data;
            case Kind::int64:
            case Kind::uint64:
            case Kind::dbl:
            case Kind::boolean:
            case Kind::date:
                return display(a);
            default:
                return no_overload(n, "string", a);
        }
    }

    /// Appends the path of `n` to `out` and says whether it has one (`out` is then partly
    /// written).
    bool append_path(const Node& n, std::string& out) const {
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

    /// The id an entity-like map carries, or the string itself.
    static std::string id_text(const Value& x) {
        if (x.is(Kind::string)) return x.as_string();
        if (!x.is(Kind::map)) return {};
        const Value* id = x.field("id");
        return id && id->is(Kind::string) ? id->as_string() : std::string();
    }

    bool append_local_path(std::size_t slot, std::string& out) const {
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

    struct Binding {
        const Node* range = nullptr;  ///< the macro's range expression, while it runs
        std::size_t index = 0;        ///< the element, or `whole` for cel.bind
    };

    Frame& f_;
    std::string_view text_;
    std::vector<Binding> bound_;  ///< by macro variable slot
};

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
