"""Chromium through Playwright (the system browser as its executable), closed to the
network: every request is answered from the page's own capture or refused.

One browser per scan process, started on the first page (a fresh temporary profile,
which Playwright deletes when the browser closes); one browser context per load, so no
page sees another's cookies or storage. See docs/rendered-mode.md for the risks of
running a capture's scripts and what is done about them.
"""
from __future__ import annotations

import base64
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from bs4 import Tag
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from appaudit.scanner.page import Page
from appaudit.scanner.render import VIEWPORTS, PageTooBusy, chromium_path
from appaudit.scanner.render.facts import PROPERTIES, Box, ElementFacts, LateClose, Observed, RenderedFacts, TapResult
from appaudit.scanner.render.replay import Recorded, url_key

# Chromium's own traffic (component updates, sync, safe browsing, QUIC probes) would stall
# on a closed network and is never wanted; an unroutable proxy, also for loopback, catches
# any request that would escape the interception (a download, a beacon at unload).
LAUNCH_ARGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-quic", "--disable-domain-reliability", "--disable-breakpad",
               "--dns-prefetch-disable", "--no-pings", "--disable-dev-shm-usage",
               "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
               "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
               "--webrtc-ip-handling-policy=disable_non_proxied_udp",
               # HTTPS upgrades would turn a captured http:// page into a request the capture never saw.
               "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,"
               "HttpsUpgrades,HttpsFirstBalancedModeAutoEnable")
# How long the page's timers are run (fake time, so it costs far less) with no input: what
# a user would see in the first seconds.
BUDGET_MS = 6000
# The page is read (and tapped, and pictured) after its timers ran this long: pop-ups that
# wait a moment after load to appear (ad scripts' usual 1-2 s) are on screen by then.
SHOWN_AFTER_MS = 3000
# A pop-up with no way out when the page is read is read again after each of these
# steps until one comes (or the budget ends): how long the user waits for a close. A close
# there by the first, short step was only being drawn with its pop-up (a creative loading):
# a close counts as late from LATE_CLOSE_MS after the reading.
LATE_CLOSE_STEPS_MS = (300, 700, 1000, 1000)
LATE_CLOSE_MS = 1000
# After a tap: how long its handlers' timers are run before judging what it did.
AFTER_TAP_MS = 1500
LOAD_TIMEOUT_MS = 10000
LAUNCH_TIMEOUT_MS = 15000
# All the browser's work on one page (load, reading, taps, measures, pictures) ends
# within this: a page's script can keep the browser busy for ever (``while (true)``, a
# frame that never answers) and DevTools calls have no time-out of their own. Past it the
# browser is killed and the page judged from its markup, within the record's time budget
# (timelimit.RECORD_SECONDS), whose interruption cannot reach a thread waiting on the
# browser.
PAGE_SECONDS = 20.0
# Waiting for the load event beyond the document itself: resources are answered locally.
LOAD_WAIT_MS = 3000
# Real time for what the timers set off to reach the browser's network layer.
SETTLE_MS = 200
MAX_ELEMENTS = 20000
MAX_TAPS = 8
MAX_MEASURED = 4  # close controls whose contrast is measured from the screen's pixels, per page
# A control under a pop-up's centre smaller than this share of the pop-up is the
# control's, not the pop-up's main area (the static reading's MAIN_AREA_SHARE in area).
SMALL_CONTROL_SHARE = 0.5
MARKER = "data-appaudit-n"
# A shake (or tilt) held for about four seconds: handlers that wait for a sustained one fire.
SHAKE_STEPS, SHAKE_STEP_MS = 14, 300
MOTION_EVENTS = frozenset({"devicemotion", "deviceorientation", "deviceorientationabsolute"})
_MARKER_ATTRIBUTE = re.compile(rf' {MARKER}="\d+"')
_SCRIPTS = Path(__file__).parent
_WEB = ("http:", "https:")


