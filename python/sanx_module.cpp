// The extension `sanx._sanx`: the public API (include/sanx/) as Python sees it. Only the
// pure-Python package (python/sanx/__init__.py) uses it directly; it turns diagnostics into
// exceptions and results into dicts. The GIL is released whenever C++ reads or checks.

#include <sanx/engine.hpp>
#include <sanx/report.hpp>
#include <sanx/screen.hpp>
#include <sanx/version.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace {

py::dict diagnostic(const sanx::Diagnostic& d) {
    py::dict out;
    out["severity"] = sanx::to_string(d.severity);
    out["code"] = d.code;
    out["message"] = d.message;
    out["file"] = d.where.file;
    out["line"] = d.where.line;
    out["column"] = d.where.column;
    out["hints"] = d.hints;
    out["rendered"] = sanx::render(d);
    return out;
}

py::list diagnostics(const std::vector<sanx::Diagnostic>& ds) {
    py::list out;
    for (const auto& d : ds) out.append(diagnostic(d));
    return out;
}

py::list packs(const std::vector<sanx::PackInfo>& ps) {
    py::list out;
    for (const auto& p : ps) {
        py::dict d;
        d["id"] = p.id;
        d["version"] = p.version;
        d["title"] = p.title;
        d["file"] = p.file;
        out.append(std::move(d));
    }
    return out;
}

py::dict provenance(const sanx::Provenance& p) {
    py::dict out;
    out["sanx_version"] = p.sanx_version;
    out["packs"] = packs(p.packs);
    out["ruleset_hash"] = p.ruleset_hash;
    out["as_of"] = p.as_of;
    py::list lists;
    for (const auto& l : p.lists) {
        py::dict d;
        d["path"] = l.path;
        d["sha256"] = l.sha256;
        d["records"] = l.records;
        d["published"] = l.published ? py::object(py::str(*l.published)) : py::none();
        lists.append(std::move(d));
    }
    out["lists"] = std::move(lists);
    return out;
}

py::dict summary(const sanx::Summary& s) {
    py::dict out;
    out["entities"] = s.entities;
    out["verdicts"] = s.verdicts;
    out["indeterminate"] = s.indeterminate;
    out["rejected"] = s.rejected;
    return out;
}

using RulesetPtr = std::shared_ptr<sanx::Ruleset>;
using InputPtr = std::shared_ptr<sanx::Input>;

/// The JSON lines of one check, kept in C++ until Python asks for each.
struct Lines {
    std::vector<std::string> lines;
};

py::tuple read_result(sanx::Ruleset::ReadResult&& r) {
    auto input = std::make_shared<sanx::Input>(std::move(r.input));
    return py::make_tuple(input, diagnostics(r.diagnostics));
}

}  // namespace

