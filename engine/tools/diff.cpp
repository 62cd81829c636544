// `sanx diff`: the same inputs under two versions of the rules; what changed, entity by entity.

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include <sanx/tools.hpp>

#include "common/value.hpp"
#include "source/source.hpp"

namespace sanx::tools {

namespace {

std::string finding_key(const Finding& f) {
    return std::string(to_string(f.severity)) +
           (f.exempted_by ? " exempted by " + *f.exempted_by : "");
}

std::string blocking_text(const Blocking& b) {
    return to_string(b.reason) + std::string(" ") + eval::percent_text(b.share);
}

/// The first fact of a finding, to say why it fired.
std::string because(const Finding& f) {
    if (f.because.empty()) return {};
    const auto& b = f.because.front();
    std::string expr;
    bool space = false;
    for (char c : b.expr) {
        if (c == '\n' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !expr.empty()) expr += ' ';
        space = false;
        expr += c;
    }
    return "; because " + expr + (b.seen.empty() ? "" : " = " + b.seen);
}

/// `1 of 3 entities changed (1 verdict changed)`.
std::string summary(const DiffReport& rep) {
    return std::to_string(rep.changed.size()) + " of " +
           source::count_text(rep.entities, "entity", "entities") + " changed (" +
           source::count_text(rep.verdicts_changed, "verdict", "verdicts") + " changed)";
}

/// A table cell: no `|` or line break to break the table.
std::string cell(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + ("`" + x + "`");
    return out;
}

}  // namespace

DiffReport diff(const Ruleset& old_rules, const Ruleset& new_rules,
                const std::vector<std::string>& inputs, const std::optional<std::string>& as_of,
                const std::vector<std::string>& lists) {
    DiffReport rep;
    CheckOptions opts;
    opts.as_of = as_of;
    auto old_read = old_rules.read(inputs, lists);
    auto new_read = new_rules.read(inputs, lists);
    for (auto& d : old_read.diagnostics)
        if (d.severity == Severity::error) rep.diagnostics.push_back(std::move(d));
    if (has_errors(rep.diagnostics)) return rep;
    // Same as-of for both sides, even when the input does not give one.
    if (!opts.as_of) opts.as_of = old_rules.provenance(old_read.input, opts).as_of;
    Report a = old_rules.check(old_read.input, opts);
    Report b = new_rules.check(new_read.input, opts);

    std::map<std::string, const Result*> before;
    for (const auto& r : a.results)
        if (!r.rejected) before.emplace(r.entity, &r);
    for (const auto& r : b.results) {
        if (r.rejected) continue;
        ++rep.entities;
        auto it = before.find(r.entity);
        if (it == before.end()) continue;
        const Result& o = *it->second;
        EntityChange ch;
        ch.entity = r.entity;
        ch.name = r.name;
        ch.old_verdict = o.verdict;
        ch.new_verdict = r.verdict;
        std::map<std::string, const Finding*> of, nf;
        for (const auto& f : o.findings) of.emplace(f.rule, &f);
        for (const auto& f : r.findings) nf.emplace(f.rule, &f);
        for (const auto& [rule, f] : of) {
            auto n = nf.find(rule);
            if (n == nf.end()) {
                ch.changes.push_back("- " + rule + " (" + finding_key(*f) + ") no longer fires");
                ch.rules_lost.push_back(rule);
            } else if (finding_key(*f) != finding_key(*n->second))
                ch.changes.push_back("~ " + rule + ": " + finding_key(*f) + " -> " +
                                     finding_key(*n->second));
        }
        for (const auto& [rule, f] : nf)
            if (!of.count(rule)) {
                ch.changes.push_back("+ " + rule + " (" + finding_key(*f) + ") fires" +
                                     because(*f));
                ch.rules_gained.push_back(rule);
            }
        for (const auto& [auth, bl] : o.blocked) {
            auto n = r.blocked.find(auth);
            if (n == r.blocked.end())
                ch.changes.push_back("- blocked by " + auth + " (" + blocking_text(bl) + ")");
            else if (blocking_text(bl) != blocking_text(n->second))
                ch.changes.push_back("~ blocked by " + auth + ": " + blocking_text(bl) + " -> " +
                                     blocking_text(n->second));
        }
        for (const auto& [auth, bl] : r.blocked)
            if (!o.blocked.count(auth))
                ch.changes.push_back("+ blocked by " + auth + " (" + blocking_text(bl) + ")");
        if (ch.changes.empty() && ch.old_verdict == ch.new_verdict) continue;
        if (ch.old_verdict != ch.new_verdict) ++rep.verdicts_changed;
        rep.changed.push_back(std::move(ch));
    }
    return rep;
}

std::string to_text(const DiffReport& rep) {
    std::ostringstream out;
    for (const auto& c : rep.changed) {
        out << c.entity;
        if (!c.name.empty()) out << "  " << c.name;
        out << ": " << to_string(c.old_verdict) << " -> " << to_string(c.new_verdict) << "\n";
        for (const auto& line : c.changes) out << "    " << line << "\n";
    }
    out << summary(rep) << "\n";
    return out.str();
}

std::string to_json(const DiffReport& rep) {
    nlohmann::ordered_json doc;
    doc["entities"] = rep.entities;
    doc["changed"] = rep.changed.size();
    doc["verdicts_changed"] = rep.verdicts_changed;
    doc["results"] = nlohmann::ordered_json::array();
    for (const auto& c : rep.changed)
        doc["results"].push_back(
            {{"entity", c.entity},
             {"name", c.name},
             {"verdict",
              {{"before", to_string(c.old_verdict)}, {"after", to_string(c.new_verdict)}}},
             {"rules_gained", c.rules_gained},
             {"rules_lost", c.rules_lost},
             {"changes", c.changes}});
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string to_markdown(const DiffReport& rep) {
    std::ostringstream out;
    out << "## sanx diff\n\n";
    if (!rep.changed.empty()) {
        out << "| entity | name | before | after | rules gained | rules lost |\n"
            << "|---|---|---|---|---|---|\n";
        for (const auto& c : rep.changed)
            out << "| `" << cell(c.entity) << "` | " << cell(c.name) << " | "
                << to_string(c.old_verdict) << " | "
                << (c.old_verdict != c.new_verdict
                        ? "**" + std::string(to_string(c.new_verdict)) + "**"
                        : std::string(to_string(c.new_verdict)))
                << " | " << cell(joined(c.rules_gained)) << " | " << cell(joined(c.rules_lost))
                << " |\n";
        out << "\n";
    }
    out << summary(rep) << ".\n";
    return out.str();
}

}  // namespace sanx::tools
