"""Dask scale-out: partitions checked on workers give the bytes of one `sanx check` over the
whole input, ownership through records of other partitions included, and a worker killed
mid-run loses no record."""

import json
import os
import signal
import subprocess
import time

import dask
import dask.bag as db
import pytest

import sanx
import sanx.dask
from conftest import AS_OF, RULES, cli, sanx_check
from generate import records

# 100,000 records in an optimised build; a Debug build (the dev preset) checks ten times
# slower, and ctest gives it 10,000 (tests/CMakeLists.txt) to stay within its time.
RECORDS = int(os.environ.get("SANX_DASK_RECORDS", "100000"))


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    path = write(folder / "in.jsonl", records(2000))
    sdn = write(folder / "sdn.jsonl", [json.dumps({
        "id": "sdn-volga-holding", "name": "Volga Holding",
        "listings": [{"authority": "OFAC", "list": "SDN", "program": "RUSSIA-EO14024",
                      "from": "2022-04-06"}]})])
    return path, sdn, sanx_check("--as-of", AS_OF, "--lists", sdn, path)


@pytest.mark.parametrize("partitions", [1, 3, 40])
def test_any_partition_gives_the_bytes_of_one_check(small, partitions):
    path, sdn, expected = small
    with dask.config.set(scheduler="sync"):
        got = sanx.dask.check([path], [RULES], lists=[sdn], as_of=AS_OF,
                              partitions=partitions, format="jsonl").compute()
    assert "".join(line + "\n" for line in got) == expected


def test_a_bag_of_lines_checks_as_standard_input(small):
    lines = open(small[0]).read().splitlines()
    run = subprocess.run([cli(), "check", "--format", "jsonl", "--rules", RULES, "--as-of", AS_OF, "-"],
                         input="".join(line + "\n" for line in lines).encode(), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=False)
    with dask.config.set(scheduler="threads"):
        got = sanx.dask.check(db.from_sequence(lines, npartitions=6), [RULES], as_of=AS_OF,
                              name="<stdin>").compute()
    assert got == [json.loads(line) for line in run.stdout.decode().splitlines()]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=40) as c, \
            distributed.Client(c) as client:
        yield client


def partition_of(index, size, partitions):
    return index * partitions // size


def test_two_workers_give_the_bytes_of_one_check(cluster, tmp_path):
    path = write(tmp_path / "big.jsonl", records(RECORDS))
    expected = sanx_check("--as-of", AS_OF, path)
    partitions = 4
    begin = time.monotonic()
    got = sanx.dask.check([path], [RULES], as_of=AS_OF, partitions=partitions,
                          format="jsonl").compute()
    print(f"{RECORDS} records on 2 workers in {time.monotonic() - begin:.1f} s")
    assert len(got) == RECORDS
    assert "".join(line + "\n" for line in got) == expected
    # Entities blocked through an owner whose record fell in another partition.
    across = 0
    for i, line in enumerate(expected.splitlines()):
        r = json.loads(line)
        for b in r.get("blocked", {}).values():
            if b["reason"] != "ownership":
                continue
            owners = {int(link["from"][1:]) for p in b["paths"] for link in p}
            across += any(partition_of(o, RECORDS, partitions) != partition_of(i, RECORDS, partitions)
                          for o in owners)
    assert across > 10, "the input has too few chains across partitions to tell"


def test_a_killed_worker_loses_no_record(cluster, tmp_path):
    count = min(RECORDS, 10000)
    path = write(tmp_path / "kill.jsonl", records(count))
    expected = sanx_check("--as-of", AS_OF, path)
    bag = sanx.dask.check([path], [RULES], as_of=AS_OF, partitions=8, format="jsonl")
    futures = cluster.compute(bag.to_delayed())
    pids = cluster.run(os.getpid)
    # Kill the worker that is busy once the first partition is done.
    distributed = pytest.importorskip("distributed")
    next(distributed.as_completed(futures))
    busy = [w for w, tasks in cluster.processing().items() if tasks] or list(pids)
    os.kill(pids[busy[0]], signal.SIGKILL)
    got = [line for part in cluster.gather(futures) for line in part]
    print(f"killed {busy[0]}; {count} records in, {len(got)} out")
    assert pids[busy[0]] not in cluster.run(os.getpid).values(), "no worker was killed"
    assert len(got) == count
    assert "".join(line + "\n" for line in got) == expected
