// The only translation unit that instantiates the Spirit grammar.

#include <cctype>
#include <cstdio>
#include <cstring>
#include <optional>

#include "dsl/grammar_def.hpp"
#include "source/utf8.hpp"

namespace sanx::dsl {

namespace {

using Iterator = std::string_view::const_iterator;

/// What a non-ASCII character outside a string is, in words a user can act on.
std::string stray_character(std::string_view text, std::size_t at, std::size_t len, char32_t cp) {
    const std::string code = source::code_point_name(cp);
    if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
        cp == 0x205F || cp == 0x3000 || cp == 0xFEFF)
        return "unexpected no-break or other Unicode space (" + code + "); use a plain space";
    const std::string shown(text.substr(at, len));
    if ((cp >= 0x2018 && cp <= 0x201F) || cp == 0xAB || cp == 0xBB)
        return "unexpected typographic quote '" + shown + "' (" + code +
               "); strings take the ASCII quotes \" or '";
    const char* script = cp >= 0x400 && cp <= 0x52F   ? ", a Cyrillic letter"
                         : cp >= 0x370 && cp <= 0x3FF ? ", a Greek letter"
                                                      : "";
    return "unexpected character '" + shown + "' (" + code + script +
           "); names and operators are ASCII, only strings may hold other characters";
}

/// The first problem found before the grammar runs, so that the recursive-descent parser
/// meets neither nesting that could exhaust the stack nor a byte it cannot classify:
/// invalid UTF-8 anywhere; outside strings, comments and backtick fields, a non-ASCII
/// character, or bracket nesting deeper than `max_depth` (0: no limit). It lexes strings the
/// way the grammar does (raw prefixes, triple quotes, backtick fields), so no bracket the
/// parser would recurse on can hide inside what looks like a string here. `?`, `!` and `-`
/// also recurse in the grammar; they are counted without ever being closed.
std::optional<ParseIssue> lexical_issue(std::string_view text, std::size_t max_depth) {
    if (auto bad = source::first_invalid_utf8(text); bad != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
        return ParseIssue{bad, 1, std::string("byte ") + hex + " is not valid UTF-8"};
    }
    const auto too_deep = [&](std::size_t at) {
        return ParseIssue{at, 1,
                          "expression nests deeper than " + std::to_string(max_depth) + " levels"};
    };
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
            const std::size_t open = i;
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
            // Reported where the string opens: the end of the line says nothing useful.
            const std::string q(triple ? 3 : 1, c);
            if (i >= text.size() || (!triple && text[i] == '\n'))
                return ParseIssue{open, q.size(),
                                  "this string is not closed: no " + q + " after it" +
                                      (triple ? "" : " on its line")};
            continue;
        }
        if (static_cast<unsigned char>(c) >= 0x80) {
            char32_t cp = 0;
            std::size_t len = source::utf8_sequence(text, i, cp);  // valid: checked above
            return ParseIssue{i, len, stray_character(text, i, len, cp)};
        }
        if (max_depth == 0) continue;
        if (c == '(' || c == '[' || c == '{') {
            if (++depth > max_depth) return too_deep(i);
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if ((c == '!' || c == '-' || c == '?') && ++prefix_ops > max_depth * 4) {
            return too_deep(i);
        }
    }
    return std::nullopt;
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
    if (auto issue = lexical_issue(text, max_depth)) {
        out.issues.push_back(std::move(*issue));
        return out;
    }
    out.issues = run(text, grammar::expression, out.tree, "an expression");
    return out;
}

RelationParse parse_relation(std::string_view text) {
    RelationParse out;
    if (auto issue = lexical_issue(text, 0)) {
        out.issues.push_back(std::move(*issue));
        return out;
    }
    out.issues = run(text, grammar::relation, out.tree, "a relation statement");
    return out;
}

}  // namespace sanx::dsl
