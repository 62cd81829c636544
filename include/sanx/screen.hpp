#pragma once

// Name screening (PRODUCT.md section 12, docs/screening.md): which `--lists` entries a
// party may be, by its names and aliases, with the features that decided each score.
//
//     auto read = ruleset.read({"parties.yaml"}, {"sdn.jsonl"}, {}, options);
//     for (const auto& party : sanx::screen(read.input, options))
//         for (const auto& c : party.candidates) ...  // best first
//
// The same thresholds decide, in Ruleset::read, which parties `check` ties to an entry
// (`decision: match`) and which it leaves undecided (`possible`).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sanx {

class Input;

/// How names decide. Scores are 0-1; see docs/screening.md for how the defaults were chosen.
struct ScreenOptions {
    /// At or above: the party is the entry and takes its listings, owners, country, sectors.
    double match_threshold = 0.88;
    /// At or above, below the match threshold: a possible match; rules that depend on the
    /// party are undecided, with the candidate named.
    double review_threshold = 0.72;
    /// Candidates screen() keeps per party (check ties to the best one only).
    std::size_t max_candidates = 5;
};

/// One reason a candidate's score is what it is.
struct ScreenFeature {
    std::string name;    ///< name | type | country | birth_year
    double effect = 0;   ///< for `name` the name score; else what it added (below 0: took)
    std::string detail;  ///< the names or values compared, in words
};

/// A list entry a party may be.
struct ScreenCandidate {
    std::string list_id;       ///< the entry's id
    std::string list_name;     ///< the entry's name
    std::string matched_name;  ///< the entry's name or alias that scored best
    std::string query_name;    ///< the party's name or alias that scored it
    double score = 0;          ///< 0-1, qualifiers applied
    std::string decision;      ///< match | possible | below (under the review threshold)
    std::vector<ScreenFeature> features;
};

/// One party of one input record: the entity itself or one of its counterparties.
struct ScreenedParty {
    std::string entity;                       ///< the record's id
    std::string party;                        ///< `entity` or `entity.counterparties[N]`
    std::string name;                         ///< the party's name (empty when it has none)
    std::string file;                         ///< the input it was read from
    int line = 0;                             ///< where the record starts
    std::vector<ScreenCandidate> candidates;  ///< best first; empty when nothing came close
    /// What could not be compared as given: no name, bytes that are not UTF-8, a script
    /// the transliterator does not know, a name cut at 1024 bytes.
    std::vector<std::string> notes;
    std::optional<std::string> rejected;  ///< the record could not be read
};

/// Screens every party of every input record of `input` by name against the lists it was
/// read with, in input order. Candidates below the review threshold are kept (decision
/// `below`) when they come within 0.15 of it, so that a reviewer sees near misses.
/// Thread-safe; never throws on bad names.
std::vector<ScreenedParty> screen(const Input& input, const ScreenOptions& options = {});

/// One party as a JSON object (the shape of `sanx screen --format jsonl`).
std::string to_json(const ScreenedParty& party);

/// Every party as `sanx screen --format json` writes them: `{"parties":[...]}` and an end
/// of line.
std::string to_json(const std::vector<ScreenedParty>& parties);

/// Every party as `sanx screen --format jsonl` writes them: one line each.
std::string to_jsonl(const std::vector<ScreenedParty>& parties);

}  // namespace sanx
