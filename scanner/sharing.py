"""Who each flow goes to, whether the user had consented yet, and the third-party
inventory — gathered once per input, in one streaming pass, for DH007–DH010 and the
report's ``third_parties`` section.

The engine calls :meth:`SessionSharing.observe` for every flow, in input order, before
any check reads it; ``flow.party`` and ``flow.before_consent`` are then set. Nothing
but the running inventory is kept, so consent ordering costs no buffering.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from appaudit.scanner.detectors.keys import names_session
from appaudit.scanner.loading import PAGEREF
from appaudit.scanner.parties import Party, PartyClassifier, SdkCatalogue, registrable_domain

if TYPE_CHECKING:
    from appaudit.scanner.appfile import AppDescription
    from appaudit.scanner.flowview import FlowView
    from appaudit.scanner.profile_loader import Profile

# Data types that make a request "personal data collection"; a session credential is
# how a client talks to its own server, not data about the person.
COLLECTED_TYPES_EXCLUDED = frozenset({"credential"})


def build_catalogue(profile: "Profile", app: "AppDescription | None") -> SdkCatalogue:
    """The bundled catalogue extended by the profile's and the app file's ``sdks``."""
    return SdkCatalogue.load(list(profile.sdks) + list(app.sdks if app else ()))


@dataclass(kw_only=True)
class PartyUsage:
    """One inventory row: what one third party received during one input."""

    party: Party
    first_flow: int
    domains: set[str] = field(default_factory=set)
    data_types: set[str] = field(default_factory=set)
    first_seen: float | None = None
    last_seen: float | None = None
    flows: int = 0
    before_consent: bool = False

    def as_dict(self, input: str, consent_known: bool) -> dict:
        sdk = self.party.sdk
        return {
            "input": input,
            "party": self.party.name,
            "kind": self.party.kind,
            "registrable_domain": self.party.registrable_domain,
            "sdk": {"id": sdk.id, "name": sdk.name, "vendor": sdk.vendor, "category": sdk.category} if sdk else None,
            "declared": self.party.kind == "declared",
            "declared_data": sorted(self.party.declared_data) if self.party.declared_data is not None else None,
            "domains": sorted(self.domains),
            "data_types": sorted(self.data_types),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "first_flow": self.first_flow,
            "flows": self.flows,
            "before_consent": self.before_consent if consent_known else None,
        }


class SessionSharing:
    def __init__(self, *, app: "AppDescription | None", catalogue: SdkCatalogue):
        self.app = app
        self.consent = app.consent if app else None
        self.consent_given = False
        self.consent_flow: "FlowView | None" = None
        self.classifier = PartyClassifier(
            first_party=app.first_party if app else (),
            third_parties=app.third_parties if app else (),
            catalogue=catalogue,
        )
        # Without an app file naming its domains, the site of the top-level pages is
        # the first party; until one is seen, unknown domains cannot be judged.
        self.first_party_from_pages = not (app and app.first_party)
        self.page_domains: list[str] = []
        # HAR pages (``pageref``; None for a capture without pages) whose top-level
        # document has been seen, and per page the pages its requests came from (their
        # Referer): a document one of those asks for is a frame in it.
        self._pages_with_document: set[str | None] = set()
        self._referers: dict[str | None, set[str]] = {}
        self.usage: dict[str, PartyUsage] = {}

    @property
    def consent_known(self) -> bool:
        return self.consent is not None

    @property
    def first_party_known(self) -> bool:
        return not self.first_party_from_pages or bool(self.page_domains)

    def observe(self, flow: "FlowView") -> None:
        if self.first_party_from_pages:
            referer = flow.request.header("referer") or ""
            if self._is_top_level_page(flow):
                self._add_page_domain(flow.host)
            elif not self._referers and referer and not self.page_domains:
                # A capture started on a page it does not hold (the recorder was switched
                # on after the navigation): its first request names that page.
                self._add_page_domain(urlsplit(referer).hostname or "")
            if referer:
                self._referers.setdefault(flow.flow.metadata.get(PAGEREF), set()).add(referer)
        flow.party = (Party(kind="first_party", name=flow.host, registrable_domain=flow.host)
                      if _is_local(flow.host) else self.classifier.classify(flow.host))
        flow.before_consent = self._before_consent(flow) if self.consent_known else None
        if flow.party.kind != "first_party":
            self._record(flow)

    def _add_page_domain(self, host: str) -> None:
        domain = registrable_domain(host) if host else ""
        if domain and domain not in self.page_domains:
            self.page_domains.append(domain)
            self.classifier.add_first_party(domain)

    def _is_top_level_page(self, flow: "FlowView") -> bool:
        """A document the user navigated to, not a frame, script or XHR. Browsers that
        send ``Sec-Fetch-Dest`` say so. Otherwise an ad iframe's document looks like a
        page, so only what the capture says about navigation counts: the first document
        of each HAR page (``pageref``), else of the input, unless a page whose
        subresources are already loading asked for it (a frame, the page's own document
        missing from the capture); without pages, also documents requested with no
        Referer (an address typed or bookmarked). Redirects on the way to a page are
        navigation too, and do not take its place."""
        if not _is_html_document(flow):
            return False
        destination = (flow.request.header("sec-fetch-dest") or "").lower()
        if destination:
            return destination == "document"
        accept = flow.request.header("accept") or ""
        if accept and "text/html" not in accept and "*/*" not in accept:
            return False  # a request for data (JSON, an image) that happened to get HTML
        redirect = 300 <= flow.flow.response.status_code < 400
        pageref = flow.flow.metadata.get(PAGEREF)
        referer = flow.request.header("referer")
        first = pageref not in self._pages_with_document and referer not in self._referers.get(pageref, ())
        if not redirect:
            self._pages_with_document.add(pageref)
        return first or (pageref is None and not referer)

    def _before_consent(self, flow: "FlowView") -> bool:
        if self.consent.url is not None:
            if not self.consent_given and self.consent.given_by(flow.url):
                self.consent_given = True
                self.consent_flow = flow
            return not self.consent_given
        return flow.timestamp is not None and flow.timestamp < self.consent.time

    def _record(self, flow: "FlowView") -> None:
        party = flow.party
        if party.kind == "unknown" and not self.first_party_known:
            return
        key = f"{party.kind}:{party.name}"
        usage = self.usage.get(key)
        if usage is None:
            usage = self.usage[key] = PartyUsage(party=party, first_flow=flow.index)
        usage.flows += 1
        usage.domains.add(flow.host)
        usage.data_types.update(hit.data_type for hit in collected(flow))
        if flow.timestamp is not None:
            usage.first_seen = flow.timestamp if usage.first_seen is None else min(usage.first_seen, flow.timestamp)
            usage.last_seen = flow.timestamp if usage.last_seen is None else max(usage.last_seen, flow.timestamp)
        usage.before_consent = usage.before_consent or bool(flow.before_consent)

    def inventory(self, input: str) -> list[dict]:
        return [usage.as_dict(input, self.consent_known) for usage in self.usage.values()]

    def first_party_basis(self) -> dict:
        if not self.first_party_from_pages:
            return {"basis": "app file", "domains": list(self.app.first_party)}
        if self.page_domains:
            return {"basis": "no app file first_party: the sites of the top-level HTML pages in the capture",
                    "domains": list(self.page_domains)}
        return {"basis": "unknown: no app file first_party and no top-level HTML page; "
                         "only known SDKs were judged as third parties", "domains": []}

    def consent_moment(self) -> dict:
        """When the user consented in this input, for the reports' timelines: the flow
        that recorded it (a consent URL), or the app file's consent time."""
        if not self.consent_known:
            return {}
        if self.consent.url is None:
            return {"consent": {"timestamp": self.consent.time}}
        if self.consent_flow is None:
            return {"consent": {"given": False}}
        return {"consent": {"flow": self.consent_flow.index, "timestamp": self.consent_flow.timestamp}}


