#include "serve/server.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <thread>

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <sanx/report.hpp>
#include <sanx/screen.hpp>
#include <sanx/tools.hpp>
#include <sanx/version.hpp>

namespace sanx::serve {

namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

/// The request a worker thread is answering: set before routing, read by the handlers and
/// the access log (httplib gives handlers no place of their own for it).
struct InFlight {
    Clock::time_point started{};
    std::string id;
    bool active = false;
};
thread_local InFlight in_flight;

/// httplib's thread pool, with a bound on the connections waiting for a worker: when it is
/// full, the server stops accepting until a worker is free, and the kernel's backlog holds
/// the rest, instead of a queue that grows without limit.
class BoundedPool final : public httplib::TaskQueue {
  public:
    BoundedPool(unsigned workers, std::size_t queue) : max_queued_(queue ? queue : 1) {
        for (unsigned i = 0; i < (workers ? workers : 1); ++i)
            threads_.emplace_back([this] { work(); });
    }
    void enqueue(std::function<void()> fn) override {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return jobs_.size() < max_queued_ || shutdown_; });
        jobs_.push_back(std::move(fn));
        not_empty_.notify_one();
    }
    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
        }
        not_empty_.notify_all();
        not_full_.notify_all();
        for (auto& t : threads_) t.join();
    }

  private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                not_empty_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
                if (jobs_.empty()) return;  // shut down, and nothing left to answer
                fn = std::move(jobs_.front());
                jobs_.pop_front();
                not_full_.notify_one();
            }
            fn();
        }
    }
    const std::size_t max_queued_;
    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> jobs_;
    bool shutdown_ = false;
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
};

const std::vector<std::string>& known_routes() {
    static const std::vector<std::string> routes{"/v1/check",  "/v1/screen", "/v1/ruleset",
                                                 "/v1/reload", "/healthz",   "/metrics"};
    return routes;
}

std::string route_of(const std::string& path) {
    for (const auto& r : known_routes())
        if (path == r) return r;
    return "other";
}

json diagnostics_json(const std::vector<Diagnostic>& diagnostics) {
    return json::parse(tools::to_json(diagnostics));
}

/// An error answer: {error, diagnostics?, rendered?}; `rendered` is what the CLI prints.
void answer_error(httplib::Response& res, int status, const std::string& message,
                  const std::vector<Diagnostic>& diagnostics = {}) {
    json j;
    j["error"] = message;
    if (!diagnostics.empty()) {
        j["diagnostics"] = diagnostics_json(diagnostics);
        j["rendered"] = render(diagnostics);
    }
    if (!in_flight.id.empty()) j["request_id"] = in_flight.id;
    res.status = status;
    res.set_content(j.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                    "application/json");
}

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

/// How the body is written: `input_format` when given, else by Content-Type (JSON lines for
/// application/x-ndjson, application/jsonl and application/json-lines, CSV for text/csv),
/// else a document.
std::optional<InputFormat> input_format_of(const httplib::Request& req, std::string& error) {
    if (req.has_param("input_format")) {
        const std::string f = req.get_param_value("input_format");
        if (f == "document") return InputFormat::document;
        if (f == "jsonl") return InputFormat::json_lines;
        if (f == "csv") return InputFormat::csv;
        error = "input_format must be document, jsonl or csv, not '" + f + "'";
        return std::nullopt;
    }
    const std::string type = req.get_header_value("Content-Type");
    for (std::string_view t : {"application/x-ndjson", "application/jsonl",
                               "application/json-lines", "application/x-jsonlines"})
        if (starts_with(type, t)) return InputFormat::json_lines;
    if (starts_with(type, "text/csv")) return InputFormat::csv;
    return InputFormat::document;
}

/// A sane request id from the client (X-Request-Id), else our own.
std::string request_id(const httplib::Request& req, const std::string& prefix, std::uint64_t n) {
    const std::string given = req.get_header_value("X-Request-Id");
    bool sane = !given.empty() && given.size() <= 128;
    for (char c : given)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
              c == ':'))
            sane = false;
    return sane ? given : prefix + "-" + std::to_string(n);
}

