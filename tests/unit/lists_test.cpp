// --lists entries merged into parties (PRODUCT.md section 12): the same id, `same_as` or a
// shared identifier make one party whatever the order of the files; an identifier that
// separate entries share ties a declared party to none of them, with every candidate.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "api/access.hpp"
#include "golden.hpp"

using golden::Scratch;
using sanx::eval::Kind;
using sanx::eval::Value;

namespace {

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

struct Checked {
    sanx::Ruleset::ReadResult read;
    sanx::Report report;

    /// A list party as every lookup sees it, by any of its ids.
    const Value& party(const std::string& id) const {
        const auto& by_id = sanx::detail::Access::data(read.input).by_id;
        REQUIRE(by_id.count(id));
        return *by_id.at(id);
    }
    const sanx::Result& result(const std::string& entity) const {
        auto it = std::find_if(report.results.begin(), report.results.end(),
                               [&](const sanx::Result& r) { return r.entity == entity; });
        REQUIRE(it != report.results.end());
        return *it;
    }
    /// A declared entity's counterparty after the lookups.
    const Value& counterparty(const std::string& entity, std::size_t i) const {
        for (const auto& r : sanx::detail::Access::data(read.input).records)
            if (r.id == entity) return r.value.field("counterparties")->as_list().at(i);
        FAIL("no entity " << entity);
        throw;
    }
};

/// Reads the YAML `input` with the list files in the order given, and checks it.
Checked check(const Scratch& s, const std::string& input, const std::vector<std::string>& lists) {
    auto rs = shipped();
    auto read = rs->read({s.write("input.yaml", input)}, lists);
    sanx::CheckOptions o;
    o.as_of = "2025-06-01";
    auto report = rs->check(read.input, o);
    return {std::move(read), std::move(report)};
}

std::vector<std::string> strings(const Value* list) {
    std::vector<std::string> out;
    if (list && list->is(Kind::list))
        for (const auto& v : list->as_list()) out.push_back(sanx::eval::display(v));
    return out;
}

/// `OFAC SDN`, `EU FSF`: a party's listings by authority and list, in order.
std::vector<std::string> listings(const Value& party) {
    std::vector<std::string> out;
    for (const auto& l : party.field("listings")->as_list())
        out.push_back(sanx::eval::display(*l.field("authority")) + " " +
                      sanx::eval::display(*l.field("list")));
    return out;
}

bool fired(const sanx::Result& r, const std::string& rule) {
    return std::any_of(r.findings.begin(), r.findings.end(),
                       [&](const sanx::Finding& f) { return f.rule == rule; });
}

const char* sdn = R"({"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"})";
const char* fsf = R"({"authority":"EU","list":"FSF","program":"EU-UKR"})";

std::string line(const std::string& id, const std::string& rest) {
    return R"({"id":")" + id + "\"" + (rest.empty() ? "" : "," + rest) + "}\n";
}

}  // namespace

