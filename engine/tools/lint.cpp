// `sanx lint`: the loader's diagnostics plus checks a pack can pass and still be wrong.

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <sanx/tools.hpp>

#include "api/access.hpp"
#include "tools/pack_yaml.hpp"
#include "tools/tree.hpp"

namespace sanx::tools {

namespace fs = std::filesystem;

namespace {

using detail::Model;

std::string fmt_date(eval::Date d) { return eval::format_date(d); }

struct RuleSite {
    const PackDoc* doc = nullptr;
    YAML::Node node;
};

class Linter {
  public:
    Linter(std::vector<Diagnostic>& out, eval::Date today) : out_(out), today_(today) {}

    void add(Severity sev, std::string code, std::string msg, Location at,
             std::vector<std::string> hints = {}) {
        out_.push_back(
            diagnostic(sev, std::move(code), std::move(msg), std::move(at), std::move(hints)));
    }

    /// Checks that need only the YAML: titles, citations, dates, duplicate ids.
    void structure(const PackDoc& d) {
        const YAML::Node& root = d.root;
        if (!root.IsMap()) return;
        if (const auto regs = root["regimes"]; regs && regs.IsSequence())
            for (const auto& g : regs) {
                if (!g.IsMap()) continue;
                std::string gid = d.scalar(g, "id");
                expired(d, g, "regime '" + gid + "'");
                if (!g["title"])
                    add(Severity::warning, "missing-title", "regime '" + gid + "' has no title",
                        d.at(g["id"] ? g["id"] : g));
                if (const auto rules = g["rules"]; rules && rules.IsSequence())
                    for (const auto& r : rules) {
                        if (!r.IsMap()) continue;
                        std::string full = gid + "/" + d.scalar(r, "id");
                        const YAML::Node id = r["id"] ? r["id"] : r;
                        if (!r["title"])
                            add(Severity::warning, "missing-title",
                                "rule '" + full + "' has no title", d.at(id));
                        if (!r["cites"] || (r["cites"].IsSequence() && r["cites"].size() == 0))
                            add(Severity::warning, "missing-cites",
                                "rule '" + full + "' cites no legal text", d.at(id),
                                {"add `cites:` with the provisions the rule rests on"});
                        expired(d, r, "rule '" + full + "'");
                    }
            }
        if (const auto lics = root["licences"]; lics && lics.IsSequence())
            for (const auto& l : lics) {
                if (!l.IsMap()) continue;
                std::string id = d.scalar(l, "id");
                const YAML::Node idn = l["id"] ? l["id"] : l;
                licence_sites_.push_back({&d, l});
                if (auto it = licences_.find(id); it != licences_.end()) {
                    Location first = it->second.doc->at(it->second.node["id"]);
                    add(Severity::warning, "duplicate",
                        "licence '" + id + "' is defined twice (first at " + first.file + ":" +
                            std::to_string(first.line) + ")",
                        d.at(idn));
                } else {
                    licences_[id] = {&d, l};
                }
                if (!l["title"])
                    add(Severity::warning, "missing-title", "licence '" + id + "' has no title",
                        d.at(idn));
                if (!l["cites"] || (l["cites"].IsSequence() && l["cites"].size() == 0))
                    add(Severity::warning, "missing-cites",
                        "licence '" + id + "' cites no legal text", d.at(idn),
                        {"add `cites:` with the licence's issue and publication"});
                expired(d, l, "licence '" + id + "'");
            }
        if (const auto tests = root["tests"]; tests && tests.IsSequence()) {
            std::map<std::string, YAML::Node> names;
            for (const auto& t : tests) {
                if (!t.IsMap() || !t["name"]) continue;
                std::string name = d.scalar(t, "name");
                tests_.push_back({&d, t});
                if (!names.emplace(name, t["name"]).second)
                    add(Severity::warning, "duplicate",
                        "test case '" + name + "' is defined twice in this pack", d.at(t["name"]));
            }
        }
        if (const auto rels = root["relations"]; rels && rels.IsSequence())
            for (const auto& r : rels)
                if (r.IsScalar()) relations_.emplace(r.Scalar(), RuleSite{&d, r});
    }

