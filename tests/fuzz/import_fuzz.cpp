// libFuzzer target: any bytes through one importer (SANX_FUZZ_IMPORT: ofac_sdn,
// ofac_consolidated, ftm or un_xml; one executable each). The OFAC input is cut at the
// ASCII record separator (0x1E) into the primary, address, alias and comments tables. What
// the importer writes must read back as JSON lines with one record per entity (evaluation
// is left to the entity targets, for speed).

#include <sanx/engine.hpp>
#include <sanx/import.hpp>

#include "fuzz_util.hpp"

namespace {

using sanx::import::Format;

constexpr Format format = Format::SANX_FUZZ_IMPORT;

/// The files of one input, named as the publisher names them.
std::vector<sanx::import::NamedText> files_of(std::string_view text) {
    if (format == Format::ftm) return {{"entities.ftm.json", std::string(text)}};
    if (format == Format::un_xml) return {{"UN_consolidated.xml", std::string(text)}};
    static const char* const sdn[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
    static const char* const cons[] = {"cons_prim.csv", "cons_add.csv", "cons_alt.csv",
                                       "cons_comments.csv"};
    const char* const* names = format == Format::ofac_sdn ? sdn : cons;
    std::vector<sanx::import::NamedText> out;
    auto pieces = sanx::fuzz::split_files(text);
    for (std::size_t i = 0; i < pieces.size() && i < 4; ++i)
        out.push_back({names[i], std::move(pieces[i])});
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 16384);
    (void)sanx::fuzz::shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sanx;
    auto result = import::read_texts(format, files_of(fuzz::as_text(data, size)));
    const std::string jsonl = import::to_jsonl(result);

    const Ruleset& rules = fuzz::shipped_rules();
    auto read = rules.read_text("imported.jsonl", jsonl, InputFormat::json_lines);
    // No entity the importer wrote is lost on the way back in.
    if (read.input.size() != result.entities.size()) __builtin_trap();
    return 0;
}
