// The lists as one index (PRODUCT.md section 12): list entries merged into parties (the same
// id, `same_as`, or a shared identifier), declared entities and their counterparties, owners
// and controllers tied to those parties by id, identifier and then name, and the ids every
// lookup goes through.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <tuple>

#include "common/parallel.hpp"
#include "io/input.hpp"
#include "screen/screener.hpp"
#include "source/sha256.hpp"

namespace sanx::detail {

namespace {

using eval::Value;

/// Counterparties that name a known entity by id get the fields they leave out from it.
Value enrich(const Value& entity, const std::unordered_map<std::string, const Value*>& by_id) {
    const Value* cps = entity.field("counterparties");
    if (!cps || !cps->is(eval::Kind::list)) return entity;
    eval::List out;
    bool changed = false;
    for (const auto& cp : cps->as_list()) {
        const Value* id = cp.field("id");
        auto it = id && id->is(eval::Kind::string) ? by_id.find(id->as_string()) : by_id.end();
        if (it == by_id.end() || !cp.is(eval::Kind::map)) {
            out.push_back(cp);
            continue;
        }
        eval::Map merged = cp.as_map();
        for (const char* key : {"name", "type", "country", "countries", "sectors", "goods",
                                "listings", "owners", "ambiguous", "ambiguous_holders"})
            if (!cp.field(key))
                if (const Value* v = it->second->field(key)) {
                    merged.emplace_back(Value(key), *v);
                    changed = true;
                }
        out.push_back(std::move(merged));
    }
    if (!changed) return entity;
    eval::Map e;
    for (const auto& [k, v] : entity.as_map())
        e.emplace_back(
            k, k.is(eval::Kind::string) && k.as_string() == "counterparties" ? Value(out) : v);
    return e;
}

/// `tax_id:1841015504`: identifiers compare by type and by value without spaces, dashes or case.
/// The reader makes every declared identifier's value a string; a whole number in
/// `attributes.identifiers`, which it reads as it is, counts as its digits.
std::string identifier_key(const Value& identifier) {
    const Value* type = identifier.field("type");
    const Value* value = identifier.field("value");
    const bool whole = value && (value->is(eval::Kind::int64) || value->is(eval::Kind::uint64));
    if (!type || !value || !type->is(eval::Kind::string) ||
        !(value->is(eval::Kind::string) || whole))
        return {};
    std::string key = type->as_string() + ":";
    for (char c : whole ? eval::display(*value) : value->as_string())
        if (c != ' ' && c != '-' && c != '.' && c != '/')
            key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return key.size() > type->as_string().size() + 1 ? key : std::string();
}

/// A Russian KPP is the tax office's code for why a company is registered there: many
/// companies have the same one, so it identifies no party.
bool names_one_party(const Value& identifier) {
    const Value* type = identifier.field("type");
    return !(type && type->is(eval::Kind::string) && type->as_string() == "kpp");
}

/// `identifiers` (PRODUCT.md section 3) and `attributes.identifiers` (what `sanx import`
/// writes) together.
std::vector<const Value*> identifiers_of(const Value& v) {
    std::vector<const Value*> out;
    auto add = [&](const Value* ids) {
        if (ids && ids->is(eval::Kind::list))
            for (const auto& i : ids->as_list()) out.push_back(&i);
    };
    add(v.field("identifiers"));
    if (const Value* attrs = v.field("attributes")) add(attrs->field("identifiers"));
    return out;
}

std::string text_of(const Value& v, const char* key) {
    const Value* f = v.field(key);
    return f && f->is(eval::Kind::string) ? f->as_string() : std::string();
}

/// `tax_id 1841015504`, as the party writes it.
std::string identifier_text(const Value& identifier) {
    return eval::display(*identifier.field("type")) + " " +
           eval::display(*identifier.field("value"));
}

Value with_field(const Value& map, const char* key, Value value) {
    eval::Map out;
    bool replaced = false;
    for (const auto& [k, v] : map.as_map()) {
        bool same = k.is(eval::Kind::string) && k.as_string() == key;
        out.emplace_back(k, same ? value : v);
        replaced = replaced || same;
    }
    if (!replaced) out.emplace_back(Value(key), std::move(value));
    return out;
}

/// Appends the items of `from` that `to` does not have yet.
void add_new(eval::List& to, const eval::List& from) {
    for (const auto& x : from)
        if (std::none_of(to.begin(), to.end(), [&](const Value& y) { return eval::equal(x, y); }))
            to.push_back(x);
}

Value* slot(eval::Map& m, std::string_view key) {
    for (auto& [k, v] : m)
        if (k.is(eval::Kind::string) && k.as_string() == key) return &v;
    return nullptr;
}

/// `b`'s fields folded into `a`: lists united, anything else kept from `a` when it has it.
void fold(eval::Map& a, const eval::Map& b) {
    for (const auto& [k, v] : b) {
        if (!k.is(eval::Kind::string)) continue;
        Value* have = slot(a, k.as_string());
        if (!have) {
            a.emplace_back(k, v);
        } else if (have->is(eval::Kind::list) && v.is(eval::Kind::list)) {
            eval::List l = have->as_list();
            add_new(l, v.as_list());
            *have = std::move(l);
        } else if (k.as_string() == "attributes" && have->is(eval::Kind::map) &&
                   v.is(eval::Kind::map)) {
            eval::Map m = have->as_map();
            fold(m, v.as_map());
            *have = std::move(m);
        }
    }
}

struct UnionFind {
    std::vector<std::size_t> up;
    explicit UnionFind(std::size_t n) : up(n) {
        for (std::size_t i = 0; i < n; ++i) up[i] = i;
    }
    std::size_t find(std::size_t x) {
        while (up[x] != x) x = up[x] = up[up[x]];
        return x;
    }
    /// The smaller index stays the root: a party is named after its first entry.
    void unite(std::size_t a, std::size_t b) {
        a = find(a), b = find(b);
        if (a != b) up[std::max(a, b)] = std::min(a, b);
    }
};

/// List entries grouped into parties (PRODUCT.md section 12). Entries are taken in the order
/// of (id, file, line), never in the order of `--lists`, and a party is named by its first
/// entry, which holds the merged value.
class Parties {
  public:
    /// `known` must be sorted by (id, file, line).
    explicit Parties(std::vector<Record>& known) {
        for (auto& r : known)
            if (!r.rejected && r.value.is(eval::Kind::map)) entries_.push_back(&r);
        const std::size_t n = entries_.size();
        // One party for certain: the same id, or an entry saying it is the same as another.
        UnionFind uf(n);
        for (std::size_t e = 0; e < n; ++e) first_.emplace(entries_[e]->id, e);
        for (std::size_t e = 0; e < n; ++e) {
            uf.unite(e, first_.at(entries_[e]->id));
            if (const Value* attrs = entries_[e]->value.field("attributes"))
                if (const Value* same = attrs->field("same_as"); same && same->is(eval::Kind::list))
                    for (const auto& other : same->as_list())
                        if (other.is(eval::Kind::string))
                            if (auto it = first_.find(other.as_string()); it != first_.end())
                                uf.unite(e, it->second);
        }
        for (std::size_t e = 0; e < n; ++e)
            for (const Value* i : identifiers_of(entries_[e]->value))
                if (auto key = identifier_key(*i); !key.empty() && names_one_party(*i))
                    holders_[key].push_back({e, text_of(*i, "country"), identifier_text(*i)});
        std::vector<std::vector<std::string>> files(n);  // of each certain party
        for (std::size_t e = 0; e < n; ++e) files[uf.find(e)].push_back(entries_[e]->file);
        auto share_a_file = [&](const std::vector<std::size_t>& roots) {
            std::map<std::string, std::size_t> seen;
            for (std::size_t r : roots)
                for (const auto& f : files[r])
                    if (!seen.emplace(f, r).second && seen[f] != r) return true;
            return false;
        };
        // A shared identifier joins entries of different files that give it the same country
        // (or none). Entries one file gives separately stay separate parties: their
        // identifier is ambiguous.
        UnionFind joined = uf;
        std::vector<std::pair<std::size_t, std::size_t>> links;
        for (const auto& [key, held] : holders_)
            for (const auto& scope : scopes(held, false)) {
                std::vector<std::size_t> roots;
                for (const Held* h : scope) roots.push_back(uf.find(h->entry));
                std::sort(roots.begin(), roots.end());
                roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
                if (roots.size() < 2 || share_a_file(roots)) continue;
                for (std::size_t r : roots) {
                    links.emplace_back(roots.front(), r);
                    joined.unite(roots.front(), r);
                }
            }
        // Identifiers that together join two entries of one file join nothing.
        std::vector<std::vector<std::size_t>> parts(n);
        for (std::size_t e = 0; e < n; ++e)
            if (uf.find(e) == e) parts[joined.find(e)].push_back(e);
        std::vector<bool> conflicted(n, false);  // by certain party
        for (const auto& part : parts)
            if (part.size() > 1 && share_a_file(part))
                for (std::size_t r : part) conflicted[r] = true;
        for (const auto& [a, b] : links)
            if (!conflicted[a]) uf.unite(a, b);
        root_.resize(n);
        members_.resize(n);
        for (std::size_t e = 0; e < n; ++e) {
            root_[e] = uf.find(e);
            members_[root_[e]].push_back(e);
        }
    }

