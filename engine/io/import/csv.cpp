#include "io/import/csv.hpp"

#include "io/import/text.hpp"

namespace sanx::import::detail {

namespace {

std::string_view first_line(std::string_view raw) {
    auto end = raw.find_first_of("\r\n");
    raw = raw.substr(0, end);
    return raw.size() > 200 ? raw.substr(0, 200) : raw;
}

/// Parses one record starting at `pos`; on success `pos` is past its line end.
struct Parser {
    std::string_view text;
    std::size_t pos = 0;
    int line = 1;

    enum class Status { ok, unterminated, junk_after_quote };

    Status record(std::vector<std::optional<std::string>>& fields, int& junk_line) {
        fields.clear();
        while (true) {
            std::string value;
            bool quoted = false;
            if (pos < text.size() && text[pos] == '"') {
                quoted = true;
                ++pos;
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
                    // OFAC never breaks a field across lines: a line end inside quotes means
                    // a quote is missing, and only this line is lost.
                    if (c == '\n' || c == '\r') return Status::unterminated;
                    value += c;
                }
                // Only a separator or a line end may follow a closing quote (spaces are
                // tolerated, as OFAC writes `-0- ` with one).
                while (pos < text.size() && text[pos] == ' ') ++pos;
                if (pos < text.size() && text[pos] != ',' && text[pos] != '\r' &&
                    text[pos] != '\n') {
                    junk_line = line;
                    return Status::junk_after_quote;
                }
            } else {
                while (pos < text.size() && text[pos] != ',' && text[pos] != '\r' &&
                       text[pos] != '\n')
                    value += text[pos++];
            }
            if (!quoted && trim(value) == "-0-")
                fields.emplace_back(std::nullopt);
            else
                fields.emplace_back(quoted ? std::move(value) : std::string(trim(value)));
            if (pos >= text.size()) return Status::ok;
            char c = text[pos++];
            if (c == ',') continue;
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

std::vector<CsvRecord> read_csv(const std::string& name, std::string_view text,
                                std::vector<Diagnostic>& diags) {
    // The DOS end-of-file mark OFAC appends, and a UTF-8 byte order mark, are not data.
    while (!text.empty() && (text.back() == '\x1a' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    std::vector<CsvRecord> out;
    Parser p{text};
    std::vector<std::optional<std::string>> fields;
    while (p.pos < text.size()) {
        std::size_t start = p.pos;
        int start_line = p.line;
        if (text[start] == '\n' || text[start] == '\r') {  // an empty line
            p.skip_line();
            continue;
        }
        int junk_line = 0;
        auto status = p.record(fields, junk_line);
        if (status == Parser::Status::ok) {
            out.push_back({start_line, std::move(fields), text.substr(start, p.pos - start)});
            fields = {};
            continue;
        }
        auto raw = text.substr(start);
        if (status == Parser::Status::unterminated)
            diags.push_back(
                record_diagnostic(Severity::error, "csv", name, start_line, raw,
                                  "a quoted field is not closed on its line; record skipped"));
        else
            diags.push_back(record_diagnostic(Severity::error, "csv", name, junk_line, raw,
                                              "text after a closing quote; record skipped"));
        // Resume on the line after the one where the bad record started.
        p.pos = start;
        p.line = start_line;
        p.skip_line();
        if (status == Parser::Status::junk_after_quote)
            while (p.line <= junk_line && p.pos < text.size()) p.skip_line();
    }
    return out;
}

}  // namespace sanx::import::detail
