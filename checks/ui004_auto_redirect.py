"""UI004 auto-redirect."""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from bs4 import Tag

from appaudit.scanner.check import ORIGIN_UNKNOWN, NotApplicable, PageCheck
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.destinations import Destination, Kind, classify
from appaudit.scanner.pagemodel.scripts import NAVIGATE, scripts_of

# content="5; url=https://…" (also "5;URL='…'" and "0,url=…", as browsers accept)
_REFRESH = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\2\s*$", re.IGNORECASE | re.DOTALL)
# A frame pointing at these opens the app or store as the page loads.
_APP_KINDS = (Kind.APP_STORE, Kind.DEEP_LINK, Kind.DOWNLOAD)


class AutoRedirect(PageCheck):
    """Navigation to another site, an app store or an app without any user action: a
    ``<meta http-equiv="refresh">`` with a URL, script at the top level or in a load
    handler (``window.onload``, ``DOMContentLoaded``, ``$(fn)``, ``<body onload>``,
    ``<img onerror>``) that sets ``location``, calls ``location.assign/replace`` or
    ``window.open``, submits a form or clicks a link — directly or from a timer — and
    frames whose source is an app deep link or store (which open the app on load).

    Only destinations that leave the site count: a same-site refresh (for example after
    login) is ordinary. When the page's own URL is unknown, only app stores, deep links
    and downloads can be judged; a page that redirects to another web address is then
    "not applicable" rather than passed.

    MIIT (工信部信管函〔2023〕26号) forbids opening other apps or pages without the user's
    choice and "自启动和关联启动"; MIIT's 2021 campaign (工信部信管函〔2021〕292号) targets
    misleading jumps; T/TAF 078.7-2022 tests forced redirects.
    """

    id = "UI004"
    name = "auto-redirect"
    severity = Severity.MEDIUM
    regulations = ("工信部信管函〔2023〕26号", "工信部信管函〔2021〕292号", "T/TAF 078.7-2022")
    description = "Navigation to another site without a user action (meta refresh, timer, load handler)"
    stateless = True

    def check_html(self, page: Page) -> Iterator[Finding]:
        candidates = list(self._redirects(page))
        leaving = [(element, destination, how, details) for element, destination, how, details in candidates
                   if destination.leaves]
        # Without the page's own URL only app stores and app links can be judged.
        if not leaving and not page.url:
            raise NotApplicable(ORIGIN_UNKNOWN)
        for element, destination, how, details in leaving:
            yield self._finding(page, element, destination, how=how, details=details)

    def _redirects(self, page: Page) -> Iterator[tuple[Tag, Destination, str, dict]]:
        """Every navigation that happens without a tap: (element, destination, how, details)."""
        refreshed = set()
        for meta in page.document.find_all("meta"):
            if str(meta.get("http-equiv", "")).strip().lower() != "refresh":
                continue
            match = _REFRESH.match(str(meta.get("content", "")))
            if match is None or not match.group(3).strip():
                continue
            delay = float(match.group(1) or 0)
            destination = classify(match.group(3), page.url)
            refreshed.add(destination.url)
            yield meta, destination, "a meta refresh", {"trigger": "meta refresh", "delay_s": delay}
        for automatic in scripts_of(page).automatic:
            effect = automatic.effect
            if effect.action != NAVIGATE or effect.url is None:
                continue
            if effect.observed and classify(effect.url, page.url).url in refreshed:
                continue  # the browser saw the meta refresh itself
            trigger = "timer" if effect.timed else "page load"
            details = {"trigger": trigger, "code": effect.code}
            if effect.timed:
                details["delay_ms"] = effect.delay_ms
            if effect.observed:
                details["observed"] = effect.observed
            yield automatic.holder, classify(effect.url, page.url), f"script ({trigger})", details
        for frame in page.document.find_all(["iframe", "frame"], src=True):
            destination = classify(str(frame["src"]), page.url)
            if destination.kind in _APP_KINDS:
                yield frame, destination, "a frame", {"trigger": "frame source"}

    def _finding(self, page: Page, element: Tag, destination: Destination, *, how: str, details: dict) -> Finding:
        return self.finding(
            title=f"Page sends the user to {destination.description} without a tap",
            message=(f"As the page loads, {how} navigates to {destination.description}. Users are taken away "
                     f"without choosing to go."),
            location=page.location(element),
            evidence=Evidence(details={"destination": destination.url, "kind": destination.kind.value,
                                       "subject": _subject(destination), **details}),
        )


def _subject(destination: Destination) -> str:
    """What tells two redirects from the same element apart, stable across runs: the
    destination's host (or app scheme and target), not its volatile query."""
    try:
        parts = urlsplit(destination.url)
    except ValueError:
        return destination.kind.value
    return f"{destination.kind.value}:{parts.scheme}:{parts.hostname or parts.path}"
