#pragma once

// Report writers (PRODUCT.md section 8): text, JSON, JSON lines, Markdown, HTML, and the
// pictures of ownership chains. They build strings; the CLI prints them. Every format
// carries the provenance: sanx version, packs with versions, ruleset hash, as_of.

#include <string>
#include <vector>

#include <sanx/result.hpp>

namespace sanx {

class Ruleset;
class Input;
struct CheckOptions;

/// The report as the JSON document of PRODUCT.md section 8.
std::string to_json(const Report& report, int indent = 2);
/// One JSON result per line, each with `entity`, `as_of` and `ruleset_hash`.
std::string to_jsonl(const Report& report);
/// One line of to_jsonl(), for streaming.
std::string to_json_line(const Result& result, const Provenance& provenance);
/// The pieces of to_text(), for streaming: the provenance line, one result, the summary.
std::string to_text_header(const Provenance& provenance, bool color = false);
std::string to_text(const Result& result, bool color = false);
std::string to_text(const Summary& summary);
/// The report as aligned text for a terminal; `color` adds ANSI colours.
std::string to_text(const Report& report, bool color = false);

/// Markdown: provenance, a summary table, then a section per entity with its findings,
/// witnesses, citations and a Mermaid picture of the ownership chains that block it.
std::string to_markdown(const Report& report);
/// One self-contained HTML page (no external scripts, styles, fonts or images): provenance,
/// summary table, a section per entity, and an inline SVG of the chains that block it.
/// Every piece of text is escaped.
std::string to_html(const Report& report);

/// An SVG picture (no XML prolog, ready to inline in HTML) of the ownership and control
/// chains in `result.blocked`, laid out in layers from the listed persons down to the entity.
/// Empty when no authority blocks the entity through ownership or control.
std::string ownership_svg(const Result& result);

/// The condition trees of `result.traces` as indented text, one rule after another, with
/// the value of every node; misses follow the tree of a rule that did not fire.
std::string traces_to_text(const Result& result, bool color = false);
/// The same as a JSON array (one object per rule, nodes with expr, kind, value, at, kids).
std::string traces_to_json(const Result& result, int indent = 2);

/// The ownership and control neighbourhood of entity `id` as a Graphviz `dot` digraph:
/// owners and controllers up to `depth` steps above it and what it owns or controls up to
/// `depth` steps below, edges labelled with shares, listed entities filled red and entities
/// blocked through ownership or control filled orange (by `report`'s results, when given).
/// Empty when `id` is not in the input or `options.as_of` is not a date.
std::string ownership_dot(const Ruleset& ruleset, const Input& input, const CheckOptions& options,
                          const std::string& id, const Report* report = nullptr, int depth = 4);

}  // namespace sanx
