#include "serve/snapshot.hpp"

#include <sanx/prepared_lists.hpp>

namespace sanx::serve {

Loaded load(const std::vector<std::string>& rules, const std::vector<std::string>& lists,
            std::uint64_t generation) {
    Loaded out;
    LoadResult packs = Ruleset::load(rules);
    out.diagnostics = std::move(packs.diagnostics);
    if (!packs.ruleset) return out;
    // Indexed here, once: each request shares the list parties and their name index.
    Ruleset::ReadResult read = prepare_lists(*packs.ruleset, lists);
    out.diagnostics.insert(out.diagnostics.end(), read.diagnostics.begin(), read.diagnostics.end());
    if (has_errors(read.diagnostics)) return out;
    auto snap = std::make_shared<Snapshot>();
    snap->ruleset = packs.ruleset;
    snap->list_files = packs.ruleset->provenance(read.input).lists;
    snap->lists = std::move(read.input);
    snap->loaded_at = std::chrono::system_clock::now();
    snap->generation = generation;
    out.snapshot = std::move(snap);
    return out;
}

}  // namespace sanx::serve
