"""UI005 shake-to-redirect."""
from __future__ import annotations

import re
from collections.abc import Iterator

from appaudit.scanner.check import Option, PageCheck, Range, ScanContext
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import ad_container_of
from appaudit.scanner.pagemodel.destinations import Kind, classify
from appaudit.scanner.pagemodel.scripts import Comparison, Handler, scripts_of
from appaudit.scanner.pagemodel.uiautomator import label_of, nodes

# T/TAF 078.7-2022 reference values for a shake that may trigger a jump (a profile may
# set others: settings UI005.min_acceleration, min_rotation, min_duration_ms).
MINIMUMS = {"acceleration": 15.0, "rotation": 35.0, "duration": 3000.0}  # m/s², degrees, ms

_DURATION = re.compile(r"time|duration|date|now|elapsed|interval|\bms\b|\bdt\b", re.IGNORECASE)
_ROTATION = re.compile(r"alpha|beta|gamma|rotation|angle|deg|orient", re.IGNORECASE)
_ACCELERATION = re.compile(r"acceleration|accel|\bacc\b|gravity|(?<![\w$])[xyz](?![\w$])", re.IGNORECASE)
_NOT_NAVIGATING = (Kind.SAME_PAGE, Kind.CONTACT)

_SHAKE_PROMPT = re.compile(r"摇一摇|摇动手机|晃动手机|扭动手机|转动手机|摇晃手机|shake\s+(?:your\s+|the\s+)?(?:phone|device)"
                           r"|shake\s+to\b", re.IGNORECASE)
_JUMP_WORDS = re.compile(r"跳转|打开|前往|查看|了解|第三方|详情|下载|领取|\b(?:open|learn more|go to|visit|download|details)\b",
                         re.IGNORECASE)


class ShakeToRedirect(PageCheck):
    """Navigation triggered by moving the phone: a ``devicemotion`` /
    ``deviceorientation`` (or shake-library ``shake``) handler that sets ``location``,
    opens a window or otherwise navigates — so a bump while walking or riding opens an ad.
    The evidence lists the thresholds the handler compares the motion against (for
    example ``Math.abs(x) > 12``) and whether they fall below the T/TAF 078.7-2022
    reference values (acceleration ≥ 15 m/s², rotation ≥ 35°, duration ≥ 3 s).

    Reading motion without navigating (a game, a level) is not a finding, nor is text
    that merely mentions 摇一摇. In uiautomator dumps, where code is not visible, the
    finding rests on an ad's "摇一摇 / 摇动手机 … 跳转" prompt.

    MIIT (工信部信管函〔2023〕26号) forbids high-sensitivity "摇一摇" and other easily
    mis-triggered ways of inducing users to jump; T/TAF 078.7-2022 sets the reference
    parameters.
    """

    id = "UI005"
    name = "shake-to-redirect"
    severity = Severity.MEDIUM
    regulations = ("工信部信管函〔2023〕26号", "T/TAF 078.7-2022")
    description = 'Navigation triggered by device motion (devicemotion / deviceorientation, "摇一摇")'
    stateless = True
    options = {
        "min_acceleration": Option(Range(0, 200), MINIMUMS["acceleration"],
                                   "acceleration threshold below which a jump is flagged (m/s²)"),
        "min_rotation": Option(Range(0, 360), MINIMUMS["rotation"], "rotation threshold (degrees)"),
        "min_duration_ms": Option(Range(0, 60000), MINIMUMS["duration"], "shake duration threshold (ms)"),
    }

    def __init__(self, context: ScanContext) -> None:
        super().__init__(context)
        self.minimums = {"acceleration": float(self.option("min_acceleration")),
                         "rotation": float(self.option("min_rotation")),
                         "duration": float(self.option("min_duration_ms"))}
        self.standard = _standard(self.minimums)

    def check_html(self, page: Page) -> Iterator[Finding]:
        for handler in scripts_of(page).motion_handlers:
            navigation = next((e for e in handler.navigations if e.url is None
                               or classify(e.url, page.url).kind not in _NOT_NAVIGATING), None)
            if navigation is None:
                continue
            details = {"event": handler.event, "code": navigation.code, "standard": self.standard,
                       **_threshold_details(handler, self.minimums)}
            if navigation.observed:
                details["observed"] = navigation.observed
            if navigation.url is not None:
                destination = classify(navigation.url, page.url)
                details.update(destination=destination.url, kind=destination.kind.value)
                where = destination.description if destination.leaves else "another page"
            else:
                details["destination"] = "computed at run time"
                where = "another page"
            yield self.finding(
                title=f"Moving the phone opens {where}",
                message=(f"A {handler.event} handler navigates to {where}: shaking or tilting the phone — or an "
                         f"accidental bump — takes the user away without a tap. "
                         + _threshold_sentence(details, self.minimums)),
                location=page.location(handler.holder),
                evidence=Evidence(details=details),
            )

    def check_screen(self, page: Page) -> Iterator[Finding]:
        for node in nodes(page):
            label = label_of(node)
            prompt = _SHAKE_PROMPT.search(label)
            if prompt is None or not (_JUMP_WORDS.search(label) or ad_container_of(page, node) is not None):
                continue
            yield self.finding(
                title="Ad asks the user to shake the phone to open it",
                message=("The screen shows a shake prompt on an ad that jumps to another page or app when the phone "
                         f"moves. Thresholds cannot be read from a UI dump; test the trigger against "
                         f"{self.standard}."),
                location=page.location(node),
                evidence=Evidence(details={"prompt": prompt.group(0), "standard": self.standard}),
            )


def _standard(minimums: dict) -> str:
    """The reference values, named T/TAF 078.7-2022 when they are its own."""
    values = (f"acceleration ≥ {minimums['acceleration']:g} m/s², rotation ≥ {minimums['rotation']:g}°, "
              f"duration ≥ {minimums['duration'] / 1000:g} s")
    return f"T/TAF 078.7-2022: {values}" if minimums == MINIMUMS else f"the profile's thresholds: {values}"


def _threshold_details(handler: Handler, minimums: dict) -> dict:
    thresholds = [t for t in (_threshold(c, minimums) for c in handler.comparisons) if t is not None]
    comparable = [t for t in thresholds if "below_standard" in t]
    details: dict = {"thresholds": thresholds}
    details["below_standard"] = any(t["below_standard"] for t in comparable) if comparable else None
    if not any(t["quantity"] == "duration" for t in thresholds):
        details["duration_check"] = "none found"
    return details


def _threshold(comparison: Comparison, minimums: dict) -> dict | None:
    """A lower bound on a motion quantity (``x > 12``, ``beta <= -40``), or None."""
    if comparison.operator in (">", ">="):
        value = comparison.value
    elif comparison.value < 0:
        value = -comparison.value  # "x < -12" bounds the magnitude too
    else:
        return None
    expression = comparison.expression
    quantity = ("duration" if _DURATION.search(expression) else "rotation" if _ROTATION.search(expression)
                else "acceleration" if _ACCELERATION.search(expression) else "unknown")
    found = {"expression": expression, "quantity": quantity, "value": value}
    if quantity in minimums:
        found["below_standard"] = value < minimums[quantity]
    return found


def _threshold_sentence(details: dict, minimums: dict) -> str:
    reference = "the T/TAF 078.7-2022 reference values" if minimums == MINIMUMS else "the profile's thresholds"
    if details["below_standard"]:
        return f"The motion thresholds in the code are below {reference}."
    if details["below_standard"] is None:
        return f"No motion threshold comparable with {reference} was found in the code."
    return f"The motion thresholds found meet {reference}."
