// The batch pipeline, measured: entities per second for evaluation alone (in process) and
// end to end (`sanx check` from JSON lines to JSON-lines results with explanations), with
// peak memory, for --jobs 1 and 2, on deterministic workloads of 10k, 100k and 1M
// entities. SANX_BENCH_SIZES=10000,100000 picks other sizes.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sanx/engine.hpp>

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

/// Runs a command with stdout to /dev/null and returns its wall time and peak memory.
Run run(const std::vector<std::string>& argv) {
    auto start = Clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
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

}  // namespace

int main() {
    const std::string rules = SANX_SOURCE_DIR "/rules";
    const std::string sanx = SANX_CLI;
    auto loaded = sanx::Ruleset::load({rules});
    if (!loaded.ruleset) {
        std::fputs(sanx::render(loaded.diagnostics).c_str(), stderr);
        return 2;
    }
    std::printf("%-9s %-5s %16s %16s %12s %14s\n", "entities", "jobs", "eval only (/s)",
                "end to end (/s)", "peak RSS", "records out");
    for (auto n : sizes()) {
        auto file =
            std::filesystem::temp_directory_path() / ("sanx-bench-" + std::to_string(n) + ".jsonl");
        {
            std::ofstream out(file, std::ios::binary);
            sanx::bench::generate(out, n);
        }
        auto read = loaded.ruleset->read({file.string()});
        if (sanx::has_errors(read.diagnostics)) {
            std::fputs(sanx::render(read.diagnostics).c_str(), stderr);
            return 2;
        }
        for (unsigned jobs : {1u, 2u}) {
            sanx::CheckOptions opts;
            opts.as_of = "2025-06-01";
            opts.jobs = jobs;
            opts.stream = true;
            std::size_t out_records = 0;
            auto start = Clock::now();
            loaded.ruleset->check(read.input, opts, [&](sanx::Result&&) { ++out_records; });
            double eval_s = seconds_since(start);
            Run e2e = run({sanx, "check", "--rules", rules, "--as-of", "2025-06-01", "--format",
                           "jsonl", "--jobs", std::to_string(jobs), file.string()});
            if (e2e.status > 1) {
                std::fprintf(stderr, "sanx check failed with status %d\n", e2e.status);
                return 2;
            }
            std::printf("%-9llu %-5u %16.0f %16.0f %9.0f MiB %14zu\n",
                        static_cast<unsigned long long>(n), jobs, static_cast<double>(n) / eval_s,
                        static_cast<double>(n) / e2e.seconds,
                        static_cast<double>(e2e.max_rss_kb) / 1024.0, out_records);
            std::fflush(stdout);
        }
        std::filesystem::remove(file);
    }
    return 0;
}
