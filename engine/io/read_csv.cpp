// The reader of CSV with a header row: each row becomes a JSON entity that the JSON view
// reads, so that a CSV row and a JSON line are checked alike.

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <simdjson.h>

#include "io/csv.hpp"
#include "io/entity_schema.hpp"
#include "io/entity_view.hpp"
#include "io/input.hpp"

namespace sanx::detail {

using namespace reading;

namespace {

/// JSON text of a string.
void json_string(std::string& out, std::string_view v) {
    out += '"';
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
            continue;
        }
        out += c;
    }
    out += '"';
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    if (s.empty()) return out;
    for (std::size_t at = 0;;) {
        std::size_t next = s.find(sep, at);
        out.push_back(
            s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) break;
        at = next + 1;
    }
    return out;
}

/// One CSV cell as JSON: list columns split on ';', their items on ':' where they have parts.
void csv_cell(std::string& out, const std::string& column, std::string_view cell) {
    static const std::vector<std::string> lists{"aliases", "countries", "sectors", "goods"};
    auto parts = [&](std::string_view item, const std::vector<const char*>& names) {
        out += '{';
        auto fields = split(item, ':');
        bool first = true;
        for (std::size_t i = 0; i < fields.size() && i < names.size(); ++i) {
            if (fields[i].empty()) continue;
            if (!first) out += ',';
            first = false;
            json_string(out, names[i]);
            out += ':';
            json_string(out, fields[i]);
        }
        out += '}';
    };
    auto items = [&](auto each) {
        out += '[';
        bool first = true;
        for (auto item : split(cell, ';')) {
            if (item.empty()) continue;
            if (!first) out += ',';
            first = false;
            each(item);
        }
        out += ']';
    };
    if (std::find(lists.begin(), lists.end(), column) != lists.end())
        items([&](std::string_view item) { json_string(out, item); });
    else if (column == "owners")
        items([&](std::string_view item) { parts(item, {"id", "share", "from", "until"}); });
    else if (column == "controllers")
        items([&](std::string_view item) { parts(item, {"id", "basis", "from", "until"}); });
    else if (column == "counterparties")
        items([&](std::string_view item) { parts(item, {"id", "country", "role"}); });
    else if (column == "listings")
        items([&](std::string_view item) {
            parts(item, {"authority", "list", "program", "from", "until"});
        });
    else
        json_string(out, cell);
}

}  // namespace

