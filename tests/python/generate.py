"""Deterministic JSON-lines inputs for the Python tests and the throughput figures
(docs/scale-out.md): companies and banks that own, control and trade with each other across
the whole file, one in a hundred listed, so that ownership chains run between partitions.
A few lines are broken on purpose (a duplicate id, invalid JSON) to pin rejected records.

    /usr/bin/python3 tests/python/generate.py 100000 > /tmp/records.jsonl
"""

import json
import sys

COUNTRIES = ["KZ", "KZ", "KZ", "KG", "UZ", "RU", "RU", "BY", "CN", "DE", "TR", "AE"]
SECTORS = ["agriculture", "banking", "electronics", "logistics", "oil_gas", "defense", "retail",
           "pharmaceuticals", "construction", "machinery", "metals", "technology", "wholesale",
           "energy"]
GOODS = ["1001", "100199", "854231", "854239", "847150", "848210", "3004", "9018", "2709",
         "6109", "870421", "852691"]
AUTHORITIES = ["OFAC", "EU", "UK"]


class Rng:
    """splitmix64, as bench/generate.cpp: the same records on every machine."""

    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def pick(self, a):
        return a[self.below(len(a))]


def records(count, seed=17):
    """`count` JSON lines (strings without ends of line)."""
    rng = Rng(seed)
    for i in range(count):
        if i == count // 2:
            yield '{"id": "e1", "name": "a duplicate of the second record"}'
            continue
        if i == count // 3:
            yield '{"id": "broken", "name": '
            continue
        bank = rng.below(10) == 0
        e = {"id": f"e{i}", "type": "bank" if bank else "company", "name": f"Entity {i}",
             "country": rng.pick(COUNTRIES), "sectors": [rng.pick(SECTORS)],
             "goods": [rng.pick(GOODS) for _ in range(1 + rng.below(3))],
             "counterparties": [{"id": f"e{rng.below(count)}"} for _ in range(1 + rng.below(4))]}
        owners, left = [], 100
        for _ in range(rng.below(3)):
            if left <= 10:
                break
            share = 10 + rng.below(min(left - 9, 60))
            left -= share
            owners.append({"id": f"e{rng.below(count)}", "share": share})
        e["owners"] = owners
        if rng.below(50) == 0:
            e["controllers"] = [{"id": f"e{rng.below(count)}", "basis": "board"}]
        e["listings"] = ([{"authority": rng.pick(AUTHORITIES), "list": "SDN",
                           "program": "RUSSIA-EO14024", "from": "2022-04-06"}]
                         if rng.below(100) == 0 else [])
        yield json.dumps(e, separators=(",", ":"))


if __name__ == "__main__":
    for line in records(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000):
        sys.stdout.write(line + "\n")
