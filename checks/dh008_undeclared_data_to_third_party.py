"""DH008 undeclared-data-to-third-party."""
from __future__ import annotations

from collections.abc import Iterator

from appaudit.scanner.check import NotApplicable, TrafficCheck
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import DATA_TYPES, Evidence, Finding, Severity, data_label
from appaudit.scanner.sharing import collected


class UndeclaredDataToThirdParty(TrafficCheck):
    """A third party that the app file declares receives a data type that is not
    declared for it — the sharing list says "Umeng: device identifiers", the traffic
    shows Umeng receiving the location too.

    PIPL Art. 23 requires telling the user which types of personal information each
    recipient gets; GB/T 35273-2020 §9.2 asks for the same in the sharing disclosure;
    MIIT's 2021 campaign names sharing beyond what users agreed to. A canary named
    after a data type (``phone``) is judged as that type; other canaries (a name, an
    address) are never declared, so any declared party receiving one is reported.
    Subject: the party, data type and field; every flow sending it again is an
    occurrence of one finding. Needs an app file.
    """

    id = "DH008"
    name = "undeclared-data-to-third-party"
    severity = Severity.MEDIUM
    regulations = ("PIPL Art. 23", "GB/T 35273-2020 §9.2",
                   "MIIT 2021 Internet-sector rectification: sharing with third parties without consent",
                   "GDPR Art. 13(1)(e)")
    description = "A declared third party receives a data type not declared for it."

    def __init__(self, context):
        super().__init__(context)
        if context.app is None or not context.app.third_parties:
            raise NotApplicable("needs an app file declaring third_parties")

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        party = flow.party
        if party is None or party.kind != "declared":
            return
        declared = party.declared_data or frozenset()
        for hit in collected(flow):
            # A canary named after a data type ("phone") is judged as that type; any
            # other canary (a name, an address) is a type no party can be declared for.
            judged_as = hit.canary if hit.data_type == "canary" and hit.canary in DATA_TYPES else hit.data_type
            if judged_as in declared:
                continue
            what = data_label(judged_as, article=True)
            yield self.finding(
                title=f"{party.name} receives {what}, which is not declared for it",
                message=(f"The app file declares {party.name} for {', '.join(sorted(declared)) or 'no data'}, "
                         f"but {what} is sent to it at {flow.host}. Declare it or stop sending it."),
                location=flow.location(part=hit.part, field=hit.path),
                evidence=Evidence(data_type=hit.data_type, value=hit.value, canary=hit.canary, encoding=hit.encoding,
                                  details={"party": party.name, "declared_data": sorted(declared),
                                           "subject": f"{party.name}|{hit.part}|{hit.path}"}),
                sensitive_values=hit.related,
            )
