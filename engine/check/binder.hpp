#pragma once

// The binder: turns a syntax tree into the checked tree. It resolves names (variables,
// sets, macros, functions), gives every node its type (check/types.hpp) and reports what
// cannot work, with the position and a did-you-mean, before anything is evaluated.

#include <string_view>
#include <vector>

#include "check/checker.hpp"

namespace sanx::check {

struct Bound {
    Node root;
    int slots = 0;
    std::vector<Issue> issues;
};

Bound bind(const dsl::ast::expression& tree, std::string_view text, const Vocabulary& vocab,
           const CheckOptions& opts);

}  // namespace sanx::check
