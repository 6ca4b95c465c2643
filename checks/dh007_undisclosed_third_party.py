"""DH007 undisclosed-third-party."""
from __future__ import annotations

from collections.abc import Iterator

from appaudit.scanner.check import TrafficCheck
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Severity, data_label
from appaudit.scanner.sharing import collected


class UndisclosedThirdParty(TrafficCheck):
    """Personal data or a device identifier goes to a party that is neither the app's
    own (the app file's ``first_party``, compared by registrable domain) nor declared
    in its third-party sharing list (``third_parties``): a known SDK the disclosure
    leaves out, or an unknown third-party domain.

    MIIT's 2021 campaign names providing data to third parties without the user's
    consent; PIPL Art. 23 requires telling the user the recipient's name, purpose and
    data types, and GB/T 35273-2020 §9.2 requires disclosing entrusted processing and
    sharing; Chinese apps publish a third-party SDK sharing list (第三方信息共享清单)
    that should name every recipient. Without an app file, the site of the top-level
    pages in the capture is the first party; with neither, only known SDKs are judged.
    Subject: the party, data type and field; every flow sending it again is an
    occurrence of one finding.
    """

    id = "DH007"
    name = "undisclosed-third-party"
    severity = Severity.HIGH
    regulations = (
        "MIIT 2021 Internet-sector rectification: sharing with third parties without consent",
        "PIPL Art. 23",
        "GB/T 35273-2020 §9.2",
        "GDPR Art. 13(1)(e)",
    )
    description = "Personal data or device identifiers sent to a third party the app's disclosure does not declare."

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        party = flow.party
        if party is None or party.kind not in ("sdk", "unknown"):
            return
        if party.kind == "unknown" and not self.context.sharing.first_party_known:
            return
        for hit in collected(flow):
            who = f"{party.sdk.name} ({party.sdk.vendor}, {party.sdk.category})" if party.sdk else party.registrable_domain
            yield self.finding(
                title=f"{data_label(hit.data_type, start=True)} sent to undeclared third party {party.name}",
                message=(f"{data_label(hit.data_type, article=True, start=True)} goes to {who} at {flow.host}, "
                         "which the app's disclosure does not list "
                         "as first party or as a declared third party. Declare the recipient, its purpose and "
                         "the data it receives, or stop sending it."),
                location=flow.location(part=hit.part, field=hit.path),
                evidence=Evidence(data_type=hit.data_type, value=hit.value, canary=hit.canary, encoding=hit.encoding,
                                  details={"party": party.name, "party_kind": party.kind,
                                           "subject": f"{party.name}|{hit.part}|{hit.path}"}),
                sensitive_values=hit.related,
            )
