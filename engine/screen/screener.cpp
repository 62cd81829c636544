#include "screen/screener.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sanx::matching {

namespace {

using eval::Kind;
using eval::Value;

/// Token pairs less alike than this do not count as the same name part.
constexpr double min_token_similarity = 0.88;
/// Unmatched name parts of a person (a patronymic, a middle name) count this much.
constexpr double person_unmatched_factor = 0.35;
/// A posting list longer than this is too common a key to find candidates by.
constexpr std::size_t max_exact_postings = 6000;
constexpr std::size_t max_fuzzy_postings = 1500;
/// How many names, by the weight of the tokens they share with the query, are scored.
constexpr std::size_t scored_names = 48;

constexpr double country_same = 0.02, country_differs = -0.08;
constexpr double type_differs = -0.15;
constexpr double birth_same = 0.03, birth_differs = -0.15;

std::string text(const Value& v) { return v.is(Kind::string) ? v.as_string() : std::string(); }

void years_in(const std::string& s, std::vector<int>& out) {
    for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
        if (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) continue;
        if (!std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i),
                         s.begin() + static_cast<std::ptrdiff_t>(i + 4),
                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
            continue;
        if (i + 4 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 4]))) continue;
        int y = std::stoi(s.substr(i, 4));
        if (y >= 1800 && y <= 2100 && std::find(out.begin(), out.end(), y) == out.end())
            out.push_back(y);
    }
}

std::string fixed(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    return buf;
}

const char* type_name(PartyType t) {
    switch (t) {
        case PartyType::organisation:
            return "organisation";
        case PartyType::person:
            return "person";
        case PartyType::vessel:
            return "vessel";
        case PartyType::aircraft:
            return "aircraft";
        case PartyType::unknown:
            break;
    }
    return "unknown";
}

