// Blocking through ownership and control: OFAC's 2014 guidance examples (FAQs 398-401) and
// the European Commission's aggregation FAQ, each computed for OFAC, the EU and the UK.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "ownership/fixpoint.hpp"

using namespace sanx;
using detail::Authority;
using detail::ownership::AuthorityState;
using detail::ownership::Graph;
using eval::Value;

namespace {

Authority ofac() {
    Authority a;
    a.id = "OFAC";
    a.ownership = {true, 50, true, "sum", "blocked_intermediates"};
    a.control.caution = true;
    return a;
}
Authority eu() {
    Authority a;
    a.id = "EU";
    a.ownership = {true, 50, false, "sum", "blocked_intermediates"};
    a.control.blocks = true;
    return a;
}
Authority uk() {
    Authority a;
    a.id = "UK";
    a.ownership = {true, 50, false, "joint_arrangement", "majority_chain"};
    a.control.blocks = true;
    a.control.bases = {"board", "de_facto", "voting_agreement"};
    return a;
}

/// A small world described edge by edge.
struct World {
    std::map<std::string, eval::Map> entities;
    std::vector<std::string> listed;

    World& owns(const std::string& owner, double share, const std::string& owned,
                std::optional<std::string> from = std::nullopt) {
        entity(owner);
        eval::Map edge{{Value("id"), Value(owner)}};
        if (share >= 0) edge.emplace_back(Value("share"), Value(share));
        if (from) {
            eval::Date d;
            eval::parse_date(*from, d);
            edge.emplace_back(Value("from"), Value(d));
        }
        add(owned, "owners", Value(edge));
        return *this;
    }
    World& controls(const std::string& who, const std::string& basis, const std::string& target,
                    std::vector<std::string> with = {}) {
        entity(who);
        eval::Map edge{{Value("id"), Value(who)}, {Value("basis"), Value(basis)}};
        if (!with.empty()) {
            eval::List w;
            for (auto& x : with) w.emplace_back(x);
            edge.emplace_back(Value("with"), Value(w));
        }
        add(target, "controllers", Value(edge));
        return *this;
    }
    World& designated(const std::string& id) {
        entity(id);
        listed.push_back(id);
        return *this;
    }

    /// The graph on `as_of`; `undeclared` is left out of the known entities.
    Graph graph(const char* as_of = "2025-06-01", const std::string& undeclared = "") const {
        std::vector<Value> values;
        values.reserve(entities.size());
        std::unordered_map<std::string, const Value*> by_id;
        for (const auto& [id, m] : entities) values.emplace_back(m);
        std::size_t i = 0;
        for (const auto& [id, m] : entities) by_id[id] = &values[i++];
        by_id.erase(undeclared);
        eval::Date d;
        eval::parse_date(as_of, d);
        return Graph(by_id, d);
    }

    AuthorityState run(const Authority& a, const char* as_of = "2025-06-01") const {
        std::unordered_map<std::string, std::vector<std::string>> seeds;
        for (const auto& id : listed) seeds[id] = {"SDN"};
        return detail::ownership::compute(graph(as_of), a, seeds);
    }

    /// The data warnings, as `entity: message`.
    std::vector<std::string> hazards(const std::string& undeclared = "") const {
        std::vector<std::string> out;
        Graph g = graph("2025-06-01", undeclared);
        for (const auto& [id, message] : g.hazards()) out.push_back(id + ": " + message);
        return out;
    }