def own_host(flow: "FlowView", sharing: "SessionSharing | None") -> bool:
    """Whether the flow's host is the site's or app's own. While the first party is
    unknown (no app file, no top-level page yet) only known SDKs and declared third
    parties can be told apart from it."""
    party = flow.party
    if party is None or party.kind == "first_party":
        return True
    if party.kind in ("sdk", "declared"):
        return False
    return sharing is None or not sharing.first_party_known


def others_session_state(flow: "FlowView", hit, sharing: "SessionSharing | None") -> bool:
    """A cookie, or a field named for a session id, of a host that is not the site's or
    app's own: that party's visitor or session id, not the user's credential with the
    site (tokens and passwords sent to another party still are)."""
    if hit.data_type != "credential" or own_host(flow, sharing):
        return False
    field_name = re.split(r"[.\[\];]", hit.path)[-1] if hit.path else ""
    return hit.part == "request.cookies" or hit.path.startswith("set-cookie.") or names_session(field_name)


def collected(flow: "FlowView") -> list:
    """Personal data the client sent in this flow."""
    return [hit for hit in flow.personal_data
            if hit.part.startswith("request") and hit.data_type not in COLLECTED_TYPES_EXCLUDED]


def _is_local(host: str) -> bool:
    """Loopback and private-network addresses: the tester's own backend or device, never
    a third party the app shares data with."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def _is_html_document(flow: "FlowView") -> bool:
    response = flow.response
    return response is not None and response.mime in ("text/html", "application/xhtml+xml")
