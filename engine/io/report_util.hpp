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

/// "blocked, high, ..." counts in verdict order.
inline int verdict_count(const Summary& s, const char* v) {
    auto it = s.verdicts.find(v);
    return it == s.verdicts.end() ? 0 : it->second;
}

}  // namespace sanx::detail::report
