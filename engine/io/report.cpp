// Report writers: JSON (PRODUCT.md section 8) and text. They build strings; the CLI prints.

#include <sanx/engine.hpp>

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace sanx {

namespace {

using json = nlohmann::ordered_json;

json location(const Location& l) {
    return l.known() ? json(l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column))
                     : json(l.file);
}

json result_json(const Result& r) {
    json j;
    if (!r.entity.empty()) j["entity"] = r.entity;
    if (!r.name.empty()) j["name"] = r.name;
    if (r.rejected) {
        j["line"] = r.line;
        j["error"] = *r.rejected;
        return j;
    }
    j["verdict"] = to_string(r.verdict);
    json findings = json::array();
    for (const auto& f : r.findings) {
        json jf;
        jf["rule"] = f.rule;
        jf["regime"] = f.regime;
        jf["authority"] = f.authority;
        jf["severity"] = to_string(f.severity);
        jf["message"] = f.message;
        json because = json::array();
        for (const auto& b : f.because)
            because.push_back({{"fact", b.expr}, {"seen", b.seen}, {"at", location(b.at)}});
        jf["because"] = std::move(because);
        jf["cites"] = f.cites;
        if (f.exempted_by) jf["exempted_by"] = *f.exempted_by;
        findings.push_back(std::move(jf));
    }
    j["findings"] = std::move(findings);
    json ind = json::array();
    for (const auto& i : r.indeterminate)
        ind.push_back(
            {{"rule", i.rule}, {"severity", to_string(i.severity)}, {"missing", i.missing}});
    j["indeterminate"] = std::move(ind);
    json blocked = json::object();
    for (const auto& [auth, b] : r.blocked) {
        json paths = json::array();
        for (const auto& p : b.paths) {
            json path = json::array();
            for (const auto& l : p)
                path.push_back({{"from", l.from}, {"to", l.to}, {"share", l.share}});
            paths.push_back(std::move(path));
        }
        blocked[auth] = {{"reason", b.reason},
                         {"share", b.share},
                         {"paths", std::move(paths)},
                         {"listings", b.listings}};
    }
    j["blocked"] = std::move(blocked);
    json errors = json::array();
    for (const auto& e : r.errors)
        errors.push_back({{"rule", e.rule}, {"message", e.message}, {"at", location(e.at)}});
    j["errors"] = std::move(errors);
    return j;
}

}  // namespace

std::string to_json(const Report& rep, int indent) {
    json j;
    j["sanx"] = rep.provenance.sanx_version;
    json packs = json::array();
    for (const auto& p : rep.provenance.packs)
        packs.push_back({{"id", p.id}, {"version", p.version}, {"file", p.file}});
    j["ruleset"] = {{"packs", std::move(packs)}, {"hash", rep.provenance.ruleset_hash}};
    j["as_of"] = rep.provenance.as_of;
    json verdicts = json::object();
    for (const char* v : {"blocked", "high", "medium", "low", "clear"}) {
        auto it = rep.summary.verdicts.find(v);
        verdicts[v] = it == rep.summary.verdicts.end() ? 0 : it->second;
    }
    j["summary"] = {{"entities", rep.summary.entities},
                    {"verdicts", std::move(verdicts)},
                    {"indeterminate", rep.summary.indeterminate},
                    {"rejected", rep.summary.rejected}};
    json results = json::array();
    for (const auto& r : rep.results) results.push_back(result_json(r));
    j["results"] = std::move(results);
    json warnings = json::array();
    for (const auto& w : rep.warnings)
        warnings.push_back({{"code", w.code}, {"message", w.message}, {"at", location(w.where)}});
    j["warnings"] = std::move(warnings);
    return j.dump(indent) + "\n";
}

std::string to_jsonl(const Report& rep) {
    std::string out;
    for (const auto& r : rep.results) {
        json j = result_json(r);
        j["as_of"] = rep.provenance.as_of;
        j["ruleset_hash"] = rep.provenance.ruleset_hash;
        out += j.dump() + "\n";
    }
    return out;
}

