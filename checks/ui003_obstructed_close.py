"""UI003 obstructed-close."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import Tag

from appaudit.scanner.check import Option, PageCheck, Range
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.consent import PROMPT_TOPICS, topics_in
from appaudit.scanner.pagemodel.controls import (close_controls, countdown_in, is_dismiss_text, late_close, popups,
                                        short_label, tap_outcome, xml_ad_containers, xml_close_nodes, xml_dialogs,
                                        xml_routes_to, xml_splash_ads)
from appaudit.scanner.pagemodel.scripts import CLICK_EVENTS, scripts_of
from appaudit.scanner.pagemodel.style import (contrast_ratio, declared_background, has_background_image,
                                              measured_contrast, style_of)
from appaudit.scanner.pagemodel.uiautomator import Density, bounds_of, density_of, label_of, nodes, tap_target

MIN_TARGET_CSS_PX = 24.0   # WCAG 2.2 SC 2.5.8 Target Size (Minimum)
MIN_TARGET_DP = 48.0       # Android's minimum touch target
# A control is "tiny" when it misses the minimum in both directions, or is clearly below
# it in one: a wide 312×46 dp button is easy to hit, a 20×30 px sliver is not.
SLIVER = 0.9


def is_tiny(width: float, height: float, minimum: float) -> bool:
    return max(width, height) < minimum or min(width, height) < minimum * SLIVER
MAX_INVISIBLE_OPACITY = 0.1
MIN_FONT_PX = 8.0
MIN_CONTRAST = 1.5         # below this the glyph is (nearly) the colour of its background
_FORM_CONTROLS = ("button", "input", "select", "textarea")
_PICTURES = ("img", "video", "picture", "canvas", "iframe")


@dataclass(frozen=True, kw_only=True)
class _Problem:
    kind: str        # "tiny", "invisible", "delayed", "hidden"
    summary: str     # for the title
    details: dict


class ObstructedClose(PageCheck):
    """A pop-up whose real close control is missing, tiny, invisible or low-contrast, or
    only appears after a delay or a countdown — so the user cannot close it at once.

    A "real" close control is a close-looking control (see UI002) whose tap does not take
    the user away, or a dismiss button (取消 / 知道了 / Not now / OK, Bootstrap
    ``data-bs-dismiss``, a handler hiding the pop-up). A pop-up is fine when one of them is
    shown at once, not tiny (under 24 CSS px in both directions, or clearly under it —
    by a tenth — in one: WCAG 2.2 SC 2.5.8; 48 dp in uiautomator dumps, where sizes come from
    node bounds and the density), opaque enough (opacity > 0.1),
    legible (font-size ≥ 8px) and distinguishable from its background. Pop-ups in
    uiautomator dumps are dialogs and ads covering most of the screen: clickable ones with
    ad wording or ad resource ids, and splash ads that take no tap themselves (a node named
    ``splash``/``ad`` showing ad wording or a countdown). Privacy, cookie
    and personalisation prompts are left to UI006/UI007: they ask for an answer. Otherwise the
    finding names what is wrong: no close control, one that is tiny or invisible, one
    revealed only by a timer, or a countdown ("5秒后关闭", "Skip in 5").

    《互联网广告管理办法》(2023) 第十条 requires pop-up ads to show a clear close mark that
    closes them in one tap, and forbids ads with no close mark, closable only after a
    countdown, or with a close mark that cannot be clearly seen or located; MIIT
    (工信部信管函〔2021〕292号, 〔2023〕26号) requires clear, effective close buttons.
    """

    id = "UI003"
    name = "obstructed-close"
    severity = Severity.MEDIUM
    regulations = ("《互联网广告管理办法》(2023) 第十条", "工信部信管函〔2021〕292号", "工信部信管函〔2023〕26号",
                   "WCAG 2.2 SC 2.5.8")
    description = ("A pop-up whose real close control is missing, tiny, invisible / low-contrast, "
                   "or only appears after a delay")
    stateless = True
    options = {
        "min_target_css_px": Option(Range(1, 200), MIN_TARGET_CSS_PX, "minimum close-target size on web pages (CSS px)"),
        "min_target_dp": Option(Range(1, 200), MIN_TARGET_DP, "minimum close-target size in uiautomator dumps (dp)"),
        "dpi": Option(Range(60, 1000), None, "screen density of uiautomator dumps, when scan --dpi does not give it "
                                             "(otherwise estimated from the screen width)"),
    }

    def check_html(self, page: Page) -> Iterator[Finding]:
        for popup in popups(page):
            container = popup.element
            if asks_for_consent(container.get_text(" ", strip=True)):
                continue
            controls = [(element, label, _html_problems(page, element, container, self.option("min_target_css_px")))
                        for element, label in _html_close_candidates(page, container)]
            countdown = _countdown_element(container)
            countdown_text = countdown_in(countdown.get_text(" ", strip=True)) if countdown is not None else None
            yield from self._judge(page, container, controls, countdown, countdown_text, popup.reason)

    def check_screen(self, page: Page) -> Iterator[Finding]:
        density = density_of(page, self.context.dpi or self.option("dpi"))
        scopes = [(c, nodes(page), "a clickable ad covering most of the screen") for c in xml_ad_containers(page)]
        scopes += [(s, nodes(page), "a splash ad covering most of the screen") for s in xml_splash_ads(page)]
        ad_ids = {id(c) for c, _, _ in scopes}
        scopes += [(d, [d, *d.find_all("node")], "a dialog") for d in xml_dialogs(page)
                   if id(d) not in ad_ids and not any(id(a) in ad_ids for a in d.parents)]
        # Every ad and splash container shares one scope (the whole screen): judge each
        # scope once, not once per container (a dump with many containers took minutes).
        judged: dict[int, tuple | None] = {}
        for container, scope, reason in scopes:
            if id(scope) in judged:
                # The scope's controls and countdown were reported with its first
                # container; only a missing close is the container's own.
                if judged[id(scope)] is not None:
                    controls, countdown, _ = judged[id(scope)]
                    if not controls and countdown is None:
                        yield self._missing_finding(page, container, reason)
                continue
            judged[id(scope)] = self._scope_controls(page, scope, density)
            if judged[id(scope)] is not None:
                yield from self._judge(page, container, *judged[id(scope)], reason)

    def _scope_controls(self, page: Page, scope: list[Tag], density) -> tuple | None:
        """The scope's close controls with their problems, its countdown and the
        countdown's text; None when the scope asks for consent."""
        if asks_for_consent(" ".join(label_of(n) for n in scope)):
            return None
        in_scope = {id(n) for n in scope}
        closes = [n for n in xml_close_nodes(page) if id(n) in in_scope and xml_routes_to(page, n) is None]
        found = {id(n) for n in closes}
        closes += [n for n in scope if is_dismiss_text(label_of(n)) and tap_target(n) is not None
                   and id(n) not in found]
        controls = [(n, label_of(n) or "close", _xml_problems(n, density, self.option("min_target_dp"))) for n in closes]
        countdown = next((n for n in scope if countdown_in(label_of(n))), None)
        countdown_text = countdown_in(label_of(countdown)) if countdown is not None else None
        return controls, countdown, countdown_text

    def _judge(self, page: Page, container: Tag, controls: list[tuple[Tag, str, list[_Problem]]],
               countdown: Tag | None, countdown_text: str | None, reason: str) -> Iterator[Finding]:
        """One pop-up: fine if one way out has no problem; otherwise each flawed control,
        the countdown, or — with neither — the missing close."""
        if any(not problems for _, _, problems in controls):
            return
        for element, label, problems in controls:
            yield self._problem_finding(page, element, label, problems[0])
        if countdown is not None:
            yield self._countdown_finding(page, countdown, countdown_text)
        elif not controls:
            late = late_close(page, container)
            if late is None:
                yield self._missing_finding(page, container, reason)
            elif late.late:  # seen in the browser: the close came only after the user waited
                seconds = late.after_ms / 1000
                problem = _Problem(kind="delayed", summary=f"shown only after about {seconds:g} s", details={
                    "delay_ms": late.after_ms,
                    "observed": f"seen in the browser: no way to close the pop-up {late.missing_at_ms / 1000:g} s "
                                f"after loading; a close {seconds:g} s after"})
                label = late.element.get_text(" ", strip=True) or "close"
                # Located in the page as read when the close had come (it is not in the page as first read).
                yield self._problem_finding(late.page, late.element, label, problem)

    # --- findings

    def _problem_finding(self, page: Page, element: Tag, label: str, problem: _Problem) -> Finding:
        return self.finding(
            title=f"Pop-up close control is {problem.summary}",
            message=(f"The pop-up's close control (“{short_label(label)}”) is {problem.summary}, so users cannot "
                     f"readily find or hit it. A pop-up must offer a clearly visible close control that works "
                     f"with one tap."),
            location=page.location(element),
            evidence=Evidence(details={"problem": problem.kind, "control": label, **problem.details}),
        )

    def _countdown_finding(self, page: Page, element: Tag, countdown: str | None) -> Finding:
        return self.finding(
            title="Pop-up can only be closed after a countdown",
            message=("The pop-up shows a countdown before it can be closed or skipped and offers no close "
                     "control to use at once. Ads must not be closable only after a countdown ends."),
            location=page.location(element),
            evidence=Evidence(details={"problem": "countdown", "countdown": countdown or ""}),
        )

    def _missing_finding(self, page: Page, element: Tag, reason: str) -> Finding:
        return self.finding(
            title="Pop-up has no close control",
            message=("This pop-up has no control that closes it: no ×/关闭/跳过/close element and no button "
                     "that dismisses it without leaving the page."),
            location=page.location(element),
            evidence=Evidence(details={"problem": "missing", "popup_evidence": reason}),
        )