    /// Writes each party's merged value into its first entry.
    void merge() {
        std::vector<std::pair<std::size_t, Value>> merged;
        for (std::size_t r = 0; r < entries_.size(); ++r)
            if (root_[r] == r) merged.emplace_back(r, merge(r));
        for (auto& [r, v] : merged) entries_[r]->value = std::move(v);
    }

    /// Points every id of every party at its merged value.
    void add_ids(std::unordered_map<std::string, const Value*>& by_id) const {
        for (std::size_t e = 0; e < entries_.size(); ++e)
            by_id[entries_[e]->id] = &entries_[root_[e]]->value;
    }

    std::vector<Value*> values() {
        std::vector<Value*> out;
        for (std::size_t r = 0; r < entries_.size(); ++r)
            if (root_[r] == r) out.push_back(&entries_[r]->value);
        return out;
    }

    bool empty() const { return entries_.empty(); }

    /// Each party by its first entry.
    std::vector<std::size_t> roots() const {
        std::vector<std::size_t> out;
        for (std::size_t r = 0; r < entries_.size(); ++r)
            if (root_[r] == r) out.push_back(r);
        return out;
    }

    /// The party an id names.
    std::optional<std::size_t> by_id(const std::string& id) const {
        auto it = first_.find(id);
        if (it == first_.end()) return std::nullopt;
        return root_[it->second];
    }

