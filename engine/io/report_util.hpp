#pragma once

// Small pieces the report writers share: shares, verdict names, locations, escaping.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include <sanx/result.hpp>

#include "common/value.hpp"
#include "source/source.hpp"

namespace sanx::detail::report {

/// `60%`, `33.3333%`
inline std::string share_text(double s) { return eval::percent_text(s); }

/// The label of one link of an ownership or control chain.
inline std::string link_label(BlockReason reason, const OwnershipLink& l) {
    return reason == BlockReason::control && l.share == 0 ? std::string("controls")
                                                          : share_text(l.share);
}

inline std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

inline std::string location_text(const Location& l) {
    return l.known() ? l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column)
                     : l.file;
}

/// Escapes text for HTML and SVG, in element content and in quoted attributes alike.
inline std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// An id usable in HTML and SVG `id` attributes and URL fragments: [A-Za-z0-9_-], prefixed.
inline std::string anchor(std::string_view prefix, std::string_view s) {
    std::string out(prefix);
    for (unsigned char c : s)
        out += std::isalnum(c) || c == '-' || c == '_' ? static_cast<char>(c) : '_';
    return out;
}

using source::one_line;

/// The verdict as a person reads it: "clear", or "clear, undecided: could be high" when an
/// undecided rule could raise it (PRODUCT.md section 6: never a plain clear).
inline std::string verdict_label(const Result& r) {
    std::string out = to_string(r.verdict);
    if (r.could_be) out += std::string(", undecided: could be ") + to_string(*r.could_be);
    return out;
}

/// "licence GL6D could not be decided: missing entity.counterparties[0].goods"
inline std::string licence_doubt_text(const LicenceDoubt& d) {
    std::string out =
        "licence " + d.licence + " could not be decided, so it exempts nothing: missing ";
    for (std::size_t k = 0; k < d.missing.size(); ++k) out += (k ? ", " : "") + d.missing[k];
    return out;
}

/// How a party was tied to a list entry, or that it was tied to none, in a sentence.
inline std::string match_text(const Match& m) {
    const std::string who = m.party + (m.query_name.empty() ? "" : " (" + m.query_name + ")");
    const std::string entry = m.list_id + (m.list_name.empty() ? "" : " (" + m.list_name + ")");
    const std::string how = m.by == MatchBy::identifier && !m.identifier.empty()
                                ? "identifier " + m.identifier
                                : std::string(to_string(m.by));
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    if (m.by == MatchBy::name) {
        const std::string against = "name score " + std::string(score) + ", '" + m.query_name +
                                    "' against '" + m.matched_name + "'";
        if (m.decision == MatchDecision::match)
            return who + " is list entry " + entry + ", by " + against;
        if (m.decision == MatchDecision::possible)
            return who + " may be list entry " + entry + " (" + against +
                   ", below the match threshold): what depends on it is undecided";
    }
    if (m.decision == MatchDecision::match) return who + " is list entry " + entry + ", by " + how;
    if (m.decision == MatchDecision::possible)
        return who + " may be list entry " + entry + " (" + how +
               ", which several entries share): what depends on it is undecided";
    return who + " matched no list entry" +
           (m.by == MatchBy::none ? " (it has no id, identifier or name to look up)"
                                  : " (looked up by " + std::string(to_string(m.by)) + ")") +
           ": not known to be listed";
}

/// "lists/sdn.jsonl (2 records, published 2026-02-27, 6ca443530601)"
inline std::string list_file_text(const ListFile& l) {
    return l.path + " (" +
           source::count_text(static_cast<long long>(l.records), "record", "records") +
           (l.published ? ", published " + *l.published : "") + ", " + l.sha256.substr(0, 12) + ")";
}

/// What kind of value a condition-tree node evaluated to, for colours and CSS classes:
/// true, false, unknown, error, or value (anything else: a string, a list, a number).
inline const char* trace_value_kind(const std::string& value) {
    return value == "true"                  ? "true"
           : value == "false"               ? "false"
           : value.rfind("unknown", 0) == 0 ? "unknown"
           : value.rfind("error", 0) == 0   ? "error"
                                            : "value";
}

/// "blocked, high, ..." counts in verdict order.
inline int verdict_count(const Summary& s, const char* v) {
    auto it = s.verdicts.find(v);
    return it == s.verdicts.end() ? 0 : it->second;
}

/// "1 entity: 0 blocked, 1 high, 0 medium, 0 low, 0 clear, 1 with undecided rules, 0 rejected"
inline std::string summary_text(const Summary& s) {
    std::string out = source::count_text(s.entities, "entity", "entities") + ":";
    for (const char* v : {"blocked", "high", "medium", "low", "clear"})
        out += std::string(" ") + std::to_string(verdict_count(s, v)) + " " + v + ",";
    return out + " " + std::to_string(s.indeterminate) + " with undecided rules, " +
           std::to_string(s.rejected) + " rejected";
}

}  // namespace sanx::detail::report
