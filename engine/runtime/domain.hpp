#pragma once

// The domain functions' view of the packs and an input on one date: blocs, relations,
// listings and ownership. A Session (runtime/session.hpp) owns one; everything that
// evaluates goes through a session.

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/parallel.hpp"
#include "eval/evaluator.hpp"
#include "io/input.hpp"
#include "ownership/fixpoint.hpp"
#include "packs/model.hpp"

namespace sanx::detail {

/// Evaluation-time facts: blocs, relations, listings and ownership on one date.
class PackDomain final : public eval::Domain {
  public:
    using Kind = eval::Kind;
    using Value = eval::Value;
    using States = std::map<std::string, ownership::AuthorityState>;

    PackDomain(const Model& m, const InputData& in, eval::Date as_of)
        : m_(m), in_(in), as_of_(as_of) {}

    /// Every authority's ownership fixpoint over `graph` (the input's edges on the date).
    /// Each authority's fixpoint is its own: up to `jobs` of them run at once (0: one per
    /// core).
    States compute_ownership(const ownership::Graph& graph, unsigned jobs = 1) const {
        std::vector<std::pair<std::string, Authority>> owning;
        for (const auto& [id, undated] : m_.authorities)
            if (Authority a = undated.on(as_of_); a.ownership.present) owning.emplace_back(id, a);
        std::vector<ownership::AuthorityState> found(owning.size());
        const auto parts =
            static_cast<unsigned>(std::clamp<std::size_t>(owning.size(), 1, workers(jobs)));
        run_parts(parts, [&](unsigned p) {
            auto [begin, end] = part_range(owning.size(), parts, p);
            for (std::size_t k = begin; k < end; ++k) {
                const auto& [id, a] = owning[k];
                std::unordered_map<std::string, std::vector<std::string>> listed;
                for (const auto& [eid, entity] : in_.by_id) {
                    std::vector<std::string> texts;
                    for (const Value* l : listings(*entity, id, ""))
                        if (a.blocks_listing(*l)) texts.push_back(listing_text(*l));
                    if (!texts.empty()) listed.emplace(eid, std::move(texts));
                }
                found[k] = ownership::compute(graph, a, listed);
            }
        });
        States out;
        for (std::size_t k = 0; k < owning.size(); ++k)
            out.emplace(owning[k].first, std::move(found[k]));
        return out;
    }
    /// The states blocked() reads: compute_ownership()'s, which the caller keeps alive.
    void use_ownership(const States& states) { states_ = &states; }

    const States& states() const { return *states_; }

    eval::Date as_of() const override { return as_of_; }

    Value member(const std::string& country, const std::string& bloc,
                 std::string* why) const override {
        auto b = m_.blocs.find(bloc);
        if (b == m_.blocs.end()) return eval::Error{"unknown bloc '" + bloc + "'"};
        for (const auto& mem : b->second.members)
            if (mem.code == country && mem.status == "member" && mem.period.contains(as_of_)) {
                if (why)
                    *why = country + " is a member of " + bloc +
                           (b->second.name.empty() ? "" : " (" + b->second.name + ")") +
                           (mem.period.from ? " since " + eval::format_date(*mem.period.from) : "");
                return true;
            }
        return false;
    }

    Value blocs(const std::string& country) const override {
        eval::List out;
        for (const auto& [id, b] : m_.blocs)
            for (const auto& mem : b.members)
                if (mem.code == country && mem.status == "member" && mem.period.contains(as_of_)) {
                    out.emplace_back(id);
                    break;
                }
        return out;
    }

    Value borders(const std::string& a, const std::string& b, std::string* why) const override {
        if (related_one(a, "borders", b, why) || related_one(b, "borders", a, why)) return true;
        return false;
    }

    Value related(const std::string& a, const std::string& rel, const std::string& b,
                  std::string* why) const override {
        if (rel == "borders") return borders(a, b, why);
        return related_one(a, rel, b, why);
    }

