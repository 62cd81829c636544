#pragma once

// The two views of a parsed entity that the entity reader (io/entity_schema.hpp) works on:
// YAML nodes, which carry their marks, and JSON elements, which are placed at their line; and
// the helpers that place a reader's diagnostics.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include <sanx/diagnostic.hpp>

#include "common/value.hpp"
#include "io/input.hpp"
#include "packs/yaml_util.hpp"
#include "source/source.hpp"

namespace sanx::detail::reading {

using eval::Value;

/// A record-level problem: the record cannot be read and is rejected. `View` says where.
template <typename View>
struct Reject {
    std::string message;
    View at;
};

/// A number written in decimal: an optional minus, digits with an optional fraction and
/// exponent, and nothing else. strtod would also take "nan", "inf", "0x32" and " 5".
std::optional<double> decimal(std::string_view s);

/// A diagnostic's place, with a long line (a JSON line, a CSV row) cut to a window around
/// the column, never inside a character.
Location located(const source::Source& src, std::size_t offset, std::size_t length = 1);

/// A record that could not be read, in its place, and the error that says why.
Record error_record(const source::Source& src, std::size_t at, int line, std::string id,
                    std::string why, std::vector<Diagnostic>& diags);

/// An entity as a YAML node: diagnostics point at the node's mark.
class YamlView {
  public:
    YamlView(YAML::Node n, YamlReader& r) : n_(std::move(n)), r_(&r) {}

    bool is_map() const { return n_.IsMap(); }
    bool is_list() const { return n_.IsSequence(); }
    bool is_scalar() const { return n_.IsScalar(); }
    /// The items of a mapping or a list.
    std::size_t size() const { return n_.size(); }
    std::string scalar() const { return n_.Scalar(); }
    /// YAML keeps a scalar's text as written, so no number has lost its digits.
    bool floating() const { return false; }

    std::optional<YamlView> get(const std::string& key) const {
        if (!n_.IsMap() || !n_[key]) return std::nullopt;
        return YamlView(n_[key], *r_);
    }
    /// f(key, where the key is, value) for each item; the key lives as long as the node.
    template <typename F>
    void items(F f) const {
        for (const auto& kv : n_)
            f(std::string_view(kv.first.Scalar()), YamlView(kv.first, *r_),
              YamlView(kv.second, *r_));
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
            l.reserve(n.size());
            for (const auto& e : n) l.push_back(generic(e));
            return l;
        }
        if (n.IsMap()) {
            eval::Map m;
            m.reserve(n.size());
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

/// An entity as a JSON element: diagnostics point at its line (JsonLine).
class JsonView {
  public:
    JsonView(simdjson::dom::element e, const JsonLine& line) : e_(e), line_(&line) {}

    bool is_map() const { return e_.type() == simdjson::dom::element_type::OBJECT; }
    bool is_list() const { return e_.type() == simdjson::dom::element_type::ARRAY; }
    bool is_scalar() const { return !is_map() && !is_list() && !e_.is_null(); }
    /// The items of an object or an array.
    std::size_t size() const {
        return is_map() ? e_.get_object().size() : is_list() ? e_.get_array().size() : 0;
    }
    /// A number with a fraction or an exponent: held as a double, its digits as written are
    /// lost (1.84102E+09 and 1841020000.0 are one value).
    bool floating() const { return e_.type() == simdjson::dom::element_type::DOUBLE; }
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
    /// f(key, where the key is, value) for each item; the key lives as long as the element.
    template <typename F>
    void items(F f) const {
        for (auto field : e_.get_object()) f(field.key, *this, JsonView(field.value, *line_));
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
                m.reserve(e.get_object().size());
                for (auto f : e.get_object())
                    m.emplace_back(Value(std::string(f.key)), generic(f.value));
                return m;
            }
            case simdjson::dom::element_type::ARRAY: {
                eval::List l;
                l.reserve(e.get_array().size());
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

}  // namespace sanx::detail::reading
