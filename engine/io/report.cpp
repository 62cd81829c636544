// Report writers: JSON (PRODUCT.md section 8) and text. They build strings; the CLI prints.
// Markdown, HTML, SVG and dot are in report_*.cpp.

#include <sanx/report.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "io/report_util.hpp"
#include "source/utf8.hpp"

namespace sanx {

namespace {

/// Appends JSON text straight to a string: results are written this way, one line each, as
/// fast as the data allows (no document tree in between).
class JsonOut {
  public:
    explicit JsonOut(std::string& out) : out_(out) {}

    JsonOut& raw(std::string_view text) {
        out_ += text;
        return *this;
    }
    JsonOut& key(std::string_view k) {
        str(k);
        out_ += ':';
        return *this;
    }
    JsonOut& str(std::string_view v) {
        if (!source::valid_utf8(v)) return str(source::printable_utf8(v));  // JSON is UTF-8
        out_ += '"';
        std::size_t plain = 0;  // start of the run of characters that need no escape
        for (std::size_t i = 0; i < v.size(); ++i) {
            i = skip_plain(v, i);
            if (i == v.size()) break;
            auto c = static_cast<unsigned char>(v[i]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out_.append(v.data() + plain, i - plain);
            plain = i + 1;
            switch (c) {
                case '"':
                    out_ += "\\\"";
                    break;
                case '\\':
                    out_ += "\\\\";
                    break;
                case '\n':
                    out_ += "\\n";
                    break;
                case '\r':
                    out_ += "\\r";
                    break;
                case '\t':
                    out_ += "\\t";
                    break;
                case '\b':
                    out_ += "\\b";
                    break;
                case '\f':
                    out_ += "\\f";
                    break;
                default: {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                    out_ += buf;
                }
            }
        }
        out_.append(v.data() + plain, v.size() - plain);
        out_ += '"';
        return *this;
    }
    JsonOut& num(double v) {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
        std::string_view text(buf, static_cast<std::size_t>(end - buf));
        out_ += text;
        if (text.find_first_of(".eEn") == std::string_view::npos)
            out_ += ".0";  // a double stays one
        return *this;
    }
    JsonOut& num(long long v) {
        append_int(v);
        return *this;
    }
    template <typename T, typename F>
    JsonOut& array(const T& items, F each) {
        out_ += '[';
        bool first = true;
        for (const auto& item : items) {
            if (!first) out_ += ',';
            first = false;
            each(item);
        }
        out_ += ']';
        return *this;
    }
    JsonOut& strings(const std::vector<std::string>& items) {
        return array(items, [&](const std::string& x) { str(x); });
    }
    /// "file:line:col", or the file alone when no line is known.
    JsonOut& location(const Location& l) {
        str(l.file);
        if (!l.known()) return *this;
        out_.pop_back();  // the closing quote; the numbers need no escaping
        out_ += ':';
        append_int(l.line);
        out_ += ':';
        append_int(l.column);
        out_ += '"';
        return *this;
    }

  private:
    void append_int(long long v) {
        char buf[24];
        out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    }

    /// The first index from `i` on of a character JSON escapes (a control character, `"` or
    /// `\\`), or v.size(); eight bytes at a time.
    static std::size_t skip_plain(std::string_view v, std::size_t i) {
        constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        for (; i + 8 <= v.size(); i += 8) {
            std::uint64_t x;
            std::memcpy(&x, v.data() + i, 8);
            auto zero_byte = [&](std::uint64_t y) { return (y - ones) & ~y & highs; };
            // Bytes below 0x20, or equal to '"' or '\\' (no false negatives; a hit is
            // checked byte by byte below).
            if (zero_byte(x & 0xe0e0e0e0e0e0e0e0ULL) | zero_byte(x ^ (ones * '"')) |
                zero_byte(x ^ (ones * '\\')))
                break;
        }
        for (; i < v.size(); ++i) {
            auto c = static_cast<unsigned char>(v[i]);
            if (c < 0x20 || c == '"' || c == '\\') break;
        }
        return i;
    }

    std::string& out_;
};

void write_trace_node(JsonOut& o, const TraceNode& n) {
    o.raw("{").key("expr").str(n.expr).raw(",").key("kind").str(to_string(n.kind));
    o.raw(",").key("value").str(n.value);
    if (!n.why.empty()) o.raw(",").key("why").str(n.why);
    if (n.at.known()) o.raw(",").key("at").location(n.at);
    if (!n.kids.empty())
        o.raw(",").key("kids").array(n.kids, [&](const TraceNode& k) { write_trace_node(o, k); });
    o.raw("}");
}

void write_traces(JsonOut& o, const std::vector<RuleTrace>& traces) {
    o.array(traces, [&](const RuleTrace& t) {
        o.raw("{").key("rule").str(t.rule).raw(",").key("outcome").str(to_string(t.outcome));
        o.raw(",").key("tree");
        write_trace_node(o, t.root);
        if (!t.misses.empty())
            o.raw(",").key("misses").array(t.misses, [&](const Fact& b) {
                o.raw("{").key("fact").str(b.expr).raw(",").key("seen").str(b.seen);
                o.raw(",").key("at").location(b.at).raw("}");
            });
        o.raw("}");
    });
}

/// One result as a JSON object; `tail` adds fields at the end (the JSON-lines form).
void write_result(JsonOut& o, const Result& r, const Provenance* tail) {
    o.raw("{");
    bool comma = false;
    auto field = [&](std::string_view k) -> JsonOut& {
        if (comma) o.raw(",");
        comma = true;
        return o.key(k);
    };
    if (!r.entity.empty()) field("entity").str(r.entity);
    if (!r.name.empty()) field("name").str(r.name);
    if (r.rejected) {
        field("line").num(static_cast<long long>(r.line));
        field("error").str(*r.rejected);
        if (!r.file.empty()) field("file").str(r.file);
    } else {
        field("verdict").str(to_string(r.verdict));
        if (r.could_be) field("could_be").str(to_string(*r.could_be));
        field("findings").array(r.findings, [&](const Finding& f) {
            o.raw("{").key("rule").str(f.rule).raw(",").key("regime").str(f.regime);
            o.raw(",")
                .key("authority")
                .str(f.authority)
                .raw(",")
                .key("severity")
                .str(to_string(f.severity));
            o.raw(",").key("message").str(f.message).raw(",").key("because").array(
                f.because, [&](const Fact& b) {
                    o.raw("{")
                        .key("fact")
                        .str(b.expr)
                        .raw(",")
                        .key("seen")
                        .str(b.seen)
                        .raw(",")
                        .key("at")
                        .location(b.at)
                        .raw("}");
                });
            o.raw(",").key("cites").strings(f.cites);
            if (f.exempted_by) o.raw(",").key("exempted_by").str(*f.exempted_by);
            if (!f.undecided_licences.empty())
                o.raw(",")
                    .key("undecided_licences")
                    .array(f.undecided_licences, [&](const LicenceDoubt& d) {
                        o.raw("{").key("licence").str(d.licence);
                        o.raw(",").key("missing").strings(d.missing).raw("}");
                    });
            o.raw("}");
        });
        field("indeterminate").array(r.indeterminate, [&](const Indeterminate& i) {
            o.raw("{").key("rule").str(i.rule).raw(",").key("severity").str(to_string(i.severity));
            o.raw(",").key("missing").strings(i.missing).raw("}");
        });
        field("blocked").raw("{");
        bool first = true;
        for (const auto& [auth, b] : r.blocked) {
            if (!first) o.raw(",");
            first = false;
            o.key(auth)
                .raw("{")
                .key("reason")
                .str(to_string(b.reason))
                .raw(",")
                .key("share")
                .num(b.share);
            o.raw(",").key("paths").array(b.paths, [&](const std::vector<OwnershipLink>& p) {
                o.array(p, [&](const OwnershipLink& l) {
                    o.raw("{")
                        .key("from")
                        .str(l.from)
                        .raw(",")
                        .key("to")
                        .str(l.to)
                        .raw(",")
                        .key("share")
                        .num(l.share)
                        .raw("}");
                });
            });
            o.raw(",").key("listings").strings(b.listings).raw("}");
        }
        o.raw("}");
        field("errors").array(r.errors, [&](const EvalError& e) {
            o.raw("{")
                .key("rule")
                .str(e.rule)
                .raw(",")
                .key("message")
                .str(e.message)
                .raw(",")
                .key("at")
                .location(e.at)
                .raw("}");
        });
        if (!r.traces.empty()) write_traces(field("traces"), r.traces);
        if (!r.matches.empty())
            field("matches").array(r.matches, [&](const Match& m) {
                o.raw("{").key("party").str(m.party).raw(",").key("list_id").str(m.list_id);
                o.raw(",").key("list_name").str(m.list_name);
                o.raw(",").key("matched_name").str(m.matched_name);
                o.raw(",").key("query_name").str(m.query_name).raw(",").key("score").num(m.score);
                o.raw(",")
                    .key("by")
                    .str(to_string(m.by))
                    .raw(",")
                    .key("decision")
                    .str(to_string(m.decision));
                if (!m.identifier.empty()) o.raw(",").key("identifier").str(m.identifier);
                o.raw("}");
            });
    }
    if (tail) {
        field("as_of").str(tail->as_of);
        field("ruleset_hash").str(tail->ruleset_hash);
    }
    o.raw("}");
}

/// Compact JSON text (as JsonOut writes it) laid out with `indent` spaces per level, the way
/// nlohmann::json::dump(indent) lays out a document: empty objects and arrays stay `{}` and
/// `[]`. A negative indent leaves the text as it is.
std::string indented(std::string_view compact, int indent) {
    if (indent < 0) return std::string(compact);
    std::string out;
    out.reserve(compact.size() * 2);
    std::size_t depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(depth * static_cast<std::size_t>(indent), ' ');
    };
    for (std::size_t i = 0; i < compact.size(); ++i) {
        const char c = compact[i];
        if (c == '"') {  // copy the string, escapes and all
            std::size_t j = i + 1;
            while (j < compact.size() && compact[j] != '"') j += compact[j] == '\\' ? 2 : 1;
            out.append(compact.substr(i, j + 1 - i));
            i = j;
        } else if (c == '{' || c == '[') {
            out += c;
            if (i + 1 < compact.size() && (compact[i + 1] == '}' || compact[i + 1] == ']')) {
                out += compact[++i];
                continue;
            }
            ++depth;
            newline();
        } else if (c == '}' || c == ']') {
            --depth;
            newline();
            out += c;
        } else if (c == ',') {
            out += ',';
            newline();
        } else if (c == ':') {
            out += ": ";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string to_json(const Report& rep, int indent) {
    std::string text;
    JsonOut o(text);
    const Provenance& p = rep.provenance;
    o.raw("{").key("sanx").str(p.sanx_version).raw(",").key("ruleset").raw("{").key("packs");
    o.array(p.packs, [&](const PackInfo& pack) {
        o.raw("{").key("id").str(pack.id).raw(",").key("version").str(pack.version);
        o.raw(",").key("file").str(pack.file).raw("}");
    });
    o.raw(",").key("hash").str(p.ruleset_hash);
    if (!p.lists.empty()) {
        o.raw(",").key("lists").array(p.lists, [&](const ListFile& l) {
            o.raw("{").key("path").str(l.path).raw(",").key("sha256").str(l.sha256);
            o.raw(",").key("records").num(static_cast<long long>(l.records));
            o.raw(",").key("published");
            if (l.published)
                o.str(*l.published);
            else
                o.raw("null");
            o.raw("}");
        });
    }
    o.raw("}").raw(",").key("as_of").str(p.as_of).raw(",").key("summary").raw("{");
    o.key("entities").num(static_cast<long long>(rep.summary.entities)).raw(",");
    o.key("verdicts").raw("{");
    const char* sep = "";
    for (const char* v : {"blocked", "high", "medium", "low", "clear"}) {
        auto it = rep.summary.verdicts.find(v);
        o.raw(sep).key(v).num(
            static_cast<long long>(it == rep.summary.verdicts.end() ? 0 : it->second));
        sep = ",";
    }
    o.raw("}").raw(",").key("indeterminate").num(static_cast<long long>(rep.summary.indeterminate));
    o.raw(",").key("rejected").num(static_cast<long long>(rep.summary.rejected)).raw("}");
    o.raw(",").key("results").array(rep.results,
                                    [&](const Result& r) { write_result(o, r, nullptr); });
    o.raw(",").key("warnings").array(rep.warnings, [&](const Diagnostic& w) {
        o.raw("{").key("code").str(w.code).raw(",").key("message").str(w.message);
        o.raw(",").key("at").location(w.where).raw("}");
    });
    o.raw("}");
    return indented(text, indent) + "\n";
}

std::string traces_to_json(const Result& r, int indent) {
    std::string text;
    JsonOut o(text);
    write_traces(o, r.traces);
    return indented(text, indent) + "\n";
}

std::string to_json_line(const Result& r, const Provenance& p) {
    std::string out;
    out.reserve(2048);
    JsonOut o(out);
    write_result(o, r, &p);
    out += '\n';
    return out;
}

std::string to_jsonl(const Report& rep) {
    std::string out;
    for (const auto& r : rep.results) out += to_json_line(r, rep.provenance);
    return out;
}

namespace {

struct Style {
    bool color;
    std::string on(const char* code) const {
        return color ? std::string("\033[") + code + "m" : "";
    }
    std::string off() const { return color ? "\033[0m" : ""; }
    /// Green only for a decided clear; an undecided entity is amber whatever its verdict.
    std::string verdict(const Result& r) const {
        const Verdict v = r.verdict;
        const char* code = v == Verdict::blocked  ? "1;41;97"
                           : v == Verdict::high   ? "1;31"
                           : v == Verdict::medium ? "1;33"
                           : r.could_be           ? "1;33"
                           : v == Verdict::low    ? "36"
                                                  : "32";
        std::string name = detail::report::verdict_label(r);
        std::transform(name.begin(), name.end(), name.begin(), ::toupper);
        return on(code) + name + off();
    }
};

std::string pad(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string to_text_header(const Provenance& p, bool color) {
    Style st{color};
    std::string out =
        st.on("1") + "sanx " + p.sanx_version + st.off() + " · as of " + p.as_of + " · rules";
    for (const auto& pack : p.packs)
        out += " " + pack.id + (pack.version.empty() ? "" : "@" + pack.version);
    out += " · " + p.ruleset_hash.substr(0, 12);
    for (std::size_t i = 0; i < p.lists.size(); ++i)
        out += (i ? ", " : " · lists ") + detail::report::list_file_text(p.lists[i]);
    return out + "\n";
}

std::string to_text(const Result& r, bool color) {
    Style st{color};
    std::string out = "\n";
    if (r.rejected) {
        const std::string where =
            (r.file.empty() ? "line " : r.file + ":") + std::to_string(r.line);
        return out + st.on("1") + (r.entity.empty() ? "(record at " + where + ")" : r.entity) +
               st.off() + "  " + st.on("1;31") + "REJECTED" + st.off() + "  " + *r.rejected +
               (r.entity.empty() ? "" : " (" + where + ")") + "\n";
    }
    out += st.on("1") + r.entity + st.off() + (r.name.empty() ? "" : "  " + r.name) + "  " +
           st.verdict(r) + "\n";
    for (const auto& [auth, b] : r.blocked) {
        out += "  blocked by " + auth + " (" + to_string(b.reason) + ", " +
               detail::report::share_text(b.share) + ")";
        for (const auto& l : b.listings) out += "; " + l;
        out += "\n";
        for (const auto& p : b.paths) {
            out += "          via " + p.front().from;
            for (const auto& link : p)
                out += " -" +
                       (b.reason == BlockReason::control && link.share == 0
                            ? std::string("controls")
                            : detail::report::share_text(link.share)) +
                       "-> " + link.to;
            out += "\n";
        }
    }
    for (const auto& m : r.matches)
        out += "  " + st.on(m.decision == MatchDecision::match ? "2" : "35") +
               pad(to_string(m.decision), 10) + st.off() + detail::report::match_text(m) + "\n";
    for (const auto& f : r.findings) {
        out += "  " + pad(to_string(f.severity), 8) + st.on("1") + f.rule + st.off() + " [" +
               f.authority + "]";
        if (f.exempted_by) out += "  " + st.on("32") + "exempted by " + *f.exempted_by + st.off();
        out += "\n";
        if (!f.message.empty()) out += "          " + f.message + "\n";
        for (const auto& d : f.undecided_licences)
            out += "          " + st.on("35") + detail::report::licence_doubt_text(d) + st.off() +
                   "\n";
        for (const auto& b : f.because) out += "          because " + b.seen + "\n";
        for (const auto& c : f.cites)
            out += "          " + st.on("2") + "cites " + c + st.off() + "\n";
    }
    for (const auto& i : r.indeterminate) {
        out += "  " + st.on("35") + "undecided " + st.off() + i.rule + " (" +
               to_string(i.severity) + "): missing ";
        for (std::size_t k = 0; k < i.missing.size(); ++k) out += (k ? ", " : "") + i.missing[k];
        out += "\n";
    }
    for (const auto& e : r.errors) {
        out += "  " + st.on("1;31") + "error " + st.off() + e.rule + ": " + e.message;
        if (e.at.known())
            out += " (" + e.at.file + ":" + std::to_string(e.at.line) + ":" +
                   std::to_string(e.at.column) + ")";
        out += "\n";
    }
    return out;
}

std::string to_text(const Summary& s) { return "\n" + detail::report::summary_text(s) + "\n"; }

std::string to_text(const Report& rep, bool color) {
    std::string out = to_text_header(rep.provenance, color);
    for (const auto& r : rep.results) out += to_text(r, color);
    return out + to_text(rep.summary);
}

}  // namespace sanx
