// `sanx fmt`: canonical layout of the expressions inside rule packs. Expressions are printed
// from their syntax tree, so formatting cannot change what they mean; the pack's YAML is
// edited in place at the formatted scalars, so comments and everything else stay.

#include <algorithm>
#include <map>
#include <set>

#include <sanx/tools.hpp>

#include "dsl/parse.hpp"
#include "source/source.hpp"
#include "tools/pack_yaml.hpp"

namespace sanx::tools {

namespace {

namespace ast = dsl::ast;
namespace x3 = boost::spirit::x3;

// ---- a layout tree: what may break, and where ----------------------------------------------

struct L {
    enum Kind { atom, chain, call, paren } kind = atom;
    std::string text;              ///< atom: the text; call: the callee (`entity.goods.all`)
    std::string open, close;       ///< call: `(` `)` or `[` `]`
    std::vector<L> kids;           ///< chain: items; call: arguments; paren: the inner one
    std::vector<std::string> ops;  ///< chain: the operators between items
    bool breaks = false;           ///< chain of `&&` / `||`: may break after an operator
    std::string flat;              ///< the whole node on one line
};

bool ident_shaped(const std::string& s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return s != "true" && s != "false" && s != "null" && s != "in";
}

/// A string literal with single quotes where that keeps its value: `"a"` -> `'a'`.
std::string string_literal(const std::string& t) {
    std::size_t q = t.find_first_of("'\"");
    if (q == std::string::npos) return t;
    std::string prefix = t.substr(0, q);
    bool raw = prefix.find_first_of("rR") != std::string::npos;
    if (raw || t[q] != '"' || t.compare(q, 3, "\"\"\"") == 0) return t;
    std::string body = t.substr(q + 1, t.size() - q - 2);
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c == '\\' && i + 1 < body.size()) {
            if (body[i + 1] == '"')
                out += '"';
            else
                out += body.substr(i, 2);
            ++i;
            continue;
        }
        if (c == '\'') return t;  // would need escaping: keep the double quotes
        out += c;
    }
    return prefix + "'" + out + "'";
}

class Builder {
  public:
    L expression(const ast::expression& e) {
        L cond = binary(e.condition);
        if (!e.tail) return cond;
        L c;
        c.kind = L::chain;
        c.kids.push_back(std::move(cond));
        c.kids.push_back(binary(e.tail->then_branch));
        c.kids.push_back(expression(e.tail->else_branch.get()));
        c.ops = {"?", ":"};
        return finish(std::move(c));
    }

  private:
    static L finish(L l) {
        switch (l.kind) {
            case L::atom:
                l.flat = l.text;
                break;
            case L::chain:
                l.flat = l.kids[0].flat;
                for (std::size_t i = 1; i < l.kids.size(); ++i)
                    l.flat += " " + l.ops[i - 1] + " " + l.kids[i].flat;
                break;
            case L::call:
                l.flat = l.text + l.open;
                for (std::size_t i = 0; i < l.kids.size(); ++i)
                    l.flat += (i ? ", " : "") + l.kids[i].flat;
                l.flat += l.close;
                break;
            case L::paren:
                l.flat = "(" + l.kids[0].flat + ")";
                break;
        }
        return l;
    }
    static L atom_of(std::string s) {
        L l;
        l.text = std::move(s);
        return finish(std::move(l));
    }

    L binary(const ast::binary& b) {
        L first = operand(b.first);
        if (b.rest.empty()) return first;
        L c;
        c.kind = L::chain;
        c.kids.push_back(std::move(first));
        for (const auto& op : b.rest) {
            c.ops.push_back(op.op);
            c.kids.push_back(operand(op.rhs));
        }
        c.breaks = c.ops[0] == "&&" || c.ops[0] == "||";
        return finish(std::move(c));
    }

    L operand(const ast::operand& o) {
        if (const auto* u = boost::get<ast::unary>(&o.get())) return unary(*u);
        return binary(boost::get<x3::forward_ast<ast::binary>>(o.get()).get());
    }

    L unary(const ast::unary& u) {
        L m = member(u.operand);
        if (u.ops.empty()) return m;
        if (m.kind == L::atom) return atom_of(u.ops + m.text);
        if (m.kind == L::call) {
            m.text = u.ops + m.text;
            return finish(std::move(m));
        }
        // `!(a || b)`: the operators stand before the parenthesis.
        L c;
        c.kind = L::call;
        c.text = u.ops;
        c.open = "(";
        c.close = ")";
        c.kids.push_back(std::move(m.kids[0]));
        return finish(std::move(c));
    }