    /// Checks on the loaded model: conditions, exemptions, supersession, memberships.
    void semantics(const Model& m) {
        std::vector<std::string> all_rules;
        for (const auto& g : m.regimes)
            for (const auto& r : g.rules) all_rules.push_back(r.full_id);

        for (const auto& g : m.regimes) {
            std::map<std::string, const detail::Rule*> seen;
            for (const auto& r : g.rules) {
                if (!r.when.checked) continue;
                const auto& root = r.when.checked->root;
                Location at = r.when.locate(0, r.when.text.size());
                if (auto c = tree::constant(root)) {
                    add(Severity::warning, "constant-condition",
                        "rule '" + r.full_id + "' " +
                            (*c ? "always fires: its condition is true for every entity"
                                : "can never fire: its condition is false for every entity"),
                        at);
                } else {
                    constant_operands(r.full_id, r.when, root);
                }
                std::string key = tree::normalized(root);
                if (auto it = seen.find(key); it != seen.end()) {
                    Location other = it->second->when.locate(0);
                    add(Severity::warning, "shadowed-rule",
                        "rule '" + r.full_id + "' has the same condition as '" +
                            it->second->full_id + "' (" + other.file + ":" +
                            std::to_string(other.line) + "): one of them is redundant",
                        at);
                } else {
                    seen.emplace(key, &r);
                }
            }
        }

        std::map<std::string, const detail::Licence*> by_id;
        for (const auto& l : m.licences) by_id.emplace(l.id, &l);
        const bool zipped = licence_sites_.size() == m.licences.size();
        for (std::size_t li = 0; li < m.licences.size(); ++li) {
            const auto& l = m.licences[li];
            std::optional<RuleSite> site;
            if (zipped)
                site = licence_sites_[li];
            else if (auto it = licences_.find(l.id); it != licences_.end())
                site = it->second;
            // Each pattern must match some rule.
            if (site) {
                const YAML::Node ex = site->node["exempts"];
                std::vector<YAML::Node> nodes;
                if (ex && ex.IsSequence())
                    for (const auto& e : ex) nodes.push_back(e);
                else if (ex)
                    nodes.push_back(ex);
                for (const auto& e : nodes) {
                    if (!e.IsScalar()) continue;
                    detail::Licence probe;
                    probe.exempts = {e.Scalar()};
                    bool any =
                        std::any_of(all_rules.begin(), all_rules.end(),
                                    [&](const std::string& id) { return probe.exempts_rule(id); });
                    if (any) continue;
                    std::vector<std::string> hints;
                    if (auto s = source::suggest(e.Scalar(), all_rules); !s.empty())
                        hints.push_back("did you mean '" + s + "'?");
                    add(Severity::warning, "exempts-nothing",
                        "licence '" + l.id + "' exempts '" + e.Scalar() +
                            "', which matches no rule",
                        site->doc->at(e), hints);
                }
            }
            if (l.when.checked) {
                if (auto c = tree::constant(l.when.checked->root); c && !*c)
                    add(Severity::warning, "constant-condition",
                        "licence '" + l.id +
                            "' can never apply: its condition is false for every entity",
                        l.when.locate(0, l.when.text.size()));
            }
            if (l.supersedes.empty()) continue;
            Location at = site ? site->doc->at(site->node["supersedes"]) : l.when.locate(0);
            auto prev = by_id.find(l.supersedes);
            if (prev == by_id.end()) {
                std::vector<std::string> ids;
                for (const auto& [id, _] : by_id) ids.push_back(id);
                std::vector<std::string> hints;
                if (auto s = source::suggest(l.supersedes, ids); !s.empty())
                    hints.push_back("did you mean '" + s + "'?");
                add(Severity::warning, "unknown-licence",
                    "licence '" + l.id + "' supersedes '" + l.supersedes +
                        "', which is not defined",
                    at, hints);
                continue;
            }
            const auto& p = *prev->second;
            if (l.period.from && p.period.from && l.period.from->days < p.period.from->days) {
                add(Severity::warning, "licence-order",
                    "licence '" + l.id + "' (from " + fmt_date(*l.period.from) + ") supersedes '" +
                        p.id + "', which starts later (" + fmt_date(*p.period.from) + ")",
                    at);
                continue;
            }
            // Both declared in force on the successor's first day. An open-ended version is
            // how a licence that is only ever replaced is written: no overlap to report.
            if (!p.period.until) continue;
            eval::Date start = l.period.from ? *l.period.from : eval::Date{INT32_MIN};
            if (p.period.contains(start) &&
                (!l.period.until || l.period.until->days >= start.days)) {
                std::string until = fmt_date(*p.period.until);
                add(Severity::note, "licence-overlap",
                    "licence '" + p.id + "' (until " + until + ") and its successor '" + l.id +
                        "' (from " + (l.period.from ? fmt_date(*l.period.from) : "always") +
                        ") are both declared in force; sanx retires '" + p.id + "' when '" + l.id +
                        "' is issued",
                    at,
                    {"if the older version really ended earlier, set its `until` to the day "
                     "before"});
            }
        }

        // Test expectations that name no rule would pass without testing anything.
        const std::vector<std::string> known = m.finding_ids();
        for (const auto& t : tests_) {
            const YAML::Node expect = t.node["expect"];
            if (!expect || !expect.IsMap()) continue;
            for (const auto& kv : expect) {
                if (!kv.second.IsMap()) continue;
                for (const char* key : {"rules", "not_rules", "exempted", "not_exempted"}) {
                    const YAML::Node list = kv.second[key];
                    if (!list || !list.IsSequence()) continue;
                    for (const auto& r : list) {
                        if (!r.IsScalar() ||
                            std::find(known.begin(), known.end(), r.Scalar()) != known.end())
                            continue;
                        std::vector<std::string> hints;
                        if (auto s = source::suggest(r.Scalar(), known); !s.empty())
                            hints.push_back("did you mean '" + s + "'?");
                        add(Severity::warning, "unknown-rule",
                            "test expectation names rule '" + r.Scalar() + "', which is not loaded",
                            t.doc->at(r), hints);
                    }
                }
            }
        }

        // Alliances through a bloc need both sides to be members of it.
        for (const auto& rel : m.relations) {
            if (rel.via.empty()) continue;
            std::vector<eval::Date> days;
            if (rel.period.from) days.push_back(*rel.period.from);
            if (rel.period.until) days.push_back(*rel.period.until);
            if (rel.period.contains(today_)) days.push_back(today_);
            auto site = relations_.find(rel.text);
            for (const auto& via : rel.via) {
                auto b = m.blocs.find(via);
                if (b == m.blocs.end()) continue;
                std::vector<std::string> parties{rel.subject};
                parties.insert(parties.end(), rel.objects.begin(), rel.objects.end());
                for (const auto& who : parties) {
                    if (!m.countries.count(who)) continue;
                    for (auto day : days) {
                        if (member(b->second, who, day)) continue;
                        Location at = site != relations_.end()
                                          ? site->second.doc->at(site->second.node)
                                          : Location{};
                        if (site != relations_.end()) {
                            auto off = rel.text.find(via);
                            source::ScalarOrigin o{
                                site->second.doc->src,
                                static_cast<std::size_t>(std::max(0, site->second.node.Mark().pos)),
                                true};
                            if (off != std::string::npos) at = o.locate(rel.text, off, via.size());
                        }
                        add(Severity::warning, "relation-membership",
                            "'" + rel.text + "': " + who + " is not a member of " + via + " on " +
                                fmt_date(day),
                            at,
                            {"check the bloc's members (dates, status) or give the relation "
                             "`since` / `until`"});
                        break;  // one report per party and bloc
                    }
                }
            }
        }
    }

