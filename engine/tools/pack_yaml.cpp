#include "tools/pack_yaml.hpp"

#include <sanx/tools.hpp>

namespace sanx::tools {

std::optional<PackDoc> read_pack(const std::string& path, std::vector<Diagnostic>& diags) {
    auto src = detail::read_pack_source(path, diags);
    if (!src) return std::nullopt;
    PackDoc d{src, {}};
    if (!detail::parse_yaml(*src, d.root, diags)) return std::nullopt;
    return d;
}

std::optional<PackDoc> parse_pack(const std::string& name, const std::string& text,
                                  std::vector<Diagnostic>& diags) {
    auto src = std::make_shared<const source::Source>(name, text);
    PackDoc d{src, {}};
    if (!detail::parse_yaml(*src, d.root, diags)) return std::nullopt;
    return d;
}

std::optional<eval::Date> date_of(const YAML::Node& n) {
    eval::Date d;
    if (!n || !n.IsScalar() || !eval::parse_date(n.Scalar(), d)) return std::nullopt;
    return d;
}

Diagnostic diagnostic(Severity sev, std::string code, std::string message, Location where,
                      std::vector<std::string> hints) {
    Diagnostic d;
    d.severity = sev;
    d.code = std::move(code);
    d.message = std::move(message);
    d.where = std::move(where);
    d.hints = std::move(hints);
    return d;
}

std::vector<std::string> pack_files(const std::vector<std::string>& paths) {
    return detail::pack_files(paths);
}

}  // namespace sanx::tools