std::string random_prefix() {
    std::random_device rd;
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    return buf;
}

double epoch_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

/// A number 0-1 from the query parameter `name`, if given; false (with `error`) when it is
/// not one.
bool threshold_param(const httplib::Request& req, const char* name, double& into,
                     std::string& error) {
    if (!req.has_param(name)) return true;
    const std::string text = req.get_param_value(name);
    char* end = nullptr;
    const double x = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !(x >= 0 && x <= 1)) {
        error = std::string(name) + " must be a number from 0 to 1, not '" + text + "'";
        return false;
    }
    into = x;
    return true;
}

/// The screening thresholds of the query (match_threshold, review_threshold), checked as
/// the CLI checks --match-threshold and --review-threshold.
bool screening_params(const httplib::Request& req, ScreenOptions& o, std::string& error) {
    if (!threshold_param(req, "match_threshold", o.match_threshold, error) ||
        !threshold_param(req, "review_threshold", o.review_threshold, error))
        return false;
    if (!(o.review_threshold > 0 && o.review_threshold <= o.match_threshold)) {
        error = "the thresholds must hold 0 < review_threshold <= match_threshold <= 1";
        return false;
    }
    return true;
}

/// The request's body read against the snapshot's lists; null, with the answer (400) given,
/// when it has errors, so that nothing in it is evaluated.
std::optional<Ruleset::ReadResult> read_body(const httplib::Request& req, httplib::Response& res,
                                             const Snapshot& snap, const ScreenOptions& screening) {
    std::string error;
    const auto input_format = input_format_of(req, error);
    if (!input_format) {
        answer_error(res, 400, error);
        return std::nullopt;
    }
    if (req.body.empty()) {
        answer_error(res, 400,
                     "the request has no body: send a document {as_of?, entities: [...]} or JSON "
                     "lines (Content-Type: application/x-ndjson)");
        return std::nullopt;
    }
    Ruleset::ReadResult read =
        snap.ruleset->read_text("<request>", req.body, snap.lists, *input_format, {}, screening);
    if (has_errors(read.diagnostics)) {
        answer_error(res, 400, "the request has errors; nothing was evaluated", read.diagnostics);
        return std::nullopt;
    }
    return read;
}

json ruleset_json(const Snapshot& s) {
    json j;
    j["sanx"] = sanx::version();
    auto packs = json::array();
    for (const auto& p : s.ruleset->packs())
        packs.push_back(
            {{"id", p.id}, {"version", p.version}, {"title", p.title}, {"file", p.file}});
    j["ruleset"] = {{"packs", std::move(packs)}, {"hash", s.ruleset->hash()}};
    auto lists = json::array();
    for (const auto& l : s.list_files) {
        json e{{"path", l.path}, {"sha256", l.sha256}, {"records", l.records}};
        if (l.published) e["published"] = *l.published;
        lists.push_back(std::move(e));
    }
    j["lists"] = std::move(lists);
    const std::time_t t = std::chrono::system_clock::to_time_t(s.loaded_at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    j["loaded_at"] = stamp;
    j["generation"] = s.generation;
    return j;
}

}  // namespace

Server::Server(Options options, std::shared_ptr<const Snapshot> first)
    : options_(std::move(options)),
      current_(std::move(first)),
      http_(std::make_unique<httplib::Server>()) {
    routes();
}

Server::~Server() = default;

