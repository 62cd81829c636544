// A program that embeds sanx through the installed package: find_package(sanx).
// Usage: sanx_embed ENTITIES.yaml   (rules: $SANX_RULES, else the installed packs)

#include <iostream>

#include <sanx/engine.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: sanx_embed ENTITIES.yaml\n";
        return 2;
    }
    auto loaded = sanx::Ruleset::load({sanx::default_rules_path(argv[0])});
    if (!loaded.ruleset) {
        std::cerr << sanx::render(loaded.diagnostics);
        return 2;
    }
    auto read = loaded.ruleset->read({argv[1]});
    std::cerr << sanx::render(read.diagnostics);
    sanx::Report report = loaded.ruleset->check(read.input);
    for (const auto& r : report.results)
        std::cout << r.entity << '\t' << sanx::to_string(r.verdict) << '\t' << r.findings.size()
                  << " findings\n";
    return 0;
}
