// An input's text as the readers take it (InputText): decoded to UTF-8, without a byte order
// mark, with the bytes that are not UTF-8 replaced and claimed by the records that hold them.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <memory>

#include <iconv.h>
#include <simdjson.h>

#include "io/entity_view.hpp"
#include "io/input.hpp"
#include "source/utf8.hpp"

namespace sanx::detail {

using reading::located;

namespace {

bool names_utf8(const std::string& encoding) {
    std::string plain;
    for (char c : encoding)
        if (c != '-' && c != '_')
            plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return plain.empty() || plain == "utf8";
}

/// `text` from `encoding` to UTF-8 with glibc's iconv; false when iconv does not know the
/// encoding. A byte the encoding has no character for is kept as it is, so that it stays
/// invalid UTF-8 and rejects the record holding it.
bool to_utf8(std::string_view text, const std::string& encoding, std::string& out) {
    iconv_t cd = iconv_open("UTF-8", encoding.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
    out.clear();
    out.reserve(text.size() * 2);
    char* in = const_cast<char*>(text.data());  // iconv's signature; it only reads
    std::size_t in_left = text.size();
    char buf[16384];
    while (true) {
        char* o = buf;
        std::size_t o_left = sizeof buf;
        std::size_t r = in_left > 0 ? iconv(cd, &in, &in_left, &o, &o_left)
                                    : iconv(cd, nullptr, nullptr, &o, &o_left);  // flush
        out.append(buf, static_cast<std::size_t>(o - buf));
        if (r != static_cast<std::size_t>(-1)) {
            if (in_left == 0 && o == buf) break;
            continue;
        }
        if (errno == E2BIG) continue;
        // EILSEQ, or EINVAL for a sequence cut off at the end: keep the byte and go on.
        out += *in++;
        --in_left;
    }
    return true;
}

std::string hex_byte(char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(c));
    return buf;
}

}  // namespace

InputText::InputText(source::SourcePtr src, std::string encoding, std::vector<std::size_t> invalid,
                     std::string invalid_bytes)
    : src_(std::move(src)),
      encoding_(std::move(encoding)),
      invalid_(std::move(invalid)),
      invalid_bytes_(std::move(invalid_bytes)),
      claimed_(invalid_.size(), 0) {}

std::string InputText::describe(std::size_t index) const {
    const std::string byte = "byte " + hex_byte(invalid_bytes_[index]);
    return encoding_.empty() ? byte + " is not valid UTF-8"
                             : byte + " is not a character in " + encoding_;
}

Diagnostic InputText::diagnostic(std::size_t index, std::string message) const {
    std::vector<std::string> hints;
    if (encoding_.empty())
        hints.push_back(
            "sanx reads UTF-8; for a file in another encoding say which, e.g. "
            "--encoding cp1251 for Windows Cyrillic");
    return {Severity::error, "encoding", std::move(message), located(*src_, invalid_[index]),
            std::move(hints)};
}

std::optional<Diagnostic> InputText::claim(std::size_t begin, std::size_t end, std::string& why) {
    auto first = std::lower_bound(invalid_.begin(), invalid_.end(), begin);
    auto last = std::lower_bound(first, invalid_.end(), end);
    if (first == last) return std::nullopt;
    const auto index = static_cast<std::size_t>(first - invalid_.begin());
    for (auto i = index; i < static_cast<std::size_t>(last - invalid_.begin()); ++i)
        claimed_[i] = 1;
    Location at = src_->locate(invalid_[index]);
    why = describe(index) + " (line " + std::to_string(at.line) + ", column " +
          std::to_string(at.column) + ")";
    return diagnostic(index, describe(index) + "; record not evaluated");
}

void InputText::report_unclaimed(std::vector<Diagnostic>& diags) const {
    auto first = std::find(claimed_.begin(), claimed_.end(), 0);
    if (first == claimed_.end()) return;
    const auto count = static_cast<std::size_t>(std::count(first, claimed_.end(), 0));
    const auto index = static_cast<std::size_t>(first - claimed_.begin());
    diags.push_back(
        diagnostic(index, describe(index) + (count > 1 ? " (and " + std::to_string(count - 1) +
                                                             " more such bytes outside any record)"
                                                       : " (outside any record)")));
}

InputText prepare_input(const source::SourcePtr& raw, const std::string& encoding,
                        std::vector<Diagnostic>& diags) {
    std::string_view text = raw->text();
    const bool decode = !names_utf8(encoding);
    std::string decoded;
    if (decode) {
        const bool ascii = std::all_of(text.begin(), text.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (!ascii && simdjson::validate_utf8(text.data(), text.size()))
            diags.push_back({Severity::warning,
                             "encoding",
                             "the file is valid UTF-8, yet it is read as " + encoding +
                                 " as asked: its non-ASCII text may come out garbled",
                             Location{raw->name(), 0, 0, 1, {}},
                             {}});
        if (!to_utf8(text, encoding, decoded)) {
            diags.push_back({Severity::error,
                             "encoding",
                             "unknown encoding '" + encoding + "'; the file was not read",
                             Location{raw->name(), 0, 0, 1, {}},
                             {"an iconv name, e.g. cp1251, koi8-r, iso-8859-5 or utf-16"}});
            return {};
        }
        text = decoded;
    }
    const bool bom = text.substr(0, 3) == "\xEF\xBB\xBF";
    if (bom) text.remove_prefix(3);
    std::vector<std::size_t> invalid;
    std::string bytes;
    if (!simdjson::validate_utf8(text.data(), text.size()))
        for (auto at = source::first_invalid_utf8(text); at != std::string_view::npos;
             at = source::first_invalid_utf8(text, at + 1)) {
            invalid.push_back(at);
            bytes += text[at];
        }
    if (!decode && !bom && invalid.empty()) return InputText(raw, {}, {}, {});
    std::string clean(text);
    for (auto at : invalid) clean[at] = '?';
    return InputText(std::make_shared<const source::Source>(raw->name(), std::move(clean)),
                     decode ? encoding : std::string(), std::move(invalid), std::move(bytes));
}

}  // namespace sanx::detail
