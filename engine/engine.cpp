#include <sanx/engine.hpp>
#include <sanx/version.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <thread>

#include "eval/evaluator.hpp"
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

namespace detail {

using eval::Kind;
using eval::Value;

/// The domain functions' view of the packs and the input, on one date.
class WorldDomain final : public eval::Domain {
  public:
    using States = std::map<std::string, ownership::AuthorityState>;

    WorldDomain(const Model& m, const InputData& in, eval::Date as_of)
        : m_(m), in_(in), as_of_(as_of) {}

    /// Runs every authority's ownership fixpoint; call once before evaluating.
    void compute_ownership(const ownership::Graph& graph) {
        for (const auto& [id, a] : m_.authorities) {
            if (!a.ownership.present) continue;
            std::unordered_map<std::string, std::vector<std::string>> listed;
            for (const auto& [eid, entity] : in_.by_id) {
                std::vector<std::string> texts;
                for (const Value* l : listings(*entity, id, ""))
                    if (a.blocks_listing(*l)) texts.push_back(listing_text(*l));
                if (!texts.empty()) listed.emplace(eid, std::move(texts));
            }
            states_.emplace(id, ownership::compute(graph, a, listed));
        }
    }

    const States& states() const { return states_; }

    eval::Date as_of() const override { return as_of_; }

    Value member(const std::string& country, const std::string& bloc,
                 std::string* why) const override {
        auto b = m_.blocs.find(bloc);
        if (b == m_.blocs.end()) return eval::Error{"unknown bloc '" + bloc + "'"};
        for (const auto& mem : b->second.members)
            if (mem.code == country && mem.status == "member" && mem.period.contains(as_of_)) {
                if (why)
                    *why = country + " is a member of " + bloc +
                           (b->second.name.empty() ? "" : " (" + b->second.name + ")") +
                           (mem.period.from ? " since " + eval::format_date(*mem.period.from) : "");
                return true;
            }
        return false;
    }

    Value blocs(const std::string& country) const override {
        eval::List out;
        for (const auto& [id, b] : m_.blocs)
            for (const auto& mem : b.members)
                if (mem.code == country && mem.status == "member" && mem.period.contains(as_of_)) {
                    out.emplace_back(id);
                    break;
                }
        return out;
    }

    Value borders(const std::string& a, const std::string& b, std::string* why) const override {
        if (related_one(a, "borders", b, why) || related_one(b, "borders", a, why)) return true;
        return false;
    }

    Value related(const std::string& a, const std::string& rel, const std::string& b,
                  std::string* why) const override {
        if (rel == "borders") return borders(a, b, why);
        return related_one(a, rel, b, why);
    }

    Value listed(const Value& x, const std::string& authority, const std::string& program,
                 std::string* why) const override {
        auto hits = listings(x, authority, program);
        if (hits.empty()) return false;
        if (why) {
            *why = subject_name(x) + " is listed by ";
            for (std::size_t i = 0; i < hits.size(); ++i)
                *why += (i ? "; " : "") + describe_listing(*hits[i]);
        }
        return true;
    }

    Value blocked(const Value& x, const std::string& authority, std::string* why) const override {
        auto a = m_.authorities.find(authority);
        if (a == m_.authorities.end()) return eval::Error{"unknown authority '" + authority + "'"};
        auto st = states_.find(authority);
        if (st == states_.end()) return listed(x, authority, "", why);  // no ownership semantics
        std::string id = id_of(x);
        if (auto b = st->second.blocked.find(id); !id.empty() && b != st->second.blocked.end()) {
            if (why) *why = describe_blocking(subject_name(x), authority, b->second);
            return true;
        }
        if (auto u = st->second.undecided.find(id); !id.empty() && u != st->second.undecided.end())
            return eval::Unknown{u->second};
        // A counterparty known only by what its entry says: its own listings decide.
        for (const Value* l : listings(x, authority, ""))
            if (a->second.blocks_listing(*l)) {
                if (why) *why = subject_name(x) + " is listed by " + describe_listing(*l);
                return true;
            }
        return false;
    }

    Value blocked_share(const Value& x, const std::string& authority,
                        std::string* why) const override {
        Value b = blocked(x, authority, why);
        if (!b.is(Kind::boolean)) return b;
        auto st = states_.find(authority);
        std::string id = id_of(x);
        if (st != states_.end()) {
            if (auto it = st->second.blocked.find(id); it != st->second.blocked.end())
                return it->second.share;
            if (auto it = st->second.share.find(id); it != st->second.share.end())
                return it->second;
        }
        return b.as_bool() ? 100.0 : 0.0;
    }

