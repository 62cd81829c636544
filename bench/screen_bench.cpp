// Name screening at scale (issue 15): every list in ../shared/data imported together (OFAC
// SDN 2024 and 2019 with its aliases, OFAC consolidated, UN, OpenSanctions Zala; about 24k
// entries and 19k aliases), read with Ruleset::read as `sanx screen --lists` does, then
// 100,000 generated parties screened against them on one core. A third of the parties are
// list names written differently (Cyrillic legal forms, another order, a typo), the rest
// Kazakh and Russian company and person names on no list. The figure is parties/s
// (items_per_second). SANX_BENCH_PARTIES=N picks another count; skips without the data.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <sanx/engine.hpp>
#include <sanx/import.hpp>

#include "api/access.hpp"
#include "screen/screener.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path data_dir = fs::path(SANX_SOURCE_DIR) / ".." / "shared" / "data";

struct Lists {
    sanx::Ruleset::ReadResult read{};
    bool ok = false;
};

const Lists& lists() {
    static Lists out = [] {
        Lists l;
        if (!fs::exists(data_dir / "ofac-sdn-2024-05-03" / "sdn.csv")) return l;
        using F = sanx::import::Format;
        const fs::path d = data_dir;
        const std::vector<std::pair<F, std::vector<std::string>>> sources = {
            {F::ofac_sdn, {d / "ofac-sdn-2024-05-03/sdn.csv"}},
            {F::ofac_sdn,
             {d / "ofac-sdn-2019-01/sdn.csv", d / "ofac-sdn-2019-01/add.csv",
              d / "ofac-sdn-2019-01/alt.csv", d / "ofac-sdn-2019-01/sdn_comments.csv"}},
            {F::ofac_consolidated,
             {d / "ofac-consolidated-2025-12/cons_prim.csv",
              d / "ofac-consolidated-2025-12/cons_add.csv",
              d / "ofac-consolidated-2025-12/cons_alt.csv",
              d / "ofac-consolidated-2025-12/cons_comments.csv"}},
            {F::ftm, {d / "opensanctions-zala/entities.ftm.json"}},
            {F::un_xml, {d / "un-consolidated-2026-02/UN_consolidated.xml"}}};
        const fs::path tmp = fs::temp_directory_path() / "sanx-screen-bench";
        fs::create_directories(tmp);
        std::vector<std::string> paths;
        for (std::size_t i = 0; i < sources.size(); ++i) {
            auto imported = sanx::import::read(sources[i].first, sources[i].second);
            paths.push_back((tmp / ("list-" + std::to_string(i) + ".jsonl")).string());
            std::ofstream f(paths.back());
            for (const auto& e : imported.entities) f << e << '\n';
        }
        auto rs = sanx::Ruleset::load({SANX_SOURCE_DIR "/rules"});
        const std::string empty = (tmp / "none.jsonl").string();
        std::ofstream(empty) << "";
        l.read = rs.ruleset->read({empty}, paths);
        l.ok = sanx::detail::Access::data(l.read.input).names != nullptr;
        return l;
    }();
    return out;
}

/// The parties: deterministic for a count.
std::vector<sanx::matching::Subject> parties(std::size_t n, const sanx::matching::Index& index) {
    std::mt19937_64 rng(15);
    const std::vector<std::string> kz = {
        "Алтын",    "Береке", "Сункар", "Тулпар", "Кайнар", "Жетысу", "Нур",      "Дала",
        "Атамекен", "Самал",  "Arman",  "Kaspiy", "Ertis",  "Alatau", "Saryarka", "Merey"};
    const std::vector<std::string> trade = {"Агро",   "Транс", "Строй",  "Сервис",    "Логистик",
                                            "Инвест", "Trade", "Invest", "Logistics", "Group",
                                            "Energy", "Metal", "Trans",  "Service"};
    const std::vector<std::string> forms = {"ТОО", "ЖШС", "АО", "ООО", "LLP", "JSC", "LLC"};
    const std::vector<std::string> first = {"Нурлан", "Айгуль",  "Ерлан", "Aleksandr",
                                            "Olga",   "Dmitriy", "Serik", "Dinara"};
    const std::vector<std::string> last = {"Абенов",  "Сарсенова", "Zhumabekov", "Kasymova",
                                           "Ospanov", "Smirnov",   "Kuznetsova", "Popov"};
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    std::vector<sanx::matching::Subject> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& s = out[i];
        switch (rng() % 6) {
            case 0:
            case 1: {  // a list name, written another way
                std::string name = index.name(static_cast<std::uint32_t>(rng() % index.size()));
                if (rng() % 2) name = "ТОО «" + name + "»";
                if (name.size() > 8 && rng() % 2)
                    std::swap(name[name.size() / 2], name[name.size() / 2 + 1]);
                s.names.push_back(name);
                break;
            }
            case 2:
                s.names.push_back(pick(first) + " " + pick(last));
                s.type = sanx::matching::PartyType::person;
                break;
            default:
                s.names.push_back(pick(forms) + " «" + pick(kz) + " " + pick(trade) + "»");
                s.type = sanx::matching::PartyType::organisation;
                s.countries.push_back("KZ");
        }
    }
    return out;
}

void BM_screen_parties(benchmark::State& state) {
    const Lists& l = lists();
    if (!l.ok) {
        state.SkipWithError("../shared/data is absent");
        return;
    }
    const auto& index = *sanx::detail::Access::data(l.read.input).names;
    std::size_t n = 100000;
    if (const char* env = std::getenv("SANX_BENCH_PARTIES")) n = std::strtoull(env, nullptr, 10);
    const auto ps = parties(n, index);
    const sanx::ScreenOptions o;
    std::size_t matches = 0, possible = 0;
    for (auto _ : state) {
        matches = possible = 0;
        for (const auto& p : ps) {
            auto c = index.search(p, o.review_threshold, 3);
            if (!c.empty()) ++(c.front().score >= o.match_threshold ? matches : possible);
            benchmark::DoNotOptimize(c);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ps.size()));
    state.counters["entries"] = static_cast<double>(index.size());
    state.counters["names"] = static_cast<double>(index.names());
    state.counters["matches"] = static_cast<double>(matches);
    state.counters["possible"] = static_cast<double>(possible);
}
BENCHMARK(BM_screen_parties)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
