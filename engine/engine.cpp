#include <sanx/engine.hpp>
#include <sanx/version.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "access.hpp"
#include "eval/evaluator.hpp"
#include "eval/pack_domain.hpp"
#include "eval/why_not.hpp"
#include "io/input.hpp"
#include "ownership/fixpoint.hpp"
#include "packs/model.hpp"
#include "packs/yaml_util.hpp"

#ifndef SANX_SOURCE_RULES_DIR
#define SANX_SOURCE_RULES_DIR ""
#endif
#ifndef SANX_INSTALL_RULES_DIR
#define SANX_INSTALL_RULES_DIR "share/sanx/rules"
#endif

namespace sanx {

const char* version() { return SANX_VERSION; }

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::clear:
            return "clear";
        case Verdict::low:
            return "low";
        case Verdict::medium:
            return "medium";
        case Verdict::high:
            return "high";
        case Verdict::blocked:
            return "blocked";
    }
    return "clear";
}

const char* to_string(RuleSeverity s) {
    switch (s) {
        case RuleSeverity::info:
            return "info";
        case RuleSeverity::low:
            return "low";
        case RuleSeverity::medium:
            return "medium";
        case RuleSeverity::high:
            return "high";
        case RuleSeverity::blocked:
            return "blocked";
    }
    return "info";
}

// ---- Input ------------------------------------------------------------------------------

Input::Input() : data_(std::make_unique<detail::InputData>()) {}
Input::~Input() = default;
Input::Input(Input&&) noexcept = default;
Input& Input::operator=(Input&&) noexcept = default;

std::optional<std::string> Input::as_of() const {
    if (!data_->as_of) return std::nullopt;
    return eval::format_date(*data_->as_of);
}
std::size_t Input::size() const { return data_->records.size(); }

// ---- Ruleset ----------------------------------------------------------------------------

Ruleset::Ruleset(std::shared_ptr<const detail::Model> model) : model_(std::move(model)) {}
Ruleset::~Ruleset() = default;

LoadResult Ruleset::load(const std::vector<std::string>& paths) {
    LoadResult out;
    try {
        auto loaded = detail::load_packs(paths);
        out.diagnostics = std::move(loaded.diagnostics);
        if (loaded.model) out.ruleset = std::make_shared<const Ruleset>(loaded.model);
    } catch (const std::exception& e) {
        out.ruleset = nullptr;
        out.diagnostics.push_back({Severity::error,
                                   "internal",
                                   std::string("loading the packs failed: ") + e.what(),
                                   Location{"<rules>", 0, 0, 1, {}},
                                   {}});
    }
    return out;
}

std::vector<PackInfo> Ruleset::packs() const { return model_->packs; }
std::string Ruleset::hash() const { return model_->hash; }

