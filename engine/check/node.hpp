#pragma once

// The checked tree: names resolved, literals decoded, functions bound. The evaluator walks
// it; the syntax tree is gone by then.

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "check/types.hpp"
#include "common/value.hpp"

namespace sanx::check {

enum class Op {
    literal,   // value
    entity,    // the entity being checked
    as_of,     // the evaluation date
    local,     // a macro variable: slot
    variable,  // a bound variable (CheckOptions::variables): name
    select,    // kids[0].name
    has,       // has(kids[0].name)
    index,     // kids[0][kids[1]]
    call,      // fn(kids...), receiver first for member calls
    list,
    map,  // kids: key, value, key, value...
    not_,
    neg,
    binary,  // name is the operator: + - * / % == != < <= > >= in
    and_,
    or_,
    cond,   // kids[0] ? kids[1] : kids[2]
    macro,  // kids[0] range, kids[1] body (kids[2] transform for map with filter)
};

/// `bind` is `cel.bind(name, value, body)`: kids[0] the value, kids[1] the body.
enum class Macro { all, exists, exists_one, map, filter, bind };

enum class Fn {
    size,
    int_,
    uint_,
    double_,
    string_,
    bytes_,
    bool_,
    type_,
    dyn,
    contains,
    starts_with,
    ends_with,
    matches,
    member,
    blocs,
    borders,
    related,
    listed,
    blocked,
    blocked_share,
    declared,
    hs_match,
    date,
    join,
};

struct Node {
    Op op = Op::literal;
    std::uint32_t begin = 0, end = 0;  ///< source range in the expression text
    eval::Value value;                 ///< literal, or a constant folded at check time
    std::string name;                  ///< field, operator or function name as written
    int slot = -1;                     ///< macro variable
    Macro macro = Macro::all;
    Fn fn = Fn::size;
    Type type;  ///< its static type (check/types.hpp)
    std::vector<Node> kids;
    /// `x in L` where L is a list of string literals or a pack set: L's strings, so that a
    /// string is looked up rather than compared with each (set at check time).
    std::shared_ptr<const std::unordered_set<std::string>> strings;
};

/// What names the checker resolves against: the loaded packs' vocabulary.
struct Vocabulary {
    std::map<std::string, eval::Value> sets;
    std::set<std::string> countries;
    std::set<std::string> blocs;
    std::set<std::string> sectors;
    std::set<std::string> relations;
    std::set<std::string> authorities;
};

struct Issue {
    std::uint32_t begin = 0, end = 0;
    std::string code;
    std::string message;
    std::vector<std::string> hints;
};

/// An expression ready to evaluate.
struct Checked {
    Node root;      ///< root.type is the expression's type
    int slots = 0;  ///< macro variables it needs
};

}  // namespace sanx::check
