#pragma once

// Tools for the people who write rule packs (PRODUCT.md sections 8 and 9): a linter, a
// formatter, the runner for the packs' `tests:` with branch coverage, and a diff of outcomes
// between two versions of the rules. The library computes; the CLI prints.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sanx/diagnostic.hpp>
#include <sanx/engine.hpp>
#include <sanx/result.hpp>

namespace sanx::tools {

// ---- lint -------------------------------------------------------------------------------

struct LintOptions {
    /// Packs loaded beside the linted ones (e.g. world.yaml) whose own findings are not
    /// reported.
    std::vector<std::string> context;
    /// The date "expired" is measured against, YYYY-MM-DD; default: today.
    std::optional<std::string> today;
};

/// What the linter found: the loader's errors and warnings, then its own warnings and notes
/// (codes such as `constant-condition`, `shadowed-rule`, `exempts-nothing`, `expired`,
/// `missing-cites`, `licence-overlap`, `relation-membership`), in file order.
struct LintResult {
    std::vector<Diagnostic> diagnostics;
    bool loaded = false;  ///< the packs loaded, so the semantic checks ran
};

/// Lints the packs in `paths` (files or folders of `*.yaml`).
LintResult lint(const std::vector<std::string>& paths, const LintOptions& options = {});

/// The diagnostics as a JSON array of {severity, code, message, file, line, column, length,
/// hints}.
std::string to_json(const std::vector<Diagnostic>& diagnostics);

/// The diagnostics as a SARIF 2.1.0 log with one run of the tool `sanx`: one result per
/// diagnostic with its region, and a fix for each "did you mean" hint.
std::string to_sarif(const std::vector<Diagnostic>& diagnostics);

// ---- fmt --------------------------------------------------------------------------------

/// One pack file, formatted.
struct FormatResult {
    std::string file;
    std::string original;
    std::string formatted;                ///< the canonical text (== original when unchanged)
    std::vector<Diagnostic> diagnostics;  ///< why a scalar was left alone, or the file was
    bool changed() const { return original != formatted; }
};

/// Formats one expression in canonical form: single spaces around binary operators and
/// after commas, none inside brackets, single-quoted strings where the text allows. Lines
/// are broken at `&&` / `||` (and inside calls) so that no line is longer than `width` when
/// the text starts at column `indent`; continuation lines are indented from `indent`.
/// Returns nullopt when the text does not parse or holds `//` comments (kept as written).
std::optional<std::string> format_expression(const std::string& text, int indent = 0,
                                             int width = 100);

/// Formats the expressions (`when:`), message templates (`{{ }}` holes) and relation
/// statements of a pack's text, editing the scalars in place: comments, key order and every
/// other byte stay as they are.
FormatResult format_pack(const std::string& name, const std::string& text);

/// The pack files under `paths` (folders give their `*.yaml`, sorted).
std::vector<std::string> pack_files(const std::vector<std::string>& paths);

// ---- test -------------------------------------------------------------------------------

/// One expectation that did not hold, for one entity of a case.
struct TestMismatch {
    std::string entity;
    std::string message;  ///< e.g. "verdict: expected high, got clear"
    Location at;          ///< the expectation that failed (its `verdict:`, its rule id, ...)
};

struct TestCaseResult {
    std::string name;
    Location at;  ///< where the case stands in its pack
    bool passed = false;
    std::vector<TestMismatch> mismatches;
    std::vector<Result> results;          ///< what sanx said about the expected entities
    std::vector<Diagnostic> diagnostics;  ///< a case that could not run (bad entities, ...)
};

/// Whether the tests made a condition's branch point come out true and false.
struct BranchCoverage {
    std::string text;  ///< the operand or macro body
    Location at;
    bool seen_true = false, seen_false = false;
};

/// Coverage of one rule (or licence: `licence` is set) by the tests.
struct ItemCoverage {
    std::string id;  ///< full rule id, or licence id
    bool licence = false;
    Location at;
    bool fired = false;       ///< a test made it fire (licence: exempt a finding)
    bool seen_false = false;  ///< a test evaluated it to false
    bool evaluated = false;   ///< in force on some case's date
    std::vector<BranchCoverage> branches;
};

struct Coverage {
    std::vector<ItemCoverage> items;
    int rules = 0, rules_fired = 0;
    int branch_outcomes = 0, branch_outcomes_seen = 0;  ///< over rules and licences
    double branch_percent() const;
};

struct TestReport {
    std::vector<TestCaseResult> cases;
    int passed = 0, failed = 0;
    std::vector<Diagnostic> diagnostics;  ///< malformed `tests:` entries
    std::optional<Coverage> coverage;
};

struct TestOptions {
    bool coverage = false;
    /// Run only the tests of these pack files (as loaded); empty: every loaded pack's.
    std::vector<std::string> only_files;
};

/// Runs the `tests:` of every loaded pack (PRODUCT.md section 9) against `rules`.
TestReport run_tests(const Ruleset& rules, const TestOptions& options = {});

/// One line per failure with the case's position, expected and actual verdicts and rules
/// and the findings' explanations; then the last line `N passed, N failed`.
std::string to_text(const TestReport& report, bool verbose = false);
/// Per rule: fired or not, and the branches not seen both true and false; then the totals.
std::string to_text(const Coverage& coverage);

// ---- explaining a licence ---------------------------------------------------------------

/// Whether a licence's condition holds for one entity (`sanx explain --why-not LICENCE`).
struct LicenceExplanation {
    std::string licence, title;
    std::vector<std::string> exempts;  ///< rule ids or REGIME/*
    /// holds, false, unknown, error; or not in force, retired by ID, no entity
    std::string outcome;
    std::vector<Fact> misses;  ///< when it does not hold: what failed or was unknown
    Location at;               ///< its condition in the pack
};

/// The candidate closest to `word` when it is likely a typo of it, else "" (did-you-mean).
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

/// The ids of the loaded licences, in load order.
std::vector<std::string> licence_ids(const Ruleset& rules);

/// nullopt when no licence has that id, or `as_of` is not a date.
std::optional<LicenceExplanation> explain_licence(const Ruleset& rules, const Input& input,
                                                  const std::string& entity,
                                                  const std::string& licence,
                                                  const std::optional<std::string>& as_of);

// ---- diff -------------------------------------------------------------------------------

struct EntityChange {
    std::string entity, name;
    Verdict old_verdict = Verdict::clear, new_verdict = Verdict::clear;
    /// One line per change: "+ RULE (high)", "- RULE", "~ RULE: exempted by GL6D -> not
    /// exempted", "blocked OFAC: ownership -> (none)".
    std::vector<std::string> changes;
    std::vector<std::string> rules_gained;  ///< rules that fire now and did not before
    std::vector<std::string> rules_lost;    ///< rules that fired before and do not now
};

struct DiffReport {
    std::vector<EntityChange> changed;
    int entities = 0;
    int verdicts_changed = 0;
    std::vector<Diagnostic> diagnostics;
};

/// Evaluates the same inputs with both rulesets and lists the entities whose verdict,
/// findings or blocked map changed.
/// `lists` (--lists) are read by both sides for look-ups, as sanx check reads them.
DiffReport diff(const Ruleset& old_rules, const Ruleset& new_rules,
                const std::vector<std::string>& inputs, const std::optional<std::string>& as_of,
                const std::vector<std::string>& lists = {});

/// `ENTITY  NAME: old -> new` with the changes indented below, then a summary line.
std::string to_text(const DiffReport& report);
/// `{entities, changed, verdicts_changed, results: [{entity, name, verdict: {before, after},
/// rules_gained, rules_lost, changes}]}`, for a pull-request check.
std::string to_json(const DiffReport& report);
/// A Markdown table of the changed entities and a summary line, for a pull-request comment.
std::string to_markdown(const DiffReport& report);

}  // namespace sanx::tools
