"""The mapping file is checked before any row is read: every mistake is one MappingProblem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.importing.mapping import (
    SHIPPED,
    MappingProblem,
    column_positions,
    load,
    normalised,
    parse,
)

MINIMAL: dict[str, Any] = {"text": {"column": "palaute"}, "time": {"column": "aika"},
                           "unit": {"column": "yksikkö"}, "channel": {"value": "electronic"}}


def with_(**changes: Any) -> dict[str, Any]:
    return {**MINIMAL, **changes}


@pytest.mark.parametrize("name", ["survey-generic", "smiley-terminal"])
def test_the_shipped_mappings_load_by_name(name: str) -> None:
    mapping = load(Path(name))
    assert mapping.name == name
    assert mapping.family == "feedback"
    assert {"text", "time", "unit", "channel"} <= set(mapping.fields)
    assert (SHIPPED / f"{name}.yaml").exists()


def test_smiley_buttons_map_to_ratings_with_or_without_the_emoji_selector() -> None:
    rating = load(Path("smiley-terminal")).fields["rating"]
    assert rating.values is not None
    assert rating.values[normalised("😀")] == 5
    assert rating.values[normalised("🙂\ufe0f")] == 4  # as some terminals write it
    assert rating.values[normalised("😠")] == 1
    assert [rating.values[k] for k in ("1", "2", "3", "4")] == [1, 2, 4, 5]
    assert rating.values[normalised(" Very Positive ")] == 5


@pytest.mark.parametrize(("data", "said"), [
    (with_(kommentti={"column": "x"}), "unknown key(s) kommentti"),
    (with_(text={"column": "palaute", "colum": "x"}), "text: unknown key(s) colum"),
    (with_(unit={"column": "yksikkö", "value": "x"}), "unit: give exactly one of"),
    (with_(unit={}), "unit: give exactly one of"),
    ({k: v for k, v in MINIMAL.items() if k != "time"}, "missing field(s) time"),
    (with_(time={"column": "aika", "timezone": "Mars/Olympus"}), "unknown timezone"),
    (with_(time={"column": "aika", "format": "dd.mm.yyyy"}), "strptime format"),
    (with_(rating={"column": "r", "format": "%d"}), "format and timezone are for time only"),
    (with_(id={"value": "x"}), "id: a column"),
    (with_(family="statements"), "only feedback"),
    (with_(rows_without_text="maybe"), "rows_without_text"),
    (with_(header_row=0), "header_row"),
    (with_(rating={"value": 3, "values": {"a": 1}}), "values is a map"),
    (["text"], "expected a YAML mapping"),
])
def test_a_bad_mapping_is_one_line_saying_what(data: Any, said: str) -> None:
    with pytest.raises(MappingProblem) as raised:
        parse(data, default_name="m")
    assert said in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_mapping_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("text: {column: a\ntime: [\n", encoding="utf-8")
    with pytest.raises(MappingProblem, match="not YAML line"):
        load(path)


def test_header_columns_are_found_whatever_their_case_and_spacing() -> None:
    mapping = parse(MINIMAL, default_name="m")
    positions = column_positions(mapping, [" Aika", "YKSIKKÖ ", "muuta", "Palaute"])
    assert positions == {"palaute": 3, "aika": 0, "yksikkö": 1}
    assert mapping.name == "m"


def test_columns_missing_from_the_header_are_named_with_the_header() -> None:
    mapping = parse(MINIMAL, default_name="m")
    with pytest.raises(MappingProblem) as raised:
        column_positions(mapping, ["aika", "teksti", None])
    assert str(raised.value) == ("the file's header has no column(s) 'palaute', 'yksikkö' "
                                 "(its columns: 'aika', 'teksti')")


def test_docs_describe_every_key_and_their_example_mapping_is_valid() -> None:
    import re

    import yaml

    from kokemusvirta.importing.mapping import FIELDS, SPEC_KEYS, TOP_KEYS
    from kokemusvirta.settings import PROJECT_ROOT

    doc = (PROJECT_ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    undocumented = [k for k in sorted({*TOP_KEYS, *FIELDS, *SPEC_KEYS}) if f"`{k}`" not in doc]
    assert not undocumented
    example = re.search(r"```yaml\n(.*?)```", doc, re.DOTALL)
    assert example is not None
    assert parse(yaml.safe_load(example.group(1)), default_name="x").name == "kunta-kysely"
