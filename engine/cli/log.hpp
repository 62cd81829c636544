#pragma once

// The CLI's and the server's log on standard error (spdlog's default logger): phase
// timings, warnings, requests. Diagnostics keep their own printer (render()); the log is
// in addition to them, never instead.

#include <chrono>
#include <string>

#include <spdlog/spdlog.h>
#include <spdlog/stopwatch.h>  // needs <chrono> and spdlog.h first
#include <CLI/CLI.hpp>

namespace sanx::cli::log {

struct Options {
    std::string level;            ///< trace, debug, info, warn, error, off; empty: the default
    std::string format = "text";  ///< text: `sanx: info: message`; json: one object per line
};

/// Declares the global `--log-level` and `--log-format` on `app`, storing into `into`.
void add_options(CLI::App& app, Options& into);

/// Points spdlog's default logger at standard error with the format and level asked for;
/// `fallback` is the level when none was asked for.
void setup(const Options& options, const std::string& fallback);

/// Milliseconds on `watch`, for the phase timings.
double ms(const spdlog::stopwatch& watch);

}  // namespace sanx::cli::log
