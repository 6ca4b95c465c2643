"""Which party a request host belongs to: the app itself, a third party the app file
declares, a known third-party SDK, or an unknown third party.

DH007–DH010 ask this for every flow. The answer rests on two kinds of facts:

- registrable domains ("eTLD+1"), from the Public Suffix List bundled with tldextract —
  never fetched at run time, so a scan works offline and gives the same answer everywhere;
- the SDK catalogue (``scanner/data/sdk_catalogue.yaml``, see docs/sdk-catalogue.md):
  each SDK names the endpoint hosts it calls. A host belongs to an entry when it equals
  one of its domains or is a subdomain of one; the longest (most specific) domain wins,
  so ``stats.g.doubleclick.net`` can be Google Analytics while the rest of
  ``doubleclick.net`` is Google's ad serving.

Hosts and domains are compared in one canonical form (:func:`normalise_host`).
"""
from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import tldextract
import yaml

from appaudit.scanner.yamlfile import ConfigError, YamlDocument, load_yaml

CATEGORIES = (
    "analytics",
    "advertising",
    "push",
    "crash_reporting",
    "attribution",
    "social_login",
    "payment",
    "maps",
    "risk_control",
    "customer_support",
    "consent_management",  # consent-management platforms: they log each visitor's consent state
)

CATALOGUE_PATH = Path(__file__).with_name("data") / "sdk_catalogue.yaml"

_SDK_KEYS = ["id", "name", "vendor", "category", "domains", "source"]
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LABEL_PATTERN = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


# --- hosts and registrable domains -------------------------------------------------

def normalise_host(host: str) -> str:
    """The canonical form every comparison uses: lower case, no port, no IPv6
    brackets, no trailing dot, internationalised names in their ASCII (punycode) form
    as they travel on the wire."""
    host = host.strip().lower()
    if host.startswith("["):  # "[::1]" or "[::1]:8080"
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:  # "example.com:8080"; bare IPv6 has several colons
        name, _, port = host.partition(":")
        if port.isdigit() or not port:
            host = name
    host = host.rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # not a valid IDN: compare it as written
    return host


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@functools.cache
def _suffix_extractor() -> tldextract.TLDExtract:
    # No suffix-list URLs and no cache directory: tldextract then reads only the PSL
    # snapshot shipped inside the package and never touches the network or the disk.
    # Private suffixes (github.io, appspot.com) count: alice.github.io and bob.github.io
    # are different owners.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def registrable_domain(host: str) -> str:
    """The registrable domain (public suffix plus one label) of ``host``, in canonical
    form: ``shop.demo.co.uk`` -> ``demo.co.uk``, ``alice.github.io`` -> itself.

    IP addresses, single-label names (``localhost``) and hosts that are themselves a
    public suffix have no registrable domain and stand for themselves. A name under a
    suffix the list does not know (``api.corp.internal``) follows the list's default
    rule, which treats the last label as the suffix (``corp.internal``)."""
    host = normalise_host(host)
    if "." not in host or is_ip_address(host):
        return host
    parts = _suffix_extractor()(host)
    if parts.suffix:
        return f"{parts.domain}.{parts.suffix}" if parts.domain else host
    return ".".join(host.rsplit(".", 2)[-2:])


def _is_public_suffix(domain: str) -> bool:
    parts = _suffix_extractor()(domain)
    return bool(parts.suffix) and not parts.domain


def normalise_domain(text: str) -> str:
    """A domain as users write it in a catalogue or app file: ``*.umeng.com`` and
    ``.umeng.com`` mean the same as ``umeng.com`` (subdomains always match)."""
    text = text.strip()
    if text.startswith("*."):
        text = text[2:]
    return normalise_host(text.lstrip("."))


def domain_problem(domain: str) -> str | None:
    """Why ``domain`` (canonical form) cannot name a party's hosts, or None. A bare
    public suffix would claim every site under it, so it is refused. (The app file
    loader can check ``third_parties`` domains with this too.)"""
    if is_ip_address(domain):
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL_PATTERN.match(label) for label in labels):
        return "is not a host name (expected something like sdk.example.com)"
    if _is_public_suffix(domain):
        return "is a public suffix, which would match unrelated sites"
    return None


