#include "screen/normalize.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>

#include "source/utf8.hpp"

namespace sanx::matching {

namespace {

/// Longer tokens are cut: no name part is this long, and comparison is quadratic in it.
constexpr std::size_t max_token_bytes = 64;

/// Cyrillic lower-case letters U+0430-U+045F, then the Kazakh, Ukrainian and Belarusian
/// letters beyond, in the transliteration the OFAC and UN lists use (BGN/PCGN-like:
/// х kh, ц ts, щ shch, й y, ы y, ь and ъ dropped).
const char* cyrillic(char32_t c) {
    static const std::array<const char*, 32> basic = {
        "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};
    if (c >= 0x430 && c <= 0x44F) return basic[c - 0x430];
    switch (c) {
        case 0x451:
            return "e";  // ё
        case 0x454:
            return "ye";  // є
        case 0x456:
            return "i";  // і (Kazakh, Ukrainian)
        case 0x457:
            return "yi";  // ї
        case 0x45E:
            return "u";  // ў
        case 0x491:
            return "g";  // ґ
        case 0x4D9:
            return "a";  // ә
        case 0x493:
            return "g";  // ғ
        case 0x49B:
            return "k";  // қ
        case 0x4A3:
            return "n";  // ң
        case 0x4E9:
            return "o";  // ө
        case 0x4B1:
            return "u";  // ұ
        case 0x4AF:
            return "u";  // ү
        case 0x4BB:
            return "h";  // һ
        case 0x452:
            return "dj";  // ђ
        case 0x458:
            return "j";  // ј
        case 0x459:
            return "lj";  // љ
        case 0x45A:
            return "nj";  // њ
        case 0x45B:
            return "c";  // ћ
        case 0x45F:
            return "dz";  // џ
        case 0x453:
            return "g";  // ѓ
        case 0x45C:
            return "k";  // ќ
        case 0x455:
            return "dz";  // ѕ
        default:
            return nullptr;
    }
}

/// Latin letters that decompose to no ASCII letter.
const char* latin_special(char32_t c) {
    switch (c) {
        case 0xE6:
            return "ae";
        case 0xF8:
            return "o";
        case 0x111:
            return "d";
        case 0x142:
            return "l";
        case 0x131:
            return "i";
        case 0x153:
            return "oe";
        case 0xFE:
            return "th";
        case 0xF0:
            return "d";
        case 0x14B:
            return "n";
        case 0x127:
            return "h";
        case 0xDF:
            return "ss";
        default:
            return nullptr;
    }
}

bool is_apostrophe(char32_t c) {
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x60 || c == 0xB4 ||
           c == 0x02B9;
}

/// ICU's transliterator for the scripts beside Latin and Cyrillic. An instance is not safe
/// to share between threads: each thread clones its own.
icu::Transliterator* any_latin() {
    static std::once_flag once;
    static std::unique_ptr<icu::Transliterator> proto;
    std::call_once(once, [] {
        UErrorCode err = U_ZERO_ERROR;
        proto.reset(
            icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, err));
        if (U_FAILURE(err)) proto.reset();
    });
    if (!proto) return nullptr;
    thread_local std::unique_ptr<icu::Transliterator> mine(proto->clone());
    return mine.get();
}

void append_utf8(std::string& out, char32_t c) {
    icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
}

class Builder {
  public:
    explicit Builder(Normalized& out) : out_(out) {}

    void letters(std::string_view s) { current_ += s; }
    void letter(char c) { current_ += c; }
    void split() {
        if (current_.empty()) return;
        if (current_.size() > max_token_bytes) {
            current_ = std::string(source::utf8_prefix(current_, max_token_bytes));
            note("a name part longer than 64 bytes is compared by its first 64");
        }
        words_.push_back(std::move(current_));
        current_.clear();
    }
    void note(std::string text) {
        if (std::find(out_.notes.begin(), out_.notes.end(), text) == out_.notes.end())
            out_.notes.push_back(std::move(text));
    }
    std::vector<std::string> finish() {
        split();
        return std::move(words_);
    }

