#pragma once

// The expression and relation grammars (Spirit X3). Included only by grammar.cpp.

#include <functional>
#include <type_traits>
#include <vector>

#include <boost/spirit/home/x3.hpp>

#include "dsl/ast.hpp"
#include "dsl/ast_adapted.hpp"
#include "dsl/parse.hpp"

namespace sanx::dsl::grammar {

namespace x3 = boost::spirit::x3;
// Character classes are ASCII's: identifiers, numbers and white space are ASCII, and the
// standard ones assert (`strict_ischar`) on any byte above 0x7F, which a user's text may hold.
// Strings and comments take any byte through char_, which classifies nothing.
using x3::attr;
using x3::char_;
using x3::lexeme;
using x3::lit;
using x3::no_case;
using x3::raw;
using x3::ascii::alnum;
using x3::ascii::alpha;
using x3::ascii::digit;
using x3::ascii::lower;
using x3::ascii::space;
using x3::ascii::xdigit;

// Context tags: where the text starts (for offsets) and where issues go.
struct text_begin_tag;
struct issues_tag;

/// Sets every located node's offsets once its rule has matched.
struct annotate {
    template <typename It, typename T, typename Context>
    void on_success(It const& first, It const& last, T& node, Context const& ctx) const {
        if constexpr (std::is_base_of_v<ast::located, T>) {
            auto begin = x3::get<text_begin_tag>(ctx);
            node.begin = static_cast<std::uint32_t>(first - begin);
            node.end = static_cast<std::uint32_t>(last - begin);
        }
    }
};

/// Turns an expectation failure into a ParseIssue value; the first one is kept.
struct report_issue {
    template <typename It, typename Exception, typename Context>
    x3::error_handler_result on_error(It&, It const&, Exception const& x,
                                      Context const& ctx) const {
        std::vector<ParseIssue>& issues = x3::get<issues_tag>(ctx).get();
        if (issues.empty()) {
            auto begin = x3::get<text_begin_tag>(ctx);
            std::string what = x.which();
            issues.push_back({static_cast<std::size_t>(x.where() - begin), 1, "expected " + what});
        }
        return x3::error_handler_result::fail;
    }
};

// ---- symbol tables and lexical pieces -------------------------------------------------

struct reserved_words : x3::symbols<> {
    reserved_words() {
        for (const char* w :
             {"true",     "false",   "null",      "in",       "as",  "break",  "const",
              "continue", "else",    "for",       "function", "if",  "import", "let",
              "loop",     "package", "namespace", "return",   "var", "void",   "while"})
            add(w);
    }
} const reserved;

auto const ident_char = alnum | char_('_');
auto const keyword = [](const char* w) { return lexeme[lit(w) >> !ident_char]; };

auto const skipper = space | lexeme["//" >> *(char_ - x3::eol)];

auto const digits = +digit;
auto const exponent = no_case['e'] >> -char_("+-") >> digits;
auto const number_token = lexeme[((lit("0") >> no_case['x'] >> +xdigit >> -no_case['u']) |
                                  (*digit >> '.' >> digits >> -exponent) | (digits >> exponent) |
                                  (digits >> -no_case['u'])) >>
                                 !ident_char];

// Closing quotes are named rules so that "expected" messages read well.
x3::rule<struct close_dq_class> const close_dq = "closing quote (\")";
x3::rule<struct close_sq_class> const close_sq = "closing quote (')";
x3::rule<struct close_tdq_class> const close_tdq = "closing quotes (\"\"\")";
x3::rule<struct close_tsq_class> const close_tsq = "closing quotes (''')";
auto const close_dq_def = lit('"');
auto const close_sq_def = lit('\'');
auto const close_tdq_def = lit("\"\"\"");
auto const close_tsq_def = lit("'''");
BOOST_SPIRIT_DEFINE(close_dq, close_sq, close_tdq, close_tsq)

auto const escaped = lit('\\') >> char_;
auto const triple_dq = lit("\"\"\"") >> *(escaped | (char_ - lit("\"\"\""))) > close_tdq;
auto const triple_sq = lit("'''") >> *(escaped | (char_ - lit("'''"))) > close_tsq;
auto const double_q = lit('"') >> *(escaped | (char_ - '"' - x3::eol)) > close_dq;
auto const single_q = lit('\'') >> *(escaped | (char_ - '\'' - x3::eol)) > close_sq;
auto const raw_triple_dq = lit("\"\"\"") >> *(char_ - lit("\"\"\"")) > close_tdq;
auto const raw_triple_sq = lit("'''") >> *(char_ - lit("'''")) > close_tsq;
auto const raw_double_q = lit('"') >> *(char_ - '"' - x3::eol) > close_dq;
auto const raw_single_q = lit('\'') >> *(char_ - '\'' - x3::eol) > close_sq;
auto const string_token =
    lexeme[(no_case[lit("rb") | lit("br") | lit("r")] >>
            (raw_triple_dq | raw_triple_sq | raw_double_q | raw_single_q)) |
           (-no_case[lit('b')] >> (triple_dq | triple_sq | double_q | single_q))];

// ---- rules ----------------------------------------------------------------------------

struct expression_class : annotate, report_issue {};
struct ternary_class {};
struct or_class : annotate {};
struct and_class : annotate {};
struct rel_class : annotate {};
struct add_class : annotate {};
struct mul_class : annotate {};
struct or_operation_class : annotate {};
struct and_operation_class : annotate {};
struct rel_operation_class : annotate {};
struct add_operation_class : annotate {};
struct mul_operation_class : annotate {};
struct unary_class : annotate {};
struct member_class : annotate {};
struct primary_class : annotate {};
struct literal_class : annotate {};
struct ident_or_call_class : annotate {};
struct identifier_class {};
struct select_class : annotate {};
struct index_class : annotate {};
struct args_class {};
struct list_class : annotate {};
struct map_class : annotate {};
struct map_entry_class : annotate {};
struct word_class : annotate {};
struct relation_name_class : annotate {};
struct date_class : annotate {};
struct relation_class : annotate, report_issue {};

x3::rule<expression_class, ast::expression> const expression = "expression";
x3::rule<ternary_class, ast::ternary_tail> const ternary = "conditional";
x3::rule<or_class, ast::binary> const or_expr = "expression";
x3::rule<and_class, ast::binary> const and_expr = "expression";
x3::rule<rel_class, ast::binary> const rel_expr = "expression";
x3::rule<add_class, ast::binary> const add_expr = "expression";
x3::rule<mul_class, ast::binary> const mul_expr = "expression";
x3::rule<or_operation_class, ast::operation> const or_operation = "operand";
x3::rule<and_operation_class, ast::operation> const and_operation = "operand";
x3::rule<rel_operation_class, ast::operation> const rel_operation = "operand";
x3::rule<add_operation_class, ast::operation> const add_operation = "operand";
x3::rule<mul_operation_class, ast::operation> const mul_operation = "operand";
x3::rule<unary_class, ast::unary> const unary = "operand";
x3::rule<member_class, ast::member> const member = "operand";
x3::rule<primary_class, ast::primary> const primary = "operand";
x3::rule<literal_class, ast::literal> const literal = "literal";
x3::rule<ident_or_call_class, ast::ident_or_call> const ident_or_call = "identifier";
x3::rule<identifier_class, std::string> const identifier = "identifier";
x3::rule<struct field_name_class, std::string> const field_name = "field name";
x3::rule<struct close_backtick_class> const close_backtick = "closing backtick (`)";
x3::rule<select_class, ast::select_op> const select = "field";
x3::rule<index_class, ast::index_op> const index = "index";
x3::rule<args_class, std::vector<ast::expression>> const args = "arguments";
x3::rule<list_class, ast::list_lit> const list = "list";
x3::rule<map_class, ast::map_lit> const map = "map";
x3::rule<map_entry_class, ast::map_entry> const map_entry = "map entry";

auto const rel_op = x3::string("<=") | x3::string(">=") | x3::string("==") | x3::string("!=") |
                    x3::string("<") | x3::string(">") | lexeme[x3::string("in") >> !ident_char];
auto const add_op = x3::string("+") | x3::string("-");
auto const mul_op = x3::string("*") | x3::string("/") | x3::string("%");

auto const expression_def = or_expr >> -ternary;
auto const ternary_def = lit('?') > or_expr > ':' > expression;
auto const or_expr_def = and_expr >> *or_operation;
auto const or_operation_def = x3::string("||") > and_expr;
auto const and_expr_def = rel_expr >> *and_operation;
auto const and_operation_def = x3::string("&&") > rel_expr;
auto const rel_expr_def = add_expr >> *rel_operation;
auto const rel_operation_def = rel_op > add_expr;
auto const add_expr_def = mul_expr >> *add_operation;
auto const add_operation_def = add_op > mul_expr;
auto const mul_expr_def = unary >> *mul_operation;
auto const mul_operation_def = mul_op > unary;
auto const unary_def = lexeme[*(char_('!') | char_('-'))] >> member;
auto const member_def = primary >> *(select | index);
auto const select_def = lit('.') > field_name > -(lit('(') > args > ')');
// After a dot any word but the literal keywords is a field, reserved or not (`m.as`), and a
// backtick-quoted one may hold any character but the backtick (`m.`foo.txt``).
auto const close_backtick_def = lit('`');
auto const literal_word = lexeme[(lit("true") | "false" | "null" | "in") >> !ident_char];
auto const field_name_def = (!literal_word >> lexeme[(alpha | char_('_')) >> *ident_char]) |
                            lexeme[lit('`') >> +(char_ - '`' - x3::eol) > close_backtick];
auto const index_def = char_('[') > expression > ']';
auto const args_def = -(expression % ',');
auto const primary_def = literal | list | map | ident_or_call | (lit('(') > expression > ')');
auto const literal_def = (attr('n') >> raw[number_token]) | (attr('s') >> raw[string_token]) |
                         (attr('t') >> raw[keyword("true")]) |
                         (attr('f') >> raw[keyword("false")]) | (attr('z') >> raw[keyword("null")]);
auto const identifier_def =
    !lexeme[reserved >> !ident_char] >> lexeme[(alpha | char_('_')) >> *ident_char];
auto const ident_or_call_def = x3::matches[lit('.')] >> identifier >> -(lit('(') > args > ')');
auto const list_def = char_('[') > -(expression % ',') > -lit(',') > ']';
auto const map_def = char_('{') > -(map_entry % ',') > -lit(',') > '}';
auto const map_entry_def = expression > ':' > expression;

BOOST_SPIRIT_DEFINE(expression, ternary, or_expr, and_expr, rel_expr, add_expr, mul_expr,
                    or_operation, and_operation, rel_operation, add_operation, mul_operation, unary,
                    member, primary, literal, identifier, ident_or_call, select, index, args, list,
                    map, map_entry, field_name, close_backtick)

// ---- relation statements --------------------------------------------------------------

x3::rule<word_class, ast::word> const word = "country or bloc";
x3::rule<relation_name_class, ast::word> const relation_name = "relation name";
x3::rule<date_class, ast::word> const date = "date (YYYY-MM-DD)";
x3::rule<struct words_class, std::vector<ast::word>> const words = "country or bloc";
x3::rule<relation_class, ast::relation_stmt> const relation = "relation statement";

auto const word_def =
    !(keyword("via") | keyword("since") | keyword("until")) >> raw[lexeme[+(alnum | char_("_+-"))]];
auto const relation_name_def = raw[lexeme[lower >> *(lower | digit | char_('_'))]];
auto const date_def = raw[lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >>
                                 x3::repeat(2)[digit] >> !ident_char]];
// Optional tails cannot fail, so `>` before them only keeps the "expected" text readable.
auto const words_def = word % ',';
auto const relation_def = word > relation_name > words > -(keyword("via") > words) >
                          -(keyword("since") > date) > -(keyword("until") > date);

BOOST_SPIRIT_DEFINE(word, words, relation_name, date, relation)

}  // namespace sanx::dsl::grammar
