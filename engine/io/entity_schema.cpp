#include "io/entity_schema.hpp"

#include <algorithm>
#include <cctype>

namespace sanx::detail::reading {

namespace {

const std::vector<std::string> entity_keys{
    "id",     "type",        "name",           "aliases", "country",  "countries",   "sectors",
    "owners", "controllers", "counterparties", "goods",   "listings", "identifiers", "attributes"};
const std::vector<std::string> entity_types{"company",      "bank",   "person",
                                            "organization", "vessel", "aircraft"};

}  // namespace

template <typename View>
EntityReader<View>::EntityReader(const Model& m) : m_(m) {}

template <typename View>
Value EntityReader<View>::entity(const View& n) {
    if (!n.is_map()) throw Rejection{"an entity must be a mapping with at least an 'id'", n};
    check_keys(n, entity_keys, "an entity");
    if (!n.get("id")) throw Rejection{"an entity needs an 'id'", n};
    eval::Map out;
    out.reserve(n.size() + 1);
    bool has_type = false;
    n.items([&](std::string_view written, const View&, const View& v) {
        std::string key(written);
        if (key == "id" || key == "name")
            out.emplace_back(key, text(v, key));
        else if (key == "type") {
            has_type = true;
            std::string t = text(v, key);
            if (std::find(entity_types.begin(), entity_types.end(), t) == entity_types.end())
                warn(v, "unknown entity type '" + t + "'", t, entity_types);
            out.emplace_back(key, t);
        } else if (key == "country")
            out.emplace_back(key, country(v));
        else if (key == "countries")
            out.emplace_back(key, list(v, key, [&](const View& e) { return country(e); }));
        else if (key == "sectors")
            out.emplace_back(key, list(v, key, [&](const View& e) { return sector(e); }));
        else if (key == "aliases")
            out.emplace_back(key, list(v, key, [&](const View& e) { return Value(text(e, key)); }));
        else if (key == "goods")
            out.emplace_back(key, list(v, key, [&](const View& e) { return hs_code(e); }));
        else if (key == "owners")
            out.emplace_back(key, list(v, key, [&](const View& e) { return owner(e); }));
        else if (key == "controllers")
            out.emplace_back(key, list(v, key, [&](const View& e) { return controller(e); }));
        else if (key == "counterparties")
            out.emplace_back(key, list(v, key, [&](const View& e) { return counterparty(e); }));
        else if (key == "listings")
            out.emplace_back(key, list(v, key, [&](const View& e) { return listing(e); }));
        else if (key == "identifiers")
            out.emplace_back(key, list(v, key, [&](const View& e) { return identifier(e); }));
        else
            out.emplace_back(key,
                             v.generic());  // attributes, and unknown fields (warned above)
    });
    if (!has_type) out.emplace_back("type", "company");  // PRODUCT.md section 3: the default
    return out;
}

template <typename View>
void EntityReader<View>::warn(const View& n, std::string msg, const std::string& word,
                              const std::vector<std::string>& known) {
    std::vector<std::string> hints;
    if (auto s = source::suggest(word, known); !s.empty())
        hints.push_back("did you mean '" + s + "'?");
    n.report(Severity::warning, "unknown-value", std::move(msg), std::move(hints));
}

template <typename View>
void EntityReader<View>::check_keys(const View& map, const std::vector<std::string>& allowed,
                                    const std::string& what) {
    std::vector<std::string_view> seen;
    seen.reserve(16);
    map.items([&](std::string_view written, const View& key_view, const View&) {
        // Readers keep one of two equal keys; which one is theirs to choose, so neither
        // is read: a second `listings` must not vanish.
        if (std::find(seen.begin(), seen.end(), written) != seen.end())
            throw Rejection{"'" + std::string(written) + "' appears twice in " + what, key_view};
        seen.push_back(written);
        if (std::find(allowed.begin(), allowed.end(), written) != allowed.end()) return;
        const std::string key(written);
        std::vector<std::string> hints;
        if (auto s = source::suggest(key, allowed); !s.empty())
            hints.push_back("did you mean '" + s + "'?");
        key_view.report(Severity::warning, "unknown-field",
                        "unknown field '" + key + "' in " + what, std::move(hints));
    });
}

template <typename View>
std::string EntityReader<View>::text(const View& n, const std::string& what) {
    if (!n.is_scalar()) throw Rejection{"'" + what + "' must be a string", n};
    std::string s = n.scalar();
    if (s.size() > max_field_bytes)
        throw Rejection{"'" + what + "' is longer than " + std::to_string(max_field_bytes >> 10) +
                            " KiB, the most a field may hold (docs/limits.md)",
                        n};
    return s;
}

template <typename View>
Value EntityReader<View>::country(const View& n) {
    std::string c = text(n, "country");
    if (!m_.vocab.countries.count(c)) {
        std::vector<std::string> all(m_.vocab.countries.begin(), m_.vocab.countries.end());
        warn(n, "unknown country code '" + c + "'", c, all);
    }
    return c;
}

template <typename View>
Value EntityReader<View>::sector(const View& n) {
    std::string s = text(n, "sector");
    if (!m_.vocab.sectors.count(s)) {
        std::vector<std::string> all(m_.vocab.sectors.begin(), m_.vocab.sectors.end());
        warn(n, "unknown sector '" + s + "'", s, all);
    }
    return s;
}

template <typename View>
Value EntityReader<View>::hs_code(const View& n) {
    std::string s = text(n, "goods");
    bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
    std::string code;
    for (char c : s)
        if (c != '.') code += c;
    if (!digits || code.size() < 2 || code.size() > 10)
        n.report(Severity::warning, "bad-hs-code",
                 "'" + s + "' is not an HS code (2 to 10 digits)");
    return digits ? code : s;
}

template <typename View>
template <typename F>
Value EntityReader<View>::list(const View& n, const std::string& what, F each) {
    if (!n.is_list()) throw Rejection{"'" + what + "' must be a list", n};
    eval::List l;
    l.reserve(std::min(n.size(), max_list_items));
    n.elements([&](const View& e) {
        if (l.size() == max_list_items)
            throw Rejection{"'" + what + "' has more than " + std::to_string(max_list_items) +
                                " items, the most a list may hold (docs/limits.md)",
                            n};
        l.push_back(each(e));
    });
    return l;
}

template <typename View>
Value EntityReader<View>::date(const View& n) {
    eval::Date d;
    if (!n.is_scalar() || !eval::parse_date(n.scalar(), d))
        throw Rejection{"expected a date YYYY-MM-DD", n};
    return d;
}

template <typename View>
Value EntityReader<View>::share(const View& n) {
    if (!n.is_scalar()) throw Rejection{"'share' must be a number or a percentage like \"25%\"", n};
    const std::string as_written = n.scalar();
    std::string_view s = as_written;
    if (!s.empty() && s.back() == '%') s.remove_suffix(1);
    auto d = decimal(s);
    if (!d || *d < 0 || *d > 100)
        throw Rejection{"'share' must be a percentage from 0 to 100, not '" + as_written + "'", n};
    return *d;
}

template <typename View>
template <typename F>
Value EntityReader<View>::object(const View& n, const char* what,
                                 const std::vector<std::string>& keys,
                                 const std::vector<std::string>& required, F convert) {
    if (!n.is_map()) throw Rejection{std::string(what) + " must be a mapping", n};
    check_keys(n, keys, what);
    for (const auto& k : required)
        if (!n.get(k)) throw Rejection{std::string(what) + " needs '" + k + "'", n};
    eval::Map out;
    out.reserve(n.size());
    n.items([&](std::string_view written, const View&, const View& v) {
        std::string key(written);
        Value value = convert(key, v);
        out.emplace_back(std::move(key), std::move(value));
    });
    return out;
}

template <typename View>
Value EntityReader<View>::owner(const View& n) {
    static const std::vector<std::string> keys{"id", "share", "from", "until"}, required{"id"};
    return object(n, "an owner", keys, required, [&](const std::string& k, const View& v) -> Value {
        if (k == "share") return share(v);
        if (k == "from" || k == "until") return date(v);
        if (k == "id") return text(v, k);
        return v.generic();
    });
}

template <typename View>
Value EntityReader<View>::controller(const View& n) {
    static const std::vector<std::string> bases{"board", "voting_agreement", "de_facto",
                                                "joint_arrangement"};
    static const std::vector<std::string> keys{"id", "basis", "with", "from", "until"},
        required{"id", "basis"};
    return object(n, "a controller", keys, required,
                  [&](const std::string& k, const View& v) -> Value {
                      if (k == "from" || k == "until") return date(v);
                      if (k == "with")
                          return list(v, k, [&](const View& e) { return Value(text(e, k)); });
                      if (k == "basis") {
                          std::string b = text(v, k);
                          if (std::find(bases.begin(), bases.end(), b) == bases.end())
                              throw Rejection{
                                  "'basis' must be one of board, voting_agreement, de_facto, "
                                  "joint_arrangement",
                                  v};
                          return b;
                      }
                      if (k == "id") return text(v, k);
                      return v.generic();
                  });
}

template <typename View>
Value EntityReader<View>::counterparty(const View& n) {
    static const std::vector<std::string> keys{"id",    "name", "country", "sectors",
                                               "goods", "role", "volume",  "identifiers"};
    return object(n, "a counterparty", keys, {}, [&](const std::string& k, const View& v) -> Value {
        if (k == "country") return country(v);
        if (k == "sectors") return list(v, k, [&](const View& e) { return sector(e); });
        if (k == "goods") return list(v, k, [&](const View& e) { return hs_code(e); });
        if (k == "id" || k == "name" || k == "role") return text(v, k);
        if (k == "volume") return amount(v, k);
        if (k == "identifiers") return list(v, k, [&](const View& e) { return identifier(e); });
        return v.generic();
    });
}

template <typename View>
Value EntityReader<View>::amount(const View& n, const std::string& what) {
    auto d = n.is_scalar() ? decimal(n.scalar()) : std::nullopt;
    if (!d)
        throw Rejection{"'" + what + "' must be a number" +
                            (n.is_scalar() ? ", not '" + n.scalar() + "'" : std::string()),
                        n};
    return *d;
}

template <typename View>
Value EntityReader<View>::identifier(const View& n) {
    static const std::vector<std::string> keys{"type", "value", "country"};
    return object(n, "an identifier", keys, {}, [&](const std::string& k, const View& v) -> Value {
        if (k == "country") return country(v);
        // An identifier must never be a number near the one written: it would
        // tie the party to another one, or to none.
        if (k == "value" && v.floating())
            throw Rejection{
                "'value' of an identifier must be a string or a whole "
                "number, not a number with a fraction or an exponent "
                "(its digits may be lost): write it in quotes",
                v};
        if (k == "type" || k == "value") return text(v, k);
        return v.generic();
    });
}

template <typename View>
Value EntityReader<View>::listing(const View& n) {
    static const std::vector<std::string> keys{"authority", "list", "program", "from", "until"},
        required{"authority"};
    Value l =
        object(n, "a listing", keys, required, [&](const std::string& k, const View& v) -> Value {
            if (k == "from" || k == "until") return date(v);
            return text(v, k);
        });
    eval::Map out = l.as_map();
    auto set = [&](const char* key, Value v) {
        for (auto& [k, old] : out)
            if (k.is(eval::Kind::string) && k.as_string() == key) {
                old = std::move(v);
                return;
            }
        out.emplace_back(Value(key), std::move(v));
    };
    const std::string written = l.field("authority")->as_string();
    const Authority* a = m_.find_authority(written);
    if (!a) {
        if (warned_.insert("authority:" + written).second) {
            std::vector<std::string> all;
            for (const auto& [id, auth] : m_.authorities) {
                all.push_back(id);
                all.insert(all.end(), auth.aliases.begin(), auth.aliases.end());
            }
            std::vector<std::string> hints;
            if (auto s = source::suggest(written, all); !s.empty())
                hints.push_back("did you mean '" + s + "'?");
            n.get("authority")
                ->report(Severity::warning, "unknown-authority",
                         "listing by '" + written +
                             "', an authority no loaded pack knows: it is reported, but no rule "
                             "assesses it (further listings by it in this file are not warned)",
                         std::move(hints));
        }
        return out;
    }
    set("authority", Value(a->id));
    const Value* list = l.field("list");
    const ListDef* def = list ? a->find_list(list->as_string()) : nullptr;
    if (def) {
        set("list", Value(def->id));
        set("measure", Value(to_string(def->measure)));
        return out;
    }
    set("measure", Value(to_string(Measure::asset_freeze)));
    const std::string spelt = list ? list->as_string() : std::string();
    if (warned_.insert("list:" + a->id + ":" + spelt).second) {
        std::vector<std::string> all, hints;
        for (const auto& d : a->lists) {
            all.push_back(d.id);
            all.insert(all.end(), d.aliases.begin(), d.aliases.end());
        }
        if (auto s = source::suggest(spelt, all); list && !s.empty())
            hints.push_back("did you mean '" + s + "'?");
        std::string what = list ? "list '" + spelt + "' is not one of " + a->id + "'s lists"
                                : "listing by " + a->id + " names no list";
        (list ? *n.get("list") : n)
            .report(Severity::warning, "unknown-list",
                    what + " (" + a->list_names() +
                        "): counted as an asset freeze, the safe reading (further such "
                        "listings in this file are not warned)",
                    std::move(hints));
    }
    return out;
}

std::string duplicate_id(const std::string& id) { return "duplicate id '" + id + "'"; }

bool said_once_per_file(const Diagnostic& d) {
    return d.code == "unknown-authority" || d.code == "unknown-list";  // see listing()
}

template <typename View>
Record read_record(EntityReader<View>& reader, const View& n, InputText& in, std::size_t begin,
                   std::size_t end, int line, std::unordered_set<std::string>* ids,
                   std::vector<Diagnostic>& diags) {
    Record rec;
    rec.file = in.source()->name();
    rec.line = line;
    if (auto id = n.get("id"); id && id->is_scalar()) {
        rec.id = id->scalar();
        if (rec.id.size() > max_field_bytes) rec.id.clear();  // the record is rejected for it
    }
    if (auto name = n.get("name"); name && name->is_scalar()) {
        rec.name = name->scalar();
        if (rec.name.size() > max_field_bytes) rec.name.clear();  // the record is rejected for it
    }
    std::string why;
    if (auto bad = in.claim(begin, end, why)) {
        rec.rejected = why;
        diags.push_back(std::move(*bad));
        return rec;
    }
    try {
        rec.value = reader.entity(n);
        if (ids && !ids->insert(rec.id).second)
            throw Reject<View>{duplicate_id(rec.id), *n.get("id")};
    } catch (const Reject<View>& rej) {
        rec.rejected = rej.message;
        rej.at.report(Severity::error, "rejected", rej.message + "; record not evaluated");
    }
    return rec;
}

template class EntityReader<YamlView>;
template class EntityReader<JsonView>;
template Record read_record(EntityReader<YamlView>&, const YamlView&, InputText&, std::size_t,
                            std::size_t, int, std::unordered_set<std::string>*,
                            std::vector<Diagnostic>&);
template Record read_record(EntityReader<JsonView>&, const JsonView&, InputText&, std::size_t,
                            std::size_t, int, std::unordered_set<std::string>*,
                            std::vector<Diagnostic>&);

}  // namespace sanx::detail::reading
