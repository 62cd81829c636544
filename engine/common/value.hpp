#pragma once

// Runtime values with CEL semantics, plus the two states CEL carries beside values:
// unknown (a fact the input does not give) and error.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sanx::eval {

class Value;
using List = std::vector<Value>;
using Map = std::vector<std::pair<Value, Value>>;  // insertion order; maps here are small

struct Null {};
struct Bytes {
    std::string data;
};
/// Days since 1970-01-01.
struct Date {
    std::int32_t days = 0;
};
struct TypeName {
    std::string name;
};
/// The facts that were missing, as paths such as `entity.counterparties[2].sectors`.
struct Unknown {
    std::vector<std::string> missing;
};
struct Error {
    std::string message;
    std::uint32_t begin = 0, end = 0;  ///< where in the expression it arose
};

enum class Kind {
    null,
    boolean,
    int64,
    uint64,
    dbl,
    string,
    bytes,
    list,
    map,
    date,
    type,
    unknown,
    error
};

class Value {
  public:
    Value() : v_(Null{}) {}
    Value(Null) : v_(Null{}) {}
    Value(bool b) : v_(b) {}
    Value(std::int64_t i) : v_(i) {}
    Value(int i) : v_(static_cast<std::int64_t>(i)) {}
    Value(std::uint64_t u) : v_(u) {}
    Value(double d) : v_(d) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(Bytes b) : v_(std::move(b)) {}
    Value(List l) : v_(std::make_shared<const List>(std::move(l))) {}
    Value(Map m) : v_(std::make_shared<const Map>(std::move(m))) {}
    Value(Date d) : v_(d) {}
    Value(TypeName t) : v_(std::move(t)) {}
    Value(Unknown u) : v_(std::move(u)) {}
    Value(Error e) : v_(std::move(e)) {}

    Kind kind() const { return static_cast<Kind>(v_.index()); }
    bool is(Kind k) const { return kind() == k; }
    bool is_unknown() const { return kind() == Kind::unknown; }
    bool is_error() const { return kind() == Kind::error; }
    /// Unknown or error: a value that must be passed on rather than operated on.
    bool is_exceptional() const { return is_unknown() || is_error(); }

    bool as_bool() const { return std::get<bool>(v_); }
    std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
    std::uint64_t as_uint() const { return std::get<std::uint64_t>(v_); }
    double as_double() const { return std::get<double>(v_); }
    const std::string& as_string() const { return std::get<std::string>(v_); }
    const Bytes& as_bytes() const { return std::get<Bytes>(v_); }
    const List& as_list() const { return *std::get<std::shared_ptr<const List>>(v_); }
    const Map& as_map() const { return *std::get<std::shared_ptr<const Map>>(v_); }
    Date as_date() const { return std::get<Date>(v_); }
    const TypeName& as_type() const { return std::get<TypeName>(v_); }
    const Unknown& as_unknown() const { return std::get<Unknown>(v_); }
    const Error& as_error() const { return std::get<Error>(v_); }

    /// A map's value for a string key, or nullptr.
    const Value* field(std::string_view key) const;

  private:
    std::variant<Null, bool, std::int64_t, std::uint64_t, double, std::string, Bytes,
                 std::shared_ptr<const List>, std::shared_ptr<const Map>, Date, TypeName, Unknown,
                 Error>
        v_;
};

/// CEL's type name of a value: "int", "string", "list", ...
std::string type_name(const Value& v);

/// CEL equality: numbers compare across int, uint and double; lists and maps deeply.
bool equal(const Value& a, const Value& b);

/// -1, 0, 1; or nullopt-like 2 when the values are not ordered against each other.
int compare(const Value& a, const Value& b);
inline constexpr int unordered = 2;

/// Human text: strings bare, lists as `[a, b]`, dates as YYYY-MM-DD.
std::string display(const Value& v);

/// CEL-like literal text: strings quoted.
std::string literal_text(const Value& v);

/// `kz-bank (Steppe Bank JSC)` for a map with an `id` and/or `name`; empty otherwise.
std::string id_and_name(const Value& v);

/// The value as CEL source text that reads back as the same value: `"x"`, `1u`, `1.0`,
/// `b"\x00"`, `[1, 2]`, `{"a": 1}`. `sanx eval` prints this.
std::string cel_literal(const Value& v);

/// Parses YYYY-MM-DD; false when it is not a real calendar date.
bool parse_date(std::string_view text, Date& out);
std::string format_date(Date d);
/// Whether something dated by `from` and `until` fields (a listing, an ownership or a
/// control edge) is in force on `on`; a missing bound is open.
bool in_force(const Value& dated, Date on);
/// A share or percentage as every message and report writes it: `60%`, `33.3333%` (`%g`).
std::string percent_text(double percent);
/// Today's date in UTC: the default `as_of` of a check, and what "expired" is measured against.
Date today();

/// Merges the missing facts of two unknowns (either may be a plain value).
Value merge_unknown(const Value& a, const Value& b);

}  // namespace sanx::eval
