// Name screening (PRODUCT.md section 12, docs/screening.md): normalisation, scoring, the
// decisions a check takes from them, and names that are hostile.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>
#include <sanx/screen.hpp>

#include "api/access.hpp"
#include "golden.hpp"
#include "screen/normalize.hpp"
#include "screen/screener.hpp"

using golden::Scratch;
namespace m = sanx::matching;

namespace {

std::vector<std::string> texts(const std::string& name) {
    std::vector<std::string> out;
    for (const auto& t : m::normalize(name).tokens) out.push_back(t.text);
    return out;
}

using Words = std::vector<std::string>;

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

/// A small list: two Kazakh SDN entries, a Russian bank and a person.
const char* list_text =
    R"({"id":"ofac-sdn-36427","type":"company","name":"SBER VOSTOK LIMITED LIABILITY PARTNERSHIP","country":"KZ","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"ofac-sdn-47950","type":"company","name":"LIMITED LIABILITY PARTNERSHIP ELEM GROUP","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"ofac-sdn-17013","type":"bank","name":"VTB BANK PUBLIC JOINT STOCK COMPANY","country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"ofac-sdn-45937","type":"person","name":"ZAKHAROV, Aleksandr Vyacheslavovich","country":"RU","attributes":{"birth_dates":["03 Jul 1965"]},"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"ofac-sdn-1","type":"company","name":"ALMATY GRAIN TRADING","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"ofac-sdn-2","type":"company","name":"ASTANA STEEL WORKS","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
)";

m::Index small_index() {
    m::Index index;
    auto add = [&](const std::string& id, std::vector<std::string> names, m::PartyType type,
                   std::vector<std::string> countries, std::vector<int> years = {}) {
        m::Subject s;
        s.names = std::move(names);
        s.type = type;
        s.countries = std::move(countries);
        s.birth_years = std::move(years);
        index.add(id, s);
    };
    add("sber-vostok", {"SBER VOSTOK LIMITED LIABILITY PARTNERSHIP"}, m::PartyType::organisation,
        {"KZ"});
    add("zakharov", {"ZAKHAROV, Aleksandr Vyacheslavovich"}, m::PartyType::person, {"RU"}, {1965});
    add("vtb", {"VTB BANK PUBLIC JOINT STOCK COMPANY"}, m::PartyType::organisation, {"RU"});
    for (int i = 0; i < 50; ++i)  // common words, so that the rare ones weigh more
        add("filler-" + std::to_string(i), {"BANK GROUP TRADING " + std::to_string(i)},
            m::PartyType::organisation, {});
    index.finish();
    return index;
}

m::Subject query(std::string name, m::PartyType type = m::PartyType::unknown,
                 std::vector<std::string> countries = {}, std::vector<int> years = {}) {
    m::Subject s;
    s.names = {std::move(name)};
    s.type = type;
    s.countries = std::move(countries);
    s.birth_years = std::move(years);
    return s;
}

sanx::CheckOptions as_of() {
    sanx::CheckOptions o;
    o.as_of = "2025-06-01";
    return o;
}

double best(const m::Index& index, const m::Subject& q, const std::string& id) {
    for (const auto& c : index.search(q, 0.0, 10))
        if (index.id(c.entry) == id) return c.score;
    return 0.0;
}

}  // namespace

