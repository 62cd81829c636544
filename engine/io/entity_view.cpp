#include "io/entity_view.hpp"

#include <cmath>

#include "source/utf8.hpp"

namespace sanx::detail::reading {

std::optional<double> decimal(std::string_view s) {
    std::size_t i = s.substr(0, 1) == "-" ? 1 : 0;
    auto digits = [&] {
        std::size_t from = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i - from;
    };
    std::size_t whole = digits();
    std::size_t fraction = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        fraction = digits();
    }
    if (whole + fraction == 0) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (digits() == 0) return std::nullopt;
    }
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (i != s.size() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(d))
        return std::nullopt;
    return d;
}

Location located(const source::Source& src, std::size_t offset, std::size_t length) {
    Location loc = src.locate(offset, length);
    constexpr std::size_t width = 160;
    if (loc.source_line.size() <= width) return loc;
    std::string_view line = loc.source_line;
    std::size_t from = 0;
    if (static_cast<std::size_t>(loc.column) > width - 40) {
        from = static_cast<std::size_t>(loc.column) - 1 - (width / 2);
        while (from > 0 && (static_cast<unsigned char>(line[from]) & 0xC0u) == 0x80u) --from;
    }
    std::string cut(source::utf8_prefix(line.substr(from), width - 6));
    std::string head = from > 0 ? "..." : "";
    loc.column = static_cast<int>(static_cast<std::size_t>(loc.column) - from + head.size());
    loc.source_line = head + cut + "...";
    return loc;
}

Record error_record(const source::Source& src, std::size_t at, int line, std::string id,
                    std::string why, std::vector<Diagnostic>& diags) {
    Record rec;
    rec.file = src.name();
    rec.line = line;
    rec.id = std::move(id);
    rec.rejected = why;
    diags.push_back(
        {Severity::error, "rejected", why + "; record not evaluated", located(src, at), {}});
    return rec;
}

}  // namespace sanx::detail::reading
