#pragma once

// A reader for the legacy CSV files OFAC publishes: no header, `-0- ` for null, CRLF line
// ends with a trailing 0x1A (Ctrl-Z) byte or plain LF, quoted fields with embedded commas
// and doubled quotes (never line breaks inside a field). Malformed records become diagnostics with
// their line; reading goes on with the next line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sanx/diagnostic.hpp>

namespace sanx::import::detail {

struct CsvRecord {
    int line = 0;                                    ///< 1-based line where the record starts
    std::vector<std::optional<std::string>> fields;  ///< null for `-0-`
    std::string_view raw;                            ///< the record's text, for diagnostics
};

/// Splits `text` into records. Empty lines are skipped; an unterminated quote or text after
/// a closing quote is reported and the record skipped.
std::vector<CsvRecord> read_csv(const std::string& name, std::string_view text,
                                std::vector<Diagnostic>& diags);

/// A diagnostic pointing at the start of a record's line.
Diagnostic record_diagnostic(Severity severity, const std::string& code, const std::string& file,
                             int line, std::string_view raw, std::string message);

}  // namespace sanx::import::detail