namespace {

/// `;` when the header has no comma but names an `id` column between semicolons.
char csv_delimiter(const std::string& name, std::string_view text) {
    std::string_view head = text.substr(0, text.find_first_of("\r\n"));
    if (head.find(',') != std::string_view::npos || head.find(';') == std::string_view::npos)
        return ',';
    std::vector<Diagnostic> ignored;
    auto rows = csv::read(name, head, ignored, {';', false, false});
    if (!rows.empty())
        for (const auto& f : rows.front().fields)
            if (f && *f == "id") return ';';
    return ',';
}

/// OFAC's SDN (or consolidated) primary table: no header, 12 columns, a numeric ent_num.
bool looks_like_ofac_csv(const csv::Record& first) {
    if (first.fields.size() != 12 || !first.fields[0] || first.fields[0]->empty()) return false;
    const std::string& n = *first.fields[0];
    return std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void read_csv(const Model& model, InputText& in, bool lists, InputData& data,
              std::vector<Diagnostic>& diags) {
    const source::SourcePtr& src = in.source();
    const std::string& text = src->text();
    csv::Options options;
    options.delimiter = csv_delimiter(src->name(), text);
    options.multiline = true;  // RFC 4180, as spreadsheets write quoted line breaks
    options.keep_malformed = true;
    auto rows = csv::read(src->name(), text, diags, options);
    auto& out = lists ? data.known : data.records;
    auto offset_of = [&](const csv::Record& row) {
        return static_cast<std::size_t>(row.raw.data() - text.data());
    };
    auto file_error = [&](std::size_t at, std::string message, std::vector<std::string> hints) {
        diags.push_back(
            {Severity::error, "csv", std::move(message), located(*src, at), std::move(hints)});
        in.report_unclaimed(diags);
    };
    if (rows.empty()) return in.report_unclaimed(diags);
    const csv::Record& head = rows.front();
    if (head.error)
        return file_error(
            offset_of(head) + head.error_at,
            "the header row cannot be read: " + *head.error + "; the file was not read", {});
    std::vector<std::string> header;
    for (const auto& f : head.fields) header.push_back(f.value_or(""));
    const auto id_column = std::find(header.begin(), header.end(), "id") - header.begin();
    if (static_cast<std::size_t>(id_column) == header.size()) {
        if (looks_like_ofac_csv(head)) {
            // cons_prim.csv is the consolidated (non-SDN) list's primary table, in the same shape.
            const std::string base = std::filesystem::path(src->name()).filename().string();
            const bool cons = base.rfind("cons_", 0) == 0;
            return file_error(offset_of(head),
                              std::string("this looks like an OFAC ") +
                                  (cons ? "consolidated" : "SDN") + " CSV file: run `sanx import " +
                                  (cons ? "ofac-consolidated " : "ofac-sdn ") + src->name() +
                                  "` first",
                              {"the import writes the list as JSON lines, to give with --lists"});
        }
        std::vector<std::string> hints;
        if (auto s = source::suggest("id", header); !s.empty())
            hints.push_back("is '" + s + "' the id column? name it 'id'");
        if (header.size() == 1 && header[0].find(';') != std::string::npos)
            hints.push_back(
                "cells are separated by ',', or by ';' when the header has no comma and names "
                "an 'id' column");
        return file_error(offset_of(head),
                          "the CSV header has no 'id' column; the file was not read",
                          std::move(hints));
    }
    static const std::vector<std::string> columns{
        "id",      "type",  "name",   "aliases",     "country",        "countries",
        "sectors", "goods", "owners", "controllers", "counterparties", "listings"};
    simdjson::dom::parser parser;
    EntityReader<JsonView> reader(model);
    std::string json;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::size_t begin = offset_of(row), end = begin + row.raw.size();
        JsonLine where{src.get(), begin, &diags};
        if (row.error || row.fields.size() != header.size()) {
            std::string why = row.error
                                  ? *row.error
                                  : "the row has " + std::to_string(row.fields.size()) +
                                        " fields, the header " + std::to_string(header.size());
            std::string ignored;
            in.claim(begin, end, ignored);  // the row is rejected already
            std::string id;
            if (static_cast<std::size_t>(id_column) < row.fields.size())
                id = row.fields[static_cast<std::size_t>(id_column)].value_or("");
            out.push_back(error_record(*src, begin + (row.error ? row.error_at : 0), row.line,
                                       std::move(id), std::move(why), diags));
            continue;
        }
        // Known columns become entity fields; any other column is an attribute.
        json = "{";
        std::string attributes;
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string cell = row.fields[c].value_or("");
            if (cell.empty()) continue;  // an empty cell is an absent (unknown) field
            bool known = std::find(columns.begin(), columns.end(), header[c]) != columns.end();
            std::string& target = known ? json : attributes;
            if (target.size() > 1 || (!known && !attributes.empty())) target += ',';
            json_string(target, header[c]);
            target += ':';
            csv_cell(target, header[c], cell);
        }
        if (!attributes.empty())
            json += std::string(json.size() > 1 ? "," : "") + "\"attributes\":{" + attributes + "}";
        json += "}";
        simdjson::dom::element doc;
        if (auto err = parser.parse(json).get(doc)) {  // the text is ours: never, but never lost
            out.push_back(error_record(*src, begin, row.line, {},
                                       std::string("internal: ") + simdjson::error_message(err),
                                       diags));
            continue;
        }
        out.push_back(
            read_record(reader, JsonView(doc, where), in, begin, end, row.line, &data.ids, diags));
    }
    in.report_unclaimed(diags);
}

}  // namespace sanx::detail
