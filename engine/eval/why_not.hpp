#pragma once

// Explanations beyond the witness: the condition tree of a rule with the value of every
// node (`--explain`), and for a rule that did not fire, its nearest miss (`--why-not`).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <sanx/result.hpp>

#include "check/node.hpp"
#include "eval/evaluator.hpp"

namespace sanx::eval {

/// Where a sub-expression (begin, end offsets in the expression text) stands in the pack.
using Locate = std::function<Location(std::uint32_t begin, std::uint32_t end)>;

/// The condition tree of `expr` for the frame's entity, every node with its value. Literal
/// leaves are left out (their value is their text); a macro lists one child per element.
TraceNode trace(const check::Checked& expr, std::string_view text, Frame& frame,
                const Locate& locate);

/// For an expression that is not true: the conditions that failed or were unknown, with
/// the values seen, descending through `&&`, `||`, `!` and the closest element of a macro.
std::vector<Fact> why_not(const check::Checked& expr, std::string_view text, Frame& frame);

/// Why a domain function call (`listed`, `blocked`, `member`, `borders`, `related`,
/// `hs_match`) returned false, in words: "kz-bank is not listed by OFAC on 2025-06-01".
/// Empty for other nodes.
std::string negative_reason(const check::Node& call, Frame& frame);

}  // namespace sanx::eval