  private:
    void entity(const std::string& id) {
        if (!entities.count(id)) entities[id] = eval::Map{{Value("id"), Value(id)}};
    }
    void add(const std::string& id, const char* field, Value edge) {
        entity(id);
        auto& m = entities[id];
        for (auto& [k, v] : m)
            if (k.as_string() == field) {
                eval::List l = v.as_list();
                l.push_back(std::move(edge));
                v = Value(l);
                return;
            }
        m.emplace_back(Value(field), Value(eval::List{std::move(edge)}));
    }
};

bool blocked(const AuthorityState& s, const std::string& id) { return s.blocked.count(id) > 0; }

bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

/// A path as the text report reads it: `X -55-> A -60-> C`.
std::string chain(const std::vector<OwnershipLink>& path) {
    std::string out = path.empty() ? "" : path.front().from;
    char buf[32];
    for (const auto& l : path) {
        std::snprintf(buf, sizeof buf, "%g", l.share);
        out += std::string(" -") + buf + "-> " + l.to;
    }
    return out;
}

}  // namespace

TEST_SUITE("ownership") {
    TEST_CASE("OFAC example 1: 50 % held by one blocked person blocks under OFAC only") {
        World w;
        w.designated("X").owns("X", 50, "A");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "A"));
        CHECK(o.blocked.at("A").reason == sanx::BlockReason::ownership);
        CHECK(o.blocked.at("A").share == 50);
        REQUIRE(o.blocked.at("A").paths.size() == 1);
        CHECK(o.blocked.at("A").paths[0][0].from == "X");
        CHECK_FALSE(blocked(w.run(eu()), "A"));  // more than 50 % needed
        CHECK_FALSE(blocked(w.run(uk()), "A"));
    }

    TEST_CASE("OFAC example 2: a blocked intermediate passes its full share down the chain") {
        World w;
        w.designated("X").owns("X", 50, "A").owns("A", 50, "B");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "B"));
        const auto& path = o.blocked.at("B").paths.at(0);
        REQUIRE(path.size() == 2);
        CHECK(path[0].from == "X");
        CHECK(path[0].to == "A");
        CHECK(path[1].to == "B");
        CHECK(path[1].share == 50);  // never multiplied to 25
    }

    TEST_CASE("OFAC example 3: direct and indirect holdings add up") {
        World w;
        w.designated("X").owns("X", 50, "A").owns("A", 25, "B").owns("X", 25, "B");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "B"));
        CHECK(o.blocked.at("B").share == 50);
        CHECK(o.blocked.at("B").paths.size() == 2);
        CHECK_FALSE(blocked(w.run(eu()), "B"));
    }

    TEST_CASE(
        "OFAC example 4 and EU FAQ 8: separate designated owners are aggregated, the UK does not "
        "add them") {
        World w;
        w.designated("X").designated("Y").owns("X", 30, "A").owns("Y", 25, "A");
        auto o = w.run(ofac());
        auto e = w.run(eu());
        auto u = w.run(uk());
        CHECK(blocked(o, "A"));
        REQUIRE(blocked(e, "A"));  // the Commission's example: 30 % + 25 % = owned
        CHECK(e.blocked.at("A").share == doctest::Approx(55));
        CHECK_FALSE(blocked(u, "A"));
        CHECK(u.share.at("A") == 30);  // the largest single holding
    }

    TEST_CASE("UK: holdings under a joint arrangement are added within the arrangement") {
        World w;
        w.designated("X").designated("Y").owns("X", 30, "A").owns("Y", 25, "A");
        w.controls("X", "joint_arrangement", "A", {"Y"});
        auto u = w.run(uk());
        REQUIRE(blocked(u, "A"));
        CHECK(u.blocked.at("A").share == doctest::Approx(55));
    }

    TEST_CASE("OFAC: an unblocked intermediate stops the chain; shares are not multiplied") {
        World w;
        w.designated("X").owns("X", 40, "A").owns("A", 50, "B");
        auto o = w.run(ofac());
        CHECK_FALSE(blocked(o, "A"));
        CHECK_FALSE(blocked(o, "B"));
        CHECK(o.share.at("A") == 40);
    }

    TEST_CASE("UK: majority stakes at every link carry blocking down a chain") {
        World w;
        w.designated("X").owns("X", 60, "A").owns("A", 60, "B");
        CHECK(blocked(w.run(uk()), "B"));
        World v;
        v.designated("X").owns("X", 60, "A").owns("A", 40, "B").owns("X", 20, "B");
        CHECK(blocked(v.run(ofac()), "B"));
        CHECK(blocked(v.run(eu()), "B"));
        CHECK_FALSE(blocked(v.run(uk()), "B"));  // 40 and 20 are separate holdings
    }

    TEST_CASE(
        "OFAC FAQ 401: control alone does not block under OFAC (caution), but does under the EU "
        "and UK") {
        World w;
        w.designated("X").controls("X", "board", "A").owns("X", 10, "A");
        auto o = w.run(ofac());
        CHECK_FALSE(blocked(o, "A"));
        REQUIRE(o.caution.count("A"));
        CHECK(o.caution.at("A")[0] == "X (board)");
        auto e = w.run(eu());
        REQUIRE(blocked(e, "A"));
        CHECK(e.blocked.at("A").reason == sanx::BlockReason::control);
        CHECK(blocked(w.run(uk()), "A"));
    }

    TEST_CASE("an edge with no share makes the entity undecided, naming the edge") {
        World w;
        w.designated("X").owns("X", -1, "A").owns("A", 60, "B");
        auto o = w.run(ofac());
        CHECK_FALSE(blocked(o, "A"));
        REQUIRE(o.undecided.count("A"));
        CHECK(o.undecided.at("A")[0] == "owners[0].share (X -> A)");
        REQUIRE(o.undecided.count("B"));  // A could be blocked, and it holds 60 % of B
    }

    TEST_CASE("a known majority decides even beside an unknown share") {
        World w;
        w.designated("X").designated("Y").owns("X", 70, "A").owns("Y", -1, "A");
        auto o = w.run(ofac());
        CHECK(blocked(o, "A"));
        CHECK_FALSE(o.undecided.count("A"));
    }

    TEST_CASE("cycles terminate") {
        World w;
        w.designated("X").owns("X", 60, "A").owns("A", 60, "B").owns("B", 60, "A");
        auto o = w.run(ofac());
        CHECK(blocked(o, "A"));
        CHECK(blocked(o, "B"));
        World u;  // a cycle with no designated member blocks nobody
        u.owns("A", 60, "B").owns("B", 60, "A");
        CHECK(u.run(ofac()).blocked.empty());
    }

    TEST_CASE(
        "in a cycle a blocked owner's holding counts, but no path runs through the entity "
        "itself") {
        World w;
        w.designated("X").owns("X", 50, "A").owns("A", 60, "B").owns("B", 10, "A");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "A"));
        CHECK(o.blocked.at("A").share == doctest::Approx(60));
        REQUIRE(o.blocked.at("A").paths.size() == 1);
        CHECK(chain(o.blocked.at("A").paths[0]) == "X -50-> A");
        REQUIRE(o.blocked.at("B").paths.size() == 1);
        CHECK(chain(o.blocked.at("B").paths[0]) == "X -50-> A -60-> B");
    }

    TEST_CASE("edges count only from their dates") {
        World w;
        w.designated("X").owns("X", 60, "A", std::string("2024-01-01"));
        CHECK_FALSE(blocked(w.run(ofac(), "2023-12-31"), "A"));
        CHECK(blocked(w.run(ofac(), "2024-01-01"), "A"));
    }

    TEST_CASE("data hazards are reported: shares over 100 %, undeclared owners") {
        World w;
        w.owns("P", 70, "A").owns("Q", 60, "A");
        auto messages = w.hazards("Q");
        CHECK(has(messages, "A: owners' shares add up to 130%, more than 100%"));
        CHECK(has(messages,
                  "A: owner 'Q' is not declared in the input or lists; only what the edge says is "
                  "known"));
    }

    TEST_CASE("a blocked entity's share counts a blocked owner found after it (59 %, not 55 %)") {
        // X blocks A at once; B is blocked only when Y's turn comes, after A.
        World w;
        w.designated("X").designated("Y").owns("X", 55, "A").owns("Y", 60, "B").owns("B", 4, "A");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "A"));
        CHECK(o.blocked.at("A").share == doctest::Approx(59));
        CHECK(o.share.at("A") == doctest::Approx(59));
        REQUIRE(o.blocked.at("A").paths.size() == 2);
        CHECK(chain(o.blocked.at("A").paths[0]) == "X -55-> A");
        CHECK(chain(o.blocked.at("A").paths[1]) == "Y -60-> B -4-> A");
        CHECK(o.blocked.at("A").listings == std::vector<std::string>{"X: SDN", "Y: SDN"});
    }

    TEST_CASE("every path of every blocked owner reaches the entities below it") {
        World w;
        w.designated("X").designated("Y").owns("X", 55, "A").owns("Y", 60, "B").owns("B", 4, "A");
        w.owns("A", 60, "C").owns("A", 20, "D").owns("B", 20, "D");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "C"));
        const auto& paths = o.blocked.at("C").paths;
        REQUIRE(paths.size() == 2);
        CHECK(chain(paths[0]) == "X -55-> A -60-> C");
        CHECK(chain(paths[1]) == "Y -60-> B -4-> A -60-> C");
        CHECK(o.blocked.at("C").listings == std::vector<std::string>{"X: SDN", "Y: SDN"});
        // Not blocked: the share is still the one with every blocked owner.
        CHECK_FALSE(blocked(o, "D"));
        CHECK(o.share.at("D") == doctest::Approx(40));
    }

    TEST_CASE(
        "an entity first blocked through control is blocked through ownership when its "
        "blocked owners reach the threshold") {
        World w;
        w.designated("X")
            .designated("Y")
            .controls("X", "board", "A")
            .owns("Y", 60, "B")
            .owns("B", 60, "A");
        auto e = w.run(eu());
        REQUIRE(blocked(e, "A"));
        CHECK(e.blocked.at("A").reason == sanx::BlockReason::ownership);
        CHECK(e.blocked.at("A").share == 60);
        REQUIRE(e.blocked.at("A").paths.size() == 1);
        CHECK(chain(e.blocked.at("A").paths[0]) == "Y -60-> B -60-> A");
    }

    TEST_CASE(
        "one owner's two edges into one entity on the date are a data warning naming both "
        "shares") {
        World w;
        w.designated("X")
            .owns("X", 30, "A")
            .owns("X", 30, "A")
            .owns("X", 10, "B", std::string("2030-01-01"));
        w.owns("X", 20, "B");
        auto messages = w.hazards();
        CHECK(has(messages,
                  "A: owner 'X' has 2 edges into A valid on 2025-06-01 (30% and 30%): "
                  "either one holding recorded twice or separate holdings; where that "
                  "changes the outcome, A is undecided"));
        CHECK(std::none_of(messages.begin(), messages.end(), [](const std::string& m) {
            return m.rfind("B:", 0) == 0;  // the 2030 edge is not valid yet
        }));
    }

    TEST_CASE("repeated edges that block only when added up leave the entity undecided") {
        World w;
        w.designated("X").owns("X", 30, "A").owns("X", 30, "A").owns("A", 60, "B");
        for (const auto& a : {ofac(), eu()}) {
            CAPTURE(a.id);
            auto s = w.run(a);
            CHECK_FALSE(blocked(s, "A"));
            REQUIRE(s.undecided.count("A"));
            CHECK(s.undecided.at("A") ==
                  std::vector<std::string>{
                      "whether owner X's edges 30% and 30% into A are one holding or two"});
            CHECK(s.undecided.count("B"));  // A could be blocked, and it holds 60 % of B
        }
        World v;  // three edges
        v.designated("X").owns("X", 20, "A").owns("X", 20, "A").owns("X", 20, "A");
        auto o = v.run(ofac());
        REQUIRE(o.undecided.count("A"));
        CHECK(o.undecided.at("A")[0] ==
              "whether owner X's edges 20%, 20% and 20% into A are one holding or several");
    }

    TEST_CASE("repeated edges are decided where adding them up or not gives the same outcome") {
        SUBCASE("FollowTheMoney's overlapping 51 % and 48 % rows block either way") {
            World w;
            w.designated("X").owns("X", 51, "A").owns("X", 48, "A");
            for (const auto& a : {ofac(), eu()}) {
                CAPTURE(a.id);
                auto s = w.run(a);
                REQUIRE(blocked(s, "A"));
                CHECK_FALSE(s.undecided.count("A"));
                CHECK(s.blocked.at("A").share == doctest::Approx(99));  // as the data says
                CHECK(s.blocked.at("A").paths.size() == 2);
            }
        }
        SUBCASE("20 % and 20 % stay below the threshold either way") {
            World w;
            w.designated("X").owns("X", 20, "A").owns("X", 20, "A");
            auto o = w.run(ofac());
            CHECK_FALSE(blocked(o, "A"));
            CHECK_FALSE(o.undecided.count("A"));
            CHECK(o.share.at("A") == doctest::Approx(40));
        }
        SUBCASE("another blocked owner makes the largest edge enough") {
            World w;
            w.designated("X")
                .designated("Y")
                .owns("X", 30, "A")
                .owns("X", 30, "A")
                .owns("Y", 25, "A");
            auto e = w.run(eu());
            REQUIRE(blocked(e, "A"));
            CHECK_FALSE(e.undecided.count("A"));
        }
    }

    TEST_CASE("a share between 0 and 1 is warned as probably a fraction") {
        World w;
        w.designated("X").owns("X", 0.5, "A").owns("X", 1, "B").owns("X", 0, "C");
        w.owns("X", 0.25, "D", std::string("2030-01-01"));  // whatever its dates
        auto messages = w.hazards();
        CHECK(messages == std::vector<std::string>{
                              "A: share 0.5 of X in A is read as 0.5%; if a fraction was meant "
                              "write 50 or \"50%\"",
                              "D: share 0.25 of X in D is read as 0.25%; if a fraction was meant "
                              "write 25 or \"25%\""});
        CHECK(w.run(ofac()).share.at("A") == doctest::Approx(0.5));  // still read as a percent
    }

    TEST_CASE("a 60 % chain of 10,000 companies stores a few links per company, not the chain") {
        constexpr int n = 10000;
        World w;
        w.designated("root").owns("root", 60, "c1");
        for (int i = 2; i <= n; ++i)
            w.owns("c" + std::to_string(i - 1), 60, "c" + std::to_string(i));
        auto o = w.run(ofac());
        REQUIRE(o.blocked.size() == n + 1);
        std::size_t links = 0, longest = 0;
        for (const auto& [id, b] : o.blocked)
            for (const auto& p : b.paths) {
                links += p.size();
                longest = std::max(longest, p.size());
            }
        CHECK(longest == 8);
        CHECK(links <= 8 * std::size_t(n));  // whole paths would be n(n+1)/2 = 50 million
        // Eight links are kept whole; the ninth is cut.
        CHECK(chain(o.blocked.at("c8").paths.at(0)) ==
              "root -60-> c1 -60-> c2 -60-> c3 -60-> c4 -60-> c5 -60-> c6 -60-> c7 -60-> c8");
        CHECK(chain(o.blocked.at("c9").paths.at(0)) ==
              "root -60-> c1 -60-> … and 3 more links -60-> c4 -60-> c5 -60-> c6 -60-> c7 -60-> "
              "c8 -60-> c9");
        const auto& last = o.blocked.at("c10000");
        REQUIRE(last.paths.size() == 1);
        CHECK(chain(last.paths[0]) ==
              "root -60-> c1 -60-> … and 9,994 more links -60-> c9995 -60-> c9996 -60-> c9997 "
              "-60-> c9998 -60-> c9999 -60-> c10000");
        CHECK(last.listings == std::vector<std::string>{"root: SDN"});
    }
}
