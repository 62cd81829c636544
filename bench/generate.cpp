#include "generate.hpp"

#include <algorithm>
#include <array>

namespace sanx::bench {

namespace {

/// splitmix64: small, fast and the same on every platform.
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    template <typename A>
    const auto& pick(const A& a) {
        return a[below(a.size())];
    }
};

constexpr std::array<const char*, 12> countries{"KZ", "KZ", "KZ", "KG", "UZ", "RU",
                                                "RU", "BY", "CN", "DE", "TR", "AE"};
constexpr std::array<const char*, 14> sectors{
    "agriculture", "banking",    "electronics",     "logistics",    "oil_gas",
    "defense",     "retail",     "pharmaceuticals", "construction", "machinery",
    "metals",      "technology", "wholesale",       "energy"};
constexpr std::array<const char*, 12> goods{"1001",   "100199", "854231", "854239",
                                            "847150", "848210", "3004",   "9018",
                                            "2709",   "6109",   "870421", "852691"};
constexpr std::array<const char*, 3> authorities{"OFAC", "EU", "UK"};

std::string id_of(std::uint64_t i) { return "e" + std::to_string(i); }

}  // namespace

void generate(std::ostream& out, std::uint64_t count, std::uint64_t seed) {
    Rng rng{seed};
    for (std::uint64_t i = 0; i < count; ++i) {
        bool bank = rng.below(10) == 0;
        out << "{\"id\":\"" << id_of(i) << "\",\"type\":\"" << (bank ? "bank" : "company")
            << "\",\"name\":\"Entity " << i << "\",\"country\":\"" << rng.pick(countries)
            << "\",\"sectors\":[\"" << rng.pick(sectors) << "\"]";
        out << ",\"goods\":[";
        for (std::uint64_t g = 0, n = 1 + rng.below(3); g < n; ++g)
            out << (g ? "," : "") << '"' << rng.pick(goods) << '"';
        out << "],\"counterparties\":[";
        for (std::uint64_t c = 0, n = 1 + rng.below(4); c < n; ++c)
            out << (c ? "," : "") << "{\"id\":\"" << id_of(rng.below(count)) << "\"}";
        out << "],\"owners\":[";
        std::uint64_t left = 100;  // shares never add up to more than 100 %
        for (std::uint64_t o = 0, n = rng.below(3); o < n && left > 10; ++o) {
            std::uint64_t share = 10 + rng.below(std::min<std::uint64_t>(left - 9, 60));
            left -= share;
            out << (o ? "," : "") << "{\"id\":\"" << id_of(rng.below(count))
                << "\",\"share\":" << share << "}";
        }
        out << "],\"listings\":[";
        if (rng.below(100) == 0)
            out << "{\"authority\":\"" << rng.pick(authorities)
                << "\",\"list\":\"SDN\",\"program\":\"RUSSIA-EO14024\",\"from\":\"2022-04-06\"}";
        out << "]}\n";
    }
}

}  // namespace sanx::bench
