#!/usr/bin/python3
"""schema/pack.schema.json against real packs: every pack under rules/, samples/ and bench/
validates, and so does the pack docs/authoring.md writes; each pack under
tests/schema/broken/ does not, with the error its first comment line names
(`# expect: TEXT`, a part of the validator's message or path).

Usage: validate_packs.py SOURCE_DIR. Exit 0 when all hold, 1 when one does not, 77 (ctest's
skip) when python3-jsonschema or python3-yaml is missing.

YAML is read as YAML 1.2's core schema reads it, as the YAML language server in an editor
does: `2022-02-24` is a string, not a date, and `NO` (Norway) is a string, not false.
"""

import glob
import json
import os
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:
    print(f"pack_schema: skipped: {e.name} is missing (Debian: python3-jsonschema python3-yaml, "
          "scripts/install-deps.sh)")
    sys.exit(77)


class Core12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema scalars only."""


Core12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$",
     list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
]:
    Core12Loader.add_implicit_resolver(tag, re.compile(pattern), first)

def is_pack(path):
    with open(path, encoding="utf-8") as f:
        return any(line.startswith("pack:") for line in f)


def errors(validator, doc):
    """Each error as `path/to/key: message`."""
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in validator.iter_errors(doc)]


def file_errors(validator, path):
    with open(path, encoding="utf-8") as f:
        return errors(validator, yaml.load(f, Loader=Core12Loader))


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "schema", "pack.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failed = 0

    good = sorted(p for d in ("rules", "samples", "bench")
                  for p in glob.glob(os.path.join(root, d, "**", "*.yaml"), recursive=True)
                  if is_pack(p))
    if len(good) < 5:
        print(f"FAIL only {len(good)} packs found under rules/, samples/ and bench/")
        failed += 1
    for p in good:
        rel = os.path.relpath(p, root)
        errs = file_errors(validator, p)
        if errs:
            failed += 1
            print(f"FAIL {rel} should validate:")
            for e in errs[:10]:
                print(f"  {e}")
        else:
            print(f"ok   {rel} validates")

    # The pack docs/authoring.md writes, its ```yaml blocks in order: what a new user copies.
    with open(os.path.join(root, "docs", "authoring.md"), encoding="utf-8") as f:
        walkthrough = "".join(re.findall(r"```yaml\n(.*?)```", f.read(), re.S))
    errs = errors(validator, yaml.load(walkthrough, Loader=Core12Loader))
    if errs or "regimes:" not in walkthrough:
        failed += 1
        print(f"FAIL the pack of docs/authoring.md should validate: {errs or 'no regimes'}")
    else:
        print("ok   the pack of docs/authoring.md validates")

    broken = sorted(glob.glob(os.path.join(root, "tests", "schema", "broken", "*.yaml")))
    if len(broken) < 3:
        print(f"FAIL only {len(broken)} broken packs in tests/schema/broken")
        failed += 1
    for p in broken:
        rel = os.path.relpath(p, root)
        with open(p, encoding="utf-8") as f:
            first = f.readline()
        m = re.match(r"#\s*expect:\s*(.+)", first)
        if not m:
            print(f"FAIL {rel}: its first line must be '# expect: TEXT'")
            failed += 1
            continue
        want = m.group(1).strip()
        errs = file_errors(validator, p)
        if any(want in e for e in errs):
            print(f"ok   {rel} is rejected: {next(e for e in errs if want in e)}")
        else:
            failed += 1
            print(f"FAIL {rel} should be rejected with '{want}'; got: {errs or 'no error'}")

    print(f"{len(good)} packs validate, {len(broken)} broken packs checked, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
