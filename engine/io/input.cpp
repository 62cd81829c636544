#include "io/input.hpp"

#include <algorithm>

#include "packs/yaml_util.hpp"

namespace sanx::detail {

namespace {

using eval::Value;

const std::vector<std::string> entity_keys{
    "id",     "type",        "name",           "aliases", "country",  "countries", "sectors",
    "owners", "controllers", "counterparties", "goods",   "listings", "attributes"};
const std::vector<std::string> entity_types{"company",      "bank",   "person",
                                            "organization", "vessel", "aircraft"};

/// A record-level problem: the record cannot be read and is rejected.
struct Reject {
    std::string message;
    YAML::Node at;
};

Value plain_scalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    if (n.Tag() == "!") return s;  // quoted: always a string
    if (s == "true" || s == "True") return true;
    if (s == "false" || s == "False") return false;
    if (s == "null" || s == "~" || s.empty()) return eval::Null{};
    char* end = nullptr;
    long long i = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end == s.c_str() + s.size() && (s.size() < 2 || s[0] != '0'))
        return static_cast<std::int64_t>(i);
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size()) return d;
    return s;
}

Value generic(const YAML::Node& n) {
    if (n.IsScalar()) return plain_scalar(n);
    if (n.IsSequence()) {
        eval::List l;
        for (const auto& e : n) l.push_back(generic(e));
        return l;
    }
    if (n.IsMap()) {
        eval::Map m;
        for (const auto& kv : n) m.emplace_back(Value(kv.first.Scalar()), generic(kv.second));
        return m;
    }
    return eval::Null{};
}

class EntityReader {
  public:
    EntityReader(const Model& m, YamlReader& r) : m_(m), r_(r) {}

    Value entity(const YAML::Node& n) {
        if (!n.IsMap()) throw Reject{"an entity must be a mapping with at least an 'id'", n};
        r_.check_keys(n, entity_keys, "an entity", Severity::warning);
        if (!n["id"]) throw Reject{"an entity needs an 'id'", n};
        eval::Map out;
        for (const auto& kv : n) {
            const std::string key = kv.first.Scalar();
            const YAML::Node& v = kv.second;
            if (key == "id" || key == "name")
                out.emplace_back(key, text(v, key));
            else if (key == "type") {
                std::string t = text(v, key);
                if (std::find(entity_types.begin(), entity_types.end(), t) == entity_types.end())
                    warn(v, "unknown entity type '" + t + "'", t, entity_types);
                out.emplace_back(key, t);
            } else if (key == "country")
                out.emplace_back(key, country(v));
            else if (key == "countries")
                out.emplace_back(key,
                                 list(v, key, [&](const YAML::Node& e) { return country(e); }));
            else if (key == "sectors")
                out.emplace_back(key, list(v, key, [&](const YAML::Node& e) { return sector(e); }));
            else if (key == "aliases")
                out.emplace_back(key,
                                 list(v, key, [&](const YAML::Node& e) { return text(e, key); }));
            else if (key == "goods")
                out.emplace_back(key,
                                 list(v, key, [&](const YAML::Node& e) { return hs_code(e); }));
            else if (key == "owners")
                out.emplace_back(key, list(v, key, [&](const YAML::Node& e) { return owner(e); }));
            else if (key == "controllers")
                out.emplace_back(key,
                                 list(v, key, [&](const YAML::Node& e) { return controller(e); }));
            else if (key == "counterparties")
                out.emplace_back(
                    key, list(v, key, [&](const YAML::Node& e) { return counterparty(e); }));
            else if (key == "listings")
                out.emplace_back(key,
                                 list(v, key, [&](const YAML::Node& e) { return listing(e); }));
            else
                out.emplace_back(key, generic(v));  // attributes, and unknown fields (warned above)
        }
        if (!n["type"]) out.emplace_back("type", "company");  // PRODUCT.md section 3: the default
        return out;
    }

