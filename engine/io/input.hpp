#pragma once

// Declared entities (PRODUCT.md section 3) read from YAML or JSON into evaluator values.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <sanx/diagnostic.hpp>
#include <sanx/result.hpp>
#include <sanx/screen.hpp>

#include "common/value.hpp"
#include "packs/model.hpp"
#include "screen/screener.hpp"
#include "source/source.hpp"

namespace sanx::detail {

/// The most one field of an entity may hold, and one of its lists (docs/limits.md).
inline constexpr std::size_t max_field_bytes = std::size_t{1} << 20;
inline constexpr std::size_t max_list_items = 100'000;

/// What is computed from a whole input and can be shared by every check of it and of its
/// parts (Input::part), by key: the session layer keeps the ownership graph and states per
/// ruleset and date here (runtime/session.cpp), so the parts of one input, checked on
/// several threads or Dask tasks, run the fixpoint once. Thread-safe; a few keys are kept.
class Derived {
  public:
    template <class T, class Make>
    std::shared_ptr<const T> get(const std::string& key, Make make) {
        std::lock_guard lock(m_);
        for (auto& [k, v] : items_)
            if (k == key) return std::static_pointer_cast<const T>(v);
        std::shared_ptr<const T> made = make();
        if (items_.size() == kept) items_.erase(items_.begin());
        items_.emplace_back(key, made);
        return made;
    }
    void clear() {
        std::lock_guard lock(m_);
        items_.clear();
    }

  private:
    static constexpr std::size_t kept = 4;
    std::mutex m_;
    std::vector<std::pair<std::string, std::shared_ptr<const void>>> items_;
};

struct Record {
    std::string file;
    std::string id;
    std::string name;
    int line = 0;
    eval::Value value;                    ///< the entity as a map
    std::optional<std::string> rejected;  ///< why it could not be read
    std::vector<Match> matches;           ///< how its parties were tied to list entries
    /// The entity as declared, before index() tied it and its counterparties to list entries
    /// (which adds the entries' facts): what sanx::screen() compares. Null when there are no
    /// lists. It shares all that index() left as it was with `value`.
    eval::Value declared;
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
    /// The names and aliases of the list parties, by their first entry's id (index()).
    std::shared_ptr<const matching::Index> names;
    /// The thresholds index() screened names with.
    ScreenOptions screening;

    /// Lists indexed once (index_lists()) that this input was read against: index() shares
    /// their parties, name index and ids instead of merging its own copy (`known` is empty).
    std::shared_ptr<const InputData> base;
    /// The merged list parties index_lists() keeps for the inputs that share them.
    std::shared_ptr<const void> list_parties;

    /// The lists' half of index(), once, for inputs that share these lists as their `base`
    /// (a server's): merges the list parties, builds their name index and by_id. False,
    /// leaving the lists as read, when an entry's counterparty names an id no entry has: an
    /// input may declare it, and each input's index() must then see the lists as read.
    bool index_lists();

    /// For a part of an input (Input::part): the whole, whose records and lists by_id
    /// points into. Its records are context: seen by lookups and ownership, never checked.
    std::shared_ptr<const void> whole;
    /// Shared with the parts; emptied by index().
    std::shared_ptr<Derived> derived = std::make_shared<Derived>();

    /// Merges list entries that are one party (the same id, `same_as`, or a shared
    /// identifier; PRODUCT.md section 12), ties declared entities and counterparties to them
    /// by id, identifier and then name (Record::matches; `ambiguous` on a party whose
    /// identifier more than one party has, or whose name is a possible match), and builds
    /// by_id.
    /// `jobs` threads tie the records (0: one per core).
    void index(const ScreenOptions& screening = {}, unsigned jobs = 1);

    /// Records [begin, end) of this indexed input with its by_id, lists and as_of (see
    /// Input::part); `keep` owns this input.
    static std::unique_ptr<InputData> part(std::shared_ptr<const void> keep, const InputData& whole,
                                           std::size_t begin, std::size_t end);
};

/// Provenance of the --lists file `path` whose records are known[first...]: its SHA-256,
/// record count and publication date (the earliest `attributes.source.published` of its
/// entries, which `sanx import` writes where the publisher dates the list).
ListFile list_file(const std::string& path, std::string_view text, const InputData& data,
                   std::size_t first);

/// An input's text as the readers take it: decoded to UTF-8 from `encoding` when one is
/// given, without a UTF-8 byte order mark, and with every byte that is not UTF-8 replaced
/// by '?' at the same offset, so that positions stay right and no such byte reaches a
/// parser or a report. The reader rejects the record that held one (claim()); bytes that no
/// record claims are reported for the file (report_unclaimed()).
class InputText {
  public:
    InputText() = default;
    InputText(source::SourcePtr src, std::string encoding, std::vector<std::size_t> invalid,
              std::string invalid_bytes);

    /// Null when the text could not be decoded at all (the reason is a diagnostic).
    const source::SourcePtr& source() const { return src_; }
    explicit operator bool() const { return src_ != nullptr; }

    /// The diagnostic for the first invalid byte in [begin, end), if any; every invalid
    /// byte there is claimed by the record that is rejected for it.
    /// `why` is set to the record's error text.
    std::optional<Diagnostic> claim(std::size_t begin, std::size_t end, std::string& why);
    /// One error for the invalid bytes outside every record (a header, a comment).
    void report_unclaimed(std::vector<Diagnostic>& diags) const;

  private:
    std::string describe(std::size_t index) const;
    Diagnostic diagnostic(std::size_t index, std::string message) const;

    source::SourcePtr src_;
    std::string encoding_;              ///< as the user named it; empty for UTF-8
    std::vector<std::size_t> invalid_;  ///< offsets of the replaced bytes, ascending
    std::string invalid_bytes_;         ///< the bytes as they were, in the same order
    /// Per invalid byte, whether a record claimed it: chars, not bits, so that the readers of
    /// separate parts of one text (read_json_lines) may claim at once.
    std::vector<char> claimed_;
};

/// Decodes `raw` for the readers (see InputText). `encoding` is an iconv name such as
/// "cp1251"; empty or "utf-8" leaves the text as it is.
InputText prepare_input(const source::SourcePtr& raw, const std::string& encoding,
                        std::vector<Diagnostic>& diags);

/// Reads one YAML or JSON document `{as_of?, entities: [...]}` (or a bare list) into `data`.
void read_document(const Model& model, InputText& in, bool lists, InputData& data,
                   std::vector<Diagnostic>& diags);

/// Reads JSON lines, one entity per line; a line that is not valid JSON becomes a rejected
/// record in its place. A large text is read by up to `jobs` threads (0: one per core).
void read_json_lines(const Model& model, InputText& in, bool lists, InputData& data,
                     std::vector<Diagnostic>& diags, unsigned jobs = 1);

/// Reads CSV (RFC 4180: quoted cells may span lines) with a header row: the columns of
/// PRODUCT.md section 3, list fields `;`-separated, nested items `:`-separated (owners
/// `id:share`, counterparties `id:country:role`, listings `authority:list:program:from:until`);
/// other columns become attributes; an empty cell is an absent field. A header without a
/// comma that names an `id` column between semicolons makes `;` the delimiter. A row that
/// cannot be split becomes a rejected record in its place.
void read_csv(const Model& model, InputText& in, bool lists, InputData& data,
              std::vector<Diagnostic>& diags);

}  // namespace sanx::detail