TEST_SUITE("screen") {
    TEST_CASE("Kazakh and Russian legal forms become one token whatever the script") {
        CHECK(texts("ТОО «Сбер Восток»") == Words{"~llp", "sber", "vostok"});
        CHECK(texts("Сбер Восток ЖШС") == Words{"sber", "vostok", "~llp"});
        CHECK(texts("SBER VOSTOK LIMITED LIABILITY PARTNERSHIP") ==
              Words{"sber", "vostok", "~llp"});
        CHECK(texts("Банк ВТБ (ПАО)") == Words{"bank", "vtb", "~pjsc"});
        CHECK(texts("АҚ «Қазақстан»") == Words{"~jsc", "kazakstan"});
        CHECK(texts("ООО “Зала Аэро”") == Words{"~llc", "zala", "aero"});
        CHECK(texts("Общество с ограниченной ответственностью ЦСТ") == Words{"~llc", "tsst"});
    }

    TEST_CASE("Kazakh letters, accents and full-width forms are read as Latin letters") {
        CHECK(texts("Әлия Ғабит Құрманғали Өтеген Үміт Һ") ==
              Words{"aliya", "gabit", "kurmangali", "otegen", "umit", "h"});
        CHECK(texts("Société Générale") == Words{"societe", "generale"});
        CHECK(texts("ＳＢＥＲ") == Words{"sber"});  // NFKC
        CHECK(texts("O'Brien-Smith") == Words{"obrien", "smith"});
    }

    TEST_CASE("transliteration variants fold to one key") {
        CHECK(m::fold("aleksandr") == m::fold("alexsandr"));
        CHECK(m::fold("dmitriy") == m::fold("dmitry"));
        CHECK(m::fold("dmitrii") == m::fold("dmitry"));
        CHECK(m::fold("zakharov") == m::fold("zaharov"));
        CHECK(m::fold("yelena") == m::fold("elena"));
        CHECK(m::fold("group") == m::fold("grup"));
        CHECK(m::fold("pyotr") == m::fold("petr"));
        CHECK(m::fold("tallinn") == m::fold("talin"));
    }

    TEST_CASE("a name scores 1 against itself in any order, script and legal form") {
        auto index = small_index();
        CHECK(best(index, query("ТОО «Сбер Восток»"), "sber-vostok") == doctest::Approx(1.0));
        CHECK(best(index, query("Vostok Sber LLP"), "sber-vostok") == doctest::Approx(1.0));
        // The patronymic the query leaves out counts a third.
        CHECK(best(index, query("Aleksandr Zakharov"), "zakharov") >=
              sanx::ScreenOptions{}.match_threshold);
        CHECK(best(index, query("Александр Вячеславович Захаров"), "zakharov") ==
              doctest::Approx(1.0));
    }

    TEST_CASE("a typo lowers the score but keeps the match; another word does not match") {
        auto index = small_index();
        const double typo = best(index, query("Sber Vostk LLP"), "sber-vostok");
        CHECK(typo < 1.0);
        CHECK(typo >= sanx::ScreenOptions{}.match_threshold);
        CHECK(best(index, query("Sber Zapad LLP"), "sber-vostok") <
              sanx::ScreenOptions{}.review_threshold);
        // Aleksandr is not the patronymic Aleksandrovich.
        CHECK(best(index, query("Nikita Aleksandrovich Zakharov"), "zakharov") <
              sanx::ScreenOptions{}.match_threshold);
    }

    TEST_CASE("common tokens weigh less than rare ones") {
        auto index = small_index();
        // "bank" is in 51 names, "vtb" in one: a query sharing only "bank" is far off.
        CHECK(best(index, query("VTB"), "vtb") > best(index, query("Bank"), "vtb"));
        CHECK(best(index, query("Bank"), "vtb") < sanx::ScreenOptions{}.review_threshold);
    }

    TEST_CASE("type, country and birth year qualify the score, each explained") {
        auto index = small_index();
        const double plain = best(index, query("Aleksandr Zakharov"), "zakharov");
        CHECK(best(index, query("Aleksandr Zakharov", m::PartyType::person, {"RU"}, {1965}),
                   "zakharov") > plain);
        auto later = index.search(
            query("Aleksandr Zakharov", m::PartyType::organisation, {"KZ"}, {1990}), 0.0, 1);
        REQUIRE(later.size() == 1);
        CHECK(later.front().score < plain - 0.3);
        std::vector<std::string> names;
        for (const auto& f : later.front().features) names.push_back(f.name);
        CHECK(names == std::vector<std::string>{"name", "type", "country", "birth_year"});
        CHECK(later.front().features[3].detail == "the party was born in 1990, the entry in 1965");
        CHECK(later.front().features[0].detail.find("zaharov = zaharov") != std::string::npos);
    }

    TEST_CASE("hostile names get a note, never a crash") {
        SUBCASE("empty and punctuation only") {
            CHECK(m::normalize("").tokens.empty());
            CHECK(m::normalize("«»—!!!").tokens.empty());
        }
        SUBCASE("10,000 characters") {
            std::string huge;
            for (int i = 0; i < 1000; ++i) huge += "Zakharov! ";
            auto n = m::normalize(huge);
            CHECK(!n.notes.empty());
            CHECK(n.notes.front().find("longer than 1024 bytes") != std::string::npos);
            CHECK(small_index().search(query(huge), 0.0, 3).size() <= 3);
            std::string one(10000, 'z');
            auto w = m::normalize(one);
            REQUIRE(w.tokens.size() == 1);
            CHECK(w.tokens.front().text.size() == 64);
        }
        SUBCASE("invalid UTF-8") {
            auto n = m::normalize("Sber\xff\xfe Vostok \xc3");
            CHECK(std::find(n.notes.begin(), n.notes.end(),
                            "the name has bytes that are not UTF-8: they are left out") !=
                  n.notes.end());
            CHECK(texts("Sber\xff\xfe Vostok \xc3") == Words{"sber", "vostok"});
        }
        SUBCASE("a script the transliterator does not know is compared as written") {
            auto n = m::normalize("ⵜⴰⵎⴰⵣⵉⵖⵜ");
            REQUIRE(n.tokens.size() == 1);
            CHECK(n.notes.front().find("Tifinagh") != std::string::npos);
            CHECK(texts("北京") == Words{"bei", "jing"});  // ICU knows Han
        }
    }

    TEST_CASE("check ties a counterparty known by its Cyrillic name to the list entry") {
        Scratch s("screen-check");
        auto lists = s.write("sdn.jsonl", list_text);
        auto in = s.write("in.yaml", R"(entities:
  - id: kz-buyer
    country: KZ
    counterparties:
      - {name: "ТОО «Сбер Восток»"}
      - {name: "ЖШС Элем Груп"}
      - {name: "Astana Steel"}
      - {name: "Береке Агро ТОО"}
)");
        auto rs = shipped();
        auto read = rs->read({in}, {lists});
        sanx::CheckOptions o;
        o.as_of = "2025-06-01";
        auto report = rs->check(read.input, o);
        REQUIRE(report.results.size() == 1);
        const auto& r = report.results.front();
        REQUIRE(r.matches.size() == 4);
        CHECK((r.matches[0].by == sanx::MatchBy::name &&
               r.matches[0].decision == sanx::MatchDecision::match &&
               r.matches[0].list_id == "ofac-sdn-36427" && r.matches[0].score == 1.0 &&
               r.matches[0].query_name == "ТОО «Сбер Восток»" &&
               r.matches[0].matched_name == "SBER VOSTOK LIMITED LIABILITY PARTNERSHIP"));
        CHECK((r.matches[1].list_id == "ofac-sdn-47950" &&
               r.matches[1].decision == sanx::MatchDecision::match));
        // Two words of three: possible, so what depends on it is undecided, naming it.
        CHECK((r.matches[2].list_id == "ofac-sdn-2" &&
               r.matches[2].decision == sanx::MatchDecision::possible &&
               r.matches[2].score < 0.88 && r.matches[2].score >= 0.72));
        CHECK((r.matches[3].decision == sanx::MatchDecision::unmatched &&
               r.matches[3].by == sanx::MatchBy::name));
        CHECK(r.verdict >= sanx::Verdict::high);
        bool undecided_names_it = false;
        for (const auto& u : r.indeterminate)
            for (const auto& why : u.missing)
                undecided_names_it =
                    undecided_names_it ||
                    why.find("ofac-sdn-2 (ASTANA STEEL WORKS), name score") != std::string::npos;
        CHECK(undecided_names_it);
        auto line = sanx::to_json_line(r, report.provenance);
        CHECK(
            line.find(
                R"("matched_name":"SBER VOSTOK LIMITED LIABILITY PARTNERSHIP","query_name":"ТОО «Сбер Восток»","score":1.0,"by":"name","decision":"match")") !=
            std::string::npos);
    }

    TEST_CASE("the thresholds reach the check through the read options") {
        Scratch s("screen-thresholds");
        auto lists = s.write("sdn.jsonl", list_text);
        auto in = s.write("in.yaml",
                          "entities:\n  - {id: x, country: KZ, counterparties: "
                          "[{name: Astana Steel Group}]}\n");
        sanx::ScreenOptions strict;
        strict.review_threshold = 0.95;
        strict.match_threshold = 0.99;
        auto read = shipped()->read({in}, {lists}, {}, strict);
        auto report = shipped()->check(read.input, as_of());
        REQUIRE(report.results.front().matches.size() == 1);
        CHECK(report.results.front().matches.front().decision == sanx::MatchDecision::unmatched);
        sanx::ScreenOptions loose;
        loose.match_threshold = 0.5;
        loose.review_threshold = 0.4;
        read = shipped()->read({in}, {lists}, {}, loose);
        report = shipped()->check(read.input, as_of());
        CHECK(report.results.front().matches.front().decision == sanx::MatchDecision::match);
    }

    TEST_CASE("screen() lists candidates per party, best first, with features and notes") {
        Scratch s("screen-api");
        auto lists = s.write("sdn.jsonl", list_text);
        auto in = s.write("in.yaml", R"(entities:
  - id: zakharov-query
    type: person
    name: Захаров Александр
    counterparties:
      - {name: ""}
      - {name: "ⵜⴰⵎⴰⵣⵉⵖⵜ"}
)");
        auto read = shipped()->read({in}, {lists});
        auto parties = sanx::screen(read.input);
        REQUIRE(parties.size() == 3);
        REQUIRE(!parties[0].candidates.empty());
        CHECK(parties[0].candidates[0].list_id == "ofac-sdn-45937");
        CHECK(parties[0].candidates[0].decision == "match");
        CHECK(parties[0].candidates[0].features.front().name == "name");
        CHECK(parties[1].candidates.empty());
        CHECK(parties[1].notes.size() == 1);
        CHECK(parties[2].notes.front().find("Tifinagh") != std::string::npos);
        auto json = sanx::to_json(parties[0]);
        CHECK(json.find(R"("list_id":"ofac-sdn-45937")") != std::string::npos);
        CHECK(json.find(R"("decision":"match")") != std::string::npos);
    }
}

