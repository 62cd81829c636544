// A large JSON lines file is read, and its records tied, by several threads at once: what is
// read must be what one thread reads, record for record and diagnostic for diagnostic.

#include <doctest/doctest.h>

#include <string>

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include "golden.hpp"

namespace {

/// About 5 MB of entities (four parts of a megabyte or more, two of records to tie), with
/// what a part boundary could get wrong: a duplicate id far from the first, an unknown
/// authority in every part (warned once per file), owners nobody declared (ownership
/// warnings), a line that is not JSON, a byte that is not UTF-8, blank lines, and owners and
/// counterparties that name records in other parts.
std::string feed(int n) {
    std::string text;
    for (int i = 0; i < n; ++i) {
        const std::string id = "co-" + std::to_string(i);
        std::string owners;
        if (i > 0)
            owners = R"(,"owners":[{"id":"co-)" + std::to_string(i / 2) + R"(","share":"60%"}])";
        if (i % 1999 == 7)  // an owner nobody declared, with a share that looks like a fraction
            owners = R"(,"owners":[{"id":"ghost-)" + std::to_string(i) + R"(","share":0.5}])";
        std::string listings;
        if (i % 997 == 0)
            listings =
                R"(,"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}])";
        if (i % 2503 == 1)
            listings = R"(,"listings":[{"authority":"Ruritania FIU","list":"BLACK"}])";
        text += R"({"id":")" + id + R"(","name":"Company )" + std::to_string(i) +
                R"( LLP","country":")" + (i % 3 ? "KZ" : "RU") +
                R"(","sectors":["defense"],"counterparties":[{"id":"co-)" +
                std::to_string((i * 7919) % n) + R"("},{"country":"RU","sectors":["energy"]}])" +
                owners + listings + R"(,"attributes":{"note":")" + std::string(300, 'x') + "\"}}\n";
        if (i == 1000) text += "\n   \n";
        if (i == 3000) text += "{\"id\":\"broken\",\n";
        if (i == 11000)
            text += R"({"id":"co-5","country":"KZ"})"
                    "\n";
        if (i == 6000) text += "{\"id\":\"bad-byte\",\"name\":\"A\xff\"}\n";
    }
    return text;
}

struct Read {
    std::string diagnostics, results;
};

/// The diagnostics of a read with `jobs` threads, and the results of the records around
/// every quarter of the input (checking all of them takes long in a debug build).
Read read_with(const sanx::Ruleset& rs, const std::string& path, unsigned jobs) {
    auto read = rs.read({path}, {}, {}, {}, nullptr, jobs);
    Read out;
    out.diagnostics = sanx::render(read.diagnostics);
    auto whole = std::make_shared<const sanx::Input>(std::move(read.input));
    sanx::CheckOptions o;
    o.as_of = "2025-06-01";
    o.jobs = jobs;  // the ownership graph is read in parts too
    const std::size_t n = whole->size();
    for (std::size_t q = 0; q <= 4; ++q) {
        const std::size_t at = std::min(n - 100, n * q / 4);
        auto rep =
            rs.check(sanx::Input::part(whole, at - std::min<std::size_t>(at, 100), at + 100), o);
        for (const auto& r : rep.results) out.results += sanx::to_json_line(r, rep.provenance);
        if (q == 0) out.diagnostics += sanx::render(rep.warnings);
    }
    return out;
}

}  // namespace

TEST_SUITE("read parts") {
    TEST_CASE("a large JSON lines file reads the same on one thread and on four") {
        auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
        REQUIRE(loaded.ruleset);
        golden::Scratch s("read-parts");
        const std::string text = feed(12000);
        REQUIRE(text.size() > 4u << 20);
        const std::string path = s.write("feed.jsonl", text);
        const Read one = read_with(*loaded.ruleset, path, 1);
        const Read four = read_with(*loaded.ruleset, path, 4);
        CHECK(one.diagnostics == four.diagnostics);
        CHECK(one.results == four.results);

        // And what is read is right: the duplicate is the later record, the unknown
        // authority is warned once, and the bad lines are rejected in their places.
        auto count = [](const std::string& in, const std::string& what) {
            std::size_t n = 0;
            for (auto at = in.find(what); at != std::string::npos; at = in.find(what, at + 1)) ++n;
            return n;
        };
        CHECK(count(four.diagnostics, "duplicate id 'co-5'") == 1);
        CHECK(four.diagnostics.find("feed.jsonl:11006:") != std::string::npos);
        CHECK(count(four.diagnostics, "'Ruritania FIU'") == 1);
        CHECK(count(four.diagnostics, "is not declared in the input or lists") == 6);
        CHECK(four.diagnostics.find("co-7: share 0.5 of ghost-7 in co-7 is read as 0.5%") !=
              std::string::npos);
        CHECK(four.diagnostics.find("feed.jsonl:3004:1: error: invalid JSON") != std::string::npos);
        CHECK(four.diagnostics.find("byte 0xFF is not valid UTF-8; record not evaluated") !=
              std::string::npos);
        CHECK(count(four.results, "\n") == 900);
        CHECK(count(four.results, R"("verdict":"blocked")") > 100);
    }
}
