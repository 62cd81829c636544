#pragma once

// The syntax tree the grammar produces: plain data, every reportable node located by byte
// offsets into the expression text. The checker turns it into the checked tree.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

namespace sanx::dsl::ast {

namespace x3 = boost::spirit::x3;

/// Offsets [begin, end) into the parsed text, set by the grammar's annotation handler.
struct located {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct expression;
struct binary;
struct ident_or_call;
struct list_lit;
struct map_lit;

/// A literal token as written; the checker decodes numbers and escapes so that it can
/// point at the exact character that is wrong.
struct literal : located {
    char kind = 0;  // 'n' number, 's' string, 't' true, 'f' false, 'z' null
    std::string text;
};

struct primary : x3::variant<literal, x3::forward_ast<ident_or_call>, x3::forward_ast<list_lit>,
                             x3::forward_ast<map_lit>, x3::forward_ast<expression>> {
    using base_type::base_type;
    using base_type::operator=;
};

/// `.name` or `.name(args)`.
struct select_op : located {
    std::string field;
    boost::optional<std::vector<expression>> args;
};

/// `[index]`.
struct index_op : located {
    char open = '[';
    x3::forward_ast<expression> index;
};

struct postfix : x3::variant<select_op, index_op> {
    using base_type::base_type;
    using base_type::operator=;
};

struct member : located {
    primary head;
    std::vector<postfix> tail;
};

/// A run of `!` / `-` before a member expression.
struct unary : located {
    std::string ops;
    member operand;
};

struct operand : x3::variant<unary, x3::forward_ast<binary>> {
    using base_type::base_type;
    using base_type::operator=;
};

struct operation : located {
    std::string op;
    operand rhs;
};

/// One precedence level: `first (op rhs)*`, left-associative.
struct binary : located {
    operand first;
    std::vector<operation> rest;
};

struct ternary_tail {
    binary then_branch;
    x3::forward_ast<expression> else_branch;
};

struct expression : located {
    binary condition;
    boost::optional<ternary_tail> tail;
};

/// `name`, `.name` or `name(args)` at the head of a member chain.
struct ident_or_call : located {
    bool leading_dot = false;
    std::string name;
    boost::optional<std::vector<expression>> args;
};

struct list_lit : located {
    char open = '[';
    std::vector<expression> elements;
};

struct map_entry : located {
    expression key;
    expression value;
};

struct map_lit : located {
    char open = '{';
    std::vector<map_entry> entries;
};

/// A word of a relation statement (country code, bloc id, relation name, date).
struct word : located {
    std::string text;
};

/// `SUBJECT RELATION OBJECT[, OBJECT...] [via BLOC, ...] [since DATE] [until DATE]`
struct relation_stmt : located {
    word subject;
    word relation;
    std::vector<word> objects;
    std::vector<word> via;
    boost::optional<word> since;
    boost::optional<word> until;
};

}  // namespace sanx::dsl::ast
