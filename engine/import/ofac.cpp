// OFAC legacy CSV: the SDN list (sdn.csv, add.csv, alt.csv, sdn_comments.csv) and the
// non-SDN consolidated list (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv),
// joined on ent_num. docs/importers.md has the field mapping.

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "import/countries.hpp"
#include "import/ofac_remarks.hpp"
#include "import/readers.hpp"
#include "import/text.hpp"
#include "io/csv.hpp"

namespace sanx::import::detail {

namespace {

enum class Table { primary, address, alias, comments };

struct TableInfo {
    Table table;
    std::size_t columns;
    const char* what;
};

constexpr TableInfo table_info[] = {
    {Table::primary, 12, "primary"},
    {Table::address, 6, "address"},
    {Table::alias, 5, "alias"},
    {Table::comments, 2, "comments"},
};

const TableInfo& info(Table t) { return table_info[static_cast<std::size_t>(t)]; }

/// Which table a file is, from its base name (sdn.csv, cons_alt.csv, ...).
std::optional<Table> table_of(const std::string& path) {
    std::string base = std::filesystem::path(path).filename().string();
    for (auto& c : base)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    auto ends = [&](std::string_view suffix) { return base.ends_with(suffix); };
    if (ends("comments.csv")) return Table::comments;
    if (ends("add.csv")) return Table::address;
    if (ends("alt.csv")) return Table::alias;
    if (ends("sdn.csv") || ends("prim.csv")) return Table::primary;
    return std::nullopt;
}

/// The non-SDN list a consolidated-list program belongs to. Programs that only say why an
/// entry is designated (SDGT, VENEZUELA-EO13850, ...) take the entry's list instead.
std::string consolidated_list(const std::string& program) {
    static const std::map<std::string, std::string, std::less<>> lists{
        {"UKRAINE-EO13662", "SSI"},
        {"RUSSIA-EO14024", "NS-MBS"},
        {"CAATSA - RUSSIA", "NS-MBS"},
        {"IRAN-CON-ARMS-EO", "NS-MBS"},
        {"BURMA-EO14014", "NS-MBS"},
        {"ILLICIT-DRUGS-EO14059", "NS-MBS"},
        {"NS-PLC", "NS-PLC"},
        {"CMIC-EO13959", "NS-CMIC"},
        {"561-Related", "CAPTA"},
        {"IFCA", "NS-ISA"},
        {"ISA", "NS-ISA"},
    };
    auto it = lists.find(program);
    return it == lists.end() ? std::string() : it->second;
}

std::vector<std::string> split_programs(const std::string& field) {
    std::vector<std::string> out;
    for (auto& p : split_trimmed(field, "] [")) {
        std::string_view v = p;
        while (!v.empty() && (v.front() == '[' || v.front() == ' ')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == ']' || v.back() == ' ')) v.remove_suffix(1);
        add_unique(out, std::string(v));
    }
    return out;
}

/// The sanx type of an entry OFAC leaves untyped (`-0-`).
std::string entity_type(const std::string& name, const Remarks& rm,
                        const std::vector<std::string>& programs) {
    bool bank = rm.target_type == "Financial Institution" ||
                std::any_of(rm.identifiers.begin(), rm.identifiers.end(),
                            [](const RemarkIdentifier& i) { return i.type == "swift_bic"; });
    bool group = rm.target_type == "Government Entity" || rm.target_type == "Military Entity";
    // Terrorism and narcotics programs list many unincorporated groups under their names.
    for (const auto& p : programs)
        if (p == "SDGT" || p == "FTO" || p == "SDT" || p == "TCO") group = true;
    return guess_entity_type(name, bank, group);
}

struct Address {
    int line = 0;
    std::string address, city, country, remarks;
};

struct Alias {
    std::string kind, name, remarks;
};

struct Primary {
    int line = 0;
    std::string file;
    std::string raw;
    std::string ent_num;
    std::vector<std::optional<std::string>> f;  // the 12 columns
    std::vector<Address> addresses;
    std::vector<Alias> aliases;
    std::string comments;  // the Remarks overflow, in file order
};

const std::string& or_empty(const std::optional<std::string>& v) {
    static const std::string empty;
    return v ? *v : empty;
}

bool valid_ent_num(const std::optional<std::string>& v) {
    if (!v || v->empty()) return false;
    long n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    return ec == std::errc() && p == v->data() + v->size() && n > 0;
}

void put_list(Json& j, const char* key, const std::vector<std::string>& v) {
    if (!v.empty()) j[key] = v;
}

}  // namespace

