#include "source/utf8.hpp"

#include <cstdio>

#include <simdjson.h>
#include <unicode/uchar.h>

namespace sanx::source {

std::size_t utf8_sequence(std::string_view s, std::size_t pos, char32_t& cp) {
    if (pos >= s.size()) return 0;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
    const unsigned char b0 = byte(0);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    } else {
        return 0;  // a continuation byte, 0xC0/0xC1 (always overlong) or 0xF5 and above
    }
    if (pos + len > s.size()) return 0;
    for (std::size_t i = 1; i < len; ++i) {
        if ((byte(i) & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (byte(i) & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

std::size_t first_invalid_utf8(std::string_view s, std::size_t from) {
    char32_t cp = 0;
    for (std::size_t i = from; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        std::size_t n = utf8_sequence(s, i, cp);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

std::size_t char_width(char32_t cp) {
    if (cp < 0x80) return 1;  // ASCII (a tab is left to the caller)
    const auto c = static_cast<UChar32>(cp);
    switch (u_charType(c)) {
        case U_NON_SPACING_MARK:  // combining accents: they sit on the character before
        case U_ENCLOSING_MARK:
        case U_FORMAT_CHAR:  // zero-width joiner, soft hyphen, bidi marks
            return 0;
        default:
            break;
    }
    const auto ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

std::size_t display_width(std::string_view s) {
    std::size_t width = 0;
    char32_t cp = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_sequence(s, i, cp);
        width += n == 0 ? 1 : char_width(cp);
        i += n == 0 ? 1 : n;
    }
    return width;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t end = max_bytes;
    // Back off continuation bytes, then drop the lead byte whose sequence does not fit.
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0u) == 0x80u) --end;
    return s.substr(0, end);
}

std::string printable_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t at = 0; at < s.size();) {
        std::size_t bad = first_invalid_utf8(s, at);
        out.append(s.substr(at, bad == std::string_view::npos ? s.npos : bad - at));
        if (bad == std::string_view::npos) break;
        out += "\xEF\xBF\xBD";
        at = bad + 1;
    }
    return out;
}

std::string code_point_name(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

}  // namespace sanx::source
