"""UI011 personal-data-exposed-in-page."""
from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from bs4 import Tag

from appaudit.scanner.check import PageCheck, ScanContext
from appaudit.scanner.detectors import Detector
from appaudit.scanner.detectors.text import TextHit
from appaudit.scanner.model import DATA_TYPE_LABELS, Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import name_tokens
from appaudit.scanner.pagemodel.style import is_visible
from appaudit.scanner.pagemodel.text import element_text, page_root, text_holders

EXPOSED_TYPES = ("id_card", "phone", "bank_card")
# How far before a number its label is looked for ("客服热线：", "e.g. ").
_LABEL_WINDOW = 16
# A sample value in help text: "示例：11010519491231002X", "e.g. 4111 …".
_EXAMPLE = re.compile(r"示例|例如|样例|比如|举例|格式|e\.g\.|\bexample\b|\bsample\b|for instance", re.IGNORECASE)
# A phone number the site publishes for itself (hotline, support, sales) is not personal;
# the person who complains or reports (投诉人, 举报者) is not the site's line (客服人员 is).
_SERVICE_LABEL = re.compile(r"(?:客服|热线|服务电话|服务热线|咨询|联系我们|举报|投诉|商务|合作|招商|加盟|售后|官方|传真)"
                            r"(?!者|人(?!员))"
                            r"|hotline|customer (?:service|support|care)|support|call us|contact us|sales"
                            r"|enquir|inquir|press|fax|office", re.IGNORECASE)
_CONTACT_CONTAINERS = ("footer", "address")
# Names of the site's own contact box: a footer, 客服 (kefu) or hotline box, or one named
# first for contact or support ("contact-box", "contact-us", "support"), or customer
# service. A component holding someone's contact ("van-contact-card", "svc-contact") or
# a service ordered ("service-info") is not one.
_CONTACT_BOX_NAME = re.compile(r"(?:^|-)(?:footer|kefu|hotline|contactus|customer-?service)(?:-|$)"
                               r"|^(?:contacts?|support)(?:-|$)")
_TEXT_INPUTS = frozenset({"", "text", "tel", "number", "search", "email"})
_MASKED_EXAMPLES = {"id_card": "110101********1234", "phone": "138****5678", "bank_card": "6222 **** **** 1234"}


class PersonalDataExposedInPage(PageCheck):
    """Page text shows a full PRC ID card number, mobile phone number or bank card
    number — on an order, profile, winners' list or search-result page — where a masked
    form (110101********1234, 138****5678) is expected. Values are found by the shared
    detectors (checksums, number plans, issuer ranges), in visible text and in visible
    pre-filled text fields; one finding per element and data type.

    Not findings: masked values, text in scripts, hidden elements and hidden fields;
    sample values introduced as such (示例 / 例如 / e.g.); and the site's own phone
    numbers — in a ``tel:`` link, in a footer or address, in a box named for contacting
    the site (``contact-us``, ``kefu``/客服, ``hotline``; not a component holding
    someone's contact such as ``van-contact-card``, nor ``service-info``), labelled as a
    hotline, customer service or sales number (not 投诉人 / 举报人, the person who
    complains), or an international office line (only mobile numbers are people's own).
    uiautomator dumps are read the same way.

    The CAC 2023 "清朗" action (item 3) names leaked ID card and phone numbers of entrepreneurs; GB/T 35273-2020
    §7.2 asks for de-identified display of personal information on screens; PIPL
    Art. 51 requires measures against leaks.
    """

    id = "UI011"
    name = "personal-data-exposed-in-page"
    severity = Severity.HIGH
    regulations = ("CAC 2023 清朗 campaign, item 3: leaked personal information of entrepreneurs", "GB/T 35273-2020 §7.2",
                   "PIPL Art. 51")
    description = "Page text shows unmasked ID card, phone or bank card numbers"

    def __init__(self, context: ScanContext) -> None:
        super().__init__(context)
        self._detector = Detector()

    def check_html(self, page: Page) -> Iterator[Finding]:
        return self._shown(page, [*text_holders(page), *_filled_fields(page)])

    def check_screen(self, page: Page) -> Iterator[Finding]:
        return self._shown(page, text_holders(page))

    def _shown(self, page: Page, texts: list[tuple[Tag, str]]) -> Iterator[Finding]:
        """The findings for the texts a page shows, each with the element showing it."""
        for element, text in texts:
            by_type: dict[str, list[str]] = {}
            for hit in self._detector.scan_text(text):
                if hit.data_type in EXPOSED_TYPES and not _excused(page, element, text, hit):
                    by_type.setdefault(hit.data_type, []).append(hit.value)
            yield from self._findings(page, element, by_type)

    def _findings(self, page: Page, element: Tag, by_type: dict[str, list[str]]) -> Iterator[Finding]:
        for data_type, values in by_type.items():
            label = DATA_TYPE_LABELS[data_type]
            yield self.finding(
                title=f"Unmasked {label} shown in the page",
                message=(f"The page shows a complete {label}. Show personal numbers masked (for example "
                         f"{_MASKED_EXAMPLES[data_type]}) unless the full number is needed."),
                location=page.location(element),
                evidence=Evidence(data_type=data_type, value=values[0],
                                  details={"count": len(set(values))} if len(set(values)) > 1 else {}),
                sensitive_values=tuple(values[1:]),
            )



def _filled_fields(page: Page) -> list[tuple[Tag, str]]:
    """Visible text fields of a web page with a value already filled in by the page."""
    return [(field, str(field["value"])) for field in page_root(page).find_all("input", value=True)
            if str(field.get("type", "")).lower() in _TEXT_INPUTS and is_visible(page, field)]


def _excused(page: Page, element: Tag, text: str, hit: TextHit) -> bool:
    before = _text_before(page, element, text, hit)
    if _EXAMPLE.search(before):
        return True
    return hit.data_type == "phone" and (_is_fixed_line(hit.value) or bool(_SERVICE_LABEL.search(before))
                                         or _in_contact_box(element))


def _is_fixed_line(number: str) -> bool:
    """A "+" number that is not a mobile one: an office line (people's own numbers in a
    page are mobiles; CN numbers without "+" are only ever read as mobiles)."""
    if not number.startswith("+"):
        return False
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return True
    return phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE


def _text_before(page: Page, element: Tag, text: str, hit: TextHit) -> str:
    """The text just before a value, reaching into the enclosing element when the value
    starts its own (``<span>客服电话</span>：<span>138…</span>``)."""
    before = text[:hit.start]
    parent = element.parent
    if len(before) < _LABEL_WINDOW and isinstance(parent, Tag) and parent.name not in ("[document]", "hierarchy"):
        enclosing = element_text(page, parent)
        position = enclosing.find(hit.value)
        if position > len(before):
            before = enclosing[:position]
    return before[-_LABEL_WINDOW:]


def _in_contact_box(element: Tag) -> bool:
    for node in [element, *element.parents]:
        if node.name == "[document]":
            break
        if node.name in _CONTACT_CONTAINERS or (node.name == "a" and str(node.get("href", "")).startswith("tel:")):
            return True
        names = [n for a in ("class", "id", "resource-id") for n in _names(node.get(a))]
        if any(_CONTACT_BOX_NAME.search("-".join(name_tokens(n.split(":id/")[-1]))) for n in names):
            return True
    return False


def _names(value) -> list[str]:
    return list(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