    std::vector<L> args(const std::vector<ast::expression>& as) {
        std::vector<L> out;
        for (const auto& a : as) out.push_back(expression(a));
        return out;
    }

    L member(const ast::member& m) {
        L head = primary(m.head);
        if (m.tail.empty()) return head;
        // Everything before the last postfix stays on one line; a call at the end may break.
        std::string prefix = head.flat;
        for (std::size_t i = 0; i + 1 < m.tail.size(); ++i) prefix += postfix_flat(m.tail[i]);
        const auto& last = m.tail.back().get();
        if (const auto* s = boost::get<ast::select_op>(&last); s && s->args) {
            L c;
            c.kind = L::call;
            c.text = prefix + "." + field(s->field);
            c.open = "(";
            c.close = ")";
            c.kids = args(*s->args);
            return finish(std::move(c));
        }
        return atom_of(prefix + postfix_flat(m.tail.back()));
    }

    static std::string field(const std::string& f) { return ident_shaped(f) ? f : "`" + f + "`"; }

    std::string postfix_flat(const ast::postfix& p) {
        if (const auto* s = boost::get<ast::select_op>(&p.get())) {
            std::string out = "." + field(s->field);
            if (s->args) out += finish_call("", *s->args).flat;
            return out;
        }
        const auto& ix = boost::get<ast::index_op>(p.get());
        return "[" + expression(ix.index.get()).flat + "]";
    }

    L finish_call(const std::string& callee, const std::vector<ast::expression>& as) {
        L c;
        c.kind = L::call;
        c.text = callee;
        c.open = "(";
        c.close = ")";
        c.kids = args(as);
        return finish(std::move(c));
    }

    L primary(const ast::primary& p) {
        const auto& v = p.get();
        if (const auto* lit = boost::get<ast::literal>(&v))
            return atom_of(lit->kind == 's' ? string_literal(lit->text) : lit->text);
        if (const auto* id = boost::get<x3::forward_ast<ast::ident_or_call>>(&v)) {
            const auto& i = id->get();
            std::string name = (i.leading_dot ? "." : "") + i.name;
            if (i.args) return finish_call(name, *i.args);
            return atom_of(name);
        }
        if (const auto* l = boost::get<x3::forward_ast<ast::list_lit>>(&v)) {
            L c;
            c.kind = L::call;
            c.open = "[";
            c.close = "]";
            c.kids = args(l->get().elements);
            return finish(std::move(c));
        }
        if (const auto* m = boost::get<x3::forward_ast<ast::map_lit>>(&v)) {
            std::string out = "{";
            bool first = true;
            for (const auto& e : m->get().entries) {
                out +=
                    (first ? "" : ", ") + expression(e.key).flat + ": " + expression(e.value).flat;
                first = false;
            }
            return atom_of(out + "}");
        }
        L paren;
        paren.kind = L::paren;
        paren.kids.push_back(expression(boost::get<x3::forward_ast<ast::expression>>(v).get()));
        return finish(std::move(paren));
    }
};

// ---- rendering -----------------------------------------------------------------------------

class Printer {
  public:
    Printer(int indent, int width) : col_(indent), line_indent_(indent), width_(width) {}

    void render(const L& x, int cont, int trail) {
        if (col_ + static_cast<int>(x.flat.size()) + trail <= width_ || x.kind == L::atom) {
            emit(x.flat);
            return;
        }
        switch (x.kind) {
            case L::atom:
                break;
            case L::chain: {
                const std::size_t n = x.kids.size();
                auto trail_of = [&](std::size_t k) {
                    return k + 1 < n ? static_cast<int>(x.ops[k].size()) + 1 : trail;
                };
                render(x.kids[0], cont, trail_of(0));
                for (std::size_t k = 1; k < n; ++k) {
                    const L& item = x.kids[k];
                    if (!x.breaks) {
                        emit(" " + x.ops[k - 1] + " ");
                        render(item, cont, trail_of(k));
                        continue;
                    }
                    emit(" " + x.ops[k - 1]);
                    if (col_ + 1 + static_cast<int>(item.flat.size()) + trail_of(k) <= width_) {
                        emit(" ");
                    } else {
                        newline(cont);
                    }
                    render(item, cont, trail_of(k));
                }
                break;
            }
            case L::call: {
                emit(x.text + x.open);
                const int nest = line_indent_ + 2;
                const std::size_t n = x.kids.size();
                for (std::size_t i = 0; i < n; ++i) {
                    const L& a = x.kids[i];
                    int t = i + 1 < n ? 1 : static_cast<int>(x.close.size()) + trail;
                    if (i > 0) emit(",");
                    bool fits = col_ + (i > 0) + static_cast<int>(a.flat.size()) + t <= width_;
                    if (fits || a.kind != L::atom) {
                        if (i > 0) emit(" ");
                    } else {
                        newline(nest);
                    }
                    render(a, nest, t);
                }
                emit(x.close);
                break;
            }
            case L::paren:
                emit("(");
                render(x.kids[0], line_indent_ + 1, trail + 1);
                emit(")");
                break;
        }
    }

