#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "check/node.hpp"
#include "dsl/ast.hpp"

namespace sanx::check {

struct CheckResult {
    std::optional<Checked> checked;  ///< set when there were no errors
    std::vector<Issue> issues;
};

struct CheckOptions {
    /// The regime of the rule being checked (`regime.id`, ...); absent for licences.
    std::optional<eval::Value> regime;
    /// Names bound at evaluation time through Frame::variables (`x`, or qualified `a.b`).
    std::set<std::string> variables;
    /// Unknown variables and functions become errors at evaluation time instead of check
    /// errors, and type errors are not reported, as CEL does when type-checking is skipped (the
    /// conformance runner's `disable_check`). Rule packs never set this.
    bool defer_name_errors = false;
};

/// Parses and checks an expression in one step: syntax errors, then name, arity and type
/// errors (check/binder.hpp).
CheckResult compile(std::string_view text, const Vocabulary& vocab, const CheckOptions& opts = {});

}  // namespace sanx::check
