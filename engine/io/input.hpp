#pragma once

// Declared entities (PRODUCT.md section 3) read from YAML or JSON into evaluator values.

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <sanx/diagnostic.hpp>
#include <sanx/result.hpp>

#include "eval/value.hpp"
#include "packs/model.hpp"
#include "source/source.hpp"

namespace sanx::detail {

struct Record {
    std::string file;
    std::string id;
    std::string name;
    int line = 0;
    eval::Value value;                    ///< the entity as a map
    std::optional<std::string> rejected;  ///< why it could not be read
    std::vector<Match> matches;           ///< how its parties were tied to list entries
};

struct InputData {
    std::optional<eval::Date> as_of;
    std::vector<Record> records;  ///< to evaluate, in input order
    /// From --lists: for lookups only. index() sorts them by (id, file, line); then the
    /// first entry of each party holds the merged party, the others their value as read.
    std::vector<Record> known;
    /// Every readable entity by id, records and lists alike (counterparties enriched); every
    /// id of a merged list party gives the merged party.
    std::unordered_map<std::string, const eval::Value*> by_id;
    /// Ids read so far, to reject duplicates.
    std::unordered_set<std::string> ids;
    /// The --lists files, sorted by path.
    std::vector<ListFile> lists;
    /// What index() found doubtful in the lists (identifiers shared by separate entries).
    std::vector<Diagnostic> warnings;

    /// Merges list entries that are one party (the same id, `same_as`, or a shared
    /// identifier; PRODUCT.md section 12), ties declared entities and counterparties to them
    /// by id and identifier (Record::matches; `ambiguous` on a party whose identifier more
    /// than one party has), and builds by_id.
    void index();
};

/// Provenance of the --lists file `path` whose records are known[first...]: its SHA-256,
/// record count and publication date (the earliest `attributes.source.published` of its
/// entries, which `sanx import` writes where the publisher dates the list).
ListFile list_file(const std::string& path, std::string_view text, const InputData& data,
                   std::size_t first);

/// Reads one YAML or JSON document `{as_of?, entities: [...]}` (or a bare list) into `data`.
void read_document(const Model& model, const source::SourcePtr& src, bool lists, InputData& data,
                   std::vector<Diagnostic>& diags);

/// Reads JSON lines, one entity per line; a line that is not valid JSON becomes a rejected
/// record in its place.
void read_json_lines(const Model& model, const source::SourcePtr& src, bool lists, InputData& data,
                     std::vector<Diagnostic>& diags);

/// Reads CSV with a header row: the columns of PRODUCT.md section 3, list fields
/// `;`-separated, nested items `:`-separated (owners `id:share`, counterparties
/// `id:country:role`, listings `authority:list:program:from:until`); other columns become
/// attributes; an empty cell is an absent field.
void read_csv(const Model& model, const source::SourcePtr& src, bool lists, InputData& data,
              std::vector<Diagnostic>& diags);

}  // namespace sanx::detail
