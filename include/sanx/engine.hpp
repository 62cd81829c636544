#pragma once

// The embedding API: load rule packs once into an immutable Ruleset (safe to share between
// threads), read input documents, evaluate, and render reports.

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sanx/diagnostic.hpp>
#include <sanx/report.hpp>
#include <sanx/result.hpp>
#include <sanx/screen.hpp>

namespace sanx {

namespace detail {
struct Model;
struct InputData;
struct Access;  // lets the library's own modules reach the internals
}  // namespace detail

class Ruleset;

/// The outcome of loading rule packs: a ruleset, or the errors that prevented it.
struct LoadResult {
    std::shared_ptr<const Ruleset> ruleset;  ///< null when there were errors
    std::vector<Diagnostic> diagnostics;     ///< errors and warnings, in file order
};

/// Declared entities read from one or more documents, not yet evaluated.
class Input {
  public:
    Input();
    ~Input();
    Input(Input&&) noexcept;
    Input& operator=(Input&&) noexcept;

    /// The `as_of` the (first) document gave, if any, as YYYY-MM-DD.
    std::optional<std::string> as_of() const;
    /// Records read, including rejected ones.
    std::size_t size() const;

    /// Records [begin, end) of `whole` as an input of their own that still sees all of it:
    /// the other records and the lists are looked up, own and control as in `whole`, but are
    /// not checked. Each record's result is then the one a check of `whole` gives, whatever
    /// the partition, so parts can be checked apart (scale-out, docs/scale-out.md). The part
    /// keeps `whole` alive; `end` is clamped to its size.
    static Input part(std::shared_ptr<const Input> whole, std::size_t begin, std::size_t end);

  private:
    friend class Ruleset;
    friend struct detail::Access;
    std::unique_ptr<detail::InputData> data_;
};

struct CheckOptions {
    std::optional<std::string> as_of;  ///< YYYY-MM-DD; default: the input's, else today
    unsigned jobs = 0;                 ///< worker threads; 0: one per core
    /// Hand each result to the sink as soon as its chunk is done instead of keeping it in
    /// the report (the report then has the summary and provenance only).
    bool stream = false;
    /// Compute each finding's `because` (the witness). Off only for raw screening
    /// throughput: findings then name the rule, message and citations but no facts.
    bool because = true;
    /// Condition trees in Result::traces: none, the rules that fired, or every rule in force
    /// (with the nearest miss of those that did not fire).
    enum class Trace { none, fired, all };
    Trace trace = Trace::none;
    /// Trace only the record with this id (empty: every record).
    std::string trace_entity;
};

/// How an input is written. `automatic` goes by the name: `-`, `*.jsonl`, `*.ndjson` are
/// JSON lines, `*.csv` is CSV with a header; anything else is a YAML or JSON document
/// `{as_of?, entities: [...]}`.
enum class InputFormat { automatic, document, json_lines, csv };

/// Receives results in input order, one at a time.
using ResultSink = std::function<void(Result&&)>;

class Ruleset {
  public:
    /// Loads every `*.yaml` pack in each path (a file or a folder). Errors carry positions.
    static LoadResult load(const std::vector<std::string>& paths);

    /// Reads inputs (YAML or JSON documents `{as_of?, entities: [...]}`, JSON lines, or CSV;
    /// `-` is JSON lines read from `standard_input`, which the host gives: the library
    /// touches no stream of the process). Problems with single records, a byte that is
    /// not UTF-8 among them, become rejected records in place or warnings; only an
    /// unreadable file is an error, and a file with no records is a warning. `lists` are
    /// read the same way; their entities are known for lookups but not reported.
    /// `encoding` names the character encoding of the inputs (not of the lists, which
    /// `sanx import` writes in UTF-8) for iconv, e.g. "cp1251"; empty means UTF-8. A UTF-8
    /// byte order mark is skipped. `screening` holds the thresholds by which a party's names
    /// tie it to a list entry (PRODUCT.md section 12; docs/screening.md). Up to `jobs`
    /// threads (0: one per core) read a large JSON lines file and tie the records; what is
    /// read is the same for any number.
    struct ReadResult {
        Input input;
        std::vector<Diagnostic> diagnostics;
    };
    ReadResult read(const std::vector<std::string>& inputs,
                    const std::vector<std::string>& lists = {}, const std::string& encoding = {},
                    const ScreenOptions& screening = {}, std::istream* standard_input = nullptr,
                    unsigned jobs = 0) const;
    /// The same from text already in memory; `name` is used in positions.
    ReadResult read_text(const std::string& name, const std::string& text,
                         InputFormat format = InputFormat::automatic,
                         const std::string& encoding = {}) const;
    /// Reads `--lists` documents once, for a program that reads many inputs against them
    /// (a server): the Input holds no record to evaluate, only the lists, not yet indexed.
    /// Errors are an unreadable file, as for read().
    ReadResult read_lists(const std::vector<std::string>& lists) const;
    /// read_text() with the lists that read_lists() read: the records are looked up in them
    /// as read() does with `lists`. `lists` is only read, so threads may share it.
    ReadResult read_text(const std::string& name, const std::string& text, const Input& lists,
                         InputFormat format = InputFormat::automatic,
                         const std::string& encoding = {},
                         const ScreenOptions& screening = {}) const;

    /// Evaluates every record; results keep input order. Thread-safe: many checks may run
    /// on one Ruleset at once.
    Report check(const Input& input, const CheckOptions& options = {}) const;
    /// The same, handing each result to `sink` in input order when `options.stream` is set.
    Report check(const Input& input, const CheckOptions& options, const ResultSink& sink) const;

    /// What a check of this input with these options will say it used (the as_of it resolves).
    Provenance provenance(const Input& input, const CheckOptions& options = {}) const;

    std::vector<PackInfo> packs() const;
    std::string hash() const;

    ~Ruleset();

  private:
    explicit Ruleset(std::shared_ptr<const detail::Model> model);  // made by load()
    friend struct detail::Access;
    std::shared_ptr<const detail::Model> model_;
};

/// Whether `text` is a calendar date YYYY-MM-DD: 2024-02-29 is, 2025-02-30 and 2023-02-29
/// are not. Every date sanx reads, options and fields alike, is parsed this one way.
bool is_date(const std::string& text);

/// Where the shipped packs are: $SANX_RULES, else the install's share/sanx/rules, else the
/// source tree's rules/ (for a build tree).
std::string default_rules_path(const std::string& argv0);

}  // namespace sanx
