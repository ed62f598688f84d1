"""`kokemusvirta classify [FILE|-]` and `kokemusvirta eval FILE [--bench]`: the classifier's stable
interface for evaluation. Texts are redacted first and the redacted text is classified, as in the
stream (streams/items.py redacts before streams/processing.py classifies).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, json_printable, printable

ANALYSERS = ("auto", "voikko", "snowball")


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "classify", formatter_class=fmt,
        help="classify JSONL texts: themes, stance, severity, redacted text, explanation",
        description="Read JSON objects, one per line, with `id`, `text`, optional `lang` "
                    "(fi, sv, en, se; without it the language is read from the text) and optional "
                    "`source` (feedback, workshop_output, expert_statement); write one JSON object "
                    "per line with `id`, `language`, `themes`, `stance`, `severity`, "
                    "`critical_suspected` (severity critical on partial evidence, waiting for a "
                    "person), `redacted_text` and `explanation`. A bad line is reported on stderr "
                    "with its line number and skipped; the exit code is then 1.")
    p.add_argument("file", nargs="?", default="-", help="JSONL file, or - for stdin (default)")
    p.add_argument("--analyser", choices=ANALYSERS, default="auto",
                   help="Finnish morphology: Voikko, or the Snowball stemmer fallback")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser(
        "eval", formatter_class=fmt,
        help="score the classifier on a labelled JSONL file (the shared sample's format)",
        description="Per-theme precision, recall and F1, theme macro-F1, stance accuracy, "
                    "severity confusion, critical recall and the count of none-severity texts "
                    "predicted critical. --bench also times classification per text.")
    p.add_argument("file", nargs="?", default=None,
                   help="labelled JSONL: id, text, lang, themes, stance, severity")
    p.add_argument("--from-store", action="store_true",
                   help="score against the labels people gave in the store (kokemusvirta "
                        "relabel, confirm), per theme, county and classifier version, instead "
                        "of a file")
    p.add_argument("--current", action="store_true",
                   help="with --from-store: classify the stored texts again with this "
                        "classifier, instead of scoring the labels it stored then")
    p.add_argument("--analyser", choices=ANALYSERS, default="auto",
                   help="Finnish morphology: Voikko, or the Snowball stemmer fallback")
    p.add_argument("--no-lang", action="store_true",
                   help="ignore the file's `lang`, as the unseen evaluation set is scored "
                        "(the language is read from the text)")
    p.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    p.add_argument("--mistakes", action="store_true", help="list the texts that differ")
    p.add_argument("--bench", type=int, nargs="?", const=200, default=0, metavar="REPEAT",
                   help="time classify() per text over the file repeated REPEAT times "
                        "(default 200): median and p99 in milliseconds")
    p.set_defaults(func=cmd_eval)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def read_jsonl(lines: Iterable[str | bytes], required: tuple[str, ...] = ("text",)
               ) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, object or None, problem) for every non-blank line; lines read as bytes
    are decoded here, so that one line that is not UTF-8 is a bad line, not the end."""
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as bad:
            yield number, None, f"not UTF-8 (byte 0x{raw[bad.start]:02x} at {bad.start + 1})"
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as bad:
            yield number, None, f"not JSON ({bad.msg} at column {bad.colno})"
            continue
        if not isinstance(obj, dict):
            yield number, None, "not a JSON object"
            continue
        missing = [k for k in required if k not in obj]
        if missing:
            yield number, None, f"missing {', '.join(missing)}"
        elif not isinstance(obj["text"], str):
            yield number, None, "text is not a string"
        elif obj.get("lang") is not None and not isinstance(obj["lang"], str):
            yield number, None, "lang is not a string"
        else:
            yield number, obj, ""


def classify_one(obj: dict[str, Any], analyser: str) -> dict[str, Any]:
    from schemas.redaction import redact
    from streams import classification as classifier

    redacted = redact(obj["text"])
    source = obj.get("source") if isinstance(obj.get("source"), str) else None
    c = classifier.classify(redacted, obj.get("lang"), analyser=analyser, source=source)
    assert c.explanation is not None
    return {"id": obj.get("id"), "language": c.language, "themes": [str(t) for t in c.themes],
            "stance": str(c.stance), "severity": str(c.severity),
            "critical_suspected": c.critical_suspected, "redacted_text": redacted,
            "explanation": c.explanation.as_dict(c), "classifier_version": c.classifier_version}


def _open(name: str) -> IO[bytes] | None:
    """The input as bytes (standard input for -), or None after saying why it cannot be."""
    try:
        return sys.stdin.buffer if name == "-" else Path(name).open("rb")
    except OSError as exc:
        _err(file_problem(exc, name))
        return None


def cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    source = _open(args.file)
    if source is None:
        return 2
    bad = 0
    try:
        for number, obj, problem in read_jsonl(source):
            if obj is None:
                bad += 1
                _err(f"line {number}: {problem}; skipped")
                continue
            # JSON escapes most control characters; the rest (bidi overrides, C1) too here.
            print(json_printable(json.dumps(classify_one(obj, args.analyser),
                                            ensure_ascii=False)), flush=False)
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        sys.stdout.flush()
    return 1 if bad else 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    if args.from_store:  # staff corrections as data (kokemusvirta/commands/corrections.py)
        from kokemusvirta.commands.corrections import eval_from_store

        return eval_from_store(args, settings)
    if args.file is None:
        _err("eval: give a labelled JSONL file, or --from-store")
        return 2
    gold: list[dict[str, Any]] = []
    bad = 0
    source = _open(args.file)
    if source is None:
        return 2
    with source:
        for number, obj, problem in read_jsonl(
                source, required=("text", "themes", "stance", "severity")):
            if obj is None:
                bad += 1
                _err(f"line {number}: {problem}; skipped")
            else:
                gold.append(obj)
    # Here, not at the top: the classifier is a quarter second of every command's start.
    from streams.classification.evaluation import format_report, score

    predicted = [classify_one({k: v for k, v in g.items() if k != "lang"} if args.no_lang else g,
                              args.analyser) for g in gold]
    report = score(gold, predicted)
    result: dict[str, Any] = report.as_dict()
    result["classifier_version"] = predicted[0]["classifier_version"] if predicted else None
    if args.bench:
        result["bench"] = bench([(g["text"], g.get("lang")) for g in gold], args.bench,
                                args.analyser)
    if args.json:
        print(json_printable(json.dumps(result, ensure_ascii=False)))
    else:
        print(f"classifier {result['classifier_version']} on {printable(args.file)}")
        print(printable(format_report(report, mistakes=args.mistakes)))
        if args.bench:
            b = result["bench"]
            print(f"\nspeed: median {b['median_ms']:.3f} ms, p99 {b['p99_ms']:.3f} ms per text "
                  f"({b['calls']} calls, {b['analyser']}; one warm-up pass over the file first)")
    return 1 if bad else 0


def bench(texts: list[tuple[str, str | None]], repeat: int, analyser: str) -> dict[str, Any]:
    """Per-text classify() time over the texts repeated, after one warm-up pass (word caches)."""
    from streams import classification as classifier
    from streams.classification.morphology import by_name

    morphology = by_name(analyser)
    for text, lang in texts:
        classifier.classify(text, lang, analyser=morphology)
    times = []
    for _ in range(repeat):
        for text, lang in texts:
            t0 = time.perf_counter_ns()
            classifier.classify(text, lang, analyser=morphology)
            times.append((time.perf_counter_ns() - t0) / 1e6)
    times.sort()
    return {"calls": len(times), "median_ms": statistics.median(times) if times else 0.0,
            "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0,
            "analyser": morphology.name}