void read_ofac(bool consolidated, const std::vector<NamedText>& files, Sink& sink) {
    const std::string id_prefix = consolidated ? "ofac-cons-" : "ofac-sdn-";
    std::vector<Primary> primaries;
    std::unordered_map<std::string, std::size_t> by_ent;
    struct Pending {
        Table table;
        std::string file;
        csv::Record rec;
    };
    std::vector<Pending> secondary;  // joined after every primary table is read

    // Read every file; keep whatever is well formed.
    for (const auto& file : files) {
        std::vector<Diagnostic> diags;
        auto records = csv::read(file.name, file.text, diags);
        for (auto& d : diags) sink.diagnostic(std::move(d));
        auto table = table_of(file.name);
        if (!table && !records.empty()) {
            // Not named like an OFAC table: tell it by its column count.
            for (const auto& ti : table_info)
                if (records.front().fields.size() == ti.columns) table = ti.table;
        }
        if (!table) {
            sink.file_error(file.name,
                            "cannot tell which OFAC table this is; name it sdn.csv, add.csv, "
                            "alt.csv or sdn_comments.csv (cons_prim.csv, ... for the "
                            "consolidated list)");
            continue;
        }
        const std::string base = std::filesystem::path(file.name).filename().string();
        const auto& ti = info(*table);
        for (auto& rec : records) {
            if (rec.fields.size() != ti.columns) {
                sink.diagnostic(
                    record_diagnostic(Severity::error, "columns", file.name, rec.line, rec.raw,
                                      "an OFAC " + std::string(ti.what) + " row has " +
                                          std::to_string(ti.columns) + " columns, this one " +
                                          std::to_string(rec.fields.size()) + "; row skipped"));
                sink.count("skipped/" + base);
                continue;
            }
            if (!valid_ent_num(rec.fields[0])) {
                sink.diagnostic(record_diagnostic(
                    Severity::error, "ent-num", file.name, rec.line, rec.raw,
                    "the first column must be an ent_num (a positive whole number), not '" +
                        or_empty(rec.fields[0]) + "'; row skipped"));
                sink.count("skipped/" + base);
                continue;
            }
            if (*table == Table::primary) {
                const std::string& ent = *rec.fields[0];
                if (by_ent.count(ent)) {
                    sink.diagnostic(record_diagnostic(
                        Severity::error, "duplicate", file.name, rec.line, rec.raw,
                        "ent_num " + ent + " appears a second time; row skipped"));
                    sink.count("skipped/" + base);
                    continue;
                }
                if (!rec.fields[1] || trim(*rec.fields[1]).empty()) {
                    sink.diagnostic(record_diagnostic(Severity::error, "name", file.name, rec.line,
                                                      rec.raw,
                                                      "an entry without a name; row skipped"));
                    sink.count("skipped/" + base);
                    continue;
                }
                by_ent.emplace(ent, primaries.size());
                Primary p;
                p.line = rec.line;
                p.file = base;
                p.raw = std::string(rec.raw);
                p.ent_num = ent;
                p.f = std::move(rec.fields);
                primaries.push_back(std::move(p));
                sink.count("rows/" + base);
            } else {
                secondary.push_back({*table, file.name, std::move(rec)});
            }
        }
    }

    // Join addresses, aliases and the Remarks overflow on ent_num, in file order.
    for (auto& s : secondary) {
        const std::string base = std::filesystem::path(s.file).filename().string();
        auto it = by_ent.find(*s.rec.fields[0]);
        if (it == by_ent.end()) {
            sink.diagnostic(record_diagnostic(
                Severity::warning, "orphan", s.file, s.rec.line, s.rec.raw,
                "ent_num " + *s.rec.fields[0] + " is not in the primary table; row not joined"));
            sink.count("orphans/" + base);
            continue;
        }
        Primary& p = primaries[it->second];
        auto& f = s.rec.fields;
        if (s.table == Table::address)
            p.addresses.push_back(
                {s.rec.line, or_empty(f[2]), or_empty(f[3]), or_empty(f[4]), or_empty(f[5])});
        else if (s.table == Table::alias)
            p.aliases.push_back({or_empty(f[2]), or_empty(f[3]), or_empty(f[4])});
        else
            p.comments += or_empty(f[1]);
        sink.count("rows/" + base);
    }

    // Names of all entries, for resolving "Linked To:" names to ids.
    std::unordered_map<std::string, std::string> id_by_name;
    for (const auto& p : primaries) id_by_name.emplace(*p.f[1], id_prefix + p.ent_num);

    for (const auto& p : primaries) {
        const std::string name = one_line(*p.f[1]);
        std::string remarks_text = or_empty(p.f[11]) + p.comments;
        Remarks rm = parse_remarks(remarks_text);
        std::vector<std::string> programs = split_programs(or_empty(p.f[3]));
        const std::string sdn_type = p.f[2] ? std::string(trim(*p.f[2])) : std::string();

        std::string type;
        if (sdn_type == "individual")
            type = "person";
        else if (sdn_type == "vessel")
            type = "vessel";
        else if (sdn_type == "aircraft")
            type = "aircraft";
        else
            type = entity_type(name, rm, programs);
        sink.count("type/" + type);

        auto code_of = [&](const std::string& country_name) {
            // OFAC's words for "no country": not a name to look up.
            static const std::set<std::string> none{"none identified", "undetermined", "unknown"};
            if (trim(country_name).empty() || none.count(normalize_country(country_name)))
                return std::string();
            std::string c = country_code(country_name);
            if (c.empty()) sink.unknown_country(country_name, p.file, p.line, p.raw);
            return c;
        };

        // country: nationality for persons, the flag for vessels, the registering country
        // of a company's registration or tax number, else the first address.
        std::vector<std::string> address_codes;
        for (const auto& a : p.addresses) add_unique(address_codes, code_of(a.country));
        std::string country;
        if (type == "person") {
            for (const auto& n : rm.nationality)
                if (country.empty()) country = code_of(n);
            for (const auto& n : rm.citizenship)
                if (country.empty()) country = code_of(n);
        } else if (type == "vessel" && p.f[9]) {
            country = code_of(*p.f[9]);
        } else if (type != "aircraft") {
            for (const char* t : {"registration", "tax_id"})
                for (const auto& i : rm.identifiers)
                    if (country.empty() && i.type == t) country = i.country;
        }
        if (country.empty() && !address_codes.empty()) country = address_codes.front();
        std::vector<std::string> countries;
        for (const auto& c : address_codes)
            if (c != country) countries.push_back(c);

        std::vector<std::string> aliases;
        Json alt_names = Json::array();
        for (const auto& a : p.aliases) {
            add_unique(aliases, one_line(a.name));
            Json an{{"kind", a.kind}, {"name", one_line(a.name)}};
            if (!a.remarks.empty()) an["remarks"] = a.remarks;
            alt_names.push_back(std::move(an));
        }
        for (const auto* v : {&rm.aliases, &rm.former_names, &rm.new_names})
            for (const auto& a : *v) add_unique(aliases, a);

        Json e;
        e["id"] = id_prefix + p.ent_num;
        e["type"] = type;
        e["name"] = name;
        put_list(e, "aliases", aliases);
        if (!country.empty()) e["country"] = country;
        put_list(e, "countries", countries);

        Json listings = Json::array();
        std::string record_list;
        if (consolidated)
            for (const auto& prog : programs)
                if (record_list.empty()) record_list = consolidated_list(prog);
        for (const auto& prog : programs) {
            std::string list = "SDN";
            if (consolidated) {
                list = consolidated_list(prog);
                if (list.empty()) list = record_list.empty() ? "NON-SDN" : record_list;
            }
            listings.push_back({{"authority", "OFAC"}, {"list", list}, {"program", prog}});
            sink.count("listings");
        }
        if (programs.empty())
            sink.diagnostic(record_diagnostic(Severity::warning, "program", p.file, p.line, p.raw,
                                              "an entry without a program; imported without "
                                              "listings"));
        e["listings"] = std::move(listings);

        Json attrs;
        attrs["source"] = {{"publisher", "OFAC"},
                           {"list", consolidated ? "Consolidated (non-SDN)" : "SDN"},
                           {"file", p.file},
                           {"line", p.line},
                           {"ent_num", p.ent_num}};
        if (p.f[4]) attrs["title"] = *p.f[4];
        if (type == "vessel" || p.f[5] || p.f[6] || p.f[7] || p.f[8] || p.f[9] || p.f[10]) {
            Json v = Json::object();
            if (p.f[5]) v["call_sign"] = *p.f[5];
            if (p.f[6]) v["type"] = *p.f[6];
            if (p.f[7]) v["tonnage"] = *p.f[7];
            if (p.f[8]) v["gross_registered_tonnage"] = *p.f[8];
            if (p.f[9]) {
                v["flag"] = *p.f[9];
                if (auto c = country_code(*p.f[9]); !c.empty()) v["flag_country"] = c;
            }
            if (p.f[10]) v["owner"] = *p.f[10];
            if (!v.empty()) attrs["vessel"] = std::move(v);
        }
        if (!p.addresses.empty()) {
            Json addrs = Json::array();
            for (const auto& a : p.addresses) {
                Json aj = Json::object();
                if (!a.address.empty()) aj["address"] = a.address;
                if (!a.city.empty()) aj["city"] = a.city;
                if (!a.country.empty()) {
                    aj["country_name"] = a.country;
                    if (auto c = country_code(a.country); !c.empty()) aj["country"] = c;
                }
                if (!a.remarks.empty()) aj["remarks"] = a.remarks;
                addrs.push_back(std::move(aj));
            }
            attrs["addresses"] = std::move(addrs);
        }
        if (!alt_names.empty()) attrs["alt_names"] = std::move(alt_names);
        put_list(attrs, "former_names", rm.former_names);
        if (!rm.identifiers.empty()) {
            Json ids = Json::array();
            for (const auto& i : rm.identifiers) {
                ids.push_back(identifier(i.type, i.value, i.country, i.label));
                sink.count("identifiers/" + i.type);
            }
            attrs["identifiers"] = std::move(ids);
        }
        if (!rm.linked_to.empty()) {
            attrs["linked_to"] = rm.linked_to;
            std::vector<std::string> ids;
            for (const auto& n : rm.linked_to) {
                auto it = id_by_name.find(n);
                if (it == id_by_name.end()) it = id_by_name.find(n + ".");
                if (it != id_by_name.end()) add_unique(ids, it->second);
            }
            put_list(attrs, "linked_to_ids", ids);
            sink.count("linked_to");
        }
        if (!rm.secondary.empty()) {
            attrs["secondary_sanctions_risk"] = rm.secondary;
            for (const auto& t : rm.secondary) sink.count("flag/" + t);
        }
        for (const auto& u : rm.secondary_unrecognised)
            sink.diagnostic(record_diagnostic(
                Severity::warning, "secondary-flag", p.file, p.line, p.raw,
                "a secondary sanctions flag sanx does not recognise, imported as OTHER: '" + u +
                    "'"));
        if (!rm.directives.empty()) {
            attrs["directives"] = rm.directives;
            for (const auto& t : rm.directives) sink.count("directive/" + t);
        }
        put_list(attrs, "birth_dates", rm.birth_dates);
        put_list(attrs, "birth_places", rm.birth_places);
        {
            std::vector<std::string> nat;
            for (const auto& n : rm.nationality) add_unique(nat, country_code(n));
            put_list(attrs, "nationality", nat);
            std::vector<std::string> cit;
            for (const auto& n : rm.citizenship) add_unique(cit, country_code(n));
            put_list(attrs, "citizenship", cit);
        }
        if (!rm.gender.empty()) attrs["gender"] = rm.gender;
        if (!rm.target_type.empty()) attrs["target_type"] = rm.target_type;
        if (!remarks_text.empty()) attrs["remarks"] = remarks_text;
        e["attributes"] = std::move(attrs);
        sink.entity(e);
    }
}

}  // namespace sanx::import::detail