  private:
    Normalized& out_;
    std::string current_;
    std::vector<std::string> words_;
};

const icu::Normalizer2* nfd() {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(err);
    return U_SUCCESS(err) ? n : nullptr;
}

/// One code point of a Latin letter with its accents removed; false when none is left.
bool latin(char32_t c, Builder& b) {
    if (const char* s = latin_special(c)) {
        b.letters(s);
        return true;
    }
    static const icu::Normalizer2* decompose = nfd();
    icu::UnicodeString parts;
    bool any = false;
    if (decompose && decompose->getDecomposition(static_cast<UChar32>(c), parts)) {
        for (int32_t i = 0; i < parts.length(); ++i) {
            UChar p = parts.charAt(i);
            if (p < 0x80 && std::isalnum(p)) {
                b.letter(static_cast<char>(std::tolower(p)));
                any = true;
            }
        }
    }
    return any;
}

void run_other_script(const icu::UnicodeString& run, Builder& b);

/// Every code point of a case-folded NFKC string, into tokens.
void walk(const icu::UnicodeString& s, Builder& b, bool transliterated) {
    for (int32_t i = 0; i < s.length();) {
        const UChar32 c = s.char32At(i);
        i += U16_LENGTH(c);
        if (c < 0x80) {
            if (std::isalnum(c))
                b.letter(static_cast<char>(std::tolower(c)));
            else if (!is_apostrophe(static_cast<char32_t>(c)))
                b.split();
            continue;
        }
        if (is_apostrophe(static_cast<char32_t>(c))) continue;
        const int8_t type = u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
            type == U_COMBINING_SPACING_MARK)
            continue;
        if (u_isdigit(c)) {
            b.letter(static_cast<char>('0' + u_charDigitValue(c)));
            continue;
        }
        if (!u_isalpha(c)) {
            b.split();
            continue;
        }
        if (const char* t = cyrillic(static_cast<char32_t>(c))) {
            b.letters(t);
            continue;
        }
        UErrorCode err = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &err);
        if (script == USCRIPT_LATIN && latin(static_cast<char32_t>(c), b)) continue;
        if (!transliterated) {
            // A run of letters of one other script goes through ICU's Any-Latin at once, so
            // that it sees syllables and words, not single letters.
            int32_t end = i;
            while (end < s.length()) {
                const UChar32 d = s.char32At(end);
                UErrorCode e2 = U_ZERO_ERROR;
                if (!(u_isalpha(d) || u_charType(d) == U_NON_SPACING_MARK) ||
                    uscript_getScript(d, &e2) != script)
                    break;
                end += U16_LENGTH(d);
            }
            const int32_t begin = i - U16_LENGTH(c);
            run_other_script(s.tempSubStringBetween(begin, end), b);
            i = end;
            continue;
        }
        // A letter ICU could not put in Latin either: compared as written.
        std::string as_written;
        append_utf8(as_written, static_cast<char32_t>(c));
        b.letters(as_written);
    }
}

void run_other_script(const icu::UnicodeString& run, Builder& b) {
    icu::UnicodeString latin_text(run);
    if (icu::Transliterator* t = any_latin()) t->transliterate(latin_text);
    // What is still not Latin is kept as written and said to be.
    bool kept = false;
    icu::UnicodeString rest;
    for (int32_t i = 0; i < latin_text.length();) {
        const UChar32 c = latin_text.char32At(i);
        i += U16_LENGTH(c);
        UErrorCode err = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &err);
        if (u_isalpha(c) && script != USCRIPT_LATIN && script != USCRIPT_COMMON &&
            script != USCRIPT_INHERITED) {
            std::string s;
            append_utf8(s, static_cast<char32_t>(c));
            b.letters(s);
            if (!kept)
                b.note(std::string("letters in the ") + uscript_getName(script) +
                       " script are not transliterated: compared as written");
            kept = true;
            continue;
        }
        rest.append(c);
        walk(rest, b, true);
        rest.remove();
    }
}

/// Legal forms, as normalised words (`|` separates spellings of one word), and their token.
struct LegalForm {
    std::vector<std::string_view> words;
    std::string_view token;
};

