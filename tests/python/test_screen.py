"""Ruleset.screen: the parties of each record by name against the lists, each party the
object `sanx screen --format json` writes for it, with the thresholds of its options."""

import json
import subprocess
import threading

import pytest

from conftest import RULES, cli

LIST = [
    {"id": "list-zala", "type": "company", "name": "LIMITED LIABILITY COMPANY ZALA AERO",
     "aliases": ["ООО ЗАЛА АЭРО"], "country": "RU",
     "listings": [{"authority": "OFAC", "list": "SDN", "program": "RUSSIA-EO14024", "from": "2022-04-06"}]},
    {"id": "list-sber-vostok", "type": "company", "name": "SBER VOSTOK LIMITED LIABILITY PARTNERSHIP",
     "country": "KZ",
     "listings": [{"authority": "OFAC", "list": "SDN", "program": "RUSSIA-EO14024", "from": "2022-04-06"}]},
]

PARTIES = [
    {"id": "kz-drones", "name": "Steppe Drones LLP", "country": "KZ",
     "counterparties": [{"name": "ООО «Зала Аэро»", "country": "RU"}, {"name": "Almaty Flowers LLP"}]},
    {"id": "sber-kz", "name": "ТОО «Сбер Восток»", "country": "KZ"},
    {"id": "nameless", "country": "KZ"},
    '{"id": "broken"',  # a line that is not JSON: a rejected party in its place
]


@pytest.fixture
def files(tmp_path):
    lists = tmp_path / "list.jsonl"
    lists.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in LIST))
    inputs = tmp_path / "parties.jsonl"
    inputs.write_text("".join((p if isinstance(p, str) else json.dumps(p, ensure_ascii=False)) + "\n"
                              for p in PARTIES))
    return str(lists), str(inputs)


def sanx_screen(*args):
    """The parties `sanx screen --format json` writes."""
    run = subprocess.run([cli(), "screen", "--format", "json", "--rules", RULES, *args],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    assert run.returncode in (0, 1, 2), run.returncode
    return json.loads(run.stdout)["parties"]


def test_screen_gives_each_party_as_the_cli_does(rules, files):
    lists, inputs = files
    got = list(rules.screen(PARTIES, lists=[lists], name=inputs))
    assert got == sanx_screen("--lists", lists, inputs)
    by_party = {(p["entity"], p["party"]): p for p in got}
    zala = by_party[("kz-drones", "entity.counterparties[0]")]
    assert zala["candidates"][0]["list_id"] == "list-zala"
    assert zala["candidates"][0]["decision"] == "match"
    assert by_party[("sber-kz", "entity")]["candidates"][0]["list_id"] == "list-sber-vostok"
    assert [p["line"] for p in got if "rejected" in p] == [4]  # the broken line, in its place


def test_screen_thresholds_as_the_cli_options(rules, files):
    lists, inputs = files
    got = rules.screen(PARTIES, lists=[lists], name=inputs, match_threshold=0.99,
                       review_threshold=0.5, max_candidates=1)
    expected = sanx_screen("--lists", lists, "--match-threshold", "0.99", "--review-threshold", "0.5",
                           "--max-candidates", "1", inputs)
    assert list(got) == expected
    assert [json.loads(line) for line in got.lines] == expected
    assert all(len(p["candidates"]) <= 1 for p in expected)


def test_screen_without_lists_says_so_for_each_party(rules):
    got = list(rules.screen(PARTIES[:2]))
    assert got and all(p["candidates"] == [] for p in got)
    assert all("no --lists given: nothing to screen against" in p["notes"] for p in got)


def test_screen_thresholds_out_of_order_raise(rules, files):
    with pytest.raises(ValueError, match="review_threshold <= match_threshold"):
        rules.screen(PARTIES, lists=[files[0]], match_threshold=0.5, review_threshold=0.9)


def test_screen_from_many_threads_gives_the_same_parties(rules, files):
    lists, inputs = files
    expected = list(rules.screen(PARTIES, lists=[lists], name=inputs))
    got = [None] * 4

    def work(k):
        got[k] = list(rules.screen(PARTIES, lists=[lists], name=inputs))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [expected] * 4
