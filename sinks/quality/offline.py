"""Data Docs that work offline: the site's styles and scripts from its own folder, not CDNs.

Great Expectations' page templates (great_expectations/render/view/templates: page.j2,
index_page.j2, js_script_imports.j2) link jQuery, Bootstrap, bootstrap-table and the rest from
unpkg, jsdelivr, cdnjs and others. Offline (a county's closed network, a laptop on a train) the
index page is then empty: its list of suites is a bootstrap-table filled by JavaScript. So
after GX builds the site, `make_offline` copies the same versions, vendored in
`datadocs_static/` (its README.md says from where), into `<site>/static/vendor/` and points
every page's <link> and <script> at them by a relative path.

The Vega scripts are dropped rather than vendored: they draw the charts of profiling results,
and our suites' pages have none (a test checks that no page calls vegaEmbed). GX's logo, which
the pages fetch from GX's S3 bucket (with the build time in the query, so every page view is
counted there), is the copy GX ships in the site's static/images. A page that still links a
stylesheet or script outside the site after this is an error, not a silently empty page.

GX also counts one folder too few for the favicon of a validation page (validations/ is four
deep); every link into the site's static/ is counted from the page here, so that each exists.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

STATIC = Path(__file__).with_name("datadocs_static")
VENDOR = "static/vendor"  # inside the site

# The URLs in GX 1.x's templates -> the vendored file (same version, or the same release line
# where the templates mix 1.19.0 and 1.19.1 of bootstrap-table).
LOCAL: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "js/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        "js/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js":
        "js/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css":
        "css/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "js/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "css/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": "js/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": "css/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": "css/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": "js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": "css/bootstrap-datepicker.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "css/bootstrap-prefers-dark.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "css/fontawesome-all.min.css",
}
DROPPED = ("https://cdn.jsdelivr.net/npm/vega@5", "https://cdn.jsdelivr.net/npm/vega-lite@5",
           "https://cdn.jsdelivr.net/npm/vega-embed@6")

_TAG = re.compile(r"<(script|link)\b[^>]*>(?:\s*</script>)?", re.IGNORECASE)
_URL = re.compile(r"""\b(src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# Subresource integrity with crossorigin asks for a CORS fetch, which a page opened from a
# file (an opaque origin) cannot make of another file: the script would not run.
_CORS = re.compile(r"""\s+(integrity|crossorigin)\s*=\s*["'][^"']*["']""", re.IGNORECASE)


class StillOnline(RuntimeError):
    """A page links a stylesheet or script outside the site that is not vendored."""


_GX_ASSETS = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/"
                        r"[A-Za-z0-9_./-]+\.png(?:\?[^\"')\s]*)?")
LOGO = "static/images/logo-long.png"  # GX ships it in the site


def localise(html: str, to_root: str) -> str:
    """The page with every CDN link pointing at the vendored copy; `to_root` is the relative
    path from the page's folder to the site's root ("" or "../../")."""
    def tag(match: re.Match[str]) -> str:
        found = _URL.search(match.group(0))
        if not found:
            return match.group(0)
        url = found.group(2)
        if not url.startswith(("http://", "https://", "//")):
            if "static/" not in url or url.startswith(("/", "data:")):
                return match.group(0)
            inside = url[url.index("static/"):]  # counted from this page, whatever GX counted
            return match.group(0).replace(url, to_root + inside)
        if url in DROPPED:
            return ""
        if url not in LOCAL:
            raise StillOnline(f"{url} is linked by the Data Docs but not vendored "
                              "(sinks/quality/offline.py)")
        local = f"{to_root}{VENDOR}/{LOCAL[url]}"
        rewritten = match.group(0).replace(url, local)
        return _CORS.sub("", rewritten)

    return _GX_ASSETS.sub(to_root + LOGO, _TAG.sub(tag, html))


def make_offline(site: Path) -> int:
    """Vendored files into the site, every page relinked; the number of pages."""
    shutil.copytree(STATIC, site / VENDOR, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("README.md"))
    pages = 0
    for page in sorted(site.rglob("*.html")):
        depth = len(page.relative_to(site).parts) - 1
        page.write_text(localise(page.read_text(encoding="utf-8"), "../" * depth),
                        encoding="utf-8")
        pages += 1
    return pages