    const std::string& id(std::size_t party) const { return entries_[party]->id; }
    const Value& value(std::size_t party) const { return entries_[party]->value; }
    std::string name(std::size_t party) const { return text_of(value(party), "name"); }

    /// The parties a declared party's identifiers point at, each with the identifier that
    /// points at it. One party: a match; more: none of them for certain.
    struct Tie {
        std::vector<std::pair<std::size_t, std::string>> parties;
        bool certain() const { return parties.size() == 1; }
    };
    Tie tie(const Value& party) const {
        std::vector<std::vector<std::size_t>> sets;
        std::vector<std::string> texts;
        for (const Value* i : identifiers_of(party)) {
            auto it = holders_.find(identifier_key(*i));
            if (it == holders_.end()) continue;
            const std::string country = text_of(*i, "country");
            std::vector<std::size_t> set;
            for (const auto& h : it->second)
                if (country.empty() || h.country.empty() || h.country == country)
                    set.push_back(root_[h.entry]);
            std::sort(set.begin(), set.end());
            set.erase(std::unique(set.begin(), set.end()), set.end());
            if (set.empty()) continue;
            sets.push_back(std::move(set));
            texts.push_back(identifier_text(*i));
        }
        Tie out;
        if (sets.empty()) return out;
        // One party that every identifier can be: that party (a tax id two entries share,
        // with a registration number only one has, is the one).
        std::vector<std::size_t> common = sets.front();
        for (const auto& s : sets) {
            std::vector<std::size_t> both;
            std::set_intersection(common.begin(), common.end(), s.begin(), s.end(),
                                  std::back_inserter(both));
            common = std::move(both);
        }
        std::vector<std::size_t> all;
        for (const auto& s : sets) all.insert(all.end(), s.begin(), s.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        for (std::size_t p : common.size() == 1 ? common : all)
            for (std::size_t k = 0; k < sets.size(); ++k)
                if (std::binary_search(sets[k].begin(), sets[k].end(), p)) {
                    out.parties.emplace_back(p, texts[k]);
                    break;
                }
        return out;
    }

    /// Identifiers that more than one party has, as one warning.
    std::optional<Diagnostic> ambiguity() const {
        std::vector<std::string> shown;
        std::size_t count = 0;
        const Record* first = nullptr;
        for (const auto& [key, held] : holders_) {
            std::vector<std::size_t> roots;
            for (const auto& scope : scopes(held, true)) {
                std::vector<std::size_t> rs;
                for (const Held* h : scope) rs.push_back(root_[h->entry]);
                std::sort(rs.begin(), rs.end());
                rs.erase(std::unique(rs.begin(), rs.end()), rs.end());
                if (rs.size() > roots.size()) roots = rs;
            }
            if (roots.size() < 2) continue;
            if (++count > 3) continue;
            if (!first) first = entries_[roots.front()];
            std::string ids;
            for (std::size_t r : roots) ids += (ids.empty() ? "" : ", ") + id(r);
            shown.push_back(held.front().identifier + " (" + ids + ")");
        }
        if (!count) return std::nullopt;
        Diagnostic d;
        d.severity = Severity::warning;
        d.code = "list-identifier";
        d.message = std::to_string(count) + (count == 1 ? " identifier is" : " identifiers are") +
                    " given to separate list entries; a party with one is tied to none of "
                    "them and reported with every candidate: ";
        for (std::size_t k = 0; k < shown.size(); ++k) d.message += (k ? "; " : "") + shown[k];
        if (count > shown.size())
            d.message += "; and " + std::to_string(count - shown.size()) + " more";
        d.where = Location{first->file, first->line, 1, 1, {}};
        return d;
    }

  private:
    struct Held {
        std::size_t entry;
        std::string country;     ///< the identifier's, when it gives one
        std::string identifier;  /// as written: merge() replaces the values it is read from
    };

    /// The holders of one identifier that can be the same party: those that give the same
    /// country. Holders that give none go with every country for a look-up (`lookup`), and
    /// join no one when the holders give several countries.
    static std::vector<std::vector<const Held*>> scopes(const std::vector<Held>& held,
                                                        bool lookup) {
        std::vector<std::string> countries;
        for (const auto& h : held)
            if (!h.country.empty() &&
                std::find(countries.begin(), countries.end(), h.country) == countries.end())
                countries.push_back(h.country);
        std::vector<std::vector<const Held*>> out;
        if (countries.size() <= 1) {
            out.emplace_back();
            for (const auto& h : held) out.back().push_back(&h);
            return out;
        }
        for (const auto& c : countries) {
            out.emplace_back();
            for (const auto& h : held)
                if (h.country == c || (lookup && h.country.empty())) out.back().push_back(&h);
        }
        return out;
    }

    std::string canonical(const std::string& id) const {
        auto p = by_id(id);
        return p ? entries_[*p]->id : id;
    }

    /// Owner and controller edges with each party named by its first entry's id, so that
    /// one holding given by two lists is one edge.
    Value canonical_edges(const Value& edges) const {
        if (!edges.is(eval::Kind::list)) return edges;
        eval::List out;
        for (const auto& e : edges.as_list()) {
            Value x = e;
            if (std::string id = text_of(e, "id"); !id.empty() && canonical(id) != id)
                x = with_field(x, "id", Value(canonical(id)));
            if (const Value* with = e.field("with"); with && with->is(eval::Kind::list)) {
                eval::List w;
                for (const auto& v : with->as_list())
                    w.push_back(v.is(eval::Kind::string) ? Value(canonical(v.as_string())) : v);
                x = with_field(x, "with", Value(std::move(w)));
            }
            out.push_back(std::move(x));
        }
        return out;
    }

    /// One party from its entries: lists united, anything else from the first entry that
    /// gives it; the other entries' names and countries become aliases and countries.
    Value merge(std::size_t party) const {
        eval::Map out;
        out.emplace_back(Value("id"), Value(id(party)));
        std::vector<std::string> ids;
        for (std::size_t e : members_[party]) {
            const Value& v = entries_[e]->value;
            eval::Map m;
            for (const auto& [k, x] : v.as_map()) {
                if (!k.is(eval::Kind::string) || k.as_string() == "id") continue;
                bool edges = k.as_string() == "owners" || k.as_string() == "controllers";
                m.emplace_back(k, edges ? canonical_edges(x) : x);
            }
            fold(out, m);
            if (ids.empty() || ids.back() != entries_[e]->id) ids.push_back(entries_[e]->id);
        }
        if (members_[party].size() == 1) return out;
        for (const auto& [key, plural] : {std::pair{"name", "aliases"}, {"country", "countries"}}) {
            const Value* first = slot(out, key);
            const std::string chosen =
                first && first->is(eval::Kind::string) ? first->as_string() : std::string();
            eval::List more;
            if (const Value* have = slot(out, plural); have && have->is(eval::Kind::list))
                more = have->as_list();
            eval::List others;
            for (std::size_t e : members_[party])
                if (std::string x = text_of(entries_[e]->value, key); !x.empty() && x != chosen)
                    others.emplace_back(x);
            add_new(more, others);
            more.erase(std::remove_if(more.begin(), more.end(),
                                      [&](const Value& x) {
                                          return x.is(eval::Kind::string) &&
                                                 x.as_string() == chosen;
                                      }),
                       more.end());
            if (Value* have = slot(out, plural))
                *have = std::move(more);
            else if (!more.empty())
                out.emplace_back(Value(plural), std::move(more));
        }
        if (ids.size() > 1) {
            eval::List from(ids.begin(), ids.end());
            eval::Map attrs;
            if (const Value* a = slot(out, "attributes"); a && a->is(eval::Kind::map))
                attrs = a->as_map();
            attrs.emplace_back(Value("merged_from"), Value(std::move(from)));
            if (Value* a = slot(out, "attributes"))
                *a = std::move(attrs);
            else
                out.emplace_back(Value("attributes"), std::move(attrs));
        }
        return out;
    }

    std::vector<Record*> entries_;                        ///< sorted by (id, file, line)
    std::unordered_map<std::string, std::size_t> first_;  ///< id -> its first entry
    std::map<std::string, std::vector<Held>> holders_;    ///< identifier key -> entries
    std::vector<std::size_t> root_;                       ///< entry -> its party's first entry
    std::vector<std::vector<std::size_t>> members_;       ///< party -> its entries
};

Match tied(std::string party, const Parties& parties, std::size_t p, const std::string& list_id,
           std::string query_name, MatchBy by, MatchDecision decision, std::string identifier) {
    return {std::move(party),
            list_id,
            parties.name(p),
            parties.name(p),
            std::move(query_name),
            1.0,
            by,
            decision,
            std::move(identifier)};
}

/// `ambiguous: ["ID (NAME)", ...]` on a party, and a possible match for each candidate.
Value ambiguous(const Value& party, const Parties::Tie& t, const Parties& parties,
                const std::string& path, const std::string& query_name,
                std::vector<Match>& matches) {
    eval::List candidates;
    for (const auto& [p, how] : t.parties) {
        candidates.emplace_back(eval::id_and_name(parties.value(p)));
        matches.push_back(tied(path, parties, p, parties.id(p), query_name, MatchBy::identifier,
                               MatchDecision::possible, how));
    }
    return with_field(party, "ambiguous", Value(std::move(candidates)));
}

std::string score_text(double score) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", score);
    return buf;
}

/// The list parties a party's names may be (PRODUCT.md section 12): at most three
/// candidates at or above the review threshold, best first. Names are screened only when
/// id and identifiers tied the party to nothing.
class NameTies {
  public:
    NameTies(std::shared_ptr<const matching::Index> index, const ScreenOptions& options)
        : options_(options), index_(std::move(index)) {}