bool has_digit(const std::string& s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

Subject subject_of(const Value& v) {
    Subject s;
    if (!v.is(Kind::map)) return s;
    if (const Value* n = v.field("name"); n && n->is(Kind::string))
        s.names.push_back(n->as_string());
    if (const Value* a = v.field("aliases"); a && a->is(Kind::list))
        for (const auto& x : a->as_list())
            if (x.is(Kind::string)) s.names.push_back(x.as_string());
    const std::string type = v.field("type") ? text(*v.field("type")) : std::string();
    s.type = type == "person"     ? PartyType::person
             : type == "vessel"   ? PartyType::vessel
             : type == "aircraft" ? PartyType::aircraft
             : type == "company" || type == "bank" || type == "organization"
                 ? PartyType::organisation
                 : PartyType::unknown;
    if (const Value* c = v.field("country"); c && c->is(Kind::string))
        s.countries.push_back(c->as_string());
    if (const Value* cs = v.field("countries"); cs && cs->is(Kind::list))
        for (const auto& x : cs->as_list())
            if (x.is(Kind::string) && std::find(s.countries.begin(), s.countries.end(),
                                                x.as_string()) == s.countries.end())
                s.countries.push_back(x.as_string());
    if (const Value* attrs = v.field("attributes"); attrs && attrs->is(Kind::map)) {
        if (const Value* b = attrs->field("birth_date"); b && b->is(Kind::string))
            years_in(b->as_string(), s.birth_years);
        if (const Value* bs = attrs->field("birth_dates"); bs && bs->is(Kind::list))
            for (const auto& x : bs->as_list())
                if (x.is(Kind::string)) years_in(x.as_string(), s.birth_years);
    }
    return s;
}

void Index::add(std::string id, const Subject& subject) {
    const auto entry = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back({std::move(id),
                        subject.names.empty() ? std::string() : subject.names.front(), subject.type,
                        subject.countries, subject.birth_years});
    std::vector<std::string> seen;
    for (const auto& text : subject.names) {
        Normalized n = normalize(text);
        Name name{entry, text, {}};
        std::vector<std::string> keys;
        for (auto& t : n.tokens) {
            name.toks.push_back({t.key, t.kind, 0});
            if (t.kind == TokenKind::word) keys.push_back(t.key);
        }
        if (keys.empty()) continue;
        // One spelling once: aliases that normalise alike add nothing.
        std::string all;
        for (const auto& t : name.toks) all += t.key + ' ';
        if (std::find(seen.begin(), seen.end(), all) != seen.end()) continue;
        seen.push_back(all);
        const auto at = static_cast<std::uint32_t>(names_.size());
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        for (const auto& k : keys) {
            ++df_[k];
            exact_[k].push_back(at);
            if (k.size() >= 5) {
                prefix_[k.substr(0, 4)].push_back(at);
                suffix_[k.substr(k.size() - 4)].push_back(at);
            }
        }
        names_.push_back(std::move(name));
    }
}

float Index::weight(const std::string& key, TokenKind kind) const {
    if (kind == TokenKind::legal) return 0.4f;
    if (kind == TokenKind::particle) return 0.3f;
    auto it = df_.find(key);
    const double df = it == df_.end() ? 0.0 : it->second;
    const double idf = std::log((static_cast<double>(names_.size()) + 1) / (df + 1)) + 1.0;
    // One or two letters are an abbreviation or an initial (ДБ, A.): they say little.
    return static_cast<float>(std::max(1.0, key.size() <= 2 ? std::min(idf, 2.0) : idf));
}

void Index::finish() {
    for (auto& n : names_)
        for (auto& t : n.toks) t.weight = weight(t.key, t.kind);
}

Index::Scored Index::compare(const std::vector<Tok>& q, const std::vector<Tok>& c, bool person,
                             bool explain) const {
    struct Pair {
        double sim;
        std::uint16_t i, j;
    };
    std::vector<Pair> pairs;
    for (std::size_t i = 0; i < q.size() && i < 64; ++i)
        for (std::size_t j = 0; j < c.size() && j < 64; ++j) {
            const Tok& a = q[i];
            const Tok& b = c[j];
            double sim = 0;
            if (a.kind == TokenKind::legal || b.kind == TokenKind::legal) {
                if (a.kind == b.kind)
                    sim = a.key == b.key                               ? 1.0
                          : legal_family(a.key) == legal_family(b.key) ? 0.8
                                                                       : 0.5;
            } else if (a.key == b.key) {
                sim = 1.0;
            } else if (a.kind == TokenKind::word && b.kind == TokenKind::word) {
                const std::size_t la = a.key.size(), lb = b.key.size();
                // Tokens that differ in length by more than two letters are other words
                // (Aleksandr is not Aleksandrovich); a typo's cost is doubled so that two
                // near names do not add up to a match.
                if (la > 3 && lb > 3 && (la > lb ? la - lb : lb - la) <= 2 && !has_digit(a.key) &&
                    !has_digit(b.key)) {
                    double jw = jaro_winkler(a.key, b.key);
                    if (jw >= min_token_similarity) sim = 1 - 2 * (1 - jw);
                } else if (person && (a.key.size() == 1 || b.key.size() == 1) &&
                           a.key[0] == b.key[0]) {
                    sim = 0.7;  // an initial
                }
            }
            if (sim > 0)
                pairs.push_back(
                    {sim, static_cast<std::uint16_t>(i), static_cast<std::uint16_t>(j)});
        }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& x, const Pair& y) { return x.sim > y.sim; });
    std::vector<int> qi(q.size(), -1), cj(c.size(), -1);
    std::vector<double> qs(q.size(), 0);
    double matched = 0;
    int words = 0;
    for (const auto& p : pairs) {
        if (qi[p.i] >= 0 || cj[p.j] >= 0) continue;
        qi[p.i] = p.j;
        cj[p.j] = p.i;
        qs[p.i] = p.sim;
        matched += p.sim * (q[p.i].weight + c[p.j].weight);
        if (q[p.i].kind == TokenKind::word) ++words;
    }
    const double factor = person && words >= 2 ? person_unmatched_factor : 1.0;
    double total = matched;
    for (std::size_t i = 0; i < q.size(); ++i)
        if (qi[i] < 0) total += q[i].weight * (q[i].kind == TokenKind::word ? factor : 1.0);
    for (std::size_t j = 0; j < c.size(); ++j)
        if (cj[j] < 0) total += c[j].weight * (c[j].kind == TokenKind::word ? factor : 1.0);
    // Matched pairs count in the total at their full weight, not their similarity.
    for (std::size_t i = 0; i < q.size(); ++i)
        if (qi[i] >= 0)
            total += (1 - qs[i]) * (q[i].weight + c[static_cast<std::size_t>(qi[i])].weight);
    Scored out{total > 0 && words > 0 ? matched / total : 0.0, {}};
    if (!explain) return out;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (!out.detail.empty()) out.detail += ", ";
        if (qi[i] >= 0) {
            const Tok& b = c[static_cast<std::size_t>(qi[i])];
            out.detail += q[i].key + (qs[i] == 1.0 ? " = " : " ~ ") + b.key + " " + fixed(qs[i]);
        } else {
            out.detail += q[i].key + " unmatched";
        }
        out.detail += " (weight " + fixed(q[i].weight) + ")";
    }
    for (std::size_t j = 0; j < c.size(); ++j)
        if (cj[j] < 0)
            out.detail += ", " + c[j].key + " missing from the query (weight " +
                          fixed(c[j].weight) +
                          (c[j].kind == TokenKind::word && factor < 1
                               ? ", a person's further name part, counted x0.35"
                               : "") +
                          ")";
    return out;
}

