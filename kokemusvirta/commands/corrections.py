"""Staff corrections as data: `kokemusvirta corrections export FILE`, and `kokemusvirta eval
--from-store` (registered with `eval` in commands/classify.py, run here).

Both read the store's published snapshot (sinks/reader.py): the items a person relabelled or
whose critical severity a person confirmed or down-graded (sinks/corrections.py). Exit status:
0 done, 2 the command could not be run as given (no store, a file that cannot be written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kokemusvirta import corrections
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, json_printable, printable
from sinks.corrections import LabelledItem, Labels, labelled_items


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "corrections", formatter_class=fmt,
        help="staff corrections as data: export them as a labelled JSONL set",
        description="The items people relabelled (kokemusvirta relabel) or whose critical "
                    "severity they confirmed or down-graded (kokemusvirta confirm), read from "
                    "the store.")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = actions.add_parser(
        "export", formatter_class=fmt, help="write the corrections as labelled JSONL",
        description="One JSON object per line in the development set's format: id, lang, "
                    "source, text, themes, stance, severity (a person's labels where given, "
                    "else the classifier's). The text is the store's redacted copy, redacted "
                    "again; ids are the file's own (c0001, ...): no item id, pseudonym or "
                    "contact leaves. Items of forgotten clients and weekly signals are left "
                    "out.")
    e.add_argument("file", metavar="FILE", help="where to write (- for standard output)")
    e.set_defaults(func=cmd_export)


def _items(settings: Settings) -> list[LabelledItem]:
    from sinks.reader import open_read_only

    con = open_read_only(settings.store)  # StoreMissing: one line, exit 2 (cli.py)
    try:
        return labelled_items(con)
    finally:
        con.close()


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    rows = corrections.export_rows(_items(settings))
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if args.file == "-":
        sys.stdout.write(json_printable(text))
        return 0
    target = Path(args.file)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        _err(file_problem(exc, args.file))
        return 2
    print(f"{len(rows)} korjausta (corrections) -> {printable(args.file)}")
    return 0


def _reclassify(analyser: str) -> tuple[Any, Any]:
    """The current classifier over the stored texts: a prediction and its version."""
    from kokemusvirta.commands.classify import classify_one

    cache: dict[str, dict[str, Any]] = {}

    def run(item: LabelledItem) -> dict[str, Any]:
        if item.item_id not in cache:
            cache[item.item_id] = classify_one({"text": item.text, "lang": item.language},
                                               analyser)
        return cache[item.item_id]

    def predict(item: LabelledItem) -> Labels:
        got = run(item)
        return Labels(tuple(got["themes"]), got["stance"], got["severity"])

    return predict, lambda item: str(run(item)["classifier_version"])


def eval_from_store(args: argparse.Namespace, settings: Settings) -> int:
    """`kokemusvirta eval --from-store [--current]`: the classifier against people's labels."""
    items = _items(settings)
    if getattr(args, "current", False):
        predict, version_of = _reclassify(args.analyser)
        result = corrections.evaluate(items, predict, version_of)
    else:
        result = corrections.evaluate(items)
    result = {"source": "store", "predictions": "current" if getattr(args, "current", False)
              else "stored", **result}
    if args.json:
        print(json_printable(json.dumps(result, ensure_ascii=False)))
        return 0
    how = ("the classifier as it is now, over the stored texts"
           if result["predictions"] == "current" else "the labels the classifier stored")
    print(f"{len(items)} items labelled by people in {printable(str(settings.store))}; "
          f"scored: {how}")
    print(printable(corrections.format_evaluation(result)))
    return 0
