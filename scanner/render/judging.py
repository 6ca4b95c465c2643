"""The rendered mode inside one input's scan: each page loaded in the browser from the
input's own capture, tapped, judged by the same checks, its findings pictured."""
from __future__ import annotations

import atexit
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from appaudit.scanner.failures import describe
from appaudit.scanner.loading import InputError, read_flows, read_har
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
        browser = renderer(self.viewport)
        if browser.broken is not None:  # it could not start: not tried again for every page
            say(f"pages judged from their markup only: the browser could not start ({browser.broken})",
                self.mode == "always")
            return judge(page)
        from appaudit.scanner.render.browser import PAGE_SECONDS

        started = time.monotonic()
        try:
            load = self.load(page)
            # One deadline for all the browser's work on the page, pictures included.
            with browser.bounded(PAGE_SECONDS):
                shown = browser.snapshot(load, page, ways_out=ways_out)
                _tap_controls(browser, load, shown)
                _measure_closes(browser, load, shown)
        except Exception as e:  # the browser failed, or was killed (PageTooBusy)
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
            left = max(PAGE_SECONDS - (time.monotonic() - started), 1.0)
            self._pictures(browser, load, shown, findings, where, say, left)
        logger.debug("%s %s: rendered, tapped and judged in %.2f s", self.path, where,
                     time.monotonic() - started)
        return findings

    def _rendered_note(self) -> str:
        screen = VIEWPORTS[self.viewport]
        return (f"pages rendered in headless Chromium ({self.viewport} viewport, {screen.width}x{screen.height}), "
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
            # recorded in any flow of the capture, before or after it. A capture that breaks
            # part-way (the first reading reported it) answers with what came before the break.
            responses = CaptureResponses()
            try:
                for flow in read_flows(self.path, []) if self.kind == "flows" else read_har(self.path, []):
                    responses.add(flow)
            except InputError:
                pass
            self._responses = responses
        return self._responses

    def _pictures(self, browser, load, shown: Page, findings: list[Finding], where: str,
                  say: Callable[[str, bool], None], seconds: float) -> None:
        shots = {}
        for finding in findings:
            if finding.location.selector and finding.check.startswith("UI"):
                # Named for this input's page and element: a fingerprint leaves the input out
                # (the same finding in two captures would share, and overwrite, one picture).
                where_exactly = f"{self.path}\0{shown.flow}\0{finding.location.selector}\0{finding.check}"
                name = f"{finding.check}-{hashlib.sha256(where_exactly.encode()).hexdigest()[:16]}.png"
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
            with browser.bounded(seconds):
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


def _reachable_closes(page: Page):
    """The close-looking controls of a page read from the browser that a user can see and
    reach (drawn, and what a tap at their centre hits), each with its pop-up (or None)."""
    from appaudit.scanner.pagemodel.controls import close_controls, popup_of
    from appaudit.scanner.pagemodel.style import is_visible

    for control in close_controls(page):
        laid_out = page.rendered.of(control.element)
        if laid_out is not None and laid_out.on_top and is_visible(page, control.element):
            yield control.element, popup_of(page, control.element)


def ways_out(page: Page) -> dict[str, object]:
    """Each pop-up of a page read from the browser (by selector) with its first real way
    out: a close a user can see and reach that does not lead away; None where it has
    none yet."""
    from appaudit.scanner.pagemodel.controls import popups, tap_outcome

    first: dict[int, object] = {}
    for element, popup in _reachable_closes(page):
        if popup is not None and id(popup.element) not in first and tap_outcome(page, element).destination is None:
            first[id(popup.element)] = element
    return {page.selector(popup.element): first.get(id(popup.element)) for popup in popups(page)}


def _tap_controls(browser, load, shown: Page) -> None:
    """Tap what a user would tap and record what each tap did (the checks read it
    through ``controls.tap_outcome``): the closes a user can see and reach that a tap
    could matter for (in a pop-up, floating over the page, or sitting in a link), then
    each pop-up's main area (its centre, unless a small control of its own sits there).
    Taps share one load while they change nothing; after one that does, the page is
    loaded afresh."""
    from appaudit.scanner.pagemodel.controls import is_out_of_flow, popups
    from appaudit.scanner.pagemodel.style import is_visible
    from appaudit.scanner.render.browser import MAX_TAPS, Tap

    facts = shown.rendered
    targets: list[tuple[object, Tap]] = []
    for element, popup in _reachable_closes(shown):
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
    on_its_own = frozenset(seen.url for seen in facts.automatic)
    for (element, tap), result in zip(targets, browser.taps(load, [tap for _, tap in targets], on_its_own)):
        if result is not None:
            (facts.main_area_taps if tap.main_area else facts.taps)[id(element)] = result


def _measure_closes(browser, load, shown: Page) -> None:
    """Measure, from the screen's pixels, how well each close of a pop-up that a user can
    see and reach stands out from what is actually behind it (a picture, a gradient: what
    declared colours cannot say). The checks read it through ``style.measured_contrast``."""
    from appaudit.scanner.render.browser import MAX_MEASURED

    closes = {shown.selector(element): element for element, popup in _reachable_closes(shown) if popup is not None}
    selectors = list(closes)[:MAX_MEASURED]
    for selector, ratio in browser.contrasts(load, selectors).items() if selectors else ():
        shown.rendered.contrasts[id(closes[selector])] = ratio


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