const std::vector<LegalForm>& legal_forms() {
    static const std::vector<LegalForm> forms = [] {
        std::vector<LegalForm> f = {
            {{"limited", "liability", "partnership"}, "~llp"},
            {{"tovarishchestvo|tovarishestvo", "s", "ogranichennoy|ogranichennoi|ogranichennoj",
              "otvetstvennostyu|otvetstvennostiu|otvetstvennostju"},
             "~llp"},
            {{"zhauapkershiligi", "shekteuli", "seriktestik"}, "~llp"},
            {{"too|zhshs|llp"}, "~llp"},
            {{"limited", "liability", "company"}, "~llc"},
            {{"obshchestvo|obshestvo", "s", "ogranichennoy|ogranichennoi|ogranichennoj",
              "otvetstvennostyu|otvetstvennostiu|otvetstvennostju"},
             "~llc"},
            {{"tovarystvo", "z", "obmezhenoyu|obmezhenoiu|obmezhenoju",
              "vidpovidalnistyu|vidpovidalnistiu|vidpovidalnistju"},
             "~llc"},
            {{"ooo|llc|tov"}, "~llc"},
            {{"public|publichnoe|publichnoye|publichnoe", "joint|aktsionernoe|aktsionernoye",
              "stock|obshchestvo"},
             "~pjsc"},
            {{"public", "jointstock|jsc", "company"}, "~pjsc"},
            {{"public", "jsc"}, "~pjsc"},
            {{"publichne|publichnoe", "aktsionerne", "tovarystvo"}, "~pjsc"},
            {{"pao|pjsc|pat"}, "~pjsc"},
            {{"open", "joint", "stock"}, "~ojsc"},
            {{"otkrytoe|otkrytoye", "aktsionernoe|aktsionernoye", "obshchestvo"}, "~ojsc"},
            {{"oao|ojsc|vat"}, "~ojsc"},
            {{"closed", "joint", "stock"}, "~cjsc"},
            {{"zakrytoe|zakrytoye", "aktsionernoe|aktsionernoye", "obshchestvo"}, "~cjsc"},
            {{"zao|cjsc|zat"}, "~cjsc"},
            {{"private", "joint", "stock"}, "~jsc"},
            {{"joint", "stock"}, "~jsc"},
            {{"jointstock"}, "~jsc"},
            {{"aktsionernoe|aktsionernoye|akcionernoe", "obshchestvo|obshestvo"}, "~jsc"},
            {{"aktsionerlik", "kogam"}, "~jsc"},
            {{"pryvatne|aktsionerne", "aktsionerne|tovarystvo"}, "~jsc"},
            {{"ao|aq|ak|jsc|prat|prao"}, "~jsc"},
            {{"company|co", "limited|ltd"}, "~ltd"},
            {{"limited|ltd"}, "~ltd"},
            {{"incorporated|inc|corporation|corp"}, "~inc"},
            {{"company|co|kompaniya|kompaniia"}, "~co"},
            {{"plc"}, "~plc"},
            {{"gmbh"}, "~gmbh"},
            {{"ag"}, "~ag"},
            {{"sa"}, "~sa"},
            {{"srl|sarl"}, "~srl"},
            {{"bv"}, "~bv"},
            {{"nv"}, "~nv"},
            {{"fze|fzco|fzc|fzllc|fz"}, "~fze"},
            {{"pte"}, "~pte"},
            {{"kft"}, "~kft"},
        };
        std::stable_sort(f.begin(), f.end(), [](const LegalForm& a, const LegalForm& b) {
            return a.words.size() > b.words.size();
        });
        return f;
    }();
    return forms;
}

bool spelled(std::string_view spellings, std::string_view word) {
    while (!spellings.empty()) {
        auto bar = spellings.find('|');
        if (spellings.substr(0, bar) == word) return true;
        if (bar == std::string_view::npos) break;
        spellings.remove_prefix(bar + 1);
    }
    return false;
}

