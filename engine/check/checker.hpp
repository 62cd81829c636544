#pragma once

#include <optional>
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
};

/// Parses and checks an expression in one step: syntax errors, then name and arity errors.
CheckResult compile(std::string_view text, const Vocabulary& vocab, const CheckOptions& opts = {});

}  // namespace sanx::check
