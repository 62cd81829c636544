#pragma once

// Name screening (PRODUCT.md section 12, docs/screening.md): an index of the names and
// aliases of list entries, and a scorer that ranks the entries a party's names may be.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/value.hpp"
#include "screen/normalize.hpp"

namespace sanx::matching {

enum class PartyType : std::uint8_t { unknown, organisation, person, vessel, aircraft };

/// What the scorer knows of a party or a list entry: its names, and the facts that qualify
/// a name score.
struct Subject {
    std::vector<std::string> names;  ///< `name` first, then `aliases`
    PartyType type = PartyType::unknown;
    std::vector<std::string> countries;  ///< `country`, `countries`
    std::vector<int> birth_years;        ///< from `attributes.birth_date(s)`
};

/// `name`, `aliases`, `type`, `country`, `countries` and the birth years of an entity or
/// counterparty as read (attributes.birth_dates, as the importers write them, or
/// attributes.birth_date).
Subject subject_of(const eval::Value& v);

/// One reason a score is what it is: the name comparison, then each qualifier.
struct Feature {
    std::string name;    ///< name | type | country | birth_year
    double effect = 0;   ///< what it added to (or, below 0, took from) the score
    std::string detail;  ///< in words, with the values compared
};

struct Candidate {
    std::uint32_t entry = 0;   ///< Index::id(entry)
    std::string matched_name;  ///< the entry's name or alias that scored best
    std::string query_name;    ///< the party's name or alias that scored it
    double score = 0;          ///< 0-1, qualifiers applied
    std::vector<Feature> features;
};

class Index {
  public:
    /// Adds a list entry; `id` is what a match ties the party to.
    void add(std::string id, const Subject& subject);
    /// Computes token weights (rarer tokens weigh more); call once, after the last add().
    void finish();

    /// The entries whose score for `query` is at least `floor`, best first (ties by id), at
    /// most `limit`. `notes` receives what the normaliser said of the query's names.
    /// Thread-safe after finish().
    std::vector<Candidate> search(const Subject& query, double floor, std::size_t limit,
                                  std::vector<std::string>* notes = nullptr) const;

    const std::string& id(std::uint32_t entry) const { return entries_[entry].id; }
    const std::string& name(std::uint32_t entry) const { return entries_[entry].name; }
    std::size_t size() const { return entries_.size(); }
    std::size_t names() const { return names_.size(); }

  private:
    struct Tok {
        std::string key;
        TokenKind kind;
        float weight = 0;
    };
    struct Name {
        std::uint32_t entry;
        std::string text;
        std::vector<Tok> toks;
    };
    struct Entry {
        std::string id;
        std::string name;
        PartyType type;
        std::vector<std::string> countries;
        std::vector<int> birth_years;
    };
    struct Scored {
        double score;
        std::string detail;
    };
    struct Query;

    float weight(const std::string& key, TokenKind kind) const;
    Scored compare(const std::vector<Tok>& q, const std::vector<Tok>& c, bool person,
                   bool explain) const;
    Candidate qualify(const Subject& query, const Query& qn, const Name& n, double name_score,
                      bool explain) const;

    std::vector<Entry> entries_;
    std::vector<Name> names_;
    std::unordered_map<std::string, std::uint32_t> df_;  ///< key -> names holding it
    std::unordered_map<std::string, std::vector<std::uint32_t>> exact_, prefix_, suffix_;
    double log_names_ = 0;
};

}  // namespace sanx::matching
