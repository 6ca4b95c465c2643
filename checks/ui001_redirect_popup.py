"""UI001 redirect-popup."""
from __future__ import annotations

from collections.abc import Iterator

from bs4 import NavigableString, Tag

from appaudit.scanner.check import ORIGIN_UNKNOWN, NotApplicable, PageCheck
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import (FULL_SCREEN_COVERAGE, Popup, TapOutcome, close_controls, main_area_tap,
                                        popups, tap_outcome, xml_ad_containers)
from appaudit.scanner.pagemodel.scripts import CLICK_EVENTS, scripts_of
from appaudit.scanner.pagemodel.style import declared_value, has_background_image, is_rendered, style_of, viewport_coverage
from appaudit.scanner.pagemodel.uiautomator import screen_share

# A clickable part of a pop-up is its "main area" when it holds at least this share of
# the pop-up's content (text, pictures) — the creative, not a button beside it.
MAIN_AREA_SHARE = 0.5
_MEDIA_WEIGHT = 40  # one picture counts as much as 40 characters of text


class RedirectPopup(PageCheck):
    """A pop-up, overlay or splash ad whose main area is a link (or tap handler) to
    another site, an app store, an app (deep link) or a download, so that a tap meant for
    the page — or anywhere on a full-screen ad — takes the user away.

    Evidence for HTML pages: an overlay, dialog or splash (``<dialog>``, ``role=dialog``,
    a fixed/absolute box with a high z-index covering the screen, or pop-up class names
    such as modal, popup, overlay, interstitial, tanchuang/弹窗, guanggao — splash and
    layer only on a floating box that may cover the screen) shown when the page loads,
    whose whole area, or the part holding most of its content, navigates away; and any
    fixed tap area covering most of the screen that does (the "全屏热力图"). A closed
    Bootstrap modal ("modal fade" without "in"/"show", or one a data-toggle button opens)
    is not shown: bootstrap.css hides it. For uiautomator
    dumps: a clickable node covering most of the screen that carries ad wording or ad
    resource ids (广告, 立即下载, ``splash``, ``ad``).

    Destinations are judged against the page's own URL; when that is unknown only app
    stores, deep links and downloads are reported, and a page whose pop-up leads to a web
    address that cannot be judged is "not applicable" rather than passed.

    MIIT's 2021 campaign (工信部信管函〔2021〕292号) requires that splash and pop-up
    windows not use full-screen pictures or videos as jump links; 工信部信管函〔2023〕26号
    bans the "全屏热力图" and other easily mis-triggered ways of inducing taps; T/TAF
    078.7-2022 (欺骗误导强迫点击跳转) tests for it.
    """

    id = "UI001"
    name = "redirect-popup"
    severity = Severity.HIGH
    regulations = ("工信部信管函〔2021〕292号", "工信部信管函〔2023〕26号", "T/TAF 078.7-2022")
    description = "A pop-up, overlay or splash ad whose main area redirects to another page, app store or app"
    stateless = True

    def check_html(self, page: Page) -> Iterator[Finding]:
        reported: set[int] = set()
        unjudged = False
        for popup in popups(page):
            found = _main_area(page, popup)
            if found is None:
                continue
            area, outcome = found
            if outcome.destination is None:
                unjudged = True
                continue
            reported.add(id(outcome.via))
            yield self._html_finding(page, outcome.via, outcome, area=area, popup=popup)
        for element, coverage in _full_screen_tap_areas(page):
            outcome = tap_outcome(page, element)
            unjudged = unjudged or outcome.unjudged is not None
            if outcome.destination is not None and id(outcome.via) not in reported:
                reported.add(id(outcome.via))
                area = f"a tap area covering {coverage:.0%} of the screen"
                yield self._html_finding(page, outcome.via, outcome, area=area)
        # Without the page's own URL only app stores and app links can be judged; having
        # found none, the check could not look (the contract's "not applicable").
        if not reported and (unjudged or not page.url):
            raise NotApplicable(ORIGIN_UNKNOWN)

    def _html_finding(self, page: Page, element: Tag, outcome: TapOutcome, *, area: str,
                      popup: Popup | None = None) -> Finding:
        destination = outcome.destination
        details = {"destination": destination.url, "kind": destination.kind.value, "area": area,
                   "via": outcome.how}
        if popup is not None:
            details["popup"] = page.selector(popup.element)
            details["popup_evidence"] = popup.reason
        if outcome.code:
            details["code"] = outcome.code
        where = "pop-up" if popup is not None else "overlay"
        return self.finding(
            title=f"Tapping the {where} opens {destination.description}",
            message=(f"{area[0].upper() + area[1:]} of this {where} is a {outcome.how} to {destination.description}: "
                     f"a tap meant to read or dismiss it takes the user away instead. Splash and pop-up "
                     f"windows must not use their whole picture as a jump link."),
            location=page.location(element),
            evidence=Evidence(details=details),
        )

    def check_screen(self, page: Page) -> Iterator[Finding]:
        for container in xml_ad_containers(page):
            share = screen_share(page, container)
            yield self.finding(
                title="Splash/pop-up ad: the whole area is one tap target",
                message=(f"A clickable ad view covers {share:.0%} of the screen, so almost any tap opens the ad. "
                         f"Ads must not use their whole picture as a jump link."),
                location=page.location(container),
                evidence=Evidence(details={"coverage": f"{share:.0%}", "bounds": str(container.get("bounds", "")),
                                           "resource_id": str(container.get("resource-id", ""))}),
            )


