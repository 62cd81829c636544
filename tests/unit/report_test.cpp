// Explanations and reports a compliance officer can cite: witnesses, condition trees, the
// nearest miss, and the Markdown, HTML, SVG and dot writers. Explanations are pinned by
// golden files in tests/golden/explain/ (SANX_UPDATE_GOLDEN=1 rewrites them).

#include <doctest/doctest.h>

#include <re2/re2.h>
#include <nlohmann/json.hpp>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "golden.hpp"

namespace {

using golden::compare;
using golden::source_dir;
using golden::test_dir;

/// Paths relative to the source tree and the hash replaced, so golden files are stable.
std::string stable(std::string s, const std::string& hash) {
    s = golden::relative(std::move(s));
    for (std::size_t at; !hash.empty() && (at = s.find(hash)) != std::string::npos;)
        s.replace(at, hash.size(), "HASH");
    return s;
}

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({source_dir + "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

struct Sample {
    sanx::Input input;
    sanx::Report report;
};

Sample sample(const sanx::CheckOptions& opts = {}) {
    auto read = shipped()->read({source_dir + "/samples/kazakhstan/entities.yaml"});
    REQUIRE(read.diagnostics.empty());
    auto report = shipped()->check(read.input, opts);
    return {std::move(read.input), std::move(report)};
}

const sanx::Result& result(const sanx::Report& rep, const std::string& id) {
    for (const auto& r : rep.results)
        if (r.entity == id) return r;
    FAIL("no result for " << id);
    return rep.results.front();
}

const sanx::Finding* finding(const sanx::Result& r, const std::string& rule) {
    for (const auto& f : r.findings)
        if (f.rule == rule) return &f;
    return nullptr;
}

std::string because_text(const sanx::Finding& f) {
    std::string out;
    for (const auto& b : f.because) out += b.seen + "\n";
    return out;
}

sanx::Report check_yaml(const std::string& yaml, const sanx::CheckOptions& opts = {}) {
    auto read = shipped()->read_text("inline.yaml", yaml);
    REQUIRE_FALSE(sanx::has_errors(read.diagnostics));
    return shipped()->check(read.input, opts);
}

}  // namespace

TEST_SUITE("explain") {
    TEST_CASE("every finding of the Kazakhstan sample names its witness and its citation") {
        auto s = sample();
        for (const auto& r : s.report.results)
            for (const auto& f : r.findings) {
                CAPTURE(r.entity);
                CAPTURE(f.rule);
                CHECK_FALSE(f.because.empty());
                CHECK_FALSE(f.cites.empty());
                for (const auto& b : f.because) {
                    CHECK(b.seen != "true");
                    CHECK(b.seen.find(" is false") == std::string::npos);
                }
            }
        SUBCASE("the counterparty and the listing with authority, program and date") {
            const auto* f = finding(result(s.report, "steppe-commercial-bank"),
                                    "ofac-sdn/non-us-person-dealing-with-blocked-person");
            REQUIRE(f);
            auto text = because_text(*f);
            CHECK(text.find("entity.counterparties[0] = volzhsky-radioelectronic-plant") !=
                  std::string::npos);
            CHECK(text.find("listed by OFAC (SDN RUSSIA-EO14024 since 2024-06-12)") !=
                  std::string::npos);
        }
        SUBCASE("the HS code, the set it matched and the bloc membership with its date") {
            const auto* f = finding(result(s.report, "alatau-electronics-trading"),
                                    "eu-833/reexport-of-eu-common-high-priority-items");
            REQUIRE(f);
            auto text = because_text(*f);
            CHECK(text.find("DE is a member of EU (European Union) since 1958-01-01") !=
                  std::string::npos);
            CHECK(text.find("HS 854231 starts with 854231 (sets.") != std::string::npos);
        }
        SUBCASE("the owner chain with shares") {
            const auto* f =
                finding(result(s.report, "irtysh-logistics"), "ofac-sdn/owned-by-blocked-persons");
            REQUIRE(f);
            auto text = because_text(*f);
            CHECK(text.find("arkady-belov -60%-> irtysh-logistics") != std::string::npos);
            CHECK(text.find("irtysh-logistics (Irtysh Logistics LLP) is not listed by OFAC on "
                            "2025-06-01") != std::string::npos);
        }
        SUBCASE("a set membership names the set") {
            const auto* f = finding(result(s.report, "astana-industrial-bearings"),
                                    "bis-chpl/chpl-transshipment-red-flag");
            REQUIRE(f);
            CHECK(because_text(*f).find("entity.country = 'KZ', in sets.") != std::string::npos);
        }
    }

    TEST_CASE("the condition trees of the Kazakhstan sample, text and JSON") {
        sanx::CheckOptions opts;
        opts.trace = sanx::CheckOptions::Trace::fired;
        auto s = sample(opts);
        std::string text, json = "[\n";
        for (const auto& r : s.report.results) {
            text += "\n" + r.entity + "\n" + sanx::traces_to_text(r);
            json += (json.size() > 2 ? ",\n" : "") + std::string("{\"entity\": \"") + r.entity +
                    "\", \"traces\": " + sanx::traces_to_json(r) + "}";
            std::size_t fired = 0;
            for (const auto& f : r.findings) fired += f.regime != "ownership";
            CHECK(r.traces.size() == fired);
        }
        json += "\n]\n";
        const auto hash = s.report.provenance.ruleset_hash;
        compare(test_dir + "/golden/explain/kazakhstan.txt", stable(text, hash));
        compare(test_dir + "/golden/explain/kazakhstan.json",
                stable(nlohmann::ordered_json::parse(json).dump(2) + "\n", hash));
    }

    TEST_CASE("--why-not names the failing fact, pinned for the sample") {
        const std::vector<std::pair<std::string, std::string>> cases{
            {"kostanay-grain-export", "bis-chpl/chpl-to-russia-belarus"},
            {"nomad-home-apparel", "bis-chpl/chpl-transshipment-red-flag"},
            {"shymkent-heavy-machinery", "caatsa-231/defense-intelligence-sector-counterparty"},
            {"irtysh-logistics", "ofac-sdn/sdn-listed"},
            {"arkady-belov", "ofac-sdn/owned-by-blocked-persons"},
        };
        std::string text;
        std::string hash;
        for (const auto& [entity, rule] : cases) {
            sanx::CheckOptions opts;
            opts.trace = sanx::CheckOptions::Trace::all;
            opts.trace_entity = entity;
            auto s = sample(opts);
            hash = s.report.provenance.ruleset_hash;
            for (const auto& r : s.report.results) {
                if (r.entity != entity) {
                    CHECK(r.traces.empty());  // tracing is limited to the entity asked about
                    continue;
                }
                const sanx::RuleTrace* t = nullptr;
                for (const auto& x : r.traces)
                    if (x.rule == rule) t = &x;
                REQUIRE(t);
                CHECK(t->outcome != sanx::TraceOutcome::fired);
                CHECK_FALSE(t->misses.empty());
                text += entity + " / " + rule + ": " + sanx::to_string(t->outcome) + "\n";
                for (const auto& m : t->misses) text += "  " + m.seen + "\n";
            }
        }
        CHECK(text.find("no good of entity.goods matches sets.chpl_all: 100199, 310520") !=
              std::string::npos);
        compare(test_dir + "/golden/explain/why_not.txt", stable(text, hash));
    }

    TEST_CASE("why not: values seen, unknown facts, and the closest element") {
        sanx::CheckOptions opts;
        opts.as_of = "2025-06-01";
        opts.trace = sanx::CheckOptions::Trace::all;
        auto rep = check_yaml(R"(
entities:
  - {id: ru-buyer, type: company, country: RU, sectors: [agriculture], goods: [], counterparties: [],
     listings: []}
  - {id: kz-grain, type: company, country: KZ, goods: ["1001", "100199"], listings: [],
     counterparties: [{id: ru-buyer}]}
  - {id: kz-unknown, type: bank, country: KZ, listings: [],
     counterparties: [{id: x, country: RU}]}
)",
                              opts);
        auto misses = [&](const std::string& id, const std::string& rule) {
            std::string out;
            for (const auto& t : result(rep, id).traces)
                if (t.rule == rule)
                    for (const auto& m : t.misses) out += m.seen + "\n";
            return out;
        };
        auto grain = misses("kz-grain", "bis-chpl/chpl-to-russia-belarus");
        CHECK(grain.find("no good of entity.goods matches sets.chpl_all: 1001, 100199") !=
              std::string::npos);
        CHECK(grain.find("closest: entity.counterparties[0] = ru-buyer meets 1 of 2") !=
              std::string::npos);
        auto unknown = misses("kz-unknown", "caatsa-231/defense-intelligence-sector-counterparty");
        CHECK(unknown.find("entity.counterparties[0].sectors is missing") != std::string::npos);
    }

    TEST_CASE("explanations can be switched off for raw throughput without changing verdicts") {
        sanx::CheckOptions off;
        off.because = false;
        auto with = sample();
        auto without = sample(off);
        REQUIRE(with.report.results.size() == without.report.results.size());
        for (std::size_t i = 0; i < with.report.results.size(); ++i) {
            const auto& a = with.report.results[i];
            const auto& b = without.report.results[i];
            CHECK(a.verdict == b.verdict);
            REQUIRE(a.findings.size() == b.findings.size());
            for (std::size_t k = 0; k < a.findings.size(); ++k) {
                CHECK(a.findings[k].rule == b.findings[k].rule);
                if (b.findings[k].regime != "ownership") CHECK(b.findings[k].because.empty());
            }
        }
    }
}

TEST_SUITE("reports") {
    TEST_CASE("the Kazakhstan sample as Markdown") {
        auto s = sample();
        auto md = sanx::to_markdown(s.report);
        CHECK(md.find(s.report.provenance.ruleset_hash) != std::string::npos);
        for (const auto& r : s.report.results)
            CHECK(md.find("## " + r.entity) != std::string::npos);
        CHECK(md.find("```mermaid") != std::string::npos);
        compare(test_dir + "/golden/report/kazakhstan.md",
                stable(md, s.report.provenance.ruleset_hash));
    }

    TEST_CASE("Markdown and HTML show name matches, possible matches and the --explain trees") {
        const std::string dir = test_dir + "/golden/report/";
        auto read = shipped()->read({dir + "matches.yaml"}, {dir + "matches-lists.jsonl"});
        REQUIRE(read.diagnostics.empty());
        sanx::CheckOptions opts;
        opts.trace = sanx::CheckOptions::Trace::fired;
        auto rep = shipped()->check(read.input, opts);
        const auto hash = rep.provenance.ruleset_hash;
        const auto md = stable(sanx::to_markdown(rep), hash);
        const auto html = stable(sanx::to_html(rep), hash);
        // The party found by its Cyrillic name, with the entry and the score; the near one
        // as undecided with its candidate named; the one on no list said as such.
        for (const auto& doc : {md, html}) {
            CHECK(doc.find("is list entry ofac-1001 (Sber Vostok LLP), by name score 1.00") !=
                  std::string::npos);
            CHECK(doc.find("may be list entry ofac-1002 (Elem Group LLP) (name score 0.78") !=
                  std::string::npos);
            CHECK(doc.find("(Almaty Bread LLP) matched no list entry") != std::string::npos);
            CHECK(doc.find("2 entities: 1 blocked, 1 high") != std::string::npos);
        }
        // Each rule that fired has its tree, folded under the rule.
        CHECK(md.find("<summary><code>ofac-sdn/sdn-listed</code>: fired at rules/us.yaml:") !=
              std::string::npos);
        CHECK(md.find("  - **true** `entity.country != 'US'`") != std::string::npos);
        CHECK(html.find("<details class=\"trace\"><summary><code>ofac-sdn/sdn-listed</code>") !=
              std::string::npos);
        CHECK(html.find("<span class=\"t t-unknown\">unknown: missing which list entry Elem "
                        "Trade Group LLP is") != std::string::npos);
        compare(dir + "matches.md", md);
        compare(dir + "matches.html", html);
        // Without --explain there is no explanation section.
        auto plain = shipped()->check(read.input);
        CHECK(sanx::to_markdown(plain).find("### Explanation") == std::string::npos);
        CHECK(sanx::to_html(plain).find("<h3>Explanation</h3>") == std::string::npos);
    }

    TEST_CASE("counts agree with their nouns: 1 entity, 2 entities") {
        auto rep = check_yaml("entities:\n  - {id: a, country: KZ, counterparties: []}\n");
        CHECK(sanx::to_text(rep.summary).find("\n1 entity: ") == 0);
        CHECK(sanx::to_markdown(rep).find("\n1 entity: 0 blocked") != std::string::npos);
        CHECK(sanx::to_html(rep).find("<p>1 entity: 0 blocked") != std::string::npos);
        CHECK(sanx::to_text(rep).find("1 entities") == std::string::npos);
    }

    TEST_CASE("the HTML report is one self-contained page with every entity and the pictures") {
        auto s = sample();
        auto html = sanx::to_html(s.report);
        for (const auto& r : s.report.results) {
            CAPTURE(r.entity);
            CHECK(html.find("id=\"entity-" + r.entity + "\"") != std::string::npos);
        }
        CHECK(html.find(s.report.provenance.ruleset_hash) != std::string::npos);
        for (const auto& p : s.report.provenance.packs)
            CHECK(html.find(p.id + "@" + p.version) != std::string::npos);
        CHECK(html.find("2025-06-01") != std::string::npos);
        // The section of irtysh-logistics carries the picture of the chain that blocks it.
        auto begin = html.find("<section id=\"entity-irtysh-logistics\">");
        REQUIRE(begin != std::string::npos);
        auto end = html.find("</section>", begin);
        auto section = html.substr(begin, end - begin);
        CHECK(section.find("<svg") != std::string::npos);
        CHECK(section.find(">arkady-belov</text>") != std::string::npos);
        CHECK(section.find(">60%</text>") != std::string::npos);
        // Nothing is fetched: no scripts, no external styles, fonts or images.
        CHECK_FALSE(RE2::PartialMatch(html, RE2(R"((?i)(src|href)\s*=\s*["']?\s*(https?:)?//)")));
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("<link") == std::string::npos);
        CHECK(html.find("@import") == std::string::npos);
        CHECK(html.find("&amp; Apparel") != std::string::npos);  // Nomad Home & Apparel LLP
    }

    TEST_CASE("HTML escapes every piece of text that comes from input or packs") {
        auto rep = check_yaml(R"(
as_of: 2025-06-01
entities:
  - {id: "x<b>", name: "<script>alert(1)</script> & \"q\" 'a'", country: KZ, listings: [],
     counterparties: [], owners: [{id: "o\"<i>", share: 80}]}
  - {id: "o\"<i>", country: RU, counterparties: [],
     listings: [{authority: OFAC, list: SDN, program: "<img src=x>", from: 2022-01-01}]}
)");
        auto html = sanx::to_html(rep);
        CHECK(html.find("<script>") == std::string::npos);
        CHECK(html.find("<img") == std::string::npos);
        CHECK(html.find("x<b>") == std::string::npos);
        CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;") !=
              std::string::npos);
        CHECK(html.find("o&quot;&lt;i&gt;") != std::string::npos);
        CHECK(html.find("<svg") != std::string::npos);
    }

    TEST_CASE("the SVG lays chains out in layers, the listed person on top") {
        sanx::Result r;
        r.entity = "target";
        sanx::Blocking b;
        b.reason = sanx::BlockReason::ownership;
        b.share = 60;
        b.paths = {{{"top", "mid", 100}, {"mid", "target", 60}}, {{"side", "target", 30}}};
        r.blocked["OFAC"] = b;
        auto svg = sanx::ownership_svg(r);
        auto y_of = [&](const std::string& id) {
            // RE2, not std::regex: GCC 12 warns inside <regex> at -O1, and the library uses RE2.
            std::string y;
            RE2 re("<rect x=\"[0-9.]+\" y=\"([0-9.]+)\"[^>]*/><text[^>]*>" + id + "</text>");
            REQUIRE(RE2::PartialMatch(svg, re, &y));
            return std::stod(y);
        };
        CHECK(y_of("top") < y_of("mid"));
        CHECK(y_of("mid") < y_of("target"));
        CHECK(y_of("side") == y_of("mid"));
        CHECK(svg.find(">100%</text>") != std::string::npos);
        CHECK(sanx::ownership_svg(sanx::Result{}).empty());
    }

    TEST_CASE("dot: the ownership neighbourhood with shares, listed persons highlighted") {
        auto read = shipped()->read({source_dir + "/samples/kazakhstan/entities.yaml"});
        auto rep = shipped()->check(read.input);
        auto dot = sanx::ownership_dot(*shipped(), read.input, {}, "irtysh-logistics", &rep);
        CHECK(dot.rfind("digraph", 0) == 0);
        CHECK(dot.find("\"arkady-belov\" -> \"irtysh-logistics\" [label=\"60%\"]") !=
              std::string::npos);
        CHECK(dot.find("listed: EU, OFAC\", fillcolor=\"#f8d0d0\"") != std::string::npos);
        CHECK(dot.find("blocked: EU (ownership 60%)") != std::string::npos);
        // From the owner's side, the company it owns is below it.
        auto down = sanx::ownership_dot(*shipped(), read.input, {}, "arkady-belov", &rep);
        CHECK(down.find("\"arkady-belov\" -> \"irtysh-logistics\"") != std::string::npos);
        CHECK(sanx::ownership_dot(*shipped(), read.input, {}, "nobody").empty());
    }

    TEST_CASE("--explain adds the trees to JSON lines; without it the output is unchanged") {
        sanx::CheckOptions opts;
        opts.trace = sanx::CheckOptions::Trace::fired;
        auto s = sample(opts);
        const auto& r = result(s.report, "irtysh-logistics");
        auto line = nlohmann::json::parse(sanx::to_json_line(r, s.report.provenance));
        REQUIRE(line.contains("traces"));
        CHECK(line["traces"][0]["outcome"] == "fired");
        CHECK(line["traces"][0]["tree"]["value"] == "true");
        auto plain = sample();
        auto plain_line = nlohmann::json::parse(
            sanx::to_json_line(result(plain.report, "irtysh-logistics"), plain.report.provenance));
        CHECK_FALSE(plain_line.contains("traces"));
    }

    TEST_CASE("the result enums are spelt in every report as JSON has always spelt them") {
        using namespace sanx;
        CHECK(std::string(to_string(BlockReason::listed)) == "listed");
        CHECK(std::string(to_string(BlockReason::ownership)) == "ownership");
        CHECK(std::string(to_string(BlockReason::control)) == "control");
        CHECK(std::string(to_string(MatchBy::id)) == "id");
        CHECK(std::string(to_string(MatchBy::identifier)) == "identifier");
        CHECK(std::string(to_string(MatchBy::name)) == "name");
        CHECK(std::string(to_string(MatchBy::none)) == "none");
        CHECK(std::string(to_string(MatchDecision::match)) == "match");
        CHECK(std::string(to_string(MatchDecision::possible)) == "possible");
        CHECK(std::string(to_string(MatchDecision::unmatched)) == "unmatched");
        CHECK(std::string(to_string(TraceOutcome::fired)) == "fired");
        CHECK(std::string(to_string(TraceOutcome::not_fired)) == "false");
        CHECK(std::string(to_string(TraceOutcome::unknown)) == "unknown");
        CHECK(std::string(to_string(TraceOutcome::error)) == "error");
        CHECK(std::string(to_string(TraceKind::and_)) == "and");
        CHECK(std::string(to_string(TraceKind::not_)) == "not");
        CHECK(std::string(to_string(TraceKind::exists_one)) == "exists_one");
        CHECK(std::string(to_string(TraceKind::element)) == "element");
    }
}
