// libFuzzer target: any bytes through the expression parser and checker, and whatever
// checks through the evaluator too (no domain, so domain calls err). Built with -DSANX_FUZZ=ON and
// clang; `make fuzz`. Finds crashes, sanitizer reports, stack exhaustion and escaping exceptions
// (libFuzzer aborts on an uncaught exception).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "fuzz_util.hpp"

namespace {

const sanx::check::Vocabulary& vocabulary() {
    static const sanx::check::Vocabulary v = [] {
        sanx::check::Vocabulary x;
        x.countries = {"KZ", "RU", "BY", "DE"};
        x.blocs = {"EAEU", "EU"};
        x.sectors = {"defense", "banking"};
        x.relations = {"borders", "allied_with"};
        x.authorities = {"OFAC", "EU", "UK"};
        x.sets["chpl"] = sanx::eval::Value(sanx::eval::List{"854231", "8542"});
        return x;
    }();
    return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 4096);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    sanx::check::CheckOptions opts;
    opts.variables = {"x", "y.z"};
    auto result = sanx::check::compile(text, vocabulary(), opts);
    // Evaluation is bounded by the frame's step budget, so any input may run.
    if (result.checked) {
        std::map<std::string, sanx::eval::Value, std::less<>> vars{
            {"x", sanx::eval::Value(sanx::eval::List{1, 2, 3})}, {"y.z", sanx::eval::Value("s")}};
        sanx::eval::Value entity = sanx::eval::Map{{"country", "KZ"}};
        sanx::eval::Frame frame;
        frame.max_steps = 200000;
        frame.entity = &entity;
        frame.variables = &vars;
        sanx::eval::evaluate(*result.checked, frame);
    }
    return 0;
}
