// The reader of JSON lines: one entity per line. A large text is read in parts at once, one
// thread each, and the parts are joined in input order, so that records and diagnostics
// come out as one reader would give them.

#include <algorithm>
#include <unordered_set>

#include <simdjson.h>

#include "common/parallel.hpp"
#include "io/entity_schema.hpp"
#include "io/entity_view.hpp"
#include "io/input.hpp"

namespace sanx::detail {

using namespace reading;

namespace {

/// What one reader made of the lines in [begin, end) of the text.
struct Part {
    std::size_t begin = 0, end = 0;
    int line = 0;  ///< of the line before `begin`
    std::vector<Record> records;
    std::vector<std::size_t> offsets;  ///< of each record's line
    std::vector<std::size_t> ends;     ///< diags.size() after each record
    std::vector<Diagnostic> diags;
};

void read_part(const Model& model, InputText& in, Part& part) {
    const source::SourcePtr& src = in.source();
    const std::string& text = src->text();
    simdjson::dom::parser parser;
    EntityReader<JsonView> reader(model);
    std::size_t pos = part.begin;
    int line = part.line;
    while (pos < part.end) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        ++line;
        std::string_view body(text.data() + pos, end - pos);
        JsonLine where{src.get(), pos, &part.diags};
        pos = end + 1;
        if (body.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank line
        part.offsets.push_back(where.offset);
        simdjson::dom::element doc;
        // simdjson needs padding after the text; parse() copies when the input has none.
        if (auto err = parser.parse(body.data(), body.size(), true).get(doc)) {
            std::string ignored;
            in.claim(where.offset, end, ignored);  // the line is rejected for its JSON already
            part.records.push_back(error_record(
                *src, where.offset, line, {},
                std::string("invalid JSON: ") + simdjson::error_message(err), part.diags));
        } else {
            part.records.push_back(read_record(reader, JsonView(doc, where), in, where.offset, end,
                                               line, nullptr, part.diags));
        }
        part.ends.push_back(part.diags.size());
    }
}

/// Splits the text into `parts` runs of whole lines.
std::vector<Part> split(const std::string& text, unsigned parts) {
    std::vector<Part> out(parts);
    std::size_t at = 0;
    int line = 0;
    for (unsigned i = 0; i < parts; ++i) {
        out[i].begin = at;
        out[i].line = line;
        std::size_t want = std::max(at, text.size() * (i + 1) / parts);
        std::size_t nl = i + 1 == parts ? std::string::npos : text.find('\n', want);
        at = nl == std::string::npos ? text.size() : nl + 1;
        out[i].end = at;
        line +=
            static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(out[i].begin),
                                        text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    }
    return out;
}

}  // namespace

void read_json_lines(const Model& model, InputText& in, bool lists, InputData& data,
                     std::vector<Diagnostic>& diags, unsigned jobs) {
    const source::SourcePtr& src = in.source();
    const std::string& text = src->text();
    // A part of less than this is not worth a thread.
    constexpr std::size_t least = std::size_t{1} << 20;
    const auto parts =
        static_cast<unsigned>(std::clamp<std::size_t>(text.size() / least, 1, workers(jobs)));
    std::vector<Part> read = split(text, parts);
    run_parts(parts, [&](unsigned i) { read_part(model, in, read[i]); });

    // Joined in order: a duplicate id is found here, where every earlier record is known,
    // and what one reader warns about once per file (an unknown authority or list) is said
    // once, where the first part to see it said it.
    auto& out = lists ? data.known : data.records;
    std::unordered_set<std::string> once;
    for (auto& part : read) {
        std::size_t d = 0;
        for (std::size_t k = 0; k < part.records.size(); ++k) {
            for (; d < part.ends[k]; ++d) {
                Diagnostic& diag = part.diags[d];
                if (said_once_per_file(diag) && !once.insert(diag.message).second) continue;
                diags.push_back(std::move(diag));
            }
            Record& rec = part.records[k];
            if (!rec.rejected && !data.ids.insert(rec.id).second) {
                rec.rejected = duplicate_id(rec.id);
                diags.push_back({Severity::error,
                                 "rejected",
                                 *rec.rejected + "; record not evaluated",
                                 located(*src, part.offsets[k]),
                                 {}});
            }
            out.push_back(std::move(rec));
        }
    }
    in.report_unclaimed(diags);
}

}  // namespace sanx::detail
