"""DH009 collection-before-consent."""
from __future__ import annotations

from collections.abc import Iterator

from appaudit.scanner.check import NotApplicable, TrafficCheck, field_subject
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Severity, data_label
from appaudit.scanner.sharing import collected


class CollectionBeforeConsent(TrafficCheck):
    """Before the user accepted the privacy policy — the first flow matching the app
    file's ``consent.url``, or ``consent.time`` — the app already sends personal data
    to anyone, or already contacts a known third-party SDK.

    This is what MIIT's enforcement notices cite most often: 《App违法违规收集使用个人
    信息行为认定方法》 (2019) §3 treats collecting or starting SDKs before consent as
    collection without consent; PIPL Art. 13–14 require consent before processing;
    GB/T 35273-2020 §5.4. A capture that never reaches the consent moment is all
    "before consent". Without a consent moment in the app file the check is not
    applicable. Subjects: an SDK (every pre-consent contact is an occurrence of one
    "contacted before consent" finding), and a host, data type and field (every
    pre-consent flow sending it is an occurrence).
    """

    id = "DH009"
    name = "collection-before-consent"
    severity = Severity.HIGH
    regulations = (
        "MIIT 2021 Internet-sector rectification: collecting personal information without consent",
        "《App违法违规收集使用个人信息行为认定方法》(2019) §3",
        "PIPL Art. 13-14",
        "GB/T 35273-2020 §5.4",
        "GDPR Art. 6-7",
    )
    description = "Personal data collected, or a third-party SDK contacted, before the user consented."

    def __init__(self, context):
        super().__init__(context)
        if context.app is None or context.app.consent is None:
            raise NotApplicable("needs a consent moment (consent.url or consent.time) in the app file")

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        if not flow.before_consent:
            return
        party = flow.party
        sdk = party.sdk if party else None
        if sdk is not None:
            yield self.finding(
                title=f"{sdk.name} contacted before the user consented",
                message=(f"The app contacts {sdk.name} ({sdk.vendor}, {sdk.category}) at {flow.host} before the "
                         "privacy consent; start third-party SDKs only after the user agrees."),
                location=flow.location(),
                evidence=Evidence(details={"sdk": sdk.name, "vendor": sdk.vendor, "category": sdk.category,
                                           "subject": f"sdk:{sdk.id}"}),
            )
        for hit in collected(flow):
            recipient = party.name if party else flow.host
            yield self.finding(
                title=f"{data_label(hit.data_type, start=True)} sent to {recipient} before the user consented",
                message=(f"{data_label(hit.data_type, article=True, start=True)} is sent to {flow.host} "
                         "before the privacy consent was given. "
                         "Collect personal data only after the user agrees."),
                location=flow.location(part=hit.part, field=hit.path),
                evidence=Evidence(data_type=hit.data_type, value=hit.value, canary=hit.canary, encoding=hit.encoding,
                                  details={"party": recipient, "subject": field_subject(flow, hit)}),
                sensitive_values=hit.related,
            )
