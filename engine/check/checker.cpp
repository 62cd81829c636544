#include "check/checker.hpp"

#include "check/binder.hpp"
#include "dsl/parse.hpp"

namespace sanx::check {

CheckResult compile(std::string_view text, const Vocabulary& vocab, const CheckOptions& opts) {
    CheckResult out;
    if (text.size() > dsl::max_expression_bytes) {
        out.issues.push_back({0,
                              1,
                              "too-large",
                              "expression is longer than " +
                                  std::to_string(dsl::max_expression_bytes >> 10) +
                                  " KiB (docs/limits.md)",
                              {"split the condition into several rules, or use a set"}});
        return out;
    }
    auto parsed = dsl::parse_expression(text);
    if (!parsed.issues.empty()) {
        for (const auto& p : parsed.issues)
            out.issues.push_back({static_cast<std::uint32_t>(p.offset),
                                  static_cast<std::uint32_t>(p.offset + p.length),
                                  "syntax",
                                  p.message,
                                  {}});
        return out;
    }
    Bound b = check::bind(parsed.tree, text, vocab, opts);
    out.issues = std::move(b.issues);
    if (out.issues.empty()) out.checked = Checked{std::move(b.root), b.slots};
    return out;
}

}  // namespace sanx::check