def asks_for_consent(text: str) -> bool:
    """A privacy, cookie or personalisation prompt exists to be answered, not closed:
    whether it offers a fair way to decline is UI007's question, not this check's."""
    return bool(set(topics_in(text)) & set(PROMPT_TOPICS))


def _html_close_candidates(page: Page, container: Tag) -> list[tuple[Tag, str]]:
    """The pop-up's real ways out: close-looking controls that do not navigate away, and
    dismiss buttons (by wording, Bootstrap's data-dismiss, a ``<form method=dialog>``, or
    a click handler that hides the pop-up)."""
    inside = {id(e) for e in container.find_all(True)} | {id(container)}
    found: dict[int, tuple[Tag, str]] = {}
    for control in close_controls(page):
        if id(control.element) in inside and tap_outcome(page, control.element).destination is None:
            found[id(control.element)] = (control.element, control.label)
    dialog_form = any(str(f.get("method", "")).lower() == "dialog" for f in container.find_all("form"))
    for element in container.find_all(["button", "a", "input", "span", "div"]):
        if id(element) in found or any(id(a) in found for a in element.parents):
            continue
        text = element.get_text(" ", strip=True) or str(element.get("value", ""))
        dismissing = element.has_attr("data-dismiss") or element.has_attr("data-bs-dismiss") or \
            (dialog_form and element.name == "button") or \
            (is_dismiss_text(text) and (element.name in ("button", "a", "input") or element.get("role") == "button"
                                        or scripts_of(page).handlers_on(element, CLICK_EVENTS)))
        if dismissing and tap_outcome(page, element).destination is None:
            found[id(element)] = (element, text or "dismiss")
    for handler, _ in scripts_of(page).hides(container):
        for element in handler.elements:
            if id(element) in inside and id(element) not in found and tap_outcome(page, element).destination is None:
                found[id(element)] = (element, element.get_text(" ", strip=True) or "close")
    return list(found.values())


