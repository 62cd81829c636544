// `sanx serve`: the HTTP service over the engine (engine/serve/). This file reads the
// options, loads the first snapshot, and turns signals into a reload (SIGHUP) or a stop
// (SIGINT, SIGTERM).

#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "serve/server.hpp"

namespace sanx::cli {

namespace {

struct ServeArgs {
    std::vector<std::string> rules;
    std::vector<std::string> lists;
    std::string listen = "127.0.0.1:8080";
    std::size_t max_body = 8 * 1024 * 1024;
    int timeout = 10;
    unsigned workers = 8;
    bool allow_reload = false;
    std::string decision_log;
};

int run_serve(const ServeArgs& a, const Context& ctx) {
    serve::Options o;
    o.rules = a.rules.empty() ? std::vector<std::string>{default_rules_path(ctx.argv0)} : a.rules;
    o.lists = a.lists;
    if (!serve::parse_listen(a.listen, o.host, o.port)) {
        std::cerr << "sanx: --listen must be HOST:PORT, e.g. 127.0.0.1:8080, not '" << a.listen
                  << "'\n";
        return 2;
    }
    o.max_body = a.max_body;
    o.timeout_seconds = a.timeout;
    o.workers = a.workers;
    o.allow_reload = a.allow_reload;
    o.decision_log = a.decision_log;

    serve::Loaded first = serve::load(o.rules, o.lists, 1);
    std::cerr << render(first.diagnostics, ctx.stderr_color);
    if (!first.snapshot) {
        std::cerr << "sanx: the rule packs or lists have errors; not serving\n";
        return 2;
    }
    // Signals go to one thread that waits for them; every other thread, the server's
    // workers included, inherits the mask and never sees them.
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&signals, s);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client that goes away mid-answer is that connection's end, not the server's.
    std::signal(SIGPIPE, SIG_IGN);

    serve::Server server(o, first.snapshot);
    std::string error;
    if (!server.bind(error)) {
        std::cerr << "sanx: " << error << "\n";
        return 2;
    }
    std::thread waiter([&] {
        for (;;) {
            int s = 0;
            if (sigwait(&signals, &s) != 0) continue;
            if (s == SIGHUP) {
                spdlog::info("SIGHUP: reloading the packs and lists");
                server.reload();
                continue;
            }
            spdlog::info("{}: stopping once the requests in flight are answered",
                         s == SIGINT ? "SIGINT" : "SIGTERM");
            server.stop();
            return;
        }
    });
    const bool any = o.host == "0.0.0.0" || o.host == "::";
    if (any) spdlog::warn("listening on every interface; sanx serve has no authentication");
    spdlog::info("listening on http://{}:{} with ruleset {} ({} packs, {} lists), {} workers",
                 o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host, server.port(),
                 first.snapshot->ruleset->hash(), first.snapshot->ruleset->packs().size(),
                 first.snapshot->list_files.size(), o.workers);
    const bool ok = server.run();
    if (!ok) {
        // The waiter is still waiting: wake it to end.
        pthread_kill(waiter.native_handle(), SIGTERM);
    }
    waiter.join();
    spdlog::info("stopped");
    return ok ? 0 : 2;
}

}  // namespace

Command add_serve_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand(
        "serve", "Answer checks over HTTP (POST /v1/check); reload packs and lists on SIGHUP");
    add_paths_option(*cmd, "--rules", args->rules,
                     "Rule pack file or folder (repeatable; default: the shipped packs)");
    add_paths_option(*cmd, "--lists", args->lists,
                     "Documents of listed entities, used for lookups only (repeatable)");
    cmd->add_option("--listen", args->listen,
                    "Address to listen on, HOST:PORT (default: 127.0.0.1:8080; port 0: any "
                    "free port, logged at start)");
    cmd->add_option("--max-body", args->max_body,
                    "Largest request body in bytes; larger gets 413 (default: 8 MiB)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32));
    cmd->add_option("--timeout", args->timeout,
                    "Seconds to read a request or write an answer (default: 10)")
        ->check(CLI::Range(1, 3600));
    cmd->add_option("--workers", args->workers,
                    "Connections answered at once; more wait (default: 8)")
        ->check(CLI::Range(1u, 1024u));
    cmd->add_flag("--allow-reload", args->allow_reload,
                  "Also reload on POST /v1/reload (SIGHUP always reloads)");
    cmd->add_option("--decision-log", args->decision_log,
                    "Append one JSON line per decision to this file (reopened on reload)");
    return {cmd, [args, ctx] { return run_serve(*args, ctx); }};
}

}  // namespace sanx::cli