    /// Listings of x valid on as_of: its own and those of the entity its id names.
    std::vector<const Value*> listings(const Value& x, const std::string& authority,
                                       const std::string& program) const {
        std::vector<const Value*> out;
        auto scan = [&](const Value& entity) {
            const Value* ls = entity.field("listings");
            if (!ls || !ls->is(Kind::list)) return;
            for (const auto& l : ls->as_list()) {
                if (!authority.empty() && !field_is(l, "authority", authority)) continue;
                if (!program.empty()) {
                    const Value* p = l.field("program");
                    if (!p || !p->is(Kind::string) || p->as_string().rfind(program, 0) != 0)
                        continue;
                }
                const Value* from = l.field("from");
                const Value* until = l.field("until");
                if (from && from->is(Kind::date) && from->as_date().days > as_of_.days) continue;
                if (until && until->is(Kind::date) && until->as_date().days < as_of_.days) continue;
                if (std::find(out.begin(), out.end(), &l) == out.end()) out.push_back(&l);
            }
        };
        if (x.is(Kind::map)) {
            scan(x);
            if (const Value* id = x.field("id"); id && id->is(Kind::string))
                if (auto it = in_.by_id.find(id->as_string());
                    it != in_.by_id.end() && it->second != &x && !x.field("listings"))
                    scan(*it->second);
        } else if (x.is(Kind::string)) {
            if (auto it = in_.by_id.find(x.as_string()); it != in_.by_id.end()) scan(*it->second);
        }
        return out;
    }

  private:
    static std::string id_of(const Value& x) {
        if (x.is(Kind::string)) return x.as_string();
        if (const Value* id = x.field("id"); id && id->is(Kind::string)) return id->as_string();
        return {};
    }

    static std::string describe_blocking(const std::string& id, const std::string& authority,
                                         const Blocking& b) {
        if (b.reason == "listed") {
            std::string out = id + " is listed by " + authority;
            for (const auto& l : b.listings) out += " (" + l + ")";
            return out;
        }
        std::string out = id + " is blocked by " + authority + " through " + b.reason;
        if (b.reason == "ownership") {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%g%%", b.share);
            out += std::string(" (") + buf + " held by blocked persons)";
        }
        if (!b.paths.empty()) {
            out += ": ";
            const auto& p = b.paths.front();
            out += p.front().from;
            for (const auto& link : p) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%g%%", link.share);
                out += " -" + std::string(link.share > 0 ? buf : "controls") + "-> " + link.to;
            }
        }
        return out;
    }

    static bool field_is(const Value& m, const char* key, const std::string& want) {
        const Value* v = m.field(key);
        return v && v->is(Kind::string) && v->as_string() == want;
    }

    static std::string subject_name(const Value& x) {
        if (x.is(Kind::string)) return x.as_string();
        if (const Value* id = x.field("id"); id && id->is(Kind::string)) {
            const Value* how = x.field("matched_by");
            return id->as_string() + (how ? " (matched by " + eval::display(*how) + ")" : "");
        }
        if (const Value* n = x.field("name"); n && n->is(Kind::string)) return n->as_string();
        return "the entity";
    }

    /// `SDN RUSSIA-EO14024 since 2022-04-06`
    static std::string listing_text(const Value& l) {
        std::string out;
        for (const char* k : {"list", "program"})
            if (const Value* v = l.field(k)) out += (out.empty() ? "" : " ") + eval::display(*v);
        if (const Value* f = l.field("from")) out += " since " + eval::display(*f);
        if (const Value* m = l.field("matched_by")) out += ", matched by " + eval::display(*m);
        return out;
    }

    static std::string describe_listing(const Value& l) {
        const Value* a = l.field("authority");
        return (a ? eval::display(*a) + " " : std::string()) + listing_text(l);
    }

    bool related_one(const std::string& a, const std::string& rel, const std::string& b,
                     std::string* why) const {
        for (const auto& r : m_.relations) {
            if (r.relation != rel || r.subject != a || !r.period.contains(as_of_)) continue;
            if (std::find(r.objects.begin(), r.objects.end(), b) == r.objects.end()) continue;
            if (why) *why = "relation '" + r.text + "'";
            return true;
        }
        return false;
    }

    const Model& m_;
    const InputData& in_;
    eval::Date as_of_;
    States states_;
};

