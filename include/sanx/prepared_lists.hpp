#pragma once

// `--lists` read and indexed once, for a program that reads many inputs against the same
// lists (a server): the list entries are merged into parties, their identifiers and names
// indexed, once; each input read against them shares that work instead of copying the
// lists and doing it again.
//
//     auto lists = sanx::prepare_lists(*ruleset, {"sdn.jsonl"});
//     for (const auto& body : requests)
//         auto read = ruleset->read_text("<request>", body, lists.input, ...);

#include <string>
#include <vector>

#include <sanx/engine.hpp>

namespace sanx {

/// Ruleset::read_lists(), then the lists' half of indexing. Ruleset::read_text(name, text,
/// lists, ...) given the result shares it: the results are those of reading against the
/// lists as read_lists() gives them, byte for byte, at a fraction of the cost. Lists whose
/// entries name counterparties no entry is (an input may declare them) are returned as
/// read_lists() reads them, and indexed with each input as before. The Input is only read
/// afterwards, so threads may share it; the inputs read against it keep what they need alive.
Ruleset::ReadResult prepare_lists(const Ruleset& ruleset, const std::vector<std::string>& lists);

}  // namespace sanx
