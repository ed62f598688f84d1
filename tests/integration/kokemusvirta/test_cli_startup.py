"""What `kokemusvirta inbox` loads before it answers (a fresh interpreter, a real store, no
broker): none of the heavy libraries other commands need. Each of them cost a tenth to a
quarter of a second of the inbox's second (README: For unit managers): pyarrow (the store's
writer), pandas (DuckDB imports it to convert a Python query parameter), the classifier (its
stemmers), Great Expectations and prometheus_client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.chains import Log
from tests.factories import as_bytes, feedback

HEAVY = ("pandas", "pyarrow", "numpy", "snowballstemmer", "streams.classification",
         "streams.guard", "great_expectations", "prometheus_client")

SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path

from kokemusvirta import cli
from managers import inbox_view, unit_store
from schemas.deadlines import add_working_days

store = Path(sys.argv[1])
args = cli.build_parser(["inbox", "--unit", "lappi.rovaniemen-terveysasema"]).parse_args(
    ["inbox", "--unit", "lappi.rovaniemen-terveysasema"])
statuses, labels = unit_store.unit_inbox(store, "lappi", "rovaniemen-terveysasema")
add_working_days(date(2026, 12, 3), 3)  # over Independence Day: the holidays are read
print(json.dumps({"statuses": len(statuses), "labels": len(labels),
                  "loaded": sorted(m for m in sys.argv[2].split(",") if m in sys.modules)}))
"""


def test_the_inbox_loads_nothing_heavy(tmp_path: Path) -> None:
    log = Log()
    for _ in range(2):
        [item] = log.intake(as_bytes(feedback()))
        log.whole_path(item)
    store = log.write(tmp_path / "s.duckdb")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(store), ",".join(HEAVY)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["statuses"] == 2 and found["labels"] == 2  # the store was read
    assert found["loaded"] == []
