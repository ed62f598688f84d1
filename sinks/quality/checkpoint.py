"""Great Expectations' side: the suites as GX expectation suites, one validation definition per
suite over its Parquet frame, one checkpoint that runs them all and updates the Data Docs.

The GX project lives only in memory (an ephemeral context) and the frames in a temporary folder,
so nothing of GX's lands in the repository; the Data Docs site is the one thing written, next to
the store. Why a pandas datasource over Parquet frames and not a SQL datasource on DuckDB: see
docs/quality.md (in short, GX's SQL engine returned no rows through duckdb_engine).
"""

from __future__ import annotations

import logging
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sinks.quality.offline import make_offline
from sinks.quality.suites import Check, Kind, Suite

SITE = "kokemusvirta"
EXAMPLES = 5  # unexpected values shown per failed expectation


class DocsDirNotOurs(RuntimeError):
    pass


@dataclass(frozen=True)
class CheckResult:
    suite: str
    check: Check
    success: bool
    unexpected_count: int
    examples: tuple[str, ...]  # "row key: what is wrong", or just the value
    error: str | None = None




def prepare_docs_dir(docs: Path) -> None:
    """The site shows this run only: earlier runs' pages go. A folder that holds something
    other than Data Docs is not touched."""
    if docs.exists() and any(docs.iterdir()) and not (docs / "index.html").exists():
        raise DocsDirNotOurs(
            f"{docs} is not empty and holds no Data Docs; give another folder with --docs")
    for part in ("validations", "expectations", "static"):
        shutil.rmtree(docs / part, ignore_errors=True)
    docs.mkdir(parents=True, exist_ok=True)


def _expectation(check: Check, index: int, suite: str) -> Any:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    common: dict[str, Any] = {
        "notes": check.title, "meta": {"suite": suite, "check": index, "about": check.about},
    }
    if check.when:
        common["row_condition"] = Column(check.when).is_not_null()
    column = check.column
    if check.kind is Kind.UNIQUE:
        return gxe.ExpectColumnValuesToBeUnique(column=column, **common)
    if check.kind is Kind.NOT_NULL:
        return gxe.ExpectColumnValuesToNotBeNull(column=column, **common)
    if check.kind is Kind.IN_SET:
        return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(check.values),
                                               **common)
    if check.kind is Kind.MATCHES:
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=check.pattern or "",
                                                  **common)
    if check.kind is Kind.FINE:
        return gxe.ExpectColumnValuesToBeNull(column=column, **common)
    if check.kind is Kind.AT_LEAST:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=check.minimum,
                                                 **common)
    parameter = {"$PARAMETER": check.parameter}
    if check.kind is Kind.ROWS_ARE:
        return gxe.ExpectTableRowCountToEqual(value=parameter, **common)
    return gxe.ExpectColumnSumToBeBetween(column=column, min_value=parameter,
                                          max_value=parameter, **common)


def run(
    suites: list[Suite], frames: dict[str, Path], parameters: dict[str, int], docs: Path,
    run_name: str = "kokemusvirta quality",
) -> list[CheckResult]:
    """Validate every suite's frame in one checkpoint; Data Docs into `docs`."""
    # GX logs and warns about its own deprecations and pandas'; a person at a terminal gets the
    # summary. (Progress bars are switched off in the context's configuration.)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _run(suites, frames, parameters, docs, run_name)


def _run(
    suites: list[Suite], frames: dict[str, Path], parameters: dict[str, int], docs: Path,
    run_name: str,
) -> list[CheckResult]:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.add_data_docs_site(SITE, {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(docs)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    folders = {path.parent for path in frames.values()}
    assert len(folders) == 1, "the frames share one folder"
    source = context.data_sources.add_pandas_filesystem(name="kokemusvirta",
                                                        base_directory=folders.pop())
    definitions = []
    by_suite = {s.name: s for s in suites}
    for suite in suites:
        asset = source.add_parquet_asset(name=suite.name)
        batch = asset.add_batch_definition_path(name=suite.name, path=frames[suite.name].name)
        # The expectations given with the suite: adding them one by one to a stored suite
        # serialises the whole suite again each time (12 % of a run, quadratic in its size).
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=[
            _expectation(check, index, suite.name)
            for index, check in enumerate(suite.applicable())]))
        definitions.append(context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)))
    # No UpdateDataDocsAction: it rebuilds the whole site once per validation definition
    # (8 of the demo's 13 s went there); one build after the run gives the same site.
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name="laatu", validation_definitions=definitions,
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES,
                       "unexpected_index_column_names": ["row_key"],
                       "return_unexpected_index_query": False},
    ))
    outcome = checkpoint.run(expectation_parameters=dict(parameters),
                             run_id=RunIdentifier(run_name=run_name))
    context.build_data_docs(site_names=[SITE])
    make_offline(docs)  # GX links its styles and scripts from CDNs: offline, an empty index
    results = []
    for validation in outcome.run_results.values():
        for r in validation.results:
            meta = (r.expectation_config.meta if r.expectation_config else None) or {}
            suite = by_suite[meta["suite"]]
            results.append(_result(suite.name, suite.applicable()[meta["check"]], r,
                                   parameters))
    return results


def _error(info: dict[str, Any]) -> str | None:
    """GX's exception_info is flat, or keyed by metric when a metric failed."""
    for found in (info, *(v for v in info.values() if isinstance(v, dict))):
        if found.get("raised_exception"):
            return str(found.get("exception_message"))
    return None


def _result(suite: str, check: Check, r: Any, parameters: dict[str, int]) -> CheckResult:
    error = _error(r.exception_info or {})
    if error:
        return CheckResult(suite, check, False, 0, (), error)
    result: dict[str, Any] = r.result or {}
    if check.kind in (Kind.SUM_IS, Kind.ROWS_ARE):
        observed = result.get("observed_value")
        expected = parameters.get(check.parameter or "")
        what = "summa" if check.kind is Kind.SUM_IS else "rivejä"
        return CheckResult(suite, check, bool(r.success), 0 if r.success else 1,
                           () if r.success else (f"{what} {observed}, odotettu {expected}",))
    examples = []
    for found in result.get("partial_unexpected_index_list") or []:
        key = found.get("row_key")
        value = found.get(check.column)
        examples.append(str(key) if check.column == "row_key" or value is None
                        else f"{key}: {value}")
    if not examples:
        examples = [str(v) for v in result.get("partial_unexpected_list") or []]
    return CheckResult(suite, check, bool(r.success), int(result.get("unexpected_count") or 0),
                       tuple(examples[:EXAMPLES]))


def docs_index(docs: Path) -> Path:
    return docs / "index.html"


def version() -> str:
    import great_expectations as gx

    return str(gx.__version__)
