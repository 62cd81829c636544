// The public screening API (include/sanx/screen.hpp) over the index InputData::index() built.

#include <sanx/screen.hpp>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "api/access.hpp"
#include "screen/screener.hpp"

namespace sanx {

namespace {

/// Near misses within this of the review threshold are shown as `below`.
constexpr double near_miss = 0.15;

ScreenedParty screen_party(const detail::Record& r, const std::string& party,
                           const matching::Subject& s, const matching::Index* index,
                           const ScreenOptions& o) {
    ScreenedParty out{r.id, party, {}, r.file, r.line, {}, {}, std::nullopt};
    if (!s.names.empty()) out.name = s.names.front();
    if (s.names.empty()) {
        out.notes.push_back("no name or alias: nothing to screen");
        return out;
    }
    if (!index) {
        out.notes.push_back("no --lists given: nothing to screen against");
        return out;
    }
    std::vector<std::string> notes;
    const double floor = std::max(0.0, o.review_threshold - near_miss);
    for (auto& c : index->search(s, floor, std::max<std::size_t>(o.max_candidates, 1), &notes)) {
        ScreenCandidate sc{index->id(c.entry),
                           index->name(c.entry),
                           c.matched_name,
                           c.query_name,
                           c.score,
                           c.score >= o.match_threshold    ? "match"
                           : c.score >= o.review_threshold ? "possible"
                                                           : "below",
                           {}};
        for (auto& f : c.features) sc.features.push_back({f.name, f.effect, std::move(f.detail)});
        out.candidates.push_back(std::move(sc));
    }
    out.notes = std::move(notes);
    // A name with no word left to compare (only punctuation, or only a legal form) is said
    // to be so, not shown as a party with no candidates.
    bool comparable = false;
    for (const auto& n : s.names)
        for (const auto& t : matching::normalize(n).tokens)
            comparable = comparable || t.kind == matching::TokenKind::word;
    if (!comparable)
        out.notes.push_back(
            "the name has no word to compare once punctuation and legal forms "
            "are set aside");
    return out;
}

}  // namespace

std::vector<ScreenedParty> screen(const Input& input, const ScreenOptions& options) {
    const detail::InputData& data = detail::Access::data(input);
    const matching::Index* index = data.names && data.names->size() ? data.names.get() : nullptr;
    std::vector<ScreenedParty> out;
    for (const auto& r : data.records) {
        if (r.rejected) {
            ScreenedParty p{r.id, "entity", r.name, r.file, r.line, {}, {}, r.rejected};
            out.push_back(std::move(p));
            continue;
        }
        if (r.declared.is(eval::Kind::null)) {  // read without lists: the entity alone, unscreened
            out.push_back(
                screen_party(r, "entity", matching::subject_of(r.value), nullptr, options));
            continue;
        }
        out.push_back(screen_party(r, "entity", matching::subject_of(r.declared), index, options));
        if (const eval::Value* cps = r.declared.field("counterparties");
            cps && cps->is(eval::Kind::list))
            for (std::size_t i = 0; i < cps->as_list().size(); ++i)
                out.push_back(screen_party(r, "entity.counterparties[" + std::to_string(i) + "]",
                                           matching::subject_of(cps->as_list()[i]), index,
                                           options));
    }
    return out;
}

std::string to_json(const ScreenedParty& p) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["entity"] = p.entity;
    j["party"] = p.party;
    if (!p.name.empty()) j["name"] = p.name;
    j["file"] = p.file;
    j["line"] = p.line;
    if (p.rejected) j["rejected"] = *p.rejected;
    auto round = [](double x) { return std::round(x * 1e4) / 1e4; };
    ordered_json cands = ordered_json::array();
    for (const auto& c : p.candidates) {
        ordered_json cj;
        cj["list_id"] = c.list_id;
        cj["list_name"] = c.list_name;
        cj["matched_name"] = c.matched_name;
        cj["query_name"] = c.query_name;
        cj["score"] = round(c.score);
        cj["decision"] = c.decision;
        ordered_json fs = ordered_json::array();
        for (const auto& f : c.features)
            fs.push_back({{"name", f.name}, {"effect", round(f.effect)}, {"detail", f.detail}});
        cj["features"] = std::move(fs);
        cands.push_back(std::move(cj));
    }
    j["candidates"] = std::move(cands);
    if (!p.notes.empty()) j["notes"] = p.notes;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string to_json(const std::vector<ScreenedParty>& parties) {
    std::string out = "{\"parties\":[";
    for (std::size_t i = 0; i < parties.size(); ++i) out += (i ? "," : "") + to_json(parties[i]);
    return out + "]}\n";
}

std::string to_jsonl(const std::vector<ScreenedParty>& parties) {
    std::string out;
    for (const auto& p : parties) out += to_json(p) + "\n";
    return out;
}

}  // namespace sanx
