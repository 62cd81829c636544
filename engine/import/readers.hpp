#pragma once

// The importers behind sanx::import::read, one per format, and what they share.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <sanx/import.hpp>

namespace sanx::import::detail {

using Json = nlohmann::ordered_json;

/// Collects entities, counts and diagnostics for one import.
class Sink {
  public:
    explicit Sink(ImportResult& r) : r_(r) {}

    void entity(const Json& e);
    void count(const std::string& key, std::size_t n = 1) { r_.counts[key] += n; }
    void diagnostic(Diagnostic d) { r_.diagnostics.push_back(std::move(d)); }
    /// A diagnostic about a whole file (no line).
    void file_error(const std::string& file, std::string message);
    /// A country name that has no alpha-2 code: one warning per distinct name.
    void unknown_country(const std::string& name, const std::string& file, int line,
                         std::string_view raw);

  private:
    ImportResult& r_;
    std::vector<std::string> unknown_countries_;
};

/// The uniform identifier shape of docs/importers.md: {type, value, country?, label?}.
Json identifier(const std::string& type, const std::string& value, const std::string& country,
                const std::string& label);

/// bank, company or organization for a party its publisher does not type, from words in
/// its name; the hints come from the publisher's own fields (a SWIFT code, a terrorism
/// program) and decide when the name says nothing.
std::string guess_entity_type(const std::string& name, bool bank_hint, bool group_hint);

void read_ofac(bool consolidated, const std::vector<NamedText>& files, Sink& sink);
void read_ftm(const std::vector<NamedText>& files, Sink& sink);
void read_un_xml(const std::vector<NamedText>& files, Sink& sink);

}  // namespace sanx::import::detail
