// `sanx explain --entity ID`: everything sanx says about one entity, with the condition tree
// of each rule that fired; `--why-not RULE` explains the nearest miss of a rule that did not.

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include <sanx/tools.hpp>

#include "cli/commands.hpp"

namespace sanx::cli {

namespace {

struct ExplainArgs : InputArgs {
    std::string entity;
    std::string why_not;
    std::string format = "text";
    bool all = false;
};

/// `RULE` may be the full id `REGIME/RULE` or, when that is unambiguous, the rule part.
std::vector<const RuleTrace*> matching(const Result& r, const std::string& rule) {
    std::vector<const RuleTrace*> out;
    for (const auto& t : r.traces)
        if (t.rule == rule) return {&t};
    for (const auto& t : r.traces) {
        auto slash = t.rule.find('/');
        if (slash != std::string::npos && t.rule.compare(slash + 1, std::string::npos, rule) == 0)
            out.push_back(&t);
    }
    return out;
}

std::string why_not_text(const Result& r, const RuleTrace& t) {
    std::string out = "\nwhy not " + t.rule + " for " + r.entity + ": ";
    if (t.outcome == TraceOutcome::fired) {
        out += "it fired.\n";
        for (const auto& f : r.findings)
            if (f.rule == t.rule) {
                for (const auto& b : f.because) out += "  because " + b.seen + "\n";
                if (f.exempted_by) out += "  but licence " + *f.exempted_by + " exempts it\n";
            }
        return out;
    }
    out += t.outcome == TraceOutcome::unknown ? "it could not be decided (a fact is missing).\n"
           : t.outcome == TraceOutcome::error ? "its condition ended in an error.\n"
                                              : "its condition is false.\n";
    for (const auto& m : t.misses) {
        out += "  " + m.seen + "\n";
        if (m.at.known())
            out += "      in " + m.expr.substr(0, m.expr.find('\n')) +
                   (m.expr.find('\n') == std::string::npos ? "" : " …") + " at " + m.at.file + ":" +
                   std::to_string(m.at.line) + ":" + std::to_string(m.at.column) + "\n";
    }
    return out;
}

std::string where(const Location& at) {
    return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

std::string licence_text(const std::string& entity, const tools::LicenceExplanation& e) {
    std::string out = "\nwhy not licence " + e.licence + " for " + entity + ": ";
    if (e.outcome == "holds")
        out += "its condition holds; it exempts what it names (";
    else if (e.outcome == "not in force" || e.outcome.rfind("retired", 0) == 0)
        out += "it is " + e.outcome + " on that date; it exempts nothing (";
    else
        out += (e.outcome == "unknown" ? std::string("its condition could not be decided (a fact "
                                                     "is missing)")
                : e.outcome == "error" ? std::string("its condition ended in an error")
                                       : std::string("its condition is false")) +
               "; it would exempt (";
    for (std::size_t i = 0; i < e.exempts.size(); ++i) out += (i ? ", " : "") + e.exempts[i];
    out += ")\n";
    for (const auto& m : e.misses) {
        out += "  " + m.seen + "\n";
        if (m.at.known())
            out += "      in " + m.expr.substr(0, m.expr.find('\n')) +
                   (m.expr.find('\n') == std::string::npos ? "" : " …") + " at " + where(m.at) +
                   "\n";
    }
    return out;
}

/// `no rule 'GL6D'; did you mean 'GL6C'?` over the rules in force and the licences.
std::string unknown_id(const Result& r, const Ruleset& rules, const std::string& id,
                       const std::string& as_of) {
    std::vector<std::string> ids = tools::licence_ids(rules);
    for (const auto& t : r.traces) {
        ids.push_back(t.rule);
        ids.push_back(t.rule.substr(t.rule.find('/') + 1));
    }
    std::string near = tools::closest(id, ids);
    return "sanx: no rule '" + id + "' in force on " + as_of +
           ", nor a licence of that id (rule ids are REGIME/RULE, as in the report)" +
           (near.empty() ? std::string() : "; did you mean '" + near + "'?") + "\n";
}

int run_explain(const ExplainArgs& a, const Context& ctx) {
    auto loaded = load_inputs(a, ctx);
    if (!loaded) return 2;
    const auto& ruleset = loaded->ruleset;
    const auto& read = loaded->read;

    sanx::CheckOptions opts = loaded->options;
    opts.stream = true;
    opts.trace = a.all || !a.why_not.empty() ? sanx::CheckOptions::Trace::all
                                             : sanx::CheckOptions::Trace::fired;
    opts.trace_entity = a.entity;
    std::optional<sanx::Result> found;
    sanx::Report rep = ruleset->check(read.input, opts, [&](sanx::Result&& r) {
        if (r.entity == a.entity && !found) found = std::move(r);
    });
    if (!found) {
        std::cerr << "sanx: no entity '" << a.entity << "' among the records of the input\n";
        return 2;
    }
    const sanx::Result& r = *found;
    std::vector<const RuleTrace*> picked;
    std::optional<tools::LicenceExplanation> licence;
    if (!a.why_not.empty()) {
        picked = matching(r, a.why_not);
        if (picked.empty())
            licence = tools::explain_licence(*ruleset, read.input, a.entity, a.why_not,
                                             rep.provenance.as_of);
        if (picked.empty() && !licence) {
            std::cerr << unknown_id(r, *ruleset, a.why_not, rep.provenance.as_of);
            return 2;
        }
    }
    bool color = ctx.stdout_tty && !std::getenv("NO_COLOR");
    if (a.format == "json") {
        auto doc = nlohmann::ordered_json::parse(sanx::to_json(rep));
        doc.erase("summary");
        doc["results"] = nlohmann::ordered_json::array();
        doc["result"] = nlohmann::ordered_json::parse(sanx::to_json_line(r, rep.provenance));
        doc["result"].erase("as_of");
        doc["result"].erase("ruleset_hash");
        doc.erase("results");
        if (licence) {
            auto& out = doc["why_not_licence"];
            out["licence"] = licence->licence;
            out["outcome"] = licence->outcome;
            out["exempts"] = licence->exempts;
            out["misses"] = nlohmann::ordered_json::array();
            for (const auto& m : licence->misses)
                out["misses"].push_back({{"expr", m.expr}, {"seen", m.seen}, {"at", where(m.at)}});
        } else if (!a.why_not.empty()) {
            auto traces = nlohmann::ordered_json::parse(sanx::traces_to_json(r));
            auto& out = doc["why_not"] = nlohmann::ordered_json::array();
            for (const auto& t : traces)
                for (const auto* p : picked)
                    if (t["rule"] == p->rule) out.push_back(t);
        }
        std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        std::cout << sanx::to_text_header(rep.provenance, color);
        if (licence) {
            std::cout << sanx::to_text(r, color) << licence_text(a.entity, *licence);
        } else if (a.why_not.empty()) {
            std::cout << sanx::to_text(r, color) << sanx::traces_to_text(r, color);
        } else {
            sanx::Result only = r;
            only.traces.clear();
            for (const auto* p : picked) only.traces.push_back(*p);
            for (auto& t : only.traces) t.misses.clear();  // said above, in words
            std::cout << sanx::to_text(r, color);
            for (const auto* p : picked) std::cout << why_not_text(r, *p);
            std::cout << "\n" << sanx::traces_to_text(only, color);
        }
    }
    std::cerr << sanx::render(rep.warnings, ctx.stderr_color);
    return std::cout ? 0 : 2;
}

}  // namespace

Command add_explain_command(CLI::App& app, const Context& ctx) {
    auto args = std::make_shared<ExplainArgs>();
    auto* cmd = app.add_subcommand(
        "explain", "Everything about one entity: findings, witnesses, citations, condition trees");
    add_input_options(*cmd, *args);
    cmd->add_option("--entity", args->entity, "The entity id to explain")->required();
    cmd->add_option("--why-not", args->why_not,
                    "A rule (REGIME/RULE) that did not fire, or a licence that did not exempt: "
                    "which conditions failed or were unknown, with the values seen");
    cmd->add_flag("--all", args->all, "Show the condition tree of every rule in force");
    cmd->add_option("--format", args->format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("INPUT", args->inputs, "Inputs, as for sanx check")->required();
    return {cmd, [args, ctx] { return run_explain(*args, ctx); }};
}

}  // namespace sanx::cli
