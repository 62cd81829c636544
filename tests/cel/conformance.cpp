// sanx-conformance: runs the CEL conformance suite (JSON lines, see the suite's README)
// through the sanx parser, checker and evaluator.
//
//   sanx-conformance [--core | --all] [--known-failures FILE] [--min-pass N] [DIR]
//
// Prints one line per failure, one line per file, and last `N passed, N failed, N skipped`.
// Exit status: 0 when the run is at or above --min-pass and every failure is a listed known
// failure and no listed known failure passes; 1 otherwise; 2 on bad usage.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/checker.hpp"
#include "eval/evaluator.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using sanx::eval::Kind;
using sanx::eval::Value;

namespace {

struct Unsupported {
    std::string what;
};

std::string base64_decode(const std::string& in) {
    auto sextet = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        int v = sextet(c);
        if (v < 0) continue;  // padding
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

/// A tagged JSON value (`{"int": "1"}`) as an evaluator value.
Value from_tagged(const json& j) {
    if (!j.is_object() || j.size() != 1) throw Unsupported{"malformed tagged value"};
    auto first = j.begin();
    const std::string tag = first.key();
    const json& v = first.value();
    if (tag == "null") return sanx::eval::Null{};
    if (tag == "bool") return v.get<bool>();
    if (tag == "int") return static_cast<std::int64_t>(std::stoll(v.get<std::string>()));
    if (tag == "uint") return static_cast<std::uint64_t>(std::stoull(v.get<std::string>()));
    if (tag == "double") {
        if (v.is_string()) {
            const auto& s = v.get_ref<const std::string&>();
            if (s == "NaN") return std::nan("");
            if (s == "Infinity") return HUGE_VAL;
            if (s == "-Infinity") return -HUGE_VAL;
            throw Unsupported{"double " + s};
        }
        return v.get<double>();
    }
    if (tag == "string") return v.get<std::string>();
    if (tag == "bytes") return sanx::eval::Bytes{base64_decode(v.get<std::string>())};
    if (tag == "list") {
        sanx::eval::List l;
        for (const auto& e : v) l.push_back(from_tagged(e));
        return l;
    }
    if (tag == "map") {
        sanx::eval::Map m;
        for (const auto& kv : v) m.emplace_back(from_tagged(kv.at(0)), from_tagged(kv.at(1)));
        return m;
    }
    if (tag == "type") return sanx::eval::TypeName{v.get<std::string>()};
    throw Unsupported{tag + " values"};
}

/// Exact match: same kinds throughout (1 is not 1u), maps without regard to order, NaN
/// matches NaN and the sign of zero counts.
bool same(const Value& a, const Value& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case Kind::dbl: {
            double x = a.as_double(), y = b.as_double();
            if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
            return x == y && std::signbit(x) == std::signbit(y);
        }
        case Kind::list: {
            const auto& x = a.as_list();
            const auto& y = b.as_list();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (!same(x[i], y[i])) return false;
            return true;
        }
        case Kind::map: {
            const auto& x = a.as_map();
            const auto& y = b.as_map();
            if (x.size() != y.size()) return false;
            for (const auto& [k, v] : x) {
                auto it = std::find_if(y.begin(), y.end(),
                                       [&](const auto& kv) { return same(kv.first, k); });
                if (it == y.end() || !same(it->second, v)) return false;
            }
            return true;
        }
        case Kind::unknown:
        case Kind::error:
            return false;
        default:
            return sanx::eval::equal(a, b);
    }
}

std::string show(const Value& v) {
    if (v.is_error()) return "error: " + v.as_error().message;
    std::string t = sanx::eval::cel_literal(v);
    return v.is(Kind::type) ? "type " + t : t;
}

const std::set<std::string> non_core{"proto",    "timestamp", "duration",
                                     "type_env", "container", "unsupported-value"};
const std::set<std::string> non_runnable{"optional",       "check_only", "unknown",
                                         "disable_macros", "locale",     "binding_error"};

bool runnable_core(const json& test) {
    for (const auto& f : test.at("features")) {
        auto s = f.get<std::string>();
        if (non_core.count(s) || non_runnable.count(s) || s.rfind("ext:", 0) == 0) return false;
    }
    return true;
}

struct Outcome {
    bool skipped = false;
    bool passed = false;
    std::string expected, got;
};

Outcome run_case(const json& test) {
    Outcome out;
    const json& expect = test.at("expect");
    if (test.value("check_only", false) ||
        !(expect.contains("value") || expect.contains("error"))) {
        out.skipped = true;  // type-only and unknown expectations: nothing we evaluate
        return out;
    }
    sanx::check::CheckOptions opts;
    opts.defer_name_errors = test.value("disable_check", false);
    std::map<std::string, Value, std::less<>> vars;
    Value expected;
    try {
        for (const auto& [name, v] : test.at("bindings").items()) {
            // A binding is `{"value": tagged}` upstream's way, or the tagged value itself.
            vars[name] = from_tagged(v.is_object() && v.contains("value") ? v.at("value") : v);
            opts.variables.insert(name);
        }
        if (expect.contains("value")) expected = from_tagged(expect.at("value"));
    } catch (const Unsupported& u) {
        out.expected = "a value sanx cannot represent (" + u.what + ")";
        out.got = "not run";
        return out;
    }
    out.expected = expect.contains("error") ? "an error" : show(expected);

    Value got;
    sanx::check::Vocabulary vocab;
    auto compiled = sanx::check::compile(test.at("expr").get<std::string>(), vocab, opts);
    if (!compiled.checked) {
        got = sanx::eval::Error{compiled.issues.empty() ? "check failed"
                                                        : compiled.issues[0].message};
    } else {
        sanx::eval::Frame frame;
        frame.variables = &vars;
        got = sanx::eval::evaluate(*compiled.checked, frame);
    }
    out.got = show(got);
    if (expect.contains("error"))
        out.passed = got.is_error();
    else
        out.passed = same(got, expected);
    // `typed_result` cases are judged on the checker's type too.
    if (out.passed && expect.contains("deduced_type") && compiled.checked) {
        std::string want = expect.at("deduced_type").get<std::string>();
        std::string deduced = sanx::check::to_string(compiled.checked->root.type);
        if (deduced != want) {
            out.passed = false;
            out.expected += " of type " + want;
            out.got += " of type " + deduced;
        }
    }
    return out;
}

struct Known {
    std::string reason;
    bool seen = false;
};

int usage(const char* msg) {
    std::cerr << "sanx-conformance: " << msg
              << "\nusage: sanx-conformance [--core | --all] [--known-failures FILE] "
                 "[--min-pass N] [DIR]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    bool core = true;
    std::string dir = "../shared/conformance/cel";
    std::string known_path;
    long min_pass = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--core")
            core = true;
        else if (a == "--all")
            core = false;
        else if (a == "--known-failures" && i + 1 < argc)
            known_path = argv[++i];
        else if (a == "--min-pass" && i + 1 < argc)
            min_pass = std::strtol(argv[++i], nullptr, 10);
        else if (!a.empty() && a[0] == '-')
            return usage(("unknown option " + a).c_str());
        else
            dir = a;
    }
    if (!fs::is_directory(dir)) {
        std::cout << "sanx-conformance: no conformance suite at " << dir << "; skipped\n";
        return 0;
    }

