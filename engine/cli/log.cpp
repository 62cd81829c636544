#include "cli/log.hpp"

#include <memory>

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "serve/decision_log.hpp"

namespace sanx::cli::log {

namespace {

void append_escaped(spdlog::memory_buf_t& out, spdlog::string_view_t text) {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : text) {
        switch (c) {
            case '"':
                out.append(std::string_view("\\\""));
                break;
            case '\\':
                out.append(std::string_view("\\\\"));
                break;
            case '\n':
                out.append(std::string_view("\\n"));
                break;
            case '\r':
                out.append(std::string_view("\\r"));
                break;
            case '\t':
                out.append(std::string_view("\\t"));
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    const char esc[] = {'\\', 'u', '0', '0', hex[(c >> 4) & 0xf], hex[c & 0xf]};
                    out.append(esc, esc + sizeof esc);
                } else {
                    out.push_back(c);
                }
        }
    }
}

/// One JSON object per line: {"time":"…Z","level":"info","message":"…"}, for collectors
/// that read structured logs.
class JsonFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        dest.append(std::string_view("{\"time\":\""));
        const std::string stamp = serve::utc_text(msg.time);
        dest.append(std::string_view(stamp));
        dest.append(std::string_view("\",\"level\":\""));
        const auto level = spdlog::level::to_string_view(msg.level);
        dest.append(level.data(), level.data() + level.size());
        dest.append(std::string_view("\",\"message\":\""));
        append_escaped(dest, msg.payload);
        dest.append(std::string_view("\"}\n"));
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

}  // namespace

void add_options(CLI::App& app, Options& into) {
    app.add_option("--log-level", into.level,
                   "Log on standard error at this level and above: trace, debug, info (phase "
                   "timings), warn, error or off (default: warn; info for serve)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    app.add_option("--log-format", into.format,
                   "Log lines as text (`sanx: info: ...`) or json (one object per line)")
        ->check(CLI::IsMember({"text", "json"}));
}

void setup(const Options& options, const std::string& fallback) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("sanx", sink);
    if (options.format == "json")
        logger->set_formatter(std::make_unique<JsonFormatter>());
    else
        logger->set_pattern("sanx: %l: %v");
    logger->set_level(spdlog::level::from_str(options.level.empty() ? fallback : options.level));
    // Warnings and errors reach the terminal at once, whatever follows.
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

double ms(const spdlog::stopwatch& watch) { return watch.elapsed().count() * 1000; }

}  // namespace sanx::cli::log
