"""Data Docs offline (sinks/quality/offline.py): every CDN link of GX's page templates has a
vendored copy, and a page's links point at it from wherever the page lies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sinks.quality import offline

TEMPLATES = Path(str(__import__("great_expectations").__file__)).parent / "render/view/templates"


def test_every_cdn_link_of_gxs_templates_is_vendored_or_dropped() -> None:
    linked = set()
    for template in TEMPLATES.glob("*.j2"):
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", template.read_text("utf-8")):
            linked |= set(re.findall(r"""(?:src|href)=["'](https?://[^"']+)["']""", tag))
    assert linked, TEMPLATES
    assert linked <= set(offline.LOCAL) | set(offline.DROPPED), linked - set(offline.LOCAL)
    for name in offline.LOCAL.values():
        assert (offline.STATIC / name).is_file(), name
    assert sorted(p.name for p in (offline.STATIC / "webfonts").iterdir()) == [
        "fa-brands-400.woff2", "fa-regular-400.woff2", "fa-solid-900.woff2",
        "fa-v4compatibility.woff2"]


def test_links_point_home_from_any_depth() -> None:
    page = ('<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/'
            'bootstrap.min.css"/>\n<script src="https://stackpath.bootstrapcdn.com/bootstrap/'
            '4.3.1/js/bootstrap.min.js" integrity="sha384-x" crossorigin="anonymous"></script>\n'
            '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
            '<link rel="shortcut icon" href="../../../static/images/favicon.ico"/>\n'
            '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/'
            'logo-long.png?d=20261205T145706Z">\n<a href="https://greatexpectations.io">GX</a>')
    deep = offline.localise(page, "../../../../")
    assert deep.splitlines() == [
        '<link rel="stylesheet" href="../../../../static/vendor/css/bootstrap.min.css"/>',
        '<script src="../../../../static/vendor/js/bootstrap.min.js"></script>',  # no CORS
        "",  # Vega: no charts on our pages
        '<link rel="shortcut icon" href="../../../../static/images/favicon.ico"/>',
        '<img src="../../../../static/images/logo-long.png">',
        '<a href="https://greatexpectations.io">GX</a>',  # a link to follow, not to load
    ]
    assert 'href="static/vendor/css/bootstrap.min.css"' in offline.localise(page, "")


def test_a_link_not_vendored_is_an_error_not_an_empty_page() -> None:
    with pytest.raises(offline.StillOnline, match=re.escape("unpkg.com/new-lib")):
        offline.localise('<script src="https://unpkg.com/new-lib@1/x.js"></script>', "")
