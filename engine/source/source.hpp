#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sanx/diagnostic.hpp>

namespace sanx::source {

/// A whole file held in memory with its line-start table, built once.
class Source {
  public:
    Source(std::string name, std::string text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }

    /// 1-based line and column of a byte offset.
    Location locate(std::size_t offset, std::size_t length = 1) const;
    /// The 1-based line of `offset`, without the copy of its text that locate() makes.
    int line_of(std::size_t offset) const;
    std::string_view line_text(int line) const;

  private:
    std::string name_;
    std::string text_;
    std::vector<std::size_t> line_starts_;
};

using SourcePtr = std::shared_ptr<const Source>;

/// The most an input or list file may hold (docs/limits.md).
inline constexpr std::size_t max_input_bytes = std::size_t{4} << 30;

/// A file's whole text, read in bounded blocks: null with a diagnostic when it cannot be
/// read or is larger than `max_bytes` (so /dev/zero is an error, not exhausted memory).
SourcePtr read_source(const std::string& path, std::vector<Diagnostic>& out,
                      std::size_t max_bytes = max_input_bytes);
/// The same from a stream (standard input), named `name` in positions.
SourcePtr read_source(std::istream& in, const std::string& name, std::vector<Diagnostic>& out,
                      std::size_t max_bytes = max_input_bytes);

/// Where a YAML scalar's value came from: maps an offset inside the parsed value back to
/// the file, also for quoted and block scalars, whose text differs from the value.
struct ScalarOrigin {
    SourcePtr file;
    std::size_t pos = 0;  ///< byte offset of the scalar's first character (yaml-cpp Mark.pos)
    bool known = false;

    Location locate(std::string_view value, std::size_t offset, std::size_t length = 1) const;
};

/// A diagnostic at a place in a scalar's value.
Diagnostic make_diagnostic(Severity sev, std::string code, std::string message,
                           const ScalarOrigin& origin, std::string_view value, std::size_t offset,
                           std::size_t length = 1, std::vector<std::string> hints = {});

/// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, when it is close enough to be a likely typo.
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

/// Collapses runs of white space (expressions written over several lines, block scalars)
/// into one space, with none at either end.
std::string one_line(std::string_view s);
/// `s` without spaces, tabs and line breaks at either end.
std::string_view trim(std::string_view s);

/// `s` in double quotes with `"`, `\` and line breaks escaped, as Graphviz dot and YAML
/// double-quoted scalars read it.
std::string double_quoted(std::string_view s);

/// A count with its noun in agreement: "1 entity", "0 entities", "2 entities".
std::string count_text(long long n, std::string_view singular, std::string_view plural);

}  // namespace sanx::source