    /// Designations that freeze assets (PRODUCT.md section 3): a travel ban or an export
    /// control is not "listed" in the sense the rules and the ownership chains use.
    Value listed(const Value& x, const std::string& authority, const std::string& program,
                 std::string* why) const override {
        // A listing that is certain holds whatever else the party may be; only without one
        // does a doubt about which list entry it is leave the answer open.
        std::vector<const Value*> hits;
        for (const Value* l : listings(x, authority, program))
            if (freezes(*l)) hits.push_back(l);
        if (hits.empty()) {
            if (auto doubt = ambiguity(x)) return *doubt;
            return false;
        }
        if (why) {
            *why = subject_name(x) + " is listed by ";
            for (std::size_t i = 0; i < hits.size(); ++i)
                *why += (i ? "; " : "") + describe_listing(*hits[i]);
        }
        return true;
    }

    Value blocked(const Value& x, const std::string& authority, std::string* why) const override {
        auto a = m_.authorities.find(authority);
        if (a == m_.authorities.end()) return eval::Error{"unknown authority '" + authority + "'"};
        auto st = states_->find(authority);
        if (st == states_->end()) return listed(x, authority, "", why);  // no ownership semantics
        std::string id = id_of(x);
        // Blocked on what is known (a listing, blocked owners) holds whatever the doubt about
        // one owner or about the party itself: a possible match adds exposure, never removes it.
        if (auto b = st->second.blocked.find(id); !id.empty() && b != st->second.blocked.end()) {
            if (why) *why = describe_blocking(subject_name(x), authority, b->second);
            return true;
        }
        for (const Value* l : listings(x, authority, ""))
            if (a->second.blocks_listing(*l)) {
                if (why) *why = subject_name(x) + " is listed by " + describe_listing(*l);
                return true;
            }
        if (auto doubt = ambiguity(x)) return *doubt;
        if (auto doubt = ambiguity(x, Doubt::holders)) return *doubt;
        if (auto u = st->second.undecided.find(id); !id.empty() && u != st->second.undecided.end())
            return eval::Unknown{u->second};
        return false;
    }

    Value blocked_share(const Value& x, const std::string& authority,
                        std::string* why) const override {
        Value b = blocked(x, authority, why);
        if (!b.is(Kind::boolean)) return b;
        auto st = states_->find(authority);
        std::string id = id_of(x);
        if (st != states_->end()) {
            if (auto it = st->second.blocked.find(id); it != st->second.blocked.end())
                return it->second.share;
            if (auto it = st->second.share.find(id); it != st->second.share.end())
                return it->second;
        }
        return b.as_bool() ? 100.0 : 0.0;
    }

    Value declared(const Value& x) const override {
        if (auto doubt = ambiguity(x)) return *doubt;
        std::string id = id_of(x);
        auto it = id.empty() ? in_.by_id.end() : in_.by_id.find(id);
        if (it == in_.by_id.end()) return eval::Null{};
        return *it->second;
    }

    bool looked_up(const Value& x) const override {
        if (x.is(Kind::string)) return in_.by_id.count(x.as_string()) > 0;
        if (!x.is(Kind::map) || x.field("listings")) return true;
        const Value* id = x.field("id");
        return id && id->is(Kind::string) && in_.by_id.count(id->as_string());
    }

    /// Listings of x valid on as_of: its own and those of the entity its id names.
    std::vector<const Value*> listings(const Value& x, const std::string& authority,
                                       const std::string& program) const {
        std::vector<const Value*> out;
        auto scan = [&](const Value& entity) {
            const Value* ls = entity.field("listings");
            if (!ls || !ls->is(Kind::list)) return;
            for (const auto& l : ls->as_list()) {
                if (!authority.empty() && !field_is(l, "authority", authority)) continue;
                if (!program.empty()) {
                    const Value* p = l.field("program");
                    if (!p || !p->is(Kind::string) || p->as_string().rfind(program, 0) != 0)
                        continue;
                }
                if (!eval::in_force(l, as_of_)) continue;
                if (std::find(out.begin(), out.end(), &l) == out.end()) out.push_back(&l);
            }
        };
        if (x.is(Kind::map)) {
            scan(x);
            if (const Value* id = x.field("id"); id && id->is(Kind::string))
                if (auto it = in_.by_id.find(id->as_string());
                    it != in_.by_id.end() && it->second != &x && !x.field("listings"))
                    scan(*it->second);
        } else if (x.is(Kind::string)) {
            if (auto it = in_.by_id.find(x.as_string()); it != in_.by_id.end()) scan(*it->second);
        }
        return out;
    }

