#include <sanx/engine.hpp>
#include <sanx/version.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "common/parallel.hpp"
#include "io/input.hpp"
#include "packs/model.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/session.hpp"

namespace sanx {

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
        if (loaded.model) out.ruleset = std::shared_ptr<const Ruleset>(new Ruleset(loaded.model));
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
               std::vector<Diagnostic>& diags, unsigned jobs = 1) {
    if (format == InputFormat::automatic) format = format_of(src->name());
    const std::size_t records_before = (lists ? data.known : data.records).size();
    const std::size_t diags_before = diags.size();
    // No exception leaves the library: a reader that fails unexpectedly becomes a diagnostic.
    try {
        detail::InputText in = detail::prepare_input(src, encoding, diags);
        if (!in) return;
        if (format == InputFormat::json_lines)
            detail::read_json_lines(m, in, lists, data, diags, jobs);
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

}  // namespace

namespace {

/// Reads the lists, then the inputs, into `data`, without indexing them.
void read_files(const detail::Model& model, const std::vector<std::string>& inputs,
                const std::vector<std::string>& lists, const std::string& encoding,
                std::istream* standard_input, unsigned jobs, detail::InputData& data,
                std::vector<Diagnostic>& diagnostics) {
    auto read_one = [&](const std::string& path, bool is_list) {
        source::SourcePtr src;
        if (path == "-") {
            if (!standard_input) {
                diagnostics.push_back({Severity::error,
                                       "io",
                                       "'-' names standard input, and none was given",
                                       Location{"<stdin>", 0, 0, 1, {}},
                                       {}});
                return;
            }
            src = source::read_source(*standard_input, "<stdin>", diagnostics);
        } else {
            src = source::read_source(path, diagnostics);
        }
        if (!src) return;
        const std::size_t first = data.known.size();
        // `encoding` is the inputs' own: list files are sanx import's UTF-8.
        read_into(model, src, format_of(path), is_list ? "" : encoding, is_list, data, diagnostics,
                  jobs);
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
    std::sort(data.lists.begin(), data.lists.end(), [](const ListFile& a, const ListFile& b) {
        return std::tie(a.path, a.sha256) < std::tie(b.path, b.sha256);
    });
}

void index(detail::InputData& data, const ScreenOptions& screening,
           std::vector<Diagnostic>& diagnostics, unsigned jobs = 1) {
    data.index(screening, jobs);
    diagnostics.insert(diagnostics.end(), data.warnings.begin(), data.warnings.end());
}

}  // namespace

Ruleset::ReadResult Ruleset::read(const std::vector<std::string>& inputs,
                                  const std::vector<std::string>& lists,
                                  const std::string& encoding, const ScreenOptions& screening,
                                  std::istream* standard_input, unsigned jobs) const {
    ReadResult out;
    read_files(*model_, inputs, lists, encoding, standard_input, jobs, *out.input.data_,
               out.diagnostics);
    index(*out.input.data_, screening, out.diagnostics, jobs);
    return out;
}

Ruleset::ReadResult Ruleset::read_lists(const std::vector<std::string>& lists) const {
    ReadResult out;
    read_files(*model_, {}, lists, {}, nullptr, 0, *out.input.data_, out.diagnostics);
    return out;
}

Ruleset::ReadResult Ruleset::read_text(const std::string& name, const std::string& text,
                                       InputFormat format, const std::string& encoding) const {
    ReadResult out;
    auto src = std::make_shared<const source::Source>(name, text);
    read_into(*model_, src, format, encoding, false, *out.input.data_, out.diagnostics);
    index(*out.input.data_, {}, out.diagnostics);
    return out;
}

Ruleset::ReadResult Ruleset::read_text(const std::string& name, const std::string& text,
                                       const Input& lists, InputFormat format,
                                       const std::string& encoding,
                                       const ScreenOptions& screening) const {
    ReadResult out;
    detail::InputData& data = *out.input.data_;
    if (lists.data_->base) {  // indexed once (prepare_lists()): shared, not copied
        data.base = lists.data_->base;
        data.ids = data.base->ids;
        data.lists = data.base->lists;
    } else {  // index() merges list parties in place, so each read indexes its own copy
        data.known = lists.data_->known;
        data.ids = lists.data_->ids;
        data.lists = lists.data_->lists;
    }
    auto src = std::make_shared<const source::Source>(name, text);
    read_into(*model_, src, format, encoding, false, data, out.diagnostics);
    index(data, screening, out.diagnostics);
    return out;
}

Report Ruleset::check(const Input& input, const CheckOptions& options) const {
    Report rep = check(input, options, [](Result&&) {});
    return rep;
}

Provenance Ruleset::provenance(const Input& input, const CheckOptions& options) const {
    auto as_of = detail::resolve_as_of(options.as_of, *input.data_);
    return {version(), model_->packs, model_->hash,
            as_of ? eval::format_date(*as_of) : *options.as_of, input.data_->lists};
}

Report Ruleset::check(const Input& input, const CheckOptions& options,
                      const ResultSink& sink) const {
    const detail::InputData& in = *input.data_;
    Report rep;
    rep.provenance = provenance(input, options);
    using Clock = std::chrono::steady_clock;
    const auto began = Clock::now();
    Diagnostic why;
    auto session = detail::Session::open(*model_, in, options.as_of, &why, options.jobs);
    if (!session) {
        // An impossible date evaluates nothing: no record is checked as of another day.
        why.message = "not evaluated: " + why.message;
        for (const auto& rec : in.records) {
            Result r = detail::result_for(rec);
            r.rejected = why.message;
            ++rep.summary.entities;
            ++rep.summary.rejected;
            if (options.stream)
                sink(std::move(r));
            else
                rep.results.push_back(std::move(r));
        }
        rep.warnings.push_back(std::move(why));
        return rep;
    }
    rep.timings.ownership = std::chrono::duration<double>(Clock::now() - began).count();
    const auto owned = Clock::now();
    rep.warnings = session->hazards();

    auto count = [&](const Result& r) {
        ++rep.summary.entities;
        if (r.rejected)
            ++rep.summary.rejected;
        else
            ++rep.summary.verdicts[to_string(r.verdict)];
        if (!r.indeterminate.empty()) ++rep.summary.indeterminate;
    };
    const bool keep = !options.stream;
    unsigned jobs = workers(options.jobs);
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
        detail::Positions positions;
        for (std::size_t i; (i = b.next.fetch_add(1)) < b.end;) {
            Result& slot = b.slots[i - b.begin];
            try {
                slot = detail::evaluate_record(*session, in.records[i], options, positions);
            } catch (const std::exception& e) {  // one record's failure loses no other
                slot = detail::result_for(in.records[i]);
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
    rep.timings.evaluate = std::chrono::duration<double>(Clock::now() - owned).count();
    return rep;
}

}  // namespace sanx