    /// The names and aliases of every party.
    static std::shared_ptr<const matching::Index> build(const Parties& parties) {
        auto index = std::make_shared<matching::Index>();
        for (std::size_t p : parties.roots())
            index->add(parties.id(p), matching::subject_of(parties.value(p)));
        index->finish();
        return index;
    }

    const std::shared_ptr<const matching::Index>& index() const { return index_; }

    std::vector<matching::Candidate> candidates(const matching::Subject& s) const {
        if (s.names.empty() || index_->size() == 0) return {};
        return index_->search(s, options_.review_threshold, 3);
    }
    bool match(const std::vector<matching::Candidate>& c) const {
        return !c.empty() && c.front().score >= options_.match_threshold;
    }
    /// Whether more than one entry matches.
    bool several(const std::vector<matching::Candidate>& c) const {
        return c.size() > 1 && c[1].score >= options_.match_threshold;
    }
    const std::string& id(const matching::Candidate& c) const { return index_->id(c.entry); }

    /// `name 0.95 'ЗАЛА АЭРО'`: how a name tied a party, as `matched_by` says it.
    static std::string how(const matching::Candidate& c) {
        return "name " + score_text(c.score) + " '" + c.matched_name + "'";
    }

    Match tie(std::string path, const Parties& parties, const matching::Candidate& c,
              MatchDecision decision) const {
        auto p = parties.by_id(id(c));
        return {std::move(path), id(c),        p ? parties.name(*p) : index_->name(c.entry),
                c.matched_name,  c.query_name, c.score,
                MatchBy::name,   decision,     ""};
    }

