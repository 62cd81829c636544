#pragma once

// Importers for sanctions lists in their publishers' formats (PRODUCT.md section 8,
// `sanx import`). Each reader turns the files into sanx entities (PRODUCT.md section 3) as
// JSON objects, one per line, loadable with `--lists`. docs/importers.md describes every
// format, the field mapping and the publisher-to-authority mapping.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sanx/diagnostic.hpp>

namespace sanx::import {

enum class Format {
    ofac_sdn,  ///< OFAC legacy CSV: sdn.csv with optional add.csv, alt.csv, sdn_comments.csv
    ofac_consolidated,  ///< OFAC non-SDN consolidated legacy CSV: cons_prim.csv and its tables
    ftm,                ///< OpenSanctions FollowTheMoney JSON lines
    un_xml,             ///< UN Security Council consolidated list XML
};

/// The format's command-line name: "ofac-sdn", "ofac-consolidated", "ftm", "un-xml".
const char* to_string(Format f);
/// The format named on the command line; empty for an unknown name.
std::optional<Format> parse_format(std::string_view name);
/// Every format's command-line name, in declaration order.
std::vector<std::string> format_names();

/// A file's content with the name used in diagnostics (and, for the OFAC tables, to tell
/// which table it is: its base name).
struct NamedText {
    std::string name;
    std::string text;
};

/// What one import produced.
struct ImportResult {
    /// One compact JSON object per entity, without a trailing newline, in a deterministic
    /// order (the order of the primary records in the input). Every object has an `id`.
    std::vector<std::string> entities;
    /// Skipped or doubtful records with `file:line`, and unreadable files. Errors mean
    /// something was not imported; warnings mean it was imported with a doubt (for
    /// example a country name not recognised).
    std::vector<Diagnostic> diagnostics;
    /// Counts of what was read and written, by stable key, e.g. "sdn.rows", "alt.rows",
    /// "entities", "listings", "ownership_edges", "un.individuals" (see docs/importers.md).
    std::map<std::string, std::size_t> counts;
};

/// Reads `files` (paths) in the given format. Never throws for bad input: an unreadable
/// file or a malformed record becomes a diagnostic and everything else is imported.
ImportResult read(Format format, const std::vector<std::string>& files);

/// The same from contents already in memory.
ImportResult read_texts(Format format, const std::vector<NamedText>& files);

/// The entities as JSON lines: each entity followed by "\n".
std::string to_jsonl(const ImportResult& result);

/// The ISO 3166-1 alpha-2 code for a country name as OFAC, the UN and OpenSanctions spell
/// it ("Russia", "Korea, North", "Iran (Islamic Republic of)", "Crimea region of Ukraine"),
/// or for an alpha-2 code in any case; empty when the name is not known.
std::string country_code(std::string_view name);

}  // namespace sanx::import