namespace {

bool ends_with(const std::string& s, const char* suffix) {
    std::string_view x(suffix);
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

InputFormat format_of(const std::string& name) {
    if (name == "-" || ends_with(name, ".jsonl") || ends_with(name, ".ndjson"))
        return InputFormat::json_lines;
    if (ends_with(name, ".csv")) return InputFormat::csv;
    return InputFormat::document;
}

void read_into(const detail::Model& m, const source::SourcePtr& src, InputFormat format,
               const std::string& encoding, bool lists, detail::InputData& data,
               std::vector<Diagnostic>& diags) {
    if (format == InputFormat::automatic) format = format_of(src->name());
    const std::size_t records_before = (lists ? data.known : data.records).size();
    const std::size_t diags_before = diags.size();
    // No exception leaves the library: a reader that fails unexpectedly becomes a diagnostic.
    try {
        detail::InputText in = detail::prepare_input(src, encoding, diags);
        if (!in) return;
        if (format == InputFormat::json_lines)
            detail::read_json_lines(m, in, lists, data, diags);
        else if (format == InputFormat::csv)
            detail::read_csv(m, in, lists, data, diags);
        else
            detail::read_document(m, in, lists, data, diags);
    } catch (const std::exception& e) {
        diags.push_back({Severity::error,
                         "internal",
                         std::string("reading failed: ") + e.what(),
                         Location{src->name(), 0, 0, 1, {}},
                         {}});
    }
    // An empty file, or a closed standard input, is not an error, but it is not silent.
    if ((lists ? data.known : data.records).size() == records_before &&
        std::none_of(diags.begin() + static_cast<std::ptrdiff_t>(diags_before), diags.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; }))
        diags.push_back({Severity::warning,
                         "empty",
                         "no records read from " + src->name(),
                         Location{src->name(), 0, 0, 1, {}},
                         {}});
}

/// read() and read_text(): the lists, then the input files, then `in_memory` (when given).
Ruleset::ReadResult read_all(const detail::Model& m, const std::vector<std::string>& inputs,
                             const std::vector<std::string>& lists, const std::string& encoding,
                             const source::SourcePtr& in_memory, InputFormat format) {
    Ruleset::ReadResult out;
    detail::InputData& data = detail::Access::data(out.input);
    auto read_one = [&](const std::string& path, bool is_list) {
        source::SourcePtr src;
        if (path == "-") {
            std::string text(std::istreambuf_iterator<char>(std::cin), {});
            src = std::make_shared<const source::Source>("<stdin>", std::move(text));
        } else {
            src = detail::read_source(path, out.diagnostics);
        }
        if (!src) return;
        const std::size_t first = data.known.size();
        // `encoding` is the inputs' own: list files are sanx import's UTF-8.
        read_into(m, src, format_of(path), is_list ? "" : encoding, is_list, data, out.diagnostics);
        if (is_list) data.lists.push_back(detail::list_file(path, src->text(), data, first));
    };
    // Ids are unique within one list file, and across the inputs and all lists; the same id
    // in two list files is one party, which index() merges.
    std::unordered_set<std::string> list_ids;
    for (const auto& path : lists) {
        data.ids.clear();
        read_one(path, true);
        list_ids.insert(data.ids.begin(), data.ids.end());
    }
    data.ids = std::move(list_ids);
    for (const auto& path : inputs) read_one(path, false);
    if (in_memory) read_into(m, in_memory, format, encoding, false, data, out.diagnostics);
    std::sort(data.lists.begin(), data.lists.end(), [](const ListFile& a, const ListFile& b) {
        return std::tie(a.path, a.sha256) < std::tie(b.path, b.sha256);
    });
    data.index();
    out.diagnostics.insert(out.diagnostics.end(), data.warnings.begin(), data.warnings.end());
    return out;
}

}  // namespace

Ruleset::ReadResult Ruleset::read(const std::vector<std::string>& inputs,
                                  const std::vector<std::string>& lists,
                                  const std::string& encoding) const {
    return read_all(*model_, inputs, lists, encoding, nullptr, InputFormat::automatic);
}

Ruleset::ReadResult Ruleset::read_text(const std::string& name, const std::string& text,
                                       InputFormat format, const std::string& encoding,
                                       const std::vector<std::string>& lists) const {
    return read_all(*model_, {}, lists, encoding,
                    std::make_shared<const source::Source>(name, text), format);
}

namespace {

using detail::Model;
using eval::Kind;
using eval::Value;

std::string render_template(const detail::Template& t, eval::Frame& frame) {
    std::string out;
    for (const auto& p : t.pieces) {
        if (!p.hole) {
            out += p.literal;
            continue;
        }
        Value v = eval::evaluate(*p.hole->checked, frame);
        out += eval::display(v);
    }
    return out;
}

Verdict verdict_of(RuleSeverity s) {
    switch (s) {
        case RuleSeverity::blocked:
            return Verdict::blocked;
        case RuleSeverity::high:
            return Verdict::high;
        case RuleSeverity::medium:
            return Verdict::medium;
        case RuleSeverity::low:
            return Verdict::low;
        case RuleSeverity::info:
            return Verdict::clear;
    }
    return Verdict::clear;
}

eval::Date today() {
    auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return eval::Date{static_cast<std::int32_t>(now.time_since_epoch().count())};
}

/// Positions of witness facts by expression and range, for one worker: the same facts recur
/// record after record, and finding a position walks the pack's text.
class Positions {
  public:
    const Location& at(const detail::Expr& e, std::uint32_t begin, std::uint32_t end) {
        auto key = std::make_tuple(&e, begin, end);
        auto it = cache_.find(key);
        if (it == cache_.end()) {
            Location at = e.locate(begin, end - begin);
            at.source_line.clear();  // a fact's place is cited, not shown
            it = cache_.emplace(key, std::move(at)).first;
        }
        return it->second;
    }

