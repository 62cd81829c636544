#include "runtime/session.hpp"

#include <algorithm>
#include <unordered_map>

namespace sanx::detail {

std::optional<eval::Date> resolve_as_of(const std::optional<std::string>& option,
                                        const InputData& in, std::string* error) {
    if (option) {
        eval::Date d;
        if (eval::parse_date(*option, d)) return d;
        if (error)
            *error =
                "as_of '" + *option + "' is not a date YYYY-MM-DD (or not a day of the calendar)";
        return std::nullopt;
    }
    return in.as_of ? *in.as_of : eval::today();
}

std::unique_ptr<const Session> Session::open(const Model& model, const InputData& in,
                                             const std::optional<std::string>& as_of,
                                             Diagnostic* why, unsigned jobs) {
    std::string error;
    auto date = resolve_as_of(as_of, in, &error);
    if (!date) {
        if (why) *why = {Severity::error, "as-of", error, Location{"<options>", 0, 0, 1, {}}, {}};
        return nullptr;
    }
    return std::make_unique<const Session>(model, in, *date, jobs);
}

Session::Session(const Model& model, const InputData& in, eval::Date as_of, unsigned jobs)
    : model_(model), in_(in), domain_(model, in, as_of) {
    // Every loaded model has the hash of its packs' files: the same hash, the same model.
    const std::string key = model.hash + "@" + std::to_string(as_of.days);
    ownership_ = in.derived->get<Ownership>(key, [&] {
        auto made =
            std::make_shared<Ownership>(Ownership{ownership::Graph(in.by_id, as_of, jobs), {}});
        made->states = domain_.compute_ownership(made->graph, jobs);
        return made;
    });
    domain_.use_ownership(ownership_->states);
    for (const auto& g : model.regimes) {
        if (!g.period.contains(as_of)) continue;
        for (const auto& r : g.rules)
            if (r.period.contains(as_of)) rules_.push_back({&g, &r});
    }
    auto retired = [&](const Licence& l) {
        return std::any_of(model.licences.begin(), model.licences.end(), [&](const Licence& o) {
            return o.supersedes == l.id && (!o.period.from || o.period.from->days <= as_of.days);
        });
    };
    for (const auto& l : model.licences)
        if (l.period.contains(as_of) && !retired(l)) licences_.push_back(&l);
}

std::vector<Diagnostic> Session::hazards() const {
    std::vector<Diagnostic> out;
    if (graph().hazards().empty()) return out;
    std::unordered_map<std::string, const Record*> where;
    for (const auto* group : {in_.base ? &in_.base->known : &in_.known, &in_.records})
        for (const auto& r : *group) where.emplace(r.id, &r);
    for (const auto& [id, message] : graph().hazards()) {
        Diagnostic d;
        d.severity = Severity::warning;
        d.code = "ownership-data";
        d.message = id + ": " + message;
        if (auto it = where.find(id); it != where.end())
            d.where = Location{it->second->file, it->second->line, 1, 1, {}};
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace sanx::detail
