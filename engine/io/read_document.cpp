// The reader of one YAML or JSON document: `{as_of?, entities: [...]}` or a bare list.

#include "io/entity_schema.hpp"
#include "io/entity_view.hpp"
#include "io/input.hpp"
#include "packs/yaml_util.hpp"

namespace sanx::detail {

using namespace reading;

void read_document(const Model& model, InputText& in, bool lists, InputData& data,
                   std::vector<Diagnostic>& diags) {
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
