"""The rendered mode inside one input's scan: each page loaded in the browser from the
input's own capture, tapped, judged by the same checks, its findings pictured."""
from __future__ import annotations

import atexit
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from appaudit.scanner.failures import describe
from appaudit.scanner.loading import read_flows, read_har
from appaudit.scanner.masking import mask
from appaudit.scanner.model import Finding
from appaudit.scanner.page import Page
from appaudit.scanner.render import VIEWPORTS, browser_available
from appaudit.scanner.render.replay import CaptureResponses, SavedFiles, saved_page_url

logger = logging.getLogger("appaudit")
NO_BROWSER = ("pages judged from their markup only: no browser to render them here "
              "(--render auto; install Debian's chromium, or `make browser`)")


@dataclass(frozen=True, kw_only=True)
class ScreenshotFolder:
    """Where evidence screenshots go: ``folder`` on disk, named in the report as ``ref``/file."""

    folder: str
    ref: str


_renderers: dict[str, object] = {}


def renderer(viewport: str):
    """The process's browser for ``viewport`` (started on first use, closed at exit)."""
    from appaudit.scanner.render.browser import Renderer

    if viewport not in _renderers:
        _renderers[viewport] = Renderer(viewport=viewport)
    return _renderers[viewport]


@atexit.register
def close_renderers() -> None:
    while _renderers:
        _, found = _renderers.popitem()
        try:
            found.close()
        except Exception:  # a browser already gone is closed
            pass


# A forked --jobs worker starts its own browser; the parent's belongs to the parent.
os.register_at_fork(after_in_child=_renderers.clear)


class RenderedJudging:
    """Renders the pages of one input and judges them with ``judge`` (the engine's page
    checks). A page the browser cannot load is judged from its markup, and the input
    says so."""

    def __init__(self, *, path: str, kind: str, mode: str, viewport: str, reveal: bool,
                 evidence: ScreenshotFolder | None, secrets: Callable[[str], list[tuple[str, str]]],
                 unavailable: str | None = None):
        self.path = path  # the input: a saved page, or the capture that answers the pages' requests
        self.unavailable = unavailable  # why no page can be rendered here, said at the first page
        self.kind = kind
        self.mode = mode
        self.viewport = viewport
        self.reveal = reveal
        self.evidence = evidence
        self.secrets = secrets  # (data type, raw value) of the personal values in a text
        self._responses: CaptureResponses | None = None

    def judge(self, page: Page, judge: Callable[[Page], list[Finding]], where: str,
              say: Callable[[str, bool], None]) -> list[Finding]:
        """``say(message, problem)`` tells the input's scan what it should say once (how its
        pages were judged), as a problem or a note."""
        if page.kind != "html":
            return judge(page)
        if self.unavailable is not None:
            say(self.unavailable, self.mode == "always")
            return judge(page)
        load = self.load(page)
        browser = renderer(self.viewport)
        started = time.monotonic()
        try:
            shown = browser.snapshot(load, page)
            _tap_close_controls(browser, load, shown)
        except Exception as e:
            browser.close()  # the next page starts a fresh browser
            problem = f"{where}: could not be rendered ({describe(e)}); judged from its markup"
            say(problem, self.mode == "always")
            return judge(page)
        except BaseException:  # over the time budget, interrupted: the browser's state is unknown
            browser.close()
            raise
        say(self._rendered_note(), False)
        findings = judge(shown)
        if self.evidence is not None:
            self._pictures(browser, load, shown, findings, where, say)
        logger.debug("%s %s: rendered, tapped and judged in %.2f s", self.path, where,
                     time.monotonic() - started)
        return findings

    def _rendered_note(self) -> str:
        width, height, _, _ = VIEWPORTS[self.viewport]
        return (f"pages rendered in headless Chromium ({self.viewport} viewport, {width}x{height}), "
                f"replayed offline from this input")

    def load(self, page: Page):
        """What the browser loads for ``page``: its URL, its document, the answers to the rest."""
        from appaudit.scanner.render.browser import Load

        return Load(url=self._url(page), document=page.source, answers=self._answers(page))

    def _url(self, page: Page) -> str:
        if self.kind == "html":
            return saved_page_url(self.path, page.url)
        return page.url

    def _answers(self, page: Page):
        if self.kind == "html":
            return SavedFiles(self.path, self._url(page))
        if self._responses is None:
            # Read once more, at the first page: the page's styles, scripts and data may be
            # recorded in any flow of the capture, before or after it.
            self._responses = CaptureResponses()
            records = read_flows(self.path, []) if self.kind == "flows" else read_har(self.path, [])
            for flow in records:
                self._responses.add(flow)
        return self._responses

    def _pictures(self, browser, load, shown: Page, findings: list[Finding], where: str,
                  say: Callable[[str, bool], None]) -> None:
        shots = {}
        for finding in findings:
            if finding.location.selector and finding.check.startswith("UI"):
                name = f"{finding.check}-{finding.fingerprint[:16]}.png"
                shots[name] = (finding, finding.location.selector, Path(self.evidence.folder) / name)
        if not shots:
            return
        masks = [] if self.reveal else _masks(self.secrets(shown.document.get_text(" ")))
        try:
            written = browser.screenshots(load, [(selector, path) for _, selector, path in shots.values()], masks)
        except Exception as e:
            say(f"{where}: evidence screenshots not taken ({describe(e)})", False)
            return
        for name, (finding, _, path) in shots.items():
            if path in written:
                finding.evidence.details["screenshot"] = f"{self.evidence.ref}/{name}"