TEST_SUITE("screen") {
    TEST_CASE("a name that two separate entries match takes the listings of both") {
        Scratch s("screen-two");
        auto lists = s.write(
            "two.jsonl",
            R"({"id":"ofac-sdn-9","type":"person","name":"IVANOV, Pyotr Sergeyevich","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}]}
{"id":"un-QDi.9","type":"person","name":"PYOTR SERGEYEVICH IVANOV","listings":[{"authority":"UN","list":"UN SC Consolidated","program":"DPRK"}]}
)");
        auto in = s.write("in.yaml",
                          "entities:\n  - {id: x, country: KZ, counterparties: "
                          "[{name: Пётр Сергеевич Иванов, type: person}]}\n");
        auto read = shipped()->read({in}, {lists});
        auto report = shipped()->check(read.input, as_of());
        const auto& m = report.results.front().matches;
        REQUIRE(m.size() == 2);
        CHECK((m[0].decision == sanx::MatchDecision::match &&
               m[1].decision == sanx::MatchDecision::match));
        CHECK(m[0].list_id != m[1].list_id);
        const auto& cp = sanx::detail::Access::data(read.input)
                             .records.front()
                             .value.field("counterparties")
                             ->as_list()
                             .front();
        REQUIRE(cp.field("listings"));
        std::vector<std::string> authorities;
        for (const auto& l : cp.field("listings")->as_list())
            authorities.push_back(l.field("authority")->as_string());
        std::sort(authorities.begin(), authorities.end());
        CHECK(authorities == std::vector<std::string>{"OFAC", "UN"});
    }
}
