#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sanx/diagnostic.hpp>

namespace sanx {

/// Ordered from least to most severe; `info` findings never raise a verdict.
enum class Verdict { clear, low, medium, high, blocked };
enum class RuleSeverity { info, low, medium, high, blocked };

/// Why an authority blocks an entity: it is listed on an asset-freeze list, or owned or
/// controlled by parties that are.
enum class BlockReason { listed, ownership, control };
/// What a party was tied to a list entry by, or, unmatched, what it was looked up by (`none`:
/// it has no id, identifier or name).
enum class MatchBy { id, identifier, name, none };
/// `match`; `possible`: an identifier that more than one party has, or a name score between
/// the review and the match threshold; `unmatched`: lists were given and no entry has the
/// party's id or identifiers, nor a name that scores at the review threshold.
enum class MatchDecision { match, possible, unmatched };
/// What a rule's condition came to for one entity: it fired, it was false (`not_fired`, spelt
/// `false`), it could not be decided, or it ended in an error.
enum class TraceOutcome { fired, not_fired, unknown, error };
/// What a node of a condition tree is (`--explain`): spelt without the trailing underscore.
enum class TraceKind {
    and_,
    or_,
    not_,
    cond,
    compare,
    call,
    all,
    exists,
    exists_one,
    map,
    filter,
    bind,
    macro,
    element,
    value
};

/// The names every report spells these with.
const char* to_string(Verdict v);
const char* to_string(RuleSeverity s);
const char* to_string(BlockReason r);
const char* to_string(MatchBy b);
const char* to_string(MatchDecision d);
const char* to_string(TraceOutcome o);
const char* to_string(TraceKind k);

/// One fact of a witness: a sub-expression of the rule that held, and what it saw.
struct Fact {
    std::string expr;  ///< the sub-expression's source text
    std::string seen;  ///< the values it saw, or a domain function's reason
    Location at;       ///< where the sub-expression stands in the rule pack
};

/// A licence that would exempt a finding if its condition held, but which could not be
/// decided: the finding stands, and this says what the licence lacks.
struct LicenceDoubt {
    std::string licence;               ///< licence id
    std::vector<std::string> missing;  ///< the unknown facts its condition needs
};

/// A rule that fired for an entity.
struct Finding {
    std::string rule;  ///< full id, REGIME/RULE
    std::string regime;
    std::string authority;
    RuleSeverity severity = RuleSeverity::info;
    std::string title;
    std::string message;  ///< the rule's template, rendered
    std::vector<Fact> because;
    std::vector<std::string> cites;
    std::optional<std::string> exempted_by;        ///< licence id when a licence applies
    std::vector<LicenceDoubt> undecided_licences;  ///< licences that could not be decided
};

/// A rule that could not be decided because facts were missing.
struct Indeterminate {
    std::string rule;
    RuleSeverity severity = RuleSeverity::info;
    std::vector<std::string> missing;  ///< paths such as entity.counterparties[1].sectors
};

struct OwnershipLink {
    std::string from;
    std::string to;
    double share = 0;
};

/// Why an entity is blocked by one authority.
struct Blocking {
    BlockReason reason = BlockReason::listed;
    double share = 0;  ///< aggregate designated share (100 when listed)
    std::vector<std::vector<OwnershipLink>> paths;
    std::vector<std::string> listings;  ///< e.g. "SDN RUSSIA-EO14024 since 2022-04-06"
};

/// One node of a rule's condition tree as evaluated for one entity (`--explain`).
struct TraceNode {
    /// The sub-expression's source text; for one element of a macro's range, the binding
    /// (`c = entity.counterparties[0] (volzhsky-radioelectronic-plant)`).
    std::string expr;
    TraceKind kind = TraceKind::value;
    /// What it evaluated to: true, false, `unknown: missing …`, `error: …`, or the value.
    std::string value;
    std::string why;  ///< a domain function's reason, when it gave one
    Location at;
    std::vector<TraceNode> kids;
};

/// A rule's condition tree for one entity, and, when it did not fire, its nearest miss.
struct RuleTrace {
    std::string rule;  ///< full id
    TraceOutcome outcome = TraceOutcome::not_fired;
    TraceNode root;
    /// For a rule that did not fire: the conditions that failed or were unknown, with the
    /// values seen.
    std::vector<Fact> misses;
};

struct EvalError {
    std::string rule;
    std::string message;
    Location at;
};

/// How a party was tied to a list entry (PRODUCT.md sections 6 and 12), or that it matched
/// none.
struct Match {
    std::string party;         ///< `entity`, or a path such as `entity.counterparties[2]`
    std::string list_id;       ///< the entry's id (empty when unmatched)
    std::string list_name;     ///< the entry's name
    std::string matched_name;  ///< the entry's name or alias that matched
    std::string query_name;    ///< the party's own name, when it gives one
    double score = 0;          ///< 0-1; 1 for a match by id or identifier
    MatchBy by = MatchBy::none;
    MatchDecision decision = MatchDecision::unmatched;
    std::string identifier;  ///< for `by: identifier`, the party's identifier: `tax_id 1841015504`
};

/// Everything sanx says about one entity.
struct Result {
    std::string entity;
    std::string name;
    int line = 0;      ///< where the record started in its input (0 when unknown)
    std::string file;  ///< the input it was read from, as named ("<stdin>" for `-`)
    Verdict verdict = Verdict::clear;
    /// Set when an undecided rule could raise the verdict: the highest it could reach. Such
    /// an entity is undecided, never a plain clear.
    std::optional<Verdict> could_be;
    std::vector<Finding> findings;
    std::vector<Indeterminate> indeterminate;
    std::map<std::string, Blocking> blocked;  ///< by authority
    std::vector<EvalError> errors;
    /// Condition trees, when CheckOptions::trace asks for them (in rule order).
    std::vector<RuleTrace> traces;
    /// Set for a record that could not be read: nothing was evaluated.
    std::optional<std::string> rejected;
    /// How the entity and its counterparties, owners and controllers were tied to `--lists`
    /// entries: party by party, candidates by id.
    std::vector<Match> matches;
};

struct PackInfo {
    std::string id;
    std::string version;
    std::string title;
    std::string file;
};

/// One `--lists` file as read.
struct ListFile {
    std::string path;                      ///< as given
    std::string sha256;                    ///< of the file's bytes
    std::size_t records = 0;               ///< entries read from it, rejected ones included
    std::optional<std::string> published;  ///< YYYY-MM-DD, when the list gives its date
};

struct Provenance {
    std::string sanx_version;
    std::vector<PackInfo> packs;
    std::string ruleset_hash;  ///< SHA-256 over every loaded rule file, in load order
    std::string as_of;         ///< YYYY-MM-DD
    /// The `--lists` files, sorted by path whatever the order they were given in.
    std::vector<ListFile> lists;
};

struct Summary {
    int entities = 0;
    std::map<std::string, int> verdicts;  ///< verdict name -> count
    int indeterminate = 0;                ///< entities with at least one undecided rule
    int rejected = 0;
};

/// The answer of one `check`: provenance, a result per input record in input order, and
/// input warnings (unknown countries, sectors, fields) with their positions.
struct Report {
    Provenance provenance;
    std::vector<Result> results;
    Summary summary;
    std::vector<Diagnostic> warnings;
    /// How long the phases of the check took, in seconds, for a program's logs; no report
    /// format prints them.
    struct Timings {
        double ownership = 0;  ///< the ownership and control fixpoints
        double evaluate = 0;   ///< the rules, record by record, and handing on the results
    } timings;
};

}  // namespace sanx
