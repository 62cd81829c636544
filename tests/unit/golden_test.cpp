// Golden files: error messages and reports are pinned next to their inputs. Run the tests
// with SANX_UPDATE_GOLDEN=1 to rewrite the .expected files, then review the diff.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include <sanx/engine.hpp>

#include "golden.hpp"

namespace fs = std::filesystem;

namespace {

using golden::compare;
using golden::relative;
using golden::source_dir;
using golden::test_dir;

std::vector<fs::path> cases(const std::string& folder) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(test_dir + "/golden/" + folder))
        if (e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_SUITE("golden") {
    TEST_CASE("pack errors: file:line:col, the source line and a caret, nothing loaded") {
        auto files = cases("packs");
        REQUIRE(files.size() >= 6);
        for (const auto& f : files) {
            CAPTURE(f.filename().string());
            auto loaded = sanx::Ruleset::load({f.string()});
            CHECK_FALSE(loaded.ruleset);
            compare(fs::path(f).replace_extension(".expected"),
                    relative(sanx::render(loaded.diagnostics)));
        }
    }

    TEST_CASE(
        "input problems: warnings keep the record, unreadable records are rejected in place") {
        auto loaded = sanx::Ruleset::load({source_dir + "/rules"});
        REQUIRE(loaded.ruleset);
        for (const auto& f : cases("input")) {
            CAPTURE(f.filename().string());
            auto read = loaded.ruleset->read({f.string()});
            auto report = loaded.ruleset->check(read.input);
            std::string actual = relative(sanx::render(read.diagnostics)) + "---\n" +
                                 relative(sanx::to_jsonl(report));
            auto hash = loaded.ruleset->hash();
            for (std::size_t at; (at = actual.find(hash)) != std::string::npos;)
                actual.replace(at, hash.size(), "HASH");
            compare(fs::path(f).replace_extension(".expected"), actual);
        }
    }

    TEST_CASE("the Kazakhstan sample report, text and JSON") {
        auto loaded = sanx::Ruleset::load({source_dir + "/rules"});
        REQUIRE(loaded.ruleset);
        auto read = loaded.ruleset->read({source_dir + "/samples/kazakhstan/entities.yaml"});
        CHECK(read.diagnostics.empty());
        auto report = loaded.ruleset->check(read.input);
        // The hash changes with every pack edit; the golden files pin what the hash stands for.
        report.provenance.ruleset_hash = "HASH";
        compare(test_dir + "/golden/report/kazakhstan.txt", relative(sanx::to_text(report)));
        compare(test_dir + "/golden/report/kazakhstan.json", relative(sanx::to_json(report)));
    }
}
