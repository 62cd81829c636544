"""Checking one input on a Dask cluster (docs/scale-out.md).

    from distributed import Client
    import sanx.dask
    client = Client("tcp://scheduler:8786")
    results = sanx.dask.check(["/data/customers.jsonl"], ["/opt/sanx/rules"],
                              lists=["/data/sdn.jsonl"], as_of="2025-06-01")
    results.to_textfiles("/data/out/*.jsonl")  # or .compute()

The whole input is read once on the client, which counts its records, reports what cannot
be read and settles as_of. Each worker then builds the same index once (its records,
ownership and control graph and list matches): from the files themselves, which it must
see at the same paths, or from the text the client scattered, for a bag. A task checks one
range of records against that index and reports only those, so a record's result is the one
`sanx check` over the whole input gives, whatever the partition: ownership chains through
records of other partitions included. A task that is lost with its worker is run again,
and no record is lost.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Sequence, Union

import dask
import dask.bag as db

from . import InputError, Ruleset, Diagnostic, _check_as_of, _diagnostics, _line

__all__ = ["check"]

# Each worker keeps the last few indexes it built: one run's tasks share one.
_KEEP = 2
_built: "OrderedDict[tuple, object]" = OrderedDict()
_lock = threading.Lock()
_building: dict = {}


def _sha256_files(paths: Sequence[str]) -> list[str]:
    out = []
    for p in paths:
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        out.append(h.hexdigest())
    return out


def _read_whole(rules: Ruleset, source: tuple):
    """The whole input as `source` describes it, read and indexed."""
    kind = source[0]
    if kind == "files":
        _, paths, lists, encoding, digests = source
        if _sha256_files(paths) != list(digests):
            raise InputError([Diagnostic("error", "changed", "an input file is not the one the client "
                                         "read (another file at the same path, or changed since)",
                                         paths[0], 0, 0)])
        return rules._impl.read(list(paths), list(lists), encoding)
    _, name, text, lists, encoding = source
    return rules._impl.read_text(name, text, list(lists), encoding)


def _whole(rules: Ruleset, source: tuple, key: tuple, size: int):
    """This worker's index of the whole input, built on first use (once, however many
    threads ask at once)."""
    with _lock:
        if key in _built:
            _built.move_to_end(key)
            return _built[key]
        event = _building.get(key)
        mine = event is None
        if mine:
            event = _building[key] = threading.Event()
    if not mine:
        event.wait()
        return _whole(rules, source, key, size)
    try:
        whole, _ = _read_whole(rules, source)
        if len(whole) != size:
            raise InputError([Diagnostic("error", "changed", f"the worker read {len(whole)} records "
                                         f"where the client read {size}", "", 0, 0)])
        with _lock:
            _built[key] = whole
            while len(_built) > _KEEP:
                _built.popitem(last=False)
        return whole
    finally:
        with _lock:
            del _building[key]
        event.set()


def _check_range(ranges, rules: Ruleset, source: tuple, key: tuple, size: int, as_of: str,
                 because: bool, jsonl: bool):
    out = []
    for begin, end in ranges:
        part = _whole(rules, source, key, size).part(begin, end)
        lines, _, _, _ = rules._impl.check_lines(part, as_of, because, 1)
        out.extend(lines[i] for i in range(len(lines)))
    if jsonl:
        return out
    import json
    return [json.loads(line) for line in out]


def _default_partitions(size: int) -> int:
    """Two tasks per worker thread, so that a slow or lost worker is made up by the others,
    and at most 250,000 records a task to bound a task's memory. Each task runs the
    ownership fixpoint over the whole input again: more tasks cost more (docs/scale-out.md)."""
    try:
        from distributed import default_client
        threads = sum(default_client().nthreads().values())
    except (ImportError, ValueError):
        threads = os.cpu_count() or 1
    return max(2 * threads, -(-size // 250_000))


def _share(source: tuple):
    """The input text goes to the workers once, by the scheduler's broadcast when there is a
    distributed client; local schedulers share the client's memory."""
    try:
        from distributed import default_client
        client = default_client()
    except (ImportError, ValueError):
        return dask.delayed(source, pure=True, traverse=False)
    return dask.delayed(client.scatter(source, broadcast=True, hash=True))


def check(bag_or_paths: Union[db.Bag, str, Sequence[str]], rules: Union[Ruleset, str, Sequence[str]],
          lists: Sequence[str] = (), as_of: str | None = None, *, partitions: int | None = None,
          because: bool = True, format: str = "dict", name: str = "<bag>",
          encoding: str = "") -> db.Bag:
    """A bag of the results of checking the input, in input order: dicts, or with
    format="jsonl" the lines `sanx check --format jsonl` writes (without ends of line).

    `bag_or_paths`: input files (JSON lines, CSV or documents, as `sanx check` reads them),
    or a bag of records (dicts or JSON-lines strings) read as one input named `name`.
    `rules`: a Ruleset or the paths of packs; `lists`: list files. Every path must mean the
    same file on every worker (positions in results name the files as given).
    `partitions`: how many tasks (default: two per worker thread; a bag keeps its own).
    as_of defaults to the input's, else today on the client."""
    if format not in ("dict", "jsonl"):
        raise ValueError("format is 'dict' or 'jsonl'")
    _check_as_of(as_of)
    if not isinstance(rules, Ruleset):
        rules = Ruleset.load(rules)
    lists = tuple(str(p) for p in lists)
    if isinstance(bag_or_paths, db.Bag):
        text = "".join(_line(r) + "\n" for r in bag_or_paths.compute())
        whole, raw = rules._impl.read_text(name, text, list(lists), encoding)
        source = ("text", name, text, lists, encoding)
        key = ("text", hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest(), lists,
               encoding, rules.hash)
        partitions = partitions or bag_or_paths.npartitions
    else:
        paths = (bag_or_paths,) if isinstance(bag_or_paths, (str, os.PathLike)) else bag_or_paths
        paths = tuple(str(p) for p in paths)
        digests = tuple(_sha256_files(paths))
        whole, raw = rules._impl.read(list(paths), list(lists), encoding)
        source = ("files", paths, lists, encoding, digests)
        key = ("files", paths, digests, lists, encoding, rules.hash)
    diags = _diagnostics(raw)
    if any(d.severity == "error" and d.line == 0 for d in diags):
        raise InputError(diags)
    size = len(whole)
    # One day for every worker, whatever their clocks say.
    as_of = rules._impl.provenance(whole, as_of)["as_of"]
    partitions = max(1, min(partitions or _default_partitions(size), size or 1))
    ranges = [(size * i // partitions, size * (i + 1) // partitions) for i in range(partitions)]
    shared = _share(source)
    return db.from_sequence(ranges, npartitions=partitions).map_partitions(
        _check_range, rules, shared, key, size, as_of, because, format == "jsonl")
