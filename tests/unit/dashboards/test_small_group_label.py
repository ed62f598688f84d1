"""The dashboards write a suppressed figure as "alle 5": the number must be the store's
threshold (sinks/suppression.sql), which the chart queries suppress by."""

from __future__ import annotations

from importlib import resources

import duckdb
import pytest

from dashboards.labels import Labels


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_suppressed_label_names_the_threshold(lang: str) -> None:
    con = duckdb.connect()
    con.execute(resources.files("sinks").joinpath("suppression.sql").read_text(encoding="utf-8"))
    (limit,) = con.execute("SELECT small_group_limit()").fetchone() or (None,)
    assert f" {limit}" in Labels(lang).t("suppressed")
