"""DH001 cleartext-sensitive-data."""
from __future__ import annotations

from collections.abc import Iterator

from appaudit.scanner.check import TrafficCheck, field_subject
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Severity, data_label

# Losing these in transit does lasting harm (identity theft, fraud, account takeover).
_CRITICAL = {"id_card", "bank_card"}
# Secrets are DH004's: one secret, one finding.
_SECRETS = {"credential", "password"}


class CleartextSensitiveData(TrafficCheck):
    """Personal data travels in a request or response without TLS (``http://`` or
    ``ws://``), readable and alterable by anyone on the network path: shared Wi-Fi,
    the carrier, a compromised router.

    MIIT's 2021 rectification campaign names "failure to encrypt sensitive information
    during data transmission"; GB/T 35273-2020 §6.3 and PIPL Art. 51 require security
    measures such as encryption for personal (sensitive) information. Every data type
    is reported (phone numbers, e-mail addresses, ID and bank card numbers, device
    identifiers, location, the test account's canaries); passwords and other
    credentials have their own check, DH004 (one secret, one finding). ID card and bank
    card numbers are critical.
    Subject: a data type in one field of one host, whatever its value (a phone number
    in the body of 200 requests is one finding with 200 occurrences).
    """

    id = "DH001"
    name = "cleartext-sensitive-data"
    severity = Severity.HIGH
    regulations = (
        "MIIT 2021 Internet-sector rectification: unencrypted transmission of sensitive information",
        "GB/T 35273-2020 §6.3",
        "PIPL Art. 51",
        "GDPR Art. 32",
    )
    description = "Personal data in an unencrypted (http://, ws://) request or response."
    stateless = True

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        if flow.encrypted:
            return
        scheme = flow.scheme or "http"
        for hit in flow.personal_data:
            if hit.data_type in _SECRETS:
                continue
            direction = "sent to" if hit.part.startswith("request") else "received from"
            yield self.finding(
                title=f"{data_label(hit.data_type, start=True)} {direction} {flow.host} without encryption",
                message=(f"{data_label(hit.data_type, article=True, start=True)} travels over {scheme}:// in {hit.part}"
                         f"{' field ' + hit.path if hit.path else ''}; anyone on the network path can read it. "
                         "Serve this endpoint over HTTPS only."),
                location=flow.location(part=hit.part, field=hit.path),
                evidence=Evidence(data_type=hit.data_type, value=hit.value, canary=hit.canary, encoding=hit.encoding,
                                  details={"subject": field_subject(flow, hit)}),
                severity=Severity.CRITICAL if hit.data_type in _CRITICAL else None,
                sensitive_values=hit.related,
            )
