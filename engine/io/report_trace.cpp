// `--explain` as text: each rule's condition tree with the value of every node, and for a
// rule that did not fire, the conditions that failed or were unknown. The Markdown and HTML
// reports draw the same trees as collapsible lists (report_md.cpp, report_html.cpp).

#include <sanx/report.hpp>

#include "io/report_util.hpp"

namespace sanx {

namespace {

using detail::report::location_text;
using detail::report::one_line;
using detail::report::trace_value_kind;

constexpr std::size_t max_expr = 110;

/// Expressions on one line, long ones cut (the JSON form keeps them whole).
std::string short_expr(const std::string& e) {
    std::string s = one_line(e);
    if (s.size() <= max_expr) return s;
    std::size_t cut = max_expr;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    return s.substr(0, cut) + "…";
}

std::string paint(const std::string& value, bool color) {
    if (!color) return value;
    const std::string kind = trace_value_kind(value);
    const char* code = kind == "true"      ? "32"
                       : kind == "false"   ? "31"
                       : kind == "unknown" ? "35"
                       : kind == "error"   ? "1;31"
                                           : "2";
    return std::string("\033[") + code + "m" + value + "\033[0m";
}

void node_text(const TraceNode& n, int depth, bool color, std::string& out) {
    std::string pad(static_cast<std::size_t>(6 + 2 * depth), ' ');
    out += pad + paint(n.value, color) + "  " + short_expr(n.expr);
    if (!n.why.empty()) out += "  (" + n.why + ")";
    out += "\n";
    for (const auto& k : n.kids) node_text(k, depth + 1, color, out);
}

}  // namespace

std::string traces_to_text(const Result& r, bool color) {
    std::string out;
    for (const auto& t : r.traces) {
        std::string where = t.root.at.known() ? "  " + location_text(t.root.at) : "";
        out += "  " + std::string(color ? "\033[1m" : "") + "explain " + t.rule +
               (color ? "\033[0m" : "") + ": " + to_string(t.outcome) + where + "\n";
        node_text(t.root, 0, color, out);
        for (const auto& m : t.misses)
            out += "      missed: " + m.seen +
                   (m.at.known() ? "  (" + short_expr(m.expr) + " at " + location_text(m.at) + ")"
                                 : std::string()) +
                   "\n";
    }
    return out;
}

}  // namespace sanx
