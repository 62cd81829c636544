// The batch pipeline, measured: entities per second for evaluation alone, for reading,
// checking and writing JSON lines in process, and end to end (`sanx check` from a JSON-lines
// file, with its peak memory), each with and without the findings' `because` (what
// explanations cost), for --jobs 1 and 2, on deterministic workloads of 10k, 100k and 1M
// entities. SANX_BENCH_SIZES=10000,100000 picks other sizes.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "generate.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Run {
    double seconds = 0;
    long max_rss_kb = 0;
    int status = 0;
};

/// Runs a command with stdout and stderr to /dev/null and returns its wall time and peak
/// memory. posix_spawn, not fork: a forked child would count this process's pages as its own.
Run run(const std::vector<std::string>& argv) {
    auto start = Clock::now();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return {0, 0, 127};
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    return {seconds_since(start), usage.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

std::vector<std::uint64_t> sizes() {
    std::vector<std::uint64_t> out{10000, 100000, 1000000};
    if (const char* env = std::getenv("SANX_BENCH_SIZES")) {
        out.clear();
        std::stringstream ss(env);
        for (std::string item; std::getline(ss, item, ',');) out.push_back(std::stoull(item));
    }
    return out;
}

/// Entities per second in process, the best of `repeat` runs: evaluation alone, or
/// reading, checking and writing JSON lines (to memory) together; with and without the
/// findings' `because`, one after the other so that a slower spell of the machine hits both.
struct InProcess {
    double eval = 0;
    double pipeline = 0;
};

std::array<InProcess, 2> in_process(const sanx::Ruleset& ruleset, const sanx::Input& input,
                                    const std::string& file, std::uint64_t n, unsigned jobs,
                                    int repeat) {
    std::array<InProcess, 2> best;  // [0] with because, [1] without
    for (int i = 0; i < repeat; ++i) {
        for (int mode = 0; mode < 2; ++mode) {
            sanx::CheckOptions opts;
            opts.as_of = "2025-06-01";
            opts.jobs = jobs;
            opts.stream = true;
            opts.because = mode == 0;
            auto start = Clock::now();
            ruleset.check(input, opts, [](sanx::Result&&) {});
            best[mode].eval =
                std::max(best[mode].eval, static_cast<double>(n) / seconds_since(start));

            start = Clock::now();
            auto read = ruleset.read({file});
            auto provenance = ruleset.provenance(read.input, opts);
            std::size_t bytes = 0;
            ruleset.check(read.input, opts, [&](sanx::Result&& r) {
                bytes += sanx::to_json_line(r, provenance).size();
            });
            best[mode].pipeline =
                std::max(best[mode].pipeline, static_cast<double>(n) / seconds_since(start));
        }
    }
    return best;
}

}  // namespace

int main() {
    const std::string rules = SANX_SOURCE_DIR "/rules";
    const std::string sanx = SANX_CLI;
    const int repeat =
        std::getenv("SANX_BENCH_REPEAT") ? std::atoi(std::getenv("SANX_BENCH_REPEAT")) : 3;
    auto loaded = sanx::Ruleset::load({rules});
    if (!loaded.ruleset) {
        std::fputs(sanx::render(loaded.diagnostics).c_str(), stderr);
        return 2;
    }
    // "eval" is evaluation alone, "pipeline" reads, checks and writes JSON lines in process,
    // "sanx check" runs the CLI from a file to /dev/null (before this process holds any
    // input, so that the peak RSS is the CLI's own); each with the findings' `because` and
    // without ("-b": CheckOptions::because off, `--no-because`), the best of
    // SANX_BENCH_REPEAT runs (3 by default). "cost" is what `because` takes off throughput.
    std::printf("%-8s %-4s %10s %10s %10s %10s %5s %10s %10s %5s %9s\n", "entities", "jobs", "eval",
                "eval -b", "pipeline", "pipe -b", "cost", "sanx", "sanx -b", "cost", "peak RSS");
    auto cost = [](double with, double without) { return 100.0 * (1.0 - with / without); };
    for (auto n : sizes()) {
        auto file =
            std::filesystem::temp_directory_path() / ("sanx-bench-" + std::to_string(n) + ".jsonl");
        {
            std::ofstream out(file, std::ios::binary);
            sanx::bench::generate(out, n);
        }
        struct Cli {
            double with = 0, without = 0;  // entities per second
            long max_rss_kb = 0;
        };
        std::array<Cli, 2> cli;  // by jobs - 1
        for (unsigned jobs : {1u, 2u}) {
            for (int i = 0; i < repeat; ++i) {
                for (bool because : {true, false}) {
                    std::vector<std::string> argv{
                        sanx,         "check",    "--rules", rules,    "--as-of",
                        "2025-06-01", "--format", "jsonl",   "--jobs", std::to_string(jobs)};
                    if (!because) argv.push_back("--no-because");
                    argv.push_back(file.string());
                    Run r = run(argv);
                    if (r.status > 1) {
                        std::fprintf(stderr, "sanx check failed with status %d\n", r.status);
                        return 2;
                    }
                    double rate = static_cast<double>(n) / r.seconds;
                    Cli& c = cli[jobs - 1];
                    (because ? c.with : c.without) = std::max(because ? c.with : c.without, rate);
                    c.max_rss_kb = std::max(c.max_rss_kb, r.max_rss_kb);
                }
            }
        }
        auto read = loaded.ruleset->read({file.string()});
        if (sanx::has_errors(read.diagnostics)) {
            std::fputs(sanx::render(read.diagnostics).c_str(), stderr);
            return 2;
        }
        for (unsigned jobs : {1u, 2u}) {
            auto [with, without] =
                in_process(*loaded.ruleset, read.input, file.string(), n, jobs, repeat);
            const Cli& c = cli[jobs - 1];
            std::printf(
                "%-8llu %-4u %8.0f/s %8.0f/s %8.0f/s %8.0f/s %4.0f%% %8.0f/s %8.0f/s %4.0f%% %5.0f "
                "MiB\n",
                static_cast<unsigned long long>(n), jobs, with.eval, without.eval, with.pipeline,
                without.pipeline, cost(with.pipeline, without.pipeline), c.with, c.without,
                cost(c.with, c.without), static_cast<double>(c.max_rss_kb) / 1024.0);
            std::fflush(stdout);
        }
        std::filesystem::remove(file);
    }
    return 0;
}
