"""The Python module: results equal the CLI's, errors carry positions, one ruleset serves
many threads with the GIL released."""

import importlib
import json
import threading
import time

import pytest

import sanx
from conftest import AS_OF, SAMPLE, SOURCE, sanx_check
from generate import records


def test_import_exposes_the_api():
    assert sanx.version
    assert callable(sanx.Ruleset.load)
    assert callable(importlib.import_module("sanx.dask").check)  # with Debian's distributed


def test_provenance_names_packs_and_hash(rules):
    p = rules.provenance
    assert p["ruleset_hash"] == rules.hash and len(rules.hash) == 64
    assert [pack["file"].rsplit("/", 1)[-1] for pack in p["packs"]] == [
        "eu.yaml", "uk.yaml", "un.yaml", "us.yaml", "world.yaml"]
    assert p["sanx_version"] == sanx.version


def test_check_files_equals_the_cli_line_for_line(rules):
    expected = sanx_check(SAMPLE)
    got = rules.check_files([SAMPLE])
    assert "".join(line + "\n" for line in got.lines) == expected
    assert list(got) == [json.loads(line) for line in expected.splitlines()]
    assert got.provenance["as_of"] == AS_OF  # the document's own
    assert got.summary["entities"] == len(expected.splitlines())


def test_dicts_and_json_lines_check_as_the_cli_checks_the_file(rules, tmp_path, sdn_list):
    lines = list(records(400))
    path = tmp_path / "in.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    expected = sanx_check("--as-of", AS_OF, "--lists", sdn_list, str(path))
    # Strings as given, and dicts serialised: the same results, rejected lines included.
    from_lines = rules.check(lines, lists=[sdn_list], as_of=AS_OF, name=str(path))
    assert "".join(line + "\n" for line in from_lines.lines) == expected
    as_dicts = []
    for line in lines:
        try:
            as_dicts.append(json.loads(line))
        except json.JSONDecodeError:
            as_dicts.append(line)  # the broken line stays a string, and stays rejected
    from_dicts = list(rules.check(as_dicts, lists=[sdn_list], as_of=AS_OF, name=str(path)))
    assert from_dicts == [json.loads(line) for line in expected.splitlines()]
    assert any("error" in r for r in from_dicts), "the generated input has rejected records"


def test_results_keep_input_order_and_list_matches(rules, sdn_list):
    recs = [{"id": f"c{i}", "name": f"C {i}", "owners": [{"id": "sdn-volga-holding", "share": 60}]}
            if i % 2 else {"id": f"c{i}", "name": f"C {i}"} for i in range(50)]
    out = list(rules.check(recs, lists=[sdn_list], as_of=AS_OF))
    assert [r["entity"] for r in out] == [f"c{i}" for i in range(50)]
    owned = out[1]
    assert owned["verdict"] == "blocked" and owned["blocked"]["OFAC"]["reason"] == "ownership"
    assert owned["matches"][0]["list_id"] == "sdn-volga-holding"


def test_a_broken_pack_raises_with_every_position():
    bad = str(SOURCE / "tests" / "golden" / "packs" / "bad_relation.yaml")
    with pytest.raises(sanx.LoadError) as caught:
        sanx.Ruleset.load([bad])
    e = caught.value
    assert (e.file, e.line, e.column) == (bad, 6, 24)
    assert e.message == "unknown country or bloc 'KGZ'"
    errors = [(d.line, d.column, d.message) for d in e.diagnostics if d.severity == "error"]
    assert errors == [(6, 24, "unknown country or bloc 'KGZ'"), (7, 27, "unknown bloc 'EAUE'"),
                      (8, 25, "'2024-02-30' is not a real date")]
    assert e.diagnostics[0].hints == ("did you mean 'KZ'?",)
    assert f"{bad}:7:27: error: unknown bloc 'EAUE'" in str(e)


def test_an_unreadable_list_raises_and_a_bad_record_is_rejected_in_place(rules, tmp_path):
    with pytest.raises(sanx.InputError) as caught:
        rules.check([{"id": "a"}], lists=[str(tmp_path / "missing.jsonl")])
    assert caught.value.file.endswith("missing.jsonl")
    out = list(rules.check(['{"id": "a"}', '{"id": ', '{"id": "a"}'], as_of=AS_OF))
    assert [("error" in r, r.get("line")) for r in out] == [(False, None), (True, 2), (True, 3)]
    with pytest.raises(ValueError):
        rules.check([{"id": "a"}], as_of="2025-02-30")
    with pytest.raises(ValueError):
        rules.check(['{"id": "a"}\n{"id": "b"}'])


def test_one_ruleset_serves_many_threads_alike(rules):
    recs = list(records(300))
    expected = list(rules.check(recs, as_of=AS_OF, jobs=1).lines)
    outs, errors = [None] * 6, []

    def run(k):
        try:
            outs[k] = list(rules.check(recs, as_of=AS_OF, jobs=1).lines)
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(outs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(o == expected for o in outs)


def test_the_gil_is_released_while_cpp_checks(rules):
    recs = list(records(1500))
    ticks, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    begin = time.monotonic()
    rules.check(recs, as_of=AS_OF, jobs=1)
    end = time.monotonic()
    stop.set()
    t.join()
    assert end - begin > 0.1, "the check is too short to tell"
    inside = [x for x in ticks if begin + 0.02 < x < end - 0.02]
    assert len(inside) > 3, "another Python thread did not run while the check ran"
