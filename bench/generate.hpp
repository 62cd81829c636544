#pragma once

// A deterministic workload: entities like the Kazakhstan sample's, at any size. The same
// (count, seed) always gives the same bytes.

#include <cstdint>
#include <ostream>
#include <string>

namespace sanx::bench {

/// Writes `count` entities as JSON lines: companies and banks in Central Asia, Russia,
/// China, the EU and the Gulf, with sectors, HS codes (some on the CHPL), 1-4
/// counterparties among the other entities, 0-2 owners with shares, and about 1 % of
/// them listed by OFAC, the EU or the UK.
void generate(std::ostream& out, std::uint64_t count, std::uint64_t seed = 42);

}  // namespace sanx::bench
