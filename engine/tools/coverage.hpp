#pragma once

// Branch coverage of the rules and licences by the packs' tests: which conditions fired,
// and which `&&` / `||` operands and macro bodies came out both true and false.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sanx/tools.hpp>

#include "eval/evaluator.hpp"
#include "packs/model.hpp"

namespace sanx::tools {

class CoverageState {
  public:
    explicit CoverageState(const detail::Model& model);

    /// Evaluates every rule in force on the date (and, where a rule fires, the licences that
    /// could exempt it) for every record of the input, as Ruleset::check does, noting the
    /// outcome of each branch point.
    void observe(const Ruleset& rules, const Input& input, const std::optional<std::string>& as_of);

    Coverage result() const;

  private:
    struct Slot {
        std::size_t item = 0, branch = 0;
    };
    const detail::Model& model_;
    Coverage cov_;
    std::map<const check::Node*, Slot> branches_;
    std::map<const detail::Rule*, std::size_t> rule_item_;
    std::map<const detail::Licence*, std::size_t> licence_item_;
    friend struct BranchObserver;
};

}  // namespace sanx::tools
