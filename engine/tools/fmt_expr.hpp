#pragma once

// The expression printer of `sanx fmt` (the YAML text editor is tools/fmt.cpp).

#include <optional>
#include <string>
#include <vector>

namespace sanx::tools {

/// A layout tree: what may break, and where.
struct LayoutNode {
    enum Kind { atom, chain, call, paren } kind = atom;
    std::string text;              ///< atom: the text; call: the callee (`entity.goods.all`)
    std::string open, close;       ///< call: `(` `)` or `[` `]`
    std::vector<LayoutNode> kids;  ///< chain: items; call: arguments; paren: the inner one
    std::vector<std::string> ops;  ///< chain: the operators between items
    bool breaks = false;           ///< chain of `&&` / `||`: may break after an operator
    std::string flat;              ///< the whole node on one line
};

/// An expression ready to print.
struct Layout {
    LayoutNode root;
    /// The canonical one-line text.
    const std::string& flat() const;
    /// Broken over lines to fit `width`, continuation lines indented from `indent`.
    std::string render(int indent, int width) const;
};

/// `//` outside string literals: a comment the syntax tree does not keep.
bool has_comment(const std::string& text);

/// The layout of an expression; nullopt for a syntax error or an expression with comments.
std::optional<Layout> layout(const std::string& text);

}  // namespace sanx::tools
