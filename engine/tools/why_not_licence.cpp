// `sanx explain --why-not LICENCE`: whether a licence's condition holds for one entity, and
// when it does not, the conditions that failed or were unknown, as for a rule.

#include <algorithm>

#include <sanx/tools.hpp>

#include "api/access.hpp"
#include "eval/why_not.hpp"
#include "runtime/session.hpp"
#include "source/source.hpp"
#include "tools/pack_yaml.hpp"

namespace sanx::tools {

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
    return source::suggest(word, candidates);
}

std::vector<std::string> licence_ids(const Ruleset& rules) {
    std::vector<std::string> out;
    for (const auto& l : detail::Access::model(rules).licences) out.push_back(l.id);
    return out;
}

std::optional<LicenceExplanation> explain_licence(const Ruleset& rules, const Input& input,
                                                  const std::string& entity,
                                                  const std::string& licence,
                                                  const std::optional<std::string>& as_of_text) {
    const detail::Model& m = detail::Access::model(rules);
    auto l = std::find_if(m.licences.begin(), m.licences.end(),
                          [&](const detail::Licence& x) { return x.id == licence; });
    if (l == m.licences.end()) return std::nullopt;
    const detail::InputData& in = detail::Access::data(input);
    auto session = detail::Session::open(m, in, as_of_text);
    if (!session) return std::nullopt;  // the CLI refuses such a date before it asks
    const eval::Date as_of = session->as_of();

    LicenceExplanation out;
    out.licence = l->id;
    out.title = l->title;
    out.exempts = l->exempts;
    out.at = l->when.locate(0);
    if (!l->period.contains(as_of)) {
        out.outcome = "not in force";
        return out;
    }
    for (const auto& o : m.licences)
        if (o.supersedes == l->id && (!o.period.from || o.period.from->days <= as_of.days)) {
            out.outcome = "retired by " + o.id;
            return out;
        }
    auto rec = std::find_if(in.records.begin(), in.records.end(),
                            [&](const detail::Record& r) { return r.id == entity && !r.rejected; });
    if (rec == in.records.end() || !l->when.checked) {
        out.outcome = "no entity";
        return out;
    }
    const detail::PackDomain& domain = session->domain();
    eval::Frame frame;
    frame.entity = &rec->value;
    frame.domain = &domain;
    eval::Value v = eval::evaluate(*l->when.checked, frame);
    out.outcome = v.is(eval::Kind::boolean) ? (v.as_bool() ? "holds" : "false")
                  : v.is_unknown()          ? "unknown"
                                            : "error";
    if (out.outcome == "holds") return out;
    eval::Frame again;
    again.entity = &rec->value;
    again.domain = &domain;
    for (const auto& f : eval::why_not(*l->when.checked, l->when.text, again))
        out.misses.push_back({f.expr, f.seen, l->when.locate(f.begin, f.end - f.begin)});
    return out;
}

}  // namespace sanx::tools
