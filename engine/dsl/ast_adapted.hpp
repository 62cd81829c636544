#pragma once

// Fusion adaptation of the syntax tree; included only by the grammar definition.

#include <boost/fusion/include/adapt_struct.hpp>

#include "dsl/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::literal, kind, text)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::select_op, field, args)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::index_op, open, index)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::member, head, tail)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::unary, ops, operand)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::operation, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::binary, first, rest)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::ternary_tail, then_branch, else_branch)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::expression, condition, tail)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::ident_or_call, leading_dot, name, args)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::list_lit, open, elements)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::map_entry, key, value)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::map_lit, open, entries)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::word, text)
BOOST_FUSION_ADAPT_STRUCT(sanx::dsl::ast::relation_stmt, subject, relation, objects, via, since,
                          until)
