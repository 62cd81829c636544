#include "source/source.hpp"
#include <fstream>

#include <algorithm>
#include <cctype>

namespace sanx::source {

Source::Source(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

int Source::line_of(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    return static_cast<int>(std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) -
                            line_starts_.begin());
}

Location Source::locate(std::size_t offset, std::size_t length) const {
    offset = std::min(offset, text_.size());
    const int line = line_of(offset);
    Location loc;
    loc.file = name_;
    loc.line = line;
    loc.column = static_cast<int>(offset - line_starts_[line - 1]) + 1;
    loc.source_line = std::string(line_text(line));
    std::size_t room = loc.source_line.size() >= static_cast<std::size_t>(loc.column)
                           ? loc.source_line.size() - loc.column + 1
                           : 1;
    loc.length = static_cast<int>(std::max<std::size_t>(1, std::min(length, room)));
    return loc;
}

std::string_view Source::line_text(int line) const {
    if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
    std::size_t b = line_starts_[line - 1];
    std::size_t e = text_.find('\n', b);
    if (e == std::string::npos) e = text_.size();
    if (e > b && text_[e - 1] == '\r') --e;
    return std::string_view(text_).substr(b, e - b);
}

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

Location ScalarOrigin::locate(std::string_view value, std::size_t offset,
                              std::size_t length) const {
    if (!file)
        return Location{"<expr>", 1, static_cast<int>(offset) + 1, static_cast<int>(length),
                        std::string(value)};
    const std::string& text = file->text();
    std::size_t p = pos;
    // Block scalars: the value starts on the line after the `|` / `>` indicator.
    if (p < text.size() && (text[p] == '|' || text[p] == '>')) {
        std::size_t nl = text.find('\n', p);
        p = nl == std::string::npos ? text.size() : nl + 1;
    } else if (p < text.size() && (text[p] == '\'' || text[p] == '"')) {
        ++p;
    }
    // Walk value and source together: every non-blank character of the value stands in the
    // source in the same order; only blanks, line folding and quote doubling differ.
    std::size_t mapped = p;
    offset = std::min(offset, value.size());
    for (std::size_t i = 0; i <= offset && i < value.size(); ++i) {
        char c = value[i];
        if (is_space(c)) {
            if (p < text.size() && text[p] == c) ++p;
            mapped = p;
            continue;
        }
        std::size_t limit = std::min(text.size(), p + 4096);
        std::size_t q = p;
        while (q < limit && text[q] != c) ++q;
        if (q == limit) break;  // escapes we cannot follow: stay at the last known place
        mapped = q;
        p = q + 1;
    }
    if (offset >= value.size() && !value.empty()) mapped = p;
    return file->locate(mapped, length);
}

Diagnostic make_diagnostic(Severity sev, std::string code, std::string message,
                           const ScalarOrigin& origin, std::string_view value, std::size_t offset,
                           std::size_t length, std::vector<std::string> hints) {
    Diagnostic d;
    d.severity = sev;
    d.code = std::move(code);
    d.message = std::move(message);
    d.where = origin.locate(value, offset, length);
    d.hints = std::move(hints);
    return d;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) +
                         1;  // a likely typo: at most 2 edits, more in long words
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

std::string one_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string double_quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

SourcePtr read_source(const std::string& path, std::vector<Diagnostic>& out,
                      std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        out.push_back({Severity::error, "io", "cannot read file", Location{path, 0, 0, 1, {}}, {}});
        return nullptr;
    }
    return read_source(in, path, out, max_bytes);
}

SourcePtr read_source(std::istream& in, const std::string& path, std::vector<Diagnostic>& out,
                      std::size_t max_bytes) {
    // Read in blocks with a bound, so that /dev/zero or a runaway file is an error, not an
    // exhausted memory.
    std::string text;
    std::vector<char> block(1 << 20);
    while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
        text.append(block.data(), static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes) {
            out.push_back({Severity::error,
                           "too-large",
                           "file is larger than " + std::to_string(max_bytes >> 20) +
                               " MiB, the limit for this kind of file (docs/limits.md)",
                           Location{path, 0, 0, 1, {}},
                           {}});
            return nullptr;
        }
    }
    if (in.bad()) {
        out.push_back(
            {Severity::error, "io", "reading the file failed", Location{path, 0, 0, 1, {}}, {}});
        return nullptr;
    }
    return std::make_shared<const Source>(path, std::move(text));
}

std::string count_text(long long n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace sanx::source
