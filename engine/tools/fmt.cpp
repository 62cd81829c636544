// `sanx fmt`, the YAML text editor: the pack's text is edited in place at the scalars that
// hold expressions, relations and message holes, so comments and everything else stay. The
// expressions themselves are printed by tools/fmt_expr.cpp from their syntax tree.

#include <algorithm>
#include <map>
#include <set>

#include <sanx/tools.hpp>

#include "dsl/parse.hpp"
#include "source/source.hpp"
#include "tools/fmt_expr.hpp"
#include "tools/pack_yaml.hpp"

namespace sanx::tools {

namespace {

namespace ast = dsl::ast;

}  // namespace

// ---- editing the pack text -----------------------------------------------------------------

namespace {

struct Edit {
    std::size_t begin = 0, end = 0;
    std::string text;
    Location at;       ///< the scalar, for a warning when the edit cannot be made
    std::string what;  ///< "this 'when'", for that warning
};

std::size_t line_start(const std::string& t, std::size_t pos) {
    std::size_t s = t.rfind('\n', pos == 0 ? 0 : pos - 1);
    return pos == 0 || s == std::string::npos ? 0 : s + 1;
}

int indentation(const std::string& t, std::size_t line_begin) {
    int n = 0;
    while (line_begin + n < t.size() && t[line_begin + n] == ' ') ++n;
    return n;
}

bool blank_or_comment(const std::string& t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
        if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r') continue;
        return t[i] == '#';
    }
    return true;
}

/// The end of the scalar that starts at `pos`, or npos when its shape is not one the
/// formatter edits. `parent_indent` is the indentation of the line holding its key.
std::size_t scalar_end(const std::string& t, std::size_t pos, int parent_indent) {
    if (pos >= t.size()) return std::string::npos;
    char c = t[pos];
    if (c == '"') {
        for (std::size_t i = pos + 1; i < t.size(); ++i) {
            if (t[i] == '\\')
                ++i;
            else if (t[i] == '"')
                return i + 1;
        }
        return std::string::npos;
    }
    if (c == '\'') {
        for (std::size_t i = pos + 1; i < t.size(); ++i) {
            if (t[i] != '\'') continue;
            if (i + 1 < t.size() && t[i + 1] == '\'') {
                ++i;
                continue;
            }
            return i + 1;
        }
        return std::string::npos;
    }
    auto next_line = [&](std::size_t from) {
        std::size_t nl = t.find('\n', from);
        return nl == std::string::npos ? t.size() : nl + 1;
    };
    if (c == '|' || c == '>') {
        std::size_t header_end = t.find('\n', pos);
        if (header_end == std::string::npos) return std::string::npos;
        std::size_t end = header_end, line = header_end + 1;
        int block_indent = -1;
        while (line < t.size()) {
            std::size_t le = t.find('\n', line);
            if (le == std::string::npos) le = t.size();
            bool blank = true;
            for (std::size_t i = line; i < le; ++i)
                if (t[i] != ' ' && t[i] != '\r') blank = false;
            if (!blank) {
                int ind = indentation(t, line);
                if (block_indent < 0) block_indent = ind;
                if (ind < block_indent || ind <= parent_indent) break;
                end = le;
            }
            line = next_line(le);
        }
        return block_indent < 0 ? std::string::npos : end;
    }
    // Plain: to the end of the line (before a comment), then continuation lines.
    auto plain_line_end = [&](std::size_t from) {
        std::size_t le = t.find('\n', from);
        if (le == std::string::npos) le = t.size();
        for (std::size_t i = from; i < le; ++i)
            if (t[i] == '#' && i > from && (t[i - 1] == ' ' || t[i - 1] == '\t')) {
                le = i;
                break;
            }
        while (le > from && (t[le - 1] == ' ' || t[le - 1] == '\t' || t[le - 1] == '\r')) --le;
        return le;
    };
    std::size_t end = plain_line_end(pos);
    std::size_t line = next_line(end);
    while (line < t.size()) {
        std::size_t le = t.find('\n', line);
        if (le == std::string::npos) le = t.size();
        if (blank_or_comment(t, line, le)) break;
        if (indentation(t, line) <= parent_indent) break;
        end = plain_line_end(line);
        line = next_line(le);
    }
    return end;
}

class PackFormatter {
  public:
    PackFormatter(const PackDoc& doc, std::vector<Diagnostic>& diags, int width)
        : doc_(doc), t_(doc.src->text()), diags_(diags), width_(width) {}