  private:
    std::map<std::tuple<const detail::Expr*, std::uint32_t, std::uint32_t>, Location> cache_;
};

/// The condition tree of one rule for the frame's entity, with its nearest miss when the
/// rule did not fire (`--explain`, `sanx explain`).
RuleTrace trace_rule(const detail::Rule& rule, const Value& v, eval::Frame& frame) {
    RuleTrace t;
    t.rule = rule.full_id;
    const bool fired = v.is(Kind::boolean) && v.as_bool();
    t.outcome = fired                 ? "fired"
                : v.is_unknown()      ? "unknown"
                : v.is(Kind::boolean) ? "false"
                                      : "error";
    auto locate = [&](std::uint32_t begin, std::uint32_t end) {
        return rule.when.locate(begin, std::max<std::size_t>(1, end - begin));
    };
    t.root = eval::trace(*rule.when.checked, rule.when.text, frame, locate);
    if (!fired)
        for (auto& m : eval::why_not(*rule.when.checked, rule.when.text, frame))
            t.misses.push_back({std::move(m.expr), std::move(m.seen), locate(m.begin, m.end)});
    return t;
}

/// Listings that no rule assesses are still said (PRODUCT.md section 3): those by an authority
/// no pack knows, and the entity's own listings that are not asset freezes.
void note_listings(const Model& m, const Value& entity, eval::Date as_of, Result& res) {
    auto note = [&](const Value& l, const std::string& who, bool own) {
        const Value* auth = l.field("authority");
        if (!auth || !auth->is(Kind::string)) return;
        auto a = m.authorities.find(auth->as_string());
        std::string list;
        if (const Value* v = l.field("list")) list = eval::display(*v);
        if (const Value* v = l.field("program"))
            list += (list.empty() ? "" : " ") + eval::display(*v);
        const std::string on = list.empty() ? "" : " (" + list + ")";
        Finding f;
        f.regime = "listings";
        f.authority = auth->as_string();
        f.severity = RuleSeverity::info;
        if (a == m.authorities.end()) {
            f.rule = detail::unknown_authority_rule;
            f.title = "Listed by an authority no loaded pack knows";
            f.message = who + " is listed by " + auth->as_string() + on +
                        ", an authority no loaded pack knows: what the listing means is not "
                        "assessed; review it or load a pack for " +
                        auth->as_string();
        } else if (own && !a->second.blocks_listing(l)) {
            f.rule = detail::not_a_freeze_rule;
            f.title = "Listed under a measure that freezes no assets";
            std::string measure = detail::to_string(a->second.measure_of(l));
            std::replace(measure.begin(), measure.end(), '_', ' ');
            f.message = who + " is listed by " + a->first + on + ", a list whose measure is " +
                        measure + ": it freezes no assets and starts no ownership chain";
            if (const Value* named = l.field("list"); named && named->is(Kind::string))
                if (const auto* def = a->second.find_list(named->as_string())) f.cites = def->cites;
        } else {
            return;
        }
        for (const auto& prev : res.findings)
            if (prev.rule == f.rule && prev.message == f.message) return;
        res.findings.push_back(std::move(f));
    };
    auto scan = [&](const Value& party, const std::string& who, bool own) {
        const Value* ls = party.field("listings");
        if (!ls || !ls->is(Kind::list)) return;
        for (const auto& l : ls->as_list()) {
            const Value* from = l.field("from");
            const Value* until = l.field("until");
            if (from && from->is(Kind::date) && from->as_date().days > as_of.days) continue;
            if (until && until->is(Kind::date) && until->as_date().days < as_of.days) continue;
            note(l, who, own);
        }
    };
    scan(entity, eval::id_and_name(entity), true);
    if (const Value* cps = entity.field("counterparties"); cps && cps->is(Kind::list))
        for (const auto& c : cps->as_list())
            if (c.is(Kind::map)) scan(c, "counterparty " + eval::id_and_name(c), false);
}

Result evaluate_record(const Model& m, const detail::Record& rec, const detail::PackDomain& domain,
                       const std::vector<const detail::Licence*>& licences,
                       const CheckOptions& options, Positions& positions) {
    Result res;
    res.entity = rec.id;
    res.name = rec.name;
    res.line = rec.line;
    res.matches = rec.matches;
    res.file = rec.file;
    if (rec.rejected) {
        res.rejected = rec.rejected;
        return res;
    }
    eval::Date as_of = domain.as_of();
    eval::Frame frame;
    frame.entity = &rec.value;
    frame.domain = &domain;
    eval::Choices choices;  // what each rule's evaluation chose, for its witness
    const bool tracing = options.trace != CheckOptions::Trace::none &&
                         (options.trace_entity.empty() || options.trace_entity == rec.id);
    for (const auto& g : m.regimes) {
        if (!g.period.contains(as_of)) continue;
        for (const auto& rule : g.rules) {
            if (!rule.period.contains(as_of)) continue;
            choices.clear();
            frame.choices = options.because ? &choices : nullptr;
            Value v = eval::evaluate(*rule.when.checked, frame);
            frame.choices = nullptr;
            if (tracing &&
                (options.trace == CheckOptions::Trace::all || (v.is(Kind::boolean) && v.as_bool())))
                res.traces.push_back(trace_rule(rule, v, frame));
            if (v.is_unknown()) {
                res.indeterminate.push_back({rule.full_id, rule.severity, v.as_unknown().missing});
                continue;
            }
            if (v.is_error() || !v.is(Kind::boolean)) {
                const auto& e =
                    v.is_error()
                        ? v.as_error()
                        : eval::Error{"condition is a " + eval::type_name(v) + ", not a bool", 0,
                                      static_cast<std::uint32_t>(rule.when.text.size())};
                res.errors.push_back(
                    {rule.full_id, e.message,
                     rule.when.locate(e.begin, std::max<std::size_t>(1, e.end - e.begin))});
                continue;
            }
            if (!v.as_bool()) continue;
            Finding f;
            f.rule = rule.full_id;
            f.regime = g.id;
            f.authority = g.authority;
            f.severity = rule.severity;
            f.title = rule.title;
            f.cites = rule.cites;
            f.message = render_template(rule.message, frame);
            if (options.because) {
                auto facts = eval::witness(*rule.when.checked, rule.when.text, frame, &choices);
                f.because.reserve(facts.size());
                for (auto& fact : facts)
                    f.because.push_back({std::move(fact.expr), std::move(fact.seen),
                                         positions.at(rule.when, fact.begin, fact.end)});
            }
            for (const auto* l : licences) {
                if (!l->exempts_rule(f.rule)) continue;
                Value ok = eval::evaluate(*l->when.checked, frame);
                if (ok.is(Kind::boolean) && ok.as_bool()) {
                    f.exempted_by = l->id;
                    f.undecided_licences.clear();  // decided by this one
                    break;
                }
                if (ok.is_unknown())
                    f.undecided_licences.push_back({l->id, ok.as_unknown().missing});
            }
            res.findings.push_back(std::move(f));
        }
    }
    // What the ownership fixpoints decided about this entity, per authority.
    for (const auto& [auth, st] : domain.states()) {
        if (auto b = st.blocked.find(rec.id); b != st.blocked.end()) res.blocked[auth] = b->second;
        if (auto u = st.undecided.find(rec.id); u != st.undecided.end())
            res.indeterminate.push_back({"ownership/" + auth, RuleSeverity::blocked, u->second});
        if (auto c = st.caution.find(rec.id); c != st.caution.end() && !st.blocked.count(rec.id)) {
            const auto& a = m.authorities.at(auth);
            Finding f;
            f.rule = "ownership/" + auth + "-control";
            f.regime = "ownership";
            f.authority = auth;
            f.severity = RuleSeverity::low;
            f.title = "Controlled by a blocked person without majority ownership";
            std::string who;
            for (const auto& x : c->second) who += (who.empty() ? "" : ", ") + x;
            f.message = rec.id + " is controlled by " + who + ", blocked by " + auth +
                        ", without the ownership that would block it: " + auth +
                        " does not treat control alone as blocking, but dealings call for caution";
            f.because.push_back({"controllers", who, {}});
            f.cites = a.cites;
            res.findings.push_back(std::move(f));
        }
    }
    note_listings(m, rec.value, as_of, res);
    for (const auto& f : res.findings)
        if (!f.exempted_by && f.severity != RuleSeverity::info)
            res.verdict = std::max(res.verdict, verdict_of(f.severity));
    // Blocked under an authority is blocked, whether or not a rule of its pack says so.
    if (!res.blocked.empty()) res.verdict = Verdict::blocked;
    for (const auto& u : res.indeterminate)
        if (verdict_of(u.severity) > std::max(res.verdict, res.could_be.value_or(Verdict::clear)))
            res.could_be = verdict_of(u.severity);
    return res;
}

}  // namespace

