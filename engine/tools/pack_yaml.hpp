#pragma once

// Pack files re-read by the tools with yaml-cpp, for what the loaded model does not keep:
// the positions of ids, titles and dates, the `tests:` list, comments and layout.

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <sanx/diagnostic.hpp>

#include "common/value.hpp"
#include "packs/yaml_util.hpp"
#include "source/source.hpp"

namespace sanx::tools {

struct PackDoc {
    source::SourcePtr src;
    YAML::Node root;

    /// Where a node stands (its first character; a scalar is underlined in full).
    Location at(const YAML::Node& n) const {
        std::vector<Diagnostic> none;
        return detail::YamlReader(src, none).at(n);
    }
    std::string scalar(const YAML::Node& n, const char* key) const {
        const YAML::Node v = n[key];
        return v && v.IsScalar() ? v.Scalar() : std::string();
    }
};

/// Reads and parses one pack; nullopt (with diagnostics) when it cannot be read or parsed.
std::optional<PackDoc> read_pack(const std::string& path, std::vector<Diagnostic>& diags);
std::optional<PackDoc> parse_pack(const std::string& name, const std::string& text,
                                  std::vector<Diagnostic>& diags);

/// A date scalar, or nullopt when absent or not a date.
std::optional<eval::Date> date_of(const YAML::Node& n);

Diagnostic diagnostic(Severity sev, std::string code, std::string message, Location where,
                      std::vector<std::string> hints = {});

}  // namespace sanx::tools
