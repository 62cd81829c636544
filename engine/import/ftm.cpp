// OpenSanctions FollowTheMoney entities (JSON lines): parties become sanx entities,
// Ownership and Directorship become edges on the asset / organization, Sanction entities
// become listings (or, when they are not sanctions designations, other_measures).
// docs/importers.md has the mapping of datasets to authorities.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "import/countries.hpp"
#include "import/readers.hpp"
#include "import/text.hpp"
#include "io/csv.hpp"

namespace sanx::import::detail {

namespace {

struct Record {
    std::string file;  // as given
    std::string base;  // base name, for attributes.source
    int line = 0;
    std::string raw;
    nlohmann::json j;
    std::string id, schema;
};

/// How a Sanction's dataset maps to a sanx listing.
struct Publisher {
    std::string_view dataset;
    std::string_view authority;  ///< empty: not a sanctions designation (other_measures)
    std::string_view list;
    std::string_view kind;  ///< for other_measures: what it is instead
};

// The publishers OpenSanctions collects and what sanx makes of them. National
// implementations of EU lists (BE, FR, MC) keep their own authority so that they never count
// twice as EU listings; EU travel bans are EU listings on their own list.
constexpr Publisher publishers[] = {
    {"us_ofac_sdn", "OFAC", "SDN", ""},
    {"us_ofac_cons", "OFAC", "NON-SDN", ""},
    {"us_bis_denied", "BIS", "Denied Persons List", ""},
    {"eu_fsf", "EU", "FSF", ""},
    {"eu_travel_bans", "EU", "Travel ban", ""},
    {"gb_fcdo_sanctions", "UK", "UK Sanctions List", ""},
    {"gb_hmt_sanctions", "UK", "OFSI Consolidated List", ""},
    {"un_sc_sanctions", "UN", "UN SC Consolidated", ""},
    {"ch_seco_sanctions", "CH", "SECO", ""},
    {"au_dfat_sanctions", "AU", "DFAT Consolidated List", ""},
    {"ca_dfatd_sema_sanctions", "CA", "SEMA", ""},
    {"jp_mof_sanctions", "JP", "MOF asset freeze", ""},
    {"jp_meti_ru", "JP", "METI export ban", ""},
    {"nz_russia_sanctions", "NZ", "Russia Sanctions Register", ""},
    {"ua_nsdc_sanctions", "UA", "NSDC", ""},
    {"be_fod_sanctions", "BE", "FOD financial sanctions", ""},
    {"fr_tresor_gels_avoir", "FR", "Registre national des gels", ""},
    {"mc_fund_freezes", "MC", "Fund freezes", ""},
    {"gb_coh_disqualified", "", "", "director disqualification"},
    {"us_sam_exclusions", "", "", "procurement exclusion"},
    {"ua_war_sanctions", "", "", "watchlist"},
    {"us_trade_csl", "", "", ""},  // decided per program below
};

const Publisher* publisher(std::string_view dataset) {
    for (const auto& p : publishers)
        if (p.dataset == dataset) return &p;
    return nullptr;
}

std::vector<std::string> strings(const nlohmann::json& props, const char* key) {
    std::vector<std::string> out;
    auto it = props.find(key);
    if (it == props.end() || !it->is_array()) return out;
    for (const auto& v : *it)
        if (v.is_string()) add_unique(out, one_line(v.get<std::string>()));
    return out;
}

std::string first(const nlohmann::json& props, const char* key) {
    auto v = strings(props, key);
    return v.empty() ? std::string() : v.front();
}

/// A FtM date (YYYY, YYYY-MM or YYYY-MM-DD, maybe with a time) as YYYY-MM-DD: partial dates
/// start at the beginning of their period (`end`: finish at its end). Empty when malformed.
std::string ftm_date(const std::string& s, bool end) {
    std::string d = s.substr(0, std::min<std::size_t>(s.size(), 10));
    if (d.size() == 4) d += end ? "-12" : "-01";
    if (d.size() == 7) {
        for (int day : {31, 30, 29, 28}) {
            std::string c = d + "-" + std::to_string(day);
            if (!end) {
                c = d + "-01";
                return valid_iso_date(c) ? c : std::string();
            }
            if (valid_iso_date(c)) return c;
        }
        return {};
    }
    return valid_iso_date(d) ? d : std::string();
}

/// Earliest (or latest) well-formed date of a property; `bad` collects malformed values.
std::string pick_date(const nlohmann::json& props, const char* key, bool latest,
                      std::vector<std::string>& bad) {
    std::string out;
    for (const auto& v : strings(props, key)) {
        std::string d = ftm_date(v, latest);
        if (d.empty()) {
            bad.push_back(std::string(key) + " '" + v + "'");
            continue;
        }
        if (out.empty() || (latest ? d > out : d < out)) out = d;
    }
    return out;
}

Json number(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return static_cast<std::int64_t>(v);
    return v;
}

std::optional<double> parse_number(std::string s) {
    s = std::string(trim(s));
    if (!s.empty() && s.back() == '%') s.pop_back();
    std::replace(s.begin(), s.end(), ',', '.');
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

const char* sanx_type(const std::string& schema, const std::vector<std::string>& topics) {
    if (schema == "Person") return "person";
    if (schema == "Vessel") return "vessel";
    if (schema == "Airplane") return "aircraft";
    if (schema == "Organization" || schema == "PublicBody") return "organization";
    if (std::find(topics.begin(), topics.end(), "fin.bank") != topics.end()) return "bank";
    return "company";  // Company, LegalEntity
}

bool is_party(const std::string& schema) {
    static const std::set<std::string> parties{
        "Person", "Company", "Organization", "LegalEntity", "PublicBody", "Vessel", "Airplane"};
    return parties.count(schema) > 0;
}

struct IdProp {
    const char* prop;
    const char* type;
    const char* country;  ///< the register's country, when the property implies one
};

constexpr IdProp id_props[] = {
    {"innCode", "tax_id", "RU"},
    {"ogrnCode", "registration", "RU"},
    {"kppCode", "kpp", "RU"},
    {"okpoCode", "okpo", "RU"},
    {"taxNumber", "tax_id", ""},
    {"registrationNumber", "registration", ""},
    {"vatCode", "vat", ""},
    {"leiCode", "lei", ""},
    {"swiftBic", "swift_bic", ""},
    {"bikCode", "bik", "RU"},
    {"dunsCode", "duns", ""},
    {"imoNumber", "imo", ""},
    {"mmsi", "mmsi", ""},
    {"passportNumber", "passport", ""},
    {"idNumber", "national_id", ""},
    {"uniqueEntityId", "sam_uei", "US"},
    {"permId", "perm_id", ""},
    {"icaoCode", "icao", ""},
};

/// "TIN: 183111242572", "Taxpayer No. 184101937739": the number without its label.
std::string bare_number(const std::string& v) {
    auto colon = v.rfind(": ");
    if (colon != std::string::npos) return v.substr(colon + 2);
    auto no = v.rfind("No. ");
    if (no != std::string::npos) return v.substr(no + 4);
    return v;
}

void add_identifier(Json& ids, const std::string& type, const std::string& value,
                    const std::string& country, const std::string& label) {
    for (const auto& i : ids)
        if (i["type"] == type && i["value"] == value) return;
    ids.push_back(identifier(type, value, country, label));
}

}  // namespace

void read_ftm(const std::vector<NamedText>& files, Sink& sink) {
    std::vector<Record> records;
    std::unordered_map<std::string, std::size_t> by_id;
    for (const auto& file : files) {
        const std::string base = std::filesystem::path(file.name).filename().string();
        std::string_view text = file.text;
        int line = 0;
        while (!text.empty()) {
            ++line;
            auto nl = text.find('\n');
            std::string_view raw = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
            if (trim(raw).empty()) continue;
            auto bad = [&](std::string msg) {
                sink.diagnostic(record_diagnostic(Severity::error, "ftm", file.name, line, raw,
                                                  std::move(msg)));
                sink.count("skipped/" + base);
            };
            nlohmann::json j = nlohmann::json::parse(raw, nullptr, false);
            if (j.is_discarded()) {
                bad("not a JSON object; line skipped");
                continue;
            }
            if (!j.is_object() || !j.contains("id") || !j["id"].is_string() ||
                !j.contains("schema") || !j["schema"].is_string()) {
                bad("a FollowTheMoney entity needs a string 'id' and 'schema'; line skipped");
                continue;
            }
            if (!j.contains("properties") || !j["properties"].is_object())
                j["properties"] = nlohmann::json::object();
            std::string id = j["id"].get<std::string>();
            if (by_id.count(id)) {
                bad("entity '" + id + "' appears a second time; line skipped");
                continue;
            }
            Record r{file.name, base, line, std::string(raw), std::move(j), id, {}};
            r.schema = r.j["schema"].get<std::string>();
            sink.count("rows/" + base);
            sink.count("schema/" + r.schema);
            by_id.emplace(id, records.size());
            records.push_back(std::move(r));
        }
    }
    auto find = [&](const std::string& id) -> const Record* {
        auto it = by_id.find(id);
        return it == by_id.end() ? nullptr : &records[it->second];
    };
    auto diag = [&](const Record& r, Severity s, const std::string& code, std::string msg) {
        sink.diagnostic(record_diagnostic(s, code, r.file, r.line, r.raw, std::move(msg)));
    };

    // Edges and listings, gathered per target entity in file order.
    std::map<std::string, Json> owners, controllers, listings, measures, ownership_details,
        directorship_details, relatives;
    std::vector<std::string> missing_assets;
    for (const auto& r : records) {
        const auto& p = r.j["properties"];
        if (r.schema == "Ownership" || r.schema == "Directorship") {
            bool own = r.schema == "Ownership";
            std::string from_id = first(p, own ? "owner" : "director");
            std::string to_id = first(p, own ? "asset" : "organization");
            if (from_id.empty() || to_id.empty()) {
                diag(r, Severity::error, "ftm-edge",
                     r.schema + " without " +
                         (own ? "'owner' and 'asset'" : "'director' and 'organization'") +
                         "; skipped");
                sink.count("skipped/" + r.base);
                continue;
            }
            std::vector<std::string> bad;
            std::string from = pick_date(p, "startDate", false, bad);
            std::string until = pick_date(p, "endDate", true, bad);
            if (!bad.empty()) {
                diag(r, Severity::error, "date",
                     r.schema + " with a malformed date (" + bad.front() + "); skipped");
                sink.count("skipped/" + r.base);
                continue;
            }
            Json edge;
            edge["id"] = from_id;
            if (own) {
                std::string pct = first(p, "percentage");
                if (!pct.empty()) {
                    auto v = parse_number(pct);
                    if (!v || *v < 0 || *v > 100) {
                        diag(r, Severity::error, "share",
                             "percentage '" + pct + "' is not a number from 0 to 100; skipped");
                        sink.count("skipped/" + r.base);
                        continue;
                    }
                    edge["share"] = number(*v);
                }
            } else {
                edge["basis"] = "board";
            }
            if (const Record* t = find(to_id);
                (!t || !is_party(t->schema)) &&
                std::find(missing_assets.begin(), missing_assets.end(), to_id) ==
                    missing_assets.end()) {
                diag(r, Severity::warning, "ftm-edge",
                     "'" + to_id +
                         (t ? "' is a " + t->schema + ", not a party" : "' is not in the input") +
                         "; written as an entity with only its edges");
                missing_assets.push_back(to_id);
            }
            if (!from.empty()) edge["from"] = from;
            if (!until.empty()) edge["until"] = until;
            Json detail;
            detail[own ? "owner" : "director"] = from_id;
            detail["ftm_id"] = r.id;
            if (auto role = first(p, "role"); !role.empty()) detail["role"] = role;
            if (own) {
                if (auto sc = first(p, "sharesCount"); !sc.empty()) detail["shares_count"] = sc;
                if (auto pc = first(p, "percentage"); !pc.empty()) detail["percentage"] = pc;
            }
            if (!from.empty()) detail["from"] = from;
            if (!until.empty()) detail["until"] = until;
            (own ? owners : controllers)[to_id].push_back(std::move(edge));
            (own ? ownership_details : directorship_details)[to_id].push_back(std::move(detail));
            sink.count(own ? "ownership_edges" : "control_edges");
        } else if (r.schema == "Sanction") {
            std::string entity = first(p, "entity");
            if (entity.empty()) {
                diag(r, Severity::error, "ftm-sanction", "a Sanction without 'entity'; skipped");
                sink.count("skipped/" + r.base);
                continue;
            }
            std::vector<std::string> bad;
            std::string from = pick_date(p, "startDate", false, bad);
            if (from.empty()) from = pick_date(p, "listingDate", false, bad);
            std::string until = pick_date(p, "endDate", true, bad);
            if (!bad.empty()) {
                diag(r, Severity::error, "date",
                     "a Sanction with a malformed date (" + bad.front() + "); skipped");
                sink.count("skipped/" + r.base);
                continue;
            }
            std::vector<std::string> datasets;
            if (r.j.contains("datasets") && r.j["datasets"].is_array())
                for (const auto& d : r.j["datasets"])
                    if (d.is_string()) datasets.push_back(d.get<std::string>());
            std::string dataset = datasets.empty() ? std::string() : datasets.front();
            std::string program_id = first(p, "programId");
            std::vector<std::string> programs = strings(p, "program");
            std::string authority_name = first(p, "authority");
            std::string country = first(p, "country");

            std::string authority, list, kind;
            const Publisher* pub = publisher(dataset);
            if (dataset == "us_trade_csl") {
                // The trade.gov Consolidated Screening List bundles several US lists.
                std::string all =
                    program_id + " " + (programs.empty() ? "" : programs[0]) + " " + authority_name;
                if (all.find("US-BIS-EL") != std::string::npos ||
                    all.find("Entity List") != std::string::npos)
                    authority = "BIS", list = "Entity List";
                else if (all.find("Denied Persons") != std::string::npos)
                    authority = "BIS", list = "Denied Persons List";
                else if (all.find("Unverified") != std::string::npos)
                    authority = "BIS", list = "Unverified List";
                else if (all.find("Military End User") != std::string::npos)
                    authority = "BIS", list = "Military End User List";
                else if (all.find("Specially Designated Nationals") != std::string::npos)
                    authority = "OFAC", list = "SDN";
                else if (all.find("Sectoral Sanctions") != std::string::npos)
                    authority = "OFAC", list = "SSI";
                else
                    authority = "US", list = "CSL";
            } else if (pub) {
                authority = std::string(pub->authority);
                list = std::string(pub->list);
                kind = std::string(pub->kind);
            } else if (!country.empty()) {
                std::string c = country_code(country);
                authority = c == "GB" ? "UK" : c;
                if (country == "eu") authority = "EU";
                list = dataset;
                diag(r, Severity::warning, "ftm-dataset",
                     "dataset '" + dataset +
                         "' is not in sanx's publisher table; mapped to "
                         "authority '" +
                         authority + "' by its country");
            }
            if (authority.empty()) {
                Json m;
                m["dataset"] = dataset;
                m["kind"] = kind.empty() ? "unknown" : kind;
                if (!authority_name.empty()) m["authority"] = authority_name;
                if (!program_id.empty()) m["program"] = program_id;
                if (!from.empty()) m["from"] = from;
                if (!until.empty()) m["until"] = until;
                measures[entity].push_back(std::move(m));
                sink.count("other_measures");
                if (kind.empty())
                    diag(r, Severity::warning, "ftm-dataset",
                         "dataset '" + dataset +
                             "' has no country and is not in sanx's "
                             "publisher table; kept as other_measures, not as a listing");
                continue;
            }
            // OFAC's own program tags match the OFAC importers; other publishers are
            // named by OpenSanctions' stable program id.
            std::vector<std::string> progs;
            if (authority == "OFAC")
                progs = programs;
            else if (!program_id.empty())
                progs = {program_id};
            else if (!programs.empty() && programs.front().size() <= 40)
                progs = {programs.front()};  // longer texts are descriptions, not names
            if (progs.empty()) progs.push_back("");
            for (const auto& prog : progs) {
                Json l;
                l["authority"] = authority;
                l["list"] = list;
                if (!prog.empty()) l["program"] = prog;
                if (!from.empty()) l["from"] = from;
                if (!until.empty()) l["until"] = until;
                auto& ls = listings[entity];
                if (std::find(ls.begin(), ls.end(), l) != ls.end()) continue;  // same facts twice
                ls.push_back(std::move(l));
                sink.count("listings");
                sink.count("listings/" + authority);
            }
        } else if (r.schema == "Family") {
            std::string a = first(p, "person"), b = first(p, "relative");
            std::string rel = first(p, "relationship");
            if (a.empty() || b.empty()) continue;
            relatives[a].push_back(Json{{"id", b}, {"relationship", rel}});
            relatives[b].push_back(Json{{"id", a}, {"relationship", rel}});
        }
    }

    // Passport and Identification entities by their holder.
    std::unordered_map<std::string, std::vector<const Record*>> documents;
    for (const auto& r : records)
        if (r.schema == "Passport" || r.schema == "Identification")
            if (auto holder = first(r.j["properties"], "holder"); !holder.empty())
                documents[holder].push_back(&r);

    auto write = [&](const std::string& id, const Record* r) {
        Json e;
        e["id"] = id;
        Json attrs;
        if (r) {
            const auto& p = r->j["properties"];
            std::vector<std::string> topics = strings(p, "topics");
            std::string type = sanx_type(r->schema, topics);
            sink.count("type/" + type);
            e["type"] = type;
            // OpenSanctions' caption is its chosen display name; `name` values come unordered.
            std::vector<std::string> names = strings(p, "name");
            std::string name = r->j.contains("caption") && r->j["caption"].is_string()
                                   ? one_line(r->j["caption"].get<std::string>())
                                   : std::string();
            if (name.empty() && !names.empty()) name = names.front();
            if (!name.empty()) e["name"] = name;
            std::vector<std::string> aliases;
            for (const char* k : {"name", "alias", "previousName", "abbreviation"})
                for (auto& a : strings(p, k))
                    if (a != name) add_unique(aliases, a);
            if (!aliases.empty()) e["aliases"] = aliases;

            std::vector<std::string> codes;
            auto add_codes = [&](const char* key) {
                for (const auto& c : strings(p, key)) {
                    std::string code = country_code(c);
                    if (code.empty())
                        sink.unknown_country(c, r->file, r->line, r->raw);
                    else
                        add_unique(codes, code);
                }
            };
            if (r->schema == "Person")
                for (const char* k : {"nationality", "citizenship", "country"}) add_codes(k);
            else
                for (const char* k : {"jurisdiction", "country", "mainCountry"}) add_codes(k);
            // Addresses held as Address entities.
            Json addrs = Json::array();
            for (const auto& aid : strings(p, "addressEntity"))
                if (const Record* a = find(aid)) {
                    const auto& ap = a->j["properties"];
                    Json aj;
                    if (auto full = first(ap, "full"); !full.empty()) aj["address"] = full;
                    if (auto c = country_code(first(ap, "country")); !c.empty()) {
                        aj["country"] = c;
                        add_unique(codes, c);
                    }
                    if (!aj.empty()) addrs.push_back(std::move(aj));
                }
            if (!codes.empty()) {
                e["country"] = codes.front();
                if (codes.size() > 1)
                    e["countries"] = std::vector<std::string>(codes.begin() + 1, codes.end());
            }
            if (owners.count(id)) e["owners"] = owners[id];
            if (controllers.count(id)) e["controllers"] = controllers[id];
            e["listings"] = listings.count(id) ? listings[id] : Json::array();

            std::vector<std::string> datasets;
            if (r->j.contains("datasets") && r->j["datasets"].is_array())
                for (const auto& d : r->j["datasets"])
                    if (d.is_string()) datasets.push_back(d.get<std::string>());
            attrs["source"] = {{"publisher", "OpenSanctions"},
                               {"file", r->base},
                               {"line", r->line},
                               {"schema", r->schema},
                               {"datasets", datasets}};
            Json ids = Json::array();
            for (const auto& ip : id_props)
                for (const auto& v : strings(p, ip.prop))
                    add_identifier(ids, ip.type, bare_number(v), ip.country, ip.prop);
            if (auto held = documents.find(id); held != documents.end())
                for (const Record* other : held->second) {
                    const auto& op = other->j["properties"];
                    if (auto num = first(op, "number"); !num.empty())
                        add_identifier(ids,
                                       other->schema == "Passport" ? "passport" : "national_id",
                                       num, country_code(first(op, "country")), other->schema);
                }
            if (!ids.empty()) attrs["identifiers"] = std::move(ids);
            if (!topics.empty()) attrs["topics"] = topics;
            // OpenSanctions keeps the OFAC ent_num among the referents ("ofac-45928"): the
            // same party in an `sanx import ofac-sdn` output is ofac-sdn-45928.
            std::vector<std::string> same_as;
            if (r->j.contains("referents") && r->j["referents"].is_array())
                for (const auto& ref : r->j["referents"]) {
                    if (!ref.is_string()) continue;
                    std::string s = ref.get<std::string>();
                    if (s.rfind("ofac-", 0) == 0 && s.size() > 5 &&
                        s.find_first_not_of("0123456789", 5) == std::string::npos)
                        add_unique(same_as, "ofac-sdn-" + s.substr(5));
                }
            if (!same_as.empty()) attrs["same_as"] = same_as;
            for (const char* k : {"birthDate", "incorporationDate", "dissolutionDate"}) {
                auto v = strings(p, k);
                if (!v.empty())
                    attrs[k == std::string("birthDate")           ? "birth_dates"
                          : k == std::string("incorporationDate") ? "incorporation_dates"
                                                                  : "dissolution_dates"] = v;
            }
            if (auto v = strings(p, "weakAlias"); !v.empty()) attrs["weak_aliases"] = v;
            if (auto v = strings(p, "status"); !v.empty()) attrs["status"] = v.front();
            if (!addrs.empty()) attrs["addresses"] = std::move(addrs);
        } else {
            attrs["source"] = {{"publisher", "OpenSanctions"}, {"stub", true}};
            if (owners.count(id)) e["owners"] = owners[id];
            if (controllers.count(id)) e["controllers"] = controllers[id];
            if (listings.count(id)) e["listings"] = listings[id];
        }
        if (ownership_details.count(id)) attrs["ownership"] = ownership_details[id];
        if (directorship_details.count(id)) attrs["directors"] = directorship_details[id];
        if (relatives.count(id)) attrs["relatives"] = relatives[id];
        if (measures.count(id)) attrs["other_measures"] = measures[id];
        e["attributes"] = std::move(attrs);
        sink.entity(e);
    };

    std::set<std::string> written;
    for (const auto& r : records)
        if (is_party(r.schema)) {
            write(r.id, &r);
            written.insert(r.id);
        }
    std::sort(missing_assets.begin(), missing_assets.end());
    for (const auto& id : missing_assets)
        if (!written.count(id)) write(id, nullptr);
    // Listings on something that is not a party (or not in the input) are not lost silently.
    for (const auto& [id, ls] : listings)
        if (!written.count(id))
            if (const Record* r = find(id); !r || !is_party(r->schema)) {
                Diagnostic d;
                d.severity = Severity::warning;
                d.code = "ftm-sanction";
                d.message = std::to_string(ls.size()) + " listing(s) of '" + id +
                            "', which is not a party in the input, were not imported";
                d.where.file = files.empty() ? std::string() : files.front().name;
                sink.diagnostic(std::move(d));
            }
}

}  // namespace sanx::import::detail