    /// A match for each candidate at or above the match threshold.
    void ties(const std::string& path, const Parties& parties,
              const std::vector<matching::Candidate>& cands, std::vector<Match>& matches) const {
        for (const auto& c : cands)
            if (c.score >= options_.match_threshold)
                matches.push_back(tie(path, parties, c, MatchDecision::match));
    }

    /// `party` with its own listings and those of every candidate at or above the match
    /// threshold, each saying how it was matched (`name 0.95 'NAME' = ID`).
    Value with_listings(const Value& party, const std::vector<matching::Candidate>& cands,
                        const Parties& parties) const {
        eval::List listings;
        if (const Value* own = party.field("listings"); own && own->is(eval::Kind::list))
            listings = own->as_list();
        for (const auto& c : cands) {
            auto p = parties.by_id(id(c));
            if (c.score < options_.match_threshold || !p) continue;
            if (const Value* theirs = parties.value(*p).field("listings");
                theirs && theirs->is(eval::Kind::list))
                for (const auto& l : theirs->as_list())
                    listings.push_back(with_field(l, "matched_by", Value(how(c) + " = " + id(c))));
        }
        return with_field(party, "listings", Value(std::move(listings)));
    }

    /// `ambiguous: ["ID (NAME), name score 0.80", ...]` and a possible match for each.
    Value possible(const Value& party, const std::vector<matching::Candidate>& cands,
                   const Parties& parties, const std::string& path,
                   std::vector<Match>& matches) const {
        eval::List out;
        for (const auto& c : cands) {
            auto p = parties.by_id(id(c));
            out.emplace_back((p ? eval::id_and_name(parties.value(*p)) : id(c)) + ", name score " +
                             score_text(c.score) + " against '" + c.matched_name + "'");
            matches.push_back(tie(path, parties, c, MatchDecision::possible));
        }
        return with_field(party, "ambiguous", Value(std::move(out)));
    }

