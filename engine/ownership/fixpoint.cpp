#include "ownership/fixpoint.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>

#include "common/parallel.hpp"

namespace sanx::detail::ownership {

namespace {

using eval::Kind;
using eval::Value;

const std::vector<OwnerEdge> no_owners;
const std::vector<ControlEdge> no_controllers;
const std::vector<std::string> no_children;

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
std::string percent(double v) { return eval::percent_text(v); }

/// `a`, `a and b`, `a, b and c`.
std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return out;
}

/// The shares of `owner`'s edges, in edge order: `30% and an unknown share`.
std::string shares_of(const std::vector<OwnerEdge>& owners, const std::string& owner) {
    std::vector<std::string> parts;
    for (const auto& e : owners)
        if (e.owner == owner) parts.push_back(e.share ? percent(*e.share) : "an unknown share");
    return joined(parts);
}

/// 9998 -> "9,998".
std::string grouped(std::size_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

namespace {

/// One entity's edges valid on the date and the problems in them, before they go in the maps.
struct Edges {
    std::vector<OwnerEdge> owners;
    std::vector<ControlEdge> controllers;
    std::vector<std::pair<std::string, std::string>> hazards;
};

Edges edges_of(const std::string& id, const Value& e,
               const std::unordered_map<std::string, const Value*>& entities, eval::Date as_of) {
    Edges out;
    // A party merged from several list entries is here under each of its ids; its data
    // problems are said once, under the id it goes by.
    const Value* own_id = e.field("id");
    const bool alias = own_id && own_id->is(Kind::string) && own_id->as_string() != id;
    auto hazard = [&](const std::string& where, std::string message) {
        if (!alias) out.hazards.emplace_back(where, std::move(message));
    };
    double total = 0;
    if (const Value* owners = e.field("owners"); owners && owners->is(Kind::list)) {
        std::size_t i = 0;
        for (const auto& o : owners->as_list()) {
            const Value* oid = o.field("id");
            const Value* from = o.field("from");
            const Value* until = o.field("until");
            if (from && until && from->is(Kind::date) && until->is(Kind::date) &&
                until->as_date().days < from->as_date().days)
                hazard(id, "owner edge " + (oid ? eval::display(*oid) : "?") + " ends (" +
                               eval::display(*until) + ") before it starts (" +
                               eval::display(*from) + ")");
            // Whatever its dates: the data says something it probably does not mean.
            const Value* s = o.field("share");
            if (s && s->is(Kind::dbl) && s->as_double() > 0 && s->as_double() < 1) {
                double v = s->as_double();
                hazard(id, "share " + number(v) + " of " + (oid ? eval::display(*oid) : "?") +
                               " in " + id + " is read as " + percent(v) +
                               "; if a fraction was meant write " + number(v * 100) + " or \"" +
                               percent(v * 100) + "\"");
            }
            if (!oid || !oid->is(Kind::string) || !eval::in_force(o, as_of)) {
                ++i;
                continue;
            }
            OwnerEdge edge{oid->as_string(), std::nullopt, i++};
            if (s && s->is(Kind::dbl)) {
                edge.share = s->as_double();
                total += s->as_double();
            }
            if (!entities.count(edge.owner))
                hazard(id, "owner '" + edge.owner +
                               "' is not declared in the input or lists; only "
                               "what the edge says is known");
            out.owners.push_back(std::move(edge));
        }
    }
    // One owner with several edges valid on the date: recorded twice, or two holdings?
    auto& edges = out.owners;
    if (edges.size() > 1) {
        std::unordered_map<std::string, std::size_t> count;
        for (const auto& x : edges) ++count[x.owner];
        for (auto& x : edges) {
            if (x.repeated || count[x.owner] < 2) continue;
            for (auto& y : edges)
                if (y.owner == x.owner) y.repeated = true;
            hazard(id, "owner '" + x.owner + "' has " + std::to_string(count[x.owner]) +
                           " edges into " + id + " valid on " + eval::format_date(as_of) + " (" +
                           shares_of(edges, x.owner) +
                           "): either one holding recorded twice or separate holdings; where "
                           "that changes the outcome, " +
                           id + " is undecided");
        }
    }
    if (total > 100.0 + 1e-9)
        hazard(id, "owners' shares add up to " + percent(total) + ", more than 100%");
    if (const Value* ctrls = e.field("controllers"); ctrls && ctrls->is(Kind::list)) {
        for (const auto& c : ctrls->as_list()) {
            const Value* cid = c.field("id");
            const Value* basis = c.field("basis");
            if (!cid || !cid->is(Kind::string) || !eval::in_force(c, as_of)) continue;
            ControlEdge edge{
                cid->as_string(), basis && basis->is(Kind::string) ? basis->as_string() : "", {}};
            if (const Value* with = c.field("with"); with && with->is(Kind::list))
                for (const auto& w : with->as_list())
                    if (w.is(Kind::string)) edge.with.push_back(w.as_string());
            out.controllers.push_back(std::move(edge));
        }
    }
    return out;
}

}  // namespace

Graph::Graph(const std::unordered_map<std::string, const Value*>& entities, eval::Date as_of,
             unsigned jobs) {
    std::vector<const std::pair<const std::string, const Value*>*> ids;
    ids.reserve(entities.size());
    for (const auto& entry : entities) ids.push_back(&entry);
    // deterministic hazards and children order
    std::sort(ids.begin(), ids.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    // Each entity's edges are read on their own, in parts at once; then put in order.
    std::vector<Edges> read(ids.size());
    const unsigned parts =
        static_cast<unsigned>(std::clamp<std::size_t>(ids.size() / 4096, 1, workers(jobs)));
    run_parts(parts, [&](unsigned p) {
        auto [begin, end] = part_range(ids.size(), parts, p);
        for (std::size_t k = begin; k < end; ++k)
            read[k] = edges_of(ids[k]->first, *ids[k]->second, entities, as_of);
    });
    owners_.reserve(entities.size());
    children_.reserve(entities.size());
    for (std::size_t k = 0; k < ids.size(); ++k) {
        Edges& e = read[k];
        const std::string& id = ids[k]->first;
        hazards_.insert(hazards_.end(), std::make_move_iterator(e.hazards.begin()),
                        std::make_move_iterator(e.hazards.end()));
        for (const auto& o : e.owners) children_[o.owner].push_back(id);
        for (const auto& c : e.controllers) children_[c.controller].push_back(id);
        if (!e.owners.empty()) owners_.emplace(id, std::move(e.owners));
        if (!e.controllers.empty()) controllers_.emplace(id, std::move(e.controllers));
    }
    for (auto& [id, kids] : children_) {
        std::sort(kids.begin(), kids.end());
        kids.erase(std::unique(kids.begin(), kids.end()), kids.end());
    }
}

const std::vector<OwnerEdge>& Graph::owners(const std::string& id) const {
    auto it = owners_.find(id);
    return it == owners_.end() ? no_owners : it->second;
}
const std::vector<ControlEdge>& Graph::controllers(const std::string& id) const {
    auto it = controllers_.find(id);
    return it == controllers_.end() ? no_controllers : it->second;
}
const std::vector<std::string>& Graph::children(const std::string& id) const {
    auto it = children_.find(id);
    return it == children_.end() ? no_children : it->second;
}

namespace {

// Paths are capped twice: at most `max_paths` per blocked entity, each at most `max_links`
// links, so a 60 % chain of 10,000 companies stores a few links per company, not the whole
// chain. A longer path keeps its first `head_links` links (the listed person and what it
// holds) and its last `tail_links` (the holdings nearest the entity); the links between are
// replaced by a stand-in node named `… and N more links`, where N counts the real links
// left out: a link from the last kept head entity to the stand-in, with the share of the
// first link left out, and one from the stand-in to the first kept tail entity, with the
// share of the last link left out. So a path still reads as one chain from its root, in
// text and in graphs, and names how much of it is not shown.
constexpr std::size_t max_paths = 8;
constexpr std::size_t head_links = 1;
constexpr std::size_t tail_links = 5;
constexpr std::size_t max_links = head_links + 2 + tail_links;
// Paths are settled by passes in blocking order until no path changes. An owner blocked
// later usually settles in one more pass; the bound ends passes that a cycle longer than a
// cut path (whose hidden part cannot be checked for the entity) would keep changing.
constexpr int max_passes = 16;

/// A chain from a listed person (or a controller) to an entity, as stored: at most
/// `max_links` links, `hidden` of the real ones left out behind the stand-in.
struct Path {
    std::vector<OwnershipLink> links;
    std::size_t hidden = 0;

    bool visits(const std::string& id) const {
        return std::any_of(links.begin(), links.end(),
                           [&](const OwnershipLink& l) { return l.from == id || l.to == id; });
    }
    bool operator==(const Path& o) const {
        return hidden == o.hidden &&
               std::equal(links.begin(), links.end(), o.links.begin(), o.links.end(),
                          [](const OwnershipLink& a, const OwnershipLink& b) {
                              return a.from == b.from && a.to == b.to && a.share == b.share;
                          });
    }

    /// This path followed by `link`, cut to `max_links`.
    Path then(OwnershipLink link) const {
        Path q = *this;
        q.links.push_back(std::move(link));
        auto at = [&](std::size_t i) { return q.links.begin() + static_cast<std::ptrdiff_t>(i); };
        if (q.hidden) {
            // Already cut: the oldest tail link joins the hidden ones.
            const OwnershipLink oldest = q.links[head_links + 2];
            std::string more = more_links(++q.hidden);
            q.links[head_links].to = more;
            q.links[head_links + 1] = {more, oldest.to, oldest.share};
            q.links.erase(at(head_links + 2));
        } else if (q.links.size() > max_links) {
            std::size_t k = q.links.size();
            q.hidden = k - head_links - tail_links;
            std::string more = more_links(q.hidden);
            OwnershipLink into{q.links[head_links].from, more, q.links[head_links].share};
            OwnershipLink out{more, q.links[k - tail_links - 1].to,
                              q.links[k - tail_links - 1].share};
            q.links.erase(at(head_links), at(k - tail_links));
            q.links.insert(at(head_links), {std::move(into), std::move(out)});
        }
        return q;
    }

    static std::string more_links(std::size_t n) { return "… and " + grouped(n) + " more links"; }
};

/// The share in one entity held by blocked owners, read both ways where an owner has
/// repeated edges into it (OwnerEdge::repeated).
struct Designated {
    double added = 0;    ///< repeated edges added up, as the data says
    double largest = 0;  ///< only the largest of an owner's repeated edges counted
    std::vector<const OwnerEdge*> carrying;  ///< the edges `added` rests on
    std::vector<std::string> unknown;        ///< blocked owners' edges with no share
    std::vector<std::string> repeats;        ///< one question per blocked owner with repeats
};

class Fixpoint {
  public:
    Fixpoint(const Graph& g, const Authority& a) : g_(g), a_(a) {}

    AuthorityState run(const std::unordered_map<std::string, std::vector<std::string>>& listed) {
        std::vector<std::string> seeds;
        for (const auto& kv : listed) seeds.push_back(kv.first);
        std::sort(seeds.begin(), seeds.end());
        for (const auto& id : seeds) {
            Blocking b;
            b.reason = BlockReason::listed;
            b.share = 100;
            b.listings = listed.at(id);
            st_.blocked.emplace(id, std::move(b));
            paths_[id] = {Path{}};  // chains start here
            queue_.push_back(id);
        }
        // Each entity enters the blocked set once, so cycles end; each time an owner is
        // blocked, only the entities it holds are looked at again.
        while (!queue_.empty()) {
            std::string id = std::move(queue_.front());
            queue_.pop_front();
            for (const auto& child : g_.children(id))
                if (!st_.blocked.count(child)) consider(child);
        }
        settle();
        propagate_undecided();
        return std::move(st_);
    }

  private:
    bool meets(double share) const {
        return a_.ownership.inclusive ? share >= a_.ownership.threshold - 1e-9
                                      : share > a_.ownership.threshold + 1e-9;
    }

    /// Owners of `id` that are in one joint arrangement with `owner` (UK), itself included.
    std::vector<std::string> arrangement_of(const std::string& id, const std::string& owner) const {
        std::vector<std::string> group{owner};
        for (const auto& c : g_.controllers(id)) {
            if (c.basis != "joint_arrangement") continue;
            std::vector<std::string> members = c.with;
            members.push_back(c.controller);
            if (std::find(members.begin(), members.end(), owner) == members.end()) continue;
            for (const auto& m : members)
                if (std::find(group.begin(), group.end(), m) == group.end()) group.push_back(m);
        }
        return group;
    }

    /// The designated share in `id` as this authority counts it, with the current blocked set.
    Designated designated(const std::string& id) const {
        Designated d;
        const auto& owners = g_.owners(id);
        std::vector<std::string> asked;
        for (const auto& e : owners) {
            if (!st_.blocked.count(e.owner)) continue;
            if (!e.share)
                d.unknown.push_back("owners[" + std::to_string(e.index) + "].share (" + e.owner +
                                    " -> " + id + ")");
            if (!e.repeated || std::find(asked.begin(), asked.end(), e.owner) != asked.end())
                continue;
            asked.push_back(e.owner);
            std::size_t edges = 0, known = 0;
            for (const auto& f : owners)
                if (f.owner == e.owner) {
                    ++edges;
                    known += f.share ? 1 : 0;
                }
            // With one known share, the unknown ones are asked about already.
            if (known > 1)
                d.repeats.push_back("whether owner " + e.owner + "'s edges " +
                                    shares_of(owners, e.owner) + " into " + id +
                                    " are one holding or " + (edges == 2 ? "two" : "several"));
        }
        // The known shares of the blocked owners `in` admits, added up and read as `largest`.
        auto holdings = [&](auto in, Designated& into) {
            into.added = 0;
            into.carrying.clear();
            std::map<std::string, std::pair<double, double>> repeated;  // owner -> sum, max
            for (const auto& e : owners) {
                if (!e.share || !st_.blocked.count(e.owner) || !in(e.owner)) continue;
                into.added += *e.share;
                into.carrying.push_back(&e);
                if (!e.repeated) continue;
                auto& [sum, max] = repeated[e.owner];
                sum += *e.share;
                max = std::max(max, *e.share);
            }
            into.largest = into.added;
            for (const auto& [owner, sm] : repeated) into.largest -= sm.first - sm.second;
        };
        if (a_.ownership.aggregate != "joint_arrangement") {
            holdings([](const std::string&) { return true; }, d);
            return d;
        }
        // Separate holders are not added up, except within a joint arrangement.
        for (const auto& e : owners) {
            if (!e.share || !st_.blocked.count(e.owner)) continue;
            auto group = arrangement_of(id, e.owner);
            Designated g;
            holdings(
                [&](const std::string& o) {
                    return std::find(group.begin(), group.end(), o) != group.end();
                },
                g);
            if (g.added > d.added) {
                d.added = g.added;
                d.carrying = std::move(g.carrying);
            }
            d.largest = std::max(d.largest, g.largest);
        }
        return d;
    }

    /// The paths into `id` through its carrying edges, from the owners' current paths. Each
    /// carrying owner gets a path before any gets a second, so a capped list still names
    /// every blocked owner it can; a path that already passes through `id` is left out.
    std::vector<Path> paths_of(const std::string& id) const {
        const auto& carrying = carrying_.at(id);
        std::vector<std::vector<const Path*>> from(carrying.size());
        for (std::size_t i = 0; i < carrying.size(); ++i)
            for (const auto& p : paths_.at(carrying[i]->owner))
                if (!p.visits(id)) from[i].push_back(&p);
        std::vector<std::size_t> take(carrying.size(), 0);
        for (std::size_t round = 0, n = 0; n < max_paths; ++round) {
            bool any = false;
            for (std::size_t i = 0; i < carrying.size() && n < max_paths; ++i)
                if (round < from[i].size()) {
                    ++take[i];
                    ++n;
                    any = true;
                }
            if (!any) break;
        }
        std::vector<Path> out;
        for (std::size_t i = 0; i < carrying.size(); ++i)
            for (std::size_t j = 0; j < take[i]; ++j)
                out.push_back(from[i][j]->then({carrying[i]->owner, id, *carrying[i]->share}));
        return out;
    }

    /// The listings the chains start from, with their dates: `X: SDN RUSSIA-EO14024 since ...`.
    void note_roots(Blocking& b) const {
        for (const auto& p : b.paths) {
            const std::string& root = p.front().from;
            auto it = st_.blocked.find(root);
            if (it == st_.blocked.end() || it->second.reason != BlockReason::listed) continue;
            for (const auto& l : it->second.listings) {
                std::string text = root + ": " + l;
                if (std::find(b.listings.begin(), b.listings.end(), text) == b.listings.end())
                    b.listings.push_back(std::move(text));
            }
        }
    }

    void block(const std::string& id, BlockReason reason, double share) {
        Blocking b;
        b.reason = reason;
        b.share = share;
        st_.undecided.erase(id);
        st_.blocked.emplace(id, std::move(b));
        order_.push_back(id);
        queue_.push_back(id);
    }

    void consider(const std::string& id) {
        Designated d = designated(id);
        if (d.added > 0) st_.share[id] = d.added;
        // Blocked whether repeated edges are one holding or several.
        if (meets(d.largest)) {
            carrying_[id] = std::move(d.carrying);
            paths_[id] = paths_of(id);
            block(id, BlockReason::ownership, d.added);
            return;
        }
        for (const auto& c : g_.controllers(id)) {
            if (!st_.blocked.count(c.controller)) continue;
            bool blocks = a_.control.blocks &&
                          (a_.control.bases.empty() ||
                           std::find(a_.control.bases.begin(), a_.control.bases.end(), c.basis) !=
                               a_.control.bases.end());
            if (blocks) {
                paths_[id] = {Path{{OwnershipLink{c.controller, id, 0}}}};
                block(id, BlockReason::control, d.added);
                return;
            }
            if (a_.control.caution) {
                auto& notes = st_.caution[id];
                std::string note = c.controller + " (" + c.basis + ")";
                if (std::find(notes.begin(), notes.end(), note) == notes.end())
                    notes.push_back(note);
            }
        }
        std::vector<std::string> missing = std::move(d.unknown);
        if (meets(d.added))  // blocks only if repeated edges are separate holdings
            missing.insert(missing.end(), d.repeats.begin(), d.repeats.end());
        if (!missing.empty()) st_.undecided[id] = std::move(missing);
    }

    /// Share, reason and paths of every entity blocked through ownership or control, from
    /// the blocked set as it ends: an entity blocked early also counts the blocked owners
    /// found after it, and one blocked through control whose blocked owners have since
    /// reached the threshold is blocked through ownership, as `consider` would decide now.
    void settle() {
        for (const auto& id : order_) {
            Designated d = designated(id);
            Blocking& b = st_.blocked.at(id);
            b.share = d.added;
            if (d.added > 0) st_.share[id] = d.added;
            if (meets(d.largest)) {
                b.reason = BlockReason::ownership;
                carrying_[id] = std::move(d.carrying);
            }
        }
        bool changed = true;
        for (int pass = 0; changed && pass < max_passes; ++pass) {
            changed = false;
            for (const auto& id : order_) {
                if (!carrying_.count(id) || st_.blocked.at(id).reason != BlockReason::ownership)
                    continue;
                auto p = paths_of(id);
                if (p == paths_.at(id)) continue;
                paths_[id] = std::move(p);
                changed = true;
            }
        }
        for (const auto& id : order_) {
            Blocking& b = st_.blocked.at(id);
            b.paths.clear();
            b.listings.clear();
            for (const auto& p : paths_.at(id)) b.paths.push_back(p.links);
            note_roots(b);
        }
    }

    /// An entity whose undecided owner could tip it over the threshold is undecided too.
    void propagate_undecided() {
        std::deque<std::string> work;
        for (const auto& kv : st_.undecided) work.push_back(kv.first);
        std::sort(work.begin(), work.end());
        while (!work.empty()) {
            std::string id = std::move(work.front());
            work.pop_front();
            for (const auto& child : g_.children(id)) {
                if (st_.blocked.count(child) || st_.undecided.count(child)) continue;
                double known = st_.share.count(child) ? st_.share.at(child) : 0;
                double possible = known;
                std::vector<std::string> missing;
                for (const auto& e : g_.owners(child))
                    if (st_.undecided.count(e.owner)) {
                        possible += e.share.value_or(100);
                        missing.push_back(
                            "ownership of " + e.owner + " (holds " +
                            (e.share ? percent(*e.share) : std::string("an unknown share")) +
                            " of " + child + ")");
                    }
                if (!missing.empty() && meets(possible)) {
                    st_.undecided[child] = missing;
                    work.push_back(child);
                }
            }
        }
    }

    const Graph& g_;
    const Authority& a_;
    AuthorityState st_;
    std::deque<std::string> queue_;
    std::vector<std::string> order_;  ///< entities blocked through ownership or control, in order
    std::unordered_map<std::string, std::vector<const OwnerEdge*>> carrying_;
    std::unordered_map<std::string, std::vector<Path>> paths_;
};

}  // namespace

AuthorityState compute(const Graph& graph, const Authority& authority,
                       const std::unordered_map<std::string, std::vector<std::string>>& listed) {
    return Fixpoint(graph, authority).run(listed);
}

}  // namespace sanx::detail::ownership