T = TypeVar("T")


class _DomainIndex(Generic[T]):
    """Values keyed by domain, looked up by host: the longest domain that equals the
    host or is one of its parent domains wins."""

    def __init__(self) -> None:
        self._by_domain: dict[str, T] = {}

    def add(self, domain: str, value: T) -> T | None:
        """Index ``value`` under ``domain`` unless the domain is taken; return the
        value already holding it, if any."""
        holder = self._by_domain.get(domain)
        if holder is None:
            self._by_domain[domain] = value
        return holder

    def lookup(self, host: str) -> T | None:
        labels = normalise_host(host).split(".")
        for start in range(len(labels)):
            value = self._by_domain.get(".".join(labels[start:]))
            if value is not None:
                return value
        return None


# --- the SDK catalogue -----------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Sdk:
    id: str
    name: str
    vendor: str
    category: str
    domains: tuple[str, ...]
    source: str


class SdkCatalogue:
    """The known SDKs and the endpoint domains that identify them."""

    def __init__(self, sdks: Iterable[Sdk]):
        self._sdks: dict[str, Sdk] = {}
        self._index: _DomainIndex[Sdk] = _DomainIndex()
        problems = []
        for sdk in sdks:
            if sdk.id in self._sdks:
                problems.append(f"SDK id {sdk.id!r} is declared twice")
                continue
            self._sdks[sdk.id] = sdk
            for domain in sdk.domains:
                holder = self._index.add(domain, sdk)
                if holder is not None and holder is not sdk:
                    problems.append(
                        f"domain {domain!r} is listed by both {holder.id!r} and {sdk.id!r}")
        if problems:
            raise ConfigError(problems)

    @classmethod
    def load(cls, extra: Iterable[dict] = ()) -> "SdkCatalogue":
        """The bundled catalogue plus ``extra`` entries of the same shape (``source``
        optional). An extra entry whose id is a bundled one replaces it, so users can
        correct or narrow an entry; a domain claimed by two different SDKs is an
        error. Bad entries raise :class:`ConfigError` listing every problem."""
        document = YamlDocument(path="extra SDK entries", data=list(extra))
        added = parse_sdk_entries(document, document.data, ())
        document.raise_problems()
        replaced = {sdk.id for sdk in added}
        return cls([*(sdk for sdk in _bundled_sdks() if sdk.id not in replaced), *added])

    def match(self, host: str) -> Sdk | None:
        """The SDK whose most specific domain covers ``host``, or None."""
        return self._index.lookup(host)

    def __iter__(self) -> Iterator[Sdk]:
        return iter(self._sdks.values())

    def __len__(self) -> int:
        return len(self._sdks)


