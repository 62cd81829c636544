// Lint results as data: a JSON array, and SARIF 2.1.0 for code hosts.

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include <sanx/tools.hpp>
#include <sanx/version.hpp>

namespace sanx::tools {

namespace {

/// A file path as a SARIF artifact URI: relative paths stay relative (to the working
/// directory, which code hosts take as the repository root); absolute ones become file URIs.
std::string uri(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == ' ')
            out += "%20";
        else if (c == '%')
            out += "%25";
        else
            out += c;
    }
    if (!out.empty() && out[0] == '/') return "file://" + out;
    if (out.rfind("./", 0) == 0) out.erase(0, 2);
    return out;
}

/// A 1-based byte column of `line` as a 1-based column in Unicode code points (SARIF's
/// `unicodeCodePoints`; our diagnostics count bytes).
int code_point_column(const std::string& line, int byte_column) {
    int col = 1;
    const auto end = std::min<std::size_t>(line.size(), static_cast<std::size_t>(byte_column - 1));
    for (std::size_t i = 0; i < end; ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
    if (static_cast<std::size_t>(byte_column - 1) > line.size())
        col += byte_column - 1 - static_cast<int>(line.size());
    return col;
}

/// "did you mean 'X'?" -> X
std::string suggestion(const std::string& hint) {
    const std::string lead = "did you mean '";
    if (hint.rfind(lead, 0) != 0) return {};
    auto end = hint.find('\'', lead.size());
    if (end == std::string::npos) return {};
    return hint.substr(lead.size(), end - lead.size());
}

std::string describe(const std::string& code) {
    static const std::map<std::string, std::string> text{
        {"syntax", "Syntax error in an expression or relation statement"},
        {"yaml", "The file is not valid YAML"},
        {"unknown-set", "Unknown set"},
        {"unknown-country", "Unknown country code"},
        {"unknown-bloc", "Unknown bloc"},
        {"unknown-sector", "Unknown sector"},
        {"unknown-field", "Unknown field"},
        {"duplicate", "Duplicate id"},
        {"constant-condition", "A condition that does not depend on the entity"},
        {"shadowed-rule", "Two rules of a regime with the same condition"},
        {"exempts-nothing", "A licence exemption that matches no rule"},
        {"expired", "Expired rule, regime or licence"},
        {"missing-title", "Missing title"},
        {"missing-cites", "Missing citations"},
        {"licence-overlap", "A licence and its predecessor both declared in force"},
        {"licence-order", "A licence supersedes a later one"},
        {"unknown-licence", "A licence supersedes an unknown licence"},
        {"relation-membership", "A relation through a bloc one party is not a member of"},
    };
    auto it = text.find(code);
    return it != text.end() ? it->second : code;
}

}  // namespace

std::string to_json(const std::vector<Diagnostic>& diagnostics) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : diagnostics) {
        nlohmann::json j{{"severity", to_string(d.severity)},
                         {"code", d.code},
                         {"message", d.message},
                         {"file", d.where.file},
                         {"line", d.where.line},
                         {"column", d.where.column},
                         {"length", d.where.length},
                         {"hints", d.hints}};
        out.push_back(std::move(j));
    }
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string to_sarif(const std::vector<Diagnostic>& diagnostics) {
    nlohmann::json rules = nlohmann::json::array();
    std::map<std::string, int> rule_index;
    nlohmann::json results = nlohmann::json::array();
    for (const auto& d : diagnostics) {
        std::string code = d.code.empty() ? "sanx" : d.code;
        auto [it, fresh] = rule_index.emplace(code, static_cast<int>(rules.size()));
        if (fresh)
            rules.push_back({{"id", code},
                             {"shortDescription", {{"text", describe(code)}}},
                             {"defaultConfiguration", {{"level", to_string(d.severity)}}}});
        const int start_col = code_point_column(d.where.source_line, d.where.column);
        const int end_col = code_point_column(d.where.source_line, d.where.column + d.where.length);
        std::string text = d.message;
        for (const auto& h : d.hints) text += "\n" + h;
        nlohmann::json r{{"ruleId", code},
                         {"ruleIndex", it->second},
                         {"level", to_string(d.severity)},
                         {"message", {{"text", text}}}};
        if (!d.where.file.empty()) {
            nlohmann::json phys{{"artifactLocation", {{"uri", uri(d.where.file)}}}};
            if (d.where.known()) {
                nlohmann::json region{{"startLine", d.where.line},
                                      {"startColumn", start_col},
                                      {"endLine", d.where.line},
                                      {"endColumn", end_col}};
                if (!d.where.source_line.empty())
                    region["snippet"] = {{"text", d.where.source_line}};
                phys["region"] = region;
            }
            r["locations"] = nlohmann::json::array({{{"physicalLocation", phys}}});
            nlohmann::json fixes = nlohmann::json::array();
            for (const auto& h : d.hints) {
                std::string s = suggestion(h);
                if (s.empty() || !d.where.known()) continue;
                fixes.push_back(
                    {{"description", {{"text", "Replace with '" + s + "'"}}},
                     {"artifactChanges",
                      nlohmann::json::array(
                          {{{"artifactLocation", {{"uri", uri(d.where.file)}}},
                            {"replacements",
                             nlohmann::json::array({{{"deletedRegion",
                                                      {{"startLine", d.where.line},
                                                       {"startColumn", start_col},
                                                       {"endLine", d.where.line},
                                                       {"endColumn", end_col}}},
                                                     {"insertedContent", {{"text", s}}}}})}}})}});
            }
            if (!fixes.empty()) r["fixes"] = fixes;
        }
        results.push_back(std::move(r));
    }
    nlohmann::json log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                       {"version", "2.1.0"},
                       {"runs", nlohmann::json::array({{{"tool",
                                                         {{"driver",
                                                           {{"name", "sanx"},
                                                            {"version", sanx::version()},
                                                            {"semanticVersion", sanx::version()},
                                                            {"rules", rules}}}}},
                                                        {"columnKind", "unicodeCodePoints"},
                                                        {"results", results}}})}};
    return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace sanx::tools
