#include "common/value.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sanx/engine.hpp>

namespace sanx::eval {

const Value* Value::field(std::string_view key) const {
    // The hottest lookup of evaluation and indexing: no checked access, sizes first.
    const auto* map = std::get_if<std::shared_ptr<const Map>>(&v_);
    if (!map) return nullptr;
    for (const auto& [k, v] : **map)
        if (const auto* s = std::get_if<std::string>(&k.v_);
            s && s->size() == key.size() && std::memcmp(s->data(), key.data(), key.size()) == 0)
            return &v;
    return nullptr;
}

std::string type_name(const Value& v) {
    switch (v.kind()) {
        case Kind::null:
            return "null_type";
        case Kind::boolean:
            return "bool";
        case Kind::int64:
            return "int";
        case Kind::uint64:
            return "uint";
        case Kind::dbl:
            return "double";
        case Kind::string:
            return "string";
        case Kind::bytes:
            return "bytes";
        case Kind::list:
            return "list";
        case Kind::map:
            return "map";
        case Kind::date:
            return "date";
        case Kind::type:
            return "type";
        case Kind::unknown:
            return "unknown";
        case Kind::error:
            return "error";
    }
    return "?";
}

namespace {

bool is_number(const Value& v) {
    return v.kind() == Kind::int64 || v.kind() == Kind::uint64 || v.kind() == Kind::dbl;
}

int compare_numbers(const Value& a, const Value& b) {
    auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (a.kind() == Kind::dbl || b.kind() == Kind::dbl) {
        auto d = [](const Value& v) {
            switch (v.kind()) {
                case Kind::int64:
                    return static_cast<double>(v.as_int());
                case Kind::uint64:
                    return static_cast<double>(v.as_uint());
                default:
                    return v.as_double();
            }
        };
        double x = d(a), y = d(b);
        if (std::isnan(x) || std::isnan(y)) return unordered;
        return sign(x, y);
    }
    if (a.kind() == Kind::int64 && b.kind() == Kind::int64) return sign(a.as_int(), b.as_int());
    if (a.kind() == Kind::uint64 && b.kind() == Kind::uint64) return sign(a.as_uint(), b.as_uint());
    if (a.kind() == Kind::int64) {  // int vs uint
        if (a.as_int() < 0) return -1;
        return sign(static_cast<std::uint64_t>(a.as_int()), b.as_uint());
    }
    if (b.as_int() < 0) return 1;
    return sign(a.as_uint(), static_cast<std::uint64_t>(b.as_int()));
}

}  // namespace

int compare(const Value& a, const Value& b) {
    if (is_number(a) && is_number(b)) return compare_numbers(a, b);
    if (a.kind() != b.kind()) return unordered;
    auto sign = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (a.kind()) {
        case Kind::boolean:
            return sign(a.as_bool(), b.as_bool());
        case Kind::string:
            return sign(a.as_string(), b.as_string());
        case Kind::bytes:
            return sign(a.as_bytes().data, b.as_bytes().data);
        case Kind::date:
            return sign(a.as_date().days, b.as_date().days);
        default:
            return unordered;
    }
}

bool equal(const Value& a, const Value& b) {
    if (is_number(a) && is_number(b)) return compare_numbers(a, b) == 0;
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case Kind::null:
            return true;
        case Kind::list: {
            const List& x = a.as_list();
            const List& y = b.as_list();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (!equal(x[i], y[i])) return false;
            return true;
        }
        case Kind::map: {
            const Map& x = a.as_map();
            const Map& y = b.as_map();
            if (x.size() != y.size()) return false;
            for (const auto& [k, v] : x) {
                bool found = false;
                for (const auto& [k2, v2] : y)
                    if (equal(k, k2)) {
                        if (!equal(v, v2)) return false;
                        found = true;
                        break;
                    }
                if (!found) return false;
            }
            return true;
        }
        case Kind::type:
            return a.as_type().name == b.as_type().name;
        case Kind::unknown:
        case Kind::error:
            return false;
        default:
            return compare(a, b) == 0;
    }
}

