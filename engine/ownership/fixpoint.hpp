#pragma once

// Blocking through ownership and control, per authority (PRODUCT.md section 7): a worklist
// fixpoint over the ownership edges and listings valid on one date.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <sanx/result.hpp>

#include "common/value.hpp"
#include "packs/model.hpp"

namespace sanx::detail::ownership {

struct OwnerEdge {
    std::string owner;
    std::optional<double> share;  ///< percent; absent: unknown
    std::size_t index = 0;        ///< position in the entity's `owners`
    /// The same owner has other edges into the entity valid on the date: one holding recorded
    /// twice, or separate holdings.
    bool repeated = false;
};

struct ControlEdge {
    std::string controller;
    std::string basis;
    std::vector<std::string> with;
};

/// The ownership and control edges valid on the evaluation date, by the entity they point at.
class Graph {
  public:
    /// `entities` are every known entity by id; edges outside their dates are left out.
    /// `jobs` threads read the edges (0: one per core).
    Graph(const std::unordered_map<std::string, const eval::Value*>& entities, eval::Date as_of,
          unsigned jobs = 1);

    const std::vector<OwnerEdge>& owners(const std::string& id) const;
    const std::vector<ControlEdge>& controllers(const std::string& id) const;
    /// Entities that `id` owns or controls.
    const std::vector<std::string>& children(const std::string& id) const;

    /// Data problems found while reading the edges, by entity: shares over 100 %, edges
    /// that end before they start, owners nobody declared, shares in (0, 1) that were
    /// probably meant as fractions, an owner with several edges into one entity on the date.
    const std::vector<std::pair<std::string, std::string>>& hazards() const { return hazards_; }

  private:
    std::unordered_map<std::string, std::vector<OwnerEdge>> owners_;
    std::unordered_map<std::string, std::vector<ControlEdge>> controllers_;
    std::unordered_map<std::string, std::vector<std::string>> children_;
    std::vector<std::pair<std::string, std::string>> hazards_;
};

/// What one authority's fixpoint found.
struct AuthorityState {
    /// Blocked entities. The share and paths of one blocked through ownership rest on every
    /// blocked owner known when the fixpoint ends; paths are capped (see fixpoint.cpp).
    std::unordered_map<std::string, Blocking> blocked;
    /// Not decidable: a share that could tip the balance is unknown, or an owner's repeated
    /// edges block when added up and not when only the largest counts. Entity -> missing facts.
    std::unordered_map<std::string, std::vector<std::string>> undecided;
    /// The aggregate share held by blocked persons when the fixpoint ends, for every entity
    /// that has one; an owner's repeated edges are added up.
    std::unordered_map<std::string, double> share;
    /// Control by a blocked person that does not block under this authority (OFAC: caution).
    std::unordered_map<std::string, std::vector<std::string>> caution;
};

/// Runs the fixpoint for one authority. `listed(id)` says whether the entity is on one of
/// the authority's blocking lists on the date, with a description of the listing.
AuthorityState compute(const Graph& graph, const Authority& authority,
                       const std::unordered_map<std::string, std::vector<std::string>>& listed);

}  // namespace sanx::detail::ownership
