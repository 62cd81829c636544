// The pack authors' tools: lint (golden text and SARIF), the rule-test runner with coverage,
// the formatter's properties, and the diff of outcomes between two rule versions.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <sanx/tools.hpp>

namespace fs = std::filesystem;

namespace {

const std::string test_dir = SANX_TEST_DIR;
const std::string source_dir = SANX_SOURCE_DIR;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string relative(std::string s) {
    for (std::size_t at; (at = s.find(source_dir + "/")) != std::string::npos;)
        s.erase(at, source_dir.size() + 1);
    return s;
}

void compare_golden(const fs::path& expected_file, const std::string& actual) {
    if (std::getenv("SANX_UPDATE_GOLDEN")) {
        std::ofstream(expected_file, std::ios::binary) << actual;
        return;
    }
    REQUIRE_MESSAGE(fs::exists(expected_file), "missing golden file " << expected_file.string());
    CHECK(slurp(expected_file) == actual);
}

/// A scratch folder holding copies of files, removed at the end of the test.
struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name) {
        dir = fs::temp_directory_path() /
              ("sanx-tools-" + name + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    }
};

std::shared_ptr<const sanx::Ruleset> load(const std::vector<std::string>& paths) {
    auto loaded = sanx::Ruleset::load(paths);
    INFO(sanx::render(loaded.diagnostics));
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

}  // namespace

TEST_SUITE("tools") {
    TEST_CASE("lint: golden text and SARIF for broken packs, positions and suggestions") {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(test_dir + "/golden/lint"))
            if (e.path().extension() == ".yaml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        REQUIRE(files.size() >= 2);
        for (const auto& f : files) {
            CAPTURE(f.filename().string());
            sanx::tools::LintOptions opts;
            opts.today = "2026-01-01";
            auto res = sanx::tools::lint({f.string()}, opts);
            for (auto& d : res.diagnostics) d.where.file = relative(d.where.file);
            CHECK_FALSE(res.diagnostics.empty());
            compare_golden(fs::path(f).replace_extension(".expected"),
                           sanx::render(res.diagnostics));
            compare_golden(fs::path(f).replace_extension(".sarif"),
                           sanx::tools::to_sarif(res.diagnostics));
        }
    }

    TEST_CASE("lint: a typo gives a SARIF result on the right line with a fix") {
        sanx::tools::LintOptions opts;
        opts.today = "2026-01-01";
        auto res = sanx::tools::lint({test_dir + "/golden/lint/typo.yaml"}, opts);
        auto log = nlohmann::json::parse(sanx::tools::to_sarif(res.diagnostics));
        CHECK(log["version"] == "2.1.0");
        CHECK(log["runs"][0]["tool"]["driver"]["name"] == "sanx");
        const auto& r = log["runs"][0]["results"][0];
        CHECK(r["ruleId"] == "unknown-set");
        CHECK(r["level"] == "error");
        const auto& region = r["locations"][0]["physicalLocation"]["region"];
        CHECK(region["startLine"] == 18);
        CHECK(region["startColumn"] == 53);
        CHECK(region["endColumn"] == 60);
        CHECK(r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] ==
              "chpl_all");
    }

    TEST_CASE("lint: the shipped packs have no errors and no warnings") {
        sanx::tools::LintOptions opts;
        opts.today = "2026-01-01";
        auto res = sanx::tools::lint({source_dir + "/rules"}, opts);
        CHECK(res.loaded);
        for (const auto& d : res.diagnostics) {
            INFO(sanx::render(d));
            CHECK(d.severity == sanx::Severity::note);
        }
    }

    TEST_CASE("test runner: passes and failures, with the case's position and explanation") {
        Scratch s("runner");
        std::string pack = s.write("p.yaml", R"yaml(pack: p
title: P
countries: {RU: Russia, KZ: Kazakhstan}
authorities:
  UK: {name: UK, ownership: {threshold: 50, inclusive: false}}
regimes:
  - id: uk
    authority: UK
    title: UK
    rules:
      - id: listed
        title: Listed
        when: "listed(entity, 'UK')"
        severity: blocked
        cites: [x]
      - id: dealing
        title: Dealing
        when: "entity.counterparties.exists(c, blocked(c, 'UK'))"
        severity: high
        cites: [x]
tests:
  - name: listed is blocked
    as_of: 2025-06-01
    entities:
      - {id: a, name: A, country: RU, listings: [{authority: UK, from: 2022-03-01}]}
    expect:
      a: {verdict: blocked, rules: [uk/listed], blocked: [UK]}
  - name: wrong expectation
    as_of: 2025-06-01
    entities:
      - {id: b, name: B, country: KZ, counterparties: [{id: a}]}
      - {id: a, name: A, country: RU, listings: [{authority: UK, from: 2022-03-01}]}
    expect:
      b: {verdict: clear, not_rules: [uk/dealing]}
)yaml");
        auto rules = load({pack});
        sanx::tools::TestOptions opts;
        opts.coverage = true;
        auto rep = sanx::tools::run_tests(*rules, opts);
        CHECK(rep.passed == 1);
        CHECK(rep.failed == 1);
        std::string text = sanx::tools::to_text(rep);
        CHECK(text.find(pack +
                        ":28:11: FAIL wrong expectation: b: verdict: expected clear, got high") !=
              std::string::npos);
        CHECK(text.find("rule uk/dealing fired but should not") != std::string::npos);
        CHECK(text.find("because blocked(c, 'UK')") != std::string::npos);
        CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == "1 passed, 1 failed\n");
        REQUIRE(rep.coverage);
        CHECK(rep.coverage->rules == 2);
        CHECK(rep.coverage->rules_fired == 2);
    }
}
