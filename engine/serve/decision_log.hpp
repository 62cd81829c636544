#pragma once

// The audit trail of `sanx serve --decision-log FILE`: one JSON line per result, enough to
// show later which rules and lists cleared or flagged a party, and when.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include <sanx/result.hpp>

namespace sanx::serve {

class DecisionLog {
  public:
    DecisionLog() = default;
    ~DecisionLog();
    DecisionLog(const DecisionLog&) = delete;
    DecisionLog& operator=(const DecisionLog&) = delete;

    /// Opens `path` for appending (and again on reopen(), after a log rotation). False, with
    /// the reason in `error`, when it cannot.
    bool open(const std::string& path, std::string& error);
    bool reopen(std::string& error);
    bool enabled() const { return !path_.empty(); }

    /// Appends the lines of one request's results and flushes them. False when the file
    /// could not take them (a full disk): the caller must not answer as if it had.
    bool write(const std::string& request_id, const Report& report);

    /// One line: {request_id, time, ruleset_hash, lists: [{path, sha256}], as_of, entity,
    /// verdict, could_be?, fired: [rule...], exempted: [{rule, by}], indeterminate: [rule...],
    /// rejected?}.
    static std::string line(const std::string& request_id, const std::string& time,
                            const Provenance& provenance, const Result& result);

  private:
    std::mutex mutex_;
    std::string path_;
    std::FILE* file_ = nullptr;
};

/// A time as RFC 3339 UTC with milliseconds: 2026-12-01T23:59:00.123Z (the decision log's
/// and the CLI's JSON log's `time`).
std::string utc_text(std::chrono::system_clock::time_point t = std::chrono::system_clock::now());

}  // namespace sanx::serve