def _masks(secrets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = {raw: mask(raw, data_type) for data_type, raw in secrets if raw}
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def _tap_close_controls(browser, load, shown: Page) -> None:
    """Tap the close-looking controls a user can see and reach that a tap could matter for
    (in a pop-up, floating over the page, or sitting in a link), and record what each did
    (the checks read it through ``controls.tap_outcome``). Taps share one load while they
    change nothing; after one that does, the page is loaded afresh."""
    from appaudit.scanner.pagemodel.controls import close_controls, is_out_of_flow, popup_of
    from appaudit.scanner.pagemodel.style import is_visible
    from appaudit.scanner.render.browser import MAX_TAPS

    facts = shown.rendered
    targets = []
    for control in close_controls(shown):
        element = control.element
        found = facts.of(element)
        if found is None or not found.on_top or not is_visible(shown, element):
            continue
        popup = popup_of(shown, element)
        if popup is None and not is_out_of_flow(shown, element) and element.find_parent("a") is None \
                and element.name != "a":
            continue
        targets.append((element, shown.selector(element), shown.selector(popup.element) if popup else None))
    for element, result in zip((t[0] for t in targets[:MAX_TAPS]),
                               browser.taps(load, [t[1:] for t in targets[:MAX_TAPS]])):
        if result is not None:
            facts.taps[id(element)] = result


def judging_for(settings, path: str, kind: str, detector) -> RenderedJudging | None:
    """The rendered judging of one input's pages, or None in the static mode: with
    ``--render never``, for inputs that hold no HTML, or (``auto``) where no browser is."""
    if settings.render == "never" or kind == "uiautomator":
        return None
    unavailable = None
    if not browser_available():
        unavailable = NO_BROWSER if settings.render == "auto" else \
            "pages not judged in a browser: --render always, but no browser (Chromium and Playwright) is available"

    def secrets(text: str) -> list[tuple[str, str]]:
        found = [(hit.data_type, hit.value) for hit in detector.scan_text(text)]
        canaries = settings.app.canaries if settings.app and settings.app.canaries else {}
        return found + [("canary", str(value)) for value in canaries.values()]

    return RenderedJudging(path=path, kind=kind, mode=settings.render, viewport=settings.viewport,
                           reveal=settings.reveal, evidence=settings.evidence, secrets=secrets,
                           unavailable=unavailable)
