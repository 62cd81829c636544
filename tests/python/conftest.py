"""Shared fixtures: the sanx CLI and source tree the tests compare against (set by ctest,
tests/CMakeLists.txt), and small inputs written to a temporary folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

SOURCE = Path(os.environ.get("SANX_SOURCE_DIR", Path(__file__).resolve().parents[2]))
RULES = str(SOURCE / "rules")
SAMPLE = str(SOURCE / "samples" / "kazakhstan" / "entities.yaml")
AS_OF = "2025-06-01"


def cli():
    path = os.environ.get("SANX_CLI")
    if not path:
        pytest.skip("SANX_CLI is not set: run the Python tests through ctest")
    return path


def sanx_check(*args):
    """The bytes `sanx check --format jsonl` writes to standard output."""
    run = subprocess.run([cli(), "check", "--format", "jsonl", "--rules", RULES, *args],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    assert run.returncode in (0, 1, 2), run.returncode
    return run.stdout.decode("utf-8")


@pytest.fixture(scope="session")
def rules():
    import sanx
    return sanx.Ruleset.load([RULES])


@pytest.fixture
def sdn_list(tmp_path):
    """A list file with one designated holding company, as `sanx import` writes it."""
    path = tmp_path / "sdn.jsonl"
    path.write_text(json.dumps({
        "id": "sdn-volga-holding", "type": "company", "name": "Volga Holding",
        "identifiers": [{"type": "inn", "value": "7701000001"}],
        "listings": [{"authority": "OFAC", "list": "SDN", "program": "RUSSIA-EO14024",
                      "from": "2022-04-06"}]}) + "\n")
    return str(path)
