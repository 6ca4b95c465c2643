"""DH006 unmasked-data-in-response."""
from __future__ import annotations

import re
from collections.abc import Iterator

from appaudit.scanner.check import TrafficCheck, field_subject
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import DATA_TYPE_LABELS, Evidence, Finding, Severity

# Numbers that apps are expected to show masked (110101********1234, 6222 **** 1234).
_MASK_EXPECTED = {"id_card", "bank_card", "passport"}
# A response listing this many distinct mobile numbers or e-mail addresses is exposing
# other people's data, not showing the user their own. Fixed lines and contacts of
# shops, stores and merchants are business contacts, not personal data.
_BULK = 3
_MOBILE = re.compile(r"(\+?86)?1[3-9]\d{9}")
_BUSINESS = re.compile(r"shop|store|merchant|seller|vendor|dealer|hotel|restaurant|poi|branch|dianpu|mendian|shangjia",
                       re.IGNORECASE)


def _personal_contact(hit) -> bool:
    if _BUSINESS.search(hit.path):
        return False
    if hit.data_type == "phone":
        return bool(_MOBILE.fullmatch(re.sub(r"[\s-]", "", hit.value)))
    return True


class UnmaskedDataInResponse(TrafficCheck):
    """A server response carries a full ID card, bank card or passport number where a
    masked form is expected, or lists the mobile numbers or e-mail addresses of several
    people (shops' and merchants' contacts are not counted). Anything in a response can be
    read by every SDK in the app, cached, logged
    and screenshotted; masking at the server is what keeps a leak small.

    The CAC 2023 "Clear and Bright" action (item 3) names leaked ID card numbers, phone
    numbers and financial accounts of entrepreneurs; GB/T 35273-2020 §7.2 (limits on displaying
    personal information) calls for de-identified display, such as masking. A value the client itself
    sent in the same flow (an echo of what the user just typed) is not reported.
    Subject: a data type in one field of one host, whatever its value (for a list of
    contacts, the field where the list starts); its repeats in later flows are
    occurrences of one finding.
    """

    id = "DH006"
    name = "unmasked-data-in-response"
    severity = Severity.HIGH
    regulations = ("CAC 2023 Clear and Bright campaign, item 3: leaked personal information of entrepreneurs",
                   "GB/T 35273-2020 §7.2",
                   "PIPL Art. 51")
    description = "A response exposes full ID card / bank card / passport numbers, or other people's personal data."
    stateless = True

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        sent = {hit.value for hit in flow.personal_data if hit.part.startswith("request")}
        in_body = [hit for hit in flow.personal_data
                   if hit.part == "response.body" and hit.value not in sent]
        for hit in in_body:
            if hit.data_type in _MASK_EXPECTED:
                label = DATA_TYPE_LABELS[hit.data_type]
                yield self.finding(
                    title=f"Full {label} in a response from {flow.host}",
                    message=(f"The response carries a complete {label} in field {hit.path or '(body)'}; "
                             "show it masked (first and last digits only) unless the full number is needed."),
                    location=flow.location(part=hit.part, field=hit.path),
                    evidence=Evidence(data_type=hit.data_type, value=hit.value, encoding=hit.encoding,
                                      details={"subject": field_subject(flow, hit)}),
                )
        for data_type in ("phone", "email"):
            people = [hit for hit in in_body if hit.data_type == data_type and _personal_contact(hit)]
            distinct = {hit.value for hit in people}
            if len(distinct) >= _BULK:
                label = DATA_TYPE_LABELS[data_type]
                first = people[0]
                yield self.finding(
                    title=f"{len(distinct)} unmasked {label}s in one response from {flow.host}",
                    message=(f"The response lists {len(distinct)} different {label}s unmasked; a list of other "
                             "people's contact data should be masked or not sent to the client at all."),
                    location=flow.location(part=first.part, field=first.path),
                    evidence=Evidence(data_type=data_type, value=first.value,
                                      details={"count": len(distinct), "subject": field_subject(flow, first)}),
                    sensitive_values=tuple(distinct),
                )
