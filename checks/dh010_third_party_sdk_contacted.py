"""DH010 third-party-sdk-contacted."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from appaudit.scanner.check import TrafficCheck
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Location, Occurrences, Severity
from appaudit.scanner.parties import Sdk


@dataclass(kw_only=True)
class _Contact:
    sdk: Sdk
    location: Location
    occurrences: Occurrences


class ThirdPartySdkContacted(TrafficCheck):
    """Inventory: a known third-party SDK or tracker endpoint was contacted. One info
    finding per SDK per input (its subject), naming the SDK, its vendor and category, the
    first flow and how many flows went to it, with every flow as an occurrence — the list an auditor compares with the app's
    published third-party SDK sharing list (第三方信息共享清单).

    MIIT 2021 campaign; PIPL Art. 23; GB/T 35273-2020 §9.2; TC260-PG-20205A (网络安全
    标准实践指南—移动互联网应用程序（App）收集使用个人信息自评估指南) on SDK disclosure.
    """

    id = "DH010"
    name = "third-party-sdk-contacted"
    severity = Severity.INFO
    regulations = ("PIPL Art. 23", "GB/T 35273-2020 §9.2",
                   "MIIT 2021 Internet-sector rectification: third-party SDK management")
    description = "Inventory: a known third-party SDK / tracker endpoint was contacted."

    def __init__(self, context):
        super().__init__(context)
        self._contacts: dict[str, _Contact] = {}

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        sdk = flow.party.sdk if flow.party else None
        if sdk is not None and flow.party.kind != "first_party":
            location = flow.location()
            contact = self._contacts.setdefault(sdk.id, _Contact(sdk=sdk, location=location, occurrences=Occurrences()))
            contact.occurrences.add(location)
        return ()

    def finish(self) -> Iterator[Finding]:
        for contact in self._contacts.values():
            sdk, flows = contact.sdk, contact.occurrences.count
            finding = self.finding(
                title=f"{sdk.name} contacted",
                message=(f"The {sdk.category.replace('_', ' ')} SDK {sdk.name} by {sdk.vendor} was contacted in "
                         f"{flows} flow{'s' if flows != 1 else ''}, first in flow {contact.location.flow}."),
                location=contact.location,
                evidence=Evidence(details={"sdk": sdk.name, "vendor": sdk.vendor, "category": sdk.category,
                                           "flows": flows, "first_flow": contact.location.flow,
                                           "subject": f"sdk:{sdk.id}"}),
            )
            finding.occurrences = contact.occurrences
            yield finding
