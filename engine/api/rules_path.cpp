// Where the shipped packs are, for a CLI or a host that gives no --rules.

#include <sanx/engine.hpp>

#include <cstdlib>
#include <filesystem>

#ifndef SANX_SOURCE_RULES_DIR
#define SANX_SOURCE_RULES_DIR ""
#endif
#ifndef SANX_INSTALL_RULES_DIR
#define SANX_INSTALL_RULES_DIR "share/sanx/rules"
#endif

namespace sanx {

std::string default_rules_path(const std::string& argv0) {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("SANX_RULES"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::canonical("/proc/self/exe", ec);
    if (ec) exe = fs::absolute(argv0, ec);
    fs::path installed = exe.parent_path().parent_path() / SANX_INSTALL_RULES_DIR;
    if (fs::is_directory(installed, ec)) return installed.string();
    return SANX_SOURCE_RULES_DIR;
}

}  // namespace sanx
