#include "check/types.hpp"

#include <algorithm>

namespace sanx::check {

using K = Type::K;

Type Type::list(Type elem) {
    Type t = of(K::list);
    t.args.push_back(std::move(elem));
    return t;
}

Type Type::map(Type key, Type value) {
    Type t = of(K::map);
    t.args.push_back(std::move(key));
    t.args.push_back(std::move(value));
    return t;
}

const Field* Schema::field(std::string_view n) const {
    for (const auto& f : fields)
        if (f.name == n) return &f;
    return nullptr;
}

std::vector<std::string> Schema::names() const {
    std::vector<std::string> out;
    for (const auto& f : fields) out.push_back(f.name);
    return out;
}

std::string to_string(const Type& t) {
    switch (t.k) {
        case K::free:
        case K::dyn:
            return "dyn";
        case K::null:
            return "null_type";
        case K::boolean:
            return "bool";
        case K::int64:
            return "int";
        case K::uint64:
            return "uint";
        case K::dbl:
            return "double";
        case K::string:
            return "string";
        case K::bytes:
            return "bytes";
        case K::list:
            return "list(" + to_string(t.elem()) + ")";
        case K::map:
            return "map(" + to_string(t.args[0]) + ", " + to_string(t.args[1]) + ")";
        case K::date:
            return "date";
        case K::type:
            return "type";
        case K::object:
            return t.schema->name;
    }
    return "dyn";
}

namespace {

std::shared_ptr<const Schema> schema(std::string name, std::string a, std::vector<Field> fields) {
    return std::make_shared<const Schema>(Schema{std::move(name), std::move(a), std::move(fields)});
}

Type object(std::shared_ptr<const Schema> s) {
    Type t = Type::of(K::object);
    t.schema = std::move(s);
    return t;
}

Type text() { return Type::of(K::string); }
Type text(Vocab v) { return Type::string(v); }
Type texts(Vocab v = Vocab::none) { return Type::list(Type::string(v)); }
Type day() { return Type::of(K::date); }

/// PRODUCT.md section 3 and the reader in io/entity_schema.cpp: the fields a rule can read,
/// with the types the reader gives them. A listing also carries the `measure` of its list; a
/// counterparty that names a declared entity gets the fields it leaves out from it.
struct Schemas {
    Type listing = object(schema("listing", "a listing",
                                 {{"authority", text(Vocab::authority)},
                                  {"list", text()},
                                  {"program", text()},
                                  {"measure", text(Vocab::measure)},
                                  {"from", day()},
                                  {"until", day()}}));
    Type owner = object(
        schema("owner", "an owner",
               {{"id", text()}, {"share", Type::of(K::dbl)}, {"from", day()}, {"until", day()}}));
    Type controller = object(schema("controller", "a controller",
                                    {{"id", text()},
                                     {"basis", text(Vocab::basis)},
                                     {"with", texts()},
                                     {"from", day()},
                                     {"until", day()}}));
    Type identifier =
        object(schema("identifier", "an identifier",
                      {{"type", text()}, {"value", text()}, {"country", text(Vocab::country)}}));
    Type counterparty = object(schema("counterparty", "a counterparty",
                                      {{"id", text()},
                                       {"name", text()},
                                       {"aliases", texts()},
                                       {"identifiers", Type::list(identifier)},
                                       {"type", text(Vocab::entity_type)},
                                       {"country", text(Vocab::country)},
                                       {"countries", texts(Vocab::country)},
                                       {"sectors", texts(Vocab::sector)},
                                       {"goods", texts()},
                                       {"role", text()},
                                       {"volume", Type::of(K::dbl)},
                                       {"listings", Type::list(listing)},
                                       {"owners", Type::list(owner)}}));
    Type entity = object(schema("entity", "an entity",
                                {{"id", text()},
                                 {"type", text(Vocab::entity_type)},
                                 {"name", text()},
                                 {"aliases", texts()},
                                 {"country", text(Vocab::country)},
                                 {"countries", texts(Vocab::country)},
                                 {"sectors", texts(Vocab::sector)},
                                 {"owners", Type::list(owner)},
                                 {"controllers", Type::list(controller)},
                                 {"counterparties", Type::list(counterparty)},
                                 {"goods", texts()},
                                 {"listings", Type::list(listing)},
                                 {"identifiers", Type::list(identifier)},
                                 {"attributes", Type::map(text(), Type::of(K::dyn))}}));
};

bool ordered(const Type& t) {
    return t.k == K::boolean || t.k == K::string || t.k == K::bytes || t.k == K::date;
}

}  // namespace

const Type& entity_type() {
    static const Schemas s;
    return s.entity;
}

Type type_of(const eval::Value& v) {
    using eval::Kind;
    switch (v.kind()) {
        case Kind::null:
            return Type::of(K::null);
        case Kind::boolean:
            return Type::of(K::boolean);
        case Kind::int64:
            return Type::of(K::int64);
        case Kind::uint64:
            return Type::of(K::uint64);
        case Kind::dbl:
            return Type::of(K::dbl);
        case Kind::string:
            return Type::of(K::string);
        case Kind::bytes:
            return Type::of(K::bytes);
        case Kind::date:
            return Type::of(K::date);
        case Kind::type:
            return Type::of(K::type);
        case Kind::list: {
            Type e = Type::of(K::free);
            for (const auto& x : v.as_list()) e = join(e, type_of(x));
            return Type::list(e);
        }
        case Kind::map: {
            Type k = Type::of(K::free), val = Type::of(K::free);
            for (const auto& [x, y] : v.as_map()) {
                k = join(k, type_of(x));
                val = join(val, type_of(y));
            }
            return Type::map(k, val);
        }
        default:
            return Type::of(K::dyn);
    }
}

Type join(const Type& a, const Type& b) {
    if (a.k == K::free) return b;
    if (b.k == K::free) return a;
    if (a.k != b.k) return Type::of(K::dyn);
    if (a.k == K::list) return Type::list(join(a.elem(), b.elem()));
    if (a.k == K::map) return Type::map(join(a.args[0], b.args[0]), join(a.args[1], b.args[1]));
    if (a.k == K::object && a.schema != b.schema) return Type::map(text(), Type::of(K::dyn));
    if (a.k == K::string && a.vocab != b.vocab) return text();
    return a;
}

bool comparable(const Type& a, const Type& b) {
    if (a.open() || b.open() || a.k == K::null || b.k == K::null) return true;
    if (a.numeric() && b.numeric()) return true;
    return a.k == b.k || (a.map_like() && b.map_like());
}

std::optional<Type> binary_type(std::string_view op, const Type& l, const Type& r) {
    const Type boolean = Type::of(K::boolean);
    if (op == "==" || op == "!=") {
        if (!comparable(l, r)) return std::nullopt;
        return boolean;
    }
    if (op == "in") {
        if (r.open()) return boolean;
        if (r.k == K::list && comparable(l, r.elem())) return boolean;
        if (r.k == K::map && comparable(l, r.args[0])) return boolean;
        if (r.k == K::object && comparable(l, text())) return boolean;
        return std::nullopt;
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
        if (l.open() || r.open()) return boolean;
        if ((l.numeric() && r.numeric()) || (l.k == r.k && ordered(l))) return boolean;
        return std::nullopt;
    }
    // Arithmetic: both sides of one kind, as CEL has no implicit conversions.
    auto fits = [&](std::initializer_list<K> kinds) {
        auto in = [&](const Type& t) {
            return t.open() || std::find(kinds.begin(), kinds.end(), t.k) != kinds.end();
        };
        return in(l) && in(r) && (l.open() || r.open() || l.k == r.k);
    };
    auto result = [&]() -> Type {
        if (l.open()) return r.open() ? Type::of(K::dyn) : r;
        if (r.open()) return l;
        return l.k == K::list ? join(l, r) : l;
    };
    if (op == "+") {
        if (!fits({K::int64, K::uint64, K::dbl, K::string, K::bytes, K::list})) return std::nullopt;
        Type t = result();
        if (t.k == K::string) t.vocab = Vocab::none;
        return t;
    }
    if (op == "-" || op == "*" || op == "/") {
        if (!fits({K::int64, K::uint64, K::dbl})) return std::nullopt;
        return result();
    }
    if (op == "%") {
        if (!fits({K::int64, K::uint64})) return std::nullopt;
        return result();
    }
    return Type::of(K::dyn);
}

}  // namespace sanx::check
