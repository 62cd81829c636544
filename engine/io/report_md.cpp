// The Markdown report: provenance, a summary table, a section per entity. Ownership chains
// are drawn as Mermaid flowcharts, which the usual Markdown viewers render as pictures.

#include <sanx/report.hpp>

#include <set>

#include "io/report_util.hpp"

namespace sanx {

namespace {

using namespace detail::report;

/// Text outside code: the characters Markdown would read as markup are escaped.
std::string md(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '|':
            case '#':
                out += '\\';
                out += c;
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '\n':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// An inline code span that survives backticks and pipes inside.
std::string code(std::string_view s) {
    std::string text = one_line(s);
    std::string fence = text.find('`') == std::string::npos ? "`" : "``";
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return fence + (fence.size() > 1 ? " " : "") + out + (fence.size() > 1 ? " " : "") + fence;
}

/// A Mermaid node id: letters, digits and underscores only (a `-` would read as an arrow).
std::string mermaid_id(const std::string& s) {
    std::string out = "n_";
    for (unsigned char c : s) out += std::isalnum(c) ? static_cast<char>(c) : '_';
    return out;
}

/// A Mermaid label in double quotes: quotes become #quot;.
std::string mermaid_label(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '"' ? std::string("#quot;") : std::string(1, c);
    return out;
}

/// The chains that block the entity as a Mermaid flowchart, one edge per link with the
/// authorities that count it, the persons the chains start from in red.
std::string chains_mermaid(const Result& r) {
    struct Link {
        std::string from, to, label, authorities;
    };
    std::vector<Link> links;
    std::set<std::string> roots;
    for (const auto& [auth, b] : r.blocked)
        for (const auto& path : b.paths) {
            if (path.empty()) continue;
            roots.insert(path.front().from);
            for (const auto& l : path) {
                std::string label = link_label(b.reason, l);
                auto it = std::find_if(links.begin(), links.end(), [&](const Link& x) {
                    return x.from == l.from && x.to == l.to && x.label == label;
                });
                if (it == links.end())
                    links.push_back({l.from, l.to, label, auth});
                else if (it->authorities.find(auth) == std::string::npos)
                    it->authorities += ", " + auth;
            }
        }
    if (links.empty()) return {};
    std::string out = "```mermaid\nflowchart TD\n";
    for (const auto& l : links)
        out += "    " + mermaid_id(l.from) + "[\"" + mermaid_label(l.from) + "\"] -->|\"" +
               mermaid_label(l.label + " " + l.authorities) + "\"| " + mermaid_id(l.to) + "[\"" +
               mermaid_label(l.to) + "\"]\n";
    for (const auto& root : roots)
        out += "    style " + mermaid_id(root) + " fill:#f8d0d0,stroke:#b22222\n";
    return out + "```\n\n";
}

/// A node's value: true, false, unknown and error in bold words, other values as code.
std::string trace_value_md(const std::string& value) {
    return std::string(trace_value_kind(value)) == "value" ? code(value) : "**" + md(value) + "**";
}

/// A condition-tree node and its children as a nested list.
void trace_node_md(const TraceNode& n, std::size_t depth, std::string& out) {
    out += std::string(2 * depth, ' ') + "- " + trace_value_md(n.value) + " " + code(n.expr);
    if (!n.why.empty()) out += " — " + md(n.why);
    out += "\n";
    for (const auto& k : n.kids) trace_node_md(k, depth + 1, out);
}

/// `--explain`: each rule's condition tree folded under its outcome (a <details> block,
/// which GitHub and most Markdown viewers show as a disclosure), then its nearest miss.
std::string traces_md(const Result& r) {
    if (r.traces.empty()) return {};
    std::string out = "### Explanation\n\n";
    for (const auto& t : r.traces) {
        out += "<details>\n<summary><code>" + xml_escape(t.rule) +
               "</code>: " + xml_escape(to_string(t.outcome)) +
               (t.root.at.known() ? " at " + xml_escape(location_text(t.root.at)) : std::string()) +
               "</summary>\n\n";
        trace_node_md(t.root, 0, out);
        if (!t.misses.empty()) out += "\nMissed:\n\n";
        for (const auto& m : t.misses)
            out += "- " + md(m.seen) +
                   (m.at.known() ? " — " + code(m.expr) + " at " + code(location_text(m.at))
                                 : std::string()) +
                   "\n";
        out += "\n</details>\n\n";
    }
    return out;
}

}  // namespace

std::string to_markdown(const Report& rep) {
    const Provenance& p = rep.provenance;
    std::string out = "# sanx report\n\n";
    out += "| sanx | as of | packs | ruleset hash |\n|---|---|---|---|\n";
    std::string packs;
    for (const auto& pack : p.packs)
        packs += (packs.empty() ? "" : ", ") + pack.id +
                 (pack.version.empty() ? "" : "@" + pack.version);
    out += "| " + md(p.sanx_version) + " | " + md(p.as_of) + " | " + md(packs) + " | `" +
           p.ruleset_hash + "` |\n\n";
    // The list files name matches were found in (--lists), as the text header names them.
    if (!p.lists.empty()) {
        out += "Lists:\n\n";
        for (const auto& l : p.lists) out += "- " + md(list_file_text(l)) + "\n";
        out += "\n";
    }

    out += "## Summary\n\n" + summary_text(rep.summary) + ".\n\n";
    out +=
        "| Entity | Name | Verdict | Findings | Blocked by | Undecided |\n"
        "|---|---|---|---|---|---|\n";
    for (const auto& r : rep.results) {
        std::string id = r.entity.empty() ? "line " + std::to_string(r.line) : r.entity;
        if (r.rejected) {
            out += "| " + md(id) + " | " + md(r.name) + " | **REJECTED** | | | |\n";
            continue;
        }
        std::string blocked;
        for (const auto& [auth, b] : r.blocked)
            blocked += (blocked.empty() ? "" : ", ") + auth + " (" + to_string(b.reason) + ")";
        int active = 0;
        for (const auto& f : r.findings) active += !f.exempted_by;
        std::string findings = std::to_string(active);
        if (active != static_cast<int>(r.findings.size()))
            findings += " (+" +
                        std::to_string(r.findings.size() - static_cast<std::size_t>(active)) +
                        " exempted)";
        out += "| [" + md(id) + "](#" + anchor("entity-", id) + ") | " + md(r.name) + " | **" +
               upper(verdict_label(r)) + "** | " + findings + " | " + md(blocked) + " | " +
               (r.indeterminate.empty() ? "" : std::to_string(r.indeterminate.size())) + " |\n";
    }
    out += "\n";

    for (const auto& r : rep.results) {
        std::string id = r.entity.empty() ? "line " + std::to_string(r.line) : r.entity;
        out += "<a id=\"" + anchor("entity-", id) + "\"></a>\n\n## " + md(id) +
               (r.name.empty() ? "" : " — " + md(r.name)) + "\n\n";
        if (r.rejected) {
            out +=
                "**REJECTED** (line " + std::to_string(r.line) + "): " + md(*r.rejected) + "\n\n";
            continue;
        }
        out += "Verdict: **" + upper(verdict_label(r)) + "**\n\n";
        if (!r.blocked.empty()) {
            out += "### Blocked\n\n";
            for (const auto& [auth, b] : r.blocked) {
                out += "- **" + md(auth) + "**: " + md(to_string(b.reason)) + ", " +
                       share_text(b.share);
                for (const auto& l : b.listings) out += "; " + md(l);
                out += "\n";
                for (const auto& path : b.paths) {
                    out += "  - via " + md(path.front().from);
                    for (const auto& l : path)
                        out += " —" + md(link_label(b.reason, l)) + "→ " + md(l.to);
                    out += "\n";
                }
            }
            out += "\n" + chains_mermaid(r);
        }
        if (!r.findings.empty()) out += "### Findings\n\n";
        for (const auto& f : r.findings) {
            out += "#### " + std::string(to_string(f.severity)) + " · " + code(f.rule) + " (" +
                   md(f.authority) + ")" +
                   (f.exempted_by ? " — exempted by " + md(*f.exempted_by) : std::string()) +
                   "\n\n";
            if (!f.message.empty()) out += md(f.message) + "\n\n";
            for (const auto& d : f.undecided_licences)
                out += "*" + md(licence_doubt_text(d)) + "*\n\n";
            if (!f.because.empty()) {
                out += "Because:\n\n";
                for (const auto& b : f.because)
                    out += "- " + md(b.seen) + " — " + code(b.expr) +
                           (b.at.known() ? " at " + code(location_text(b.at)) : std::string()) +
                           "\n";
                out += "\n";
            }
            if (!f.cites.empty()) {
                out += "Cites:\n\n";
                for (const auto& c : f.cites) out += "- " + md(c) + "\n";
                out += "\n";
            }
        }
        if (!r.matches.empty()) {
            out += "### List matches\n\n";
            for (const auto& m : r.matches)
                out +=
                    "- **" + std::string(to_string(m.decision)) + "**: " + md(match_text(m)) + "\n";
            out += "\n";
        }
        if (!r.indeterminate.empty()) {
            out += "### Undecided\n\n";
            for (const auto& i : r.indeterminate) {
                out += "- " + code(i.rule) + " (" + to_string(i.severity) + "): missing ";
                for (std::size_t k = 0; k < i.missing.size(); ++k)
                    out += (k ? ", " : "") + code(i.missing[k]);
                out += "\n";
            }
            out += "\n";
        }
        if (!r.errors.empty()) {
            out += "### Errors\n\n";
            for (const auto& e : r.errors)
                out += "- " + code(e.rule) + ": " + md(e.message) +
                       (e.at.known() ? " at " + code(location_text(e.at)) : std::string()) + "\n";
            out += "\n";
        }
        if (r.findings.empty() && r.blocked.empty() && r.indeterminate.empty() && r.errors.empty())
            out += "No findings.\n\n";
        out += traces_md(r);
    }
    if (!rep.warnings.empty()) {
        out += "## Input warnings\n\n";
        for (const auto& w : rep.warnings)
            out += "- " + code(location_text(w.where)) + " " + md(w.message) + "\n";
        out += "\n";
    }
    return out;
}

}  // namespace sanx
