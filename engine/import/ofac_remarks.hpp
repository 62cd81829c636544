#pragma once

// What OFAC writes in the free-text Remarks column of its legacy CSV: identifiers, aliases,
// "Linked To:" relations, secondary-sanctions flags and directive determinations, split on
// "; " and recognised by their fixed English labels.

#include <string>
#include <string_view>
#include <vector>

namespace sanx::import::detail {

struct RemarkIdentifier {
    std::string type;     ///< normalised kind: tax_id, registration, passport, imo, ...
    std::string value;    ///< as written, without the country in parentheses
    std::string country;  ///< alpha-2 of the "(Country)" that follows, if known
    std::string label;    ///< OFAC's label, e.g. "Tax ID No."
};

struct Remarks {
    std::vector<std::string> aliases;       ///< a.k.a. names
    std::vector<std::string> former_names;  ///< f.k.a. names
    std::vector<std::string> new_names;     ///< n.k.a. names
    std::vector<RemarkIdentifier> identifiers;
    std::vector<std::string> linked_to;  ///< names of related SDNs
    /// Normalised flags: EO14024-S11, CFR589, EO13224, NKSR, HKAA, IRAN-SSR, HFSR, OTHER.
    std::vector<std::string> secondary;
    std::vector<std::string> secondary_unrecognised;  ///< texts that gave OTHER
    std::vector<std::string> directives;              ///< e.g. EO13662-D1, EO14024-D3
    std::vector<std::string> nationality;             ///< names as written
    std::vector<std::string> citizenship;             ///< names as written
    std::vector<std::string> birth_dates;             ///< as written ("21 Sep 1965", "circa 1960")
    std::vector<std::string> birth_places;
    std::string gender;
    std::string target_type;  ///< "Financial Institution", "State-Owned Enterprise", ...
};

Remarks parse_remarks(std::string_view text);

}  // namespace sanx::import::detail
