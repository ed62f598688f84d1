"""How fast the dashboards answer on a big store: every chart query, and every page.

    python -m kokemusvirta.bench.dashboards --items 1000000 [--store PATH] [--copies K]
        [--rebuild] [--runs 5]

Builds (once, then reuses) a store of about N knowledge items made by the scenario generator
and the demo's activity plan, written through the sink's own write path (see
scenario/bench_store.py for how, and why not through Kafka: at about 430 events a second a
million items would take hours). From 500,000 items on, N/K items are built that way (kept,
too) and copied K times under new ids (scenario/bench_replicas.py: the same rows per group, K
times over; a million items the faithful way take hours on a busy 2-core machine). Then it
times each chart query (dashboards/queries/*.sql) warm, `--runs` times without filters and
with a county filter, each page in Finnish, and the workplace's pages over HTTP
(kokemusvirta/bench/workplace_pages.py). Goals (issues 5, 13 and 16): a chart query under
200 ms, a page under 1 s, with 1,000,000 items on this machine.

The times are wall-clock on a shared machine: other processes running at the same time make
them noisier and slower, never faster. Exit status 1 when a median misses its goal.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboards import queries
from dashboards.filters import Filters
from kokemusvirta.settings import Settings
from scenario.bench_replicas import replicate
from scenario.bench_store import build
from sinks.event_ids import ids_path
from sinks.reader import open_sandboxed
from sinks.store import Store


def bench_home() -> Path:
    """Beside the other benchmarks' data: $KOKEMUSVIRTA_HOME/bench/ (a 1M-item store is 1.2 GB
    and its base of 50,000 items 0.2 GB)."""
    return Settings().home / "bench"
QUERY_GOAL_S = 0.2
PAGE_GOAL_S = 1.0


@dataclass(frozen=True)
class Timing:
    what: str
    filters: str
    median_s: float
    max_s: float
    rows: int
    goal_s: float
    load: float = 0.0  # the 1-minute load average when it was measured (a shared machine)
    # CPU seconds of this process (DuckDB's threads included), median: what the answer costs,
    # far less changed by other processes than the wall-clock time. On 2 idle cores a query
    # takes about half its CPU time.
    cpu_s: float = 0.0

    @property
    def passed(self) -> bool:
        return self.median_s < self.goal_s

    def line(self) -> str:
        verdict = "ok" if self.passed else "SLOW"
        return (f"{self.what:<32} {self.filters:<14} {self.median_s * 1000:>9.1f} "
                f"{self.max_s * 1000:>9.1f} {self.cpu_s * 1000:>8.1f} {self.rows:>6}  {verdict} "
                f"(< {self.goal_s * 1000:.0f})  load {self.load:.1f}")


def time_runs(run: Callable[[], int], runs: int) -> tuple[float, float, int, float]:
    """(median, max) seconds of `runs` runs after one warm-up run, the rows of the last, and
    the median CPU seconds."""
    rows = run()
    seconds, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = run()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(seconds), max(seconds), rows, statistics.median(cpu)


def busiest_county(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT county FROM item_milestones GROUP BY county "
                      "ORDER BY count(*) DESC LIMIT 1").fetchone()
    return str(row[0]) if row else "lappi"


def time_queries(con: duckdb.DuckDBPyConnection, runs: int, county: str) -> list[Timing]:
    def query(name: str, filters: Filters) -> Callable[[], int]:
        return lambda: len(queries.run(con, name, filters).rows)

    out = []
    for name in queries.names():
        for label, filters in (("all", Filters()), (f"county={county}", Filters(county=county))):
            median, worst, rows, cpu = time_runs(query(name, filters), runs)
            out.append(Timing(name, label, median, worst, rows, QUERY_GOAL_S,
                              os.getloadavg()[0], cpu))
    def weekly(filters: Filters) -> Callable[[], int]:
        return lambda: len(queries.run(con, "trend", filters, {"grain": "week"}).rows)

    for label, filters in (("all", Filters()), (f"county={county}", Filters(county=county))):
        median, worst, rows, cpu = time_runs(weekly(filters), runs)
        out.append(Timing("trend (by week)", label, median, worst, rows, QUERY_GOAL_S,
                          os.getloadavg()[0], cpu))
    return out


def time_web(con: duckdb.DuckDBPyConnection, runs: int, county: str) -> list[Timing]:
    """What the workplace's /kojelauta pages add: the queries and the trend and themes panels
    with their charts drawn by vl-convert, the overdue list with its links, and the exports."""
    from dashboards import exports, vega, web
    from dashboards.labels import Labels

    labels = Labels("fi")
    links = web.Links("/kojelauta/trendit", {}, lambda n, f: f"/kojelauta/vienti/{n}.{f}")

    def trend_page(f: Filters, grain: str) -> Callable[[], int]:
        picked = queries.choices({"grain": grain})
        def run() -> int:
            vega.clear()  # a first view: drawn, not the kept drawing of a view before
            return len(web.trend_panel(queries.run(con, "trend", f, picked), labels, picked,
                                       links, "items", "desc"))
        return run

    def overdue_page(f: Filters) -> Callable[[], int]:
        return lambda: len(web.overdue_panel(queries.run(con, "overdue_items_list", f),
                                             labels, links, "due_date", "asc"))

    def themes_page(f: Filters) -> Callable[[], int]:
        def run() -> int:
            vega.clear()
            return len(web.themes_panel(queries.run(con, "themes_over_time", f), labels, links))
        return run

    def export(fmt: str, f: Filters) -> Callable[[], int]:
        def run() -> int:
            result = queries.run(con, "trend", f, {"grain": "week"})
            if fmt == "csv":
                return len(exports.as_csv(result))
            if fmt == "xlsx":
                return len(exports.as_xlsx(result, "trend"))
            return len(vega.png(vega.trend_spec(result.records(), labels, "week", "returned")))
        return run

    cases: list[tuple[str, Callable[[Filters], Callable[[], int]]]] = [
        ("web trendit (month)", lambda f: trend_page(f, "month")),
        ("web trendit (week)", lambda f: trend_page(f, "week")),
        ("web myohassa list", overdue_page),
        ("web teemat (vl-convert)", themes_page),
        *((f"export trend.{fmt}", lambda f, fmt=fmt: export(fmt, f))
          for fmt in ("csv", "xlsx", "png"))]
    out = []
    for what, make in cases:
        for label, filters in (("all", Filters()), (f"county={county}", Filters(county=county))):
            median, worst, size, cpu = time_runs(make(filters), runs)
            out.append(Timing(what, label, median, worst, size, PAGE_GOAL_S, os.getloadavg()[0],
                              cpu))
    return out


def time_pages(con: duckdb.DuckDBPyConnection, runs: int, county: str) -> list[Timing] | None:
    """Each page rendered in Finnish, when the pages exist (dashboards.pages)."""
    try:
        pages = importlib.import_module("dashboards.pages")
    except ImportError:
        return None
    slugs, render = getattr(pages, "PAGES", None), getattr(pages, "render_page", None)
    if slugs is None or render is None:
        return None
    def page(slug: str, filters: Filters) -> Callable[[], int]:
        return lambda: len(render(con, slug, filters, "fi"))

    out = []
    for slug in slugs:
        for label, filters in (("all", Filters()), (f"county={county}", Filters(county=county))):
            median, worst, size, cpu = time_runs(page(slug, filters), runs)
            out.append(Timing(f"page {slug}", label, median, worst, size, PAGE_GOAL_S,
                              os.getloadavg()[0], cpu))
    return out


def time_workplace(con: duckdb.DuckDBPyConnection, store: Path, runs: int) -> list[Timing]:
    """The workplace's pages over HTTP, signed in (kokemusvirta/bench/workplace_pages.py)."""
    from kokemusvirta.bench import workplace_pages as wp

    asked, users = wp.pages(con)
    out = []
    with wp.workplace(store, users) as sign_in:
        clients = {user: sign_in(user) for user in users}

        def get(page: wp.Page) -> Callable[[], int]:
            def run() -> int:
                answer = clients[page.user].get(page.url)
                assert answer.status_code == 200, (page.url, answer.status_code)
                return len(answer.content)
            return run

        for page in asked:
            median, worst, size, cpu = time_runs(get(page), runs)
            out.append(Timing(page.what, page.user, median, worst, size, PAGE_GOAL_S,
                              os.getloadavg()[0], cpu))
    return out