void Server::routes() {
    httplib::Server& http = *http_;
    const Options& o = options_;
    http.new_task_queue = [&o] { return new BoundedPool(o.workers, o.queue); };
    http.set_payload_max_length(o.max_body);
    http.set_read_timeout(o.timeout_seconds, 0);
    http.set_write_timeout(o.timeout_seconds, 0);
    http.set_keep_alive_timeout(5);
    http.set_keep_alive_max_count(100000);
    // Answers are small and each waits for the next request: Nagle's delay would dominate.
    http.set_tcp_nodelay(true);

    const std::string prefix = random_prefix();
    http.set_pre_routing_handler(
        [this, prefix](const httplib::Request& req, httplib::Response& res) {
            in_flight = {Clock::now(), request_id(req, prefix, next_request_++), true};
            res.set_header("X-Request-Id", in_flight.id);
            return httplib::Server::HandlerResponse::Unhandled;
        });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        const double seconds =
            in_flight.active
                ? std::chrono::duration<double>(Clock::now() - in_flight.started).count()
                : -1;
        metrics_.request(route_of(req.path), res.status, seconds);
        spdlog::debug("{} {} {} {:.3f} ms id={}", req.method, req.path, res.status, seconds * 1000,
                      in_flight.id);
        in_flight = {};
    });
    // Our own errors carry their body; httplib's (404, 413, 400 for a broken request line)
    // get one here.
    http.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                       httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message;
        if (res.status == 404) {
            message = "no route " + req.method + " " + req.path + "; the routes are POST " +
                      "/v1/check, POST /v1/screen, GET /v1/ruleset, GET /healthz, GET /metrics" +
                      (options_.allow_reload ? ", POST /v1/reload" : "");
        } else if (res.status == 413 &&
                   req.get_header_value("Content-Type") == "application/x-www-form-urlencoded") {
            // httplib parses form bodies, and refuses those over 8 KiB (curl's default type).
            message =
                "a form-encoded body is limited to 8 KiB: send the entities as "
                "application/json, application/yaml or application/x-ndjson";
        } else if (res.status == 413) {
            message = "the request body is larger than the limit of " +
                      std::to_string(options_.max_body) + " bytes (--max-body)";
        } else {
            message =
                "the request could not be read (HTTP status " + std::to_string(res.status) + ")";
        }
        answer_error(res, res.status, message);
        return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown";
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            spdlog::error("request {} failed: {}", in_flight.id, what);
            answer_error(res, 500, "internal error: " + what + "; nothing was evaluated");
        });

    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
        auto snap = current();
        json j{{"status", "ok"},
               {"ruleset_hash", snap->ruleset->hash()},
               {"generation", snap->generation}};
        res.set_content(j.dump() + "\n", "application/json");
    });
    http.Get("/v1/ruleset", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(ruleset_json(*current()).dump(2) + "\n", "application/json");
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        auto snap = current();
        res.set_content(metrics_.render(snap->ruleset->hash(), snap->generation,
                                        epoch_seconds(snap->loaded_at)),
                        "text/plain; version=0.0.4");
    });
    http.Post("/v1/screen", [this](const httplib::Request& req, httplib::Response& res) {
        const std::shared_ptr<const Snapshot> snap = current();
        ScreenOptions wanted;
        std::string error;
        if (!screening_params(req, wanted, error)) return answer_error(res, 400, error);
        if (req.has_param("max_candidates")) {
            const std::string m = req.get_param_value("max_candidates");
            if (m.empty() || m.size() > 4 || m.find_first_not_of("0123456789") != std::string::npos)
                return answer_error(
                    res, 400, "max_candidates must be a whole number up to 9999, not '" + m + "'");
            wanted.max_candidates = std::stoul(m);
        }
        const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
        if (format != "json" && format != "jsonl")
            return answer_error(res, 400, "format must be json or jsonl, not '" + format + "'");
        auto read = read_body(req, res, *snap, wanted);
        if (!read) return;
        const auto parties = sanx::screen(read->input, wanted);
        if (format == "json")
            res.set_content(to_json(parties), "application/json");
        else
            res.set_content(to_jsonl(parties), "application/x-ndjson");
    });
    http.Post("/v1/reload", [this](const httplib::Request&, httplib::Response& res) {
        if (!options_.allow_reload)
            return answer_error(res, 403,
                                "reloading over HTTP is off; start the server with "
                                "--allow-reload, or send it SIGHUP");
        Reloaded r = reload();
        if (!r.ok)
            return answer_error(
                res, 422, "the packs or lists have errors; still serving ruleset " + r.ruleset_hash,
                r.diagnostics);
        json j{{"reloaded", true}, {"ruleset_hash", r.ruleset_hash}};
        if (!r.diagnostics.empty()) j["diagnostics"] = diagnostics_json(r.diagnostics);
        res.set_content(j.dump(2) + "\n", "application/json");
    });
    http.Post("/v1/check", [this](const httplib::Request& req, httplib::Response& res) {
        // The snapshot of this request, whatever a reload does meanwhile.
        const std::shared_ptr<const Snapshot> snap = current();
        CheckOptions opts;
        opts.jobs = 1;  // requests run side by side; one record set is not split further
        if (req.has_param("as_of")) {
            const std::string as_of = req.get_param_value("as_of");
            if (!is_date(as_of))
                return answer_error(res, 400,
                                    "as_of must be a date YYYY-MM-DD, not '" + as_of + "'");
            opts.as_of = as_of;
        }
        if (req.has_param("because")) {
            const std::string b = req.get_param_value("because");
            if (b == "true" || b == "1")
                opts.because = true;
            else if (b == "false" || b == "0")
                opts.because = false;
            else
                return answer_error(res, 400, "because must be true or false, not '" + b + "'");
        }
        const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
        static const std::vector<std::string> formats{"json", "jsonl", "text", "md", "html"};
        if (std::find(formats.begin(), formats.end(), format) == formats.end())
            return answer_error(
                res, 400, "format must be json, jsonl, text, md or html, not '" + format + "'");
        ScreenOptions screening;
        std::string error;
        if (!screening_params(req, screening, error)) return answer_error(res, 400, error);
        auto read = read_body(req, res, *snap, screening);
        if (!read) return;
        Report rep = snap->ruleset->check(read->input, opts);
        // As the CLI's JSON: the input's warnings, then the ownership data's.
        rep.warnings.insert(rep.warnings.begin(), read->diagnostics.begin(),
                            read->diagnostics.end());
        if (!decisions_.write(in_flight.id, rep)) {
            spdlog::error("request {}: the decision log could not be written", in_flight.id);
            return answer_error(res, 503,
                                "the decision log could not be written; the answer is withheld "
                                "so that no decision goes unrecorded");
        }
        for (const auto& r : rep.results)
            metrics_.decision(r.rejected ? "rejected" : to_string(r.verdict));
        if (format == "json")
            res.set_content(to_json(rep), "application/json");
        else if (format == "jsonl")
            res.set_content(to_jsonl(rep), "application/x-ndjson");
        else if (format == "text")
            res.set_content(to_text(rep), "text/plain; charset=utf-8");
        else if (format == "md")
            res.set_content(to_markdown(rep), "text/markdown; charset=utf-8");
        else
            res.set_content(to_html(rep), "text/html; charset=utf-8");
    });
}