def _kill_own_browsers() -> None:
    """Kill the Chromium processes this process's Playwright driver started (a --jobs
    parent's workers start their own, which are not touched); the driver then fails
    every pending call."""
    children: dict[str, list[str]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(entry.name)
    for driver in children.get(str(os.getpid()), ()):
        try:
            if b"run-driver" not in Path("/proc", driver, "cmdline").read_bytes():
                continue
        except OSError:
            continue
        for browser in children.get(driver, ()):
            try:
                os.kill(int(browser), signal.SIGKILL)
            except OSError:
                pass


@dataclass(frozen=True, kw_only=True)
class Tap:
    """A tap at the centre of the element ``selector`` finds; ``popup``: the pop-up to
    watch (gone after the tap?); ``main_area``: the pop-up itself, tapped where its
    content is."""

    selector: str
    popup: str | None = None
    main_area: bool = False


class Answers(Protocol):
    def answer(self, url: str, method: str = "GET") -> Recorded | None: ...


@dataclass(frozen=True, kw_only=True)
class Load:
    """One page to load: the document at ``url`` and the answers to its other requests."""

    url: str
    document: str
    answers: Answers


class Renderer:
    """The browser of one scan process (started when first needed)."""

    def __init__(self, *, viewport: str = "phone"):
        self.viewport = viewport
        self.mobile = VIEWPORTS[viewport].mobile
        self._playwright = None
        self._browser = None
        self.broken: str | None = None  # why the browser could not start, once it could not

    def _context(self):
        if self._browser is None:
            self._playwright = sync_playwright().start()
            try:
                # The sandbox stays on wherever it can: Chromium refuses it to root.
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(chromium_path()), args=list(LAUNCH_ARGS),
                    chromium_sandbox=os.geteuid() != 0, timeout=LAUNCH_TIMEOUT_MS)
            except PlaywrightError as e:
                self.broken = str(e).splitlines()[0] if str(e) else type(e).__name__
                self.close()
                raise
            except BaseException:
                self.close()
                raise
        screen = VIEWPORTS[self.viewport]
        return self._browser.new_context(
            viewport={"width": screen.width, "height": screen.height}, device_scale_factor=screen.scale,
            is_mobile=screen.mobile, has_touch=screen.mobile, accept_downloads=False, service_workers="block")

    @contextmanager
    def bounded(self, seconds: float) -> Iterator[None]:
        """Run the block's browser work within ``seconds``, killing the browser past them:
        the block's calls then fail, and the block ends in :class:`PageTooBusy` (also when
        the kill came as its last call returned: the browser is gone either way)."""
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            _kill_own_browsers()

        timer = threading.Timer(seconds, kill)
        timer.daemon = True
        timer.start()
        try:
            yield
        except PlaywrightError as e:
            if killed.is_set():
                raise PageTooBusy(f"the page kept the browser busy for over {seconds:g} s") from e
            raise
        finally:
            timer.cancel()
            timer.join()  # a kill under way ends before the next page's browser starts
        if killed.is_set():
            raise PageTooBusy(f"the page kept the browser busy for over {seconds:g} s")

    def close(self) -> None:
        """Close the browser (its temporary profile goes with it)."""
        browser, playwright, self._browser, self._playwright = self._browser, self._playwright, None, None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()

    def snapshot(self, load: Load, page: Page,
                 ways_out: Callable[[Page], dict[str, Tag | None]] | None = None) -> Page:
        """``page`` as the browser draws it after loading: a page built from the rendered DOM,
        carrying the browser's facts; then what the page does on its own within the timer
        budget, and when shaken. ``ways_out(page)`` names each pop-up of a page read from
        the browser (by selector) with its first real way out, or None: a pop-up without
        one when the page is read is read again each second of the budget, and the close
        that comes late is kept (``facts.late_closes``)."""
        with _Tab(self._context(), load, mobile=self.mobile) as tab:
            taken = self._take(tab)
            rendered = _rendered_page(page, taken, load.url, tab.missing_styles)
            facts = rendered.rendered
            facts.budget_ms = BUDGET_MS
            facts.automatic = list(tab.before_snapshot)
            # Asked of a second copy: the page model caches what it reads, and the page
            # itself must be read once all the facts below are in.
            probe = _rendered_page(page, taken, load.url, tab.missing_styles) if ways_out else None
            waiting = [selector for selector, way in ways_out(probe).items() if way is None] if ways_out else []
            ran = SHOWN_AFTER_MS
            for step in LATE_CLOSE_STEPS_MS:
                if not waiting or ran + step > BUDGET_MS:
                    break
                tab.run_timers(step)
                last_read, ran = ran, ran + step
                later = _rendered_page(page, self._take(tab), load.url, tab.missing_styles)
                for selector, way in ways_out(later).items():
                    if selector in waiting and way is not None:
                        waiting.remove(selector)
                        popup = rendered.document.select_one(selector)
                        if popup is not None:
                            facts.late_closes[id(popup)] = LateClose(
                                page=later, element=way, after_ms=ran, missing_at_ms=last_read,
                                late=ran - SHOWN_AFTER_MS >= LATE_CLOSE_MS)
            facts.automatic += tab.settle(BUDGET_MS - ran)
            if tab.window_listeners() & MOTION_EVENTS:
                for step in range(SHAKE_STEPS):
                    tab.page.evaluate(_script("motion.js"), step)
                    tab.run_timers(SHAKE_STEP_MS)
                on_its_own = {seen.url for seen in facts.automatic}
                facts.on_motion = [seen for seen in tab.settle(AFTER_TAP_MS) if seen.url not in on_its_own]
        return rendered

    @staticmethod
    def _take(tab: "_Tab") -> dict:
        return json.loads(tab.page.evaluate(_script("snapshot.js"), {"marker": MARKER, "properties": list(PROPERTIES),
                                                                      "limit": MAX_ELEMENTS}))

    def taps(self, load: Load, targets: list["Tap"], on_its_own: frozenset[str] = frozenset()) -> list[TapResult | None]:
        """Make each tap, run its timers and watch what it sets off; None for a target not
        there to tap. What the page does on its own (``on_its_own``: the addresses it went
        to without input) is not the tap's doing. A tap that changed nothing leaves the
        page as it was, and the next tap uses the same load."""
        results: list[TapResult | None] = []
        tab = None
        try:
            for target in targets:
                if tab is None:
                    tab = _Tab(self._context(), load, mobile=self.mobile).__enter__()
                result = tab.tap(target, on_its_own)
                results.append(result)
                if result is not None and (result.observed is not None or result.popup_gone):
                    tab.__exit__()
                    tab = None
        finally:
            if tab is not None:
                tab.__exit__()
        return results

    def contrasts(self, load: Load, selectors: list[str]) -> dict[str, float]:
        """The contrast of each element a selector finds against what is actually behind
        it on the screen (see contrast.js); elements not drawn, or that change no pixel,
        are left out."""
        measured = {}
        with _Tab(self._context(), load, mobile=self.mobile) as tab:
            pictures = []
            for selector in selectors:
                element = tab.page.query_selector(selector)
                clip = _clip(element.bounding_box(), tab.page.viewport_size, margin=0) if element else None
                if clip is None:
                    continue
                shown = tab.page.screenshot(clip=clip, animations="disabled")
                element.evaluate("e => e.style.setProperty('visibility', 'hidden', 'important')")
                hidden = tab.page.screenshot(clip=clip, animations="disabled")
                element.evaluate("e => e.style.removeProperty('visibility')")
                pictures.append((selector, shown, hidden))
            if pictures:
                # Counted in a blank page of the same closed context: the page's own could
                # be anything (a broken canvas, a replaced Image).
                blank = tab.context.new_page()
                for selector, shown, hidden in pictures:
                    ratio = blank.evaluate(_script("contrast.js"), [base64.b64encode(shown).decode("ascii"),
                                                                     base64.b64encode(hidden).decode("ascii")])
                    if ratio is not None:
                        measured[selector] = float(ratio)
        return measured

    def screenshots(self, load: Load, shots: list[tuple[str, Path, int]], masks: list[tuple[str, str]]) -> set[Path]:
        """A PNG per (selector, file, ms) of the element the selector finds, outlined, with
        some of its surroundings, taken once the page's timers ran ``ms`` past the reading
        (a close that came late); personal values (``masks``: raw and masked) are masked
        on the page first. Returns the files written (an element not drawn has none)."""
        written = set()
        with _Tab(self._context(), load, mobile=self.mobile) as tab:
            ran, masked = 0, False
            for selector, target, wait_ms in sorted(shots, key=lambda shot: shot[2]):
                if wait_ms > ran:
                    tab.run_timers(wait_ms - ran)
                    ran, masked = wait_ms, False
                if masks and not masked:  # (again after the timers: what they drew is masked too)
                    tab.page.evaluate(_script("mask.js"), [list(pair) for pair in masks])
                    masked = True
                element = tab.page.query_selector(selector)
                if element is None:
                    continue
                element.evaluate(_OUTLINE, True)
                element.evaluate("e => e.scrollIntoView({block: 'center', inline: 'center'})")
                clip = _clip(element.bounding_box(), tab.page.viewport_size)
                if clip is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    tab.page.screenshot(path=str(target), clip=clip, animations="disabled")
                    written.add(target)
                element.evaluate(_OUTLINE, False)
        return written