def _html_problems(page: Page, element: Tag, container: Tag, minimum: float) -> list[_Problem]:
    chain = [element]
    for ancestor in element.parents:
        if ancestor is container or ancestor.name == "[document]":
            break
        chain.append(ancestor)
    styles = [style_of(page, e) for e in chain]
    problems: list[_Problem] = []
    if any(s.display == "none" or s.values.get("visibility") in ("hidden", "collapse") for s in styles):
        timed = [e for e in scripts_of(page).reveals(element, automatic_only=True, up_to=container) if e.timed]
        if timed:
            delay = timed[0].delay_ms
            return [_Problem(kind="delayed", summary="shown only after a delay" if delay is None
                             else f"shown only after {delay / 1000:g} s",
                             details={"delay_ms": delay, "code": timed[0].code})]
        return [_Problem(kind="hidden", summary="hidden", details={})]
    opacity = 1.0
    for style in styles:
        opacity *= style.opacity
    if opacity <= MAX_INVISIBLE_OPACITY:
        problems.append(_Problem(kind="invisible", summary="nearly transparent",
                                 details={"opacity": round(opacity, 3)}))
    style = styles[0]
    text = element.get_text(strip=True)
    if text and not element.find(["img", "svg"]):
        if style.font_size < MIN_FONT_PX:
            problems.append(_Problem(kind="invisible", summary="printed too small to see",
                                     details={"font_size_px": round(style.font_size, 1)}))
        measured = measured_contrast(page, element)
        contrast = measured if measured is not None else _contrast(page, element, chain)
        if contrast is not None and contrast < MIN_CONTRAST:
            details = {"contrast_ratio": round(contrast, 2)}
            if measured is not None:
                details["observed"] = "measured in the browser: the control against the pixels behind it"
            problems.append(_Problem(kind="invisible", summary="the same colour as its background", details=details))
    size = _target_size(page, element)
    if size is not None and is_tiny(*size, minimum):
        problems.append(_Problem(kind="tiny", summary=f"tiny ({size[0]:g}×{size[1]:g} CSS px)",
                                 details={"width_px": round(size[0], 1), "height_px": round(size[1], 1),
                                          "minimum": f"{minimum:g}×{minimum:g} CSS px"
                                                     + (" (WCAG 2.2 SC 2.5.8)" if minimum == MIN_TARGET_CSS_PX else "")}))
    return problems