  private:
    ScreenOptions options_;
    std::shared_ptr<const matching::Index> index_;
};

}  // namespace

namespace {

/// The lists' half of index(): list entries merged into parties (in `known`), their
/// warnings and name index, and every id of theirs in `by_id`.
std::shared_ptr<Parties> index_parties(InputData& data) {
    // Whatever the order of --lists, list entries are taken in one order, so are the places
    // reported for them.
    std::stable_sort(data.known.begin(), data.known.end(), [](const Record& a, const Record& b) {
        return std::tie(a.id, a.file, a.line) < std::tie(b.id, b.file, b.line);
    });
    auto parties = std::make_shared<Parties>(data.known);
    parties->merge();
    data.warnings.clear();
    if (auto w = parties->ambiguity()) data.warnings.push_back(std::move(*w));
    data.names = NameTies::build(*parties);
    data.by_id.clear();
    data.by_id.reserve(data.known.size());
    parties->add_ids(data.by_id);
    return parties;
}

/// An entity owned or controlled by a declared entity that may be a list party (`ambiguous`:
/// a possible match by name, an identifier several entries have), directly or through other
/// declared entities, may be blocked through it: it is made `ambiguous` too, naming the owner
/// and its candidates, so that whether it is blocked comes out undecided, never clear.
void spread_doubts(std::vector<Record>& records) {
    // Its own identity in doubt (`ambiguous`), or that of one who holds it (`ambiguous_holders`,
    // which only blocked() reads: whether it is itself listed is not in doubt).
    auto doubts = [](const Record& r) {
        eval::List out;
        if (r.rejected) return out;
        for (const char* key : {"ambiguous", "ambiguous_holders"})
            if (const Value* a = r.value.field(key); a && a->is(eval::Kind::list))
                out.insert(out.end(), a->as_list().begin(), a->as_list().end());
        return out;
    };
    std::vector<std::size_t> work;
    for (std::size_t i = 0; i < records.size(); ++i)
        if (!doubts(records[i]).empty()) work.push_back(i);
    if (work.empty()) return;  // the common case: no edge needs to be looked at
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < records.size(); ++i)
        if (!records[i].rejected) at.emplace(records[i].id, i);
    // owner or controller -> the entities it holds, with the edge
    std::unordered_map<std::size_t, std::vector<std::pair<std::size_t, std::string>>> held;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].rejected) continue;
        for (const char* key : {"owners", "controllers"})
            if (const Value* edges = records[i].value.field(key);
                edges && edges->is(eval::Kind::list))
                for (std::size_t k = 0; k < edges->as_list().size(); ++k)
                    if (auto it = at.find(text_of(edges->as_list()[k], "id")); it != at.end())
                        held[it->second].emplace_back(
                            i, std::string(key) + "[" + std::to_string(k) + "]");
    }
    while (!work.empty()) {
        const std::size_t o = work.back();
        work.pop_back();
        auto it = held.find(o);
        if (it == held.end()) continue;
        std::string who;
        for (const auto& v : doubts(records[o]))
            who += (who.empty() ? "" : "; ") +
                   (v.is(eval::Kind::string) ? v.as_string() : eval::display(v));
        for (const auto& [r, edge] : it->second) {
            if (r == o) continue;
            const bool had = !doubts(records[r]).empty();
            const Value* prior = records[r].value.field("ambiguous_holders");
            eval::List list =
                prior && prior->is(eval::Kind::list) ? prior->as_list() : eval::List{};
            list.emplace_back((edge[0] == 'o' ? "its owner " : "its controller ") + records[o].id +
                              " (" + edge + "), which may be: " + who);
            records[r].value =
                with_field(records[r].value, "ambiguous_holders", Value(std::move(list)));
            if (!had) work.push_back(r);
        }
    }
}

}  // namespace