  private:
    static bool member(const detail::Bloc& b, const std::string& code, eval::Date d) {
        return std::any_of(b.members.begin(), b.members.end(), [&](const detail::BlocMember& m) {
            return m.code == code && m.status == "member" && m.period.contains(d);
        });
    }

    void expired(const PackDoc& d, const YAML::Node& n, const std::string& what) {
        auto until = date_of(n["until"]);
        if (!until || until->days >= today_.days) return;
        add(Severity::note, "expired",
            what + " expired on " + fmt_date(*until) + "; it still applies to earlier dates",
            d.at(n["until"]));
    }

    /// Operands of a chain that are constant make the rest of the condition dead or moot.
    void constant_operands(const std::string& id, const detail::Expr& e, const check::Node& n) {
        if (n.op == check::Op::and_ || n.op == check::Op::or_) {
            for (const auto& k : n.kids) {
                if (auto c = tree::constant(k)) {
                    add(Severity::warning, "constant-condition",
                        "in rule '" + id + "', '" + e.text.substr(k.begin, k.end - k.begin) +
                            "' is always " + (*c ? "true" : "false"),
                        e.locate(k.begin, k.end - k.begin));
                    continue;
                }
                constant_operands(id, e, k);
            }
            return;
        }
        for (const auto& k : n.kids) constant_operands(id, e, k);
    }

