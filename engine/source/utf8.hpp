#pragma once

// UTF-8 checks for text that leaves sanx: every byte sanx writes as JSON is valid UTF-8,
// whatever bytes came in.

#include <string>
#include <string_view>

namespace sanx::source {

/// Whether `s` is valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool valid_utf8(std::string_view s);

/// `s` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view s);

}  // namespace sanx::source
