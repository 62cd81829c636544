// The HTML report: one self-contained page. Styles are inline in <style>, pictures are
// inline SVG, there are no scripts, fonts or links outside the page, and all text is escaped.

#include <sanx/report.hpp>

#include "io/report_util.hpp"

namespace sanx {

namespace {

using namespace detail::report;

const char* const style = R"(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #1b1b1b;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
code { font-family: ui-monospace, monospace; font-size: .92em; background: #f4f4f4;
       padding: 0 .2em; border-radius: 3px; }
.prov td:first-child { font-weight: bold; }
.v { font-weight: bold; padding: .1em .5em; border-radius: 3px; white-space: nowrap; }
.v-blocked { background: #b22222; color: #fff; } .v-high { background: #e0533d; color: #fff; }
.v-medium { background: #f0b429; } .v-low { background: #8fd3e8; } .v-clear { background: #b7e4c7; }
.v-rejected { background: #555; color: #fff; } .v-undecided { background: #ffbf00; }
.doubt { color: #8a5a00; } .m-possible, .m-unmatched { color: #8a5a00; }
.finding { border-left: 4px solid #999; padding: .3em .8em; margin: .8em 0; background: #fafafa; }
.finding.s-blocked { border-color: #b22222; } .finding.s-high { border-color: #e0533d; }
.finding.s-medium { border-color: #f0b429; } .finding.s-low { border-color: #8fd3e8; }
.finding.exempted { opacity: .75; }
.rule { font-weight: bold; }
.because li, .cites li { margin: .15em 0; }
.cites { color: #444; font-size: .95em; }
.at { color: #777; font-size: .85em; }
.chains { display: block; margin: .5em 0; max-width: 100%; height: auto; }
.muted { color: #666; }
.trace { margin: .4em 0; } .trace > summary { cursor: pointer; }
.tree, .tree ul { list-style: none; margin: .2em 0; padding-left: 1.2em; }
.tree summary { cursor: pointer; }
.t { font-family: ui-monospace, monospace; font-size: .92em; font-weight: bold; }
.t-true { color: #1d7a35; } .t-false { color: #b22222; } .t-unknown { color: #8a5a00; }
.t-error { color: #b22222; text-decoration: underline; } .t-value { color: #555; font-weight: normal; }
)";

std::string h(std::string_view s) { return xml_escape(s); }

std::string verdict_badge(const std::string& v) {
    return "<span class=\"v v-" + h(v) + "\">" + h(upper(v)) + "</span>";
}

/// Amber, not green, for an entity an undecided rule could raise.
std::string verdict_badge(const Result& r) {
    if (!r.could_be) return verdict_badge(std::string(to_string(r.verdict)));
    return "<span class=\"v v-undecided\">" + h(upper(verdict_label(r))) + "</span>";
}

/// A condition-tree node: its value, its expression and the reason a function gave; a node
/// with children folds them under it, open.
void trace_node_html(const TraceNode& n, std::string& out) {
    const std::string head =
        "<span class=\"t t-" + std::string(trace_value_kind(n.value)) + "\">" + h(n.value) +
        "</span> <code>" + h(one_line(n.expr)) + "</code>" +
        (n.why.empty() ? std::string() : " <span class=\"muted\">" + h(n.why) + "</span>");
    if (n.kids.empty()) {
        out += "<li>" + head + "</li>\n";
        return;
    }
    out += "<li><details open><summary>" + head + "</summary>\n<ul>\n";
    for (const auto& k : n.kids) trace_node_html(k, out);
    out += "</ul></details></li>\n";
}

/// `--explain`: each rule's condition tree, folded under the rule and its outcome, then its
/// nearest miss. Pure HTML (<details>): no script.
std::string traces_html(const Result& r) {
    if (r.traces.empty()) return {};
    std::string out = "<h3>Explanation</h3>\n";
    for (const auto& t : r.traces) {
        out += "<details class=\"trace\"><summary><code>" + h(t.rule) +
               "</code>: " + "<span class=\"t t-" +
               (t.outcome == TraceOutcome::fired ? std::string("true")
                                                 : trace_value_kind(to_string(t.outcome))) +
               "\">" + h(to_string(t.outcome)) + "</span>" +
               (t.root.at.known() ? " <span class=\"at\">" + h(location_text(t.root.at)) + "</span>"
                                  : std::string()) +
               "</summary>\n<ul class=\"tree\">\n";
        trace_node_html(t.root, out);
        out += "</ul>\n";
        if (!t.misses.empty()) {
            out += "<p>Missed:</p>\n<ul>\n";
            for (const auto& m : t.misses)
                out += "<li>" + h(m.seen) +
                       (m.at.known() ? " <span class=\"at\"><code>" + h(one_line(m.expr)) +
                                           "</code> " + h(location_text(m.at)) + "</span>"
                                     : std::string()) +
                       "</li>\n";
            out += "</ul>\n";
        }
        out += "</details>\n";
    }
    return out;
}

}  // namespace

std::string to_html(const Report& rep) {
    const Provenance& p = rep.provenance;
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>sanx report, as of " +
        h(p.as_of) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
    out += "<h1>sanx report</h1>\n<table class=\"prov\">\n";
    out += "<tr><td>sanx</td><td>" + h(p.sanx_version) + "</td></tr>\n";
    out += "<tr><td>as of</td><td>" + h(p.as_of) + "</td></tr>\n";
    out += "<tr><td>packs</td><td>";
    for (std::size_t i = 0; i < p.packs.size(); ++i)
        out += (i ? ", " : "") + h(p.packs[i].id) +
               (p.packs[i].version.empty() ? "" : "@" + h(p.packs[i].version));
    out += "</td></tr>\n<tr><td>ruleset hash</td><td><code>" + h(p.ruleset_hash) +
           "</code></td></tr>\n";
    for (std::size_t i = 0; i < p.lists.size(); ++i)
        out += std::string("<tr><td>") + (i ? "" : "lists") + "</td><td>" +
               h(list_file_text(p.lists[i])) + "</td></tr>\n";
    out += "</table>\n";

    out += "<h2 id=\"summary\">Summary</h2>\n<p>" + h(summary_text(rep.summary)) + ".</p>\n";
    out +=
        "<table>\n<tr><th>Entity</th><th>Name</th><th>Verdict</th><th>Findings</th>"
        "<th>Blocked by</th><th>Undecided</th></tr>\n";
    for (const auto& r : rep.results) {
        std::string id = r.entity.empty() ? "line " + std::to_string(r.line) : r.entity;
        out += "<tr><td><a href=\"#" + anchor("entity-", id) + "\">" + h(id) + "</a></td><td>" +
               h(r.name) + "</td><td>";
        if (r.rejected) {
            out += verdict_badge("rejected") + "</td><td></td><td></td><td></td></tr>\n";
            continue;
        }
        int active = 0;
        for (const auto& f : r.findings) active += !f.exempted_by;
        std::string blocked;
        for (const auto& [auth, b] : r.blocked)
            blocked += (blocked.empty() ? "" : ", ") + auth + " (" + to_string(b.reason) + ")";
        out += verdict_badge(r) + "</td><td>" + std::to_string(active);
        if (active != static_cast<int>(r.findings.size()))
            out += " <span class=\"muted\">(+" +
                   std::to_string(r.findings.size() - static_cast<std::size_t>(active)) +
                   " exempted)</span>";
        out += "</td><td>" + h(blocked) + "</td><td>" +
               (r.indeterminate.empty() ? "" : std::to_string(r.indeterminate.size())) +
               "</td></tr>\n";
    }
    out += "</table>\n";

    for (const auto& r : rep.results) {
        std::string id = r.entity.empty() ? "line " + std::to_string(r.line) : r.entity;
        out += "\n<section id=\"" + anchor("entity-", id) + "\">\n<h2>" + h(id) +
               (r.name.empty() ? "" : " <span class=\"muted\">" + h(r.name) + "</span>") + " ";
        if (r.rejected) {
            out += verdict_badge("rejected") + "</h2>\n<p>Line " + std::to_string(r.line) + ": " +
                   h(*r.rejected) + "</p>\n</section>\n";
            continue;
        }
        out += verdict_badge(r) + "</h2>\n";
        if (!r.blocked.empty()) {
            out += "<h3>Blocked</h3>\n<ul>\n";
            for (const auto& [auth, b] : r.blocked) {
                out += "<li><b>" + h(auth) + "</b>: " + h(to_string(b.reason)) + ", " +
                       h(share_text(b.share));
                for (const auto& l : b.listings) out += "; " + h(l);
                for (const auto& path : b.paths) {
                    out += "<br>via " + h(path.front().from);
                    for (const auto& l : path)
                        out += " —" + h(link_label(b.reason, l)) + "→ " + h(l.to);
                }
                out += "</li>\n";
            }
            out += "</ul>\n" + ownership_svg(r);
        }
        if (!r.findings.empty()) out += "<h3>Findings</h3>\n";
        for (const auto& f : r.findings) {
            out += "<div class=\"finding s-" + h(to_string(f.severity)) +
                   (f.exempted_by ? " exempted" : "") + "\">\n<div><span class=\"v v-" +
                   h(f.severity == RuleSeverity::info ? "clear" : to_string(f.severity)) + "\">" +
                   h(to_string(f.severity)) + "</span> <span class=\"rule\">" + h(f.rule) +
                   "</span> [" + h(f.authority) + "]";
            if (f.exempted_by) out += " — exempted by <b>" + h(*f.exempted_by) + "</b>";
            out += "</div>\n";
            if (!f.message.empty()) out += "<p>" + h(f.message) + "</p>\n";
            for (const auto& d : f.undecided_licences)
                out += "<p class=\"doubt\">" + h(licence_doubt_text(d)) + "</p>\n";
            if (!f.because.empty()) {
                out += "<ul class=\"because\">\n";
                for (const auto& b : f.because)
                    out += "<li>because " + h(b.seen) + " <span class=\"at\"><code>" +
                           h(one_line(b.expr)) + "</code>" +
                           (b.at.known() ? " " + h(location_text(b.at)) : std::string()) +
                           "</span></li>\n";
                out += "</ul>\n";
            }
            if (!f.cites.empty()) {
                out += "<ul class=\"cites\">\n";
                for (const auto& c : f.cites) out += "<li>cites " + h(c) + "</li>\n";
                out += "</ul>\n";
            }
            out += "</div>\n";
        }
        if (!r.matches.empty()) {
            out += "<h3>List matches</h3>\n<ul class=\"matches\">\n";
            for (const auto& m : r.matches)
                out += "<li class=\"m-" + h(to_string(m.decision)) + "\"><b>" +
                       h(to_string(m.decision)) + "</b>: " + h(match_text(m)) + "</li>\n";
            out += "</ul>\n";
        }
        if (!r.indeterminate.empty()) {
            out += "<h3>Undecided</h3>\n<ul>\n";
            for (const auto& i : r.indeterminate) {
                out += "<li><code>" + h(i.rule) + "</code> (" + h(to_string(i.severity)) +
                       "): missing ";
                for (std::size_t k = 0; k < i.missing.size(); ++k)
                    out += (k ? ", " : "") + std::string("<code>") + h(i.missing[k]) + "</code>";
                out += "</li>\n";
            }
            out += "</ul>\n";
        }
        if (!r.errors.empty()) {
            out += "<h3>Errors</h3>\n<ul>\n";
            for (const auto& e : r.errors)
                out += "<li><code>" + h(e.rule) + "</code>: " + h(e.message) +
                       (e.at.known() ? " <span class=\"at\">" + h(location_text(e.at)) + "</span>"
                                     : std::string()) +
                       "</li>\n";
            out += "</ul>\n";
        }
        if (r.findings.empty() && r.blocked.empty() && r.indeterminate.empty() && r.errors.empty())
            out += "<p class=\"muted\">No findings.</p>\n";
        out += traces_html(r);
        out += "</section>\n";
    }
    if (!rep.warnings.empty()) {
        out += "\n<h2>Input warnings</h2>\n<ul>\n";
        for (const auto& w : rep.warnings)
            out += "<li><code>" + h(location_text(w.where)) + "</code> " + h(w.message) + "</li>\n";
        out += "</ul>\n";
    }
    out += "\n<footer class=\"muted\"><p>sanx " + h(p.sanx_version) + " · as of " + h(p.as_of) +
           " · ruleset " + h(p.ruleset_hash) + "</p></footer>\n</body>\n</html>\n";
    return out;
}

}  // namespace sanx
