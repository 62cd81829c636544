#include "io/input.hpp"

#include <sanx/engine.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <iconv.h>
#include <simdjson.h>

#include "io/csv.hpp"
#include "packs/yaml_util.hpp"
#include "screen/screener.hpp"
#include "source/sha256.hpp"
#include "source/utf8.hpp"

namespace sanx::detail {

namespace {

using eval::Value;

const std::vector<std::string> entity_keys{
    "id",     "type",        "name",           "aliases", "country",  "countries",   "sectors",
    "owners", "controllers", "counterparties", "goods",   "listings", "identifiers", "attributes"};
const std::vector<std::string> entity_types{"company",      "bank",   "person",
                                            "organization", "vessel", "aircraft"};

/// A record-level problem: the record cannot be read and is rejected. `View` says where.
template <typename View>
struct Reject {
    std::string message;
    View at;
};

/// A number written in decimal: an optional minus, digits with an optional fraction and
/// exponent, and nothing else. strtod would also take "nan", "inf", "0x32" and " 5".
std::optional<double> decimal(std::string_view s) {
    std::size_t i = s.substr(0, 1) == "-" ? 1 : 0;
    auto digits = [&] {
        std::size_t from = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i - from;
    };
    std::size_t whole = digits();
    std::size_t fraction = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        fraction = digits();
    }
    if (whole + fraction == 0) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (digits() == 0) return std::nullopt;
    }
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (i != s.size() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(d))
        return std::nullopt;
    return d;
}

/// A diagnostic's place, with a long line (a JSON line, a CSV row) cut to a window around
/// the column, never inside a character.
Location located(const source::Source& src, std::size_t offset, std::size_t length = 1) {
    Location loc = src.locate(offset, length);
    constexpr std::size_t width = 160;
    if (loc.source_line.size() <= width) return loc;
    std::string_view line = loc.source_line;
    std::size_t from = 0;
    if (static_cast<std::size_t>(loc.column) > width - 40) {
        from = static_cast<std::size_t>(loc.column) - 1 - (width / 2);
        while (from > 0 && (static_cast<unsigned char>(line[from]) & 0xC0u) == 0x80u) --from;
    }
    std::string cut(source::utf8_prefix(line.substr(from), width - 6));
    std::string head = from > 0 ? "..." : "";
    loc.column = static_cast<int>(static_cast<std::size_t>(loc.column) - from + head.size());
    loc.source_line = head + cut + "...";
    return loc;
}

/// A record that could not be read, in its place, and the error that says why.
Record error_record(const source::Source& src, std::size_t at, int line, std::string id,
                    std::string why, std::vector<Diagnostic>& diags) {
    Record rec;
    rec.file = src.name();
    rec.line = line;
    rec.id = std::move(id);
    rec.rejected = why;
    diags.push_back(
        {Severity::error, "rejected", why + "; record not evaluated", located(src, at), {}});
    return rec;
}

// ---- the two views of a tree the entity reader works on: YAML (with marks) and JSON ----

class YamlView {
  public:
    YamlView(YAML::Node n, YamlReader& r) : n_(std::move(n)), r_(&r) {}

    bool is_map() const { return n_.IsMap(); }
    bool is_list() const { return n_.IsSequence(); }
    bool is_scalar() const { return n_.IsScalar(); }
    std::string scalar() const { return n_.Scalar(); }

    std::optional<YamlView> get(const std::string& key) const {
        if (!n_.IsMap() || !n_[key]) return std::nullopt;
        return YamlView(n_[key], *r_);
    }
    template <typename F>
    void items(F f) const {
        for (const auto& kv : n_)
            f(kv.first.Scalar(), YamlView(kv.first, *r_), YamlView(kv.second, *r_));
    }
    template <typename F>
    void elements(F f) const {
        for (const auto& e : n_) f(YamlView(e, *r_));
    }

    Value generic() const { return generic(n_); }

    void report(Severity sev, std::string code, std::string msg,
                std::vector<std::string> hints = {}) const {
        r_->report(sev, n_, std::move(code), std::move(msg), std::move(hints));
    }

  private:
    static Value plain_scalar(const YAML::Node& n) {
        const std::string& s = n.Scalar();
        if (n.Tag() == "!") return s;  // quoted: always a string
        if (s == "true" || s == "True") return true;
        if (s == "false" || s == "False") return false;
        if (s == "null" || s == "~" || s.empty()) return eval::Null{};
        std::int64_t i = 0;
        if (auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
            ec == std::errc{} && end == s.data() + s.size() && (s.size() < 2 || s[0] != '0'))
            return i;
        if (auto d = decimal(s)) return *d;
        return s;
    }
    static Value generic(const YAML::Node& n) {
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

    YAML::Node n_;
    YamlReader* r_;
};

/// Where a JSON line's problems are reported: the line, as JSON has no marks here.
struct JsonLine {
    const source::Source* src = nullptr;
    std::size_t offset = 0;  ///< of the line's first byte
    std::vector<Diagnostic>* diags = nullptr;
};

class JsonView {
  public:
    JsonView(simdjson::dom::element e, const JsonLine& line) : e_(e), line_(&line) {}

    bool is_map() const { return e_.type() == simdjson::dom::element_type::OBJECT; }
    bool is_list() const { return e_.type() == simdjson::dom::element_type::ARRAY; }
    bool is_scalar() const { return !is_map() && !is_list() && !e_.is_null(); }
    std::string scalar() const {
        switch (e_.type()) {
            case simdjson::dom::element_type::STRING:
                return std::string(std::string_view(e_));
            case simdjson::dom::element_type::INT64:
                return std::to_string(int64_t(e_));
            case simdjson::dom::element_type::UINT64:
                return std::to_string(uint64_t(e_));
            case simdjson::dom::element_type::DOUBLE:
                return eval::display(Value(double(e_)));
            case simdjson::dom::element_type::BOOL:
                return bool(e_) ? "true" : "false";
            default:
                return {};
        }
    }

    std::optional<JsonView> get(const std::string& key) const {
        if (!is_map()) return std::nullopt;
        simdjson::dom::element v;
        if (e_.get_object().at_key(key).get(v)) return std::nullopt;
        return JsonView(v, *line_);
    }
    template <typename F>
    void items(F f) const {
        for (auto field : e_.get_object()) {
            std::string key(field.key);
            f(key, *this, JsonView(field.value, *line_));
        }
    }
    template <typename F>
    void elements(F f) const {
        for (auto e : e_.get_array()) f(JsonView(e, *line_));
    }

    Value generic() const { return generic(e_); }

    void report(Severity sev, std::string code, std::string msg,
                std::vector<std::string> hints = {}) const {
        line_->diags->push_back({sev, std::move(code), std::move(msg),
                                 located(*line_->src, line_->offset), std::move(hints)});
    }

