#include "check/literals.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace sanx::check::literals {

namespace ast = dsl::ast;
using eval::Value;

namespace {

void report(std::vector<Issue>& issues, std::uint32_t b, std::uint32_t e, std::string code,
            std::string msg) {
    issues.push_back({b, std::max(e, b + 1), std::move(code), std::move(msg), {}});
}

void append_utf8(std::string& out, std::uint32_t cp) {
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

}  // namespace

Value number(const ast::literal& l, bool negative, std::vector<Issue>& issues) {
    Value out;
    std::string t = l.text;
    bool is_uint = !t.empty() && (t.back() == 'u' || t.back() == 'U');
    if (is_uint) t.pop_back();
    bool hex = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
    bool is_double = !hex && t.find_first_of(".eE") != std::string::npos;
    auto overflow = [&] {
        report(issues, l.begin, l.end, "overflow",
               "number literal '" + l.text + "' is out of range");
    };
    if (is_double) {
        double d = std::strtod(t.c_str(), nullptr);
        if (std::isinf(d)) overflow();
        out = negative ? -d : d;
        return out;
    }
    std::uint64_t u = 0;
    const char* b = t.data() + (hex ? 2 : 0);
    auto [p, ec] = std::from_chars(b, t.data() + t.size(), u, hex ? 16 : 10);
    if (ec != std::errc{} || p != t.data() + t.size()) {
        overflow();
        return out;
    }
    if (is_uint) {
        if (negative)
            report(issues, l.begin, l.end, "overflow", "an unsigned literal cannot be negative");
        out = u;
    } else if (negative) {
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
            overflow();
        else
            out = static_cast<std::int64_t>(0 - u);
    } else {
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            overflow();
        else
            out = static_cast<std::int64_t>(u);
    }
    return out;
}

Value string(const ast::literal& l, std::vector<Issue>& issues) {
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
                cp =
                    cp * 16 + static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(h))
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
                    report(issues, at, at + 2, "bad-escape", "\\x needs two hex digits");
                else if (bytes)
                    out += static_cast<char>(cp);
                else
                    append_utf8(out, cp);
                break;
            case 'u':
            case 'U':
                if (bytes)
                    report(issues, at, at + 2, "bad-escape",
                           "\\u and \\U are not allowed in bytes");
                else if (!hex_digits(e == 'u' ? 4 : 8, cp))
                    report(
                        issues, at, at + 2, "bad-escape",
                        std::string("\\") + e + " needs " + (e == 'u' ? "4" : "8") + " hex digits");
                else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                    report(issues, at, at + 2, "bad-escape", "escape names an invalid code point");
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
                    report(issues, at, at + 2, "bad-escape",
                           std::string("unknown escape '\\") + e + "'");
                }
        }
    }
    if (bytes) return eval::Bytes{out};
    return out;
}

}  // namespace sanx::check::literals
