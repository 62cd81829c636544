#include "tools/pack_yaml.hpp"

#include <algorithm>
#include <filesystem>

#include <sanx/tools.hpp>

namespace sanx::tools {

std::optional<PackDoc> read_pack(const std::string& path, std::vector<Diagnostic>& diags) {
    auto src = detail::read_source(path, diags);
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
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> in_dir;
            for (const auto& e : fs::directory_iterator(p, ec))
                if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
                    in_dir.push_back(e.path().string());
            std::sort(in_dir.begin(), in_dir.end());
            out.insert(out.end(), in_dir.begin(), in_dir.end());
        } else {
            out.push_back(p);
        }
    }
    return out;
}

}  // namespace sanx::tools