  private:
    static Value generic(simdjson::dom::element e) {
        switch (e.type()) {
            case simdjson::dom::element_type::OBJECT: {
                eval::Map m;
                for (auto f : e.get_object())
                    m.emplace_back(Value(std::string(f.key)), generic(f.value));
                return m;
            }
            case simdjson::dom::element_type::ARRAY: {
                eval::List l;
                for (auto x : e.get_array()) l.push_back(generic(x));
                return l;
            }
            case simdjson::dom::element_type::STRING:
                return std::string(std::string_view(e));
            case simdjson::dom::element_type::INT64:
                return static_cast<std::int64_t>(int64_t(e));
            case simdjson::dom::element_type::UINT64:
                return static_cast<std::uint64_t>(uint64_t(e));
            case simdjson::dom::element_type::DOUBLE:
                return double(e);
            case simdjson::dom::element_type::BOOL:
                return bool(e);
            default:
                return eval::Null{};
        }
    }

    simdjson::dom::element e_;
    const JsonLine* line_;
};

// ---- the entity reader, one for both views ----------------------------------------------

template <typename View>
class EntityReader {
  public:
    using Rejection = Reject<View>;

    explicit EntityReader(const Model& m) : m_(m) {}

    Value entity(const View& n) {
        if (!n.is_map()) throw Rejection{"an entity must be a mapping with at least an 'id'", n};
        check_keys(n, entity_keys, "an entity");
        if (!n.get("id")) throw Rejection{"an entity needs an 'id'", n};
        eval::Map out;
        bool has_type = false;
        n.items([&](const std::string& key, const View&, const View& v) {
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
                out.emplace_back(key,
                                 list(v, key, [&](const View& e) { return Value(text(e, key)); }));
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
            else
                out.emplace_back(key,
                                 v.generic());  // attributes, and unknown fields (warned above)
        });
        if (!has_type) out.emplace_back("type", "company");  // PRODUCT.md section 3: the default
        return out;
    }

  private:
    void warn(const View& n, std::string msg, const std::string& word,
              const std::vector<std::string>& known) {
        std::vector<std::string> hints;
        if (auto s = source::suggest(word, known); !s.empty())
            hints.push_back("did you mean '" + s + "'?");
        n.report(Severity::warning, "unknown-value", std::move(msg), std::move(hints));
    }

    void check_keys(const View& map, const std::vector<std::string>& allowed,
                    const std::string& what) {
        std::vector<std::string> seen;
        map.items([&](const std::string& key, const View& key_view, const View&) {
            // Readers keep one of two equal keys; which one is theirs to choose, so neither
            // is read: a second `listings` must not vanish.
            if (std::find(seen.begin(), seen.end(), key) != seen.end())
                throw Rejection{"'" + key + "' appears twice in " + what, key_view};
            seen.push_back(key);
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) return;
            std::vector<std::string> hints;
            if (auto s = source::suggest(key, allowed); !s.empty())
                hints.push_back("did you mean '" + s + "'?");
            key_view.report(Severity::warning, "unknown-field",
                            "unknown field '" + key + "' in " + what, std::move(hints));
        });
    }

    std::string text(const View& n, const std::string& what) {
        if (!n.is_scalar()) throw Rejection{"'" + what + "' must be a string", n};
        std::string s = n.scalar();
        if (s.size() > max_field_bytes)
            throw Rejection{"'" + what + "' is longer than " +
                                std::to_string(max_field_bytes >> 10) +
                                " KiB, the most a field may hold (docs/limits.md)",
                            n};
        return s;
    }

    Value country(const View& n) {
        std::string c = text(n, "country");
        if (!m_.vocab.countries.count(c)) {
            std::vector<std::string> all(m_.vocab.countries.begin(), m_.vocab.countries.end());
            warn(n, "unknown country code '" + c + "'", c, all);
        }
        return c;
    }

    Value sector(const View& n) {
        std::string s = text(n, "sector");
        if (!m_.vocab.sectors.count(s)) {
            std::vector<std::string> all(m_.vocab.sectors.begin(), m_.vocab.sectors.end());
            warn(n, "unknown sector '" + s + "'", s, all);
        }
        return s;
    }

