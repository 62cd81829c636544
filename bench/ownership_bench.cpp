// The ownership fixpoint at scale (issue 4): a generated graph of N entities with three
// owner edges each, about 1 % of them listed; time to build the dated graph and to run the
// OFAC, EU and UK fixpoints, and peak memory. SANX_BENCH_OWNERS=N picks another size.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "ownership/fixpoint.hpp"

namespace {

using sanx::eval::Value;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

sanx::detail::Authority authority(const char* id, bool inclusive, const char* aggregate,
                                  bool control) {
    sanx::detail::Authority a;
    a.id = id;
    a.ownership = {true, 50, inclusive, aggregate, "blocked_intermediates"};
    a.control.blocks = control;
    return a;
}

}  // namespace

int main() {
    std::uint64_t n = 1000000;
    if (const char* env = std::getenv("SANX_BENCH_OWNERS")) n = std::strtoull(env, nullptr, 10);
    std::uint64_t s = 7;
    auto next = [&] {  // splitmix64
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    auto t0 = Clock::now();
    std::vector<Value> entities;
    entities.reserve(n);
    std::unordered_map<std::string, std::vector<std::string>> listed;
    for (std::uint64_t i = 0; i < n; ++i) {
        sanx::eval::List owners;
        for (int k = 0; k < 3; ++k)
            owners.emplace_back(
                sanx::eval::Map{{Value("id"), Value("e" + std::to_string(next() % n))},
                                {Value("share"), Value(static_cast<double>(10 + next() % 30))}});
        entities.emplace_back(sanx::eval::Map{{Value("id"), Value("e" + std::to_string(i))},
                                              {Value("owners"), Value(std::move(owners))}});
        if (next() % 100 == 0) listed["e" + std::to_string(i)] = {"SDN"};
    }
    std::unordered_map<std::string, const Value*> by_id;
    by_id.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) by_id["e" + std::to_string(i)] = &entities[i];
    double gen = since(t0);

    sanx::eval::Date d;
    sanx::eval::parse_date("2025-06-01", d);
    auto t1 = Clock::now();
    sanx::detail::ownership::Graph graph(by_id, d);
    double build = since(t1);
    std::printf(
        "%llu entities, %llu owner edges, %zu listed; generated in %.2f s, graph built in %.2f s\n",
        static_cast<unsigned long long>(n), static_cast<unsigned long long>(3 * n), listed.size(),
        gen, build);
    for (const auto& a :
         {authority("OFAC", true, "sum", false), authority("EU", false, "sum", true),
          authority("UK", false, "joint_arrangement", true)}) {
        auto t = Clock::now();
        auto state = sanx::detail::ownership::compute(graph, a, listed);
        std::printf(
            "%-5s fixpoint %.2f s: %zu blocked (%zu through ownership or control), %zu undecided\n",
            a.id.c_str(), since(t), state.blocked.size(), state.blocked.size() - listed.size(),
            state.undecided.size());
    }
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("peak RSS %.0f MiB\n", static_cast<double>(u.ru_maxrss) / 1024.0);
    return 0;
}
