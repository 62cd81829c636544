"""A pack of N generated rules (default 10,000) over the shipped world pack, for the load
benchmark of run.sh: each rule a country test, a sector test and a counterparty macro, as
the shipped packs' rules are. Deterministic.

    many_rules.py [N] > pack.yaml
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(1)
countries = ["RU", "BY", "KZ", "KG", "UZ", "CN", "IR", "KP", "AM", "TR"]
sectors = ["banking", "energy", "defense", "shipping", "logistics", "metals"]
out = ["pack: many", 'version: "1"', f"title: {n} generated rules", "requires: [world]",
       "regimes:", "  - id: GEN", "    authority: OFAC", "    title: generated",
       "    legal_basis: generated for a load benchmark", "    rules:"]
for i in range(n):
    c, s = rng.choice(countries), rng.choice(sectors)
    out += [f"      - id: G{i:05d}",
            f"        when: entity.country == '{c}' && '{s}' in entity.sectors && "
            "entity.counterparties.exists(x, x.country in ['RU', 'BY'])",
            "        severity: medium", "        title: generated", '        cites: ["none"]',
            f'        message: "rule {i} for {{{{ entity.id }}}}"']
print("\n".join(out))