    std::vector<Edit> run() {
        const YAML::Node& root = doc_.root;
        if (!root.IsMap()) return {};
        if (const auto regs = root["regimes"]; regs && regs.IsSequence())
            for (const auto& g : regs) {
                if (!g.IsMap()) continue;
                if (const auto rules = g["rules"]; rules && rules.IsSequence())
                    for (const auto& r : rules) {
                        if (!r.IsMap()) continue;
                        condition(r, "when");
                        message(r, "message");
                    }
            }
        if (const auto lics = root["licences"]; lics && lics.IsSequence())
            for (const auto& l : lics)
                if (l.IsMap()) condition(l, "when");
        if (const auto rels = root["relations"]; rels && rels.IsSequence())
            for (const auto& r : rels) relation(r);
        return edits_;
    }

  private:
    void note(const YAML::Node& n, std::string msg) {
        diags_.push_back(diagnostic(Severity::note, "fmt", std::move(msg), doc_.at(n)));
    }

    /// The key node of `map[key]`, for its column.
    static YAML::Node key_of(const YAML::Node& map, const char* key) {
        for (const auto& kv : map)
            if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first;
        return {};
    }

    bool range(const YAML::Node& key, const YAML::Node& v, std::size_t& b, std::size_t& e) {
        if (v.Mark().is_null() || v.Mark().pos < 0 || key.Mark().pos < 0) return false;
        b = static_cast<std::size_t>(v.Mark().pos);
        int parent = indentation(t_, line_start(t_, static_cast<std::size_t>(key.Mark().pos)));
        // A key after `- ` is indented by its column, not by the dash's.
        parent = std::max(parent, key.Mark().column);
        e = scalar_end(t_, b, parent);
        return e != std::string::npos && e > b;
    }

    void condition(const YAML::Node& map, const char* name) {
        const YAML::Node v = map[name];
        const YAML::Node key = key_of(map, name);
        if (!v || !v.IsScalar() || !key) return;
        std::size_t b = 0, e = 0;
        if (!range(key, v, b, e)) {
            note(v, std::string("left as written: the shape of this '") + name +
                        "' scalar is not one sanx fmt edits");
            return;
        }
        auto l = layout(v.Scalar());
        if (!l) {
            if (has_comment(v.Scalar())) note(v, "left as written: the expression has comments");
            return;  // a syntax error: lint reports it
        }
        // A comment on the scalar's line moves with it: after a one-line scalar, or on the
        // header of a block scalar (where text after the scalar would be its content).
        std::string comment, gap = "  ";  // the spaces before the comment
        if (t_[b] == '|' || t_[b] == '>') {
            std::size_t header_end = t_.find('\n', b);
            std::size_t hash = t_.find('#', b);
            if (hash < header_end) comment = trimmed(t_.substr(hash, header_end - hash));
        } else {
            std::size_t le = std::min(t_.find('\n', e), t_.size());
            std::size_t p = t_.find_first_not_of(" \t", e);
            if (p < le && t_[p] == '#') {
                gap = t_.substr(e, p - e);
                comment = trimmed(t_.substr(p, le - p));
                e = p + comment.size();
            }
        }
        const std::string after = comment.empty() ? "" : gap + comment;
        const int key_col = key.Mark().column;
        std::string one_line = source::double_quoted(l->flat());
        std::string out;
        bool plain_chars = l->flat().find_first_of("\"\\") == std::string::npos;
        // Inside a flow mapping (`- {id: L, when: ...}`) a block scalar cannot stand.
        const std::size_t ks = static_cast<std::size_t>(key.Mark().pos);
        const std::size_t ls = line_start(t_, ks);
        const bool flow = std::count(t_.begin() + static_cast<std::ptrdiff_t>(ls),
                                     t_.begin() + static_cast<std::ptrdiff_t>(ks), '{') >
                          std::count(t_.begin() + static_cast<std::ptrdiff_t>(ls),
                                     t_.begin() + static_cast<std::ptrdiff_t>(ks), '}');
        if (flow) {
            out = source::double_quoted(l->flat()) + after;
        } else if (plain_chars && key_col + static_cast<int>(std::string(name).size()) + 2 +
                                          static_cast<int>(one_line.size()) <=
                                      width_) {
            out = one_line + after;
        } else {
            const int indent = key_col + 2;
            out = ">-" + (comment.empty() ? "" : "  " + comment) + "\n" +
                  std::string(static_cast<std::size_t>(indent), ' ') + l->render(indent, width_);
        }
        if (t_.compare(b, e - b, out) != 0)
            edits_.push_back({b, e, out, doc_.at(v), std::string("this '") + name + "'"});
    }