  private:
    /// Whether a listing freezes assets: its authority's list says so; a listing by an
    /// authority no pack knows counts as a freeze, the safe reading.
    bool freezes(const Value& listing) const {
        const Value* a = listing.field("authority");
        auto it =
            a && a->is(Kind::string) ? m_.authorities.find(a->as_string()) : m_.authorities.end();
        return it == m_.authorities.end() || it->second.blocks_listing(listing);
    }

    /// A party tied to several list entries (an identifier two entries share) is none of
    /// them for certain: whatever depends on its listings is undecided.
    /// What io/link.cpp found doubtful about x: which list entry it is (`ambiguous`), or,
    /// for blocked() only, whether one who owns or controls it is a list party
    /// (`ambiguous_holders`).
    enum class Doubt { identity, holders };
    static std::optional<Value> ambiguity(const Value& x, Doubt doubt = Doubt::identity) {
        const bool holders = doubt == Doubt::holders;
        const Value* c =
            x.is(Kind::map) ? x.field(holders ? "ambiguous_holders" : "ambiguous") : nullptr;
        if (!c || !c->is(Kind::list) || c->as_list().empty()) return std::nullopt;
        std::string who;
        for (const auto& v : c->as_list()) who += (who.empty() ? "" : ", ") + eval::display(v);
        return Value(eval::Unknown{
            {(holders ? "whether " + subject_name(x) + " is owned or controlled by a list party: "
                      : "which list entry " + subject_name(x) + " is: ") +
             who}});
    }

    static std::string id_of(const Value& x) {
        if (x.is(Kind::string)) return x.as_string();
        if (const Value* id = x.field("id"); id && id->is(Kind::string)) return id->as_string();
        return {};
    }

    static std::string describe_blocking(const std::string& id, const std::string& authority,
                                         const Blocking& b) {
        if (b.reason == BlockReason::listed) {
            std::string out = id + " is listed by " + authority;
            for (const auto& l : b.listings) out += " (" + l + ")";
            return out;
        }
        std::string out = id + " is blocked by " + authority + " through " + to_string(b.reason);
        if (b.reason == BlockReason::ownership) {
            out += " (" + eval::percent_text(b.share) + " held by blocked persons)";
        }
        if (!b.paths.empty()) {
            out += ": ";
            const auto& p = b.paths.front();
            out += p.front().from;
            for (const auto& link : p) {
                out += " -" + (link.share > 0 ? eval::percent_text(link.share) : "controls") +
                       "-> " + link.to;
            }
        }
        for (const auto& l : b.listings) out += "; " + l;  // where the chains start, with dates
        return out;
    }

    static bool field_is(const Value& m, const char* key, const std::string& want) {
        const Value* v = m.field(key);
        return v && v->is(Kind::string) && v->as_string() == want;
    }

    static std::string subject_name(const Value& x) {
        if (x.is(Kind::string)) return x.as_string();
        if (const Value* id = x.field("id"); id && id->is(Kind::string)) {
            const Value* how = x.field("matched_by");
            return id->as_string() + (how ? " (matched by " + eval::display(*how) + ")" : "");
        }
        if (const Value* n = x.field("name"); n && n->is(Kind::string)) return n->as_string();
        return "the entity";
    }

    /// `SDN RUSSIA-EO14024 since 2022-04-06`
    static std::string listing_text(const Value& l) {
        std::string out;
        for (const char* k : {"list", "program"})
            if (const Value* v = l.field(k)) out += (out.empty() ? "" : " ") + eval::display(*v);
        if (const Value* f = l.field("from")) out += " since " + eval::display(*f);
        if (const Value* m = l.field("matched_by")) out += ", matched by " + eval::display(*m);
        return out;
    }

    static std::string describe_listing(const Value& l) {
        const Value* a = l.field("authority");
        return (a ? eval::display(*a) + " " : std::string()) + listing_text(l);
    }

    bool related_one(const std::string& a, const std::string& rel, const std::string& b,
                     std::string* why) const {
        for (const auto& r : m_.relations) {
            if (r.relation != rel || r.subject != a || !r.period.contains(as_of_)) continue;
            if (std::find(r.objects.begin(), r.objects.end(), b) == r.objects.end()) continue;
            if (why) *why = "relation '" + r.text + "'";
            return true;
        }
        return false;
    }

    const Model& m_;
    const InputData& in_;
    eval::Date as_of_;
    const States* states_ = &none_;
    static inline const States none_{};
};

}  // namespace sanx::detail
