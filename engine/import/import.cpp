// sanx::import: dispatch to the per-format readers and the JSON-lines output.

#include <sanx/import.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "import/countries.hpp"
#include "import/readers.hpp"

namespace sanx::import {

namespace {
constexpr std::pair<Format, const char*> format_table[] = {
    {Format::ofac_sdn, "ofac-sdn"},
    {Format::ofac_consolidated, "ofac-consolidated"},
    {Format::ftm, "ftm"},
    {Format::un_xml, "un-xml"},
};
}  // namespace

const char* to_string(Format f) {
    for (const auto& [fmt, name] : format_table)
        if (fmt == f) return name;
    return "?";
}

std::optional<Format> parse_format(std::string_view name) {
    for (const auto& [fmt, n] : format_table)
        if (name == n) return fmt;
    return std::nullopt;
}

std::vector<std::string> format_names() {
    std::vector<std::string> out;
    for (const auto& entry : format_table) out.emplace_back(entry.second);
    return out;
}

std::string country_code(std::string_view name) { return detail::country_code(name); }

ImportResult read_texts(Format format, const std::vector<NamedText>& files) {
    ImportResult r;
    detail::Sink sink(r);
    switch (format) {
        case Format::ofac_sdn:
            detail::read_ofac(false, files, sink);
            break;
        case Format::ofac_consolidated:
            detail::read_ofac(true, files, sink);
            break;
        case Format::ftm:
            detail::read_ftm(files, sink);
            break;
        case Format::un_xml:
            detail::read_un_xml(files, sink);
            break;
    }
    r.counts["entities"] = r.entities.size();
    return r;
}

ImportResult read(Format format, const std::vector<std::string>& files) {
    std::vector<NamedText> texts;
    std::vector<Diagnostic> unreadable;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::ostringstream ss;
        if (in) ss << in.rdbuf();
        if (!in) {
            Diagnostic d;
            d.code = "io";
            d.message = "cannot read the file";
            d.where.file = f;
            unreadable.push_back(std::move(d));
            continue;
        }
        texts.push_back({f, std::move(ss).str()});
    }
    ImportResult r = read_texts(format, texts);
    r.diagnostics.insert(r.diagnostics.begin(), unreadable.begin(), unreadable.end());
    return r;
}

std::string to_jsonl(const ImportResult& result) {
    std::string out;
    std::size_t size = 0;
    for (const auto& e : result.entities) size += e.size() + 1;
    out.reserve(size);
    for (const auto& e : result.entities) {
        out += e;
        out += '\n';
    }
    return out;
}

namespace detail {

void Sink::entity(const Json& e) {
    r_.entities.push_back(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void Sink::file_error(const std::string& file, std::string message) {
    Diagnostic d;
    d.code = "import";
    d.message = std::move(message);
    d.where.file = file;
    r_.diagnostics.push_back(std::move(d));
}

void Sink::unknown_country(const std::string& name, const std::string& file, int line,
                           std::string_view raw) {
    if (std::find(unknown_countries_.begin(), unknown_countries_.end(), name) !=
        unknown_countries_.end())
        return;
    unknown_countries_.push_back(name);
    Diagnostic d;
    d.severity = Severity::warning;
    d.code = "unknown-country";
    d.message = "no ISO 3166-1 code known for the country '" + name +
                "'; kept as written in the address (reported once)";
    d.where.file = file;
    d.where.line = line;
    d.where.column = 1;
    raw = raw.substr(0, raw.find_first_of("\r\n"));
    d.where.source_line = std::string(raw.substr(0, std::min<std::size_t>(raw.size(), 200)));
    r_.diagnostics.push_back(std::move(d));
}

Json identifier(const std::string& type, const std::string& value, const std::string& country,
                const std::string& label) {
    Json j;
    j["type"] = type;
    j["value"] = value;
    if (!country.empty()) j["country"] = country;
    if (!label.empty()) j["label"] = label;
    return j;
}

}  // namespace detail

}  // namespace sanx::import
