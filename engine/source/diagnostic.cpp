#include <algorithm>
#include <string>

#include <sanx/diagnostic.hpp>

#include "source/utf8.hpp"

namespace sanx {

const char* to_string(Severity s) {
    switch (s) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::note:
            return "note";
    }
    return "error";
}

namespace {
const char* severity_color(Severity s) {
    switch (s) {
        case Severity::error:
            return "\033[1;31m";
        case Severity::warning:
            return "\033[1;35m";
        case Severity::note:
            return "\033[1;36m";
    }
    return "";
}
}  // namespace

std::string render(const Diagnostic& d, bool color) {
    const std::string bold = color ? "\033[1m" : "";
    const std::string reset = color ? "\033[0m" : "";
    const std::string green = color ? "\033[1;32m" : "";
    std::string out = bold + d.where.file;
    if (d.where.known())
        out += ":" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column);
    out += ":" + reset + " " + (color ? severity_color(d.severity) : "") + to_string(d.severity) +
           ":" + reset + " " + bold + d.message + reset + "\n";
    if (d.where.known() && !d.where.source_line.empty()) {
        const std::string_view line = d.where.source_line;
        out += "  " + source::printable_utf8(line) + "\n  ";
        // Columns count bytes; the caret line counts display columns, so that it lines up
        // under Cyrillic (one column a character, two bytes), CJK (two columns) or combining
        // accents (none). Tabs are kept as tabs for the same reason.
        const std::size_t before =
            std::min(line.size(), static_cast<std::size_t>(std::max(0, d.where.column - 1)));
        for (std::size_t i = 0; i < before;) {
            char32_t cp = 0;
            std::size_t n = source::utf8_sequence(line, i, cp);
            if (line[i] == '\t')
                out += '\t';
            else
                out.append(n == 0 ? 1 : source::char_width(cp), ' ');
            i += n == 0 ? 1 : n;
        }
        const std::size_t marked = source::display_width(
            line.substr(before, static_cast<std::size_t>(std::max(1, d.where.length))));
        out += green + "^" + std::string(marked > 1 ? marked - 1 : 0, '~') + reset + "\n";
    }
    for (const auto& h : d.hints)
        out += "  " + (color ? std::string("\033[1;36m") : "") + "note:" + reset + " " + h + "\n";
    return out;
}

std::string render(const std::vector<Diagnostic>& ds, bool color) {
    std::string out;
    for (const auto& d : ds) out += render(d, color);
    return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace sanx
