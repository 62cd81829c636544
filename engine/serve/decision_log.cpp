#include "serve/decision_log.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

namespace sanx::serve {

DecisionLog::~DecisionLog() {
    if (file_) std::fclose(file_);
}

bool DecisionLog::open(const std::string& path, std::string& error) {
    std::lock_guard lock(mutex_);
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (!f) {
        error = "cannot open the decision log " + path + ": " + std::strerror(errno);
        return false;
    }
    if (file_) std::fclose(file_);
    file_ = f;
    path_ = path;
    return true;
}

bool DecisionLog::reopen(std::string& error) {
    if (path_.empty()) return true;
    return open(path_, error);
}

std::string DecisionLog::line(const std::string& request_id, const std::string& time,
                              const Provenance& provenance, const Result& result) {
    nlohmann::ordered_json j;
    j["request_id"] = request_id;
    j["time"] = time;
    j["ruleset_hash"] = provenance.ruleset_hash;
    auto lists = nlohmann::ordered_json::array();
    for (const auto& l : provenance.lists)
        lists.push_back({{"path", l.path}, {"sha256", l.sha256}});
    j["lists"] = std::move(lists);
    j["as_of"] = provenance.as_of;
    j["entity"] = result.entity;
    if (result.rejected) {
        j["verdict"] = nullptr;
        j["rejected"] = *result.rejected;
    } else {
        j["verdict"] = to_string(result.verdict);
        if (result.could_be) j["could_be"] = to_string(*result.could_be);
    }
    auto fired = nlohmann::ordered_json::array();
    auto exempted = nlohmann::ordered_json::array();
    for (const auto& f : result.findings) {
        if (f.exempted_by)
            exempted.push_back({{"rule", f.rule}, {"by", *f.exempted_by}});
        else
            fired.push_back(f.rule);
    }
    j["fired"] = std::move(fired);
    j["exempted"] = std::move(exempted);
    auto undecided = nlohmann::ordered_json::array();
    for (const auto& i : result.indeterminate) undecided.push_back(i.rule);
    j["indeterminate"] = std::move(undecided);
    if (!result.errors.empty()) {
        auto errors = nlohmann::ordered_json::array();
        for (const auto& e : result.errors)
            errors.push_back({{"rule", e.rule}, {"message", e.message}});
        j["errors"] = std::move(errors);
    }
    // Replacement, not an exception, for a byte that is not UTF-8: a log line is never lost.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool DecisionLog::write(const std::string& request_id, const Report& report) {
    if (path_.empty()) return true;
    const std::string time = utc_text();
    std::string lines;
    for (const auto& r : report.results) {
        lines += line(request_id, time, report.provenance, r);
        lines += '\n';
    }
    std::lock_guard lock(mutex_);
    if (!file_) return false;
    return std::fwrite(lines.data(), 1, lines.size(), file_) == lines.size() &&
           std::fflush(file_) == 0;
}

std::string utc_text(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const std::time_t secs = system_clock::to_time_t(t);
    const auto millis = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(millis));
    return stamp;
}

}  // namespace sanx::serve
