#pragma once

// A CSV reader. By default it reads the legacy files OFAC publishes: no header, `-0- ` for
// null, CRLF line ends with a trailing 0x1A (Ctrl-Z) byte or plain LF, quoted fields with
// embedded commas and doubled quotes (never line breaks inside a field). With
// Options::multiline it reads RFC 4180 as spreadsheets write it: a quoted field may span
// lines. Malformed records become diagnostics with their line (or, with keep_malformed,
// records that say what is wrong); reading goes on with the next line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sanx/diagnostic.hpp>

namespace sanx::csv {

struct Options {
    char delimiter = ',';
    /// A line break inside quotes is part of the field (RFC 4180). Off for OFAC's files,
    /// which never break a field: there it means a quote is missing, and only that line is
    /// lost.
    bool multiline = false;
    /// A malformed record comes back in its place with `error` set (and the fields read
    /// before the problem) instead of as a diagnostic.
    bool keep_malformed = false;
};

struct Record {
    int line = 0;                                    ///< 1-based line where the record starts
    std::vector<std::optional<std::string>> fields;  ///< null for `-0-`
    std::string_view raw;                            ///< the record's text, for diagnostics
    std::optional<std::string> error;  ///< with keep_malformed: why it could not be split
    std::size_t error_at = 0;          ///< where the problem is, from the start of `raw`
};

/// Splits `text` into records. Empty lines are skipped; an unterminated quote or text after
/// a closing quote is reported and the record skipped (kept, with keep_malformed).
std::vector<Record> read(const std::string& name, std::string_view text,
                         std::vector<Diagnostic>& diags, const Options& options = {});

/// A diagnostic pointing at the start of a record's line.
Diagnostic record_diagnostic(Severity severity, const std::string& code, const std::string& file,
                             int line, std::string_view raw, std::string message);

}  // namespace sanx::csv
