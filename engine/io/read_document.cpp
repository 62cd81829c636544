// The reader of one YAML or JSON document: `{as_of?, entities: [...]}` or a bare list.

#include <unordered_set>

#include <simdjson.h>

#include "io/entity_schema.hpp"
#include "io/entity_view.hpp"
#include "io/input.hpp"
#include "packs/yaml_util.hpp"

namespace sanx::detail {

using namespace reading;

namespace {

/// A JSON document read with simdjson, which is many times faster than yaml-cpp, when it
/// reads clean: valid JSON, only `as_of` (a date) and `entities` (a list) at the top, and no
/// record with anything to say (no warning, no rejection, no duplicate id). Otherwise false,
/// with nothing read, and the YAML reader reads it, with its positions at each value: a
/// JSON entity is placed only where it starts.
bool read_clean_json(const Model& model, InputText& in, bool lists, InputData& data) {
    const source::SourcePtr& src = in.source();
    const std::string& text = src->text();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (text[first] != '{' && text[first] != '[')) return false;
    try {
        simdjson::padded_string padded(text);
        simdjson::ondemand::parser parser;
        simdjson::ondemand::document doc = parser.iterate(padded);
        std::optional<eval::Date> as_of;
        // Each entity's raw text, where it starts in the file.
        std::vector<std::string_view> entities;
        auto take = [&](simdjson::ondemand::array list) {
            for (auto item : list) {
                simdjson::ondemand::object o;
                std::string_view raw;
                if (item.get_object().get(o) || o.raw_json().get(raw)) return false;
                entities.push_back(raw);
            }
            return true;
        };
        if (doc.type() == simdjson::ondemand::json_type::array) {
            if (!take(doc.get_array())) return false;
        } else {
            bool seen_entities = false, seen_as_of = false;
            for (auto field : doc.get_object()) {
                const std::string_view key = field.unescaped_key();
                if (key == "entities" && !seen_entities) {
                    seen_entities = true;
                    simdjson::ondemand::array list;
                    if (field.value().get_array().get(list) || !take(list)) return false;
                } else if (key == "as_of" && !seen_as_of) {
                    seen_as_of = true;
                    std::string_view d;
                    eval::Date date;
                    if (field.value().get_string().get(d) || !eval::parse_date(d, date))
                        return false;
                    as_of = date;
                } else {
                    return false;
                }
            }
            if (!seen_entities) return false;
        }
        const char* rest = nullptr;  // past the end of a whole document, there is no place
        if (!doc.current_location().get(rest)) return false;

        simdjson::dom::parser dom;
        EntityReader<JsonView> reader(model);
        std::vector<Diagnostic> said;
        std::vector<Record> read;
        std::unordered_set<std::string> ids;
        read.reserve(entities.size());
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const auto begin = static_cast<std::size_t>(entities[i].data() - padded.data());
            const std::size_t end =
                i + 1 < entities.size()
                    ? static_cast<std::size_t>(entities[i + 1].data() - padded.data())
                    : text.size();
            simdjson::dom::element e;
            if (dom.parse(entities[i].data(), entities[i].size(), true).get(e)) return false;
            JsonLine where{src.get(), begin, &said};
            read.push_back(read_record(reader, JsonView(e, where), in, begin, end,
                                       src->line_of(begin), nullptr, said));
            if (!said.empty() || read.back().rejected) return false;
            if (data.ids.count(read.back().id) || !ids.insert(read.back().id).second) return false;
        }
        data.ids.insert(ids.begin(), ids.end());
        if (as_of && !lists && !data.as_of) data.as_of = as_of;
        auto& out = lists ? data.known : data.records;
        out.insert(out.end(), std::make_move_iterator(read.begin()),
                   std::make_move_iterator(read.end()));
        return true;
    } catch (const simdjson::simdjson_error&) {
        return false;
    }
}

}  // namespace

void read_document(const Model& model, InputText& in, bool lists, InputData& data,
                   std::vector<Diagnostic>& diags) {
    if (read_clean_json(model, in, lists, data)) return;
    const source::SourcePtr& src = in.source();
    YAML::Node root;
    if (!parse_yaml(*src, root, diags)) return;
    YamlReader r(src, diags);
    YAML::Node entities;
    if (root.IsSequence()) {
        entities = root;
    } else if (root.IsMap()) {
        r.check_keys(root, {"as_of", "entities"}, "an input document", Severity::warning);
        if (root["as_of"] && !lists) {
            std::optional<eval::Date> d;
            if (r.date(root["as_of"], d) && !data.as_of) data.as_of = d;
        }
        entities = root["entities"];
        if (!entities) {
            diags.push_back({Severity::error,
                             "input",
                             "an input document needs 'entities: [...]'",
                             src->locate(0),
                             {}});
            return;
        }
    } else {
        diags.push_back({Severity::error,
                         "input",
                         "expected a document {as_of?, entities: [...]} or a list of entities",
                         src->locate(0),
                         {}});
        return;
    }
    if (!entities.IsSequence()) {
        r.error(entities, "input", "'entities' must be a list");
        return;
    }
    EntityReader<YamlView> reader(model);
    auto& out = lists ? data.known : data.records;
    // An entity's text runs from its mark to the next entity's; the last one's to the end.
    std::vector<YAML::Node> nodes(entities.begin(), entities.end());
    std::vector<std::pair<std::size_t, std::size_t>> spans(nodes.size());
    std::size_t next = src->text().size();
    for (std::size_t i = nodes.size(); i-- > 0;) {
        const YAML::Mark m = nodes[i].Mark();
        const std::size_t begin = m.is_null() || m.pos < 0 ? next : static_cast<std::size_t>(m.pos);
        spans[i] = {begin, next};
        next = begin;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i)
        out.push_back(read_record(reader, YamlView(nodes[i], r), in, spans[i].first,
                                  spans[i].second, r.at(nodes[i]).line, &data.ids, diags));
    in.report_unclaimed(diags);
}

}  // namespace sanx::detail
