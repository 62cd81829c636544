#pragma once

// Names as the screener compares them (docs/screening.md): Unicode-normalised, in Latin
// letters, split into tokens, legal forms reduced to one token per form whatever the
// language.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sanx::matching {

/// What part of a name a token is; legal forms and particles weigh little.
enum class TokenKind : std::uint8_t { word, legal, particle };

struct Token {
    std::string text;  ///< as normalised: `aleksandr`, `~llp`
    std::string key;   ///< folded for comparison: transliteration variants made one
    TokenKind kind = TokenKind::word;
};

struct Normalized {
    std::vector<Token> tokens;
    /// What the normaliser could not do, said in words (a script it does not transliterate,
    /// bytes that are not UTF-8); empty when the name was read in full.
    std::vector<std::string> notes;
};

/// NFKC, case folded, accents removed, Cyrillic (Russian, Kazakh, Ukrainian letters)
/// transliterated to Latin, other scripts through ICU's Any-Latin where it knows them;
/// punctuation and quotes split tokens, apostrophes are dropped. Legal forms (LLP, ТОО,
/// ЖШС, LLC, ООО, JSC, АО, АҚ, PJSC, ПАО, …, and their long forms) become one token each
/// (`~llp`, `~llc`, `~jsc`, …). Never throws on bad input: invalid UTF-8 becomes a note.
/// Names longer than max_name_bytes are cut there, with a note.
Normalized normalize(std::string_view utf8);

inline constexpr std::size_t max_name_bytes = 1024;

/// The comparison form of one normalised token: `x`→`ks`, `kh`→`h`, `q`→`k`, `w`→`v`,
/// `ph`→`f`, `yo`→`e`, doubled letters single, `-iy`/`-yy`/`-ii`/`-ij` endings `-y`, `ye-`/`yo-`
/// at the start `e-`, `iu`/`ia` as `yu`/`ya`.
std::string fold(std::string_view token);

/// Jaro-Winkler similarity of two ASCII strings, 0-1.
double jaro_winkler(std::string_view a, std::string_view b);

/// The legal-form family of a `~form` token (`~llp` and `~llc` are both `limited`), so that
/// forms that differ only in kind still compare close.
std::string_view legal_family(std::string_view token);

}  // namespace sanx::matching
