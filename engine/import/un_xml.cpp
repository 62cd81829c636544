// The UN Security Council consolidated list (XML, sc-sanctions.xsd), read with libxml2:
// INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY become entities listed by the UN.

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <set>

#include "import/countries.hpp"
#include "import/readers.hpp"
#include "import/text.hpp"
#include "io/csv.hpp"

namespace sanx::import::detail {

namespace {

/// Collects libxml2's errors as diagnostics instead of letting it print them.
struct ErrorSink {
    const NamedText* file = nullptr;
    std::vector<Diagnostic> diags;
};

std::string_view line_of(std::string_view text, int line) {
    std::size_t pos = 0;
    for (int l = 1; l < line && pos != std::string_view::npos; ++l) {
        pos = text.find('\n', pos);
        if (pos != std::string_view::npos) ++pos;
    }
    if (pos == std::string_view::npos || pos >= text.size()) return {};
    auto end = text.find_first_of("\r\n", pos);
    return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

void on_xml_error(void* ctx, xmlErrorPtr err) {
    auto* sink = static_cast<ErrorSink*>(ctx);
    if (!sink || !err || err->level == XML_ERR_NONE) return;
    std::string msg = err->message ? err->message : "malformed XML";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    Diagnostic d;
    d.severity = err->level == XML_ERR_WARNING ? Severity::warning : Severity::error;
    d.code = "xml";
    d.message = "XML: " + msg;
    d.where.file = sink->file->name;
    d.where.line = err->line;
    d.where.column = err->int2 > 0 ? err->int2 : 1;
    d.where.source_line = std::string(line_of(sink->file->text, err->line).substr(0, 200));
    sink->diags.push_back(std::move(d));
}

void on_generic_error(void*, const char*, ...) {}

bool is(const xmlNode* n, const char* name) {
    return n && n->type == XML_ELEMENT_NODE &&
           std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

std::string text(const xmlNode* n) {
    if (!n) return {};
    xmlChar* c = xmlNodeGetContent(n);
    if (!c) return {};
    std::string s = one_line(reinterpret_cast<const char*>(c));
    xmlFree(c);
    return s;
}

const xmlNode* child(const xmlNode* n, const char* name) {
    for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
        if (is(c, name)) return c;
    return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* n, const char* name) {
    std::vector<const xmlNode*> out;
    for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
        if (is(c, name)) out.push_back(c);
    return out;
}

std::string child_text(const xmlNode* n, const char* name) { return text(child(n, name)); }

/// The VALUE children of a wrapper (NATIONALITY, DESIGNATION, TITLE, ...).
std::vector<std::string> values(const xmlNode* n, const char* name) {
    std::vector<std::string> out;
    for (const xmlNode* w : children(n, name))
        for (const xmlNode* v : children(w, "VALUE")) add_unique(out, text(v));
    return out;
}

std::string document_type(const std::string& t) {
    if (starts_with_icase(t, "passport") || t.find("passeport") != std::string::npos ||
        t.find("pasaporte") != std::string::npos)
        return "passport";
    if (starts_with_icase(t, "national identification") || t.find("dentit") != std::string::npos ||
        t.find("ID") != std::string::npos)
        return "national_id";
    return "other";
}

}  // namespace

void read_un_xml(const std::vector<NamedText>& files, Sink& sink) {
    for (const auto& file : files) {
        const std::string base = std::filesystem::path(file.name).filename().string();
        ErrorSink errors{&file, {}};
        xmlSetStructuredErrorFunc(&errors, on_xml_error);
        xmlSetGenericErrorFunc(nullptr, on_generic_error);
        // RECOVER keeps what is well formed around a broken element; NONET and no entity
        // substitution keep the parser off the network and the file system; without HUGE,
        // libxml2's own limits on text and depth hold.
        if (file.text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
            sink.file_error(file.name, "the file is larger than 2 GiB, more than libxml2 reads");
            continue;
        }
        std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
            xmlReadMemory(file.text.data(), static_cast<int>(file.text.size()), file.name.c_str(),
                          nullptr, XML_PARSE_RECOVER | XML_PARSE_NONET),
            xmlFreeDoc);
        xmlSetStructuredErrorFunc(nullptr, nullptr);
        xmlSetGenericErrorFunc(nullptr, nullptr);
        for (auto& d : errors.diags) sink.diagnostic(std::move(d));
        // The UN's file declares no entities. Declared ones would be expanded wherever a
        // text is read ("billion laughs"), so a file that has any is refused whole.
        if (doc && doc->intSubset && doc->intSubset->entities &&
            xmlHashSize(static_cast<xmlHashTablePtr>(doc->intSubset->entities)) > 0) {
            sink.file_error(file.name,
                            "the file declares XML entities (<!ENTITY ...>); a UN consolidated "
                            "list declares none, and sanx does not expand them");
            continue;
        }
        const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
        if (!is(root, "CONSOLIDATED_LIST")) {
            sink.file_error(file.name,
                            "not a UN consolidated list: the root element must be "
                            "CONSOLIDATED_LIST");
            continue;
        }
        // When the list was generated: the publication date of every entry in it.
        std::string published;
        if (xmlChar* d = xmlGetProp(root, reinterpret_cast<const xmlChar*>("dateGenerated"))) {
            published = iso_date(reinterpret_cast<const char*>(d));
            xmlFree(d);
        }
        std::set<std::string> seen;
        for (const char* group : {"INDIVIDUALS", "ENTITIES"}) {
            bool person = std::strcmp(group, "INDIVIDUALS") == 0;
            const char* item = person ? "INDIVIDUAL" : "ENTITY";
            for (const xmlNode* g : children(root, group))
                for (const xmlNode* n : children(g, item)) {
                    int line = static_cast<int>(xmlGetLineNo(n));
                    auto bad = [&](std::string msg) {
                        sink.diagnostic(record_diagnostic(Severity::error, "un", file.name, line,
                                                          line_of(file.text, line),
                                                          std::move(msg) + "; skipped"));
                        sink.count("skipped/" + base);
                    };
                    std::string ref = child_text(n, "REFERENCE_NUMBER");
                    std::vector<std::string> parts;
                    for (const char* k : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"})
                        if (auto t = child_text(n, k); !t.empty()) parts.push_back(t);
                    std::string name;
                    for (const auto& p : parts) name += (name.empty() ? "" : " ") + p;
                    std::string listed_raw = child_text(n, "LISTED_ON");
                    std::string listed = iso_date(listed_raw);
                    if (ref.empty()) {
                        bad(std::string("an ") + item + " without a REFERENCE_NUMBER");
                        continue;
                    }
                    if (name.empty()) {
                        bad(std::string("an ") + item + " without a name (FIRST_NAME)");
                        continue;
                    }
                    if (listed.empty()) {
                        bad("LISTED_ON '" + listed_raw + "' is not a date YYYY-MM-DD");
                        continue;
                    }
                    if (!seen.insert(ref).second) {
                        bad("reference number " + ref + " appears a second time");
                        continue;
                    }
                    std::string program = child_text(n, "UN_LIST_TYPE");

                    auto code_of = [&](const std::string& c) {
                        if (c.empty() || c == "na") return std::string();
                        std::string code = country_code(c);
                        if (code.empty())
                            sink.unknown_country(c, file.name, line, line_of(file.text, line));
                        return code;
                    };
                    std::vector<std::string> codes;
                    std::vector<std::string> nationality;
                    for (const auto& v : values(n, "NATIONALITY")) {
                        add_unique(nationality, code_of(v));
                        add_unique(codes, code_of(v));
                    }
                    Json addresses = Json::array();
                    for (const xmlNode* a :
                         children(n, person ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS")) {
                        Json aj = Json::object();
                        for (const char* k :
                             {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "NOTE"})
                            if (auto t = child_text(a, k); !t.empty()) {
                                std::string key(k);
                                std::transform(key.begin(), key.end(), key.begin(), [](char c) {
                                    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                                                : c;
                                });
                                aj[key] = t;
                            }
                        if (auto c = child_text(a, "COUNTRY"); !c.empty()) {
                            aj["country_name"] = c;
                            if (auto code = code_of(c); !code.empty()) {
                                aj["country"] = code;
                                add_unique(codes, code);
                            }
                        }
                        if (!aj.empty()) addresses.push_back(std::move(aj));
                    }

                    std::vector<std::string> aliases, weak;
                    for (const xmlNode* a :
                         children(n, person ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS")) {
                        std::string an = child_text(a, "ALIAS_NAME");
                        if (an.empty() || an == name) continue;
                        add_unique(child_text(a, "QUALITY") == "Low" ? weak : aliases, an);
                    }
                    if (auto orig = child_text(n, "NAME_ORIGINAL_SCRIPT"); !orig.empty())
                        add_unique(aliases, orig);

                    Json e;
                    e["id"] = "un-" + ref;
                    std::string type = person ? "person" : guess_entity_type(name, false, false);
                    sink.count("type/" + type);
                    e["type"] = type;
                    e["name"] = name;
                    if (!aliases.empty()) e["aliases"] = aliases;
                    if (!codes.empty()) {
                        e["country"] = codes.front();
                        if (codes.size() > 1)
                            e["countries"] =
                                std::vector<std::string>(codes.begin() + 1, codes.end());
                    }
                    Json listing{{"authority", "UN"}, {"list", "UN SC Consolidated"}};
                    if (!program.empty()) listing["program"] = program;
                    listing["from"] = listed;
                    e["listings"] = Json::array({listing});
                    sink.count("listings");

                    Json attrs;
                    attrs["source"] = {{"publisher", "UN Security Council"},
                                       {"file", base},
                                       {"line", line},
                                       {"dataid", child_text(n, "DATAID")}};
                    if (!published.empty()) attrs["source"]["published"] = published;
                    attrs["reference_number"] = ref;
                    Json ids = Json::array();
                    for (const xmlNode* d : children(n, "INDIVIDUAL_DOCUMENT")) {
                        std::string num = child_text(d, "NUMBER");
                        if (num.empty()) continue;
                        std::string t = child_text(d, "TYPE_OF_DOCUMENT");
                        std::string c = child_text(d, "ISSUING_COUNTRY");
                        if (c.empty()) c = child_text(d, "COUNTRY_OF_ISSUE");
                        ids.push_back(identifier(document_type(t), num,
                                                 c.empty() ? std::string() : country_code(c), t));
                        sink.count("identifiers/" + document_type(t));
                    }
                    if (!ids.empty()) attrs["identifiers"] = std::move(ids);
                    if (!nationality.empty()) attrs["nationality"] = nationality;
                    if (!weak.empty()) attrs["weak_aliases"] = weak;
                    if (auto v = values(n, "DESIGNATION"); !v.empty()) attrs["designation"] = v;
                    if (auto v = values(n, "TITLE"); !v.empty()) attrs["title"] = v;
                    std::vector<std::string> births;
                    for (const xmlNode* b : children(n, "INDIVIDUAL_DATE_OF_BIRTH")) {
                        std::string d = child_text(b, "DATE");
                        if (d.empty()) d = child_text(b, "YEAR");
                        if (d.empty()) {
                            auto from = child_text(b, "FROM_YEAR"), to = child_text(b, "TO_YEAR");
                            if (!from.empty()) d = from + "/" + to;
                        }
                        add_unique(births, d);
                    }
                    if (!births.empty()) attrs["birth_dates"] = births;
                    if (!addresses.empty()) attrs["addresses"] = std::move(addresses);
                    if (auto c = child_text(n, "COMMENTS1"); !c.empty()) attrs["remarks"] = c;
                    e["attributes"] = std::move(attrs);
                    sink.entity(e);
                    sink.count(person ? "un.individuals" : "un.entities");
                    sink.count("program/" + program);
                }
        }
    }
}

}  // namespace sanx::import::detail
