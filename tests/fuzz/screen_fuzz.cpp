// libFuzzer target for name screening: any bytes cut at the file separator into a query and
// the names of a small list, normalised, indexed and scored as `sanx screen` does. Asserts
// what a user relies on: scores stay in 0-1, candidates come best first and no more than
// asked for, and a name with words finds itself.

#include <cassert>
#include <cstdio>
#include <cstdlib>

#include "fuzz_util.hpp"
#include "screen/normalize.hpp"
#include "screen/screener.hpp"

namespace {

void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "screen_fuzz: %s\n", what);
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 16384);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sanx::matching;
    auto pieces = sanx::fuzz::split_files(sanx::fuzz::as_text(data, size));
    Subject query;
    query.names.push_back(pieces.front());
    Index index;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        Subject s;
        s.names.push_back(pieces[i]);
        index.add("e" + std::to_string(i), s);
    }
    index.finish();
    std::vector<std::string> notes;
    auto found = index.search(query, 0.0, 3, &notes);
    require(found.size() <= 3, "more candidates than asked for");
    for (std::size_t i = 0; i < found.size(); ++i) {
        require(found[i].score >= 0 && found[i].score <= 1, "a score outside 0-1");
        require(i == 0 || found[i - 1].score >= found[i].score, "candidates not best first");
        require(!found[i].features.empty() && found[i].features.front().name == "name",
                "a candidate without its name feature");
    }
    bool words = false;
    for (const auto& t : normalize(pieces.front()).tokens) {
        require(t.text.size() <= 64, "a token longer than 64 bytes");
        words = words || t.kind == TokenKind::word;
    }
    // The query is entry e0 itself: with a word to compare it must be found, at 1.
    if (words && pieces.front().size() <= max_name_bytes)
        require(!found.empty() && found.front().score > 0.99, "a name does not find itself");
    return 0;
}