  private:
    void warn(const YAML::Node& n, std::string msg, const std::string& word,
              const std::vector<std::string>& known) {
        std::vector<std::string> hints;
        if (auto s = source::suggest(word, known); !s.empty())
            hints.push_back("did you mean '" + s + "'?");
        r_.report(Severity::warning, n, "unknown-value", std::move(msg), std::move(hints));
    }

    std::string text(const YAML::Node& n, const std::string& what) {
        if (!n.IsScalar()) throw Reject{"'" + what + "' must be a string", n};
        return n.Scalar();
    }

    Value country(const YAML::Node& n) {
        std::string c = text(n, "country");
        if (!m_.vocab.countries.count(c)) {
            std::vector<std::string> all(m_.vocab.countries.begin(), m_.vocab.countries.end());
            warn(n, "unknown country code '" + c + "'", c, all);
        }
        return c;
    }

    Value sector(const YAML::Node& n) {
        std::string s = text(n, "sector");
        if (!m_.vocab.sectors.count(s)) {
            std::vector<std::string> all(m_.vocab.sectors.begin(), m_.vocab.sectors.end());
            warn(n, "unknown sector '" + s + "'", s, all);
        }
        return s;
    }

    Value hs_code(const YAML::Node& n) {
        std::string s = text(n, "goods");
        bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
        });
        std::string code;
        for (char c : s)
            if (c != '.') code += c;
        if (!digits || code.size() < 2 || code.size() > 10)
            r_.report(Severity::warning, n, "bad-hs-code",
                      "'" + s + "' is not an HS code (2 to 10 digits)");
        return digits ? code : s;
    }

    template <typename F>
    Value list(const YAML::Node& n, const std::string& what, F each) {
        if (!n.IsSequence()) throw Reject{"'" + what + "' must be a list", n};
        eval::List l;
        for (const auto& e : n) l.push_back(each(e));
        return l;
    }

    Value date(const YAML::Node& n) {
        eval::Date d;
        if (!n.IsScalar() || !eval::parse_date(n.Scalar(), d))
            throw Reject{"expected a date YYYY-MM-DD", n};
        return d;
    }

    Value share(const YAML::Node& n) {
        if (!n.IsScalar()) throw Reject{"'share' must be a number or a percentage like \"25%\"", n};
        std::string s = n.Scalar();
        if (!s.empty() && s.back() == '%') s.pop_back();
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size() || d < 0 || d > 100)
            throw Reject{"'share' must be a percentage from 0 to 100, not '" + n.Scalar() + "'", n};
        return d;
    }

    /// A nested mapping with known keys; `convert` maps each key's value.
    template <typename F>
    Value object(const YAML::Node& n, const char* what, const std::vector<std::string>& keys,
                 const std::vector<std::string>& required, F convert) {
        if (!n.IsMap()) throw Reject{std::string(what) + " must be a mapping", n};
        r_.check_keys(n, keys, what, Severity::warning);
        for (const auto& k : required)
            if (!n[k]) throw Reject{std::string(what) + " needs '" + k + "'", n};
        eval::Map out;
        for (const auto& kv : n)
            out.emplace_back(kv.first.Scalar(), convert(kv.first.Scalar(), kv.second));
        return out;
    }

    Value owner(const YAML::Node& n) {
        return object(n, "an owner", {"id", "share", "from", "until"}, {"id"},
                      [&](const std::string& k, const YAML::Node& v) -> Value {
                          if (k == "share") return share(v);
                          if (k == "from" || k == "until") return date(v);
                          if (k == "id") return text(v, k);
                          return generic(v);
                      });
    }

    Value controller(const YAML::Node& n) {
        static const std::vector<std::string> bases{"board", "voting_agreement", "de_facto",
                                                    "joint_arrangement"};
        return object(n, "a controller", {"id", "basis", "with", "from", "until"}, {"id", "basis"},
                      [&](const std::string& k, const YAML::Node& v) -> Value {
                          if (k == "from" || k == "until") return date(v);
                          if (k == "with")
                              return list(v, k,
                                          [&](const YAML::Node& e) { return Value(text(e, k)); });
                          if (k == "basis") {
                              std::string b = text(v, k);
                              if (std::find(bases.begin(), bases.end(), b) == bases.end())
                                  throw Reject{
                                      "'basis' must be one of board, voting_agreement, de_facto, "
                                      "joint_arrangement",
                                      v};
                              return b;
                          }
                          if (k == "id") return text(v, k);
                          return generic(v);
                      });
    }

    Value counterparty(const YAML::Node& n) {
        return object(n, "a counterparty",
                      {"id", "name", "country", "sectors", "goods", "role", "volume"}, {},
                      [&](const std::string& k, const YAML::Node& v) -> Value {
                          if (k == "country") return country(v);
                          if (k == "sectors")
                              return list(v, k, [&](const YAML::Node& e) { return sector(e); });
                          if (k == "goods")
                              return list(v, k, [&](const YAML::Node& e) { return hs_code(e); });
                          if (k == "id" || k == "name" || k == "role") return text(v, k);
                          return generic(v);
                      });
    }

    Value listing(const YAML::Node& n) {
        return object(n, "a listing", {"authority", "list", "program", "from", "until"},
                      {"authority"}, [&](const std::string& k, const YAML::Node& v) -> Value {
                          if (k == "from" || k == "until") return date(v);
                          return text(v, k);
                      });
    }

    const Model& m_;
    YamlReader& r_;
};

