"""sanx on a Dask cluster, end to end (docs/scale-out.md).

    PYTHONPATH=build/release/python /usr/bin/python3 samples/dask/check_on_cluster.py
    PYTHONPATH=... /usr/bin/python3 samples/dask/check_on_cluster.py --scheduler tcp://host:8786 IN.jsonl

Without --scheduler it starts a LocalCluster of two workers and prints its dashboard
address; without inputs it generates 50,000 records whose ownership chains run across the
partitions. It checks them against the shipped packs, writes the results in input order to
results.jsonl (the bytes `sanx check --format jsonl` writes) and prints the verdicts.
"""

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster

import sanx
import sanx.dask

ROOT = Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", help="JSON lines, CSV or documents (default: generated)")
    ap.add_argument("--scheduler", help="address of a running scheduler (default: a LocalCluster)")
    ap.add_argument("--rules", default=str(ROOT / "rules"))
    ap.add_argument("--lists", action="append", default=[])
    ap.add_argument("--as-of", default="2025-06-01")
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--output", default="results.jsonl")
    a = ap.parse_args()

    inputs = [os.path.abspath(p) for p in a.inputs]
    if not inputs:
        sys.path.insert(0, str(ROOT / "tests" / "python"))
        from generate import records
        path = Path(tempfile.gettempdir()) / f"sanx-dask-sample-{a.records}.jsonl"
        path.write_text("".join(line + "\n" for line in records(a.records)))
        inputs = [str(path)]

    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, dashboard_address=":0")
        client = Client(cluster)
    print(f"dashboard: {client.dashboard_link}", flush=True)

    rules = sanx.Ruleset.load([os.path.abspath(a.rules)])
    begin = time.monotonic()
    results = sanx.dask.check(inputs, rules, lists=[os.path.abspath(p) for p in a.lists],
                              as_of=a.as_of, partitions=a.partitions, format="jsonl")
    verdicts = collections.Counter()
    with open(a.output, "w", encoding="utf-8") as out:
        # Partitions come back in input order; each is written as soon as it is there.
        for part in results.to_delayed():
            for line in part.compute():
                out.write(line + "\n")
                r = json.loads(line)
                verdicts["rejected" if "error" in r else r["verdict"]] += 1
    seconds = time.monotonic() - begin
    n = sum(verdicts.values())
    print(f"{n} records in {seconds:.1f} s ({n / seconds:.0f}/s) on "
          f"{len(client.scheduler_info()['workers'])} workers -> {a.output}")
    for verdict, count in sorted(verdicts.items()):
        print(f"  {verdict:>8}: {count}")
    client.close()
    if cluster:
        cluster.close()


if __name__ == "__main__":
    main()
