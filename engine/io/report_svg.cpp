// The picture of the ownership and control chains that block an entity, drawn as SVG with
// a layered layout: the persons the chains start from at the top, the entity at the bottom.
// No Graphviz here: the library must not run programs, and chains are small.

#include <sanx/report.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "io/report_util.hpp"

namespace sanx {

namespace {

using detail::report::anchor;
using detail::report::link_label;
using detail::report::xml_escape;

struct Edge {
    std::string from, to, label;
    std::set<std::string> authorities;
};

struct Box {
    int layer = 0;
    double x = 0, y = 0, w = 0;
    std::set<std::string> roots;  ///< authorities under which the chain starts here
};

constexpr double box_h = 40, layer_gap = 70, box_gap = 30, margin = 20, char_w = 7.2;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

std::string ownership_svg(const Result& r) {
    std::vector<Edge> edges;
    std::map<std::string, Box> boxes;
    for (const auto& [auth, b] : r.blocked)
        for (const auto& path : b.paths) {
            if (path.empty()) continue;
            boxes[path.front().from].roots.insert(auth);
            for (const auto& l : path) {
                std::string label = link_label(b.reason, l);
                auto it = std::find_if(edges.begin(), edges.end(), [&](const Edge& e) {
                    return e.from == l.from && e.to == l.to && e.label == label;
                });
                if (it == edges.end())
                    it = edges.insert(edges.end(), Edge{l.from, l.to, label, {}});
                it->authorities.insert(auth);
                boxes[l.from];
                boxes[l.to];
            }
        }
    if (edges.empty()) return {};
    boxes[r.entity];

    // Layer = the longest chain down to the entity; a cycle cannot push past the node count.
    const int limit = static_cast<int>(boxes.size());
    for (int round = 0; round < limit; ++round) {
        bool changed = false;
        for (const auto& e : edges) {
            int want = std::min(limit, boxes[e.to].layer + 1);
            if (e.from != r.entity && boxes[e.from].layer < want) {
                boxes[e.from].layer = want;
                changed = true;
            }
        }
        if (!changed) break;
    }
    int top = 0;
    for (const auto& [id, b] : boxes) top = std::max(top, b.layer);

    std::map<int, std::vector<std::string>> layers;  // layer -> ids, alphabetical
    for (auto& [id, b] : boxes) {
        std::string label = id;
        b.w = std::max(110.0, char_w * static_cast<double>(label.size()) + 24);
        layers[b.layer].push_back(id);
    }
    double width = 0;
    for (const auto& [layer, ids] : layers) {
        double w = 0;
        for (const auto& id : ids) w += boxes[id].w + box_gap;
        width = std::max(width, w - box_gap);
    }
    width += 2 * margin;
    const double height = 2 * margin + (top + 1) * box_h + top * layer_gap + 24;
    for (const auto& [layer, ids] : layers) {
        double w = -box_gap;
        for (const auto& id : ids) w += boxes[id].w + box_gap;
        double x = (width - w) / 2;
        for (const auto& id : ids) {
            Box& b = boxes[id];
            b.x = x;
            b.y = margin + (top - layer) * (box_h + layer_gap);
            x += b.w + box_gap;
        }
    }

    const std::string marker = anchor("arrow-", r.entity);
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chains\" width=\"" +
                      num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) +
                      " " + num(height) + "\" role=\"img\">\n";
    out += "<title>Ownership and control chains that block " + xml_escape(r.entity) + "</title>\n";
    out += "<defs><marker id=\"" + marker +
           "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
           "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n";
    for (const auto& e : edges) {
        const Box& a = boxes[e.from];
        const Box& b = boxes[e.to];
        double x1 = a.x + a.w / 2, y1 = a.y + box_h, x2 = b.x + b.w / 2, y2 = b.y;
        if (b.y <= a.y) {  // an edge against the layers (a cycle)
            y1 = a.y;
            y2 = b.y + box_h;
        }
        std::string auths;
        for (const auto& x : e.authorities) auths += (auths.empty() ? "" : ", ") + x;
        out += "<g class=\"edge\"><title>" +
               xml_escape(e.from + " → " + e.to + ": " + e.label + " (" + auths + ")") +
               "</title><line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) +
               "\" y2=\"" + num(y2) + "\" stroke=\"#444\" stroke-width=\"1.5\" marker-end=\"url(#" +
               marker + ")\"/>";
        out += "<text x=\"" + num((x1 + x2) / 2 + 6) + "\" y=\"" + num((y1 + y2) / 2 + 4) +
               "\" font-size=\"12\" font-family=\"sans-serif\" fill=\"#222\">" +
               xml_escape(e.label) + "</text></g>\n";
    }
    for (const auto& [id, b] : boxes) {
        bool root = !b.roots.empty();
        bool self = id == r.entity;
        const char* fill = root ? "#f8d0d0" : self ? "#fde7c4" : "#eef1f5";
        const char* stroke = root ? "#b22222" : self ? "#c06000" : "#667";
        std::string note;
        if (root) {
            for (const auto& x : b.roots) note += (note.empty() ? "blocked by " : ", ") + x;
        } else if (self) {
            for (const auto& [auth, bl] : r.blocked)
                note += (note.empty() ? "blocked by " : ", ") + auth;
        }
        out += "<g class=\"node\"><rect x=\"" + num(b.x) + "\" y=\"" + num(b.y) + "\" width=\"" +
               num(b.w) + "\" height=\"" + num(box_h) + "\" rx=\"5\" fill=\"" + fill +
               "\" stroke=\"" + stroke + "\"/>";
        out += "<text x=\"" + num(b.x + b.w / 2) + "\" y=\"" + num(b.y + (note.empty() ? 25 : 17)) +
               "\" text-anchor=\"middle\" font-size=\"12\" font-family=\"sans-serif\" "
               "font-weight=\"bold\" fill=\"#111\">" +
               xml_escape(id) + "</text>";
        if (!note.empty())
            out += "<text x=\"" + num(b.x + b.w / 2) + "\" y=\"" + num(b.y + 32) +
                   "\" text-anchor=\"middle\" font-size=\"10\" font-family=\"sans-serif\" "
                   "fill=\"#333\">" +
                   xml_escape(note) + "</text>";
        out += "</g>\n";
    }
    return out + "</svg>\n";
}

}  // namespace sanx