    static std::string trimmed(std::string s) {
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
            s.pop_back();
        return s;
    }

    void message(const YAML::Node& map, const char* name) {
        const YAML::Node v = map[name];
        if (!v || !v.IsScalar()) return;
        const std::string& s = v.Scalar();
        source::ScalarOrigin origin{doc_.src, static_cast<std::size_t>(std::max(0, v.Mark().pos)),
                                    true};
        const char style = t_[origin.pos];
        for (std::size_t at = 0;;) {
            std::size_t open = s.find("{{", at);
            if (open == std::string::npos) break;
            std::size_t close = s.find("}}", open + 2);
            if (close == std::string::npos) break;
            at = close + 2;
            std::string hole = s.substr(open + 2, close - open - 2);
            auto l = layout(hole);
            if (!l) continue;
            std::string want = " " + l->flat() + " ";
            if (want == hole) continue;
            // Map the hole's value range back to the file; edit only when the file holds the
            // same characters there (no escapes, no line folding inside the hole).
            Location lb = origin.locate(s, open + 2, 1);
            Location le = origin.locate(s, close, 1);
            std::size_t fb = offset(lb), fe = offset(le);
            if (fb == std::string::npos || fe == std::string::npos || fe < fb) continue;
            std::string source = t_.substr(fb, fe - fb);
            std::string as_value = source;
            if (style == '\'') {
                for (std::size_t i = 0; (i = as_value.find("''", i)) != std::string::npos; ++i)
                    as_value.erase(i, 1);
            }
            if (as_value != hole || (style == '"' && source.find('\\') != std::string::npos) ||
                source.find('\n') != std::string::npos) {
                note(v, "left a '{{ }}' hole as written: it spans an escape or a line break");
                continue;
            }
            std::string repl = want;
            if (style == '"' && repl.find_first_of("\"\\") != std::string::npos) continue;
            if (style == '\'') {
                std::string q;
                for (char c : repl) q += c == '\'' ? std::string("''") : std::string(1, c);
                repl = q;
            }
            if (style != '"' && style != '\'' && style != '|' && style != '>' &&
                (repl.find(": ") != std::string::npos || repl.find(" #") != std::string::npos))
                continue;
            edits_.push_back({fb, fe, repl, doc_.at(v), "a '{{ }}' hole of this message"});
        }
    }

    void relation(const YAML::Node& v) {
        if (!v.IsScalar() || v.Mark().pos < 0) return;
        auto parsed = dsl::parse_relation(v.Scalar());
        if (!parsed.issues.empty()) return;
        const auto& r = parsed.tree;
        auto words = [](const std::vector<ast::word>& ws) {
            std::string out;
            for (const auto& w : ws) out += (out.empty() ? "" : ", ") + w.text;
            return out;
        };
        std::string canon = r.subject.text + " " + r.relation.text + " " + words(r.objects);
        if (!r.via.empty()) canon += " via " + words(r.via);
        if (r.since) canon += " since " + r.since->text;
        if (r.until) canon += " until " + r.until->text;
        if (canon == v.Scalar()) return;
        std::size_t b = static_cast<std::size_t>(v.Mark().pos);
        char c = t_[b];
        if (c == '"' || c == '\'' || c == '|' || c == '>') return;  // leave quoted ones alone
        std::size_t le = t_.find('\n', b);
        if (le == std::string::npos) le = t_.size();
        std::size_t e = b + v.Scalar().size();
        if (e > le || t_.compare(b, e - b, v.Scalar()) != 0) return;  // folded over lines
        edits_.push_back({b, e, canon, doc_.at(v), "this relation"});
    }

