#pragma once

// The server's counters, in the Prometheus text exposition format (version 0.0.4).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace sanx::serve {

class Metrics {
  public:
    /// Upper bounds of the latency histogram's buckets, in seconds (+Inf follows).
    static constexpr std::array<double, 14> buckets{
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

    /// One answered request: its route (`/v1/check`, or `other` for a path we do not
    /// serve), status, and seconds from its headers to its answer (negative: unknown).
    void request(const std::string& route, int status, double seconds);
    /// One result of a check, by verdict (`rejected` for a record not evaluated).
    void decision(const std::string& verdict);
    /// A reload that swapped in a new ruleset (`ok`) or kept the old one (`failed`).
    void reload(bool ok);

    /// Everything, with `ruleset_hash` and `generation` as the ruleset's info and the time
    /// it was loaded (seconds since the epoch).
    std::string render(const std::string& ruleset_hash, std::uint64_t generation,
                       double loaded_at) const;

  private:
    struct Histogram {
        std::array<std::uint64_t, buckets.size()> counts{};  ///< not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;  ///< by route, status
    std::map<std::string, Histogram> latency_;                       ///< by route
    std::map<std::string, std::uint64_t> decisions_;                 ///< by verdict
    std::uint64_t reloads_ok_ = 0, reloads_failed_ = 0;
};

}  // namespace sanx::serve
