// libFuzzer target for `sanx fmt`: any bytes as a pack, formatted. Traps when
//  - formatting is not a fixed point: fmt(fmt(x)) != fmt(x);
//  - a pack that loads no longer loads once formatted, or loads to different checked trees
//    (rules, licences, message templates and relations, compared without positions);
//  - the linter says something else about the formatted pack (the same codes and severities).

#include <algorithm>
#include <utility>

#include <sanx/engine.hpp>
#include <sanx/tools.hpp>

#include "api/access.hpp"
#include "fuzz_util.hpp"
#include "tools/tree.hpp"

namespace {

using namespace sanx;

std::string dump(const detail::Expr& e) {
    return e.checked ? tools::tree::dump(e.checked->root) : "<unchecked " + e.text + ">";
}

std::string dump(const detail::Period& p) {
    return std::to_string(p.from ? p.from->days : -1) + ".." +
           std::to_string(p.until ? p.until->days : -1);
}

/// What a loaded pack means, without its layout.
std::string dump(const Ruleset& rules) {
    const detail::Model& m = detail::Access::model(rules);
    std::string out;
    for (const auto& g : m.regimes)
        for (const auto& r : g.rules) {
            out += r.full_id + " " + to_string(r.severity) + " " + dump(r.period) + " when " +
                   dump(r.when) + " message";
            for (const auto& p : r.message.pieces)
                out += p.hole ? " {{" + dump(*p.hole) + "}}" : " '" + p.literal + "'";
            out += "\n";
        }
    for (const auto& l : m.licences) out += "licence " + l.id + " when " + dump(l.when) + "\n";
    for (const auto& r : m.relations) {
        out += "relation " + r.subject + " " + r.relation + " " + dump(r.period);
        for (const auto& o : r.objects) out += " " + o;
        out += " via";
        for (const auto& v : r.via) out += " " + v;
        out += "\n";
    }
    return out;
}

std::vector<std::pair<int, std::string>> lint_codes(const std::string& path) {
    tools::LintOptions opts;
    opts.today = fuzz::fixed_date;
    std::vector<std::pair<int, std::string>> out;
    for (const auto& d : tools::lint({path}, opts).diagnostics)
        out.emplace_back(static_cast<int>(d.severity), d.code);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    sanx::fuzz::bound_input(argc, argv, 16384);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = fuzz::as_text(data, size);
    auto once = tools::format_pack("pack.yaml", text);
    auto twice = tools::format_pack("pack.yaml", once.formatted);
    if (twice.formatted != once.formatted) __builtin_trap();
    if (!once.changed()) return 0;

    const fuzz::ScratchDir scratch;
    const std::string original = scratch.write("original.yaml", text);
    auto before = Ruleset::load({original});
    if (!before.ruleset) return 0;
    const std::string formatted = scratch.write("formatted.yaml", once.formatted);
    auto after = Ruleset::load({formatted});
    if (!after.ruleset) __builtin_trap();
    if (dump(*before.ruleset) != dump(*after.ruleset)) __builtin_trap();
    if (lint_codes(original) != lint_codes(formatted)) __builtin_trap();
    return 0;
}
