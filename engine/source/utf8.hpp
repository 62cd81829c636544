#pragma once

// UTF-8 as sanx reads it: every input and pack is UTF-8, so a byte that does not fit is
// found and reported at its position instead of reaching a parser or a JSON writer.

#include <cstddef>
#include <string>
#include <string_view>

namespace sanx::source {

/// The length (1 to 4) of the well-formed UTF-8 sequence at `pos`, storing its code point
/// in `cp`; 0 when the bytes there are not one (a stray continuation byte, a truncated
/// sequence, an overlong form, a surrogate, or a code point past U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t pos, char32_t& cp);

/// Whether all of `s` is well-formed UTF-8 (SIMD: cheap enough for every string written).
bool valid_utf8(std::string_view s);

/// The offset of the first byte that is not part of a well-formed sequence, or npos.
std::size_t first_invalid_utf8(std::string_view s, std::size_t from = 0);

/// How many terminal columns a code point takes: 2 for East Asian wide and fullwidth
/// characters (CJK, fullwidth forms, most emoji), 0 for combining marks and format
/// characters (U+200D), 1 for the rest (ICU's character properties).
std::size_t char_width(char32_t cp);

/// How many terminal columns `s` takes: the widths of its code points, each invalid byte as
/// one (it is shown as U+FFFD). Carets under a line are placed by this count, not by bytes.
std::size_t display_width(std::string_view s);

/// The longest prefix of `s` of at most `max_bytes` that does not cut a character apart.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// `s` with each invalid byte shown as U+FFFD, so that what is printed is UTF-8 (one
/// character per invalid byte, as display_width counts them).
std::string printable_utf8(std::string_view s);

/// "U+0430".
std::string code_point_name(char32_t cp);

}  // namespace sanx::source
