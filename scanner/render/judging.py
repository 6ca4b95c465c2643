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
from appaudit.scanner.render import VIEWPORTS, PageTooBusy, browser_available
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
            with browser.bounded():
                shown = browser.snapshot(load, page, ways_out=ways_out)
                _tap_controls(browser, load, shown)
                _measure_closes(browser, load, shown)
        except Exception as e:
            browser.close()  # the next page starts a fresh browser
            why = str(e) if isinstance(e, PageTooBusy) else describe(e)
            problem = f"{where}: could not be rendered ({why}); judged from its markup"
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
        masks = [] if self.reveal else _masks(self.secrets(" ".join(
            [shown.document.get_text(" "), *(late.page.document.get_text(" ") for late in shown.rendered.late_closes.values())])))
        from appaudit.scanner.render.browser import SHOWN_AFTER_MS

        # A close that came late is pictured once it is there.
        waits = {late.page.selector(late.element): late.after_ms - SHOWN_AFTER_MS
                 for late in shown.rendered.late_closes.values()}
        try:
            with browser.bounded():
                written = browser.screenshots(load, [(selector, path, waits.get(selector, 0))
                                                     for _, selector, path in shots.values()], masks)
        except Exception as e:
            browser.close()
            say(f"{where}: evidence screenshots not taken ({describe(e)})", False)
            return
        for name, (finding, _, path) in shots.items():
            if path in written:
                finding.evidence.details["screenshot"] = f"{self.evidence.ref}/{name}"


def _masks(secrets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = {raw: mask(raw, data_type) for data_type, raw in secrets if raw}
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def ways_out(page: Page) -> dict[str, object]:
    """Each pop-up of a page read from the browser (by selector) with its first real way
    out: a close-looking control inside it that a user can see and reach and that does
    not lead away; None where it has none yet."""
    from appaudit.scanner.pagemodel.controls import close_controls, popup_of, popups, tap_outcome
    from appaudit.scanner.pagemodel.style import is_visible

    facts = page.rendered
    found: dict[int, object] = {id(popup.element): None for popup in popups(page)}
    for control in close_controls(page):
        element = control.element
        popup = popup_of(page, element)
        laid_out = facts.of(element)
        if popup is None or found.get(id(popup.element), element) is not None or laid_out is None \
                or not laid_out.on_top or not is_visible(page, element) or tap_outcome(page, element).destination:
            continue
        found[id(popup.element)] = element
    return {page.selector(popup.element): found[id(popup.element)] for popup in popups(page)}


def _tap_controls(browser, load, shown: Page) -> None:
    """Tap what a user would tap and record what each tap did (the checks read it
    through ``controls.tap_outcome``): the close-looking controls a user can see and
    reach that a tap could matter for (in a pop-up, floating over the page, or sitting
    in a link), then each pop-up's main area (its centre, unless a small control of its
    own sits there). Taps share one load while they change nothing; after one that
    does, the page is loaded afresh."""
    from appaudit.scanner.pagemodel.controls import close_controls, is_out_of_flow, popup_of, popups
    from appaudit.scanner.pagemodel.style import is_visible
    from appaudit.scanner.render.browser import MAX_TAPS, Tap

    facts = shown.rendered
    targets: list[tuple[object, Tap]] = []
    for control in close_controls(shown):
        element = control.element
        found = facts.of(element)
        if found is None or not found.on_top or not is_visible(shown, element):
            continue
        popup = popup_of(shown, element)
        if popup is None and not is_out_of_flow(shown, element) and element.find_parent("a") is None \
                and element.name != "a":
            continue
        targets.append((element, Tap(selector=shown.selector(element),
                                     popup=shown.selector(popup.element) if popup else None)))
    for popup in popups(shown):
        found = facts.of(popup.element)
        if found is not None and found.on_top is not None and is_visible(shown, popup.element):
            selector = shown.selector(popup.element)
            targets.append((popup.element, Tap(selector=selector, popup=selector, main_area=True)))
    targets = targets[:MAX_TAPS]
    for (element, tap), result in zip(targets, browser.taps(load, [tap for _, tap in targets])):
        if result is not None:
            (facts.main_area_taps if tap.main_area else facts.taps)[id(element)] = result


def _measure_closes(browser, load, shown: Page) -> None:
    """Measure, from the screen's pixels, how well each visible close control of a pop-up
    stands out from what is actually behind it (a picture, a gradient: what declared
    colours cannot say). The checks read it through ``style.measured_contrast``."""
    from appaudit.scanner.pagemodel.controls import close_controls, popup_of
    from appaudit.scanner.pagemodel.style import is_visible
    from appaudit.scanner.render.browser import MAX_MEASURED

    facts = shown.rendered
    closes = {}
    for control in close_controls(shown):
        element = control.element
        found = facts.of(element)
        if found is not None and found.on_top and is_visible(shown, element) and popup_of(shown, element) is not None:
            closes[shown.selector(element)] = element
    selectors = list(closes)[:MAX_MEASURED]
    for selector, ratio in browser.contrasts(load, selectors).items() if selectors else ():
        facts.contrasts[id(closes[selector])] = ratio


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
