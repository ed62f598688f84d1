"""The batch's SQL leaves out a statement marked `-- @only-with stage_x` when stage_x is empty
(sinks/write_batch.sql, sinks/store.py batch_script): such a statement changes nothing then, and
planning it cost about 2 ms a batch. Everything else is run as written."""

from __future__ import annotations

import re
from importlib import resources

from sinks.store import STAGING_SCHEMAS, batch_script

SQL = """CREATE TEMP TABLE a AS SELECT 1;
-- @only-with stage_x
INSERT INTO x SELECT * FROM stage_x;
-- kept
INSERT INTO y SELECT * FROM stage_y;
"""


def test_a_marked_statement_is_left_out_only_when_its_table_is_empty() -> None:
    assert batch_script(SQL, set()) == SQL.replace("-- @only-with stage_x\n", "")
    assert batch_script(SQL, {"stage_x"}) == (
        "CREATE TEMP TABLE a AS SELECT 1;\n-- kept\nINSERT INTO y SELECT * FROM stage_y;\n")
    # an unmarked statement is kept whatever is empty
    assert "stage_y" in batch_script(SQL, {"stage_x", "stage_y"})


def test_every_mark_in_write_batch_names_a_staged_table_read_by_its_statement_alone() -> None:
    sql = resources.files("sinks").joinpath("write_batch.sql").read_text(encoding="utf-8")
    marks = re.findall(r"^-- @only-with (\w+)\n([^;]*);", sql, flags=re.MULTILINE)
    assert len(marks) == 13
    for table, statement in marks:
        assert table.removeprefix("stage_") in STAGING_SCHEMAS
        assert re.search(rf"\bFROM {table}\b", statement)
        # no other staged table, so an empty `table` leaves nothing for it to do
        assert set(re.findall(r"\bstage_\w+", statement)) == {table}
    everything = set(STAGING_SCHEMAS) - {"events"}
    left = batch_script(sql, {f"stage_{name}" for name in everything})
    assert "@only-with" not in left.replace("`-- @only-with", "")
    assert left.count(";\n") == sql.count(";\n") - 13
