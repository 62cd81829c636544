#pragma once

// A session binds what every evaluation needs: the packs, an input, and the date they are
// read on. Ruleset::check, `sanx eval`, `sanx explain`, `sanx graph`, rule-test coverage and
// the report writers all open one, so the date, the licences in force and the ownership
// states are decided in one place.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sanx/diagnostic.hpp>

#include "common/value.hpp"
#include "io/input.hpp"
#include "ownership/fixpoint.hpp"
#include "packs/model.hpp"
#include "runtime/domain.hpp"

namespace sanx::detail {

/// The date a check runs on: `option` when given, else the input's `as_of`, else today.
/// Nullopt, with `error` set, when `option` is not a day of the calendar (2025-02-30).
std::optional<eval::Date> resolve_as_of(const std::optional<std::string>& option,
                                        const InputData& in, std::string* error = nullptr);

/// A rule of the packs that is in force on the session's date.
struct RuleInForce {
    const Regime* regime;
    const Rule* rule;
};

/// The ownership and control edges of an input on a date, and every authority's fixpoint
/// over them: computed once per input, ruleset and date, and shared by the sessions of the
/// input's parts (InputData::derived).
struct Ownership {
    ownership::Graph graph;
    PackDomain::States states;
};

class Session {
  public:
    /// Opens a session on `as_of` (see resolve_as_of): null, with `why` set, when the date
    /// is not one. The model and the input must outlive the session. `jobs` threads build
    /// the ownership graph when this input has none for the date yet (0: one per core).
    static std::unique_ptr<const Session> open(const Model& model, const InputData& in,
                                               const std::optional<std::string>& as_of,
                                               Diagnostic* why = nullptr, unsigned jobs = 1);

    const Model& model() const { return model_; }
    const InputData& input() const { return in_; }
    eval::Date as_of() const { return domain_.as_of(); }
    /// The domain functions' facts on the date, ownership states included.
    const PackDomain& domain() const { return domain_; }
    /// The ownership and control edges in force on the date.
    const ownership::Graph& graph() const { return ownership_->graph; }
    /// Rules in force, in pack order.
    const std::vector<RuleInForce>& rules() const { return rules_; }
    /// Licences in force, less the versions retired by a successor that has been issued,
    /// even if that successor has since expired: an expired GL 8L does not revive GL 8K.
    const std::vector<const Licence*>& licences() const { return licences_; }
    /// The ownership data problems of the input (shares over 100 %, ...), as warnings at
    /// the record that declared them.
    std::vector<Diagnostic> hazards() const;

    Session(const Model& model, const InputData& in, eval::Date as_of, unsigned jobs = 1);

  private:
    const Model& model_;
    const InputData& in_;
    PackDomain domain_;
    std::shared_ptr<const Ownership> ownership_;
    std::vector<RuleInForce> rules_;
    std::vector<const Licence*> licences_;
};

}  // namespace sanx::detail
