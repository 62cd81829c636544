// `sanx test`: the `tests:` of the packs (PRODUCT.md section 9), with branch coverage.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <sanx/tools.hpp>

#include "api/access.hpp"
#include "source/source.hpp"
#include "tools/coverage.hpp"
#include "tools/pack_yaml.hpp"

namespace sanx::tools {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> case_keys{"name", "as_of", "entities", "expect"};
const std::vector<std::string> expect_keys{"verdict", "rules",    "not_rules",
                                           "blocked", "exempted", "not_exempted"};

std::string join(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out + "]";
}

/// The scalars of a scalar or a sequence, with their nodes (for positions).
std::vector<std::pair<std::string, YAML::Node>> items_of(const YAML::Node& n) {
    std::vector<std::pair<std::string, YAML::Node>> out;
    if (!n) return out;
    if (n.IsScalar()) {
        out.emplace_back(n.Scalar(), n);
    } else if (n.IsSequence()) {
        for (const auto& e : n)
            if (e.IsScalar()) out.emplace_back(e.Scalar(), e);
    }
    return out;
}

std::vector<std::string> list_of(const YAML::Node& n) {
    std::vector<std::string> out;
    for (const auto& [text, node] : items_of(n)) out.push_back(text);
    return out;
}

struct CaseRunner {
    const Ruleset& rules;
    const PackDoc& doc;
    TestReport& report;
    CoverageState* coverage;
    const std::vector<std::string>& known;  ///< rule ids a finding can have

    void error(TestCaseResult& tc, const YAML::Node& n, std::string msg) {
        tc.diagnostics.push_back(
            diagnostic(Severity::error, "test", std::move(msg), n ? doc.at(n) : tc.at));
    }

    void run(const YAML::Node& c) {
        TestCaseResult tc;
        tc.at = doc.at(c);
        if (!c.IsMap()) {
            tc.name = "?";
            error(tc, c, "a test case is a mapping {name, as_of?, entities, expect}");
            finish(std::move(tc));
            return;
        }
        std::vector<Diagnostic> key_issues;
        detail::YamlReader(doc.src, key_issues).check_keys(c, case_keys, "a test case");
        tc.diagnostics.insert(tc.diagnostics.end(), key_issues.begin(), key_issues.end());
        tc.name = doc.scalar(c, "name");
        if (tc.name.empty()) error(tc, c, "a test case needs a 'name'");
        if (c["name"]) tc.at = doc.at(c["name"]);

        CheckOptions opts;
        opts.jobs = 1;
        if (c["as_of"]) {
            if (!date_of(c["as_of"]))
                error(tc, c["as_of"], "as_of must be a date YYYY-MM-DD");
            else
                opts.as_of = c["as_of"].Scalar();
        }
        std::optional<Ruleset::ReadResult> read;
        const YAML::Node ents = c["entities"];
        bool inline_entities = false;
        if (!ents) {
            error(tc, c, "a test case needs 'entities' (a list, or a file next to the pack)");
        } else if (ents.IsScalar()) {
            fs::path p = fs::path(doc.src->name()).parent_path() / ents.Scalar();
            read = rules.read({p.string()});
        } else if (ents.IsSequence()) {
            YAML::Emitter e;
            e << YAML::BeginMap << YAML::Key << "entities" << YAML::Value << ents << YAML::EndMap;
            read = rules.read_text(doc.src->name(), e.c_str(), InputFormat::document);
            inline_entities = true;
        } else {
            error(tc, ents, "entities must be a list of entities or a file name");
        }
        if (read) {
            // Inline entities are read from a copy of their YAML, and a file that cannot be
            // read has no position: either way the pack's `entities:` is where to look.
            // Warnings too: a test entity with an unknown sector tests less than it seems to.
            for (auto& d : read->diagnostics) {
                if (d.severity == Severity::note) continue;
                if (d.where.line == 0) d.message += " " + d.where.file;
                if (inline_entities || d.where.line == 0) d.where = doc.at(ents);
                tc.diagnostics.push_back(std::move(d));
            }
        }
        const YAML::Node expect = c["expect"];
        if (!expect || !expect.IsMap() || expect.size() == 0)
            error(tc, expect ? expect : c,
                  "a test case needs 'expect': {ENTITY_ID: {verdict?, rules?, not_rules?, "
                  "blocked?, exempted?, not_exempted?}}");
        if (has_errors(tc.diagnostics) || !read) {
            finish(std::move(tc));
            return;
        }

        Report rep = rules.check(read->input, opts);
        if (coverage) coverage->observe(rules, read->input, opts.as_of);
        std::map<std::string, const Result*> by_id;
        for (const auto& r : rep.results) by_id.emplace(r.entity, &r);

        for (const auto& kv : expect) {
            const std::string id = kv.first.Scalar();
            const YAML::Node& want = kv.second;
            auto it = by_id.find(id);
            if (it == by_id.end()) {
                tc.mismatches.push_back(
                    {id, "no entity '" + id + "' in the case's entities", doc.at(kv.first)});
                continue;
            }
            const Result& r = *it->second;
            tc.results.push_back(r);
            if (r.rejected) {
                tc.mismatches.push_back(
                    {id, "the record was rejected: " + *r.rejected, doc.at(kv.first)});
                continue;
            }
            if (!want.IsMap()) {
                error(tc, want, "the expectation for '" + id + "' must be a mapping");
                continue;
            }
            std::vector<Diagnostic> issues;
            detail::YamlReader(doc.src, issues).check_keys(want, expect_keys, "an expectation");
            tc.diagnostics.insert(tc.diagnostics.end(), issues.begin(), issues.end());
            compare(tc, id, want, r);
        }
        finish(std::move(tc));
    }

