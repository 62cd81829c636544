#include "packs/yaml_util.hpp"

#include "source/utf8.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <streambuf>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace sanx::detail {

void YamlReader::check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                            const std::string& what, Severity sev) {
    if (!map.IsMap()) return;
    std::vector<std::string> seen;
    for (const auto& kv : map) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        // yaml-cpp keeps the first of two equal keys; the author usually meant the second.
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            report(Severity::error, kv.first, "duplicate-key",
                   "'" + key + "' appears twice in " + what + "; only the first is read",
                   {"remove one of them"});
        seen.push_back(key);
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::vector<std::string> hints;
        if (auto s = source::suggest(key, allowed); !s.empty())
            hints.push_back("did you mean '" + s + "'?");
        else {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            hints.push_back("expected one of: " + list);
        }
        report(sev, kv.first, "unknown-field", "unknown field '" + key + "' in " + what,
               std::move(hints));
    }
}

bool YamlReader::string(const YAML::Node& n, std::string& out, const char* what) {
    if (!n.IsScalar()) {
        error(n, "wrong-type", std::string(what) + " must be a string");
        return false;
    }
    out = n.Scalar();
    return true;
}

bool YamlReader::strings(const YAML::Node& n, std::vector<std::string>& out, const char* what) {
    if (n.IsScalar()) {
        out.push_back(n.Scalar());
        return true;
    }
    if (!n.IsSequence()) {
        error(n, "wrong-type", std::string(what) + " must be a list of strings");
        return false;
    }
    bool ok = true;
    for (const auto& e : n) {
        std::string s;
        if (string(e, s, what))
            out.push_back(s);
        else
            ok = false;
    }
    return ok;
}

bool YamlReader::date(const YAML::Node& n, std::optional<eval::Date>& out) {
    if (!n || n.IsNull()) return true;
    eval::Date d;
    if (!n.IsScalar() || !eval::parse_date(n.Scalar(), d)) {
        error(n, "bad-date",
              "expected a date YYYY-MM-DD" +
                  (n.IsScalar() ? ", not '" + n.Scalar() + "'" : std::string()));
        return false;
    }
    out = d;
    return true;
}

bool YamlReader::number(const YAML::Node& n, double& out, const char* what) {
    if (n.IsScalar()) {
        const std::string& s = n.Scalar();
        char* end = nullptr;
        out = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size()) return true;
    }
    error(n, "wrong-type", std::string(what) + " must be a number");
    return false;
}

source::SourcePtr read_pack_source(const std::string& path, std::vector<Diagnostic>& out) {
    auto src = source::read_source(path, out, max_pack_bytes);
    if (!src) return nullptr;
    if (auto bad = source::first_invalid_utf8(src->text()); bad != std::string_view::npos) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(src->text()[bad]));
        out.push_back({Severity::error,
                       "encoding",
                       std::string("byte ") + byte + " is not valid UTF-8; rule packs are UTF-8",
                       src->locate(bad),
                       {"save the file as UTF-8"}});
        return nullptr;
    }
    return src;
}

