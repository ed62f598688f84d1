"""What redaction misses and what it costs: `python -m kokemusvirta.bench.redaction [--events N]`.

- Scenario: every identifier the scenario put into a text (henkilötunnus, IBAN, phone, e-mail,
  name), and whether it survives `redact`.
- Held-out names: the same texts with every name swapped for one that is in none of the name
  lists, so only the context rules (titles, signatures, capitalisation) can find it.
- The shared labelled sample: every change redaction makes, to read for false positives.
- Speed: microseconds per text, median of repeated runs over the scenario's texts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from kokemusvirta.settings import PROJECT_ROOT
from scenario import generate
from schemas.redaction import NAME, redact
from schemas.redaction.names import name_lists

SAMPLE = PROJECT_ROOT.parent / "shared" / "data" / "feedback_labelled_sample.jsonl"
# Real first names and surnames that are in none of schemas/redaction/names.yaml's lists.
HELD_OUT = (
    "Jonne", "Hilppa", "Rasmus", "Vilja", "Kauppi", "Rautanen", "Pöysti", "Hänninen", "Alma",
    "Tauno", "Sylvi", "Kettula", "Lindfors", "Öhman", "Maunu", "Ylitalo",
)


def _texts(events: int) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for r in generate(2026, events=events):
        if r.key is None or r.event_type != "feedback.submitted":
            continue
        text = json.loads(r.value)["text"]
        out.append((text, [(p.kind, p.value) for p in r.personal_data if p.value in text]))
    return out


def misses(texts: list[tuple[str, list[tuple[str, str]]]]) -> tuple[Counter[str], Counter[str]]:
    total: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for text, personal in texts:
        redacted = redact(text)
        for kind, value in personal:
            total[kind] += 1
            if value in redacted:
                missed[kind] += 1
    return total, missed


def held_out(texts: list[tuple[str, list[tuple[str, str]]]]) -> tuple[int, int, list[str]]:
    lists = name_lists()
    assert not any(n.lower() in lists.forms for n in HELD_OUT)
    total = missed = 0
    examples: list[str] = []
    for i, (text, personal) in enumerate(texts):
        names = sorted({v for k, v in personal if k == "name"}, key=len, reverse=True)
        if not names:
            continue
        swapped = {n: HELD_OUT[(i + j) % len(HELD_OUT)] for j, n in enumerate(names)}
        for old, new in swapped.items():
            text = text.replace(old, new)
        redacted = redact(text)
        for new in swapped.values():
            total += 1
            if new in redacted:
                missed += 1
                if len(examples) < 8:
                    examples.append(redacted)
    return total, missed, examples


def false_names(texts: list[tuple[str, list[tuple[str, str]]]]) -> tuple[int, list[str]]:
    """Texts with no name in them where redaction still put a [NIMI]."""
    bad = [redact(t) for t, p in texts if not any(k == "name" for k, _ in p) and NAME in redact(t)]
    return len(bad), bad[:8]


def speed(texts: list[str], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            redact(t)
        runs.append((time.perf_counter() - t0) / len(texts) * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    texts = _texts(args.events)
    total, missed = misses(texts)
    print(f"scenario: {len(texts)} feedback texts")
    for kind in sorted(total):
        print(f"  {kind:6} {total[kind]:6} in texts, {missed[kind]} survive redaction")
    n, m, examples = held_out(texts)
    print(f"held-out names (in no list): {n}, missed {m} ({m / max(n, 1):.1%})")
    for e in examples:
        print(f"    missed: {e[:160]!r}")
    fp, fp_examples = false_names(texts)
    print(f"texts without a name that got {NAME}: {fp}")
    for e in fp_examples:
        print(f"    {e[:160]!r}")
    sample = [json.loads(line)["text"] for line in Path(SAMPLE).read_text().splitlines() if line]
    changed = [(t, redact(t)) for t in sample if redact(t) != t]
    print(f"shared sample: {len(sample)} texts, {len(changed)} changed by redaction:")
    for before, after in changed:
        print(f"    {before!r}\n -> {after!r}")
    plain = [t for t, _ in texts]
    print(f"speed: {speed(plain):.1f} µs per scenario text (median of 5 runs over {len(plain)}), "
          f"{speed(sample * 50):.1f} µs per sample text")


if __name__ == "__main__":
    main()
