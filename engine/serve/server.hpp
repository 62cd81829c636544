#pragma once

// `sanx serve`: the engine behind HTTP (PRODUCT.md section 8). Requests are answered by a
// bounded pool of workers, each on the snapshot of packs and lists that was current when it
// started; a reload swaps in a new snapshot without stopping anything, or keeps the old one
// when the new packs have errors. The server logs through spdlog; it never exits the process.

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sanx/diagnostic.hpp>

#include "serve/decision_log.hpp"
#include "serve/metrics.hpp"
#include "serve/snapshot.hpp"

namespace httplib {
class Server;
}

namespace sanx::serve {

struct Options {
    std::vector<std::string> rules;  ///< pack files or folders (the caller fills the default)
    std::vector<std::string> lists;  ///< --lists files
    std::string host = "127.0.0.1";
    int port = 8080;                         ///< 0: any free port (see port())
    std::size_t max_body = 8 * 1024 * 1024;  ///< bytes; a larger body gets 413
    int timeout_seconds = 10;                ///< to read a request, or write an answer
    unsigned workers = 8;                    ///< connections served at once
    std::size_t queue = 256;                 ///< connections accepted and waiting
    bool allow_reload = false;               ///< POST /v1/reload
    std::string decision_log;                ///< empty: none
};

/// The outcome of a reload: whether the new snapshot is being served, and the diagnostics
/// of loading it (its errors when it is not).
struct Reloaded {
    bool ok = false;
    std::string ruleset_hash;  ///< the one served after the reload
    std::vector<Diagnostic> diagnostics;
};

class Server {
  public:
    /// `first` is the snapshot to serve until a reload (serve::load() of the options' paths).
    Server(Options options, std::shared_ptr<const Snapshot> first);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Opens the decision log and binds the address; false, with the reason in `error`,
    /// when either fails.
    bool bind(std::string& error);
    /// The port bound (useful with port 0).
    int port() const { return port_; }
    /// Serves until stop(); false when the listening failed.
    bool run();
    /// Stops accepting; requests in flight are answered first. Safe from any thread.
    void stop();

    /// Loads the packs and lists anew and serves them from the next request on; keeps the
    /// old snapshot when they have errors. One reload at a time. Also reopens the decision
    /// log (after a rotation).
    Reloaded reload();

    /// The snapshot being served now.
    std::shared_ptr<const Snapshot> current() const { return current_.load(); }

  private:
    void routes();

    Options options_;
    std::atomic<std::shared_ptr<const Snapshot>> current_;
    std::mutex reloading_;
    Metrics metrics_;
    DecisionLog decisions_;
    std::unique_ptr<httplib::Server> http_;
    int port_ = 0;
    std::atomic<std::uint64_t> next_request_{1};
};

/// "HOST:PORT", "[v6]:PORT" or ":PORT" (loopback) into host and port; false when it is not.
bool parse_listen(const std::string& text, std::string& host, int& port);

}  // namespace sanx::serve
