// libFuzzer target for `sanx lint`: any bytes as a pack, linted (loader errors, then the
// linter's own structural and semantic checks), with the diagnostics rendered as JSON and
// SARIF as `lint --format json|sarif` does.

#include <sanx/tools.hpp>

#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 16384);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sanx;
    const fuzz::ScratchDir scratch;
    const std::string path = scratch.write("pack.yaml", fuzz::as_text(data, size));
    tools::LintOptions opts;
    opts.today = fuzz::fixed_date;
    auto res = tools::lint({path}, opts);
    tools::to_json(res.diagnostics);
    tools::to_sarif(res.diagnostics);
    return 0;
}
