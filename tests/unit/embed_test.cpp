// The embedding API as a data engineer uses it: only <sanx/...> headers.

#include <doctest/doctest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include <sanx/engine.hpp>

namespace {

sanx::CheckOptions on(const char* date, unsigned jobs = 0) {
    sanx::CheckOptions o;
    o.as_of = date;
    o.jobs = jobs;
    return o;
}

const char* lines =
    R"({"id":"kz-bank","type":"bank","country":"KZ","counterparties":[{"id":"ru-plant"}]})"
    "\n"
    R"({"id":"ru-plant","country":"RU","sectors":["defense"],"counterparties":[],"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]})"
    "\n"
    R"({"id":"kz-owned","country":"KZ","owners":[{"id":"ru-plant","share":"51%"}],"counterparties":[]})"
    "\n";

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

}  // namespace

TEST_SUITE("embed") {
    TEST_CASE("entities from JSON text, results as C++ values") {
        auto rs = shipped();
        auto read = rs->read_text("feed", lines, sanx::InputFormat::json_lines);
        CHECK(read.diagnostics.empty());
        sanx::CheckOptions opts;
        opts.as_of = "2025-06-01";
        auto report = rs->check(read.input, opts);
        REQUIRE(report.results.size() == 3);
        CHECK(report.results[0].entity == "kz-bank");
        CHECK(report.results[0].verdict == sanx::Verdict::high);
        CHECK(report.results[1].blocked.at("OFAC").reason == sanx::BlockReason::listed);
        const auto& owned = report.results[2].blocked.at("OFAC");
        CHECK(owned.reason == sanx::BlockReason::ownership);
        CHECK(owned.share == 51);
        CHECK(report.provenance.as_of == "2025-06-01");
        CHECK(report.provenance.ruleset_hash.size() == 64);
    }

    TEST_CASE("a JSON line says what the JSON document says about the same result") {
        auto rs = shipped();
        auto read = rs->read_text("feed", lines, sanx::InputFormat::json_lines);
        auto report = rs->check(read.input, on("2025-06-01"));
        auto doc = nlohmann::json::parse(sanx::to_json(report));
        for (std::size_t i = 0; i < report.results.size(); ++i) {
            auto line =
                nlohmann::json::parse(sanx::to_json_line(report.results[i], report.provenance));
            CHECK(line["as_of"] == "2025-06-01");
            CHECK(line["ruleset_hash"] == report.provenance.ruleset_hash);
            line.erase("as_of");
            line.erase("ruleset_hash");
            CHECK(line == doc["results"][i]);
        }
    }

    TEST_CASE("one ruleset serves many threads, and jobs never change the answer") {
        auto rs = shipped();
        auto read = rs->read_text("feed", lines, sanx::InputFormat::json_lines);
        auto one = sanx::to_jsonl(rs->check(read.input, on("2025-06-01", 1)));
        std::string a, b;
        std::thread t1([&] { a = sanx::to_jsonl(rs->check(read.input, on("2025-06-01", 2))); });
        std::thread t2([&] { b = sanx::to_jsonl(rs->check(read.input, on("2025-06-01", 1))); });
        t1.join();
        t2.join();
        CHECK(a == one);
        CHECK(b == one);
    }

    TEST_CASE("streaming hands results over in input order and keeps none") {
        auto rs = shipped();
        auto read = rs->read_text("feed", lines, sanx::InputFormat::json_lines);
        sanx::CheckOptions opts;
        opts.as_of = "2025-06-01";
        opts.stream = true;
        std::vector<std::string> seen;
        auto report =
            rs->check(read.input, opts, [&](sanx::Result&& r) { seen.push_back(r.entity); });
        CHECK(report.results.empty());
        CHECK(report.summary.entities == 3);
        CHECK(seen == std::vector<std::string>{"kz-bank", "ru-plant", "kz-owned"});
    }

    TEST_CASE("bad input is a value, never an exception or a crash") {
        auto rs = shipped();
        auto read = rs->read_text("feed", "{\"id\": 1, \"owners\": 5}\n[1,2\n\n",
                                  sanx::InputFormat::json_lines);
        REQUIRE(read.input.size() == 2);
        auto report = rs->check(read.input);
        CHECK(report.summary.rejected == 2);
        CHECK(sanx::has_errors(read.diagnostics));
    }
}

TEST_SUITE("embed") {
    TEST_CASE("an impossible as_of from an embedding program evaluates nothing, and says so") {
        auto rs = shipped();
        auto read = rs->read_text("feed", lines, sanx::InputFormat::json_lines);
        auto report = rs->check(read.input, on("2025-02-30"));
        REQUIRE(report.results.size() == 3);  // records in = records out
        for (const auto& r : report.results) {
            REQUIRE(r.rejected);
            CHECK(r.rejected->find("as_of '2025-02-30' is not a date") != std::string::npos);
        }
        CHECK(report.summary.rejected == 3);
        REQUIRE(!report.warnings.empty());
        CHECK(report.warnings.front().severity == sanx::Severity::error);
    }
}