namespace {
/// CEL's text of a double (cel-go's, strconv 'g' with the shortest digits): the fewest
/// digits that read back as the same double; exponent form only below 1e-4 or from 1e6.
/// 40.0 is "40", -4.5e-3 is "-0.0045", 1e6 is "1e+06".
std::string number_text(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "+infinity" : "-infinity";
    char buf[64];
    int digits = 17;
    for (int prec = 1; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (std::strtod(buf, nullptr) == d) {
            digits = prec;
            break;
        }
    }
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, d);
    const int exp = std::atoi(std::strchr(buf, 'e') + 1);
    if (exp < -4 || exp >= 6) return buf;
    std::snprintf(buf, sizeof buf, "%.*f", std::max(digits - 1 - exp, 0), d);
    return buf;
}

std::string quote(const std::string& s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '\'';
    std::size_t plain = 0;  // start of the run that needs no escape
    for (std::size_t i = s.find_first_of("'\\\n"); i != std::string::npos;
         i = s.find_first_of("'\\\n", plain)) {
        out.append(s, plain, i - plain);
        out += s[i] == '\n' ? "\\n" : s[i] == '\'' ? "\\'" : "\\\\";
        plain = i + 1;
    }
    out.append(s, plain);
    out += '\'';
    return out;
}

std::string join_text(const Value& v, bool quoted) {
    switch (v.kind()) {
        case Kind::null:
            return "null";
        case Kind::boolean:
            return v.as_bool() ? "true" : "false";
        case Kind::int64:
            return std::to_string(v.as_int());
        case Kind::uint64:
            return std::to_string(v.as_uint()) + (quoted ? "u" : "");
        case Kind::dbl:
            return number_text(v.as_double());
        case Kind::string:
            return quoted ? quote(v.as_string()) : v.as_string();
        case Kind::bytes:
            return quoted ? "b" + quote(v.as_bytes().data) : v.as_bytes().data;
        case Kind::list: {
            std::string out = "[";
            for (std::size_t i = 0; i < v.as_list().size(); ++i)
                out += (i ? ", " : "") + join_text(v.as_list()[i], quoted);
            return out + "]";
        }
        case Kind::map: {
            std::string out = "{";
            bool first = true;
            for (const auto& [k, x] : v.as_map()) {
                out += (first ? "" : ", ") + join_text(k, quoted) + ": " + join_text(x, quoted);
                first = false;
            }
            return out + "}";
        }
        case Kind::date:
            return format_date(v.as_date());
        case Kind::type:
            return v.as_type().name;
        case Kind::unknown: {
            // In a message, "(entity.name not given) operates in ..." says what is missing.
            std::string out;
            for (const auto& m : v.as_unknown().missing) out += (out.empty() ? "" : ", ") + m;
            return out.empty() ? "(unknown)" : "(" + out + " not given)";
        }
        case Kind::error:
            return "(error: " + v.as_error().message + ")";
    }
    return "";
}
}  // namespace

std::string display(const Value& v) { return join_text(v, false); }
std::string literal_text(const Value& v) { return join_text(v, true); }

std::string id_and_name(const Value& v) {
    if (!v.is(Kind::map)) return {};
    const Value* id = v.field("id");
    const Value* name = v.field("name");
    std::string out;
    if (id) out = display(*id);
    if (name) out += out.empty() ? display(*name) : " (" + display(*name) + ")";
    return out;
}

bool parse_date(std::string_view t, Date& out) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (t[i] < '0' || t[i] > '9') return false;
    auto num = [&](std::size_t b, std::size_t n) {
        int x = 0;
        for (std::size_t i = b; i < b + n; ++i) x = x * 10 + (t[i] - '0');
        return x;
    };
    std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                    std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                    std::chrono::day{static_cast<unsigned>(num(8, 2))}};
    if (!ymd.ok()) return false;
    out.days = static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
    return true;
}