namespace {

/// Whether the document, with every alias expanded where it is used, stays within
/// `budget` nodes and max_yaml_depth levels: an alias is a reference, but whoever walks the
/// tree walks it once for each use ("billion laughs"), and an alias inside the node it
/// names is a cycle that no walk ends.
enum class Expansion { fits, too_many, too_deep };
struct Budget {
    std::size_t nodes = max_yaml_nodes;
    std::size_t bytes = max_yaml_bytes;  ///< of scalar text, counted at every use
};
Expansion expansion(const YAML::Node& n, Budget& budget, std::size_t depth = 0) {
    if (budget.nodes == 0) return Expansion::too_many;
    if (depth > max_yaml_depth) return Expansion::too_deep;
    --budget.nodes;
    if (n.IsScalar()) {
        if (n.Scalar().size() > budget.bytes) return Expansion::too_many;
        budget.bytes -= n.Scalar().size();
    }
    auto walk = [&](const YAML::Node& k) { return expansion(k, budget, depth + 1); };
    if (n.IsSequence())
        for (const auto& e : n)
            if (auto r = walk(e); r != Expansion::fits) return r;
    if (n.IsMap())
        for (const auto& kv : n) {
            if (auto r = walk(kv.first); r != Expansion::fits) return r;
            if (auto r = walk(kv.second); r != Expansion::fits) return r;
        }
    return Expansion::fits;
}

/// Where the second document of `text` starts, when it has anything in it (an empty
/// document, or a lone null, leaves nothing out). Only the first two documents are parsed,
/// as events: yaml-cpp's LoadAll loops for ever on some texts (", g.sta").
std::optional<YAML::Mark> second_document(const std::string& text) {
    struct View : std::streambuf {
        explicit View(const std::string& s) {
            char* p = const_cast<char*>(s.data());  // only read
            setg(p, p, p + s.size());
        }
    } view(text);
    std::istream in(&view);
    struct Content : YAML::EventHandler {
        std::optional<YAML::Mark> at;
        void seen(const YAML::Mark& m) {
            if (!at) at = m;
        }
        void OnDocumentStart(const YAML::Mark&) override {}
        void OnDocumentEnd() override {}
        void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
        void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { seen(m); }
        void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                      const std::string&) override {
            seen(m);
        }
        void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                             YAML::EmitterStyle::value) override {
            seen(m);
        }
        void OnSequenceEnd() override {}
        void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                        YAML::EmitterStyle::value) override {
            seen(m);
        }
        void OnMapEnd() override {}
    } first, second;
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(first) || !parser.HandleNextDocument(second)) return {};
    return second.at;
}

}  // namespace

bool parse_yaml(const source::Source& src, YAML::Node& root, std::vector<Diagnostic>& out) {
    try {
        root = YAML::Load(src.text());
        // Load reads the first document and ignores the rest: what follows is said, so that
        // no record after a `---` (or after a JSON document's end) is dropped unsaid.
        if (auto second = second_document(src.text()))
            out.push_back({Severity::error,
                           "yaml",
                           "a second document starts here: sanx reads one document per file, "
                           "and does not read this one",
                           src.locate(static_cast<std::size_t>(std::max(0, second->pos))),
                           {"put everything in the first document, or this one in a file of its "
                            "own"}});
        Budget budget;
        if (auto fit = expansion(root, budget); fit != Expansion::fits) {
            out.push_back({Severity::error,
                           fit == Expansion::too_many ? "too-large" : "too-deep",
                           fit == Expansion::too_many
                               ? "the document has more than " + std::to_string(max_yaml_nodes) +
                                     " nodes or " + std::to_string(max_yaml_bytes >> 20) +
                                     " MiB of text once its aliases are expanded (docs/limits.md)"
                               : "the document nests deeper than " +
                                     std::to_string(max_yaml_depth) +
                                     " levels once its aliases are expanded, or an alias is "
                                     "inside the node it names (docs/limits.md)",
                           src.locate(0),
                           {"YAML aliases (*name) repeat what they point at each time they are "
                            "used; write the data out, or split the document"}});
            root = YAML::Node();
            return false;
        }
        return true;
    } catch (const YAML::DeepRecursion& e) {
        out.push_back({Severity::error,
                       "too-deep",
                       "the document nests deeper than " + std::to_string(e.depth() - 1) +
                           " levels, the most the YAML reader takes (docs/limits.md)",
                       src.locate(static_cast<std::size_t>(std::max(0, e.mark.pos))),
                       {}});
        return false;
    } catch (const YAML::Exception& e) {
        Diagnostic d;
        d.code = "yaml";
        d.message = e.msg.empty() ? "invalid YAML" : e.msg;
        d.where = e.mark.is_null() ? Location{src.name(), 0, 0, 1, {}}
                                   : src.locate(static_cast<std::size_t>(std::max(0, e.mark.pos)));
        out.push_back(std::move(d));
        return false;
    }
}

std::vector<std::string> pack_files(const std::vector<std::string>& paths,
                                    std::vector<std::string>* empty_folders) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (!fs::is_directory(p, ec)) {
            out.push_back(p);
            continue;
        }
        std::vector<std::string> in_dir;
        for (const auto& e : fs::directory_iterator(p, ec))
            if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
                in_dir.push_back(e.path().string());
        std::sort(in_dir.begin(), in_dir.end());
        if (in_dir.empty() && empty_folders) empty_folders->push_back(p);
        out.insert(out.end(), in_dir.begin(), in_dir.end());
    }
    return out;
}

}  // namespace sanx::detail