PYBIND11_MODULE(_sanx, m) {
    m.doc() = "sanx: the sanctions-exposure rule engine (the C++ library; use the sanx package)";
    m.attr("version") = sanx::version();
    m.def("is_date", &sanx::is_date, py::arg("text"));

    py::class_<sanx::Input, InputPtr>(m, "Input")
        .def("__len__", &sanx::Input::size)
        .def_property_readonly("as_of", &sanx::Input::as_of)
        .def(
            "part",
            [](const InputPtr& whole, std::size_t begin, std::size_t end) {
                return std::make_shared<sanx::Input>(sanx::Input::part(whole, begin, end));
            },
            py::arg("begin"), py::arg("end"), py::call_guard<py::gil_scoped_release>());

    py::class_<Lines, std::shared_ptr<Lines>>(m, "Lines")
        .def("__len__", [](const Lines& l) { return l.lines.size(); })
        .def("__getitem__", [](const Lines& l, std::size_t i) {
            if (i >= l.lines.size()) throw py::index_error();
            return py::str(l.lines[i]);
        });

    py::class_<sanx::Ruleset, RulesetPtr>(m, "Ruleset")
        .def_static(
            "load",
            [](const std::vector<std::string>& paths) {
                sanx::LoadResult r;
                {
                    py::gil_scoped_release nogil;
                    r = sanx::Ruleset::load(paths);
                }
                py::object rs = r.ruleset
                                    ? py::cast(std::const_pointer_cast<sanx::Ruleset>(r.ruleset))
                                    : py::none();
                return py::make_tuple(rs, diagnostics(r.diagnostics));
            },
            py::arg("paths"))
        .def_property_readonly("hash", &sanx::Ruleset::hash)
        .def_property_readonly("packs", [](const sanx::Ruleset& r) { return packs(r.packs()); })
        .def(
            "read",
            [](const sanx::Ruleset& r, const std::vector<std::string>& inputs,
               const std::vector<std::string>& lists, const std::string& encoding) {
                sanx::Ruleset::ReadResult out;
                {
                    py::gil_scoped_release nogil;
                    out = r.read(inputs, lists, encoding);
                }
                return read_result(std::move(out));
            },
            py::arg("inputs"), py::arg("lists"), py::arg("encoding"))
        .def(
            "read_text",
            [](const sanx::Ruleset& r, const std::string& name, const std::string& text,
               const std::vector<std::string>& lists, const std::string& encoding) {
                sanx::Ruleset::ReadResult out;
                {
                    py::gil_scoped_release nogil;
                    auto known = r.read_lists(lists);
                    out = r.read_text(name, text, known.input, sanx::InputFormat::json_lines,
                                      encoding);
                    out.diagnostics.insert(out.diagnostics.begin(), known.diagnostics.begin(),
                                           known.diagnostics.end());
                }
                return read_result(std::move(out));
            },
            py::arg("name"), py::arg("text"), py::arg("lists"), py::arg("encoding"))
        .def(
            "provenance",
            [](const sanx::Ruleset& r, const InputPtr& input, std::optional<std::string> as_of) {
                sanx::CheckOptions o;
                o.as_of = std::move(as_of);
                return provenance(r.provenance(*input, o));
            },
            py::arg("input"), py::arg("as_of"))
        .def(
            "check_lines",
            // Each result as the line `sanx check --format jsonl` writes for it.
            [](const sanx::Ruleset& r, const InputPtr& input, std::optional<std::string> as_of,
               bool because, unsigned jobs) {
                auto lines = std::make_shared<Lines>();
                sanx::Report rep;
                {
                    py::gil_scoped_release nogil;
                    sanx::CheckOptions o;
                    o.as_of = std::move(as_of);
                    o.because = because;
                    o.jobs = jobs;
                    o.stream = true;
                    const sanx::Provenance p = r.provenance(*input, o);
                    lines->lines.reserve(input->size());
                    rep = r.check(*input, o, [&](sanx::Result&& res) {
                        lines->lines.push_back(sanx::to_json_line(res, p));
                        lines->lines.back().pop_back();  // the end of line
                    });
                }
                return py::make_tuple(lines, summary(rep.summary), provenance(rep.provenance),
                                      diagnostics(rep.warnings));
            },
            py::arg("input"), py::arg("as_of"), py::arg("because"), py::arg("jobs"))
        .def(
            "screen_lines",
            // Each party as the line `sanx screen --format jsonl` writes for it; thresholds
            // left None are the library's defaults. The first is a threshold error, if any.
            [](const sanx::Ruleset&, const InputPtr& input, std::optional<double> match,
               std::optional<double> review, std::optional<std::size_t> max_candidates) {
                sanx::ScreenOptions o;
                if (match) o.match_threshold = *match;
                if (review) o.review_threshold = *review;
                if (max_candidates) o.max_candidates = *max_candidates;
                if (!(o.review_threshold > 0 && o.review_threshold <= o.match_threshold &&
                      o.match_threshold <= 1))
                    throw py::value_error(
                        "the thresholds must hold 0 < review_threshold <= match_threshold <= 1");
                auto lines = std::make_shared<Lines>();
                {
                    py::gil_scoped_release nogil;
                    for (const auto& p : sanx::screen(*input, o))
                        lines->lines.push_back(sanx::to_json(p));
                }
                return lines;
            },
            py::arg("input"), py::arg("match_threshold"), py::arg("review_threshold"),
            py::arg("max_candidates"));
}
