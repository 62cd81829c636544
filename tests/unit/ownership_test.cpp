// Blocking through ownership and control: OFAC's 2014 guidance examples (FAQs 398-401) and
// the European Commission's aggregation FAQ, each computed for OFAC, the EU and the UK.

#include <doctest/doctest.h>

#include <algorithm>
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

    AuthorityState run(const Authority& a, const char* as_of = "2025-06-01") {
        std::vector<Value> values;
        values.reserve(entities.size());
        std::unordered_map<std::string, const Value*> by_id;
        for (auto& [id, m] : entities) values.emplace_back(m);
        std::size_t i = 0;
        for (auto& [id, m] : entities) by_id[id] = &values[i++];
        eval::Date d;
        eval::parse_date(as_of, d);
        Graph g(by_id, d);
        std::unordered_map<std::string, std::vector<std::string>> seeds;
        for (const auto& id : listed) seeds[id] = {"SDN"};
        return detail::ownership::compute(g, a, seeds);
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

}  // namespace

TEST_SUITE("ownership") {
    TEST_CASE("OFAC example 1: 50 % held by one blocked person blocks under OFAC only") {
        World w;
        w.designated("X").owns("X", 50, "A");
        auto o = w.run(ofac());
        REQUIRE(blocked(o, "A"));
        CHECK(o.blocked.at("A").reason == "ownership");
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
        CHECK(e.blocked.at("A").reason == "control");
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

    TEST_CASE("edges count only from their dates") {
        World w;
        w.designated("X").owns("X", 60, "A", std::string("2024-01-01"));
        CHECK_FALSE(blocked(w.run(ofac(), "2023-12-31"), "A"));
        CHECK(blocked(w.run(ofac(), "2024-01-01"), "A"));
    }

    TEST_CASE("data hazards are reported: shares over 100 %, undeclared owners") {
        World w;
        w.owns("P", 70, "A").owns("Q", 60, "A");
        std::vector<Value> values;
        std::unordered_map<std::string, const Value*> by_id;
        for (auto& [id, m] : w.entities) values.emplace_back(m);
        std::size_t i = 0;
        for (auto& [id, m] : w.entities) by_id[id] = &values[i++];
        by_id.erase("Q");
        eval::Date d;
        eval::parse_date("2025-01-01", d);
        Graph g(by_id, d);
        std::vector<std::string> messages;
        for (const auto& h : g.hazards()) messages.push_back(h.first + ": " + h.second);
        CHECK(std::find(messages.begin(), messages.end(),
                        "A: owners' shares add up to 130%, more than 100%") != messages.end());
        CHECK(std::find(messages.begin(), messages.end(),
                        "A: owner 'Q' is not declared in the input or lists; only what the edge "
                        "says is known") != messages.end());
    }
}
