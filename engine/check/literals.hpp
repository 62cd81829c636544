#pragma once

// Literal tokens decoded to values: numbers with CEL's range rules, strings and bytes with
// every escape form. Errors point at the character that is wrong.

#include <vector>

#include "check/node.hpp"
#include "dsl/ast.hpp"

namespace sanx::check::literals {

/// A number token, negated when a `-` directly precedes it (so that the most negative int
/// fits).
eval::Value number(const dsl::ast::literal& l, bool negative, std::vector<Issue>& issues);

/// A string or bytes token in any quote form, raw or with escapes.
eval::Value string(const dsl::ast::literal& l, std::vector<Issue>& issues);

}  // namespace sanx::check::literals
