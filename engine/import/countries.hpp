#pragma once

// Country names to ISO 3166-1 alpha-2 codes, from a static table (countries.cpp).

#include <string>
#include <string_view>

namespace sanx::import::detail {

/// The key a name is looked up by: ASCII lower case, single spaces, no trailing period.
std::string normalize_country(std::string_view name);

/// The alpha-2 code for a country name or code; empty when unknown.
std::string country_code(std::string_view name);

}  // namespace sanx::import::detail