Report Ruleset::check(const Input& input, const CheckOptions& options) const {
    Report rep = check(input, options, [](Result&&) {});
    return rep;
}

namespace {
eval::Date resolve_as_of(const detail::InputData& in, const CheckOptions& options) {
    eval::Date as_of = today();
    if (options.as_of)
        eval::parse_date(*options.as_of, as_of);
    else if (in.as_of)
        as_of = *in.as_of;
    return as_of;
}
}  // namespace

Provenance Ruleset::provenance(const Input& input, const CheckOptions& options) const {
    return {version(), model_->packs, model_->hash,
            eval::format_date(resolve_as_of(*input.data_, options)), input.data_->lists};
}

Report Ruleset::check(const Input& input, const CheckOptions& options,
                      const ResultSink& sink) const {
    const Model& m = *model_;
    const detail::InputData& in = *input.data_;
    const eval::Date as_of = resolve_as_of(in, options);
    if (eval::Date d; options.as_of && !eval::parse_date(*options.as_of, d)) {
        // An impossible date evaluates nothing: no record is checked as of another day.
        Report rep;
        rep.provenance = provenance(input, options);
        rep.provenance.as_of = *options.as_of;
        const std::string why = "not evaluated: as_of '" + *options.as_of +
                                "' is not a date YYYY-MM-DD (or not a day of the calendar)";
        rep.warnings.push_back(
            {Severity::error, "as-of", why, Location{"<options>", 0, 0, 1, {}}, {}});
        for (const auto& rec : in.records) {
            Result r;
            r.entity = rec.id;
            r.name = rec.name;
            r.line = rec.line;
            r.file = rec.file;
            r.rejected = why;
            ++rep.summary.entities;
            ++rep.summary.rejected;
            if (options.stream)
                sink(std::move(r));
            else
                rep.results.push_back(std::move(r));
        }
        return rep;
    }

    // Licences in force, less the versions retired by a successor that has been issued, even
    // if that successor has since expired: an expired GL 8L does not revive GL 8K.
    auto retired = [&](const detail::Licence& l) {
        return std::any_of(m.licences.begin(), m.licences.end(), [&](const detail::Licence& o) {
            return o.supersedes == l.id && (!o.period.from || o.period.from->days <= as_of.days);
        });
    };
    std::vector<const detail::Licence*> licences;
    for (const auto& l : m.licences)
        if (l.period.contains(as_of) && !retired(l)) licences.push_back(&l);

    Report rep;
    rep.provenance = provenance(input, options);
    detail::PackDomain domain(m, in, as_of);
    detail::ownership::Graph graph(in.by_id, as_of);
    domain.compute_ownership(graph);
    if (!graph.hazards().empty()) {
        std::unordered_map<std::string, const detail::Record*> where;
        for (const auto* group : {&in.known, &in.records})
            for (const auto& r : *group) where.emplace(r.id, &r);
        for (const auto& [id, message] : graph.hazards()) {
            Diagnostic d;
            d.severity = Severity::warning;
            d.code = "ownership-data";
            d.message = id + ": " + message;
            if (auto it = where.find(id); it != where.end())
                d.where = Location{it->second->file, it->second->line, 1, 1, {}};
            rep.warnings.push_back(std::move(d));
        }
    }

    auto count = [&](const Result& r) {
        ++rep.summary.entities;
        if (r.rejected)
            ++rep.summary.rejected;
        else
            ++rep.summary.verdicts[to_string(r.verdict)];
        if (!r.indeterminate.empty()) ++rep.summary.indeterminate;
    };
    const bool keep = !options.stream;
    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    const std::size_t n = in.records.size();
    // Chunks keep memory bounded when streaming; within a chunk the workers take records
    // in any order, and the chunk is handed on in input order, so output never depends on
    // the number of jobs. With more than one job, the workers evaluate the next chunk while
    // this thread hands on the last one (the sink often writes, which is serial work).
    jobs = std::min(jobs, 1024u);  // an embedder's huge count must not overflow the chunk
    const std::size_t chunk = jobs == 1 ? 1024 : std::size_t{4096} * jobs;
    struct Batch {
        std::size_t begin = 0, end = 0;
        std::vector<Result> slots;
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> pool;
    };
    auto work = [&](Batch& b) {
        Positions positions;
        for (std::size_t i; (i = b.next.fetch_add(1)) < b.end;) {
            Result& slot = b.slots[i - b.begin];
            try {
                slot = evaluate_record(m, in.records[i], domain, licences, options, positions);
            } catch (const std::exception& e) {  // one record's failure loses no other
                slot = Result{};
                slot.entity = in.records[i].id;
                slot.line = in.records[i].line;
                slot.errors.push_back({"", std::string("internal error: ") + e.what(), {}});
            }
        }
    };
    auto start = [&](Batch& b, std::size_t begin) {
        b.begin = begin;
        b.end = std::min(n, begin + chunk);
        b.slots.assign(b.end - b.begin, Result{});
        b.next = begin;
        if (jobs == 1 || b.end - b.begin < 64)
            work(b);
        else
            for (unsigned t = 0; t < jobs; ++t) b.pool.emplace_back(work, std::ref(b));
    };
    auto finish = [](Batch& b) {
        for (auto& t : b.pool) t.join();
        b.pool.clear();
    };
    std::array<Batch, 2> batches;
    struct Join {  // no worker outlives this call, whatever the sink throws
        std::array<Batch, 2>& batches;
        ~Join() {
            for (auto& b : batches)
                for (auto& t : b.pool) t.join();
        }
    } join{batches};
    if (n > 0) start(batches[0], 0);
    for (std::size_t k = 0, begin = 0; begin < n; ++k, begin += chunk) {
        Batch& now = batches[k % 2];
        finish(now);
        if (begin + chunk < n) start(batches[(k + 1) % 2], begin + chunk);
        for (auto& r : now.slots) {
            count(r);
            if (keep)
                rep.results.push_back(std::move(r));
            else
                sink(std::move(r));
        }
    }
    return rep;
}

std::string default_rules_path(const std::string& argv0) {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("SANX_RULES"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::canonical("/proc/self/exe", ec);
    if (ec) exe = fs::absolute(argv0, ec);
    fs::path installed = exe.parent_path().parent_path() / SANX_INSTALL_RULES_DIR;
    if (fs::is_directory(installed, ec)) return installed.string();
    return SANX_SOURCE_RULES_DIR;
}

}  // namespace sanx