    Value hs_code(const View& n) {
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

    template <typename F>
    Value list(const View& n, const std::string& what, F each) {
        if (!n.is_list()) throw Rejection{"'" + what + "' must be a list", n};
        eval::List l;
        n.elements([&](const View& e) {
            if (l.size() == max_list_items)
                throw Rejection{"'" + what + "' has more than " + std::to_string(max_list_items) +
                                    " items, the most a list may hold (docs/limits.md)",
                                n};
            l.push_back(each(e));
        });
        return l;
    }

    Value date(const View& n) {
        eval::Date d;
        if (!n.is_scalar() || !eval::parse_date(n.scalar(), d))
            throw Rejection{"expected a date YYYY-MM-DD", n};
        return d;
    }

    Value share(const View& n) {
        if (!n.is_scalar())
            throw Rejection{"'share' must be a number or a percentage like \"25%\"", n};
        const std::string as_written = n.scalar();
        std::string_view s = as_written;
        if (!s.empty() && s.back() == '%') s.remove_suffix(1);
        auto d = decimal(s);
        if (!d || *d < 0 || *d > 100)
            throw Rejection{"'share' must be a percentage from 0 to 100, not '" + as_written + "'",
                            n};
        return *d;
    }

    /// A nested mapping with known keys; `convert` maps each key's value.
    template <typename F>
    Value object(const View& n, const char* what, const std::vector<std::string>& keys,
                 const std::vector<std::string>& required, F convert) {
        if (!n.is_map()) throw Rejection{std::string(what) + " must be a mapping", n};
        check_keys(n, keys, what);
        for (const auto& k : required)
            if (!n.get(k)) throw Rejection{std::string(what) + " needs '" + k + "'", n};
        eval::Map out;
        n.items([&](const std::string& key, const View&, const View& v) {
            out.emplace_back(key, convert(key, v));
        });
        return out;
    }

    Value owner(const View& n) {
        return object(n, "an owner", {"id", "share", "from", "until"}, {"id"},
                      [&](const std::string& k, const View& v) -> Value {
                          if (k == "share") return share(v);
                          if (k == "from" || k == "until") return date(v);
                          if (k == "id") return text(v, k);
                          return v.generic();
                      });
    }

    Value controller(const View& n) {
        static const std::vector<std::string> bases{"board", "voting_agreement", "de_facto",
                                                    "joint_arrangement"};
        return object(n, "a controller", {"id", "basis", "with", "from", "until"}, {"id", "basis"},
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

    Value counterparty(const View& n) {
        return object(
            n, "a counterparty",
            {"id", "name", "country", "sectors", "goods", "role", "volume", "identifiers"}, {},
            [&](const std::string& k, const View& v) -> Value {
                if (k == "country") return country(v);
                if (k == "sectors") return list(v, k, [&](const View& e) { return sector(e); });
                if (k == "goods") return list(v, k, [&](const View& e) { return hs_code(e); });
                if (k == "id" || k == "name" || k == "role") return text(v, k);
                return v.generic();
            });
    }

    /// A listing with its authority and list spelt as the packs spell them, and the list's
    /// measure (PRODUCT.md section 3). What the packs do not know is warned, once per
    /// spelling and file, and read the safe way: an unknown list is an asset freeze.
    Value listing(const View& n) {
        Value l = object(n, "a listing", {"authority", "list", "program", "from", "until"},
                         {"authority"}, [&](const std::string& k, const View& v) -> Value {
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
                    ->report(
                        Severity::warning, "unknown-authority",
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

    std::set<std::string> warned_;  ///< authorities and lists already warned about
    const Model& m_;
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
        for (const char* key : {"name", "type", "country", "countries", "sectors", "goods",
                                "listings", "owners", "ambiguous"})
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

/// Reads one entity into a record; a rejection becomes the record's error, in place.
/// The record's text is [begin, end) of the input: a byte there that is not UTF-8 rejects it.
template <typename View>
Record read_record(EntityReader<View>& reader, const View& n, InputText& in, std::size_t begin,
                   std::size_t end, int line, InputData& data, std::vector<Diagnostic>& diags) {
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
        if (!data.ids.insert(rec.id).second)
            throw Reject<View>{"duplicate id '" + rec.id + "'", *n.get("id")};
    } catch (const Reject<View>& rej) {
        rec.rejected = rej.message;
        rej.at.report(Severity::error, "rejected", rej.message + "; record not evaluated");
    }
    return rec;
}

}  // namespace

namespace {

/// `tax_id:1841015504`: identifiers compare by type and by value without spaces, dashes or case.
std::string identifier_key(const Value& identifier) {
    const Value* type = identifier.field("type");
    const Value* value = identifier.field("value");
    if (!type || !value || !type->is(eval::Kind::string) || !value->is(eval::Kind::string))
        return {};
    std::string key = type->as_string() + ":";
    for (char c : value->as_string())
        if (c != ' ' && c != '-' && c != '.' && c != '/')
            key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return key.size() > type->as_string().size() + 1 ? key : std::string();
}

/// A Russian KPP is the tax office's code for why a company is registered there: many
/// companies have the same one, so it identifies no party.
bool names_one_party(const Value& identifier) {
    const Value* type = identifier.field("type");
    return !(type && type->is(eval::Kind::string) && type->as_string() == "kpp");
}

/// `identifiers` (PRODUCT.md section 3) and `attributes.identifiers` (what `sanx import`
/// writes) together.
std::vector<const Value*> identifiers_of(const Value& v) {
    std::vector<const Value*> out;
    auto add = [&](const Value* ids) {
        if (ids && ids->is(eval::Kind::list))
            for (const auto& i : ids->as_list()) out.push_back(&i);
    };
    add(v.field("identifiers"));
    if (const Value* attrs = v.field("attributes")) add(attrs->field("identifiers"));
    return out;
}

std::string text_of(const Value& v, const char* key) {
    const Value* f = v.field(key);
    return f && f->is(eval::Kind::string) ? f->as_string() : std::string();
}

/// `tax_id 1841015504`, as the party writes it.
std::string identifier_text(const Value& identifier) {
    return eval::display(*identifier.field("type")) + " " +
           eval::display(*identifier.field("value"));
}

Value with_field(const Value& map, const char* key, Value value) {
    eval::Map out;
    bool replaced = false;
    for (const auto& [k, v] : map.as_map()) {
        bool same = k.is(eval::Kind::string) && k.as_string() == key;
        out.emplace_back(k, same ? value : v);
        replaced = replaced || same;
    }
    if (!replaced) out.emplace_back(Value(key), std::move(value));
    return out;
}

/// Appends the items of `from` that `to` does not have yet.
void add_new(eval::List& to, const eval::List& from) {
    for (const auto& x : from)
        if (std::none_of(to.begin(), to.end(), [&](const Value& y) { return eval::equal(x, y); }))
            to.push_back(x);
}

Value* slot(eval::Map& m, std::string_view key) {
    for (auto& [k, v] : m)
        if (k.is(eval::Kind::string) && k.as_string() == key) return &v;
    return nullptr;
}

/// `b`'s fields folded into `a`: lists united, anything else kept from `a` when it has it.
void fold(eval::Map& a, const eval::Map& b) {
    for (const auto& [k, v] : b) {
        if (!k.is(eval::Kind::string)) continue;
        Value* have = slot(a, k.as_string());
        if (!have) {
            a.emplace_back(k, v);
        } else if (have->is(eval::Kind::list) && v.is(eval::Kind::list)) {
            eval::List l = have->as_list();
            add_new(l, v.as_list());
            *have = std::move(l);
        } else if (k.as_string() == "attributes" && have->is(eval::Kind::map) &&
                   v.is(eval::Kind::map)) {
            eval::Map m = have->as_map();
            fold(m, v.as_map());
            *have = std::move(m);
        }
    }
}

struct UnionFind {
    std::vector<std::size_t> up;
    explicit UnionFind(std::size_t n) : up(n) {
        for (std::size_t i = 0; i < n; ++i) up[i] = i;
    }
    std::size_t find(std::size_t x) {
        while (up[x] != x) x = up[x] = up[up[x]];
        return x;
    }
    /// The smaller index stays the root: a party is named after its first entry.
    void unite(std::size_t a, std::size_t b) {
        a = find(a), b = find(b);
        if (a != b) up[std::max(a, b)] = std::min(a, b);
    }
};

/// List entries grouped into parties (PRODUCT.md section 12). Entries are taken in the order
/// of (id, file, line), never in the order of `--lists`, and a party is named by its first
/// entry, which holds the merged value.
class Parties {
  public:
    /// `known` must be sorted by (id, file, line).
    explicit Parties(std::vector<Record>& known) {
        for (auto& r : known)
            if (!r.rejected && r.value.is(eval::Kind::map)) entries_.push_back(&r);
        const std::size_t n = entries_.size();
        // One party for certain: the same id, or an entry saying it is the same as another.
        UnionFind uf(n);
        for (std::size_t e = 0; e < n; ++e) first_.emplace(entries_[e]->id, e);
        for (std::size_t e = 0; e < n; ++e) {
            uf.unite(e, first_.at(entries_[e]->id));
            if (const Value* attrs = entries_[e]->value.field("attributes"))
                if (const Value* same = attrs->field("same_as"); same && same->is(eval::Kind::list))
                    for (const auto& other : same->as_list())
                        if (other.is(eval::Kind::string))
                            if (auto it = first_.find(other.as_string()); it != first_.end())
                                uf.unite(e, it->second);
        }
        for (std::size_t e = 0; e < n; ++e)
            for (const Value* i : identifiers_of(entries_[e]->value))
                if (auto key = identifier_key(*i); !key.empty() && names_one_party(*i))
                    holders_[key].push_back({e, text_of(*i, "country"), identifier_text(*i)});
        std::vector<std::vector<std::string>> files(n);  // of each certain party
        for (std::size_t e = 0; e < n; ++e) files[uf.find(e)].push_back(entries_[e]->file);
        auto share_a_file = [&](const std::vector<std::size_t>& roots) {
            std::map<std::string, std::size_t> seen;
            for (std::size_t r : roots)
                for (const auto& f : files[r])
                    if (!seen.emplace(f, r).second && seen[f] != r) return true;
            return false;
        };
        // A shared identifier joins entries of different files that give it the same country
        // (or none). Entries one file gives separately stay separate parties: their
        // identifier is ambiguous.
        UnionFind joined = uf;
        std::vector<std::pair<std::size_t, std::size_t>> links;
        for (const auto& [key, held] : holders_)
            for (const auto& scope : scopes(held, false)) {
                std::vector<std::size_t> roots;
                for (const Held* h : scope) roots.push_back(uf.find(h->entry));
                std::sort(roots.begin(), roots.end());
                roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
                if (roots.size() < 2 || share_a_file(roots)) continue;
                for (std::size_t r : roots) {
                    links.emplace_back(roots.front(), r);
                    joined.unite(roots.front(), r);
                }
            }
        // Identifiers that together join two entries of one file join nothing.
        std::vector<std::vector<std::size_t>> parts(n);
        for (std::size_t e = 0; e < n; ++e)
            if (uf.find(e) == e) parts[joined.find(e)].push_back(e);
        std::vector<bool> conflicted(n, false);  // by certain party
        for (const auto& part : parts)
            if (part.size() > 1 && share_a_file(part))
                for (std::size_t r : part) conflicted[r] = true;
        for (const auto& [a, b] : links)
            if (!conflicted[a]) uf.unite(a, b);
        root_.resize(n);
        members_.resize(n);
        for (std::size_t e = 0; e < n; ++e) {
            root_[e] = uf.find(e);
            members_[root_[e]].push_back(e);
        }
    }

    /// Writes each party's merged value into its first entry.
    void merge() {
        std::vector<std::pair<std::size_t, Value>> merged;
        for (std::size_t r = 0; r < entries_.size(); ++r)
            if (root_[r] == r) merged.emplace_back(r, merge(r));
        for (auto& [r, v] : merged) entries_[r]->value = std::move(v);
    }

    /// Points every id of every party at its merged value.
    void add_ids(std::unordered_map<std::string, const Value*>& by_id) const {
        for (std::size_t e = 0; e < entries_.size(); ++e)
            by_id[entries_[e]->id] = &entries_[root_[e]]->value;
    }

    std::vector<Value*> values() {
        std::vector<Value*> out;
        for (std::size_t r = 0; r < entries_.size(); ++r)
            if (root_[r] == r) out.push_back(&entries_[r]->value);
        return out;
    }

    bool empty() const { return entries_.empty(); }

    /// Each party by its first entry.
    std::vector<std::size_t> roots() const {
        std::vector<std::size_t> out;
        for (std::size_t r = 0; r < entries_.size(); ++r)
            if (root_[r] == r) out.push_back(r);
        return out;
    }

    /// The party an id names.
    std::optional<std::size_t> by_id(const std::string& id) const {
        auto it = first_.find(id);
        if (it == first_.end()) return std::nullopt;
        return root_[it->second];
    }

    const std::string& id(std::size_t party) const { return entries_[party]->id; }
    const Value& value(std::size_t party) const { return entries_[party]->value; }
    std::string name(std::size_t party) const { return text_of(value(party), "name"); }

    /// The parties a declared party's identifiers point at, each with the identifier that
    /// points at it. One party: a match; more: none of them for certain.
    struct Tie {
        std::vector<std::pair<std::size_t, std::string>> parties;
        bool certain() const { return parties.size() == 1; }
    };
    Tie tie(const Value& party) const {
        std::vector<std::vector<std::size_t>> sets;
        std::vector<std::string> texts;
        for (const Value* i : identifiers_of(party)) {
            auto it = holders_.find(identifier_key(*i));
            if (it == holders_.end()) continue;
            const std::string country = text_of(*i, "country");
            std::vector<std::size_t> set;
            for (const auto& h : it->second)
                if (country.empty() || h.country.empty() || h.country == country)
                    set.push_back(root_[h.entry]);
            std::sort(set.begin(), set.end());
            set.erase(std::unique(set.begin(), set.end()), set.end());
            if (set.empty()) continue;
            sets.push_back(std::move(set));
            texts.push_back(identifier_text(*i));
        }
        Tie out;
        if (sets.empty()) return out;
        // One party that every identifier can be: that party (a tax id two entries share,
        // with a registration number only one has, is the one).
        std::vector<std::size_t> common = sets.front();
        for (const auto& s : sets) {
            std::vector<std::size_t> both;
            std::set_intersection(common.begin(), common.end(), s.begin(), s.end(),
                                  std::back_inserter(both));
            common = std::move(both);
        }
        std::vector<std::size_t> all;
        for (const auto& s : sets) all.insert(all.end(), s.begin(), s.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        for (std::size_t p : common.size() == 1 ? common : all)
            for (std::size_t k = 0; k < sets.size(); ++k)
                if (std::binary_search(sets[k].begin(), sets[k].end(), p)) {
                    out.parties.emplace_back(p, texts[k]);
                    break;
                }
        return out;
    }

    /// Identifiers that more than one party has, as one warning.
    std::optional<Diagnostic> ambiguity() const {
        std::vector<std::string> shown;
        std::size_t count = 0;
        const Record* first = nullptr;
        for (const auto& [key, held] : holders_) {
            std::vector<std::size_t> roots;
            for (const auto& scope : scopes(held, true)) {
                std::vector<std::size_t> rs;
                for (const Held* h : scope) rs.push_back(root_[h->entry]);
                std::sort(rs.begin(), rs.end());
                rs.erase(std::unique(rs.begin(), rs.end()), rs.end());
                if (rs.size() > roots.size()) roots = rs;
            }
            if (roots.size() < 2) continue;
            if (++count > 3) continue;
            if (!first) first = entries_[roots.front()];
            std::string ids;
            for (std::size_t r : roots) ids += (ids.empty() ? "" : ", ") + id(r);
            shown.push_back(held.front().identifier + " (" + ids + ")");
        }
        if (!count) return std::nullopt;
        Diagnostic d;
        d.severity = Severity::warning;
        d.code = "list-identifier";
        d.message = std::to_string(count) + (count == 1 ? " identifier is" : " identifiers are") +
                    " given to separate list entries; a party with one is tied to none of "
                    "them and reported with every candidate: ";
        for (std::size_t k = 0; k < shown.size(); ++k) d.message += (k ? "; " : "") + shown[k];
        if (count > shown.size())
            d.message += "; and " + std::to_string(count - shown.size()) + " more";
        d.where = Location{first->file, first->line, 1, 1, {}};
        return d;
    }

  private:
    struct Held {
        std::size_t entry;
        std::string country;     ///< the identifier's, when it gives one
        std::string identifier;  /// as written: merge() replaces the values it is read from
    };

    /// The holders of one identifier that can be the same party: those that give the same
    /// country. Holders that give none go with every country for a look-up (`lookup`), and
    /// join no one when the holders give several countries.
    static std::vector<std::vector<const Held*>> scopes(const std::vector<Held>& held,
                                                        bool lookup) {
        std::vector<std::string> countries;
        for (const auto& h : held)
            if (!h.country.empty() &&
                std::find(countries.begin(), countries.end(), h.country) == countries.end())
                countries.push_back(h.country);
        std::vector<std::vector<const Held*>> out;
        if (countries.size() <= 1) {
            out.emplace_back();
            for (const auto& h : held) out.back().push_back(&h);
            return out;
        }
        for (const auto& c : countries) {
            out.emplace_back();
            for (const auto& h : held)
                if (h.country == c || (lookup && h.country.empty())) out.back().push_back(&h);
        }
        return out;
    }

    std::string canonical(const std::string& id) const {
        auto p = by_id(id);
        return p ? entries_[*p]->id : id;
    }

    /// Owner and controller edges with each party named by its first entry's id, so that
    /// one holding given by two lists is one edge.
    Value canonical_edges(const Value& edges) const {
        if (!edges.is(eval::Kind::list)) return edges;
        eval::List out;
        for (const auto& e : edges.as_list()) {
            Value x = e;
            if (std::string id = text_of(e, "id"); !id.empty() && canonical(id) != id)
                x = with_field(x, "id", Value(canonical(id)));
            if (const Value* with = e.field("with"); with && with->is(eval::Kind::list)) {
                eval::List w;
                for (const auto& v : with->as_list())
                    w.push_back(v.is(eval::Kind::string) ? Value(canonical(v.as_string())) : v);
                x = with_field(x, "with", Value(std::move(w)));
            }
            out.push_back(std::move(x));
        }
        return out;
    }

    /// One party from its entries: lists united, anything else from the first entry that
    /// gives it; the other entries' names and countries become aliases and countries.
    Value merge(std::size_t party) const {
        eval::Map out;
        out.emplace_back(Value("id"), Value(id(party)));
        std::vector<std::string> ids;
        for (std::size_t e : members_[party]) {
            const Value& v = entries_[e]->value;
            eval::Map m;
            for (const auto& [k, x] : v.as_map()) {
                if (!k.is(eval::Kind::string) || k.as_string() == "id") continue;
                bool edges = k.as_string() == "owners" || k.as_string() == "controllers";
                m.emplace_back(k, edges ? canonical_edges(x) : x);
            }
            fold(out, m);
            if (ids.empty() || ids.back() != entries_[e]->id) ids.push_back(entries_[e]->id);
        }
        if (members_[party].size() == 1) return out;
        for (const auto& [key, plural] : {std::pair{"name", "aliases"}, {"country", "countries"}}) {
            const Value* first = slot(out, key);
            const std::string chosen =
                first && first->is(eval::Kind::string) ? first->as_string() : std::string();
            eval::List more;
            if (const Value* have = slot(out, plural); have && have->is(eval::Kind::list))
                more = have->as_list();
            eval::List others;
            for (std::size_t e : members_[party])
                if (std::string x = text_of(entries_[e]->value, key); !x.empty() && x != chosen)
                    others.emplace_back(x);
            add_new(more, others);
            more.erase(std::remove_if(more.begin(), more.end(),
                                      [&](const Value& x) {
                                          return x.is(eval::Kind::string) &&
                                                 x.as_string() == chosen;
                                      }),
                       more.end());
            if (Value* have = slot(out, plural))
                *have = std::move(more);
            else if (!more.empty())
                out.emplace_back(Value(plural), std::move(more));
        }
        if (ids.size() > 1) {
            eval::List from(ids.begin(), ids.end());
            eval::Map attrs;
            if (const Value* a = slot(out, "attributes"); a && a->is(eval::Kind::map))
                attrs = a->as_map();
            attrs.emplace_back(Value("merged_from"), Value(std::move(from)));
            if (Value* a = slot(out, "attributes"))
                *a = std::move(attrs);
            else
                out.emplace_back(Value("attributes"), std::move(attrs));
        }
        return out;
    }

    std::vector<Record*> entries_;                        ///< sorted by (id, file, line)
    std::unordered_map<std::string, std::size_t> first_;  ///< id -> its first entry
    std::map<std::string, std::vector<Held>> holders_;    ///< identifier key -> entries
    std::vector<std::size_t> root_;                       ///< entry -> its party's first entry
    std::vector<std::vector<std::size_t>> members_;       ///< party -> its entries
};

Match tied(std::string party, const Parties& parties, std::size_t p, const std::string& list_id,
           std::string query_name, std::string by, std::string decision, std::string identifier) {
    return {std::move(party),      list_id, parties.name(p), parties.name(p),
            std::move(query_name), 1.0,     std::move(by),   std::move(decision),
            std::move(identifier)};
}

/// `ambiguous: ["ID (NAME)", ...]` on a party, and a possible match for each candidate.
Value ambiguous(const Value& party, const Parties::Tie& t, const Parties& parties,
                const std::string& path, const std::string& query_name,
                std::vector<Match>& matches) {
    eval::List candidates;
    for (const auto& [p, how] : t.parties) {
        candidates.emplace_back(eval::id_and_name(parties.value(p)));
        matches.push_back(
            tied(path, parties, p, parties.id(p), query_name, "identifier", "possible", how));
    }
    return with_field(party, "ambiguous", Value(std::move(candidates)));
}

std::string score_text(double score) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", score);
    return buf;
}

/// The list parties a party's names may be (PRODUCT.md section 12): at most three
/// candidates at or above the review threshold, best first. Names are screened only when
/// id and identifiers tied the party to nothing.
class NameTies {
  public:
    NameTies(std::shared_ptr<const matching::Index> index, const ScreenOptions& options)
        : options_(options), index_(std::move(index)) {}

    /// The names and aliases of every party.
    static std::shared_ptr<const matching::Index> build(const Parties& parties) {
        auto index = std::make_shared<matching::Index>();
        for (std::size_t p : parties.roots())
            index->add(parties.id(p), matching::subject_of(parties.value(p)));
        index->finish();
        return index;
    }

    const std::shared_ptr<const matching::Index>& index() const { return index_; }

    std::vector<matching::Candidate> candidates(const matching::Subject& s) const {
        if (s.names.empty() || index_->size() == 0) return {};
        return index_->search(s, options_.review_threshold, 3);
    }
    bool match(const std::vector<matching::Candidate>& c) const {
        return !c.empty() && c.front().score >= options_.match_threshold;
    }
    /// Whether more than one entry matches.
    bool several(const std::vector<matching::Candidate>& c) const {
        return c.size() > 1 && c[1].score >= options_.match_threshold;
    }
    const std::string& id(const matching::Candidate& c) const { return index_->id(c.entry); }

    /// `name 0.95 'ЗАЛА АЭРО'`: how a name tied a party, as `matched_by` says it.
    static std::string how(const matching::Candidate& c) {
        return "name " + score_text(c.score) + " '" + c.matched_name + "'";
    }

    Match tie(std::string path, const Parties& parties, const matching::Candidate& c,
              const char* decision) const {
        auto p = parties.by_id(id(c));
        return {std::move(path), id(c),        p ? parties.name(*p) : index_->name(c.entry),
                c.matched_name,  c.query_name, c.score,
                "name",          decision,     ""};
    }

    /// A match for each candidate at or above the match threshold.
    void ties(const std::string& path, const Parties& parties,
              const std::vector<matching::Candidate>& cands, std::vector<Match>& matches) const {
        for (const auto& c : cands)
            if (c.score >= options_.match_threshold)
                matches.push_back(tie(path, parties, c, "match"));
    }

    /// `party` with its own listings and those of every candidate at or above the match
    /// threshold, each saying how it was matched (`name 0.95 'NAME' = ID`).
    Value with_listings(const Value& party, const std::vector<matching::Candidate>& cands,
                        const Parties& parties) const {
        eval::List listings;
        if (const Value* own = party.field("listings"); own && own->is(eval::Kind::list))
            listings = own->as_list();
        for (const auto& c : cands) {
            auto p = parties.by_id(id(c));
            if (c.score < options_.match_threshold || !p) continue;
            if (const Value* theirs = parties.value(*p).field("listings");
                theirs && theirs->is(eval::Kind::list))
                for (const auto& l : theirs->as_list())
                    listings.push_back(with_field(l, "matched_by", Value(how(c) + " = " + id(c))));
        }
        return with_field(party, "listings", Value(std::move(listings)));
    }

    /// `ambiguous: ["ID (NAME), name score 0.80", ...]` and a possible match for each.
    Value possible(const Value& party, const std::vector<matching::Candidate>& cands,
                   const Parties& parties, const std::string& path,
                   std::vector<Match>& matches) const {
        eval::List out;
        for (const auto& c : cands) {
            auto p = parties.by_id(id(c));
            out.emplace_back((p ? eval::id_and_name(parties.value(*p)) : id(c)) + ", name score " +
                             score_text(c.score) + " against '" + c.matched_name + "'");
            matches.push_back(tie(path, parties, c, "possible"));
        }
        return with_field(party, "ambiguous", Value(std::move(out)));
    }

  private:
    ScreenOptions options_;
    std::shared_ptr<const matching::Index> index_;
};

}  // namespace

namespace {

/// The lists' half of index(): list entries merged into parties (in `known`), their
/// warnings and name index, and every id of theirs in `by_id`.
std::shared_ptr<Parties> index_parties(InputData& data) {
    // Whatever the order of --lists, list entries are taken in one order, so are the places
    // reported for them.
    std::stable_sort(data.known.begin(), data.known.end(), [](const Record& a, const Record& b) {
        return std::tie(a.id, a.file, a.line) < std::tie(b.id, b.file, b.line);
    });
    auto parties = std::make_shared<Parties>(data.known);
    parties->merge();
    data.warnings.clear();
    if (auto w = parties->ambiguity()) data.warnings.push_back(std::move(*w));
    data.names = NameTies::build(*parties);
    data.by_id.clear();
    data.by_id.reserve(data.known.size());
    parties->add_ids(data.by_id);
    return parties;
}

/// An entity owned or controlled by a declared entity that may be a list party (`ambiguous`:
/// a possible match by name, an identifier several entries have), directly or through other
/// declared entities, may be blocked through it: it is made `ambiguous` too, naming the owner
/// and its candidates, so that whether it is blocked comes out undecided, never clear.
void spread_doubts(std::vector<Record>& records) {
    auto doubts = [](const Record& r) -> const Value* {
        const Value* a = r.rejected ? nullptr : r.value.field("ambiguous");
        return a && a->is(eval::Kind::list) && !a->as_list().empty() ? a : nullptr;
    };
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < records.size(); ++i)
        if (!records[i].rejected) at.emplace(records[i].id, i);
    // owner or controller -> the entities it holds, with the edge
    std::unordered_map<std::size_t, std::vector<std::pair<std::size_t, std::string>>> held;
    std::vector<std::size_t> work;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].rejected) continue;
        if (doubts(records[i])) work.push_back(i);
        for (const char* key : {"owners", "controllers"})
            if (const Value* edges = records[i].value.field(key);
                edges && edges->is(eval::Kind::list))
                for (std::size_t k = 0; k < edges->as_list().size(); ++k)
                    if (auto it = at.find(text_of(edges->as_list()[k], "id")); it != at.end())
                        held[it->second].emplace_back(
                            i, std::string(key) + "[" + std::to_string(k) + "]");
    }
    while (!work.empty()) {
        const std::size_t o = work.back();
        work.pop_back();
        auto it = held.find(o);
        if (it == held.end()) continue;
        std::string who;
        for (const auto& v : doubts(records[o])->as_list())
            who += (who.empty() ? "" : "; ") +
                   (v.is(eval::Kind::string) ? v.as_string() : eval::display(v));
        for (const auto& [r, edge] : it->second) {
            if (r == o) continue;
            const Value* had = doubts(records[r]);
            eval::List list = had ? had->as_list() : eval::List{};
            list.emplace_back((edge[0] == 'o' ? "its owner " : "its controller ") + records[o].id +
                              " (" + edge + "), which may be: " + who);
            records[r].value = with_field(records[r].value, "ambiguous", Value(std::move(list)));
            if (!had) work.push_back(r);
        }
    }
}

}  // namespace

bool InputData::index_lists() {
    // A counterparty of a list entry that names no list entry may name an entity of an input,
    // whose facts index() would add to the list entry: such lists are indexed with each input.
    std::unordered_set<std::string> list_ids;
    for (const auto& r : known)
        if (!r.rejected) list_ids.insert(r.id);
    for (const auto& r : known)
        if (const Value* cps = r.rejected ? nullptr : r.value.field("counterparties");
            cps && cps->is(eval::Kind::list))
            for (const auto& cp : cps->as_list())
                if (const Value* id = cp.field("id");
                    id && id->is(eval::Kind::string) && !list_ids.count(id->as_string()))
                    return false;
    auto parties = index_parties(*this);
    for (Value* v : parties->values()) *v = enrich(*v, by_id);
    list_parties = std::move(parties);
    return true;
}

void InputData::index(const ScreenOptions& options) {
    screening = options;
    // The lists' parties: those of `base`, indexed once, or this input's own.
    std::shared_ptr<Parties> own_parties;
    if (base) {
        warnings = base->warnings;
        names = base->names;
        by_id = base->by_id;
    } else {
        own_parties = index_parties(*this);
    }
    const Parties& parties =
        own_parties ? *own_parties : *static_cast<const Parties*>(base->list_parties.get());
    std::unordered_set<std::string> declared;
    for (const auto& r : records)
        if (!r.rejected) declared.insert(r.id);
    const bool screened = !parties.empty() || !lists.empty();
    NameTies by_name(names, screening);

    for (auto& r : records) {
        if (r.rejected) continue;
        r.matches.clear();
        r.parties.clear();
        static const matching::Subject nobody;
        auto subject = [&](std::size_t k) -> const matching::Subject& {
            return k < r.parties.size() ? r.parties[k].second : nobody;
        };
        if (screened) {
            r.parties.emplace_back("entity", matching::subject_of(r.value));
            if (const Value* cps = r.value.field("counterparties");
                cps && cps->is(eval::Kind::list))
                for (std::size_t i = 0; i < cps->as_list().size(); ++i)
                    r.parties.emplace_back("entity.counterparties[" + std::to_string(i) + "]",
                                           matching::subject_of(cps->as_list()[i]));
        }
        // A declared entity that shares an identifier with a list party carries its listings.
        if (auto t = parties.tie(r.value); t.certain()) {
            const auto& [p, how] = t.parties.front();
            eval::List listings;
            if (const Value* own = r.value.field("listings"); own && own->is(eval::Kind::list))
                listings = own->as_list();
            if (const Value* theirs = parties.value(p).field("listings");
                theirs && theirs->is(eval::Kind::list))
                for (const auto& l : theirs->as_list())
                    listings.push_back(
                        with_field(l, "matched_by", Value(how + " = " + parties.id(p))));
            r.value = with_field(r.value, "listings", Value(std::move(listings)));
            r.matches.push_back(
                tied("entity", parties, p, parties.id(p), r.name, "identifier", "match", how));
        } else if (!t.parties.empty()) {
            r.value = ambiguous(r.value, t, parties, "entity", r.name, r.matches);
        } else if (auto c = by_name.candidates(subject(0)); by_name.match(c)) {
            r.value = by_name.with_listings(r.value, c, parties);
            by_name.ties("entity", parties, c, r.matches);
        } else if (!c.empty()) {
            r.value = by_name.possible(r.value, c, parties, "entity", r.matches);
        }
        // Counterparties by id, else by identifier: one that matches takes the party's id.
        if (const Value* cps = r.value.field("counterparties"); cps && cps->is(eval::Kind::list)) {
            eval::List out = cps->as_list();
            bool changed = false;
            for (std::size_t i = 0; i < out.size(); ++i) {
                Value& cp = out[i];
                if (!cp.is(eval::Kind::map)) continue;
                const std::string path = "entity.counterparties[" + std::to_string(i) + "]";
                const std::string id = text_of(cp, "id"), name = text_of(cp, "name");
                if (auto p = parties.by_id(id)) {
                    r.matches.push_back(tied(path, parties, *p, id, name, "id", "match", ""));
                    continue;
                }
                if (declared.count(id)) continue;  // a declared entity: its own result says
                auto t = parties.tie(cp);
                if (t.certain()) {
                    const auto& [p, how] = t.parties.front();
                    if (!id.empty()) cp = with_field(cp, "declared_id", Value(id));
                    cp = with_field(with_field(cp, "id", Value(parties.id(p))), "matched_by",
                                    Value(how));
                    r.matches.push_back(
                        tied(path, parties, p, parties.id(p), name, "identifier", "match", how));
                } else if (!t.parties.empty()) {
                    cp = ambiguous(cp, t, parties, path, name, r.matches);
                } else if (auto c = by_name.candidates(subject(i + 1)); by_name.match(c)) {
                    const auto& best = c.front();
                    if (!id.empty()) cp = with_field(cp, "declared_id", Value(id));
                    cp = with_field(with_field(cp, "id", Value(by_name.id(best))), "matched_by",
                                    Value(NameTies::how(best)));
                    // Separate entries that both match (an OFAC and a UN entry of one
                    // person): the party is each of them, so it has the listings of all.
                    if (by_name.several(c)) cp = by_name.with_listings(cp, c, parties);
                    by_name.ties(path, parties, c, r.matches);
                } else if (!c.empty()) {
                    cp = by_name.possible(cp, c, parties, path, r.matches);
                } else {
                    if (screened)
                        r.matches.push_back({path, "", "", "", name, 0.0,
                                             !identifiers_of(cp).empty()     ? "identifier"
                                             : !subject(i + 1).names.empty() ? "name"
                                             : !id.empty()                   ? "id"
                                                                             : "none",
                                             "unmatched", ""});
                    continue;
                }
                changed = true;
            }
            if (changed) r.value = with_field(r.value, "counterparties", Value(std::move(out)));
        }
        // Owners and controllers that name a list party.
        for (const char* key : {"owners", "controllers"})
            if (const Value* edges = r.value.field(key); edges && edges->is(eval::Kind::list))
                for (std::size_t i = 0; i < edges->as_list().size(); ++i) {
                    std::string id = text_of(edges->as_list()[i], "id");
                    if (auto p = parties.by_id(id))
                        r.matches.push_back(
                            tied("entity." + std::string(key) + "[" + std::to_string(i) + "]",
                                 parties, *p, id, "", "id", "match", ""));
                }
    }
    spread_doubts(records);

    by_id.reserve(by_id.size() + records.size());
    for (const auto& r : records)
        if (!r.rejected) by_id[r.id] = &r.value;
    if (own_parties)
        for (Value* v : own_parties->values()) *v = enrich(*v, by_id);
    for (auto& r : records)
        if (!r.rejected) r.value = enrich(r.value, by_id);
}

// ---- parts of an input (scale-out) ---------------------------------------------------------

// A part copies its records and shares everything else: lookups, ownership and list matches
// were settled by the whole's index(), so a record checks the same in any part.
std::unique_ptr<InputData> InputData::part(std::shared_ptr<const void> keep, const InputData& whole,
                                           std::size_t begin, std::size_t end) {
    auto out = std::make_unique<InputData>();
    end = std::min(end, whole.records.size());
    begin = std::min(begin, end);
    const auto first = whole.records.begin();
    out->records.assign(first + static_cast<std::ptrdiff_t>(begin),
                        first + static_cast<std::ptrdiff_t>(end));
    out->as_of = whole.as_of;
    out->by_id = whole.by_id;
    // The part's own records are found as themselves, as in the whole (an entity is told
    // from the entries it names by address).
    for (std::size_t i = begin; i < end; ++i)
        if (auto it = out->by_id.find(whole.records[i].id);
            it != out->by_id.end() && it->second == &whole.records[i].value)
            it->second = &out->records[i - begin].value;
    out->lists = whole.lists;
    out->whole = std::move(keep);
    return out;
}

ListFile list_file(const std::string& path, std::string_view text, const InputData& data,
                   std::size_t first) {
    ListFile out{path, Sha256().update(text).hex(), data.known.size() - first, std::nullopt};
    for (std::size_t i = first; i < data.known.size(); ++i) {
        const Value* attrs = data.known[i].value.field("attributes");
        const Value* source = attrs ? attrs->field("source") : nullptr;
        std::string published = source ? text_of(*source, "published") : std::string();
        eval::Date d;
        if (eval::parse_date(published, d) && (!out.published || published < *out.published))
            out.published = published;
    }
    return out;
}

// ---- decoding ---------------------------------------------------------------------------

namespace {

bool names_utf8(const std::string& encoding) {
    std::string plain;
    for (char c : encoding)
        if (c != '-' && c != '_')
            plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return plain.empty() || plain == "utf8";
}

/// `text` from `encoding` to UTF-8 with glibc's iconv; false when iconv does not know the
/// encoding. A byte the encoding has no character for is kept as it is, so that it stays
/// invalid UTF-8 and rejects the record holding it.
bool to_utf8(std::string_view text, const std::string& encoding, std::string& out) {
    iconv_t cd = iconv_open("UTF-8", encoding.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
    out.clear();
    out.reserve(text.size() * 2);
    char* in = const_cast<char*>(text.data());  // iconv's signature; it only reads
    std::size_t in_left = text.size();
    char buf[16384];
    while (true) {
        char* o = buf;
        std::size_t o_left = sizeof buf;
        std::size_t r = in_left > 0 ? iconv(cd, &in, &in_left, &o, &o_left)
                                    : iconv(cd, nullptr, nullptr, &o, &o_left);  // flush
        out.append(buf, static_cast<std::size_t>(o - buf));
        if (r != static_cast<std::size_t>(-1)) {
            if (in_left == 0 && o == buf) break;
            continue;
        }
        if (errno == E2BIG) continue;
        // EILSEQ, or EINVAL for a sequence cut off at the end: keep the byte and go on.
        out += *in++;
        --in_left;
    }
    return true;
}

std::string hex_byte(char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(c));
    return buf;
}

}  // namespace

InputText::InputText(source::SourcePtr src, std::string encoding, std::vector<std::size_t> invalid,
                     std::string invalid_bytes)
    : src_(std::move(src)),
      encoding_(std::move(encoding)),
      invalid_(std::move(invalid)),
      invalid_bytes_(std::move(invalid_bytes)),
      claimed_(invalid_.size(), false) {}

std::string InputText::describe(std::size_t index) const {
    const std::string byte = "byte " + hex_byte(invalid_bytes_[index]);
    return encoding_.empty() ? byte + " is not valid UTF-8"
                             : byte + " is not a character in " + encoding_;
}

Diagnostic InputText::diagnostic(std::size_t index, std::string message) const {
    std::vector<std::string> hints;
    if (encoding_.empty())
        hints.push_back(
            "sanx reads UTF-8; for a file in another encoding say which, e.g. "
            "--encoding cp1251 for Windows Cyrillic");
    return {Severity::error, "encoding", std::move(message), located(*src_, invalid_[index]),
            std::move(hints)};
}

std::optional<Diagnostic> InputText::claim(std::size_t begin, std::size_t end, std::string& why) {
    auto first = std::lower_bound(invalid_.begin(), invalid_.end(), begin);
    auto last = std::lower_bound(first, invalid_.end(), end);
    if (first == last) return std::nullopt;
    const auto index = static_cast<std::size_t>(first - invalid_.begin());
    for (auto i = index; i < static_cast<std::size_t>(last - invalid_.begin()); ++i)
        claimed_[i] = true;
    Location at = src_->locate(invalid_[index]);
    why = describe(index) + " (line " + std::to_string(at.line) + ", column " +
          std::to_string(at.column) + ")";
    return diagnostic(index, describe(index) + "; record not evaluated");
}

void InputText::report_unclaimed(std::vector<Diagnostic>& diags) const {
    auto first = std::find(claimed_.begin(), claimed_.end(), false);
    if (first == claimed_.end()) return;
    const auto count = static_cast<std::size_t>(std::count(first, claimed_.end(), false));
    const auto index = static_cast<std::size_t>(first - claimed_.begin());
    diags.push_back(
        diagnostic(index, describe(index) + (count > 1 ? " (and " + std::to_string(count - 1) +
                                                             " more such bytes outside any record)"
                                                       : " (outside any record)")));
}

InputText prepare_input(const source::SourcePtr& raw, const std::string& encoding,
                        std::vector<Diagnostic>& diags) {
    std::string_view text = raw->text();
    const bool decode = !names_utf8(encoding);
    std::string decoded;
    if (decode) {
        const bool ascii = std::all_of(text.begin(), text.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (!ascii && simdjson::validate_utf8(text.data(), text.size()))
            diags.push_back({Severity::warning,
                             "encoding",
                             "the file is valid UTF-8, yet it is read as " + encoding +
                                 " as asked: its non-ASCII text may come out garbled",
                             Location{raw->name(), 0, 0, 1, {}},
                             {}});
        if (!to_utf8(text, encoding, decoded)) {
            diags.push_back({Severity::error,
                             "encoding",
                             "unknown encoding '" + encoding + "'; the file was not read",
                             Location{raw->name(), 0, 0, 1, {}},
                             {"an iconv name, e.g. cp1251, koi8-r, iso-8859-5 or utf-16"}});
            return {};
        }
        text = decoded;
    }
    const bool bom = text.substr(0, 3) == "\xEF\xBB\xBF";
    if (bom) text.remove_prefix(3);
    std::vector<std::size_t> invalid;
    std::string bytes;
    if (!simdjson::validate_utf8(text.data(), text.size()))
        for (auto at = source::first_invalid_utf8(text); at != std::string_view::npos;
             at = source::first_invalid_utf8(text, at + 1)) {
            invalid.push_back(at);
            bytes += text[at];
        }
    if (!decode && !bom && invalid.empty()) return InputText(raw, {}, {}, {});
    std::string clean(text);
    for (auto at : invalid) clean[at] = '?';
    return InputText(std::make_shared<const source::Source>(raw->name(), std::move(clean)),
                     decode ? encoding : std::string(), std::move(invalid), std::move(bytes));
}

// ---- the readers --------------------------------------------------------------------------

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
                                  spans[i].second, r.at(nodes[i]).line, data, diags));
    in.report_unclaimed(diags);
}

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
            read_record(reader, JsonView(doc, where), in, begin, end, row.line, data, diags));
    }
    in.report_unclaimed(diags);
}

}  // namespace sanx::detail

namespace sanx {

Input Input::part(std::shared_ptr<const Input> whole, std::size_t begin, std::size_t end) {
    Input out;
    const detail::InputData& data = *whole->data_;
    out.data_ = detail::InputData::part(std::move(whole), data, begin, end);
    return out;
}

}  // namespace sanx