@functools.cache
def _bundled_sdks() -> tuple[Sdk, ...]:
    # Read at the start of every scan and in every worker process: parsed with libyaml
    # where present (several times faster on ~400 entries). The line numbers load_yaml
    # would add only help with a broken file, and the bundled one is checked by the tests.
    try:
        data = yaml.load(CATALOGUE_PATH.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        data = None
    document = YamlDocument(path=str(CATALOGUE_PATH), data=data) if data is not None else load_yaml(CATALOGUE_PATH)
    sdks = parse_sdk_entries(document, document.data, (), require_source=True)
    document.raise_problems()
    return tuple(sdks)


def parse_sdk_entries(document: YamlDocument, entries, key_path: tuple, *,
                      require_source: bool = False) -> list[Sdk]:
    """Validate catalogue entries found at ``key_path`` of ``document``, recording each
    problem there (with its line, for files) rather than raising, so that a loader
    such as the app file's (``sdks:``) reports them with its own."""
    if not document.expect(entries, list, key_path, "a list of SDK entries"):
        return []
    sdks = []
    for i, entry in enumerate(entries):
        sdk = _parse_entry(document, key_path + (i,), entry, require_source=require_source)
        if sdk is not None:
            sdks.append(sdk)
    return sdks


def _parse_entry(document: YamlDocument, key_path: tuple, entry, *,
                 require_source: bool) -> Sdk | None:
    if not document.expect(entry, dict, key_path, "an SDK entry (a mapping)"):
        return None
    before = len(document.problems)
    document.unknown_keys(entry, key_path, _SDK_KEYS)
    required = _SDK_KEYS if require_source else [k for k in _SDK_KEYS if k != "source"]
    for key in required:
        if key not in entry:
            document.problem(key_path, f"missing key {key!r}")
    texts = {"source": ""}
    for key in ("id", "name", "vendor", "category", "source"):
        if key in entry and document.expect(entry[key], str, key_path + (key,), "a string"):
            texts[key] = entry[key].strip()
            if not texts[key]:
                document.problem(key_path + (key,), "must not be empty")
    if texts.get("id") and not _ID_PATTERN.match(texts["id"]):
        document.problem(key_path + ("id",), "expected a slug such as 'tencent-bugly'")
    if texts.get("category") and texts["category"] not in CATEGORIES:
        document.problem(key_path + ("category",), f"expected one of {', '.join(CATEGORIES)}")
    domains = []
    if "domains" in entry:
        listed = document.string_list(entry["domains"], key_path + ("domains",),
                                      "a list of domains")
        for j, text in enumerate(listed):
            domain = normalise_domain(text)
            problem = domain_problem(domain)
            if problem:
                document.problem(key_path + ("domains", j), f"{text!r} {problem}")
            elif domain not in domains:
                domains.append(domain)
        if not listed and len(document.problems) == before:
            document.problem(key_path + ("domains",), "expected at least one domain")
    if len(document.problems) > before:
        return None
    return Sdk(id=texts["id"], name=texts["name"], vendor=texts["vendor"],
               category=texts["category"], domains=tuple(domains), source=texts["source"])


# --- party classification --------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DeclaredParty:
    """A third party the app file declares (``third_parties``): its domains and the data
    types it may receive."""

    name: str
    domains: tuple[str, ...]
    data: frozenset[str] = frozenset()
    purpose: str = ""


@dataclass(frozen=True, kw_only=True)
class Party:
    kind: str  # "first_party", "declared", "sdk" or "unknown"
    name: str  # the declared party's name, the SDK's name, else the registrable domain
    registrable_domain: str
    sdk: Sdk | None = None  # the known SDK, for declared parties too
    declared_data: frozenset[str] | None = None  # data types declared for this party


class PartyClassifier:
    """Classifies hosts against one app description.

    First party wins over everything (an app may own a domain that looks like an SDK's);
    then a declared third party (equal or subdomain, the most specific declaration
    wins); then a catalogue SDK; anything else is an unknown third party."""

    def __init__(self, *, first_party: Iterable[str], third_parties: Iterable[DeclaredParty],
                 catalogue: SdkCatalogue):
        self._catalogue = catalogue
        self._first_party: set[str] = set()
        for domain in first_party:
            self.add_first_party(domain)
        self._declared: _DomainIndex[DeclaredParty] = _DomainIndex()
        for party in third_parties:
            for domain in party.domains:
                # When two declarations name the same domain, the first one keeps it;
                # rejecting such an app file is the app file loader's job.
                self._declared.add(normalise_domain(domain), party)

    def add_first_party(self, domain: str) -> None:
        """Treat ``domain``'s registrable domain as the app's own (for example the site
        of the top-level HTML documents, when the app file names no first party)."""
        registrable = registrable_domain(normalise_domain(domain))
        if registrable:
            self._first_party.add(registrable)

    def classify(self, host: str) -> Party:
        registrable = registrable_domain(host)
        if registrable in self._first_party:
            return Party(kind="first_party", name=registrable, registrable_domain=registrable)
        sdk = self._catalogue.match(host)
        declared = self._declared.lookup(host)
        if declared is not None:
            return Party(kind="declared", name=declared.name, registrable_domain=registrable,
                         sdk=sdk, declared_data=frozenset(declared.data or ()))
        if sdk is not None:
            return Party(kind="sdk", name=sdk.name, registrable_domain=registrable, sdk=sdk)
        return Party(kind="unknown", name=registrable, registrable_domain=registrable)
