#pragma once

// Static types of expressions: CEL's types, the entity schema (PRODUCT.md section 3) and
// the types of the domain functions. The checker gives every node a type and reports, at
// load time, what would always fail or never hold at evaluation time.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.hpp"

namespace sanx::check {

struct Schema;

/// What a string holds, when the schema says: its literals are checked against the packs'
/// vocabulary (`entity.country == 'KX'` is an unknown country).
enum class Vocab { none, country, bloc, sector, authority, entity_type, measure, basis };

struct Type {
    enum class K {
        free,  ///< not yet known, as the element of `[]`: joins with anything; reads "dyn"
        dyn,
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
        object,  ///< a map with known fields (an entity, a counterparty, ...)
    };
    K k = K::dyn;
    std::vector<Type> args;                ///< list: element; map: key, value
    std::shared_ptr<const Schema> schema;  ///< object
    Vocab vocab = Vocab::none;             ///< string

    static Type of(K k) {
        Type t;
        t.k = k;
        return t;
    }
    static Type list(Type elem);
    static Type map(Type key, Type value);
    static Type string(Vocab v) {
        Type t = of(K::string);
        t.vocab = v;
        return t;
    }

    bool is(K kind) const { return k == kind; }
    /// dyn or not yet known: anything goes.
    bool open() const { return k == K::dyn || k == K::free; }
    bool numeric() const { return k == K::int64 || k == K::uint64 || k == K::dbl; }
    /// A map at run time (maps and objects).
    bool map_like() const { return k == K::map || k == K::object; }
    const Type& elem() const { return args.at(0); }
};

struct Field {
    std::string name;
    Type type;
};

/// The fields of one kind of record.
struct Schema {
    std::string name;  ///< "entity", "counterparty", ...; also the type's name
    std::string a;     ///< "an entity", for messages
    std::vector<Field> fields;
    const Field* field(std::string_view name) const;
    std::vector<std::string> names() const;
};

/// `list(string)`, `map(string, dyn)`, `entity`: CEL's notation.
std::string to_string(const Type& t);

/// The entity being checked, and what `declared(x)` gives.
const Type& entity_type();

/// The type of a constant (a set, the regime): lists and maps of what they hold.
Type type_of(const eval::Value& v);

/// The common type of two branches or elements: the same type, or dyn.
Type join(const Type& a, const Type& b);

/// Whether values of these types can ever be equal (CEL equality: numbers across kinds).
bool comparable(const Type& a, const Type& b);

/// The result of a binary operator (+ - * / % < <= > >= == != in) on these operand types,
/// or nullopt when no overload takes them (CEL's "no such overload", known at load time).
std::optional<Type> binary_type(std::string_view op, const Type& l, const Type& r);

}  // namespace sanx::check
