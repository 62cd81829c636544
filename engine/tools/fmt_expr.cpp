// The expression printer of `sanx fmt`: a layout tree built from the syntax tree, printed
// on one line or broken after `&&` / `||` and between arguments to fit a width. It prints
// what it parsed, so formatting cannot change what an expression means.

#include "tools/fmt_expr.hpp"

#include <sanx/tools.hpp>

#include "dsl/parse.hpp"

namespace sanx::tools {

namespace {

namespace ast = dsl::ast;
namespace x3 = boost::spirit::x3;

using L = LayoutNode;

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

}  // namespace

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

std::optional<Layout> layout(const std::string& text) {
    if (has_comment(text)) return std::nullopt;
    auto parsed = dsl::parse_expression(text);
    if (!parsed.issues.empty()) return std::nullopt;
    return Layout{Builder().expression(parsed.tree)};
}

const std::string& Layout::flat() const { return root.flat; }

std::string Layout::render(int indent, int width) const {
    Printer p(indent, width);
    p.render(root, indent, 0);
    return p.text();
}

std::optional<std::string> format_expression(const std::string& text, int indent, int width) {
    auto l = layout(text);
    if (!l) return std::nullopt;
    return l->render(indent, width);
}

}  // namespace sanx::tools
