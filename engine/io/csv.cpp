#include "io/csv.hpp"

#include "source/source.hpp"
#include "source/utf8.hpp"

namespace sanx::csv {

namespace {

std::string_view first_line(std::string_view raw) {
    auto end = raw.find_first_of("\r\n");
    return source::utf8_prefix(raw.substr(0, end), 200);
}

/// Parses one record starting at `pos`; on success `pos` is past its line end.
struct Parser {
    std::string_view text;
    const Options& options;
    std::size_t pos = 0;
    int line = 1;

    enum class Status { ok, unterminated, junk_after_quote };

    /// On failure `problem` is the offset of the opening quote or of the junk, and
    /// `junk_line` the line of the junk.
    Status record(std::vector<std::optional<std::string>>& fields, std::size_t& problem,
                  int& junk_line) {
        const char sep = options.delimiter;
        fields.clear();
        while (true) {
            std::string value;
            bool quoted = false;
            if (pos < text.size() && text[pos] == '"') {
                quoted = true;
                problem = pos++;
                while (true) {
                    if (pos >= text.size()) return Status::unterminated;
                    char c = text[pos++];
                    if (c == '"') {
                        if (pos < text.size() && text[pos] == '"') {
                            value += '"';
                            ++pos;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n' || c == '\r') {
                        // Without `multiline` a line end inside quotes means a quote is
                        // missing, and only this line is lost.
                        if (!options.multiline) return Status::unterminated;
                        if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
                        ++line;
                        value += '\n';
                        continue;
                    }
                    value += c;
                }
                // Only a separator or a line end may follow a closing quote (spaces are
                // tolerated, as OFAC writes `-0- ` with one).
                while (pos < text.size() && text[pos] == ' ') ++pos;
                if (pos < text.size() && text[pos] != sep && text[pos] != '\r' &&
                    text[pos] != '\n') {
                    problem = pos;
                    junk_line = line;
                    return Status::junk_after_quote;
                }
            } else {
                while (pos < text.size() && text[pos] != sep && text[pos] != '\r' &&
                       text[pos] != '\n')
                    value += text[pos++];
            }
            if (!quoted && source::trim(value) == "-0-")
                fields.emplace_back(std::nullopt);
            else
                fields.emplace_back(quoted ? std::move(value) : std::string(source::trim(value)));
            if (pos >= text.size()) return Status::ok;
            char c = text[pos++];
            if (c == sep) continue;
            if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
            ++line;
            return Status::ok;
        }
    }

    void skip_line() {
        while (pos < text.size() && text[pos] != '\n') ++pos;
        if (pos < text.size()) ++pos;
        ++line;
    }
};

}  // namespace

Diagnostic record_diagnostic(Severity severity, const std::string& code, const std::string& file,
                             int line, std::string_view raw, std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.code = code;
    d.message = std::move(message);
    d.where.file = file;
    d.where.line = line;
    d.where.column = 1;
    d.where.source_line = std::string(first_line(raw));
    return d;
}

std::vector<Record> read(const std::string& name, std::string_view text,
                         std::vector<Diagnostic>& diags, const Options& options) {
    // The DOS end-of-file mark OFAC appends, and a UTF-8 byte order mark, are not data.
    while (!text.empty() && (text.back() == '\x1a' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    std::vector<Record> out;
    Parser p{text, options};
    std::vector<std::optional<std::string>> fields;
    while (p.pos < text.size()) {
        std::size_t start = p.pos;
        int start_line = p.line;
        if (text[start] == '\n' || text[start] == '\r') {  // an empty line
            p.skip_line();
            continue;
        }
        std::size_t problem = start;
        int junk_line = 0;
        auto status = p.record(fields, problem, junk_line);
        if (status == Parser::Status::ok) {
            out.push_back(
                {start_line, std::move(fields), text.substr(start, p.pos - start), {}, 0});
            fields = {};
            continue;
        }
        // Resume on the line after the one where the bad record started (after the junk's
        // line when a quoted field spanned lines before it).
        p.pos = start;
        p.line = start_line;
        p.skip_line();
        if (status == Parser::Status::junk_after_quote)
            while (p.line <= junk_line && p.pos < text.size()) p.skip_line();
        auto raw = text.substr(start, p.pos - start);
        std::string message = status == Parser::Status::unterminated
                                  ? options.multiline ? "a quoted field is not closed"
                                                      : "a quoted field is not closed on its line"
                                  : "text after a closing quote";
        if (options.keep_malformed) {
            out.push_back(
                {start_line, std::move(fields), raw, std::move(message), problem - start});
            fields = {};
            continue;
        }
        diags.push_back(
            record_diagnostic(Severity::error, "csv", name,
                              status == Parser::Status::junk_after_quote ? junk_line : start_line,
                              raw, message + "; record skipped"));
    }
    return out;
}

}  // namespace sanx::csv