def report(con: duckdb.DuckDBPyConnection, runs: int, say: Callable[[str], None],
           store: Path | None = None) -> bool:
    items = con.execute("SELECT count(*) FROM item_milestones").fetchone()
    lifecycle = con.execute("SELECT count(*) FROM lifecycle").fetchone()
    say(f"store: {items[0] if items else 0:,} client knowledge items, "
        f"{lifecycle[0] if lifecycle else 0:,} lifecycle rows; {runs} warm runs each "
        f"(median and max, ms)")
    load = os.getloadavg()[0]
    say(f"load average {load:.1f} on {os.cpu_count()} cores: other processes running now make "
        f"the times slower and noisier" if load > 1 else f"load average {load:.1f}")
    county = busiest_county(con)
    header = (f"{'query / page':<32} {'filters':<14} {'median':>9} {'max':>9} {'cpu':>8} "
              f"{'rows':>6}  goal")
    timings = time_queries(con, runs, county)
    say(header)
    for t in timings:
        say(t.line())
    pages = time_pages(con, runs, county)
    if pages is None:
        say("pages: dashboards.pages has no PAGES and render_page yet; not timed")
    else:
        say(header.replace("rows", "chars").replace("  goal", " goal"))
        for t in pages:
            say(t.line())
        timings += pages
    web = time_web(con, runs, county)
    for t in web:
        say(t.line())
    timings += web
    if store is not None:
        say(f"{'workplace page (HTTP)':<32} {'user':<14} {'median':>9} {'max':>9} "
            f"{'cpu':>8} {'bytes':>6}  goal")
        places = time_workplace(con, store, runs)
        for t in places:
            say(t.line())
        timings += places
    slow = [t for t in timings if not t.passed]
    worst = max(timings, key=lambda t: t.median_s)
    say(f"{len(timings) - len(slow)} of {len(timings)} within their goal; slowest: "
        f"{worst.what} ({worst.filters}) {worst.median_s * 1000:.0f} ms")
    return not slow


