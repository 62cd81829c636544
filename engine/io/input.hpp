#pragma once

// Declared entities (PRODUCT.md section 3) read from YAML or JSON into evaluator values.

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <sanx/diagnostic.hpp>

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
};

struct InputData {
    std::optional<eval::Date> as_of;
    std::vector<Record> records;  ///< to evaluate, in input order
    std::vector<Record> known;    ///< from --lists: for lookups only
    /// Every readable entity by id, records and lists alike (counterparties enriched).
    std::unordered_map<std::string, const eval::Value*> by_id;
    /// Ids read so far, to reject duplicates.
    std::unordered_set<std::string> ids;

    void index();
};

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
