#include "check/functions.hpp"

#include <algorithm>

namespace sanx::check {

using K = Type::K;

const std::vector<FnSig>& functions() {
    static const std::vector<FnSig> all{
        {"size", Fn::size, 1, 1, false},         {"size", Fn::size, 0, 0, true},
        {"int", Fn::int_, 1, 1, false},          {"uint", Fn::uint_, 1, 1, false},
        {"double", Fn::double_, 1, 1, false},    {"string", Fn::string_, 1, 1, false},
        {"bytes", Fn::bytes_, 1, 1, false},      {"bool", Fn::bool_, 1, 1, false},
        {"type", Fn::type_, 1, 1, false},        {"dyn", Fn::dyn, 1, 1, false},
        {"contains", Fn::contains, 1, 1, true},  {"startsWith", Fn::starts_with, 1, 1, true},
        {"endsWith", Fn::ends_with, 1, 1, true}, {"matches", Fn::matches, 1, 1, true},
        {"matches", Fn::matches, 2, 2, false},   {"member", Fn::member, 2, 2, false},
        {"blocs", Fn::blocs, 1, 1, false},       {"borders", Fn::borders, 2, 2, false},
        {"related", Fn::related, 3, 3, false},   {"listed", Fn::listed, 1, 3, false},
        {"blocked", Fn::blocked, 2, 2, false},   {"blocked_share", Fn::blocked_share, 2, 2, false},
        {"hs_match", Fn::hs_match, 2, 2, false}, {"date", Fn::date, 1, 1, false},
        {"declared", Fn::declared, 1, 1, false}, {"join", Fn::join, 0, 1, true},
    };
    return all;
}

namespace {

struct Want {
    std::vector<K> kinds;
    const char* phrase;
};

const Want any{{}, ""};
const Want text{{K::string}, "a string"};
const Want party{{K::object, K::map, K::string}, "an entity, a counterparty or an id"};
const Want numberish{{K::int64, K::uint64, K::dbl, K::string}, "a number or a string"};

Want wanted(Fn fn, std::size_t i) {
    switch (fn) {
        case Fn::size:
            return {{K::string, K::bytes, K::list, K::map, K::object},
                    "a string, bytes, a list or a map"};
        case Fn::int_:
            return {{K::int64, K::uint64, K::dbl, K::string, K::date},
                    "a number, a string or a date"};
        case Fn::uint_:
        case Fn::double_:
            return numberish;
        case Fn::string_:
            return {{K::string, K::bytes, K::int64, K::uint64, K::dbl, K::boolean, K::date},
                    "a string, bytes, a number, a bool or a date"};
        case Fn::bytes_:
            return {{K::bytes, K::string}, "bytes or a string"};
        case Fn::bool_:
            return {{K::boolean, K::string}, "a bool or a string"};
        case Fn::type_:
        case Fn::dyn:
            return any;
        case Fn::contains:
        case Fn::starts_with:
        case Fn::ends_with:
        case Fn::matches:
        case Fn::member:
        case Fn::blocs:
        case Fn::borders:
        case Fn::related:
            return text;
        case Fn::listed:
        case Fn::blocked:
        case Fn::blocked_share:
        case Fn::declared:
            return i == 0 ? party : text;
        case Fn::hs_match:
            return i == 0 ? text : Want{{K::list, K::string}, "a list of HS code prefixes"};
        case Fn::date:
            return {{K::string, K::date}, "a date string YYYY-MM-DD"};
        case Fn::join:
            return i == 0 ? Want{{K::list}, "a list of strings"} : text;
    }
    return any;
}

}  // namespace

std::optional<std::string> argument_mismatch(Fn fn, std::size_t i, const Type& t) {
    Want w = wanted(fn, i);
    if (t.open() || w.kinds.empty()) return std::nullopt;
    if (std::find(w.kinds.begin(), w.kinds.end(), t.k) == w.kinds.end()) return w.phrase;
    // Lists must hold strings where strings are wanted.
    if (t.k == K::list && (fn == Fn::hs_match || fn == Fn::join) && !t.elem().open() &&
        !t.elem().is(K::string))
        return std::string(w.phrase);
    return std::nullopt;
}

Type result_type(Fn fn) {
    switch (fn) {
        case Fn::size:
        case Fn::int_:
            return Type::of(K::int64);
        case Fn::uint_:
            return Type::of(K::uint64);
        case Fn::double_:
        case Fn::blocked_share:
            return Type::of(K::dbl);
        case Fn::string_:
        case Fn::join:
            return Type::of(K::string);
        case Fn::bytes_:
            return Type::of(K::bytes);
        case Fn::type_:
            return Type::of(K::type);
        case Fn::dyn:
            return Type::of(K::dyn);
        case Fn::blocs:
            return Type::list(Type::string(Vocab::bloc));
        case Fn::declared:
            return entity_type();
        case Fn::date:
            return Type::of(K::date);
        case Fn::bool_:
        case Fn::contains:
        case Fn::starts_with:
        case Fn::ends_with:
        case Fn::matches:
        case Fn::member:
        case Fn::borders:
        case Fn::related:
        case Fn::listed:
        case Fn::blocked:
        case Fn::hs_match:
            return Type::of(K::boolean);
    }
    return Type::of(K::dyn);
}

}  // namespace sanx::check
