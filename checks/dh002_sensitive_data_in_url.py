"""DH002 sensitive-data-in-url."""
from __future__ import annotations

from collections.abc import Iterator

from appaudit.scanner.check import TrafficCheck, field_subject
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Severity, data_label
from appaudit.scanner.sharing import others_session_state

_SEVERE = {"id_card", "bank_card", "password", "credential"}


class SensitiveDataInUrl(TrafficCheck):
    """Personal data or a secret is placed in a request URL's path or query — also over
    HTTPS. TLS protects the URL in transit, but URLs are written to server and proxy
    access logs, browser history and analytics, and leak to other sites through the
    Referer header; a token in a URL is a token in a log file.

    GB/T 35273-2020 §6.3 asks for security measures proportionate to the data; PIPL
    Art. 51 requires preventing leaks; OWASP ASVS V8.3.1 says sensitive data must be sent
    in the body or headers, never in query parameters. ID card and bank card numbers,
    passwords and credentials in URLs are high; other personal data medium.
    Subject: a data type in one field of one host, whatever its value (a phone number
    in the query of 200 search requests is one finding with 200 occurrences).
    """

    id = "DH002"
    name = "sensitive-data-in-url"
    severity = Severity.MEDIUM
    regulations = ("GB/T 35273-2020 §6.3", "PIPL Art. 51", "OWASP ASVS 4.0 V8.3.1")
    description = "Personal data in a URL's query or path, also over HTTPS."

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        for hit in flow.personal_data:
            if hit.part != "request.url" or others_session_state(flow, hit, self.context.sharing):
                continue
            where = "path" if hit.path.startswith("path[") else f"query parameter {hit.path}"
            yield self.finding(
                title=f"{data_label(hit.data_type, start=True)} in the URL sent to {flow.host}",
                message=(f"{data_label(hit.data_type, article=True, start=True)} is part of the URL ({where}). "
                         "URLs end up in access logs, proxies, browser history and Referer headers; "
                         "send it in the request body or a header instead."),
                location=flow.location(part=hit.part, field=hit.path),
                evidence=Evidence(data_type=hit.data_type, value=hit.value, canary=hit.canary, encoding=hit.encoding,
                                  details={"subject": field_subject(flow, hit)}),
                severity=Severity.HIGH if hit.data_type in _SEVERE else None,
                sensitive_values=hit.related,
            )