    std::vector<Diagnostic>& out_;
    eval::Date today_;
    std::vector<RuleSite> tests_;  ///< every test case, in load order
    std::map<std::string, RuleSite> licences_;
    std::vector<RuleSite> licence_sites_;  ///< every licence, in load order
    std::map<std::string, RuleSite> relations_;
};

/// The pack file beside `file` whose id is `id`, or "".
std::string sibling_pack(const std::string& file, const std::string& id) {
    std::error_code ec;
    const fs::path dir = fs::path(file).parent_path();
    std::vector<std::string> candidates;
    for (const auto& e : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec))
        if (e.path().extension() == ".yaml") candidates.push_back(e.path().string());
    std::sort(candidates.begin(), candidates.end());
    for (const auto& c : candidates) {
        std::vector<Diagnostic> ignored;
        auto doc = read_pack(c, ignored);
        if (doc && doc->root.IsMap() && doc->root["pack"] && doc->root["pack"].IsScalar() &&
            doc->root["pack"].Scalar() == id)
            return c;
    }
    return {};
}

/// A pack whose required pack is not loaded names countries, sets and authorities that pack
/// defines: each would be one more "unknown" error. They are held back, and the one error
/// that matters says how to load the missing pack.
void hold_back_cascade(std::vector<Diagnostic>& diags, const std::vector<std::string>& loaded) {
    static const std::set<std::string> names{
        "unknown-country",   "unknown-bloc",     "unknown-sector", "unknown-set",
        "unknown-authority", "unknown-relation", "unknown-rule"};
    std::map<std::string, Diagnostic*> missing;  // by file: its first missing-pack error
    for (auto& d : diags)
        if (d.code == "missing-pack" && !missing.count(d.where.file)) missing[d.where.file] = &d;
    if (missing.empty()) return;
    std::map<std::string, std::size_t> held;
    std::vector<Diagnostic> kept;
    for (auto& d : diags) {
        if (names.count(d.code) && missing.count(d.where.file)) {
            ++held[d.where.file];
            continue;
        }
        kept.push_back(std::move(d));
    }
    for (auto& d : kept) {
        if (d.code != "missing-pack") continue;
        // `pack 'us' requires pack 'world', which is not loaded`
        std::string id;
        if (auto a = d.message.find("requires pack '"); a != std::string::npos) {
            a += 15;
            id = d.message.substr(a, d.message.find('\'', a) - a);
        }
        std::string path = id.empty() ? std::string() : sibling_pack(d.where.file, id);
        if (std::find(loaded.begin(), loaded.end(), path) != loaded.end()) path.clear();
        d.hints.push_back("load it for context: sanx lint --rules " +
                          (path.empty() ? "PATH-TO-" + id + ".yaml" : path) + " " + d.where.file);
        if (std::size_t n = held[d.where.file]; n > 0) {
            d.hints.push_back(
                source::count_text(static_cast<long long>(n), "further error", "further errors") +
                " about unknown names in this file " + (n == 1 ? "is" : "are") +
                " not shown: the names may be defined by '" + id + "'");
            held[d.where.file] = 0;
        }
    }
    diags = std::move(kept);
}

}  // namespace

LintResult lint(const std::vector<std::string>& paths, const LintOptions& options) {
    LintResult res;
    std::vector<std::string> files = pack_files(paths);
    std::vector<std::string> load = pack_files(options.context);
    for (const auto& f : files)
        if (std::find(load.begin(), load.end(), f) == load.end()) load.push_back(f);
    std::set<std::string> linted(files.begin(), files.end());

    eval::Date today = eval::today();
    if (options.today) eval::parse_date(*options.today, today);

    auto loaded = Ruleset::load(load);
    std::vector<Diagnostic> mine;
    for (auto& d : loaded.diagnostics)
        if (d.where.file.empty() || linted.count(d.where.file) || !loaded.ruleset)
            mine.push_back(std::move(d));

    std::vector<PackDoc> docs;
    std::vector<Diagnostic> ignored;  // the loader has reported these
    docs.reserve(load.size());
    for (const auto& f : load)
        if (auto d = read_pack(f, ignored)) docs.push_back(std::move(*d));

    std::vector<Diagnostic> extra;
    Linter l(extra, today);
    for (const auto& d : docs) l.structure(d);
    if (loaded.ruleset) {
        res.loaded = true;
        l.semantics(detail::Access::model(*loaded.ruleset));
    }
    for (auto& d : extra)
        if (linted.count(d.where.file)) mine.push_back(std::move(d));

    hold_back_cascade(mine, load);

    // File order as given, then line and column.
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < load.size(); ++i) order.emplace(load[i], i);
    std::stable_sort(mine.begin(), mine.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        auto oa = order.count(a.where.file) ? order[a.where.file] : order.size();
        auto ob = order.count(b.where.file) ? order[b.where.file] : order.size();
        if (oa != ob) return oa < ob;
        if (a.where.line != b.where.line) return a.where.line < b.where.line;
        return a.where.column < b.where.column;
    });
    res.diagnostics = std::move(mine);
    return res;
}

}  // namespace sanx::tools
