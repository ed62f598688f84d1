"""`kokemusvirta classifier train [FILE ...]`: train the theme model that sits beside the rules
(streams/classification/model.py) on the classifier's own labelled texts
(streams/classification/data/train.jsonl) and any further labelled JSONL files (the staff
corrections that `kokemusvirta corrections export` writes), and write its weights where the
classifier reads them. Reproducible: the same texts give the same weights and version.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, printable

DATA = Path(__file__).resolve().parents[2] / "streams" / "classification" / "data"


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser("classifier", formatter_class=fmt,
                       help="the classifier's theme model: train it from labelled texts")
    inner = p.add_subparsers(dest="classifier_command", required=True)
    t = inner.add_parser(
        "train", formatter_class=fmt, help="train the theme model and write its weights",
        description="Train on streams/classification/data/train.jsonl and any FILEs (labelled "
                    "JSONL: text, themes, optional lang and source), choose the two thresholds "
                    "that combine it with the rules by 5-fold cross-validation on those texts, "
                    "and write the model (its version is a hash of its weights).")
    t.add_argument("files", nargs="*", help="more labelled JSONL files (exported corrections)")
    t.add_argument("--out", default=str(DATA / "model.json"), help="where to write the model")
    t.add_argument("--no-base", action="store_true",
                   help="do not include the classifier's own training texts")
    t.set_defaults(func=cmd_train)


def _rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as bad:
            raise ValueError(f"{path}: line {number}: not JSON ({bad.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) \
                or not isinstance(row.get("themes"), list):
            raise ValueError(f"{path}: line {number}: needs text and themes")
        rows.append(row)
    return rows


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from schemas.redaction import redact
    from schemas.taxonomy import Theme
    from streams import classification as classifier
    from streams.classification.language import choose
    from streams.classification.matching import tokenize
    from streams.classification.model import active
    from streams.classification.morphology import default_morphology
    from streams.classification.training import Example, features_of, train

    paths = ([] if args.no_base else [DATA / "train.jsonl"]) + [Path(f) for f in args.files]
    rows: list[dict[str, Any]] = []
    try:
        for path in paths:
            rows += _rows(path)
    except OSError as exc:
        print(f"kokemusvirta: {file_problem(exc, str(exc.filename))}", file=sys.stderr)
        return 2
    except ValueError as bad:
        print(f"kokemusvirta: {printable(str(bad))}", file=sys.stderr)
        return 2
    codes = {str(t) for t in Theme}
    unknown = sorted({t for r in rows for t in r["themes"]} - codes)
    if unknown or not rows:
        print(f"kokemusvirta: {'no labelled texts' if not rows else 'unknown themes: '}"
              f"{', '.join(map(printable, unknown))}", file=sys.stderr)
        return 2
    morphology = default_morphology()
    examples = []
    for r in rows:
        text = redact(r["text"])
        lang = r.get("lang") if isinstance(r.get("lang"), str) else None
        source = r.get("source") if isinstance(r.get("source"), str) else None
        rules = classifier.classify(text, lang, analyser=morphology, source=source,
                                    use_model=False)
        keys_lang = classifier.keys_language(
            choose(text, lang, (), morphology.finnish_word).reported)
        examples.append(Example(
            features_of(tokenize(text).words, functools.partial(morphology.keys, keys_lang)),
            frozenset(Theme(t) for t in r["themes"]), frozenset(rules.themes)))
    doc, figures = train(examples)
    out = Path(args.out)
    try:
        out.write_text(json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    except OSError as exc:
        print(f"kokemusvirta: {file_problem(exc, str(out))}", file=sys.stderr)
        return 2
    print(f"{doc['version']} trained on {len(examples)} texts ({morphology.name}); "
          f"5-fold cross-validation on them: theme macro-F1 rules {figures['cv_rules_macro_f1']}"
          f", rules + model {figures['cv_combined_macro_f1']} (keep {figures['keep']}, "
          f"add {figures['add']}); written to {printable(str(out))}")
    if not active(doc):
        print("the model adds nothing over the rules on these texts: it is written but not "
              "used (classification stays rules only)")
    return 0