    std::string text() const { return out_; }

  private:
    void emit(const std::string& s) {
        out_ += s;
        col_ += static_cast<int>(s.size());
    }
    void newline(int indent) {
        out_ += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
        col_ = indent;
        line_indent_ = indent;
    }

    std::string out_;
    int col_, line_indent_, width_;
};

/// `//` outside string literals: a comment the syntax tree does not keep.
bool has_comment(const std::string& text) {
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            return true;
        }
    }
    return false;
}

std::optional<L> layout(const std::string& text) {
    if (has_comment(text)) return std::nullopt;
    auto parsed = dsl::parse_expression(text);
    if (!parsed.issues.empty()) return std::nullopt;
    return Builder().expression(parsed.tree);
}

}  // namespace

std::optional<std::string> format_expression(const std::string& text, int indent, int width) {
    auto l = layout(text);
    if (!l) return std::nullopt;
    Printer p(indent, width);
    p.render(*l, indent, 0);
    return p.text();
}

// ---- editing the pack text -----------------------------------------------------------------

namespace {

struct Edit {
    std::size_t begin = 0, end = 0;
    std::string text;
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
        // A comment after the indicator would be lost: leave such scalars alone.
        for (std::size_t i = pos + 1; i < header_end; ++i)
            if (t[i] == '#') return std::string::npos;
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
        const int key_col = key.Mark().column;
        std::string one_line = source::double_quoted(l->flat);
        std::string out;
        bool plain_chars = l->flat.find_first_of("\"\\") == std::string::npos;
        // Inside a flow mapping (`- {id: L, when: ...}`) a block scalar cannot stand.
        const std::size_t ks = static_cast<std::size_t>(key.Mark().pos);
        const std::size_t ls = line_start(t_, ks);
        const bool flow = std::count(t_.begin() + static_cast<std::ptrdiff_t>(ls),
                                     t_.begin() + static_cast<std::ptrdiff_t>(ks), '{') >
                          std::count(t_.begin() + static_cast<std::ptrdiff_t>(ls),
                                     t_.begin() + static_cast<std::ptrdiff_t>(ks), '}');
        if (flow) {
            out = source::double_quoted(l->flat);
        } else if (plain_chars && key_col + static_cast<int>(std::string(name).size()) + 2 +
                                          static_cast<int>(one_line.size()) <=
                                      width_) {
            out = one_line;
        } else {
            const int indent = key_col + 2;
            Printer p(indent, width_);
            p.render(*l, indent, 0);
            out = ">-\n" + std::string(static_cast<std::size_t>(indent), ' ') + p.text();
        }
        if (t_.compare(b, e - b, out) != 0) edits_.push_back({b, e, out});
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
            std::string want = " " + l->flat + " ";
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
            edits_.push_back({fb, fe, repl});
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
        edits_.push_back({b, e, canon});
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
            return la && lb && la->flat == lb->flat;
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
    std::string out = text;
    std::size_t limit = std::string::npos;
    for (const auto& e : edits) {
        if (e.end > limit) continue;  // overlapping: keep the later one only
        out.replace(e.begin, e.end - e.begin, e.text);
        limit = e.begin;
    }
    if (out == text) return res;
    std::vector<Diagnostic> reparse;
    auto check = parse_pack(name, out, reparse);
    if (!check || !same_document(doc->root, check->root, "")) {
        res.diagnostics.push_back(
            diagnostic(Severity::error, "fmt",
                       "formatting would change the pack's structure; the file is left as it is",
                       Location{name, 0, 0, 1, {}}));
        return res;
    }
    res.formatted = std::move(out);
    return res;
}

}  // namespace sanx::tools