bool in_force(const Value& dated, Date on) {
    const Value* from = dated.field("from");
    const Value* until = dated.field("until");
    if (from && from->is(Kind::date) && from->as_date().days > on.days) return false;
    if (until && until->is(Kind::date) && until->as_date().days < on.days) return false;
    return true;
}

std::string percent_text(double percent) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", percent);
    return buf;
}

Date today() {
    auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return Date{static_cast<std::int32_t>(now.time_since_epoch().count())};
}

std::string format_date(Date d) {
    std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d.days}}};
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) {  // not the four digits below
        char buf[24];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()));
        return buf;
    }
    std::string out = "0000-00-00";
    auto put = [&](std::size_t end, unsigned v) {
        for (std::size_t i = end; v > 0; v /= 10) out[--i] = static_cast<char>('0' + v % 10);
    };
    put(4, static_cast<unsigned>(year));
    put(7, static_cast<unsigned>(ymd.month()));
    put(10, static_cast<unsigned>(ymd.day()));
    return out;
}

Value merge_unknown(const Value& a, const Value& b) {
    Unknown u;
    for (const Value* v : {&a, &b})
        if (v->is_unknown())
            for (const auto& m : v->as_unknown().missing) {
                bool seen = false;
                for (const auto& x : u.missing) seen = seen || x == m;
                if (!seen) u.missing.push_back(m);
            }
    return u;
}

}  // namespace sanx::eval

namespace sanx::eval {

namespace {

std::string cel_double(double d) {
    if (std::isnan(d)) return "double(\"NaN\")";
    if (std::isinf(d)) return d > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
    std::string s = number_text(d);
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
    return s;
}

void cel_quoted(std::string& out, std::string_view s, bool bytes) {
    static const char* hex = "0123456789abcdef";
    out += bytes ? "b\"" : "\"";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"':
                out += "\\\"";
                continue;
            case '\\':
                out += "\\\\";
                continue;
            case '\n':
                out += "\\n";
                continue;
            case '\r':
                out += "\\r";
                continue;
            case '\t':
                out += "\\t";
                continue;
            default:
                break;
        }
        if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += ch;
        }
    }
    out += '"';
}

void cel_text(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Kind::uint64:
            out += std::to_string(v.as_uint()) + "u";
            return;
        case Kind::dbl:
            out += cel_double(v.as_double());
            return;
        case Kind::string:
            cel_quoted(out, v.as_string(), false);
            return;
        case Kind::bytes:
            cel_quoted(out, v.as_bytes().data, true);
            return;
        case Kind::list: {
            out += '[';
            bool first = true;
            for (const auto& e : v.as_list()) {
                if (!first) out += ", ";
                first = false;
                cel_text(out, e);
            }
            out += ']';
            return;
        }
        case Kind::map: {
            out += '{';
            bool first = true;
            for (const auto& [k, x] : v.as_map()) {
                if (!first) out += ", ";
                first = false;
                cel_text(out, k);
                out += ": ";
                cel_text(out, x);
            }
            out += '}';
            return;
        }
        case Kind::date:
            out += "date(\"" + format_date(v.as_date()) + "\")";
            return;
        case Kind::unknown: {
            out += "unknown(";
            const auto& m = v.as_unknown().missing;
            for (std::size_t i = 0; i < m.size(); ++i) out += (i ? ", " : "") + m[i];
            out += ')';
            return;
        }
        default:
            out += display(v);
    }
}

}  // namespace

std::string cel_literal(const Value& v) {
    std::string out;
    cel_text(out, v);
    return out;
}

}  // namespace sanx::eval

namespace sanx {

bool is_date(const std::string& text) {
    eval::Date d;
    return eval::parse_date(text, d);
}

}  // namespace sanx
