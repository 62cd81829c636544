#pragma once

// Views of checked expression trees that the tools share: a canonical text of a tree (to
// compare trees whatever their positions and layout), constant folding for the linter, and
// the branch points that coverage counts.

#include <optional>
#include <string>
#include <vector>

#include "check/node.hpp"

namespace sanx::tools::tree {

/// The tree as text, without positions: two trees print the same exactly when they mean
/// the same (macro variables are slots, so their names do not matter).
std::string dump(const check::Node& n);

/// As dump(), but `a && b` and `b && a` (and chains of `&&` / `||`) print the same: CEL's
/// logical operators are commutative.
std::string normalized(const check::Node& n);

/// The condition's value when it does not depend on the entity or the date (`false && x`,
/// `x == x`, `a || !a`); nullopt otherwise.
std::optional<bool> constant(const check::Node& n);

/// A place where a condition branches: an operand of a `&&` / `||` chain, or the body of a
/// boolean macro (all, exists, exists_one, filter).
struct BranchPoint {
    const check::Node* node = nullptr;
    std::string kind;  ///< "operand" or "macro body"
};
std::vector<BranchPoint> branch_points(const check::Node& root);

}  // namespace sanx::tools::tree
