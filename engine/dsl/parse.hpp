#pragma once

// The parser's interface: text in, syntax tree or issues out. Only grammar.cpp sees Spirit.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"

namespace sanx::dsl {

/// A syntax error as a value: where in the text, and what was expected there.
struct ParseIssue {
    std::size_t offset = 0;
    std::size_t length = 1;
    std::string message;
};

struct ExpressionParse {
    ast::expression tree;
    std::vector<ParseIssue> issues;  ///< empty when the whole text parsed
};

struct RelationParse {
    ast::relation_stmt tree;
    std::vector<ParseIssue> issues;
};

/// How deep an expression may nest: brackets here, and with operator and member chains in
/// the checker (docs/limits.md).
inline constexpr std::size_t max_expression_depth = 200;
/// How long an expression may be (docs/limits.md).
inline constexpr std::size_t max_expression_bytes = std::size_t{64} << 10;

/// Parses a whole expression (UTF-8; names and operators ASCII, strings and comments any
/// text). Nesting deeper than `max_depth` brackets is an issue, not a
/// stack overflow.
ExpressionParse parse_expression(std::string_view text,
                                 std::size_t max_depth = max_expression_depth);

/// Parses one relation statement: `KZ borders RU, CN` · `KZ allied_with RU via EAEU`.
RelationParse parse_relation(std::string_view text);

}  // namespace sanx::dsl