struct Model;
}  // namespace detail

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
    auto loaded = detail::load_packs(paths);
    out.diagnostics = std::move(loaded.diagnostics);
    if (loaded.model) out.ruleset = std::make_shared<const Ruleset>(loaded.model);
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

void read_into(const detail::Model& m, const source::SourcePtr& src, InputFormat format, bool lists,
               detail::InputData& data, std::vector<Diagnostic>& diags) {
    if (format == InputFormat::automatic) format = format_of(src->name());
    if (format == InputFormat::json_lines)
        detail::read_json_lines(m, src, lists, data, diags);
    else if (format == InputFormat::csv)
        detail::read_csv(m, src, lists, data, diags);
    else
        detail::read_document(m, src, lists, data, diags);
}

}  // namespace

Ruleset::ReadResult Ruleset::read(const std::vector<std::string>& inputs,
                                  const std::vector<std::string>& lists) const {
    ReadResult out;
    for (const auto* group : {&lists, &inputs})
        for (const auto& path : *group) {
            source::SourcePtr src;
            if (path == "-") {
                std::string text(std::istreambuf_iterator<char>(std::cin), {});
                src = std::make_shared<const source::Source>("<stdin>", std::move(text));
            } else {
                src = detail::read_source(path, out.diagnostics);
            }
            if (src)
                read_into(*model_, src, format_of(path), group == &lists, *out.input.data_,
                          out.diagnostics);
        }
    out.input.data_->index();
    return out;
}

Ruleset::ReadResult Ruleset::read_text(const std::string& name, const std::string& text,
                                       InputFormat format) const {
    ReadResult out;
    auto src = std::make_shared<const source::Source>(name, text);
    read_into(*model_, src, format, false, *out.input.data_, out.diagnostics);
    out.input.data_->index();
    return out;
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

Result evaluate_record(const Model& m, const detail::Record& rec, const detail::WorldDomain& domain,
                       const std::vector<const detail::Licence*>& licences) {
    Result res;
    res.entity = rec.id;
    res.name = rec.name;
    res.line = rec.line;
    if (rec.rejected) {
        res.rejected = rec.rejected;
        return res;
    }
    eval::Date as_of = domain.as_of();
    eval::Frame frame;
    frame.entity = &rec.value;
    frame.domain = &domain;
    for (const auto& g : m.regimes) {
        if (!g.period.contains(as_of)) continue;
        for (const auto& rule : g.rules) {
            if (!rule.period.contains(as_of)) continue;
            Value v = eval::evaluate(*rule.when.checked, frame);
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
            for (auto& fact : eval::witness(*rule.when.checked, rule.when.text, frame))
                f.because.push_back(
                    {fact.expr, fact.seen, rule.when.locate(fact.begin, fact.end - fact.begin)});
            for (const auto* l : licences) {
                if (!l->exempts_rule(f.rule)) continue;
                Value ok = eval::evaluate(*l->when.checked, frame);
                if (ok.is(Kind::boolean) && ok.as_bool()) {
                    f.exempted_by = l->id;
                    break;
                }
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
    for (const auto& f : res.findings)
        if (!f.exempted_by && f.severity != RuleSeverity::info)
            res.verdict = std::max(res.verdict, verdict_of(f.severity));
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
            eval::format_date(resolve_as_of(*input.data_, options))};
}

Report Ruleset::check(const Input& input, const CheckOptions& options,
                      const ResultSink& sink) const {
    const Model& m = *model_;
    const detail::InputData& in = *input.data_;
    const eval::Date as_of = resolve_as_of(in, options);

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
    detail::WorldDomain domain(m, in, as_of);
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
    // the number of jobs.
    const std::size_t chunk = jobs == 1 ? 1024 : 4096 * jobs;
    std::vector<Result> slots;
    for (std::size_t begin = 0; begin < n; begin += chunk) {
        std::size_t end = std::min(n, begin + chunk);
        slots.assign(end - begin, Result{});
        std::atomic<std::size_t> next{begin};
        auto work = [&] {
            for (std::size_t i; (i = next.fetch_add(1)) < end;)
                slots[i - begin] = evaluate_record(m, in.records[i], domain, licences);
        };
        if (jobs == 1 || end - begin < 64) {
            work();
        } else {
            std::vector<std::thread> pool;
            for (unsigned t = 0; t < jobs; ++t) pool.emplace_back(work);
            for (auto& t : pool) t.join();
        }
        for (auto& r : slots) {
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
