"""UI002 fake-close-button."""
from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import Tag

from appaudit.scanner.check import ORIGIN_UNKNOWN, NotApplicable, PageCheck
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import (TapOutcome, close_controls, is_out_of_flow, popup_of, short_label,
                                        tap_outcome, xml_close_nodes, xml_routes_to)
from appaudit.scanner.pagemodel.scripts import scripts_of
from appaudit.scanner.pagemodel.style import is_visible
from appaudit.scanner.pagemodel.uiautomator import label_of, resource_name, screen_share

_SOCIAL_X = re.compile(r"^(?:https?:)?//(?:[\w-]+\.)*(?:x|twitter)\.com(?:[/?#:]|$)", re.IGNORECASE)


class FakeCloseButton(PageCheck):
    """Something that looks like a close or skip control — "×", "✕", "X", "关闭",
    "跳过", "close", "skip", "不感兴趣", an aria-label/title/alt saying close, a
    close-named icon such as ``close.png`` or ``icon-close`` — but whose tap navigates,
    downloads or opens an app or store instead of closing.

    For HTML pages the tap is followed as the browser would: handlers on the control and
    its ancestors (``onclick=``, ``addEventListener``, jQuery), then the innermost link or
    form around it. A close control sitting inside the ad's ``<a href>`` is fake unless a
    handler on the way cancels the link (``preventDefault``, ``return false``);
    ``stopPropagation`` alone does not — the browser still follows the link. Without the
    page's own URL a close control linking to a web address cannot
    be judged, and the page is "not applicable" for this check. For uiautomator dumps: a
    close/skip node that is not clickable itself, inside a clickable ad container, so the
    tap goes to the ad.

    《互联网广告管理办法》(2023) 第十条 forbids false close marks (关闭标志虚假) on pop-up
    ads; MIIT's 2021 campaign (工信部信管函〔2021〕292号) requires effective close buttons
    (“关得了”) and targets pages disguised to deceive users into jumping; T/TAF 078.7-2022
    tests for deceptive click-through.
    """

    id = "UI002"
    name = "fake-close-button"
    severity = Severity.HIGH
    regulations = ("《互联网广告管理办法》(2023) 第十条", "工信部信管函〔2021〕292号", "T/TAF 078.7-2022")
    description = 'Something that looks like a close / skip control but navigates, downloads or opens content'

    def check_html(self, page: Page) -> Iterator[Finding]:
        scripts = scripts_of(page)
        reported = unjudged = False
        for control in close_controls(page):
            element = control.element
            if not is_visible(page, element) and not scripts.reveals(element, automatic_only=False):
                continue  # never shown
            outcome = tap_outcome(page, element)
            unjudged = unjudged or (outcome.unjudged is not None and not control.weak)
            if outcome.destination is None or (control.weak and not _lone_x_counts(page, element, outcome)):
                continue
            reported = True
            destination = outcome.destination
            via = "the control itself" if outcome.via is element else f"its enclosing {outcome.how}"
            details = {"control": control.label, "looks_like_close_by": control.source,
                       "destination": destination.url, "kind": destination.kind.value,
                       "via": outcome.how, "via_selector": page.selector(outcome.via)}
            if outcome.code:
                details["code"] = outcome.code
            yield self.finding(
                title=f"Close control “{short_label(control.label)}” opens {destination.description}",
                message=(f"This control looks like a way to close or skip, but a tap on it goes through {via} "
                         f"to {destination.description} and nothing stops the click. Users who try to close "
                         f"the content are taken away instead."),
                location=page.location(element),
                evidence=Evidence(details=details),
            )
        if unjudged and not reported:
            raise NotApplicable(ORIGIN_UNKNOWN)

    def check_screen(self, page: Page) -> Iterator[Finding]:
        for node in xml_close_nodes(page):
            target = xml_routes_to(page, node)
            if target is None:
                continue
            label = label_of(node) or resource_name(node)
            yield self.finding(
                title=f"Close control “{short_label(label)}” is part of the ad's tap area",
                message=("This close/skip element is not clickable itself, so a tap on it goes to the clickable "
                         "ad view around it and opens the ad instead of closing it."),
                location=page.location(node),
                evidence=Evidence(details={"control": label, "tap_goes_to": page.selector(target),
                                           "tap_target_bounds": str(target.get("bounds", "")),
                                           "tap_target_coverage": f"{screen_share(page, target):.0%}"}),
            )


def _lone_x_counts(page: Page, element: Tag, outcome: TapOutcome) -> bool:
    """A lone "X" (or x-named icon) is a close control when it floats in a pop-up or
    over the page, or sits inside a larger ad link; a link that is nothing but an "X" in
    the page flow is as likely the X (Twitter) logo."""
    if _SOCIAL_X.search(outcome.destination.url):
        return False
    if popup_of(page, element) is not None or is_out_of_flow(page, element):
        return True
    via = outcome.via
    if via is element:
        return False
    inside = {id(element)} | {id(d) for d in element.find_all(True)}
    others = [d for d in via.find_all(True) if id(d) not in inside and d.name in ("img", "video", "picture", "canvas")]
    return bool(others) or via.get_text(" ", strip=True) != element.get_text(" ", strip=True)