struct Index::Query {
    std::string text;
    std::vector<Tok> toks;
};

Candidate Index::qualify(const Subject& query, const Query& qn, const Name& n, double name_score,
                         bool explain) const {
    const Entry& e = entries_[n.entry];
    Candidate c{n.entry, n.text, qn.text, name_score, {}};
    if (explain) {
        const bool person = e.type == PartyType::person || query.type == PartyType::person;
        c.features.push_back({"name", name_score,
                              "'" + qn.text + "' against '" + n.text +
                                  "': " + compare(qn.toks, n.toks, person, true).detail});
    }
    double effect = 0;
    auto feature = [&](const char* what, double x, std::string detail) {
        effect += x;
        if (explain) c.features.push_back({what, x, std::move(detail)});
    };
    if (query.type != PartyType::unknown && e.type != PartyType::unknown) {
        if (query.type != e.type)
            feature("type", type_differs,
                    std::string("the party is a ") + type_name(query.type) + ", the entry a " +
                        type_name(e.type));
    }
    if (!query.countries.empty() && !e.countries.empty()) {
        std::string shared;
        for (const auto& x : query.countries)
            if (std::find(e.countries.begin(), e.countries.end(), x) != e.countries.end())
                shared = x;
        auto join = [](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
            return s;
        };
        if (!shared.empty())
            feature("country", country_same, "both give " + shared);
        else
            feature(
                "country", country_differs,
                "the party gives " + join(query.countries) + ", the entry " + join(e.countries));
    }
    if (!query.birth_years.empty() && !e.birth_years.empty()) {
        int shared = 0;
        for (int y : query.birth_years)
            if (std::find(e.birth_years.begin(), e.birth_years.end(), y) != e.birth_years.end())
                shared = y;
        if (shared)
            feature("birth_year", birth_same, "both give " + std::to_string(shared));
        else
            feature("birth_year", birth_differs,
                    "the party was born in " + std::to_string(query.birth_years.front()) +
                        ", the entry in " + std::to_string(e.birth_years.front()));
    }
    c.score = std::clamp(name_score + effect, 0.0, 1.0);
    return c;
}