    std::size_t offset(const Location& l) const {
        if (!l.known()) return std::string::npos;
        std::size_t pos = 0;
        for (int line = 1; line < l.line; ++line) {
            pos = t_.find('\n', pos);
            if (pos == std::string::npos) return std::string::npos;
            ++pos;
        }
        return pos + static_cast<std::size_t>(l.column - 1);
    }

    const PackDoc& doc_;
    const std::string& t_;
    std::vector<Diagnostic>& diags_;
    int width_;
    std::vector<Edit> edits_;
};

/// The two documents have the same structure and values, except that formatted expressions
/// have the same canonical text; guards against a scalar range computed wrongly.
bool same_document(const YAML::Node& a, const YAML::Node& b, const std::string& path) {
    if (a.Type() != b.Type()) return false;
    if (a.IsScalar()) {
        if (a.Scalar() == b.Scalar()) return true;
        bool expression = path.size() >= 5 && path.compare(path.size() - 5, 5, "/when") == 0;
        bool message = path.size() >= 8 && path.compare(path.size() - 8, 8, "/message") == 0;
        bool relation = path.rfind("/relations/", 0) == 0;
        if (expression) {
            auto la = layout(a.Scalar()), lb = layout(b.Scalar());
            return la && lb && la->flat() == lb->flat();
        }
        if (message || relation) {
            auto squeeze = [](const std::string& s) {
                std::string out;
                for (char c : s)
                    if (c != ' ') out += c;
                return out;
            };
            // Holes and statements differ in spaces and quote style only.
            std::string x = squeeze(a.Scalar()), y = squeeze(b.Scalar());
            std::replace(x.begin(), x.end(), '"', '\'');
            std::replace(y.begin(), y.end(), '"', '\'');
            return x == y;
        }
        return false;
    }
    if (a.IsSequence()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_document(a[i], b[i], path + "/" + std::to_string(i))) return false;
        return true;
    }
    if (a.IsMap()) {
        if (a.size() != b.size()) return false;
        for (const auto& kv : a) {
            if (!kv.first.IsScalar()) continue;
            const std::string k = kv.first.Scalar();
            if (!b[k] || !same_document(kv.second, b[k], path + "/" + k)) return false;
        }
        return true;
    }
    return true;
}

}  // namespace

FormatResult format_pack(const std::string& name, const std::string& text) {
    FormatResult res;
    res.file = name;
    res.original = text;
    res.formatted = text;
    auto doc = parse_pack(name, text, res.diagnostics);
    if (!doc) return res;
    PackFormatter f(*doc, res.diagnostics, 100);
    auto edits = f.run();
    std::sort(edits.begin(), edits.end(),
              [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
    // Each edit is made only when the pack still reads the same with it; one that would not
    // is left as written, with a warning at its place, and the others are still made.
    auto apply = [&](const std::vector<const Edit*>& chosen) {
        std::string out = text;
        for (const Edit* e : chosen) out.replace(e->begin, e->end - e->begin, e->text);
        return out;
    };
    auto reads_the_same = [&](const std::string& out) {
        std::vector<Diagnostic> reparse;
        auto again = parse_pack(name, out, reparse);
        return again && same_document(doc->root, again->root, "");
    };
    std::vector<const Edit*> chosen;
    std::size_t limit = std::string::npos;
    for (const auto& e : edits) {
        if (e.end > limit) continue;  // overlapping: keep the later one only
        chosen.push_back(&e);
        limit = e.begin;
    }
    std::string out = apply(chosen);
    if (out == text) return res;
    if (!reads_the_same(out)) {
        std::vector<const Edit*> kept;
        for (const Edit* e : chosen) {
            if (reads_the_same(apply({e}))) {
                kept.push_back(e);
                continue;
            }
            res.diagnostics.push_back(diagnostic(
                Severity::warning, "fmt",
                "left as written: formatting " + e->what +
                    " would change what the YAML reads (a character of the new layout, such "
                    "as ': ' or ' #', means something else where it stands)",
                e->at,
                {"write the expression as a block scalar (`when: >-`) and run sanx fmt "
                 "again"}));
        }
        out = apply(kept);
        if (!reads_the_same(out)) {  // edits that are right alone and wrong together
            res.diagnostics.push_back(diagnostic(
                Severity::warning, "fmt",
                "left as written: the formatted pack would not read the same", doc->at(doc->root)));
            return res;
        }
    }
    res.formatted = std::move(out);
    return res;
}

}  // namespace sanx::tools