/// Counterparties that name a known entity by id get the fields they leave out from it.
Value enrich(const Value& entity, const std::unordered_map<std::string, const Value*>& by_id) {
    const Value* cps = entity.field("counterparties");
    if (!cps || !cps->is(eval::Kind::list)) return entity;
    eval::List out;
    bool changed = false;
    for (const auto& cp : cps->as_list()) {
        const Value* id = cp.field("id");
        auto it = id && id->is(eval::Kind::string) ? by_id.find(id->as_string()) : by_id.end();
        if (it == by_id.end() || !cp.is(eval::Kind::map)) {
            out.push_back(cp);
            continue;
        }
        eval::Map merged = cp.as_map();
        for (const char* key :
             {"name", "type", "country", "countries", "sectors", "goods", "listings", "owners"})
            if (!cp.field(key))
                if (const Value* v = it->second->field(key)) {
                    merged.emplace_back(Value(key), *v);
                    changed = true;
                }
        out.push_back(std::move(merged));
    }
    if (!changed) return entity;
    eval::Map e;
    for (const auto& [k, v] : entity.as_map())
        e.emplace_back(
            k, k.is(eval::Kind::string) && k.as_string() == "counterparties" ? Value(out) : v);
    return e;
}

}  // namespace

void InputData::index() {
    by_id.clear();
    for (auto* group : {&known, &records})
        for (const auto& r : *group)
            if (!r.rejected) by_id[r.id] = &r.value;
    for (auto* group : {&known, &records})
        for (auto& r : *group)
            if (!r.rejected) r.value = enrich(r.value, by_id);
    for (auto* group : {&known, &records})
        for (const auto& r : *group)
            if (!r.rejected) by_id[r.id] = &r.value;
}

void read_document(const Model& model, const source::SourcePtr& src, bool lists, InputData& data,
                   std::vector<Diagnostic>& diags) {
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
    EntityReader er(model, r);
    auto& out = lists ? data.known : data.records;
    std::vector<std::string> seen;
    for (const auto& n : entities) {
        Record rec;
        rec.file = src->name();
        rec.line = r.at(n).line;
        if (n.IsMap() && n["id"] && n["id"].IsScalar()) rec.id = n["id"].Scalar();
        if (n.IsMap() && n["name"] && n["name"].IsScalar()) rec.name = n["name"].Scalar();
        try {
            rec.value = er.entity(n);
            if (data.by_id.count(rec.id) ||
                std::find(seen.begin(), seen.end(), rec.id) != seen.end())
                throw Reject{"duplicate id '" + rec.id + "'", n["id"]};
            seen.push_back(rec.id);
        } catch (const Reject& rej) {
            rec.rejected = rej.message;
            r.error(rej.at, "rejected", rej.message + "; record not evaluated");
        }
        out.push_back(std::move(rec));
    }
}

}  // namespace sanx::detail
