#pragma once

// Work split into a few parts, one thread each: how reading and linking use `--jobs`.

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace sanx {

/// The number of workers `jobs` asks for: 0 is one per core.
inline unsigned workers(unsigned jobs) {
    return jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
}

/// Calls `f(i)` for every part i in [0, parts), each on a thread of its own (this thread takes
/// part 0), and returns when all have ended; the first exception a part threw is rethrown
/// then. Parts must not write what other parts read.
template <class F>
void run_parts(unsigned parts, F f) {
    std::vector<std::exception_ptr> failed(parts);
    auto run = [&](unsigned i) {
        try {
            f(i);
        } catch (...) {
            failed[i] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(parts > 0 ? parts - 1 : 0);
    for (unsigned i = 1; i < parts; ++i) {
        try {
            threads.emplace_back(run, i);
        } catch (const std::system_error&) {  // no thread to be had: this one does the part
            run(i);
        }
    }
    if (parts > 0) run(0);
    for (auto& t : threads) t.join();
    for (auto& e : failed)
        if (e) std::rethrow_exception(e);
}

/// [begin, end) of part `i` of `n` items split into `parts` nearly equal runs.
inline std::pair<std::size_t, std::size_t> part_range(std::size_t n, unsigned parts, unsigned i) {
    return {n * i / parts, n * (i + 1) / parts};
}

}  // namespace sanx
