// `sanx serve` under load: single-entity POST /v1/check with the shipped packs, over
// loopback, from C client connections that each send their next request when the last is
// answered. Spawns the sanx binary (SANX_CLI) on a free port, so the figures are the
// server's own process, allocator included. Prints requests per second, latency
// percentiles, errors, answers lost, and the server's resident memory along the run.
//
//   serve_bench [--requests N] [--connections C] [--because false]
// Targets (docs/performance.md): p50 <= 0.5 ms, p99 <= 2 ms, >= 5,000 req/s with 2
// connections, no error and no lost answer over 100k requests, memory flat.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// A Kazakh trader with a Russian defence counterparty: several rules fire, with witnesses.
const std::string body =
    R"({"id":"kz-trader","name":"Kz Trader LLP","country":"KZ","goods":["854239"],)"
    R"("counterparties":[{"id":"ru-buyer","name":"Ru Buyer JSC","country":"RU","sectors":["defense"]}]})"
    "\n";

long rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

struct Client {
    std::vector<double> latencies;  ///< seconds
    long errors = 0;
    long answers = 0;  ///< 200 with exactly one result line
};

}  // namespace

int main(int argc, char** argv) {
    long requests = 100000;
    int connections = 2;
    std::string because = "true";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--requests")
            requests = std::atol(argv[i + 1]);
        else if (a == "--connections")
            connections = std::atoi(argv[i + 1]);
        else if (a == "--because")
            because = argv[i + 1];
    }

    // The server, on any free port, logging where we can read the port.
    const std::string log = "/tmp/serve_bench." + std::to_string(getpid()) + ".log";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> args{SANX_CLI,   "serve",      "--rules", SANX_SOURCE_DIR "/rules",
                                  "--listen", "127.0.0.1:0"};
    std::vector<char*> cargs;
    for (auto& s : args) cargs.push_back(s.data());
    cargs.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, SANX_CLI, &fa, nullptr, cargs.data(), environ) != 0) {
        std::perror("serve_bench: cannot start sanx serve");
        return 2;
    }
    int port = 0;
    for (int tries = 0; tries < 300 && port == 0; ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::ifstream in(log);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        const auto at = text.find("listening on http://127.0.0.1:");
        if (at != std::string::npos) port = std::atoi(text.c_str() + at + 30);
    }
    if (port == 0) {
        std::fprintf(stderr, "serve_bench: the server did not start (see %s)\n", log.c_str());
        kill(pid, SIGTERM);
        return 2;
    }
    const std::string path = "/v1/check?format=jsonl&as_of=2025-06-01&because=" + because;

    auto drive = [&](Client& c, long n) {
        httplib::Client http("127.0.0.1", port);
        http.set_keep_alive(true);
        http.set_tcp_nodelay(true);
        c.latencies.reserve(static_cast<std::size_t>(n));
        for (long i = 0; i < n; ++i) {
            const auto t = Clock::now();
            auto res = http.Post(path, body, "application/x-ndjson");
            c.latencies.push_back(std::chrono::duration<double>(Clock::now() - t).count());
            if (!res || res->status != 200) {
                ++c.errors;
                continue;
            }
            // One answer per request: a single result line with a verdict.
            if (std::count(res->body.begin(), res->body.end(), '\n') == 1 &&
                res->body.find("\"entity\":\"kz-trader\"") != std::string::npos &&
                res->body.find("\"verdict\":\"high\"") != std::string::npos)
                ++c.answers;
        }
    };

    {  // warm up: first requests fill caches and the allocator's arenas
        Client warm;
        drive(warm, 2000);
    }
    const long rss_start = rss_kb(pid);
    std::vector<Client> clients(static_cast<std::size_t>(connections));
    std::atomic<bool> done{false};
    std::vector<long> rss_samples;
    std::thread sampler([&] {
        while (!done) {
            rss_samples.push_back(rss_kb(pid));
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });
    const auto started = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c)
        threads.emplace_back(drive, std::ref(clients[static_cast<std::size_t>(c)]),
                             requests / connections + (c < requests % connections ? 1 : 0));
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    done = true;
    sampler.join();
    const long rss_end = rss_kb(pid);

    std::vector<double> all;
    long errors = 0, answers = 0;
    for (auto& c : clients) {
        all.insert(all.end(), c.latencies.begin(), c.latencies.end());
        errors += c.errors;
        answers += c.answers;
    }
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
        return all.empty()
                   ? 0.0
                   : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))] * 1000;
    };
    const long rss_max = *std::max_element(rss_samples.begin(), rss_samples.end());
    std::printf("serve_bench: %ld requests over %d connections, because=%s\n", requests,
                connections, because.c_str());
    std::printf("  %.0f requests/s (%.2f s)\n", static_cast<double>(all.size()) / elapsed, elapsed);
    std::printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", pct(0.5),
                pct(0.9), pct(0.99), pct(0.999), all.empty() ? 0.0 : all.back() * 1000);
    std::printf("  errors %ld, answers %ld, lost %ld\n", errors, answers,
                static_cast<long>(all.size()) - errors - answers);
    std::printf("  server RSS MiB: after warm-up %.1f, max %.1f, end %.1f\n", rss_start / 1024.0,
                rss_max / 1024.0, rss_end / 1024.0);

    // The server's own view (its latency histogram): time inside the server, without the
    // client's side of loopback and scheduling.
    if (auto m = httplib::Client("127.0.0.1", port).Get("/metrics")) {
        std::istringstream lines(m->body);
        const std::string prefix =
            "sanx_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"";
        std::string line;
        std::printf("  server-side, share of checks answered within:");
        double total = 0;
        std::vector<std::pair<std::string, double>> buckets;
        while (std::getline(lines, line))
            if (line.rfind(prefix, 0) == 0) {
                const auto q = line.find('"', prefix.size());
                buckets.emplace_back(line.substr(prefix.size(), q - prefix.size()),
                                     std::atof(line.c_str() + line.rfind(' ') + 1));
            }
        if (!buckets.empty()) total = buckets.back().second;
        for (const auto& [le, n] : buckets)
            if (le == "0.00025" || le == "0.0005" || le == "0.001" || le == "0.0025" ||
                le == "0.005")
                std::printf("  %g ms %.2f%%", std::atof(le.c_str()) * 1000,
                            total ? 100 * n / total : 0.0);
        std::printf("\n");
    }

    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    std::remove(log.c_str());
    return errors == 0 && answers == requests ? 0 : 1;
}
