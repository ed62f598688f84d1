"""Debian's headless Chromium driven by Selenium, on a closed network.

Without the background-networking flags Chromium waits on services it cannot reach (component
updates, sync, QUIC probes) and hangs. A fresh profile per driver, removed afterwards."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("KOKEMUSVIRTA_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("KOKEMUSVIRTA_CHROMEDRIVER", "/usr/bin/chromedriver"))
AXE = Path(__file__).resolve().parents[2] / "dashboards" / "a11y" / "node_modules" / "axe-core" \
    / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
         "--no-default-browser-check", "--window-size=1280,900", "--lang=fi")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} not found (Debian: apt-get install {package}; ./run installs it)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if not AXE.exists():
        return f"{AXE} not found (npm ci --prefix dashboards/a11y; ./run does it)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kv-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def full_page_screenshot(driver: Any, path: Path) -> None:
    """The whole page, not only the window: grow the window to the document's height."""
    width = 1280
    height = driver.execute_script(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(int(height) + 40, 12000))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)


def axe(driver: Any, exclude: str | None = None) -> list[dict[str, Any]]:
    """Run axe-core in the page; its violations for WCAG 2.0/2.1 A and AA. axe-core is loaded
    once per document. `exclude`: a CSS selector of parts not to check (the built file's hidden
    views, each checked when it is the one shown)."""
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))  # not eval: the pages' CSP
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const context = arguments[1] ? {exclude: [[arguments[1]]]} : document;"
        "axe.run(context, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', "
        "help: String(e), nodes: []}])));", AXE_TAGS, exclude)
    violations: list[dict[str, Any]] = json.loads(result)
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v.get('impact')}: {v['id']} – {v.get('help')} ({len(v['nodes'])} nodes)")
        for node in v["nodes"][:3]:
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)