TEST_SUITE("lists") {
    TEST_CASE("the same id in two list files is one party with the facts of both") {
        Scratch s("lists-id");
        auto a =
            s.write("a.jsonl", line("ru-plant", R"("name":"Plant","country":"RU","listings":[)" +
                                                    std::string(sdn) + "]"));
        auto b = s.write("b.jsonl",
                         line("ru-plant", R"("listings":[)" + std::string(fsf) +
                                              R"(],"owners":[{"id":"ru-holder","share":60}])"));
        const char* input =
            "entities:\n  - {id: kz-buyer, country: KZ, counterparties: [{id: "
            "ru-plant}]}\n";
        auto c = check(s, input, {a, b});
        CHECK(c.read.diagnostics.empty());
        const Value& plant = c.party("ru-plant");
        CHECK(listings(plant) == std::vector<std::string>{"OFAC SDN", "EU FSF"});
        CHECK(plant.field("owners")->as_list().size() == 1);
        const auto& buyer = c.result("kz-buyer");
        CHECK(fired(buyer, "eu-269/dealing-with-eu-listed"));
        CHECK(fired(buyer, "ofac-sdn/non-us-person-dealing-with-blocked-person"));
        REQUIRE(buyer.matches.size() == 1);
        const auto& m = buyer.matches[0];
        CHECK(m.party == "entity.counterparties[0]");
        CHECK(m.list_id == "ru-plant");
        CHECK(m.list_name == "Plant");
        CHECK(m.by == sanx::MatchBy::id);
        CHECK(m.decision == sanx::MatchDecision::match);
        CHECK(m.score == 1.0);
        CHECK(sanx::to_json(c.report) == sanx::to_json(check(s, input, {b, a}).report));
    }

    TEST_CASE("same_as: an OpenSanctions entry and the SDN entry it names are one party") {
        Scratch s("lists-same-as");
        auto ftm = s.write(
            "ftm.jsonl", line("NK-cst", R"("name":"LLC CST","listings":[{"authority":"UK","list":)"
                                        R"("UK Sanctions List","program":"GB-RUS"}],)"
                                        R"("attributes":{"same_as":["ofac-sdn-45928"]})"));
        auto ofac =
            s.write("sdn.jsonl",
                    line("ofac-sdn-45928", R"("name":"A LEVEL AEROSYSTEMS CST LLC","listings":[)" +
                                               std::string(sdn) + "]"));
        auto c =
            check(s, "entities:\n  - {id: kz, country: KZ, counterparties: []}\n", {ofac, ftm});
        const Value& cst = c.party("ofac-sdn-45928");
        CHECK(&cst == &c.party("NK-cst"));
        // Named by its smallest id and the first entry's name, whichever file came first.
        CHECK(sanx::eval::display(*cst.field("id")) == "NK-cst");
        CHECK(sanx::eval::display(*cst.field("name")) == "LLC CST");
        CHECK(strings(cst.field("aliases")) ==
              std::vector<std::string>{"A LEVEL AEROSYSTEMS CST LLC"});
        CHECK(listings(cst) == std::vector<std::string>{"UK UK Sanctions List", "OFAC SDN"});
        CHECK(strings(cst.field("attributes")->field("merged_from")) ==
              std::vector<std::string>{"NK-cst", "ofac-sdn-45928"});
    }

    TEST_CASE("a shared identifier joins entries of two files that give the same country") {
        Scratch s("lists-identifier");
        auto a = s.write("a.jsonl",
                         line("a-1", R"("name":"Alpha","identifiers":[{"type":"tax_id",)"
                                     R"("value":"7701 234567","country":"RU"}],"listings":[)" +
                                         std::string(sdn) + "]"));
        auto b = s.write("b.jsonl",
                         line("b-1", R"("name":"Alpha LLC","attributes":{"identifiers":)"
                                     R"([{"type":"tax_id","value":"7701-234567","country":"RU"}]},)"
                                     R"("listings":[)" +
                                         std::string(fsf) + "]"));
        auto k = s.write("k.jsonl",
                         line("k-1", R"("name":"Alpha KZ","attributes":{"identifiers":)"
                                     R"([{"type":"tax_id","value":"7701234567","country":"KZ"}]},)"
                                     R"("listings":[])"));
        const char* input = R"(entities:
  - id: kz-buyer
    country: KZ
    counterparties:
      - {id: my-alpha, name: Alpha, identifiers: [{type: tax_id, value: "7701234567", country: RU}]}
      - {name: Alpha KZ, identifiers: [{type: tax_id, value: "7701234567", country: KZ}]}
      - {name: Alpha Somewhere, identifiers: [{type: tax_id, value: "7701234567"}]}
)";
        auto c = check(s, input, {a, b, k});
        CHECK(&c.party("a-1") == &c.party("b-1"));
        CHECK(&c.party("a-1") != &c.party("k-1"));
        CHECK(listings(c.party("b-1")) == std::vector<std::string>{"OFAC SDN", "EU FSF"});
        const auto& m = c.result("kz-buyer").matches;
        REQUIRE(m.size() == 4);
        CHECK((m[0].party == "entity.counterparties[0]" && m[0].list_id == "a-1" &&
               m[0].by == sanx::MatchBy::identifier &&
               m[0].decision == sanx::MatchDecision::match &&
               m[0].identifier == "tax_id 7701234567"));
        CHECK((m[1].list_id == "k-1" && m[1].decision == sanx::MatchDecision::match));
        // Without a country the number is either company's.
        CHECK((m[2].party == "entity.counterparties[2]" && m[2].list_id == "a-1" &&
               m[2].decision == sanx::MatchDecision::possible));
        CHECK((m[3].party == "entity.counterparties[2]" && m[3].list_id == "k-1" &&
               m[3].decision == sanx::MatchDecision::possible));
        // The counterparty takes the party's id, so that its ownership counts too.
        const Value& alpha = c.counterparty("kz-buyer", 0);
        CHECK(sanx::eval::display(*alpha.field("id")) == "a-1");
        CHECK(sanx::eval::display(*alpha.field("declared_id")) == "my-alpha");
        CHECK(fired(c.result("kz-buyer"), "eu-269/dealing-with-eu-listed"));
    }

    TEST_CASE("an identifier that one list gives two entries ties a party to neither") {
        Scratch s("lists-ambiguous");
        auto ofac = s.write(
            "sdn.jsonl",
            line("ofac-sdn-20201",
                 R"("name":"ZVEZDOCHKA","attributes":{"identifiers":[)"
                 R"({"type":"tax_id","value":"2902060361","country":"RU"},)"
                 R"({"type":"registration","value":"1022900836750","country":"RU"}]},)"
                 R"("listings":[)" +
                     std::string(sdn) + "]") +
                line("ofac-sdn-36065", R"("name":"ZVYOZDOCHKA","attributes":{"identifiers":[)"
                                       R"({"type":"tax_id","value":"2902060361","country":"RU"}]},)"
                                       R"("listings":[)" +
                                           std::string(sdn) + "]"));
        // A third file's entry with the same number cannot say which of the two it is.
        auto ftm =
            s.write("ftm.jsonl",
                    line("NK-z", R"("name":"Zvezdochka","attributes":{"identifiers":[)"
                                 R"({"type":"tax_id","value":"2902060361","country":"RU"}]})"));
        const char* input = R"(entities:
  - id: kz-yard
    country: KZ
    identifiers: [{type: tax_id, value: "2902060361"}]
    counterparties:
      - {name: Zvezdochka, identifiers: [{type: tax_id, value: "2902060361"}]}
      - {name: Zvezdochka, identifiers: [{type: tax_id, value: "2902060361"}, {type: registration, value: "1022900836750"}]}
)";
        auto c = check(s, input, {ofac, ftm});
        CHECK(&c.party("ofac-sdn-20201") != &c.party("ofac-sdn-36065"));
        CHECK(&c.party("NK-z") != &c.party("ofac-sdn-20201"));
        CHECK(&c.party("NK-z") != &c.party("ofac-sdn-36065"));
        const std::vector<std::string> all{"NK-z (Zvezdochka)", "ofac-sdn-20201 (ZVEZDOCHKA)",
                                           "ofac-sdn-36065 (ZVYOZDOCHKA)"};
        const Value& cp = c.counterparty("kz-yard", 0);
        CHECK(strings(cp.field("ambiguous")) == all);
        CHECK(!cp.field("id"));
        CHECK(!cp.field("listings"));
        const auto& yard = sanx::detail::Access::data(c.read.input).records.at(0).value;
        CHECK(strings(yard.field("ambiguous")) == all);
        const auto& m = c.result("kz-yard").matches;
        REQUIRE(m.size() == 7);
        for (std::size_t i = 0; i < 6; ++i) {
            CHECK(m[i].decision == sanx::MatchDecision::possible);
            CHECK(m[i].party == (i < 3 ? "entity" : "entity.counterparties[0]"));
        }
        CHECK(m[3].list_id == "NK-z");
        // The registration number only one of them has decides.
        CHECK((m[6].party == "entity.counterparties[1]" && m[6].list_id == "ofac-sdn-20201" &&
               m[6].decision == sanx::MatchDecision::match));
        REQUIRE(c.read.diagnostics.size() == 1);
        const auto& w = c.read.diagnostics[0];
        CHECK(w.severity == sanx::Severity::warning);
        CHECK(w.code == "list-identifier");
        CHECK(w.message.find("1 identifier is given to separate list entries") == 0);
        CHECK(w.message.find("tax_id 2902060361 (NK-z, ofac-sdn-20201, ofac-sdn-36065)") !=
              std::string::npos);
    }

    TEST_CASE("one holding that two lists give is one edge, by the party's first id") {
        Scratch s("lists-edges");
        auto ftm = s.write(
            "ftm.jsonl",
            line("NK-co", R"("name":"Co","owners":[{"id":"NK-holder","share":60}],)"
                          R"("attributes":{"same_as":["ofac-sdn-2"]})") +
                line("NK-holder", R"("name":"Holder","attributes":{"same_as":["ofac-sdn-1"]})"));
        auto ofac = s.write(
            "sdn.jsonl",
            line("ofac-sdn-1", R"("name":"HOLDER","listings":[)" + std::string(sdn) + "]") +
                line("ofac-sdn-2", R"("name":"CO","owners":[{"id":"ofac-sdn-1","share":60}])"));
        const char* input =
            "entities:\n  - {id: kz-sub, country: KZ, owners: [{id: ofac-sdn-2, share: 100}], "
            "counterparties: []}\n";
        auto c = check(s, input, {ofac, ftm});
        const auto& owners = c.party("ofac-sdn-2").field("owners")->as_list();
        REQUIRE(owners.size() == 1);
        CHECK(sanx::eval::display(*owners[0].field("id")) == "NK-holder");
        for (const auto& w : c.report.warnings) CHECK(w.message.find("120%") == std::string::npos);
        const auto& sub = c.result("kz-sub");
        REQUIRE(sub.blocked.count("OFAC"));
        CHECK(sub.blocked.at("OFAC").reason == sanx::BlockReason::ownership);
        REQUIRE(sub.matches.size() == 1);
        CHECK((sub.matches[0].party == "entity.owners[0]" &&
               sub.matches[0].list_id == "ofac-sdn-2" && sub.matches[0].list_name == "Co" &&
               sub.matches[0].by == sanx::MatchBy::id));
    }

    TEST_CASE("a counterparty that matched no list entry says so, once lists were given") {
        Scratch s("lists-unmatched");
        auto a = s.write("a.jsonl", line("ru-plant", R"("name":"Plant","listings":[])"));
        const char* input = R"(entities:
  - id: kz-buyer
    country: KZ
    counterparties:
      - {name: Sberbank}
      - {id: nowhere, name: Nowhere LLC}
      - {identifiers: [{type: inn, value: "000"}]}
      - {id: kz-other}
      - {id: ru-plant}
  - {id: kz-other, country: KZ, counterparties: []}
)";
        auto c = check(s, input, {a});
        const auto& m = c.result("kz-buyer").matches;
        REQUIRE(m.size() == 4);
        CHECK((m[0].party == "entity.counterparties[0]" && m[0].query_name == "Sberbank" &&
               m[0].by == sanx::MatchBy::name && m[0].decision == sanx::MatchDecision::unmatched &&
               m[0].list_id.empty()));
        // Screened by name as well as looked up by id: said as the name.
        CHECK((m[1].query_name == "Nowhere LLC" && m[1].by == sanx::MatchBy::name &&
               m[1].decision == sanx::MatchDecision::unmatched));
        CHECK((m[2].by == sanx::MatchBy::identifier &&
               m[2].decision == sanx::MatchDecision::unmatched));
        // kz-other is declared: its own result says what it matched.
        CHECK((m[3].party == "entity.counterparties[4]" &&
               m[3].decision == sanx::MatchDecision::match));
        auto doc = sanx::to_json_line(c.result("kz-buyer"), c.report.provenance);
        CHECK(doc.find(
                  R"("matches":[{"party":"entity.counterparties[0]","list_id":"","list_name":"",)"
                  R"("matched_name":"","query_name":"Sberbank","score":0.0,"by":"name",)"
                  R"("decision":"unmatched"})") != std::string::npos);
        // Without lists nothing was looked up, so nothing is said.
        auto bare = check(s, input, {});
        CHECK(bare.result("kz-buyer").matches.empty());
        CHECK(sanx::to_json_line(bare.result("kz-buyer"), bare.report.provenance).find("matches") ==
              std::string::npos);
    }

    TEST_CASE("provenance names each list file with its hash, records and date, in path order") {
        Scratch s("lists-provenance");
        auto un = s.write(
            "un.jsonl",
            line("un-1", R"("name":"One","attributes":{"source":{"published":"2026-02-27"}})") +
                line("un-2", R"("name":"Two","attributes":{"source":{"published":"2026-02-20"}})"));
        auto a = s.write("a.jsonl", line("a-1", ""));
        const char* input = "entities:\n  - {id: kz, country: KZ, counterparties: []}\n";
        auto c = check(s, input, {un, a});
        const auto& lists = c.report.provenance.lists;
        REQUIRE(lists.size() == 2);
        CHECK(lists[0].path == a);
        CHECK(lists[0].records == 1);
        CHECK(!lists[0].published);
        CHECK(lists[1].path == un);
        CHECK(lists[1].sha256 ==
              "7dde95d811b7160d3d86d1b57a9e1b807e217b1125367dcf74419959449a092e");
        CHECK(lists[1].records == 2);
        CHECK(lists[1].published == "2026-02-20");  // the oldest part of the file
        CHECK(sanx::to_json(c.report) == sanx::to_json(check(s, input, {a, un}).report));
        auto doc = sanx::to_json(c.report);
        CHECK(doc.find(R"("path": ")" + un + R"(",
        "sha256": "7dde95d811b7160d3d86d1b57a9e1b807e217b1125367dcf74419959449a092e",
        "records": 2,
        "published": "2026-02-20")") != std::string::npos);
        auto header = sanx::to_text_header(c.report.provenance, false);
        CHECK(header.find(" · lists " + a + " (1 record, ") != std::string::npos);
        CHECK(header.find(un + " (2 records, published 2026-02-20, 7dde95d811b7)") !=
              std::string::npos);
    }
}