# Important: the page's own rules ("* { outline: none !important }") must not hide it.
_OUTLINE = """(e, on) => { for (const [name, value] of [['outline', '3px solid #e00'], ['outline-offset', '-3px']]) {
  if (on) e.style.setProperty(name, value, 'important'); else e.style.removeProperty(name); } }"""
_SHOT_MARGIN = 48


def _clip(box: dict | None, viewport: dict, margin: float = _SHOT_MARGIN) -> dict | None:
    """The element's box with a margin of its surroundings, within the screen."""
    if box is None or box["width"] <= 0 or box["height"] <= 0:
        return None
    left, top = max(box["x"] - margin, 0), max(box["y"] - margin, 0)
    right = min(box["x"] + box["width"] + margin, viewport["width"])
    bottom = min(box["y"] + box["height"] + margin, viewport["height"])
    if right <= left or bottom <= top:
        return None
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}


# The script URLs of a stack's frames ("at f (https://host/a.js:1:20)"), innermost first.
_STACK_URL = re.compile(r"(https?://[^\s()]+?):\d+:\d+")
_DISPOSITIONS = {"newTab": "new window", "newWindow": "new window", "download": "download"}


# Where to tap the element a selector finds: its centre, or nothing (not drawn, off
# screen, or covered there). A pop-up's main area is not tapped where a small control of its own sits at
# its centre (a button, a link to the terms): that tap would judge the control.
_TAP_POINT = """({selector, mainArea, smallShare}) => { const e = document.querySelector(selector);
  if (!e || !e.isConnected) return null;
  const b = e.getBoundingClientRect();
  const x = b.left + b.width / 2, y = b.top + b.height / 2;
  if (b.width <= 0 || b.height <= 0 || x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !e.contains(hit)) return null;  // covered by now: the tap would judge what covers it
  if (mainArea) {
    const control = hit.closest("a[href],button,input,select,textarea,label,[role=button],[role=link],[onclick]");
    if (control && control !== e && e.contains(control)) {
      const c = control.getBoundingClientRect();
      if (c.width * c.height < smallShare * b.width * b.height) return null;
    }
  }
  return [x, y]; }"""