std::vector<Candidate> Index::search(const Subject& query, double floor, std::size_t limit,
                                     std::vector<std::string>* notes) const {
    // Scratch space per thread: an accumulator per name, reset through the touched list.
    thread_local std::vector<float> acc;
    thread_local std::vector<std::uint32_t> stamp;
    thread_local std::uint32_t generation = 0;
    if (acc.size() < names_.size()) {
        acc.assign(names_.size(), 0);
        stamp.assign(names_.size(), 0);
    }
    std::vector<std::uint32_t> touched;

    std::vector<Query> queries;
    for (const auto& text : query.names) {
        Normalized n = normalize(text);
        if (notes)
            for (auto& x : n.notes)
                if (std::find(notes->begin(), notes->end(), x) == notes->end()) notes->push_back(x);
        Query q{text, {}};
        for (const auto& t : n.tokens) q.toks.push_back({t.key, t.kind, weight(t.key, t.kind)});
        queries.push_back(std::move(q));
    }

    struct Best {
        double score;
        const Name* name;
        const Query* query;
    };
    std::unordered_map<std::uint32_t, Best> best;  // by entry
    for (const auto& q : queries) {
        double total = 0;
        for (const auto& t : q.toks)
            if (t.kind == TokenKind::word) total += t.weight;
        if (total <= 0) continue;
        touched.clear();
        auto visit = [&](const std::vector<std::uint32_t>* list, float w) {
            if (!list) return;
            for (std::uint32_t n : *list) {
                if (stamp[n] == generation) continue;  // this token already counted for n
                stamp[n] = generation;
                if (acc[n] == 0) touched.push_back(n);
                acc[n] += w;
            }
        };
        auto find = [](const auto& map, const std::string& key, std::size_t cap) {
            auto it = map.find(key);
            return it == map.end() || it->second.size() > cap ? nullptr : &it->second;
        };
        for (const auto& t : q.toks) {
            if (t.kind != TokenKind::word) continue;
            ++generation;
            visit(find(exact_, t.key, max_exact_postings), t.weight);
            if (t.key.size() >= 5) {
                visit(find(prefix_, t.key.substr(0, 4), max_fuzzy_postings), t.weight * 0.7f);
                visit(find(suffix_, t.key.substr(t.key.size() - 4), max_fuzzy_postings),
                      t.weight * 0.7f);
            }
        }
        ++generation;
        if (generation > 0xFFFFFF00u) {
            std::fill(stamp.begin(), stamp.end(), 0);
            generation = 1;
        }
        std::vector<std::uint32_t> ranked;
        for (std::uint32_t n : touched) {
            if (acc[n] >= 0.3 * total) ranked.push_back(n);
        }
        std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
            return acc[a] != acc[b] ? acc[a] > acc[b] : a < b;
        });
        if (ranked.size() > scored_names) ranked.resize(scored_names);
        for (std::uint32_t n : touched) acc[n] = 0;
        for (std::uint32_t n : ranked) {
            const Name& name = names_[n];
            const bool person =
                entries_[name.entry].type == PartyType::person || query.type == PartyType::person;
            const double s = compare(q.toks, name.toks, person, false).score;
            if (s <= 0) continue;
            auto [it, fresh] = best.try_emplace(name.entry, Best{s, &name, &q});
            if (!fresh && s > it->second.score) it->second = Best{s, &name, &q};
        }
    }
    std::vector<Candidate> out;
    for (const auto& [entry, b] : best) {
        Candidate c = qualify(query, *b.query, *b.name, b.score, false);
        if (c.score >= floor) out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [&](const Candidate& a, const Candidate& b) {
        return a.score != b.score ? a.score > b.score : entries_[a.entry].id < entries_[b.entry].id;
    });
    if (out.size() > limit) out.resize(limit);
    for (auto& c : out) {
        const Best& b = best.at(c.entry);
        c = qualify(query, *b.query, *b.name, b.score, true);
    }
    return out;
}

}  // namespace sanx::matching