def _main_area(page: Page, popup: Popup) -> tuple[str, TapOutcome] | None:
    """Where a tap on the pop-up's main area leads, if away: the pop-up itself is a link
    or has a navigating handler, a link inside it holds most of its content, or (on a
    rendered page) tapping its centre in the browser led away. Failing that, an outcome
    naming a web address that cannot be judged without the page's URL, if there is one."""
    read = _main_area_read(page, popup)
    if read is None or read[1].destination is None:
        tapped = main_area_tap(page, popup.element)
        if tapped is not None and tapped.destination is not None:
            return "the main area", tapped
    return read


def _main_area_read(page: Page, popup: Popup) -> tuple[str, TapOutcome] | None:
    """Where the pop-up's main area leads, read from its markup and scripts."""
    whole = tap_outcome(page, popup.element)
    if whole.destination is not None:
        return "the whole pop-up", whole
    undecided = ("the whole pop-up", whole) if whole.unjudged is not None else None
    closes = {id(c.element) for c in close_controls(page)}
    total = _weight(page, popup.element, closes)
    if total <= 0:
        return undecided
    for element in popup.element.find_all(True):
        if not _clickable(page, element) or _inside_any(element, closes):
            continue
        if _weight(page, element, closes) / total >= MAIN_AREA_SHARE:
            outcome = tap_outcome(page, element)
            if outcome.destination is not None:
                return "the main area", outcome
            if outcome.unjudged is not None:
                undecided = undecided or ("the main area", outcome)
    return undecided


def _weight(page: Page, element: Tag, closes: set[int]) -> float:
    """How much of what a pop-up shows sits in ``element``: characters of text plus a
    fixed weight per picture, leaving out close controls."""
    if _inside_any(element, closes):
        return 0.0
    weight = 0.0
    for node in element.descendants:
        if type(node) is not NavigableString:  # tags, comments, doctypes
            continue
        parent = node.parent
        if parent is not None and parent.name not in ("script", "style") and not _inside_any(parent, closes):
            weight += len(str(node).strip())
    for child in [element, *element.find_all(True)]:
        if _inside_any(child, closes):
            continue
        if child.name in ("img", "video", "picture", "canvas", "iframe") or has_background_image(page, child):
            weight += _MEDIA_WEIGHT
    return weight


def _clickable(page: Page, element: Tag) -> bool:
    """A link, or an element with a click handler."""
    return bool((element.name in ("a", "area") and element.get("href"))
                or scripts_of(page).handlers_on(element, CLICK_EVENTS))


def _inside_any(element: Tag, ids: set[int]) -> bool:
    return id(element) in ids or any(id(a) in ids for a in element.parents)


def _full_screen_tap_areas(page: Page) -> Iterator[tuple[Tag, float]]:
    """Links and tap handlers floating over most of the screen — visible or not (a
    transparent hot area still takes every tap)."""
    for element in page.elements:
        if declared_value(page, element, "position") not in ("fixed", "absolute") or not _clickable(page, element):
            continue
        coverage = viewport_coverage(page, element)
        style = style_of(page, element)
        if coverage is not None and coverage >= FULL_SCREEN_COVERAGE and is_rendered(page, element) \
                and style.visibility == "visible" and style.values.get("pointer-events") != "none":
            yield element, coverage
