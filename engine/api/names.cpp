// The names of the public enums, as every report spells them.

#include <sanx/engine.hpp>
#include <sanx/version.hpp>

namespace sanx {

const char* version() { return SANX_VERSION; }

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::clear:
            return "clear";
        case Verdict::low:
            return "low";
        case Verdict::medium:
            return "medium";
        case Verdict::high:
            return "high";
        case Verdict::blocked:
            return "blocked";
    }
    return "clear";
}

const char* to_string(RuleSeverity s) {
    switch (s) {
        case RuleSeverity::info:
            return "info";
        case RuleSeverity::low:
            return "low";
        case RuleSeverity::medium:
            return "medium";
        case RuleSeverity::high:
            return "high";
        case RuleSeverity::blocked:
            return "blocked";
    }
    return "info";
}

}  // namespace sanx
