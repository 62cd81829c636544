// The builtin functions and conversions of the language (CEL's standard functions, the
// domain functions' dispatch, int(), uint(), double(), string()).

#include <re2/re2.h>

#include <unordered_map>

#include "eval/evaluator_core.hpp"

namespace sanx::eval::core {

namespace {

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

}  // namespace

Value Evaluator::call(const Node& n, std::string* why) {
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
            if (a.is(Kind::string)) return static_cast<std::int64_t>(utf8_length(a.as_string()));
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
                if (s == "true" || s == "True" || s == "TRUE" || s == "t" || s == "1") return true;
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
            if (!a.is(Kind::list) || (args.size() > 1 && !str(1))) return no_overload(n, "join", a);
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
                        *why = "HS " + code + " starts with " + p.as_string() +
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
            if (!str(0) || !str(1) || !str(2)) return error_at(n, "related() takes three strings");
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

Value Evaluator::to_int(const Node& n, const Value& a) {
    switch (a.kind()) {
        case Kind::int64:
            return a;
        case Kind::uint64:
            if (a.as_uint() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
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

Value Evaluator::to_uint(const Node& n, const Value& a) {
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

Value Evaluator::to_double(const Node& n, const Value& a) {
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

Value Evaluator::to_string(const Node& n, const Value& a) {
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

}  // namespace sanx::eval::core
