#include "import/text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "common/value.hpp"

namespace sanx::import::detail {

namespace {
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool starts_with_icase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != lower(prefix[i])) return false;
    return true;
}

std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep) {
    std::vector<std::string> out;
    while (true) {
        auto p = s.find(sep);
        auto part = trim(s.substr(0, p));
        if (!part.empty()) out.emplace_back(part);
        if (p == std::string_view::npos) break;
        s.remove_prefix(p + sep.size());
    }
    return out;
}

bool valid_iso_date(std::string_view s) {
    eval::Date d;
    return eval::parse_date(s, d);  // the one date parser (2025-02-30 is not a date)
}

std::string iso_date(std::string_view s) {
    s = trim(s);
    if (s.size() >= 10 && valid_iso_date(s.substr(0, 10)) &&
        (s.size() == 10 || s[10] == 'T' || s[10] == ' ' || s[10] == 'Z' || s[10] == '+' ||
         s[10] == '-'))  // a time, or an xs:date time zone ("2015-04-07-04:00")
        return std::string(s.substr(0, 10));
    static constexpr std::array<std::string_view, 12> months{
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    int d = 0, y = 0;
    char mon[4] = {};
    int used = 0;
    std::string text(s);
    if (std::sscanf(text.c_str(), "%2d %3s %4d%n", &d, mon, &y, &used) == 3 &&
        static_cast<std::size_t>(used) == text.size()) {
        std::string m3{lower(mon[0]), lower(mon[1]), lower(mon[2])};
        auto it = std::find(months.begin(), months.end(), m3);
        if (it == months.end()) return {};
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y,
                      static_cast<int>(it - months.begin()) + 1, d);
        return valid_iso_date(buf) ? std::string(buf) : std::string();
    }
    int m = 0;
    if (std::sscanf(text.c_str(), "%2d.%2d.%4d%n", &d, &m, &y, &used) == 3 &&
        static_cast<std::size_t>(used) == text.size()) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return valid_iso_date(buf) ? std::string(buf) : std::string();
    }
    return {};
}

void add_unique(std::vector<std::string>& out, std::string v) {
    if (v.empty() || std::find(out.begin(), out.end(), v) != out.end()) return;
    out.push_back(std::move(v));
}

}  // namespace sanx::import::detail