bool particle(std::string_view w) {
    static const std::array<std::string_view, 24> words = {
        "of", "the", "and", "for", "in", "i",  "v",   "na",  "po",  "de",  "del", "la",
        "le", "al",  "el",  "da",  "di", "du", "van", "von", "der", "bin", "ibn", "ul"};
    return std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

Normalized normalize(std::string_view utf8) {
    Normalized out;
    Builder b(out);
    std::string_view text = utf8;
    if (text.size() > max_name_bytes) {
        text = source::utf8_prefix(text, max_name_bytes);
        b.note("the name is longer than 1024 bytes: compared by its first 1024");
    }
    std::string repaired;
    if (!source::valid_utf8(text)) {
        repaired = source::printable_utf8(text);
        text = repaired;
        b.note("the name has bytes that are not UTF-8: they are left out");
    }
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        for (char c : text) {
            if (std::isalnum(static_cast<unsigned char>(c)))
                b.letter(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
            else if (c != '\'' && c != '`')
                b.split();
        }
    } else {
        UErrorCode err = U_ZERO_ERROR;
        const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
        icu::UnicodeString s = icu::UnicodeString::fromUTF8(
            icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
        if (U_SUCCESS(err) && nfkc_cf) {
            icu::UnicodeString folded = nfkc_cf->normalize(s, err);
            if (U_SUCCESS(err)) s = std::move(folded);
        }
        walk(s, b, false);
    }
    std::vector<std::string> words = b.finish();

    const auto& forms = legal_forms();
    for (std::size_t i = 0; i < words.size();) {
        const LegalForm* hit = nullptr;
        for (const auto& f : forms) {
            if (i + f.words.size() > words.size()) continue;
            bool all = true;
            for (std::size_t k = 0; k < f.words.size() && all; ++k)
                all = spelled(f.words[k], words[i + k]);
            if (all) {
                hit = &f;
                break;
            }
        }
        if (hit) {
            out.tokens.push_back(
                {std::string(hit->token), std::string(hit->token), TokenKind::legal});
            i += hit->words.size();
            continue;
        }
        // The long legal words, misspelt (COMAPNY, LIMTED), are still legal forms.
        static const std::array<std::pair<std::string_view, std::string_view>, 4> long_forms = {
            {{"company", "~co"},
             {"limited", "~ltd"},
             {"corporation", "~inc"},
             {"partnership", "~llp"}}};
        const std::string& w = words[i];
        if (w.size() >= 6 && w.size() <= 12) {
            auto lf = std::find_if(long_forms.begin(), long_forms.end(), [&](const auto& f) {
                return f.first[0] == w[0] && jaro_winkler(w, f.first) >= 0.92;
            });
            if (lf != long_forms.end()) {
                out.tokens.push_back(
                    {std::string(lf->second), std::string(lf->second), TokenKind::legal});
                ++i;
                continue;
            }
        }
        Token t{w, fold(w), particle(w) ? TokenKind::particle : TokenKind::word};
        out.tokens.push_back(std::move(t));
        ++i;
    }
    return out;
}

std::string fold(std::string_view token) {
    auto vowel = [](char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    };
    std::string s;
    s.reserve(token.size() + 4);
    for (std::size_t i = 0; i < token.size(); ++i) {
        const char c = token[i];
        const char next = i + 1 < token.size() ? token[i + 1] : '\0';
        const char prev = s.empty() ? '\0' : s.back();
        if (c == 'x') {
            s += "ks";
        } else if (c == 'k' && next == 'h') {
            s += 'h';
            ++i;
        } else if (c == 'p' && next == 'h') {
            s += 'f';
            ++i;
        } else if (c == 'c' && next == 'k') {
            s += 'k';
            ++i;
        } else if (c == 'q') {
            s += 'k';
        } else if (c == 'w') {
            s += 'v';
        } else if (c == 'j' && !vowel(next)) {
            s += 'y';
        } else if (c == 'y' && next == 'e' && (prev == '\0' || vowel(prev))) {
            // Yelena / Elena, Dostoyevsky / Dostoevsky
        } else if (c == 'y' && next == 'o') {
            s += 'e';  // ё as yo or e: Pyotr / Petr, Fyodor / Fedor
            ++i;
        } else if (c == 'i' && (next == 'u' || next == 'a') && i > 0) {
            s += 'y';  // Ilia / Ilya, Iuriy / Yuriy inside a word
        } else if (c == 'o' && next == 'u') {
            s += 'u';
            ++i;
        } else {
            s += c;
        }
    }
    // -iy, -yy, -ii, -ij endings: Dmitriy / Dmitry / Dmitrii.
    if (s.size() > 3) {
        std::string_view end(s.data() + s.size() - 2, 2);
        if (end == "iy" || end == "yy" || end == "ii" || end == "yi")
            s.replace(s.size() - 2, 2, "y");
    }
    // Doubled letters once: Tallinn / Talin, Alla / Ala.
    std::string out;
    out.reserve(s.size());
    for (char c : s)
        if (out.empty() || out.back() != c || std::isdigit(static_cast<unsigned char>(c))) out += c;
    return out;
}

double jaro_winkler(std::string_view a, std::string_view b) {
    if (a == b) return 1.0;
    if (a.empty() || b.empty()) return 0.0;
    const std::size_t la = a.size(), lb = b.size();
    const std::size_t window = std::max<std::size_t>(std::max(la, lb) / 2, 1) - 1;
    std::array<bool, 128> ma{}, mb{};
    if (la > ma.size() || lb > mb.size()) return 0.0;
    std::size_t matches = 0;
    for (std::size_t i = 0; i < la; ++i) {
        const std::size_t lo = i > window ? i - window : 0;
        const std::size_t hi = std::min(i + window + 1, lb);
        for (std::size_t j = lo; j < hi; ++j)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                ++matches;
                break;
            }
    }
    if (!matches) return 0.0;
    std::size_t t = 0;
    for (std::size_t i = 0, j = 0; i < la; ++i) {
        if (!ma[i]) continue;
        while (!mb[j]) ++j;
        if (a[i] != b[j]) ++t;
        ++j;
    }
    const double m = static_cast<double>(matches);
    const double jaro = (m / static_cast<double>(la) + m / static_cast<double>(lb) +
                         (m - static_cast<double>(t) / 2) / m) /
                        3;
    std::size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
    return jaro + static_cast<double>(prefix) * 0.1 * (1 - jaro);
}

std::string_view legal_family(std::string_view token) {
    static const std::array<std::string_view, 9> limited = {"~llp", "~llc", "~ltd", "~gmbh", "~srl",
                                                            "~kft", "~pte", "~fze", "~bv"};
    if (std::find(limited.begin(), limited.end(), token) != limited.end()) return "limited";
    static const std::array<std::string_view, 9> stock = {"~jsc", "~pjsc", "~ojsc", "~cjsc", "~ag",
                                                          "~sa",  "~nv",   "~plc",  "~inc"};
    if (std::find(stock.begin(), stock.end(), token) != stock.end()) return "stock";
    return token;
}

}  // namespace sanx::matching