    void compare(TestCaseResult& tc, const std::string& id, const YAML::Node& want,
                 const Result& r) {
        std::vector<std::string> fired, exempted;
        for (const auto& f : r.findings) {
            fired.push_back(f.rule);
            if (f.exempted_by) exempted.push_back(f.rule);
        }
        auto has = [](const std::vector<std::string>& v, const std::string& s) {
            return std::find(v.begin(), v.end(), s) != v.end();
        };
        // A misspelt id would make `not_rules` pass without testing anything.
        for (const char* key : {"rules", "not_rules", "exempted", "not_exempted"})
            for (const auto& [rule, node] : items_of(want[key]))
                if (!has(known, rule)) {
                    std::string hint = source::suggest(rule, known);
                    tc.mismatches.push_back(
                        {id,
                         std::string(key) + ": no rule '" + rule + "' is loaded" +
                             (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                         doc.at(node)});
                }
        if (want["verdict"]) {
            static const std::vector<std::string> verdicts{"blocked", "high", "medium", "low",
                                                           "clear"};
            std::string v = want["verdict"].Scalar();
            if (std::find(verdicts.begin(), verdicts.end(), v) == verdicts.end()) {
                std::string hint = source::suggest(v, verdicts);
                error(tc, want["verdict"],
                      "unknown verdict '" + v + "' (blocked, high, medium, low, clear)" +
                          (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
            } else if (v != to_string(r.verdict))
                tc.mismatches.push_back({id,
                                         "expected verdict " + v + ", got " + to_string(r.verdict),
                                         doc.at(want["verdict"])});
        }
        for (const auto& [rule, node] : items_of(want["rules"]))
            if (!has(fired, rule))
                tc.mismatches.push_back(
                    {id, "rule " + rule + " did not fire (fired: " + join(fired) + ")",
                     doc.at(node)});
        for (const auto& [rule, node] : items_of(want["not_rules"]))
            if (has(fired, rule))
                tc.mismatches.push_back(
                    {id, "rule " + rule + " fired but should not", doc.at(node)});
        for (const auto& [rule, node] : items_of(want["exempted"]))
            if (!has(exempted, rule))
                tc.mismatches.push_back(
                    {id,
                     "rule " + rule + " is not exempted by a licence (" +
                         (has(fired, rule) ? "it fired without exemption" : "it did not fire") +
                         ")",
                     doc.at(node)});
        for (const auto& [rule, node] : items_of(want["not_exempted"]))
            if (has(exempted, rule)) {
                std::string by;
                for (const auto& f : r.findings)
                    if (f.rule == rule && f.exempted_by) by = *f.exempted_by;
                tc.mismatches.push_back(
                    {id, "rule " + rule + " is exempted by " + by, doc.at(node)});
            }
        if (want["blocked"]) {
            std::vector<std::string> wanted = list_of(want["blocked"]);
            std::sort(wanted.begin(), wanted.end());
            std::vector<std::string> got;
            for (const auto& [auth, b] : r.blocked) got.push_back(auth);
            if (wanted != got)
                tc.mismatches.push_back(
                    {id, "blocked by: expected " + join(wanted) + ", got " + join(got),
                     doc.at(want["blocked"])});
        }
    }

    void finish(TestCaseResult tc) {
        tc.passed = tc.mismatches.empty() && !has_errors(tc.diagnostics);
        (tc.passed ? report.passed : report.failed)++;
        report.cases.push_back(std::move(tc));
    }
};

}  // namespace

double Coverage::branch_percent() const {
    return branch_outcomes == 0 ? 100.0 : 100.0 * branch_outcomes_seen / branch_outcomes;
}

TestReport run_tests(const Ruleset& rules, const TestOptions& options) {
    TestReport report;
    std::unique_ptr<CoverageState> cov;
    const std::vector<std::string> known = detail::Access::model(rules).finding_ids();
    if (options.coverage) cov = std::make_unique<CoverageState>(detail::Access::model(rules));
    for (const auto& pack : rules.packs()) {
        if (!options.only_files.empty() &&
            std::find(options.only_files.begin(), options.only_files.end(), pack.file) ==
                options.only_files.end())
            continue;
        auto doc = read_pack(pack.file, report.diagnostics);
        if (!doc || !doc->root.IsMap()) continue;
        const YAML::Node tests = doc->root["tests"];
        if (!tests) continue;
        if (!tests.IsSequence()) {
            report.diagnostics.push_back(diagnostic(
                Severity::error, "test", "tests must be a list of cases", doc->at(tests)));
            continue;
        }
        CaseRunner runner{rules, *doc, report, cov.get(), known};
        for (const auto& c : tests) runner.run(c);
    }
    if (cov) report.coverage = cov->result();
    return report;
}

namespace {

std::string where(const Location& at) {
    return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

/// `unknown field 'expects' in a test case; did you mean 'expect'?`
std::string with_hints(const Diagnostic& d) {
    std::string out = d.message;
    for (const auto& h : d.hints) out += "; " + h;
    return out;
}

}  // namespace

std::string to_text(const TestReport& report, bool verbose) {
    std::ostringstream out;
    out << render(report.diagnostics);
    for (const auto& tc : report.cases) {
        for (const auto& d : tc.diagnostics)
            if (d.severity == Severity::warning)
                out << where(d.where) << ": warning: " << tc.name << ": " << with_hints(d) << "\n";
        if (tc.passed) {
            if (verbose) out << where(tc.at) << ": ok: " << tc.name << "\n";
            continue;
        }
        for (const auto& d : tc.diagnostics)
            if (d.severity == Severity::error)
                out << where(d.where) << ": FAIL " << tc.name << ": " << with_hints(d) << "\n";
        for (const auto& m : tc.mismatches)
            out << where(m.at.known() ? m.at : tc.at) << ": FAIL " << tc.name << ": " << m.entity
                << ": " << m.message << "\n";
        // What sanx said, so the failure can be understood without re-running it.
        std::set<std::string> shown;
        for (const auto& r : tc.results) {
            bool failing = std::any_of(tc.mismatches.begin(), tc.mismatches.end(),
                                       [&](const TestMismatch& m) { return m.entity == r.entity; });
            if (!failing || !shown.insert(r.entity).second) continue;
            out << "    " << r.entity << ": verdict " << to_string(r.verdict);
            if (!r.blocked.empty()) {
                out << ", blocked by";
                for (const auto& [auth, b] : r.blocked)
                    out << " " << auth << " (" << to_string(b.reason) << ")";
            }
            out << "\n";
            for (const auto& f : r.findings) {
                out << "      " << to_string(f.severity) << " " << f.rule;
                if (f.exempted_by) out << "  exempted by " << *f.exempted_by;
                out << "\n";
                for (const auto& b : f.because)
                    out << "          because " << source::one_line(b.expr) << " holds"
                        << (b.seen.empty() ? "" : ": " + b.seen) << "\n";
            }
            for (const auto& i : r.indeterminate) {
                out << "      undecided " << i.rule << ": missing";
                for (const auto& m : i.missing) out << " " << m;
                out << "\n";
            }
            for (const auto& e : r.errors)
                out << "      error " << e.rule << ": " << e.message << "\n";
        }
    }
    out << report.passed << " passed, " << report.failed << " failed\n";
    return out.str();
}

}  // namespace sanx::tools

namespace sanx::tools {

std::string to_text(const Coverage& c) {
    std::ostringstream out;
    char buf[64];
    out << "coverage:\n";
    for (const auto& it : c.items) {
        int seen = 0;
        for (const auto& b : it.branches) seen += int(b.seen_true) + int(b.seen_false);
        int total = static_cast<int>(it.branches.size()) * 2;
        const char* state = !it.evaluated ? "never evaluated"
                            : it.fired && it.seen_false
                                ? (it.licence ? "exempted, and not" : "fired, and not")
                            : it.fired ? (it.licence ? "always exempted" : "always fired")
                                       : (it.licence ? "never exempted" : "never fired");
        out << "  " << (it.licence ? "licence " : "rule    ") << it.id << ": " << state
            << ", branches " << seen << "/" << total << "  (" << it.at.file << ":" << it.at.line
            << ")\n";
        for (const auto& b : it.branches) {
            if (b.seen_true && b.seen_false) continue;
            std::string text = b.text;
            for (auto& ch : text)
                if (ch == '\n') ch = ' ';
            if (text.size() > 70) text = text.substr(0, 67) + "...";
            out << "      " << b.at.file << ":" << b.at.line << ":" << b.at.column << ": "
                << (!b.seen_true && !b.seen_false ? "never evaluated"
                    : b.seen_true                 ? "never false"
                                                  : "never true")
                << ": " << text << "\n";
        }
    }
    std::snprintf(buf, sizeof buf, "%.1f", c.branch_percent());
    out << "rules fired: " << c.rules_fired << "/" << c.rules << "; branch coverage: " << buf
        << " % (" << c.branch_outcomes_seen << "/" << c.branch_outcomes
        << " outcomes, rules and licences)\n";
    return out.str();
}

}  // namespace sanx::tools
