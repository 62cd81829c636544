// The list importers against the real publisher files in ../shared/data (read in place, never
// copied: the OpenSanctions file is CC BY-NC), and against small malformed inputs.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include <sanx/import.hpp>

namespace fs = std::filesystem;
using nlohmann::json;
using sanx::import::Format;

namespace {

const fs::path data_dir = fs::path(SANX_SOURCE_DIR) / ".." / "shared" / "data";

/// The data set's files, or empty (with a message) when the shared data is not there.
std::vector<std::string> files(const std::string& folder, std::vector<std::string> names) {
    std::vector<std::string> out;
    for (const auto& n : names) {
        fs::path p = data_dir / folder / n;
        if (!fs::exists(p)) {
            MESSAGE("skipped: " << p.string() << " is not there");
            return {};
        }
        out.push_back(p.string());
    }
    return out;
}

struct Imported {
    sanx::import::ImportResult result;
    std::map<std::string, json> by_id;
    std::vector<json> entities;

    std::size_t count(const std::string& key) const {
        auto it = result.counts.find(key);
        return it == result.counts.end() ? 0 : it->second;
    }
    const json& at(const std::string& id) const {
        static const json none;
        auto it = by_id.find(id);
        return it == by_id.end() ? none : it->second;
    }
};

Imported import(Format f, const std::vector<std::string>& paths) {
    Imported im{sanx::import::read(f, paths), {}, {}};
    for (const auto& line : im.result.entities) {
        json j = json::parse(line);
        im.by_id[j["id"].get<std::string>()] = j;
        im.entities.push_back(std::move(j));
    }
    return im;
}

/// Each data set is imported once per test run.
const Imported* cached(Format f, const std::string& folder, std::vector<std::string> names) {
    static std::map<std::string, Imported> cache;
    auto paths = files(folder, std::move(names));
    if (paths.empty()) return nullptr;
    auto it = cache.find(folder);
    if (it == cache.end()) it = cache.emplace(folder, import(f, paths)).first;
    return &it->second;
}

const Imported* sdn2024() { return cached(Format::ofac_sdn, "ofac-sdn-2024-05-03", {"sdn.csv"}); }
const Imported* sdn2019() {
    return cached(Format::ofac_sdn, "ofac-sdn-2019-01",
                  {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"});
}
const Imported* cons2025() {
    return cached(Format::ofac_consolidated, "ofac-consolidated-2025-12",
                  {"cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"});
}
const Imported* zala() { return cached(Format::ftm, "opensanctions-zala", {"entities.ftm.json"}); }
const Imported* un2026() {
    return cached(Format::un_xml, "un-consolidated-2026-02", {"UN_consolidated.xml"});
}

std::size_t errors(const sanx::import::ImportResult& r) {
    return static_cast<std::size_t>(std::count_if(
        r.diagnostics.begin(), r.diagnostics.end(),
        [](const sanx::Diagnostic& d) { return d.severity == sanx::Severity::error; }));
}

bool has_identifier(const json& e, const std::string& type, const std::string& value) {
    if (!e.contains("attributes") || !e["attributes"].contains("identifiers")) return false;
    for (const auto& i : e["attributes"]["identifiers"])
        if (i["type"] == type && i["value"] == value) return true;
    return false;
}

std::vector<json> listings_of(const json& e, const std::string& authority) {
    std::vector<json> out;
    for (const auto& l : e["listings"])
        if (l["authority"] == authority) out.push_back(l);
    return out;
}

}  // namespace

TEST_SUITE("import") {
    TEST_CASE("SDN 2024: every row of the CRLF file with its trailing 0x1A becomes an entity") {
        const Imported* im = sdn2024();
        if (!im) return;
        std::ifstream in(data_dir / "ofac-sdn-2024-05-03" / "sdn.csv", std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        REQUIRE(text.size() > 3);
        REQUIRE(text.substr(text.size() - 3) == "\r\n\x1a");  // the quirk under test

        CHECK(im->count("rows/sdn.csv") == 14965);
        CHECK(im->result.entities.size() == 14965);
        CHECK(errors(im->result) == 0);
        CHECK(im->count("type/person") == 6854);
        CHECK(im->count("type/vessel") == 851);
        CHECK(im->count("type/aircraft") == 376);
        CHECK(im->count("type/company") + im->count("type/bank") + im->count("type/organization") ==
              6884);
        // No carriage return or Ctrl-Z leaks into the last field of any row.
        for (const auto& line : im->result.entities) {
            CHECK(line.find("\\r") == std::string::npos);
            CHECK(line.find("\\u001a") == std::string::npos);
        }
        CHECK(im->entities.front()["id"] == "ofac-sdn-36");
        CHECK(
            im->entities.back()["attributes"]["remarks"].get<std::string>().ends_with("(Turkey)."));
    }

    TEST_CASE("SDN: several programs in one field give one SDN listing each") {
        const Imported* im = sdn2024();
        if (!im) return;
        const json& k = im->at("ofac-sdn-16911");  // JSC CONCERN KALASHNIKOV
        REQUIRE(k.is_object());
        CHECK(k["name"] == "JOINT STOCK COMPANY CONCERN KALASHNIKOV");
        REQUIRE(k["listings"].size() == 2);
        CHECK(k["listings"][0] ==
              json{{"authority", "OFAC"}, {"list", "SDN"}, {"program", "UKRAINE-EO13661"}});
        CHECK(k["listings"][1] ==
              json{{"authority", "OFAC"}, {"list", "SDN"}, {"program", "RUSSIA-EO14024"}});
        CHECK_FALSE(k["listings"][0].contains("from"));  // the CSV has no listing dates
        CHECK(k["country"] == "RU");
        CHECK(k["attributes"]["secondary_sanctions_risk"] == json{"CFR589"});
        CHECK(has_identifier(k, "tax_id", "1832090230"));
        CHECK(has_identifier(k, "registration", "1111832003018"));
    }

    TEST_CASE("SDN: secondary sanctions flags become tags with the README's row counts") {
        const Imported* im = sdn2024();
        if (!im) return;
        CHECK(im->count("flag/EO14024-S11") == 555);
        CHECK(im->count("flag/HKAA") == 39);
        CHECK(im->count("flag/IRAN-SSR") == 2134);
        CHECK(im->count("flag/HFSR") == 196);
        // The README counts three spellings (672 rows); a fourth ("... 589.201.") adds 4.
        CHECK(im->count("flag/CFR589") == 676);
        // The README counts the spelling without a final period (616); 5 rows end in one.
        CHECK(im->count("flag/EO13224") == 621);
        // The README's 590 plus one row whose Remarks are cut off after "510.2".
        CHECK(im->count("flag/NKSR") == 591);
        CHECK(im->count("flag/OTHER") == 0);
        CHECK(im->count("linked_to") == 5824);

        const json& vtb = im->at("ofac-sdn-17013");
        CHECK(vtb["type"] == "bank");
        CHECK(vtb["attributes"]["directives"] == json{"EO13662-D1"});
        const json& zakharov = im->at("ofac-sdn-45937");
        CHECK(zakharov["type"] == "person");
        CHECK(zakharov["country"] == "RU");
        CHECK(zakharov["attributes"]["linked_to"] == json{"LIMITED LIABILITY COMPANY ZALA AERO"});
        CHECK(zakharov["attributes"]["linked_to_ids"] == json{"ofac-sdn-45934"});
    }

    TEST_CASE("SDN 2019: aliases, addresses and the Remarks overflow are joined on ent_num") {
        const Imported* im = sdn2019();
        if (!im) return;
        CHECK(im->count("rows/sdn.csv") == 7379);
        CHECK(im->count("rows/add.csv") == 11696);
        CHECK(im->count("rows/alt.csv") == 9682);
        CHECK(im->count("rows/sdn_comments.csv") == 3);
        CHECK(im->count("orphans/add.csv") + im->count("orphans/alt.csv") +
                  im->count("orphans/sdn_comments.csv") ==
              0);
        CHECK(im->count("type/person") == 3845);
        CHECK(im->count("type/vessel") == 323);
        CHECK(im->count("type/aircraft") == 217);
        CHECK(errors(im->result) == 0);

        const json& cubana = im->at("ofac-sdn-306");  // BANCO NACIONAL DE CUBA
        CHECK(cubana["type"] == "bank");
        const auto& aliases = cubana["aliases"];
        CHECK(std::find(aliases.begin(), aliases.end(), "NATIONAL BANK OF CUBA") != aliases.end());
        // Its four add.csv rows are branches abroad: every country is kept, in file order.
        REQUIRE(cubana["attributes"]["addresses"].size() == 4);
        CHECK(cubana["attributes"]["addresses"][1] ==
              json{{"address", "Avenida de Concha Espina 8"},
                   {"city", "Madrid E-28036"},
                   {"country_name", "Spain"},
                   {"country", "ES"}});
        CHECK(cubana["country"] == "CH");
        CHECK(cubana["countries"] == json{"ES", "JP", "PA"});

        // sdn.csv cuts the Remarks of 12300 after "PROMO RAI"; sdn_comments.csv continues it.
        const json& e = im->at("ofac-sdn-12300");
        const auto& linked = e["attributes"]["linked_to"];
        CHECK(std::find(linked.begin(), linked.end(), "PROMO RAIZ S.A.S.") != linked.end());
        CHECK(std::find(linked.begin(), linked.end(), "R D I S.A.") != linked.end());
    }

    TEST_CASE("consolidated list: non-SDN measures are never SDN listings") {
        const Imported* im = cons2025();
        if (!im) return;
        CHECK(im->count("rows/cons_prim.csv") == 442);
        CHECK(im->count("rows/cons_add.csv") == 574);
        CHECK(im->count("rows/cons_alt.csv") == 1073);
        CHECK(im->count("rows/cons_comments.csv") == 10);
        CHECK(im->count("type/person") == 79);
        CHECK(errors(im->result) == 0);
        std::map<std::string, int> lists;
        for (const auto& e : im->entities)
            for (const auto& l : e["listings"]) {
                CHECK(l["authority"] == "OFAC");
                CHECK(l["list"] != "SDN");
                ++lists[l["list"].get<std::string>()];
            }
        std::map<std::string, int> programs;
        for (const auto& e : im->entities)
            for (const auto& l : e["listings"]) {
                ++programs[l["program"].get<std::string>()];
                if (l["program"] == "UKRAINE-EO13662") CHECK(l["list"] == "SSI");
            }
        CHECK(programs["UKRAINE-EO13662"] == 286);
        CHECK(programs["RUSSIA-EO14024"] == 93);
        CHECK(programs["NS-PLC"] == 78);
        CHECK(lists["NS-CMIC"] == 68);
        const json& vtb = im->at("ofac-cons-17013");
        REQUIRE(vtb.is_object());
        CHECK(vtb["listings"][0]["list"] == "SSI");
        // A record on NS-PLC that also carries the SDN program SDGT stays on NS-PLC.
        for (const auto& l : im->at("ofac-cons-9647")["listings"]) CHECK(l["list"] == "NS-PLC");
    }

    TEST_CASE("cross-file anchor: CST's tax id 1841015504 is in SDN 2024 and in the FtM file") {
        const Imported* sdn = sdn2024();
        const Imported* ftm = zala();
        if (!sdn || !ftm) return;
        const json& cst_sdn = sdn->at("ofac-sdn-45928");
        CHECK(cst_sdn["name"] == "A LEVEL AEROSYSTEMS CST LLC");
        CHECK(has_identifier(cst_sdn, "tax_id", "1841015504"));
        CHECK(has_identifier(sdn->at("ofac-sdn-45934"), "tax_id", "1841001815"));  // ZALA AERO

        const json& cst = ftm->at("NK-abdzbEBkqyT29GyREbiURZ");
        CHECK(cst["name"] == "LLC CST");
        CHECK(has_identifier(cst, "tax_id", "1841015504"));
        CHECK(has_identifier(cst, "tax_id", "1841001815"));
        CHECK(cst["attributes"]["same_as"] == json{"ofac-sdn-45928", "ofac-sdn-45934"});
        // The same identifier shape on both sides: type, value and the register's country.
        for (const auto* e : {&cst_sdn, &cst})
            for (const auto& i : (*e)["attributes"]["identifiers"])
                if (i["value"] == "1841015504" && i["type"] == "tax_id")
                    CHECK(i["country"] == "RU");
    }

    TEST_CASE("FtM: ownership edges land on the asset with percentages and dates") {
        const Imported* im = zala();
        if (!im) return;
        CHECK(im->count("rows/entities.ftm.json") == 91);
        CHECK(im->count("ownership_edges") == 14);
        CHECK(im->count("control_edges") == 3);
        CHECK(im->result.entities.size() == 17);  // 11 companies and 6 persons
        CHECK(errors(im->result) == 0);

        std::size_t with_share = 0, edges = 0;
        for (const auto& e : im->entities)
            if (e.contains("owners"))
                for (const auto& o : e["owners"]) {
                    ++edges;
                    if (o.contains("share")) ++with_share;
                }
        CHECK(edges == 14);
        CHECK(with_share == 10);

        const json& cst = im->at("NK-abdzbEBkqyT29GyREbiURZ");
        const std::string zakharov = "NK-aU5ybkbRFJucf8YMwsJvDw";
        const std::string kalashnikov = "NK-nR5AXM9AVPq4pQaSPSaVam";
        CHECK(std::count(cst["owners"].begin(), cst["owners"].end(),
                         json{{"id", zakharov}, {"share", 51}, {"from", "2015-11-25"}}) == 1);
        CHECK(std::count(cst["owners"].begin(), cst["owners"].end(),
                         json{{"id", kalashnikov}, {"share", 49}, {"from", "2016-03-29"}}) == 1);
        CHECK(std::count(cst["owners"].begin(), cst["owners"].end(),
                         json{{"id", zakharov},
                              {"share", 48},
                              {"from", "2015-11-25"},
                              {"until", "2023-12-21"}}) == 1);
        // "subsidiary of" without numbers: an edge of unknown share, not a 0 % one.
        CHECK(std::count(cst["owners"].begin(), cst["owners"].end(), json{{"id", kalashnikov}}) ==
              1);
        CHECK(std::count(cst["controllers"].begin(), cst["controllers"].end(),
                         json{{"id", zakharov}, {"basis", "board"}}) == 1);
    }

    TEST_CASE("FtM: sanctions map to authorities, and a disqualification is not a listing") {
        const Imported* im = zala();
        if (!im) return;
        const json& cst = im->at("NK-abdzbEBkqyT29GyREbiURZ");
        auto ofac = listings_of(cst, "OFAC");
        REQUIRE(ofac.size() == 1);  // two us_ofac_sdn records with the same facts
        CHECK(ofac[0] ==
              json{{"authority", "OFAC"}, {"list", "SDN"}, {"program", "RUSSIA-EO14024"}});
        auto uk = listings_of(cst, "UK");
        REQUIRE(uk.size() == 1);
        CHECK(uk[0]["from"] == "2023-02-08");
        CHECK(uk[0]["list"] == "UK Sanctions List");
        auto eu = listings_of(cst, "EU");
        REQUIRE(eu.size() == 1);
        CHECK(eu[0]["from"] == "2023-12-18");  // startDate, not the later listingDate
        auto bis = listings_of(cst, "BIS");
        REQUIRE(bis.size() == 1);
        CHECK(bis[0]["list"] == "Entity List");

        const json& z = im->at("NK-aU5ybkbRFJucf8YMwsJvDw");
        CHECK(listings_of(z, "UK").size() == 1);  // gb_fcdo_sanctions, not gb_coh_disqualified
        CHECK(listings_of(z, "EU").size() == 2);  // FSF asset freeze and travel ban
        bool disqualified = false;
        for (const auto& m : z["attributes"]["other_measures"])
            if (m["dataset"] == "gb_coh_disqualified") {
                disqualified = true;
                CHECK(m["kind"] == "director disqualification");
            }
        CHECK(disqualified);
        for (const auto& e : im->entities)
            for (const auto& l : e["listings"]) CHECK(l["list"] != "gb_coh_disqualified");
    }

    TEST_CASE("UN: 730 individuals and 273 entities, listed with their dates") {
        const Imported* im = un2026();
        if (!im) return;
        CHECK(im->count("un.individuals") == 730);
        CHECK(im->count("un.entities") == 273);
        CHECK(errors(im->result) == 0);
        CHECK(im->count("program/Al-Qaida") == 341);
        CHECK(im->count("program/DPRK") == 155);
        CHECK(im->count("program/SouthSudan") == 8);
        const json& badege = im->at("un-CDi.001");
        CHECK(badege["name"] == "ERIC BADEGE");
        CHECK(badege["type"] == "person");
        CHECK(badege["country"] == "CD");
        CHECK(badege["listings"] == json::array({{{"authority", "UN"},
                                                  {"list", "UN SC Consolidated"},
                                                  {"program", "DRC"},
                                                  {"from", "2012-12-31"}}}));
        // xs:date with a time zone ("2015-04-07-04:00") is still that day.
        std::size_t listed_2015 = 0;
        for (const auto& e : im->entities) {
            REQUIRE(e["listings"].size() == 1);
            CHECK(e["listings"][0]["from"].get<std::string>().size() == 10);
            if (e["listings"][0]["from"].get<std::string>().starts_with("2015-")) ++listed_2015;
        }
        CHECK(listed_2015 > 0);
    }

    TEST_CASE("every output line is one JSON object with an id, and the bytes are stable") {
        using Getter = const Imported* (*)();
        for (Getter g :
             {Getter(sdn2024), Getter(sdn2019), Getter(cons2025), Getter(zala), Getter(un2026)}) {
            const Imported* im = g();
            if (!im) continue;
            std::string text = sanx::import::to_jsonl(im->result);
            std::istringstream lines(text);
            std::string line;
            std::size_t n = 0;
            std::vector<std::string> ids;
            while (std::getline(lines, line)) {
                json j = json::parse(line, nullptr, false);
                REQUIRE_FALSE(j.is_discarded());
                REQUIRE(j.is_object());
                REQUIRE(j.contains("id"));
                ids.push_back(j["id"].get<std::string>());
                ++n;
            }
            CHECK(n == im->result.entities.size());
            std::sort(ids.begin(), ids.end());
            CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());  // ids are unique
        }
        if (auto paths = files("opensanctions-zala", {"entities.ftm.json"}); !paths.empty())
            CHECK(sanx::import::to_jsonl(sanx::import::read(Format::ftm, paths)) ==
                  sanx::import::to_jsonl(sanx::import::read(Format::ftm, paths)));
    }

    TEST_CASE("a malformed CSV row is reported with its line and the other rows are kept") {
        std::string sdn =
            "1,\"GOOD ONE LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            "2,\"TOO FEW\",-0- ,\"SDGT\"\r\n"
            "3,\"UNCLOSED QUOTE,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            "x4,\"BAD ENT NUM\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            "5,\"SMITH, John\",\"individual\",\"IRAN] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            "\"nationality Iran; a.k.a. 'JACK'.\"\r\n\x1a";
        auto r = sanx::import::read_texts(Format::ofac_sdn, {{"sdn.csv", sdn}});
        REQUIRE(r.entities.size() == 2);
        json john = json::parse(r.entities[1]);
        CHECK(john["id"] == "ofac-sdn-5");
        CHECK(john["type"] == "person");
        CHECK(john["country"] == "IR");
        CHECK(john["aliases"] == json{"JACK"});
        CHECK(john["listings"].size() == 2);
        std::vector<int> lines;
        for (const auto& d : r.diagnostics) {
            CHECK(d.severity == sanx::Severity::error);
            CHECK(d.where.file == "sdn.csv");
            lines.push_back(d.where.line);
        }
        CHECK(lines == std::vector<int>{3, 2, 4});  // parse errors first, then row checks
        CHECK(r.counts["skipped/sdn.csv"] == 2);
        CHECK(sanx::render(r.diagnostics)
                  .find("sdn.csv:2:1: error: an OFAC primary row has 12 "
                        "columns, this one 4; row skipped") != std::string::npos);
    }

    TEST_CASE("a broken XML element or a bad date is reported with its line") {
        std::string xml =
            "<?xml version=\"1.0\"?>\n"
            "<CONSOLIDATED_LIST><INDIVIDUALS>\n"
            "<INDIVIDUAL><FIRST_NAME>GOOD</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>\n"
            "  <REFERENCE_NUMBER>KPi.900</REFERENCE_NUMBER><LISTED_ON>2016-03-02</LISTED_ON>\n"
            "</INDIVIDUAL>\n"
            "<INDIVIDUAL><FIRST_NAME>BAD DATE</FIRST_NAME><REFERENCE_NUMBER>KPi.901"
            "</REFERENCE_NUMBER><LISTED_ON>2016-02-30</LISTED_ON></INDIVIDUAL>\n"
            "<INDIVIDUAL><FIRST_NAME>BROKEN<REFERENCE_NUMBER>KPi.902</REFERENCE_NUMBER>\n"
            "</INDIVIDUAL>\n"
            "</INDIVIDUALS></CONSOLIDATED_LIST>\n";
        auto r = sanx::import::read_texts(Format::un_xml, {{"un.xml", xml}});
        REQUIRE(r.entities.size() == 1);
        CHECK(json::parse(r.entities[0])["id"] == "un-KPi.900");
        bool bad_date = false, broken = false;
        for (const auto& d : r.diagnostics) {
            CHECK(d.where.file == "un.xml");
            if (d.where.line == 6 && d.message.find("2016-02-30") != std::string::npos)
                bad_date = true;
            if (d.where.line >= 7 && d.code == "xml") broken = true;
        }
        CHECK(bad_date);
        CHECK(broken);
    }

    TEST_CASE("FtM: a line that is not JSON or an edge with a bad date is reported and skipped") {
        std::string ftm =
            R"({"id":"a","schema":"Company","caption":"A LLC","properties":{"innCode":["7700000000"]}})"
            "\n{not json\n"
            R"({"id":"o1","schema":"Ownership","properties":{"owner":["b"],"asset":["a"],"percentage":["60"],"startDate":["2020-02-31"]}})"
            "\n"
            R"({"id":"o2","schema":"Ownership","properties":{"owner":["b"],"asset":["a"],"percentage":["40"],"startDate":["2021"]}})"
            "\n";
        auto r = sanx::import::read_texts(Format::ftm, {{"x.ftm.json", ftm}});
        REQUIRE(r.entities.size() == 1);
        json a = json::parse(r.entities[0]);
        CHECK(a["owners"] == json::array({{{"id", "b"}, {"share", 40}, {"from", "2021-01-01"}}}));
        CHECK(a["attributes"]["identifiers"][0] == json{{"type", "tax_id"},
                                                        {"value", "7700000000"},
                                                        {"country", "RU"},
                                                        {"label", "innCode"}});
        std::vector<int> lines;
        for (const auto& d : r.diagnostics) lines.push_back(d.where.line);
        CHECK(lines == std::vector<int>{2, 3});
    }

    TEST_CASE("country names as the publishers write them map to ISO alpha-2") {
        using sanx::import::country_code;
        CHECK(country_code("Russia") == "RU");
        CHECK(country_code("Russian Federation") == "RU");
        CHECK(country_code("Iran") == "IR");
        CHECK(country_code("Iran (Islamic Republic of)") == "IR");
        CHECK(country_code("Korea, North") == "KP");
        CHECK(country_code("Democratic People's Republic of Korea") == "KP");
        CHECK(country_code("Burma") == "MM");
        CHECK(country_code("Congo, Democratic Republic of the") == "CD");
        CHECK(country_code("Crimea region of Ukraine") == "UA");
        CHECK(country_code("United Kingdom of Great Britain and Northern Ireland") == "GB");
        CHECK(country_code("Türkiye") == "TR");
        CHECK(country_code("ru") == "RU");
        CHECK(country_code("eu") == "");  // not a country
        CHECK(country_code("Atlantis") == "");
    }
}
