"""sanx: the sanctions-exposure rule engine, from Python (docs/python.md).

    import sanx
    rules = sanx.Ruleset.load(["rules"])
    for result in rules.check(records, lists=["sdn.jsonl"], as_of="2025-06-01"):
        print(result["entity"], result["verdict"])

A result is the dict of the line `sanx check --format jsonl` writes for the record. Problems
in the rules raise LoadError, with the position of each; problems with single records are
rejected results in place, as in the CLI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Sequence, Union

from . import _sanx

__all__ = ["Ruleset", "Results", "Screening", "Diagnostic", "Error", "LoadError", "InputError", "version"]

version = _sanx.version


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the rules or the input, with its place (line and column 1-based;
    0 when the file as a whole is meant)."""

    severity: str  # error, warning or note
    code: str
    message: str
    file: str
    line: int
    column: int
    hints: Sequence[str] = field(default_factory=tuple)
    rendered: str = ""  # `file:line:col: error: message`, the source line and a caret

    def __str__(self) -> str:
        return self.rendered or f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


def _diagnostics(raw) -> list[Diagnostic]:
    return [Diagnostic(**{**d, "hints": tuple(d["hints"])}) for d in raw]


class Error(Exception):
    """Diagnostics that stopped sanx. `file`, `line`, `column` and `message` are those of
    the first error; `diagnostics` has every one, warnings included."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"] or self.diagnostics
        first = errors[0] if errors else Diagnostic("error", "internal", "failed", "", 0, 0)
        self.file, self.line, self.column, self.message = first.file, first.line, first.column, first.message
        super().__init__("\n".join(str(d).rstrip("\n") for d in errors))


class LoadError(Error):
    """The rule packs could not be loaded."""


class InputError(Error):
    """An input or list file could not be read."""


Record = Union[Mapping, str, bytes]


def _line(record: Record) -> str:
    """One JSON line for a record: a dict is serialised, a JSON-lines string is taken as
    it is (without its end of line)."""
    if isinstance(record, Mapping):
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
    if isinstance(record, bytes):
        record = record.decode("utf-8", errors="surrogateescape")
    if not isinstance(record, str):
        raise TypeError(f"a record is a dict or a JSON-lines string, not {type(record).__name__}")
    if record.endswith("\n"):
        record = record[:-1]
    if "\n" in record:
        raise ValueError("a JSON-lines string holds one record: it has a line break inside")
    return record


def _check_as_of(as_of):
    if as_of is not None and not _sanx.is_date(as_of):
        raise ValueError(f"as_of '{as_of}' is not a date YYYY-MM-DD (or not a day of the calendar)")


class _Lines:
    """JSON lines held by C++: each becomes a dict only when it is iterated."""

    def __init__(self, lines):
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[dict]:
        for i in range(len(self._lines)):
            yield json.loads(self._lines[i])

    @property
    def lines(self) -> Iterator[str]:
        return (self._lines[i] for i in range(len(self._lines)))


class Results(_Lines):
    """The results of one check, in input order; iterate for dicts, or take `lines` for the
    JSON lines as `sanx check --format jsonl` writes them (without ends of line).
    `summary`, `provenance` and `warnings` (the input's diagnostics, a rejected record's
    among them, then the ownership-data ones) are known as soon as the check returns."""

    def __init__(self, lines, summary, provenance, warnings):
        super().__init__(lines)
        self.summary: dict = summary
        self.provenance: dict = provenance
        self.warnings: list[Diagnostic] = warnings


class Screening(_Lines):
    """The screened parties of one screen(), in input order; iterate for dicts, or take
    `lines` for the JSON lines `sanx screen --format jsonl` writes. `warnings` are the
    input's diagnostics (a rejected record's among them)."""

    def __init__(self, lines, warnings):
        super().__init__(lines)
        self.warnings: list[Diagnostic] = warnings


class Ruleset:
    """Loaded rule packs: immutable, and safe to share between threads (every check
    releases the GIL while C++ works). Pickles as its paths and hash, so that Dask can send
    it to workers, which load the same files and refuse different ones."""

    def __init__(self, impl, paths: Sequence[str], warnings: Sequence[Diagnostic] = ()):
        self._impl = impl
        self._paths = list(paths)
        self.warnings = list(warnings)

    @classmethod
    def load(cls, paths: Union[str, Sequence[str]]) -> "Ruleset":
        """Loads every *.yaml pack in each path (a file or a folder); raises LoadError."""
        if isinstance(paths, str):
            paths = [paths]
        paths = [str(p) for p in paths]
        impl, raw = _sanx.Ruleset.load(paths)
        diags = _diagnostics(raw)
        if impl is None:
            raise LoadError(diags)
        return cls(impl, paths, diags)

    @property
    def hash(self) -> str:
        """SHA-256 over every loaded rule file, in load order."""
        return self._impl.hash

    @property
    def paths(self) -> list[str]:
        return list(self._paths)

    @property
    def provenance(self) -> dict:
        """sanx version, packs (id, version, title, file) and ruleset hash. A check's own
        provenance (Results.provenance) adds its as_of and lists."""
        return {"sanx_version": version, "packs": self._impl.packs, "ruleset_hash": self.hash}

    def check(self, records: Iterable[Record], lists: Sequence[str] = (), as_of: str | None = None,
              because: bool = True, jobs: int = 0, name: str = "<records>",
              encoding: str = "") -> Results:
        """Checks records (dicts, or JSON-lines strings) read as one input named `name`
        (line n is the n-th record), against `lists` (files). Results come in input order;
        each equals the line `sanx check --format jsonl` writes for the same record.
        `jobs`: C++ threads (0: one per core). Raises InputError if a list is unreadable,
        ValueError for an as_of that is not a date."""
        _check_as_of(as_of)
        text = "".join(_line(r) + "\n" for r in records)
        input_, raw = self._impl.read_text(name, text, [str(p) for p in lists], encoding)
        return self._check(input_, raw, as_of, because, jobs)

    def screen(self, parties: Iterable[Record], lists: Sequence[str] = (),
               match_threshold: float | None = None, review_threshold: float | None = None,
               max_candidates: int | None = None, name: str = "<records>",
               encoding: str = "") -> Screening:
        """Screens parties by name (records as for check: dicts, or JSON-lines strings)
        against `lists`: for each party of each record (the entity, then its
        counterparties), the list entries it may be, best first, with the features that
        scored them. Each item equals the object `sanx screen --format json` writes for
        that party. Thresholds left None are sanx's defaults (docs/screening.md). Raises
        InputError if a list is unreadable, ValueError for thresholds out of order."""
        text = "".join(_line(r) + "\n" for r in parties)
        input_, raw = self._impl.read_text(name, text, [str(p) for p in lists], encoding)
        diags = _diagnostics(raw)
        if any(d.severity == "error" and d.line == 0 for d in diags):
            raise InputError(diags)
        lines = self._impl.screen_lines(input_, match_threshold, review_threshold, max_candidates)
        return Screening(lines, diags)

    def check_files(self, paths: Sequence[str], lists: Sequence[str] = (), as_of: str | None = None,
                    because: bool = True, jobs: int = 0, encoding: str = "") -> Results:
        """The same over input files, as `sanx check PATHS --lists LISTS` reads them."""
        _check_as_of(as_of)
        input_, raw = self._impl.read([str(p) for p in paths], [str(p) for p in lists], encoding)
        return self._check(input_, raw, as_of, because, jobs)

    def _check(self, input_, raw, as_of, because, jobs) -> Results:
        diags = _diagnostics(raw)
        # A file that could not be read at all fails the check; a record that could not be
        # read is a rejected result in its place, and its diagnostic is among the warnings.
        if any(d.severity == "error" and d.line == 0 for d in diags):
            raise InputError(diags)
        lines, summary, provenance, warnings = self._impl.check_lines(input_, as_of, because, jobs)
        return Results(lines, summary, provenance, diags + _diagnostics(warnings))

    def __reduce__(self):
        return (_load_same, (self._paths, self.hash))


_loaded: dict = {}


def _load_same(paths, expected_hash) -> Ruleset:
    """A ruleset from `paths`, once per process, that must hash as `expected_hash`: a
    worker that sees other rule files refuses to check rather than give other answers."""
    key = (tuple(paths), expected_hash)
    rs = _loaded.get(key)
    if rs is None:
        rs = Ruleset.load(paths)
        if rs.hash != expected_hash:
            raise LoadError([Diagnostic("error", "ruleset-hash",
                                        f"the rules at {paths} hash as {rs.hash}, not {expected_hash}",
                                        str(paths[0]) if paths else "", 0, 0)])
        _loaded[key] = rs
    return rs
