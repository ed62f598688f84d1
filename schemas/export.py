"""JSON Schema export, for subscribers who build their own systems on our topics."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.registry import ALL_EVENTS

EXPORT_DIR = Path(__file__).parent / "json"


def json_schemas() -> dict[str, str]:
    """File name -> JSON Schema text, one file per event type."""
    out = {}
    for cls in ALL_EVENTS:
        event_type = cls.model_fields["event_type"].default
        schema = cls.model_json_schema(mode="serialization")
        schema["$id"] = f"https://kokemusvirta.fi/schemas/{event_type}.schema.json"
        version = cls.model_fields["schema_version"].default
        schema["title"] = f"{event_type} (schema_version {version})"
        out[f"{event_type}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def export(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