def _move_ids(built: Path, path: Path) -> None:
    """The sink's list of stored event ids (sinks/event_ids.py) follows the store it lists."""
    if ids_path(built).exists():
        os.replace(ids_path(built), ids_path(path))


def build_copied(path: Path, items: int, copies: int, workers: int, rebuild: bool,
                 say: Callable[[str], None]) -> None:
    """`items` items at `path`: built the sink's way, or N/K built so (kept beside it as
    dashboards-base-<N/K>.duckdb, reused) and copied K times."""
    if copies <= 1:
        build(path, items, workers, say)
        _move_ids(path.with_name(path.name + ".building"), path)
        return
    base_items = -(-items // copies)
    base = path.with_name(f"dashboards-base-{base_items}.duckdb")
    if rebuild or not base.exists():
        build(base, base_items, workers, say)
        _move_ids(base.with_name(base.name + ".building"), base)
    started = time.monotonic()
    say(f"copying {base} {copies} times into {path}")
    tmp = path.with_name(path.name + ".building")
    shutil.copyfile(base, tmp)
    store = Store(tmp)
    try:
        replicate(store.con, copies, say)
        store.con.execute("CHECKPOINT")
    finally:
        store.close()
    os.replace(tmp, path)
    _move_ids(tmp, path)
    say(f"  copied in {time.monotonic() - started:,.0f} s, {path.stat().st_size / 1e9:.1f} GB")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kokemusvirta.bench.dashboards",
        description="Time every chart query and page on a store of N knowledge items "
                    "(built once and kept under $KOKEMUSVIRTA_HOME/bench/ or --store; a million "
                    "items are 50,000 built the sink's way and copied 20 times: 1.2 GB, about "
                    "20 minutes on 2 busy cores).")
    parser.add_argument("--items", type=int, default=1_000_000,
                        help="knowledge items in the store (default 1,000,000)")
    parser.add_argument("--store", type=Path, default=None,
                        help="the store file, or a folder to keep dashboards-<items>.duckdb "
                             "in (default $KOKEMUSVIRTA_HOME/bench/)")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the store again even when it exists")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--workers", type=int, default=2,
                        help="processes preparing the store's batches (default 2)")
    parser.add_argument("--copies", type=int, default=None,
                        help="build N/K items the sink's way and copy each K times under new "
                             "ids (default 20 from 500,000 items on, else 1: no copies)")
    args = parser.parse_args(argv)
    if args.items < 1 or args.runs < 1 or args.workers < 1 or (args.copies or 1) < 1:
        parser.error("--items, --runs, --workers and --copies must be positive")
    copies = args.copies or (20 if args.items >= 500_000 else 1)
    path = args.store or bench_home() / f"dashboards-{args.items}.duckdb"
    if path.is_dir():
        path = path / f"dashboards-{args.items}.duckdb"

    def say(line: str) -> None:
        print(line, flush=True)

    if args.rebuild or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_copied(path, args.items, copies, args.workers, args.rebuild, say)
    else:
        say(f"using the store built before: {path} (--rebuild to build it again)")
    Store(path).close()  # this release's views, and its milestones when they changed
    con = open_sandboxed(path)  # the readers' sandbox, UTC (sinks/reader.py)
    try:
        passed = report(con, args.runs, say, path)
    finally:
        con.close()
    say("PASS" if passed else "FAIL: a median missed its goal (see SLOW above)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