namespace {

struct Style {
    bool color;
    std::string on(const char* code) const {
        return color ? std::string("\033[") + code + "m" : "";
    }
    std::string off() const { return color ? "\033[0m" : ""; }
    std::string verdict(Verdict v) const {
        const char* code = v == Verdict::blocked  ? "1;41;97"
                           : v == Verdict::high   ? "1;31"
                           : v == Verdict::medium ? "1;33"
                           : v == Verdict::low    ? "36"
                                                  : "32";
        std::string name = to_string(v);
        std::transform(name.begin(), name.end(), name.begin(), ::toupper);
        return on(code) + name + off();
    }
};

std::string pad(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string fmt_share(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", s);
    return buf;
}

}  // namespace

std::string to_text(const Report& rep, bool color) {
    Style st{color};
    std::string out;
    out += st.on("1") + "sanx " + rep.provenance.sanx_version + st.off() + " · as of " +
           rep.provenance.as_of + " · rules";
    for (const auto& p : rep.provenance.packs)
        out += " " + p.id + (p.version.empty() ? "" : "@" + p.version);
    out += " · " + rep.provenance.ruleset_hash.substr(0, 12) + "\n";
    for (const auto& r : rep.results) {
        out += "\n";
        if (r.rejected) {
            out +=
                st.on("1") +
                (r.entity.empty() ? "(record at line " + std::to_string(r.line) + ")" : r.entity) +
                st.off() + "  " + st.on("1;31") + "REJECTED" + st.off() + "  " + *r.rejected + "\n";
            continue;
        }
        out += st.on("1") + r.entity + st.off() + (r.name.empty() ? "" : "  " + r.name) + "  " +
               st.verdict(r.verdict) + "\n";
        for (const auto& [auth, b] : r.blocked) {
            out += "  blocked by " + auth + " (" + b.reason + ", " + fmt_share(b.share) + ")";
            for (const auto& l : b.listings) out += "; " + l;
            out += "\n";
            for (const auto& p : b.paths) {
                out += "          via " + p.front().from;
                for (const auto& link : p)
                    out += " -" +
                           (b.reason == "control" && link.share == 0 ? std::string("controls")
                                                                     : fmt_share(link.share)) +
                           "-> " + link.to;
                out += "\n";
            }
        }
        for (const auto& f : r.findings) {
            out += "  " + pad(to_string(f.severity), 8) + st.on("1") + f.rule + st.off() + " [" +
                   f.authority + "]";
            if (f.exempted_by)
                out += "  " + st.on("32") + "exempted by " + *f.exempted_by + st.off();
            out += "\n";
            if (!f.message.empty()) out += "          " + f.message + "\n";
            for (const auto& b : f.because) out += "          because " + b.seen + "\n";
            for (const auto& c : f.cites)
                out += "          " + st.on("2") + "cites " + c + st.off() + "\n";
        }
        for (const auto& i : r.indeterminate) {
            out += "  " + st.on("35") + "undecided " + st.off() + i.rule + " (" +
                   to_string(i.severity) + "): missing ";
            for (std::size_t k = 0; k < i.missing.size(); ++k)
                out += (k ? ", " : "") + i.missing[k];
            out += "\n";
        }
        for (const auto& e : r.errors) {
            out += "  " + st.on("1;31") + "error " + st.off() + e.rule + ": " + e.message;
            if (e.at.known())
                out += " (" + e.at.file + ":" + std::to_string(e.at.line) + ":" +
                       std::to_string(e.at.column) + ")";
            out += "\n";
        }
    }
    out += "\n" + std::to_string(rep.summary.entities) + " entities:";
    for (const char* v : {"blocked", "high", "medium", "low", "clear"}) {
        auto it = rep.summary.verdicts.find(v);
        out +=
            " " + std::to_string(it == rep.summary.verdicts.end() ? 0 : it->second) + " " + v + ",";
    }
    out += " " + std::to_string(rep.summary.indeterminate) + " with undecided rules, " +
           std::to_string(rep.summary.rejected) + " rejected\n";
    return out;
}

}  // namespace sanx
