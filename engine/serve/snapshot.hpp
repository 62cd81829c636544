#pragma once

// What the server answers with: the rule packs and the lists, loaded together and never
// changed afterwards. A reload makes a new snapshot and swaps it in; a request holds the
// snapshot it started with until it is answered.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <sanx/engine.hpp>

namespace sanx::serve {

struct Snapshot {
    std::shared_ptr<const Ruleset> ruleset;  ///< never null
    Input lists;                             ///< prepare_lists() of the --lists files
    std::vector<ListFile> list_files;        ///< their provenance, sorted by path
    std::chrono::system_clock::time_point loaded_at;
    std::uint64_t generation = 0;  ///< 1 for the first load, one more for each reload
};

/// The outcome of a load: a snapshot, or the errors that prevented one (and warnings).
struct Loaded {
    std::shared_ptr<const Snapshot> snapshot;  ///< null when there were errors
    std::vector<Diagnostic> diagnostics;
};

/// Loads the packs in `rules` and reads the `lists` files against them.
Loaded load(const std::vector<std::string>& rules, const std::vector<std::string>& lists,
            std::uint64_t generation);

}  // namespace sanx::serve