    std::map<std::string, Known> known;
    if (!known_path.empty()) {
        std::ifstream in(known_path);
        if (!in) return usage(("cannot read " + known_path).c_str());
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream ls(line);
            std::string key;
            ls >> key;
            std::string reason;
            std::getline(ls >> std::ws, reason);
            known[key] = {reason, false};
        }
    }

    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".jsonl") files.push_back(e.path());
    std::sort(files.begin(), files.end());

    long passed = 0, failed = 0, skipped = 0, unexpected = 0, fixed = 0;
    for (const auto& path : files) {
        std::ifstream in(path);
        std::string line;
        long fp = 0, ff = 0, fs_ = 0;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            json test;
            try {
                test = json::parse(line);
            } catch (const json::exception& e) {
                std::cout << path.filename().string() << ": unreadable line: " << e.what() << "\n";
                ++ff;
                continue;
            }
            std::string key = test.at("file").get<std::string>() + "/" +
                              std::to_string(test.at("index").get<int>());
            std::string label = test.at("file").get<std::string>() + "/" +
                                test.at("section").get<std::string>() + "/" +
                                test.at("name").get<std::string>();
            if (core && !runnable_core(test)) {
                ++fs_;
                continue;
            }
            Outcome o;
            try {
                o = run_case(test);
            } catch (const std::exception& e) {
                o.expected = "no exception";
                o.got = std::string("exception: ") + e.what();
            }
            auto k = known.find(key);
            if (o.skipped) {
                ++fs_;
            } else if (o.passed) {
                ++fp;
                if (k != known.end()) {
                    k->second.seen = true;
                    ++fixed;
                    std::cout << label << " [" << key
                              << "]: passes but is listed as a known failure; remove it\n";
                }
            } else {
                ++ff;
                std::cout << label << ": expected " << o.expected << ", got " << o.got;
                if (k != known.end()) {
                    k->second.seen = true;
                    std::cout << " (known: " << k->second.reason << ")";
                } else {
                    ++unexpected;
                    std::cout << " [" << key << "]";
                }
                std::cout << "\n";
            }
        }
        std::cout << path.stem().string() << ": " << fp << " passed, " << ff << " failed, " << fs_
                  << " skipped\n";
        passed += fp;
        failed += ff;
        skipped += fs_;
    }
    int rc = 0;
    if (passed < min_pass) {
        std::cout << "below the floor: " << passed << " passed, at least " << min_pass
                  << " required\n";
        rc = 1;
    }
    if (unexpected > 0) {
        std::cout << unexpected << " failures are not in the known-failures list\n";
        if (!known_path.empty()) rc = 1;
    }
    if (fixed > 0) {
        std::cout << fixed << " known failures now pass\n";
        rc = 1;
    }
    std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
    return rc;
}