bool InputData::index_lists() {
    // A counterparty of a list entry that names no list entry may name an entity of an input,
    // whose facts index() would add to the list entry: such lists are indexed with each input.
    std::unordered_set<std::string> list_ids;
    for (const auto& r : known)
        if (!r.rejected) list_ids.insert(r.id);
    for (const auto& r : known)
        if (const Value* cps = r.rejected ? nullptr : r.value.field("counterparties");
            cps && cps->is(eval::Kind::list))
            for (const auto& cp : cps->as_list())
                if (const Value* id = cp.field("id");
                    id && id->is(eval::Kind::string) && !list_ids.count(id->as_string()))
                    return false;
    auto parties = index_parties(*this);
    for (Value* v : parties->values()) *v = enrich(*v, by_id);
    list_parties = std::move(parties);
    return true;
}

void InputData::index(const ScreenOptions& options, unsigned jobs) {
    screening = options;
    derived->clear();
    // The lists' parties: those of `base`, indexed once, or this input's own.
    std::shared_ptr<Parties> own_parties;
    if (base) {
        warnings = base->warnings;
        names = base->names;
        by_id = base->by_id;
    } else {
        own_parties = index_parties(*this);
    }
    const Parties& parties =
        own_parties ? *own_parties : *static_cast<const Parties*>(base->list_parties.get());
    std::unordered_set<std::string> declared;
    for (const auto& r : records)
        if (!r.rejected) declared.insert(r.id);
    const bool screened = !parties.empty() || !lists.empty();
    NameTies by_name(names, screening);

    // Each record is tied on its own, so the records are tied in parts at once.
    auto tie = [&](Record& r) {
        if (r.rejected) return;
        r.matches.clear();
        r.declared = screened ? r.value : Value();
        // Party k as declared: 0 the entity, k its counterparty k - 1; nobody unscreened.
        auto subject = [&](std::size_t k) -> matching::Subject {
            if (!screened) return {};
            if (k == 0) return matching::subject_of(r.declared);
            const Value* cps = r.declared.field("counterparties");
            if (!cps || !cps->is(eval::Kind::list) || k > cps->as_list().size()) return {};
            return matching::subject_of(cps->as_list()[k - 1]);
        };
        // A declared entity that shares an identifier with a list party carries its listings.
        if (auto t = parties.tie(r.value); t.certain()) {
            const auto& [p, how] = t.parties.front();
            eval::List listings;
            if (const Value* own = r.value.field("listings"); own && own->is(eval::Kind::list))
                listings = own->as_list();
            if (const Value* theirs = parties.value(p).field("listings");
                theirs && theirs->is(eval::Kind::list))
                for (const auto& l : theirs->as_list())
                    listings.push_back(
                        with_field(l, "matched_by", Value(how + " = " + parties.id(p))));
            r.value = with_field(r.value, "listings", Value(std::move(listings)));
            r.matches.push_back(tied("entity", parties, p, parties.id(p), r.name,
                                     MatchBy::identifier, MatchDecision::match, how));
        } else if (!t.parties.empty()) {
            r.value = ambiguous(r.value, t, parties, "entity", r.name, r.matches);
        } else if (auto c = by_name.candidates(subject(0)); by_name.match(c)) {
            r.value = by_name.with_listings(r.value, c, parties);
            by_name.ties("entity", parties, c, r.matches);
        } else if (!c.empty()) {
            r.value = by_name.possible(r.value, c, parties, "entity", r.matches);
        }
        // Counterparties by id, else by identifier: one that matches takes the party's id.
        if (const Value* cps = r.value.field("counterparties"); cps && cps->is(eval::Kind::list)) {
            eval::List out = cps->as_list();
            bool changed = false;
            for (std::size_t i = 0; i < out.size(); ++i) {
                Value& cp = out[i];
                if (!cp.is(eval::Kind::map)) continue;
                const std::string path = "entity.counterparties[" + std::to_string(i) + "]";
                const std::string id = text_of(cp, "id"), name = text_of(cp, "name");
                if (auto p = parties.by_id(id)) {
                    r.matches.push_back(
                        tied(path, parties, *p, id, name, MatchBy::id, MatchDecision::match, ""));
                    continue;
                }
                if (declared.count(id)) continue;  // a declared entity: its own result says
                const matching::Subject as_declared = subject(i + 1);
                auto t = parties.tie(cp);
                if (t.certain()) {
                    const auto& [p, how] = t.parties.front();
                    if (!id.empty()) cp = with_field(cp, "declared_id", Value(id));
                    cp = with_field(with_field(cp, "id", Value(parties.id(p))), "matched_by",
                                    Value(how));
                    r.matches.push_back(tied(path, parties, p, parties.id(p), name,
                                             MatchBy::identifier, MatchDecision::match, how));
                } else if (!t.parties.empty()) {
                    cp = ambiguous(cp, t, parties, path, name, r.matches);
                } else if (auto c = by_name.candidates(as_declared); by_name.match(c)) {
                    const auto& best = c.front();
                    if (!id.empty()) cp = with_field(cp, "declared_id", Value(id));
                    cp = with_field(with_field(cp, "id", Value(by_name.id(best))), "matched_by",
                                    Value(NameTies::how(best)));
                    // Separate entries that both match (an OFAC and a UN entry of one
                    // person): the party is each of them, so it has the listings of all.
                    if (by_name.several(c)) cp = by_name.with_listings(cp, c, parties);
                    by_name.ties(path, parties, c, r.matches);
                } else if (!c.empty()) {
                    cp = by_name.possible(cp, c, parties, path, r.matches);
                } else {
                    if (screened)
                        r.matches.push_back({path, "", "", "", name, 0.0,
                                             !identifiers_of(cp).empty()  ? MatchBy::identifier
                                             : !as_declared.names.empty() ? MatchBy::name
                                             : !id.empty()                ? MatchBy::id
                                                                          : MatchBy::none,
                                             MatchDecision::unmatched, ""});
                    continue;
                }
                changed = true;
            }
            if (changed) r.value = with_field(r.value, "counterparties", Value(std::move(out)));
        }
        // Owners and controllers that name a list party.
        for (const char* key : {"owners", "controllers"})
            if (const Value* edges = r.value.field(key); edges && edges->is(eval::Kind::list))
                for (std::size_t i = 0; i < edges->as_list().size(); ++i) {
                    std::string id = text_of(edges->as_list()[i], "id");
                    if (auto p = parties.by_id(id))
                        r.matches.push_back(
                            tied("entity." + std::string(key) + "[" + std::to_string(i) + "]",
                                 parties, *p, id, "", MatchBy::id, MatchDecision::match, ""));
                }
    };
    const unsigned parts =
        static_cast<unsigned>(std::clamp<std::size_t>(records.size() / 4096, 1, workers(jobs)));
    run_parts(parts, [&](unsigned i) {
        auto [begin, end] = part_range(records.size(), parts, i);
        for (std::size_t k = begin; k < end; ++k) tie(records[k]);
    });
    spread_doubts(records);

    by_id.reserve(by_id.size() + records.size());
    for (const auto& r : records)
        if (!r.rejected) by_id[r.id] = &r.value;
    if (own_parties)
        for (Value* v : own_parties->values()) *v = enrich(*v, by_id);
    // enrich() reads the fields of other records that it leaves as they are, but it replaces
    // a record's value: the new values are made first, in parts, then put in place.
    std::vector<Value> enriched(records.size());
    run_parts(parts, [&](unsigned i) {
        auto [begin, end] = part_range(records.size(), parts, i);
        for (std::size_t k = begin; k < end; ++k)
            if (!records[k].rejected) enriched[k] = enrich(records[k].value, by_id);
    });
    for (std::size_t k = 0; k < records.size(); ++k)
        if (!records[k].rejected) records[k].value = std::move(enriched[k]);
}

ListFile list_file(const std::string& path, std::string_view text, const InputData& data,
                   std::size_t first) {
    ListFile out{path, Sha256().update(text).hex(), data.known.size() - first, std::nullopt};
    for (std::size_t i = first; i < data.known.size(); ++i) {
        const Value* attrs = data.known[i].value.field("attributes");
        const Value* source = attrs ? attrs->field("source") : nullptr;
        std::string published = source ? text_of(*source, "published") : std::string();
        eval::Date d;
        if (eval::parse_date(published, d) && (!out.published || published < *out.published))
            out.published = published;
    }
    return out;
}

}  // namespace sanx::detail
