// `sanx fmt` on pack text: every pack lint accepts is formatted, comments stay on their
// line, and a second run changes nothing.

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include <sanx/tools.hpp>

#include "golden.hpp"

namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size())
        ++n;
    return n;
}

bool has_error(const sanx::tools::FormatResult& r) {
    for (const auto& d : r.diagnostics)
        if (d.severity == sanx::Severity::error) return true;
    return false;
}

/// The pack with every `when: >-` block scalar written the way a new user writes it: one
/// long single-quoted line with a comment after it.
std::string one_line_whens(const std::string& pack) {
    std::istringstream in(pack);
    std::ostringstream out;
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    // A line `INDENT[- ]when: >-`; `prefix` is what comes before `when`.
    auto header = [](const std::string& l, std::string& prefix) {
        std::string t = l.substr(0, l.find_last_not_of(" \t") + 1);
        if (!t.ends_with("when: >-")) return false;
        prefix = t.substr(0, t.size() - std::string("when: >-").size());
        std::string rest = prefix.substr(prefix.find_first_not_of(' ') == std::string::npos
                                             ? prefix.size()
                                             : prefix.find_first_not_of(' '));
        return rest.empty() || rest == "- ";
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string prefix;
        if (!header(lines[i], prefix)) {
            out << lines[i] << "\n";
            continue;
        }
        const std::size_t key_indent = prefix.size();
        std::string expr;
        std::size_t k = i + 1;
        for (; k < lines.size(); ++k) {
            const std::string& l = lines[k];
            std::size_t first = l.find_first_not_of(' ');
            if (first == std::string::npos || first <= key_indent) break;
            expr += (expr.empty() ? "" : " ") + l.substr(first);
        }
        std::string quoted;
        for (char c : expr) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        out << prefix << "when: '" << quoted << "'  # written on one line\n";
        i = k - 1;
    }
    return out.str();
}

}  // namespace

TEST_SUITE("fmt") {
    TEST_CASE("a long one-line when with a comment after it is formatted, the comment kept") {
        const std::string pack =
            "pack: t\n"
            "rules_note: x\n"
            "licences:\n"
            "  - id: L\n"
            "    when: 'entity.country == \"RU\" && entity.counterparties.exists(c, c.country == "
            "\"BY\" && c.sectors.exists(s, s == \"banking\"))'  # why it applies\n";
        auto once = sanx::tools::format_pack("p.yaml", pack);
        CHECK_FALSE(has_error(once));
        REQUIRE(once.changed());
        CHECK(once.formatted.find(
                  "    when: >-  # why it applies\n      entity.country == 'RU' &&\n") !=
              std::string::npos);
        auto twice = sanx::tools::format_pack("p.yaml", once.formatted);
        CHECK_FALSE(twice.changed());
        CHECK(twice.diagnostics.empty());
    }

    TEST_CASE("a block scalar with a comment on its header may become one line, comment kept") {
        const std::string pack =
            "pack: t\n"
            "licences:\n"
            "  - id: L\n"
            "    when: >-  # short now\n"
            "      entity.country ==\n"
            "      'RU'\n";
        auto once = sanx::tools::format_pack("p.yaml", pack);
        CHECK_FALSE(has_error(once));
        CHECK(once.formatted.find("    when: \"entity.country == 'RU'\"  # short now\n") !=
              std::string::npos);
        CHECK_FALSE(sanx::tools::format_pack("p.yaml", once.formatted).changed());
    }

    TEST_CASE("every shipped pack, its conditions written on one line, is formatted back") {
        std::size_t packs = 0;
        for (const auto& e : fs::directory_iterator(golden::source_dir + "/rules")) {
            if (e.path().extension() != ".yaml") continue;
            const std::string name = e.path().filename().string();
            CAPTURE(name);
            const std::string original = golden::slurp(e.path().string());
            const std::string mangled = one_line_whens(original);
            auto once = sanx::tools::format_pack(name, mangled);
            INFO(sanx::render(once.diagnostics));
            CHECK_FALSE(has_error(once));
            CHECK(once.diagnostics.empty());
            // Every comment is still there, and the text is a fixpoint.
            CHECK(count(once.formatted, "#") == count(mangled, "#"));
            CHECK_FALSE(sanx::tools::format_pack(name, once.formatted).changed());
            // The shipped packs are in canonical form; what differs is the comments added.
            if (mangled != original) CHECK(once.formatted.size() > original.size());
            ++packs;
        }
        CHECK(packs >= 4);
    }
}
