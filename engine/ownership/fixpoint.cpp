#include "ownership/fixpoint.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>

namespace sanx::detail::ownership {

namespace {

using eval::Kind;
using eval::Value;

const std::vector<OwnerEdge> no_owners;
const std::vector<ControlEdge> no_controllers;
const std::vector<std::string> no_children;

bool valid_on(const Value& edge, eval::Date d) {
    const Value* from = edge.field("from");
    const Value* until = edge.field("until");
    if (from && from->is(Kind::date) && from->as_date().days > d.days) return false;
    if (until && until->is(Kind::date) && until->as_date().days < d.days) return false;
    return true;
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", v);
    return buf;
}

constexpr std::size_t max_paths = 8;

}  // namespace

Graph::Graph(const std::unordered_map<std::string, const Value*>& entities, eval::Date as_of) {
    std::vector<std::string> ids;
    ids.reserve(entities.size());
    owners_.reserve(entities.size());
    children_.reserve(entities.size());
    for (const auto& kv : entities) ids.push_back(kv.first);
    std::sort(ids.begin(), ids.end());  // deterministic hazards and children order
    for (const auto& id : ids) {
        const Value& e = *entities.at(id);
        double total = 0;
        if (const Value* owners = e.field("owners"); owners && owners->is(Kind::list)) {
            std::size_t i = 0;
            for (const auto& o : owners->as_list()) {
                const Value* oid = o.field("id");
                const Value* from = o.field("from");
                const Value* until = o.field("until");
                if (from && until && from->is(Kind::date) && until->is(Kind::date) &&
                    until->as_date().days < from->as_date().days)
                    hazards_.emplace_back(id, "owner edge " + (oid ? eval::display(*oid) : "?") +
                                                  " ends (" + eval::display(*until) +
                                                  ") before it starts (" + eval::display(*from) +
                                                  ")");
                if (!oid || !oid->is(Kind::string) || !valid_on(o, as_of)) {
                    ++i;
                    continue;
                }
                OwnerEdge edge{oid->as_string(), std::nullopt, i++};
                if (const Value* s = o.field("share"); s && s->is(Kind::dbl)) {
                    edge.share = s->as_double();
                    total += s->as_double();
                }
                if (!entities.count(edge.owner))
                    hazards_.emplace_back(id, "owner '" + edge.owner +
                                                  "' is not declared in the input or lists; only "
                                                  "what the edge says is known");
                children_[edge.owner].push_back(id);
                owners_[id].push_back(std::move(edge));
            }
        }
        if (total > 100.0 + 1e-9)
            hazards_.emplace_back(
                id, "owners' shares add up to " + percent(total) + ", more than 100%");
        if (const Value* ctrls = e.field("controllers"); ctrls && ctrls->is(Kind::list)) {
            for (const auto& c : ctrls->as_list()) {
                const Value* cid = c.field("id");
                const Value* basis = c.field("basis");
                if (!cid || !cid->is(Kind::string) || !valid_on(c, as_of)) continue;
                ControlEdge edge{cid->as_string(),
                                 basis && basis->is(Kind::string) ? basis->as_string() : "",
                                 {}};
                if (const Value* with = c.field("with"); with && with->is(Kind::list))
                    for (const auto& w : with->as_list())
                        if (w.is(Kind::string)) edge.with.push_back(w.as_string());
                children_[edge.controller].push_back(id);
                controllers_[id].push_back(std::move(edge));
            }
        }
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

class Fixpoint {
  public:
    Fixpoint(const Graph& g, const Authority& a) : g_(g), a_(a) {}

    AuthorityState run(const std::unordered_map<std::string, std::vector<std::string>>& listed) {
        std::vector<std::string> seeds;
        for (const auto& kv : listed) seeds.push_back(kv.first);
        std::sort(seeds.begin(), seeds.end());
        for (const auto& id : seeds) {
            Blocking b;
            b.reason = "listed";
            b.share = 100;
            b.listings = listed.at(id);
            st_.blocked.emplace(id, std::move(b));
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

    /// The designated share in `id` as this authority counts it, and the edges it rests on.
    double designated_share(const std::string& id, std::vector<const OwnerEdge*>& carrying,
                            std::vector<std::string>& unknown) const {
        const auto& owners = g_.owners(id);
        bool joint_only = a_.ownership.aggregate == "joint_arrangement";
        // A blocked owner's edge counts when its share is known; an unknown share is noted.
        auto counts = [&](const OwnerEdge& e) {
            if (!st_.blocked.count(e.owner)) return false;
            if (e.share) return true;
            unknown.push_back("owners[" + std::to_string(e.index) + "].share (" + e.owner + " -> " +
                              id + ")");
            return false;
        };
        double best = 0;
        if (!joint_only) {
            for (const auto& e : owners) {
                if (!counts(e)) continue;
                best += *e.share;
                carrying.push_back(&e);
            }
            return best;
        }
        // Separate holders are not added up, except within a joint arrangement.
        for (const auto& e : owners) {
            if (!counts(e)) continue;
            auto group = arrangement_of(id, e.owner);
            double sum = 0;
            std::vector<const OwnerEdge*> edges;
            for (const auto& o : owners)
                if (o.share && st_.blocked.count(o.owner) &&
                    std::find(group.begin(), group.end(), o.owner) != group.end()) {
                    sum += *o.share;
                    edges.push_back(&o);
                }
            if (sum > best) {
                best = sum;
                carrying = edges;
            }
        }
        return best;
    }

    std::vector<std::vector<OwnershipLink>> paths_through(const std::string& owner,
                                                          const std::string& id,
                                                          double share) const {
        std::vector<std::vector<OwnershipLink>> out;
        const Blocking& b = st_.blocked.at(owner);
        if (b.paths.empty()) out.push_back({OwnershipLink{owner, id, share}});
        for (const auto& p : b.paths) {
            if (out.size() >= max_paths) break;
            auto q = p;
            q.push_back({owner, id, share});
            out.push_back(std::move(q));
        }
        return out;
    }

    /// The listings the chains start from, with their dates: `X: SDN RUSSIA-EO14024 since ...`.
    void note_roots(Blocking& b) const {
        for (const auto& p : b.paths) {
            const std::string& root = p.front().from;
            auto it = st_.blocked.find(root);
            if (it == st_.blocked.end() || it->second.reason != "listed") continue;
            for (const auto& l : it->second.listings) {
                std::string text = root + ": " + l;
                if (std::find(b.listings.begin(), b.listings.end(), text) == b.listings.end())
                    b.listings.push_back(std::move(text));
            }
        }
    }

    void consider(const std::string& id) {
        std::vector<const OwnerEdge*> carrying;
        std::vector<std::string> unknown;
        double share = designated_share(id, carrying, unknown);
        if (share > 0) st_.share[id] = share;
        if (meets(share)) {
            Blocking b;
            b.reason = "ownership";
            b.share = share;
            for (const auto* e : carrying)
                for (auto& p : paths_through(e->owner, id, *e->share))
                    if (b.paths.size() < max_paths) b.paths.push_back(std::move(p));
            note_roots(b);
            st_.undecided.erase(id);
            st_.blocked.emplace(id, std::move(b));
            queue_.push_back(id);
            return;
        }
        for (const auto& c : g_.controllers(id)) {
            if (!st_.blocked.count(c.controller)) continue;
            bool blocks = a_.control.blocks &&
                          (a_.control.bases.empty() ||
                           std::find(a_.control.bases.begin(), a_.control.bases.end(), c.basis) !=
                               a_.control.bases.end());
            if (blocks) {
                Blocking b;
                b.reason = "control";
                b.share = share;
                b.paths.push_back({OwnershipLink{c.controller, id, 0}});
                note_roots(b);
                st_.undecided.erase(id);
                st_.blocked.emplace(id, std::move(b));
                queue_.push_back(id);
                return;
            }
            if (a_.control.caution) {
                auto& notes = st_.caution[id];
                std::string note = c.controller + " (" + c.basis + ")";
                if (std::find(notes.begin(), notes.end(), note) == notes.end())
                    notes.push_back(note);
            }
        }
        if (!unknown.empty()) st_.undecided[id] = unknown;
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
};

}  // namespace

AuthorityState compute(const Graph& graph, const Authority& authority,
                       const std::unordered_map<std::string, std::vector<std::string>>& listed) {
    return Fixpoint(graph, authority).run(listed);
}

}  // namespace sanx::detail::ownership
