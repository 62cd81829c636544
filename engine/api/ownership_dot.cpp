// `sanx graph`: an entity's ownership and control neighbourhood as a Graphviz digraph.
// The library writes dot text only; turning it into a picture (dot -Tsvg) is the CLI's job.

#include <sanx/engine.hpp>
#include <sanx/report.hpp>

#include <deque>
#include <map>
#include <set>

#include "api/access.hpp"
#include "io/report_util.hpp"
#include "runtime/session.hpp"
#include "source/source.hpp"

namespace sanx {

namespace {

using detail::report::share_text;
using eval::Kind;
using eval::Value;

struct DotEdge {
    std::string from, to, label;
    bool control = false;
};

}  // namespace

std::string ownership_dot(const Ruleset& ruleset, const Input& input, const CheckOptions& options,
                          const std::string& id, const Report* report, int depth) {
    const detail::InputData& in = detail::Access::data(input);
    if (!in.by_id.count(id)) return {};
    auto session = detail::Session::open(detail::Access::model(ruleset), in, options.as_of);
    if (!session) return {};
    const detail::ownership::Graph& graph = session->graph();

    std::map<std::string, int> level;  // node -> steps from `id` (negative: above it)
    std::vector<DotEdge> edges;
    auto add_edge = [&](DotEdge e) {
        for (const auto& x : edges)
            if (x.from == e.from && x.to == e.to && x.control == e.control) return;
        edges.push_back(std::move(e));
    };
    auto owner_label = [](const detail::ownership::OwnerEdge& o) {
        return o.share ? share_text(*o.share) : std::string("share unknown");
    };
    auto control_label = [](const detail::ownership::ControlEdge& c) {
        return "controls" + (c.basis.empty() ? std::string() : " (" + c.basis + ")");
    };
    level[id] = 0;
    // Upwards: who owns or controls it, and who owns those.
    std::deque<std::string> todo{id};
    while (!todo.empty()) {
        std::string x = todo.front();
        todo.pop_front();
        if (-level[x] >= depth) continue;
        auto visit = [&](const std::string& up) {
            if (!level.count(up)) {
                level[up] = level[x] - 1;
                todo.push_back(up);
            }
        };
        for (const auto& o : graph.owners(x)) {
            add_edge({o.owner, x, owner_label(o), false});
            visit(o.owner);
        }
        for (const auto& c : graph.controllers(x)) {
            add_edge({c.controller, x, control_label(c), true});
            visit(c.controller);
        }
    }
    // Downwards: what it owns or controls, and what those own.
    todo = {id};
    std::map<std::string, int> down{{id, 0}};
    while (!todo.empty()) {
        std::string x = todo.front();
        todo.pop_front();
        if (down[x] >= depth) continue;
        for (const auto& child : graph.children(x)) {
            for (const auto& o : graph.owners(child))
                if (o.owner == x) add_edge({x, child, owner_label(o), false});
            for (const auto& c : graph.controllers(child))
                if (c.controller == x) add_edge({x, child, control_label(c), true});
            if (!down.count(child)) {
                down[child] = down[x] + 1;
                level.emplace(child, down[child]);
                todo.push_back(child);
            }
        }
    }

    std::map<std::string, const Result*> results;
    if (report)
        for (const auto& r : report->results) results.emplace(r.entity, &r);

    std::string out = "digraph " + source::double_quoted("ownership of " + id) + " {\n";
    out +=
        "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef1f5\", "
        "color=\"#667788\", fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=10];\n";
    out += "  label=" +
           source::double_quoted("Ownership and control of " + id + " as of " +
                                 eval::format_date(session->as_of())) +
           ";\n  labelloc=t;\n";
    for (const auto& [node, lvl] : level) {
        std::string label = node;
        auto e = in.by_id.find(node);
        std::set<std::string> listed;
        if (e != in.by_id.end()) {
            if (const Value* n = e->second->field("name"); n && n->is(Kind::string))
                label += "\n" + n->as_string();
            for (const Value* l : session->domain().listings(*e->second, "", ""))
                if (const Value* a = l->field("authority"); a && a->is(Kind::string))
                    listed.insert(a->as_string());
        } else {
            label += "\n(not in the input)";
        }
        std::string blocked;
        if (auto r = results.find(node); r != results.end())
            for (const auto& [auth, b] : r->second->blocked)
                if (b.reason != BlockReason::listed)
                    blocked += (blocked.empty() ? "" : ", ") + auth + " (" + to_string(b.reason) +
                               " " + share_text(b.share) + ")";
        std::string attrs;
        if (!listed.empty()) {
            std::string who;
            for (const auto& a : listed) who += (who.empty() ? "" : ", ") + a;
            label += "\nlisted: " + who;
            attrs = ", fillcolor=\"#f8d0d0\", color=\"#b22222\", penwidth=2";
        } else if (!blocked.empty()) {
            label += "\nblocked: " + blocked;
            attrs = ", fillcolor=\"#fde7c4\", color=\"#c06000\", penwidth=2";
        }
        if (node == id) attrs += ", peripheries=2";
        out += "  " + source::double_quoted(node) + " [label=" + source::double_quoted(label) +
               attrs + "];\n";
    }
    for (const auto& e : edges)
        out += "  " + source::double_quoted(e.from) + " -> " + source::double_quoted(e.to) +
               " [label=" + source::double_quoted(e.label) + (e.control ? ", style=dashed" : "") +
               "];\n";
    return out + "}\n";
}

}  // namespace sanx
