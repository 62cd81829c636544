// The reader of JSON lines: one entity per line.

#include <simdjson.h>

#include "io/entity_schema.hpp"
#include "io/entity_view.hpp"
#include "io/input.hpp"

namespace sanx::detail {

using namespace reading;

void read_json_lines(const Model& model, InputText& in, bool lists, InputData& data,
                     std::vector<Diagnostic>& diags) {
    const source::SourcePtr& src = in.source();
    const std::string& text = src->text();
    simdjson::dom::parser parser;
    EntityReader<JsonView> reader(model);
    auto& out = lists ? data.known : data.records;
    std::size_t pos = 0;
    int line = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        ++line;
        std::string_view body(text.data() + pos, end - pos);
        JsonLine where{src.get(), pos, &diags};
        pos = end + 1;
        if (body.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank line
        simdjson::dom::element doc;
        // simdjson needs padding after the text; parse() copies when the input has none.
        if (auto err = parser.parse(body.data(), body.size(), true).get(doc)) {
            std::string ignored;
            in.claim(where.offset, end, ignored);  // the line is rejected for its JSON already
            out.push_back(error_record(*src, where.offset, line, {},
                                       std::string("invalid JSON: ") + simdjson::error_message(err),
                                       diags));
            continue;
        }
        out.push_back(
            read_record(reader, JsonView(doc, where), in, where.offset, end, line, data, diags));
    }
    in.report_unclaimed(diags);
}

}  // namespace sanx::detail
