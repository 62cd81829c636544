// The session layer: the ownership graph and states of an input are computed once per
// ruleset and date and shared by the parts of the input (what Dask tasks check).

#include <doctest/doctest.h>

#include <memory>
#include <thread>

#include <sanx/engine.hpp>

#include "api/access.hpp"
#include "runtime/session.hpp"

namespace {

// kz-owned (line 4) is owned through ru-holding (line 3) by the listed ru-plant (line 2): a
// part holding only kz-owned needs the others' edges and listings to block it.
const char* lines =
    R"({"id":"kz-bank","type":"bank","country":"KZ","counterparties":[{"id":"ru-plant"}]})"
    "\n"
    R"({"id":"ru-plant","country":"RU","sectors":["defense"],"counterparties":[],"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]})"
    "\n"
    R"({"id":"ru-holding","country":"RU","owners":[{"id":"ru-plant","share":"60%"}],"counterparties":[]})"
    "\n"
    R"({"id":"kz-owned","country":"KZ","owners":[{"id":"ru-holding","share":"51%"}],"counterparties":[]})"
    "\n";

std::shared_ptr<const sanx::Ruleset> shipped() {
    static auto loaded = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
    REQUIRE(loaded.ruleset);
    return loaded.ruleset;
}

sanx::CheckOptions on(const char* date) {
    sanx::CheckOptions o;
    o.as_of = date;
    o.jobs = 1;
    return o;
}

}  // namespace

TEST_SUITE("session") {
    TEST_CASE("the parts of an input share one ownership fixpoint per date") {
        auto rs = shipped();
        auto whole = std::make_shared<const sanx::Input>(
            rs->read_text("feed", lines, sanx::InputFormat::json_lines).input);
        const auto& model = sanx::detail::Access::model(*rs);
        auto a = sanx::Input::part(whole, 0, 2), b = sanx::Input::part(whole, 2, 4);
        auto sa = sanx::detail::Session::open(model, sanx::detail::Access::data(a), "2025-06-01");
        auto sb = sanx::detail::Session::open(model, sanx::detail::Access::data(b), "2025-06-01");
        auto later =
            sanx::detail::Session::open(model, sanx::detail::Access::data(b), "2021-01-01");
        REQUIRE((sa && sb && later));
        CHECK(&sa->graph() == &sb->graph());
        CHECK(&sa->domain().states() == &sb->domain().states());
        CHECK(&later->graph() != &sb->graph());  // another date, other edges and listings
        // Before the listing (2022-04-06) nobody is blocked; after it kz-owned is, in its part.
        CHECK(later->domain().states().at("OFAC").blocked.empty());
        CHECK(sb->domain().states().at("OFAC").blocked.count("kz-owned") == 1);
    }

    TEST_CASE("parts checked on several threads and dates answer as the whole does") {
        auto rs = shipped();
        auto whole = std::make_shared<const sanx::Input>(
            rs->read_text("feed", lines, sanx::InputFormat::json_lines).input);
        for (const char* date : {"2025-06-01", "2021-01-01"}) {
            const auto expected = rs->check(*whole, on(date));
            REQUIRE(expected.results.size() == 4);
            std::vector<sanx::Report> got(4);
            std::vector<std::thread> threads;
            for (std::size_t i = 0; i < 4; ++i)
                threads.emplace_back(
                    [&, i] { got[i] = rs->check(sanx::Input::part(whole, i, i + 1), on(date)); });
            for (auto& t : threads) t.join();
            for (std::size_t i = 0; i < 4; ++i) {
                REQUIRE(got[i].results.size() == 1);
                CHECK(sanx::to_json_line(got[i].results[0], got[i].provenance) ==
                      sanx::to_json_line(expected.results[i], expected.provenance));
            }
        }
        auto owned = rs->check(sanx::Input::part(whole, 3, 4), on("2025-06-01"));
        CHECK(owned.results[0].blocked.count("OFAC") == 1);
    }
}
