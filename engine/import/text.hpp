#pragma once

// Small string helpers shared by the importers.

#include <string>
#include <string_view>
#include <vector>

#include "io/csv.hpp"
#include "source/source.hpp"

namespace sanx::import::detail {

using csv::record_diagnostic;
using source::trim;
/// Runs of spaces, tabs and line breaks become one space, none at the ends.
using source::one_line;
bool starts_with_icase(std::string_view s, std::string_view prefix);
/// Splits on `sep`, trimming each part; empty parts are dropped.
std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep);
/// "24 Feb 2022", "2022-02-24" or "24.02.2022" as YYYY-MM-DD; empty when not a full date.
std::string iso_date(std::string_view s);
/// True for a valid calendar date written YYYY-MM-DD.
bool valid_iso_date(std::string_view s);
/// Appends `v` to `out` unless it is empty or already there.
void add_unique(std::vector<std::string>& out, std::string v);

}  // namespace sanx::import::detail
