#include "runtime/evaluate.hpp"

#include <algorithm>

#include "eval/evaluator.hpp"
#include "eval/why_not.hpp"

namespace sanx::detail {

namespace {

using eval::Kind;
using eval::Value;

std::string render_template(const Template& t, eval::Frame& frame) {
    std::string out;
    for (const auto& p : t.pieces) {
        if (!p.hole) {
            out += p.literal;
            continue;
        }
        Value v = eval::evaluate(*p.hole->checked, frame);
        out += eval::display(v);
    }
    return out;
}

Verdict verdict_of(RuleSeverity s) {
    switch (s) {
        case RuleSeverity::blocked:
            return Verdict::blocked;
        case RuleSeverity::high:
            return Verdict::high;
        case RuleSeverity::medium:
            return Verdict::medium;
        case RuleSeverity::low:
            return Verdict::low;
        case RuleSeverity::info:
            return Verdict::clear;
    }
    return Verdict::clear;
}

/// The condition tree of one rule for the frame's entity, with its nearest miss when the
/// rule did not fire (`--explain`, `sanx explain`).
RuleTrace trace_rule(const Rule& rule, const Value& v, eval::Frame& frame) {
    RuleTrace t;
    t.rule = rule.full_id;
    const bool fired = v.is(Kind::boolean) && v.as_bool();
    t.outcome = fired                 ? TraceOutcome::fired
                : v.is_unknown()      ? TraceOutcome::unknown
                : v.is(Kind::boolean) ? TraceOutcome::not_fired
                                      : TraceOutcome::error;
    auto locate = [&](std::uint32_t begin, std::uint32_t end) {
        return rule.when.locate(begin, std::max<std::size_t>(1, end - begin));
    };
    t.root = eval::trace(*rule.when.checked, rule.when.text, frame, locate);
    if (!fired)
        for (auto& m : eval::why_not(*rule.when.checked, rule.when.text, frame))
            t.misses.push_back({std::move(m.expr), std::move(m.seen), locate(m.begin, m.end)});
    return t;
}

/// Listings that no rule assesses are still said (PRODUCT.md section 3): those by an authority
/// no pack knows, and the entity's own listings that are not asset freezes.
void note_listings(const Model& m, const Value& entity, eval::Date as_of, Result& res) {
    auto note = [&](const Value& l, const std::string& who, bool own) {
        const Value* auth = l.field("authority");
        if (!auth || !auth->is(Kind::string)) return;
        auto a = m.authorities.find(auth->as_string());
        std::string list;
        if (const Value* v = l.field("list")) list = eval::display(*v);
        if (const Value* v = l.field("program"))
            list += (list.empty() ? "" : " ") + eval::display(*v);
        const std::string on = list.empty() ? "" : " (" + list + ")";
        Finding f;
        f.regime = "listings";
        f.authority = auth->as_string();
        f.severity = RuleSeverity::info;
        if (a == m.authorities.end()) {
            f.rule = unknown_authority_rule;
            f.title = "Listed by an authority no loaded pack knows";
            f.message = who + " is listed by " + auth->as_string() + on +
                        ", an authority no loaded pack knows: what the listing means is not "
                        "assessed; review it or load a pack for " +
                        auth->as_string();
        } else if (own && !a->second.blocks_listing(l)) {
            f.rule = not_a_freeze_rule;
            f.title = "Listed under a measure that freezes no assets";
            std::string measure = to_string(a->second.measure_of(l));
            std::replace(measure.begin(), measure.end(), '_', ' ');
            f.message = who + " is listed by " + a->first + on + ", a list whose measure is " +
                        measure + ": it freezes no assets and starts no ownership chain";
            if (const Value* named = l.field("list"); named && named->is(Kind::string))
                if (const auto* def = a->second.find_list(named->as_string())) f.cites = def->cites;
        } else {
            return;
        }
        for (const auto& prev : res.findings)
            if (prev.rule == f.rule && prev.message == f.message) return;
        res.findings.push_back(std::move(f));
    };
    auto scan = [&](const Value& party, const std::string& who, bool own) {
        const Value* ls = party.field("listings");
        if (!ls || !ls->is(Kind::list)) return;
        for (const auto& l : ls->as_list())
            if (eval::in_force(l, as_of)) note(l, who, own);
    };
    scan(entity, eval::id_and_name(entity), true);
    if (const Value* cps = entity.field("counterparties"); cps && cps->is(Kind::list))
        for (const auto& c : cps->as_list())
            if (c.is(Kind::map)) scan(c, "counterparty " + eval::id_and_name(c), false);
}

}  // namespace

Result result_for(const Record& rec) {
    Result res;
    res.entity = rec.id;
    res.name = rec.name;
    res.line = rec.line;
    res.matches = rec.matches;
    res.file = rec.file;
    return res;
}

Result evaluate_record(const Session& session, const Record& rec, const CheckOptions& options,
                       Positions& positions) {
    const Model& m = session.model();
    const PackDomain& domain = session.domain();
    Result res = result_for(rec);
    if (rec.rejected) {
        res.rejected = rec.rejected;
        return res;
    }
    eval::Date as_of = domain.as_of();
    eval::Frame frame;
    frame.entity = &rec.value;
    frame.domain = &domain;
    eval::Choices choices;  // what each rule's evaluation chose, for its witness
    const bool tracing = options.trace != CheckOptions::Trace::none &&
                         (options.trace_entity.empty() || options.trace_entity == rec.id);
    for (const auto& in_force : session.rules()) {
        const Regime& g = *in_force.regime;
        const Rule& rule = *in_force.rule;
        choices.clear();
        frame.choices = options.because ? &choices : nullptr;
        Value v = eval::evaluate(*rule.when.checked, frame);
        frame.choices = nullptr;
        if (tracing &&
            (options.trace == CheckOptions::Trace::all || (v.is(Kind::boolean) && v.as_bool())))
            res.traces.push_back(trace_rule(rule, v, frame));
        if (v.is_unknown()) {
            res.indeterminate.push_back({rule.full_id, rule.severity, v.as_unknown().missing});
            continue;
        }
        if (v.is_error() || !v.is(Kind::boolean)) {
            const auto& e =
                v.is_error() ? v.as_error()
                             : eval::Error{"condition is a " + eval::type_name(v) + ", not a bool",
                                           0, static_cast<std::uint32_t>(rule.when.text.size())};
            res.errors.push_back(
                {rule.full_id, e.message,
                 rule.when.locate(e.begin, std::max<std::size_t>(1, e.end - e.begin))});
            continue;
        }
        if (!v.as_bool()) continue;
        Finding f;
        f.rule = rule.full_id;
        f.regime = g.id;
        f.authority = g.authority;
        f.severity = rule.severity;
        f.title = rule.title;
        f.cites = rule.cites;
        f.message = render_template(rule.message, frame);
        if (options.because) {
            auto facts = eval::witness(*rule.when.checked, rule.when.text, frame, &choices);
            f.because.reserve(facts.size());
            for (auto& fact : facts)
                f.because.push_back({std::move(fact.expr), std::move(fact.seen),
                                     positions.at(rule.when, fact.begin, fact.end)});
        }
        for (const auto* l : session.licences()) {
            if (!l->exempts_rule(f.rule)) continue;
            Value ok = eval::evaluate(*l->when.checked, frame);
            if (ok.is(Kind::boolean) && ok.as_bool()) {
                f.exempted_by = l->id;
                f.undecided_licences.clear();  // decided by this one
                break;
            }
            if (ok.is_unknown()) f.undecided_licences.push_back({l->id, ok.as_unknown().missing});
        }
        res.findings.push_back(std::move(f));
    }
    // What the ownership fixpoints decided about this entity, per authority.
    for (const auto& [auth, st] : domain.states()) {
        if (auto b = st.blocked.find(rec.id); b != st.blocked.end()) res.blocked[auth] = b->second;
        if (auto u = st.undecided.find(rec.id); u != st.undecided.end())
            res.indeterminate.push_back({"ownership/" + auth, RuleSeverity::blocked, u->second});
        if (auto c = st.caution.find(rec.id); c != st.caution.end() && !st.blocked.count(rec.id)) {
            const auto& a = m.authorities.at(auth);
            Finding f;
            f.rule = "ownership/" + auth + "-control";
            f.regime = "ownership";
            f.authority = auth;
            f.severity = RuleSeverity::low;
            f.title = "Controlled by a blocked person without majority ownership";
            std::string who;
            for (const auto& x : c->second) who += (who.empty() ? "" : ", ") + x;
            f.message = rec.id + " is controlled by " + who + ", blocked by " + auth +
                        ", without the ownership that would block it: " + auth +
                        " does not treat control alone as blocking, but dealings call for caution";
            f.because.push_back({"controllers", who, {}});
            f.cites = a.cites;
            res.findings.push_back(std::move(f));
        }
    }
    note_listings(m, rec.value, as_of, res);
    for (const auto& f : res.findings)
        if (!f.exempted_by && f.severity != RuleSeverity::info)
            res.verdict = std::max(res.verdict, verdict_of(f.severity));
    // Blocked under an authority is blocked, whether or not a rule of its pack says so.
    if (!res.blocked.empty()) res.verdict = Verdict::blocked;
    for (const auto& u : res.indeterminate)
        if (verdict_of(u.severity) > std::max(res.verdict, res.could_be.value_or(Verdict::clear)))
            res.could_be = verdict_of(u.severity);
    return res;
}

}  // namespace sanx::detail