bool Server::bind(std::string& error) {
    if (!options_.decision_log.empty() && !decisions_.open(options_.decision_log, error))
        return false;
    port_ = options_.port == 0
                ? http_->bind_to_any_port(options_.host)
                : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port_ < 0) {
        error = "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                " (in use, or not an address of this machine)";
        return false;
    }
    return true;
}

bool Server::run() { return http_->listen_after_bind(); }

void Server::stop() { http_->stop(); }

Reloaded Server::reload() {
    std::lock_guard lock(reloading_);
    const auto old = current();
    Loaded loaded = load(options_.rules, options_.lists, old->generation + 1);
    Reloaded out;
    out.diagnostics = std::move(loaded.diagnostics);
    out.ok = loaded.snapshot != nullptr;
    if (out.ok) {
        current_.store(loaded.snapshot);
        spdlog::info("reloaded: ruleset {} (generation {}), {} packs, {} lists",
                     loaded.snapshot->ruleset->hash(), loaded.snapshot->generation,
                     loaded.snapshot->ruleset->packs().size(), loaded.snapshot->list_files.size());
    } else {
        spdlog::error("reload failed; still serving ruleset {} (generation {}):\n{}",
                      old->ruleset->hash(), old->generation, render(out.diagnostics));
    }
    metrics_.reload(out.ok);
    std::string error;
    if (!decisions_.reopen(error)) spdlog::error("{}", error);
    out.ruleset_hash = current()->ruleset->hash();
    return out;
}

bool parse_listen(const std::string& text, std::string& host, int& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
    const std::string p = text.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
        return false;
    port = std::stoi(p);
    return port <= 65535;
}

}  // namespace sanx::serve
