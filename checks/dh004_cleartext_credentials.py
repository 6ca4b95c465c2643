"""DH004 cleartext-credentials."""
from __future__ import annotations

from collections.abc import Iterator

from appaudit.scanner.check import TrafficCheck, field_subject
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Severity, data_label
from appaudit.scanner.sharing import others_session_state

_SECRETS = {"password", "credential"}



class CleartextCredentials(TrafficCheck):
    """A password, a Basic or Bearer authorisation, a session cookie or another token
    crosses the network without TLS. Whoever sees it can log in as the user: this is
    account takeover, not just disclosure.

    MIIT's 2021 campaign names unencrypted transmission of sensitive information;
    GB/T 35273-2020 §6.3 and PIPL Art. 51 require encryption of sensitive personal
    information in transit. Credentials the server hands out over plain HTTP count too —
    a session cookie it sets, a token in its response body — they are just as readable.
    Subject: a data type in one field of one host, whatever its value (a session cookie
    sent with 200 requests is one finding with 200 occurrences).
    """

    id = "DH004"
    name = "cleartext-credentials"
    severity = Severity.CRITICAL
    regulations = (
        "MIIT 2021 Internet-sector rectification: unencrypted transmission of sensitive information",
        "GB/T 35273-2020 §6.3",
        "PIPL Art. 51",
        "OWASP ASVS 4.0 V9.1.1",
    )
    description = "Passwords, tokens, session cookies or Basic auth sent unencrypted."

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        if flow.encrypted:
            return
        for hit in flow.personal_data:
            if hit.data_type not in _SECRETS or others_session_state(flow, hit, self.context.sharing):
                continue
            yield self.finding(
                title=f"{data_label(hit.data_type, start=True)} crosses the network to or from {flow.host} without TLS",
                message=(f"{data_label(hit.data_type, article=True, start=True)} travels over "
                         f"{flow.scheme or 'http'}:// in {hit.part}"
                         f"{' field ' + hit.path if hit.path else ''}; anyone on the path can replay it "
                         "and take over the account. Use HTTPS for every authenticated request."),
                location=flow.location(part=hit.part, field=hit.path),
                evidence=Evidence(data_type=hit.data_type, value=hit.value, encoding=hit.encoding,
                                  details={"subject": field_subject(flow, hit)}),
                sensitive_values=hit.related,
            )
