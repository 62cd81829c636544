// The only translation unit that instantiates the Spirit grammar.

#include <cctype>
#include <cstring>

#include "dsl/grammar_def.hpp"

namespace sanx::dsl {

namespace {

using Iterator = std::string_view::const_iterator;

/// Bracket nesting outside string literals and comments, so that pathological input is
/// refused before the recursive-descent parser could exhaust the stack. It lexes strings the
/// way the grammar does (raw prefixes, triple quotes, backtick fields), so no bracket the
/// parser would recurse on can hide inside what looks like a string here. `?`, `!` and `-`
/// also recurse in the grammar; they are counted without ever being closed.
std::size_t nesting_offender(std::string_view text, std::size_t max_depth) {
    auto ident_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    };
    std::size_t depth = 0, prefix_ops = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n') ++i;
            continue;
        }
        if (c == '`') {
            while (++i < text.size() && text[i] != '`' && text[i] != '\n') {
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            // A raw prefix is r/R (with b/B) right before the quote, not the end of a name.
            std::size_t p = i;
            while (p > 0 && i - p < 2 && text[p - 1] != '\0' && std::strchr("rRbB", text[p - 1]))
                --p;
            bool raw = false;
            if (p < i && (p == 0 || !ident_char(text[p - 1])))
                for (std::size_t k = p; k < i; ++k) raw = raw || text[k] == 'r' || text[k] == 'R';
            bool triple = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
            i += triple ? 3 : 1;
            for (; i < text.size(); ++i) {
                if (!raw && text[i] == '\\') {
                    ++i;
                    continue;
                }
                if (!triple && (text[i] == c || text[i] == '\n')) break;
                if (triple && text[i] == c && i + 2 < text.size() && text[i + 1] == c &&
                    text[i + 2] == c) {
                    i += 2;
                    break;
                }
            }
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (++depth > max_depth) return i;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if ((c == '!' || c == '-' || c == '?') && ++prefix_ops > max_depth * 4) {
            return i;
        }
    }
    return std::string_view::npos;
}

template <typename Parser, typename Tree>
std::vector<ParseIssue> run(std::string_view text, Parser const& parser, Tree& tree,
                            const char* what_follows) {
    namespace x3 = boost::spirit::x3;
    std::vector<ParseIssue> issues;
    Iterator first = text.begin();
    Iterator const last = text.end();
    auto const p = x3::with<grammar::text_begin_tag>(
        text.begin())[x3::with<grammar::issues_tag>(std::ref(issues))[parser]];
    bool ok = false;
    try {
        ok = x3::phrase_parse(first, last, p, grammar::skipper, tree);
    } catch (x3::expectation_failure<Iterator> const& x) {
        // Raised by a token-level expectation outside any rule with an error handler.
        if (issues.empty())
            issues.push_back(
                {static_cast<std::size_t>(x.where() - text.begin()), 1, "expected " + x.which()});
    }
    if (!issues.empty()) return issues;
    std::size_t at = static_cast<std::size_t>(first - text.begin());
    if (!ok) {
        issues.push_back({at, 1, std::string("expected ") + what_follows});
    } else if (first != last) {
        std::size_t len = 1;
        while (at + len < text.size() && !std::isspace(static_cast<unsigned char>(text[at + len])))
            ++len;
        issues.push_back({at, len,
                          "unexpected '" + std::string(text.substr(at, len)) +
                              "'; expected an operator or the end"});
    }
    return issues;
}

}  // namespace

ExpressionParse parse_expression(std::string_view text, std::size_t max_depth) {
    ExpressionParse out;
    if (auto at = nesting_offender(text, max_depth); at != std::string_view::npos) {
        out.issues.push_back(
            {at, 1, "expression nests deeper than " + std::to_string(max_depth) + " levels"});
        return out;
    }
    out.issues = run(text, grammar::expression, out.tree, "an expression");
    return out;
}

RelationParse parse_relation(std::string_view text) {
    RelationParse out;
    out.issues = run(text, grammar::relation, out.tree, "a relation statement");
    return out;
}

}  // namespace sanx::dsl
