#include "tools/coverage.hpp"

#include "api/access.hpp"
#include "runtime/session.hpp"
#include "tools/pack_yaml.hpp"
#include "tools/tree.hpp"

namespace sanx::tools {

struct BranchObserver final : eval::Observer {
    CoverageState& state;
    explicit BranchObserver(CoverageState& s) : state(s) {}
    void seen(const check::Node& n, const eval::Value& v) override {
        auto it = state.branches_.find(&n);
        if (it == state.branches_.end() || !v.is(eval::Kind::boolean)) return;
        auto& b = state.cov_.items[it->second.item].branches[it->second.branch];
        (v.as_bool() ? b.seen_true : b.seen_false) = true;
    }
};

namespace {

ItemCoverage item(const std::string& id, bool licence, const detail::Expr& when) {
    ItemCoverage c;
    c.id = id;
    c.licence = licence;
    c.at = when.locate(0, when.text.size());
    return c;
}

}  // namespace

CoverageState::CoverageState(const detail::Model& model) : model_(model) {
    auto add_branches = [&](std::size_t index, const detail::Expr& when) {
        if (!when.checked) return;
        for (const auto& bp : tree::branch_points(when.checked->root)) {
            BranchCoverage b;
            b.text = when.text.substr(bp.node->begin, bp.node->end - bp.node->begin);
            b.at = when.locate(bp.node->begin, bp.node->end - bp.node->begin);
            branches_[bp.node] = {index, cov_.items[index].branches.size()};
            cov_.items[index].branches.push_back(std::move(b));
        }
    };
    for (const auto& g : model.regimes)
        for (const auto& r : g.rules) {
            rule_item_[&r] = cov_.items.size();
            cov_.items.push_back(item(r.full_id, false, r.when));
            add_branches(cov_.items.size() - 1, r.when);
        }
    for (const auto& l : model.licences) {
        licence_item_[&l] = cov_.items.size();
        cov_.items.push_back(item(l.id, true, l.when));
        add_branches(cov_.items.size() - 1, l.when);
    }
}

void CoverageState::observe(const Ruleset& rules, const Input& input,
                            const std::optional<std::string>& as_of) {
    (void)rules;
    // A case with a date that is not one was reported by the test runner; nothing to observe.
    auto session = detail::Session::open(model_, detail::Access::data(input), as_of);
    if (!session) return;
    BranchObserver obs(*this);
    for (const auto& rec : session->input().records) {
        if (rec.rejected) continue;
        eval::Frame frame;
        frame.entity = &rec.value;
        frame.domain = &session->domain();
        frame.observer = &obs;
        for (const auto& in_force : session->rules()) {
            const detail::Rule& r = *in_force.rule;
            if (!r.when.checked) continue;
            auto& it = cov_.items[rule_item_.at(&r)];
            it.evaluated = true;
            eval::Value v = eval::evaluate(*r.when.checked, frame);
            if (!v.is(eval::Kind::boolean)) continue;
            if (!v.as_bool()) {
                it.seen_false = true;
                continue;
            }
            it.fired = true;
            for (const auto* l : session->licences()) {
                if (!l->exempts_rule(r.full_id) || !l->when.checked) continue;
                auto& li = cov_.items[licence_item_.at(l)];
                li.evaluated = true;
                eval::Value ok = eval::evaluate(*l->when.checked, frame);
                if (ok.is(eval::Kind::boolean) && ok.as_bool()) {
                    li.fired = true;
                    break;
                }
                if (ok.is(eval::Kind::boolean)) li.seen_false = true;
            }
        }
    }
}

Coverage CoverageState::result() const {
    Coverage c = cov_;
    for (const auto& it : c.items) {
        if (!it.licence) {
            ++c.rules;
            c.rules_fired += it.fired;
        }
        for (const auto& b : it.branches) {
            c.branch_outcomes += 2;
            c.branch_outcomes_seen += int(b.seen_true) + int(b.seen_false);
        }
    }
    return c;
}

}  // namespace sanx::tools