def _contrast(page: Page, element: Tag, chain: list[Tag]) -> float | None:
    """Text colour against the declared background behind it; None when the backdrop
    cannot be known: no declared colour, a picture behind, a browser-painted button, or
    a control floating over a box that holds pictures."""
    background = declared_background(page, element)
    if background is None:
        return None
    colour, owner = background
    if has_background_image(page, owner):
        return None
    floating = False
    for between in chain:
        if between is owner:
            break
        if between.name in _FORM_CONTROLS:
            return None
        floating = floating or style_of(page, between).position in ("absolute", "fixed")
    if floating and _holds_pictures(page, owner, element):
        return None
    return contrast_ratio(style_of(page, element).color, colour)


def _holds_pictures(page: Page, container: Tag, control: Tag) -> bool:
    inside_control = {id(control)} | {id(d) for d in control.find_all(True)}
    return any(id(d) not in inside_control and (d.name in _PICTURES or has_background_image(page, d))
               for d in container.find_all(True))


def _target_size(page: Page, element: Tag) -> tuple[float, float] | None:
    """The tap target's size when the CSS states it: width and height, an icon's
    width/height, or — for a text control whose own font size the page sets — the text's
    line box."""
    style = style_of(page, element)
    width, height = style.border_box
    if width is not None and height is not None:
        return width, height
    horizontal = style.padding("left") + style.padding("right")
    vertical = style.padding("top") + style.padding("bottom")
    icons = element.find_all(["img", "svg"])
    if len(icons) == 1:
        icon_width, icon_height = style_of(page, icons[0]).border_box
        if icon_width is not None and icon_height is not None:
            return icon_width + horizontal, icon_height + vertical
    text = element.get_text(strip=True)
    if text and not icons and "font-size" in style.values:
        text_width = sum(style.font_size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6) for c in text)
        return (width if width is not None else text_width + horizontal,
                height if height is not None else style.line_height + vertical)
    return None


def _countdown_element(container: Tag) -> Tag | None:
    """The innermost element whose text is a countdown before closing."""
    matches = [e for e in [container, *container.find_all(True)] if e.name not in ("script", "style")
               and countdown_in(e.get_text(" ", strip=True))]
    return max(matches, key=lambda e: len(list(e.parents)), default=None)


def _xml_problems(node: Tag, density: Density, minimum: float) -> list[_Problem]:
    target = tap_target(node) or node
    bounds = bounds_of(target)
    if bounds is None:
        return []
    width, height = density.dp(bounds.width), density.dp(bounds.height)
    if not is_tiny(width, height, minimum):
        return []
    return [_Problem(kind="tiny", summary=f"tiny ({width:.0f}×{height:.0f} dp)",
                     details={"width_dp": round(width, 1), "height_dp": round(height, 1),
                              "bounds": str(target.get("bounds", "")), "minimum": f"{minimum:g}×{minimum:g} dp",
                              "density": density.describe(), "density_estimated": density.estimated})]
