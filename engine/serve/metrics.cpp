#include "serve/metrics.hpp"

#include <cstdio>

namespace sanx::serve {

void Metrics::request(const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    if (seconds < 0) return;
    Histogram& h = latency_[route];
    std::size_t b = 0;
    while (b < buckets.size() && seconds > buckets[b]) ++b;
    if (b < buckets.size()) ++h.counts[b];
    ++h.count;
    h.sum += seconds;
}

void Metrics::decision(const std::string& verdict) {
    std::lock_guard lock(mutex_);
    ++decisions_[verdict];
}

void Metrics::reload(bool ok) {
    std::lock_guard lock(mutex_);
    ++(ok ? reloads_ok_ : reloads_failed_);
}

namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace

std::string Metrics::render(const std::string& ruleset_hash, std::uint64_t generation,
                            double loaded_at) const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP sanx_http_requests_total HTTP requests answered, by route and status.\n";
    out += "# TYPE sanx_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out += "sanx_http_requests_total{route=\"" + key.first + "\",status=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
    out += "# HELP sanx_http_errors_total HTTP requests answered with a status of 400 or more.\n";
    out += "# TYPE sanx_http_errors_total counter\n";
    for (const auto& [key, n] : requests_)
        if (key.second >= 400)
            out += "sanx_http_errors_total{route=\"" + key.first + "\",status=\"" +
                   std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
    out +=
        "# HELP sanx_http_request_duration_seconds Time from a request's headers to its "
        "answer.\n";
    out += "# TYPE sanx_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        const std::string label = "route=\"" + route + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < buckets.size(); ++b) {
            cumulative += h.counts[b];
            out += "sanx_http_request_duration_seconds_bucket{" + label + ",le=\"" +
                   number(buckets[b]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "sanx_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
               std::to_string(h.count) + "\n";
        out += "sanx_http_request_duration_seconds_sum{" + label + "} " + number(h.sum) + "\n";
        out += "sanx_http_request_duration_seconds_count{" + label + "} " +
               std::to_string(h.count) + "\n";
    }
    out += "# HELP sanx_decisions_total Results of checks, by verdict.\n";
    out += "# TYPE sanx_decisions_total counter\n";
    for (const auto& [verdict, n] : decisions_)
        out += "sanx_decisions_total{verdict=\"" + verdict + "\"} " + std::to_string(n) + "\n";
    out += "# HELP sanx_reloads_total Reloads of the packs and lists, by outcome.\n";
    out += "# TYPE sanx_reloads_total counter\n";
    out += "sanx_reloads_total{outcome=\"ok\"} " + std::to_string(reloads_ok_) + "\n";
    out += "sanx_reloads_total{outcome=\"failed\"} " + std::to_string(reloads_failed_) + "\n";
    out += "# HELP sanx_ruleset_info The ruleset being served.\n";
    out += "# TYPE sanx_ruleset_info gauge\n";
    out += "sanx_ruleset_info{hash=\"" + ruleset_hash + "\",generation=\"" +
           std::to_string(generation) + "\"} 1\n";
    out +=
        "# HELP sanx_ruleset_loaded_timestamp_seconds When the ruleset being served was "
        "loaded.\n";
    out += "# TYPE sanx_ruleset_loaded_timestamp_seconds gauge\n";
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%.3f", loaded_at);
    out += "sanx_ruleset_loaded_timestamp_seconds " + std::string(stamp) + "\n";
    return out;
}

}  // namespace sanx::serve
