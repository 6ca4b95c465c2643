"""The rendered-mode fixtures (tests/fixtures/rendered/) under today's static mode.

Each fixture's ``static:`` lines say what the static mode reports of it, and this test
holds the static mode to them, so the list of cases only a browser can judge (where
``static:`` and ``rendered:`` differ) stays true. The headers themselves are checked
too: a positive beside every negative, and every file a saved page loads saved with it.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from appaudit.scanner.engine import ScanSettings, scan_file
from appaudit.scanner.loading import expand
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile
from tests.fixtures.pages.cases import FIXTURE_APP
from tests.helpers import UI_ALL
from tests.fixtures.rendered.cases import RenderedCase, cases, har_entries, write_flows

CASES = cases()
# Every UI check, with the same protected brands as the page fixtures.
SETTINGS = ScanSettings(profile=Profile(name="rendered-fixtures", enabled=UI_ALL), app=FIXTURE_APP)


def by_name(case: RenderedCase) -> str:
    return case.name


def element(page: Page, selector: str) -> int:
    selected = page.document.select(selector)
    assert len(selected) == 1, f"{selector!r} selects {len(selected)} elements of the saved page"
    return id(selected[0])


def static_result(case: RenderedCase, path: str) -> tuple:
    """Today's static scan of the fixture (or of the same capture in another format): the
    UI findings and the input's notes."""
    (path, kind), = expand([path])[0]
    result = scan_file(path, kind, SETTINGS)
    assert not result.input.problems
    findings = [f for f in result.findings if f.check in UI_ALL]
    if case.kind == "har":
        assert {f.location.url for f in findings} <= {case.url}, "findings come from the page's entry"
    return findings, result.input.notes


@pytest.mark.parametrize("case", CASES, ids=by_name)
def test_the_static_mode_reports_what_the_header_says(case):
    findings, notes = static_result(case, str(case.path))
    page = Page(source=case.page_source(), input=case.name, url=case.url)
    found = {(f.check, element(page, f.location.selector)) for f in findings}
    declared = {(check, element(page, selector)) for check, selector in case.static}
    described = sorted(f"{f.check} {f.location.selector}: {f.title}" for f in findings)
    assert found == declared, "found:\n" + "\n".join(described)
    assert bool(notes) == case.static_not_judged, f"notes: {notes}"


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "har"], ids=by_name)
def test_a_capture_says_the_same_as_a_mitmproxy_flow_file(case, tmp_path):
    def described(path: Path) -> tuple:
        findings, notes = static_result(case, str(path))
        return sorted((f.check, f.location.selector, f.location.url) for f in findings), notes

    assert described(write_flows(case.path, tmp_path / "capture.mitm")) == described(case.path)


@pytest.mark.parametrize("case", CASES, ids=by_name)
def test_the_header_says_what_each_mode_must_report_and_why(case):
    assert case.why, f"{case.name}: say why the modes agree or differ ('why:')"
    if case.role == "hostile":
        assert case.attempts and case.rendered is None, "a hostile page lists its attempts; its findings are free"
        return
    assert case.role in ("pos", "neg") and case.check, "name it pos-uiNNN-… or neg-uiNNN-…"
    if case.role == "pos":
        assert case.check in {check for check, _ in case.expected}
    else:
        assert not case.expected, "a negative expects no finding"
    # Held to the truth: the rendered mode sees what the user sees.
    assert case.rendered == case.expected


def test_every_positive_has_a_hard_negative_beside_it():
    roles = Counter((case.check, case.role) for case in CASES if case.check)
    checks = {check for check, _ in roles}
    assert all(roles[check, "pos"] and roles[check, "neg"] for check in checks), roles
    assert sum(case.role == "hostile" for case in CASES) >= 1


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


def _loaded(page: Page) -> list[str]:
    """The addresses of the scripts, styles, pictures and frames the markup loads."""
    wanted = {"script": "src", "img": "src", "iframe": "src", "link": "href"}
    return [str(e[wanted[e.name]]) for e in page.document.find_all(list(wanted))
            if e.get(wanted[e.name]) and (e.name != "link" or "stylesheet" in (e.get("rel") or ()))]


@pytest.mark.parametrize("case", [c for c in CASES if c.role != "hostile"], ids=by_name)
def test_every_file_the_page_loads_is_in_the_fixture(case):
    """Replayed offline, a page gets only what was saved with it: a missing file would
    make the rendered mode judge a different page from the one described."""
    page = Page(source=case.page_source(), input=case.name, url=case.url)
    if case.kind == "har":
        recorded = {entry["request"]["url"] for entry in har_entries(case.path)}
        missing = [u for u in _loaded(page) if urljoin(case.url, u) not in recorded]
    else:
        saved = [case.path.parent / u for u in _loaded(page) if not urlsplit(u).scheme]
        pictures = [css.parent / u for css in saved if css.suffix == ".css" and css.is_file()
                    for u in _CSS_URL.findall(css.read_text(encoding="utf-8")) if not urlsplit(u).scheme]
        missing = [str(file) for file in saved + pictures if not file.is_file()]
    assert not missing
