"""DH003 weak-transport."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from appaudit.scanner.check import NotApplicable, TrafficCheck
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.model import Evidence, Finding, Severity

# Versions as mitmproxy records them (client_conn / server_conn .tls_version).
_WEAK_TLS = {"SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1"}
_NO_TLS_DATA = ("the capture records no TLS version (HAR files do not; plain-HTTP flows have none): "
                "only mixed content could be checked, and none was found")

# Active content an HTTPS page fetches or submits: a network attacker who controls it
# controls the page (scripts, frames, styles) or reads what the user submits (forms).
_ACTIVE_CONTENT = (
    ("script", "src", "loads a script"),
    ("iframe", "src", "embeds a frame"),
    ("frame", "src", "embeds a frame"),
    ("form", "action", "submits a form"),
    ("button", "formaction", "submits a form"),
    ("input", "formaction", "submits a form"),
    ("link", "href", "loads a stylesheet"),
)


# Character references that could spell out "http:" or hide what precedes it.
_REFERENCES = ("&#", "&tab;", "&newline;", "&colon;")


def _may_target_http(source: str) -> bool:
    """Whether some attribute of the page may hold an http: URL: an "http:" right after
    "src=", "action=" or "href=" (allowing for quotes, whitespace and controls, and
    for the tabs and newlines that URL parsing drops), or a character reference. Most
    pages have none and are never parsed for this check (str methods only: a regular
    expression over the page costs several times more)."""
    text = source.lower().replace("\t", "").replace("\n", "").replace("\r", "")
    if any(reference in text for reference in _REFERENCES):
        return True
    start = text.find("http:")
    while start >= 0:
        i = start
        while i and (text[i - 1] <= " " or text[i - 1].isspace()):
            i -= 1
        if i and text[i - 1] in "\"'":
            i -= 1
        while i and text[i - 1].isspace():
            i -= 1
        if i and text[i - 1] == "=":
            i -= 1
            while i and text[i - 1].isspace():
                i -= 1
            if text.endswith(("src", "action", "href"), 0, i):
                return True
        start = text.find("http:", start + 5)
    return False


class WeakTransport(TrafficCheck):
    """The connection's protection is weaker than it looks: TLS below 1.2 on the
    client side (the app offered and accepted it) or on the server side of a flow
    (mitmproxy records both), or an HTTPS page that loads scripts, frames or styles, or
    submits forms, over plain ``http://`` (active mixed content).

    TLS 1.0 and 1.1 are deprecated (RFC 8996); GB/T 35273-2020 §6.3 and PIPL Art. 51
    require effective encryption in transit. Subject: for TLS a host, side and version;
    for mixed content the page (its URL without the query) and the element. Their
    repeats in later flows are occurrences of one finding. HAR files record
    no TLS version: on an input where no flow has one and no mixed content was found,
    the check is not applicable rather than passed.
    """

    id = "DH003"
    name = "weak-transport"
    severity = Severity.MEDIUM
    regulations = ("GB/T 35273-2020 §6.3", "PIPL Art. 51", "RFC 8996", "GDPR Art. 32")
    description = "TLS below 1.2 on the client or server side of a flow; HTTPS page content fetched or posted over HTTP."
    stateless = True

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        findings = list(self._weak_tls(flow))
        if flow.scheme == "https" and flow.page_source and _may_target_http(flow.page_source) \
                and flow.page is not None:
            findings += self._mixed_content(flow)
        if not findings and flow.client_tls_version is None and flow.server_tls_version is None:
            # Nothing to say "pass" on: HAR files (and plain-HTTP flows) record no TLS version.
            raise NotApplicable(_NO_TLS_DATA)
        yield from findings

    def _weak_tls(self, flow: FlowView) -> Iterator[Finding]:
        for side, version in (("client", flow.client_tls_version), ("server", flow.server_tls_version)):
            if version not in _WEAK_TLS:
                continue
            between = "the app and the proxy" if side == "client" else f"the proxy and {flow.host}"
            yield self.finding(
                title=f"{version} used with {flow.host} ({side} side)",
                message=(f"The TLS connection between {between} used {version}, which is deprecated "
                         "(RFC 8996) and breakable; require TLS 1.2 or newer."),
                location=flow.location(),
                evidence=Evidence(details={"side": side, "tls_version": version, "subject": f"{flow.host} {side} {version}"}),
            )

    def _mixed_content(self, flow: FlowView) -> Iterator[Finding]:
        page = flow.page
        for tag_name, attribute, action in _ACTIVE_CONTENT:
            for element in page.document.find_all(tag_name):
                target = element.get(attribute)
                if not isinstance(target, str) or not target.strip():
                    continue
                if tag_name == "link" and "stylesheet" not in [r.lower() for r in element.get("rel") or []]:
                    continue
                absolute = urljoin(flow.url, target.strip())
                if urlsplit(absolute).scheme.lower() != "http":
                    continue
                yield self.finding(
                    title=f"HTTPS page {action} over http://",
                    message=(f"The page at {flow.host} is served over HTTPS but {action} from {absolute}; "
                             "a network attacker can replace or read it. Use https:// for every subresource."),
                    location=replace(page.location(element), method=flow.method, part="response.body"),
                    evidence=Evidence(details={"element": tag_name, "target": absolute}),
                )