# Whether the element a selector finds is still drawn (displayed, visible, with a box).
_SHOWN = """(selector) => { const e = document.querySelector(selector);
  if (!e || !e.isConnected) return false;
  const b = e.getBoundingClientRect();
  return b.width > 0 && b.height > 0 && e.checkVisibility({opacityProperty: true, visibilityProperty: true}); }"""


class _Tab:
    """One load of a page in its own browser context, with everything it tries to do
    watched: navigations and new windows are answered "204 No Content" (the page stays)
    and recorded, as are downloads and app links; other requests are answered from the
    capture or refused."""

    def __init__(self, context, load: Load, *, mobile: bool):
        self.context = context
        self.load = load
        self.observed: list[Observed] = []
        self._asked_by: dict[str, str] = {}  # URL asked for -> the script or frame that asked
        self.missing_styles: list[str] = []
        self.mobile = mobile
        # Set as the page opens (``_open``):
        self.page = None
        self.devtools = None
        self._main_frame: str | None = None   # DevTools' id of the top frame
        self._document_served = False          # the page's own document went out (once)
        self.before_snapshot: list[Observed] = []  # what the page did before it was read

    def __enter__(self) -> "_Tab":
        try:
            self._open()
        except BaseException:
            self.context.close()
            raise
        return self

    def _open(self) -> None:
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("download", lambda download: self._observe("download", download.url))
        devtools = self.context.new_cdp_session(self.page)
        devtools.send("Page.enable")
        devtools.on("Page.frameRequestedNavigation", self._requested_navigation)
        self._main_frame = devtools.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        self.devtools = devtools
        self.context.expose_binding("__appauditAsked", self._asked)
        self.context.add_init_script(script=_script("watch.js"))
        # The page's time moves only when the scanner runs it: paused from the start, so
        # "3 s after loading" is 3 s of the page's timers however slow the machine is.
        started = time.time() * 1000
        self.page.clock.install(time=started)
        self.page.clock.pause_at(started + 1000)
        self.page.goto(self.load.url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        try:
            self.page.wait_for_load_state("load", timeout=LOAD_WAIT_MS)
        except PlaywrightTimeout:
            pass  # a page that never finishes loading (a form posted at load) is judged as it stands
        self.before_snapshot = self.settle(SHOWN_AFTER_MS)

    def tap(self, target: "Tap", on_its_own: frozenset[str] = frozenset()) -> TapResult | None:
        box = self.page.evaluate(_TAP_POINT, {"selector": target.selector, "mainArea": target.main_area,
                                              "smallShare": SMALL_CONTROL_SHARE})
        if box is None:
            return None
        x, y = box
        if self.mobile:
            self.page.touchscreen.tap(x, y)
        else:
            self.page.mouse.click(x, y)
        observed = [seen for seen in self.settle(AFTER_TAP_MS) if seen.url not in on_its_own]
        gone = not self.page.evaluate(_SHOWN, target.popup) if target.popup else None
        return TapResult(observed=observed[0] if observed else None, popup_gone=gone)

    def window_listeners(self) -> set[str]:
        """The event types with listeners on ``window`` (DevTools' DOMDebugger)."""
        window = self.devtools.send("Runtime.evaluate", {"expression": "window"})["result"]["objectId"]
        found = self.devtools.send("DOMDebugger.getEventListeners", {"objectId": window})["listeners"]
        return {listener["type"] for listener in found}

    def __exit__(self, *exc) -> None:
        self.context.close()

    def take_observed(self) -> list[Observed]:
        """What was seen since the last call, each with the script that asked for it."""
        observed, self.observed = self.observed, []
        return [replace(o, source=self._asked_by.get(o.url)) for o in observed]

    def _asked(self, source: dict, url: object, stack: object) -> None:
        """The binding watch.js calls as a frame asks for a navigation or a window: a
        frame's request is the frame's (its document names it); the page's own, the
        script whose code asked (the innermost on the stack with an address: watch.js
        has none, and a library that only called back into it is not it). (Told by the
        page, not asked of each frame: a frame stopped mid-navigation never answers.)"""
        frame = source.get("frame")
        if frame is None or len(self._asked_by) >= 256:
            return
        if frame.parent_frame is not None:
            found = frame.url
        else:
            scripts = _STACK_URL.findall(str(stack))
            found = scripts[0] if scripts else None
        if found:
            self._asked_by.setdefault(str(url), found)

    def _observe(self, kind: str, url: str) -> None:
        if not any(o.kind == kind and o.url == url for o in self.observed):
            self.observed.append(Observed(kind=kind, url=url))

    def _requested_navigation(self, event: dict) -> None:
        # Seen as the page asks, before any request (app links, weixin:// or market://,
        # never become one; a navigation replaced by another before it starts neither).
        url = str(event.get("url", ""))
        if event.get("frameId") != self._main_frame or url.lower().startswith(("about:", "data:", "blob:", "javascript:")):
            return
        if not url.lower().startswith(_WEB):
            self._observe("app link", url)
        else:
            self._observe(_DISPOSITIONS.get(event.get("disposition"), "navigation"), url)

    def run_timers(self, run_ms: int) -> None:
        """Advance the page's fake clock, firing its timers; an error a timer of the page
        throws (a page broken offline: ``$ is not defined``) is the page's, not ours."""
        try:
            self.page.clock.run_for(run_ms)
        except PlaywrightError as e:
            if "Target" in str(e) and "closed" in str(e):
                raise

    def settle(self, run_ms: int) -> list[Observed]:
        """Run the page's timers for ``run_ms`` (fake time), let what they set off reach
        the browser, and return what was seen since the last call."""
        self.run_timers(run_ms)
        self.page.wait_for_timeout(SETTLE_MS)
        return self.take_observed()

    def _route(self, route, request) -> None:
        url = request.url
        if request.is_navigation_request():
            try:
                frame = request.frame
                in_main_frame, own_page = frame.parent_frame is None, frame.page is self.page
            except Exception:  # a window.open() whose frame does not exist yet: a new window
                in_main_frame, own_page = True, False
            if in_main_frame and own_page and not self._document_served and url_key(url) == url_key(self.load.url):
                self._document_served = True
                route.fulfill(status=200, headers={"content-type": "text/html; charset=utf-8"},
                              body=self.load.document.encode("utf-8"))
                return
            if in_main_frame:
                self._observe("navigation" if own_page else "new window", url)
                route.fulfill(status=204)
                return
        recorded = self.load.answers.answer(url, request.method) if url.lower().startswith(_WEB) else None
        if recorded is None:
            if request.resource_type == "stylesheet":
                self.missing_styles.append(url)
            route.abort("blockedbyclient")
        else:
            route.fulfill(status=recorded.status, headers=recorded.headers, body=recorded.body)


def _rendered_page(page: Page, taken: dict, url: str, missing_styles: list[str]) -> Page:
    """The page built from the rendered DOM, with each element's facts attached."""
    html = taken["html"]
    rendered = Page(source=html, input=page.input, kind="html", url=page.url, flow=page.flow,
                    timestamp=page.timestamp)
    rendered.source = _MARKER_ATTRIBUTE.sub("", html)
    width, height = taken["viewport"]
    facts = RenderedFacts(viewport=(float(width), float(height)), document_url=url, missing_styles=tuple(missing_styles))
    raw = taken["facts"]
    for tag in rendered.document.find_all(attrs={MARKER: True}):
        number = tag.attrs.pop(MARKER)
        if not str(number).isdigit() or int(number) >= len(raw):
            continue
        values, box, on_top = raw[int(number)]
        # Sub-pixel layout leaves a 24 px box at 23.98: lengths are kept to a tenth of a px.
        x, y, w, h = (round(float(v), 1) for v in box)
        facts.elements[id(tag)] = ElementFacts(computed=dict(zip(PROPERTIES, values)),
                                               box=Box(x=x, y=y, width=w, height=h), on_top=on_top)
    rendered.rendered = facts
    return rendered


def _script(name: str) -> str:
    return (_SCRIPTS / name).read_text(encoding="utf-8")

