#pragma once

// Small helpers for reading YAML with positions: every diagnostic points at a node.

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <sanx/diagnostic.hpp>

#include "common/value.hpp"
#include "source/source.hpp"

namespace sanx::detail {

class YamlReader {
  public:
    YamlReader(source::SourcePtr src, std::vector<Diagnostic>& out)
        : src_(std::move(src)), out_(out) {}

    const source::SourcePtr& source() const { return src_; }

    Location at(const YAML::Node& n) const {
        const YAML::Mark m = n.Mark();
        if (m.is_null() || m.pos < 0) return Location{src_->name(), 0, 0, 1, {}};
        return src_->locate(static_cast<std::size_t>(m.pos), n.IsScalar() ? n.Scalar().size() : 1);
    }
    source::ScalarOrigin origin(const YAML::Node& n) const {
        const YAML::Mark m = n.Mark();
        return {src_, m.is_null() || m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos), !m.is_null()};
    }

    void report(Severity sev, const YAML::Node& n, std::string code, std::string msg,
                std::vector<std::string> hints = {}) {
        out_.push_back({sev, std::move(code), std::move(msg), at(n), std::move(hints)});
    }
    void error(const YAML::Node& n, std::string code, std::string msg,
               std::vector<std::string> hints = {}) {
        report(Severity::error, n, std::move(code), std::move(msg), std::move(hints));
    }

    /// Reports keys of `map` not in `allowed`, with a did-you-mean.
    void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                    const std::string& what, Severity sev = Severity::error);

    bool string(const YAML::Node& n, std::string& out, const char* what);
    bool strings(const YAML::Node& n, std::vector<std::string>& out, const char* what);
    bool date(const YAML::Node& n, std::optional<eval::Date>& out);
    bool number(const YAML::Node& n, double& out, const char* what);

  private:
    source::SourcePtr src_;
    std::vector<Diagnostic>& out_;
};

/// The most a rule pack file may hold (docs/limits.md).
inline constexpr std::size_t max_pack_bytes = std::size_t{16} << 20;
/// The most nodes a YAML document may have with its aliases expanded (docs/limits.md).
inline constexpr std::size_t max_yaml_nodes = 2'000'000;
/// The most scalar text it may have with its aliases expanded (docs/limits.md).
inline constexpr std::size_t max_yaml_bytes = std::size_t{512} << 20;
/// The most levels a YAML document may nest with its aliases expanded (docs/limits.md).
inline constexpr std::size_t max_yaml_depth = 512;

/// A rule pack's text: at most max_pack_bytes, and UTF-8 throughout (a stray byte would
/// reach messages, and from there every report); null with a diagnostic otherwise.
source::SourcePtr read_pack_source(const std::string& path, std::vector<Diagnostic>& out);

/// Parses YAML (or JSON) text; a syntax error becomes a diagnostic at its mark. A second
/// document in the text is an error at its start: `root` is the first, still.
bool parse_yaml(const source::Source& src, YAML::Node& root, std::vector<Diagnostic>& out);

/// The pack files under `paths`: a folder gives its `*.yaml` and `*.yml`, sorted; a file
/// itself. Folders that give none are added to `empty_folders` when it is given.
std::vector<std::string> pack_files(const std::vector<std::string>& paths,
                                    std::vector<std::string>* empty_folders = nullptr);

}  // namespace sanx::detail
