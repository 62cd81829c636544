// `sanx diff`: the same inputs under two versions of the rules; what changed, entity by entity.

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include <sanx/tools.hpp>

#include "common/value.hpp"

namespace sanx::tools {

namespace {

std::string finding_key(const Finding& f) {
    return std::string(to_string(f.severity)) +
           (f.exempted_by ? " exempted by " + *f.exempted_by : "");
}

std::string blocking_text(const Blocking& b) {
    return b.reason + " " + eval::percent_text(b.share);
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

}  // namespace

DiffReport diff(const Ruleset& old_rules, const Ruleset& new_rules,
                const std::vector<std::string>& inputs, const std::optional<std::string>& as_of) {
    DiffReport rep;
    CheckOptions opts;
    opts.as_of = as_of;
    auto old_read = old_rules.read(inputs);
    auto new_read = new_rules.read(inputs);
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
            if (n == nf.end())
                ch.changes.push_back("- " + rule + " (" + finding_key(*f) + ") no longer fires");
            else if (finding_key(*f) != finding_key(*n->second))
                ch.changes.push_back("~ " + rule + ": " + finding_key(*f) + " -> " +
                                     finding_key(*n->second));
        }
        for (const auto& [rule, f] : nf)
            if (!of.count(rule))
                ch.changes.push_back("+ " + rule + " (" + finding_key(*f) + ") fires" +
                                     because(*f));
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
    out << rep.changed.size() << " of " << rep.entities << " entities changed ("
        << rep.verdicts_changed << " verdict" << (rep.verdicts_changed == 1 ? "" : "s")
        << " changed)\n";
    return out.str();
}

}  // namespace sanx::tools
