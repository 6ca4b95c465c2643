"""The app description (``--app FILE``): what the app's privacy disclosure says.

Findings are judged against it: which domains are the app's own, which third parties it
declares and with which data, when the user consented, the test account's canary values,
and the brands it owns. Unknown keys and wrong types are rejected with the key and line.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import datetime

from appaudit.scanner.model import DATA_TYPES
from appaudit.scanner.parties import DeclaredParty, domain_problem, normalise_domain, parse_sdk_entries
from appaudit.scanner.yamlfile import YamlDocument, load_yaml

APP_KEYS = ["name", "first_party", "third_parties", "consent", "canaries", "brands", "sdks"]
PARTY_KEYS = ["name", "domains", "data", "purpose"]
BRAND_KEYS = ["name", "domains", "aliases", "products"]


@dataclass(frozen=True, kw_only=True)
class Brand:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    products: tuple[str, ...] = ()  # product names a page may present instead ("Gmail", "Outlook")


@dataclass(frozen=True, kw_only=True)
class Consent:
    url: str | None = None
    time: float | None = None

    def given_by(self, url: str) -> bool:
        return self.url is not None and fnmatch.fnmatchcase(url, self.url)


@dataclass(frozen=True, kw_only=True)
class AppDescription:
    path: str
    name: str = ""
    first_party: tuple[str, ...] = ()
    third_parties: tuple[DeclaredParty, ...] = ()
    consent: Consent | None = None
    canaries: dict[str, str] = field(default_factory=dict)
    brands: tuple[Brand, ...] = ()
    sdks: tuple[dict, ...] = ()


def load_app(path: str) -> AppDescription:
    """Load and validate an app file; raises ConfigError listing every problem."""
    return app_from_document(load_yaml(path))


def app_from_document(document: YamlDocument) -> AppDescription:
    data = document.data
    if not isinstance(data, dict):
        document.problem((), "an app file must be a mapping (name, first_party, third_parties, ...)")
        document.raise_problems()
    document.unknown_keys(data, (), APP_KEYS)

    name = data.get("name", "")
    if "name" in data:
        document.expect(name, str, ("name",), "a string")
    first_party = domain_list(document, data["first_party"], ("first_party",)) if "first_party" in data else ()

    parties = []
    if "third_parties" in data and document.expect(data["third_parties"], list, ("third_parties",), "a list of parties"):
        for i, entry in enumerate(data["third_parties"]):
            key_path = ("third_parties", i)
            if not document.expect(entry, dict, key_path, "a mapping with name, domains, data"):
                continue
            document.unknown_keys(entry, key_path, PARTY_KEYS)
            for required in ("name", "domains"):
                if required not in entry:
                    document.problem(key_path, f"missing key {required!r}")
            data_types = document.string_list(entry.get("data", []), key_path + ("data",), "a list of data types")
            for j, data_type in enumerate(data_types):
                if data_type not in DATA_TYPES:
                    document.problem(key_path + ("data", j), f"unknown data type {data_type!r} (known: {', '.join(DATA_TYPES)})")
            parties.append(DeclaredParty(
                name=str(entry.get("name", "")),
                domains=domain_list(document, entry.get("domains", []), key_path + ("domains",)),
                data=frozenset(data_types),
                purpose=str(entry.get("purpose", "")),
            ))

    consent = None
    if "consent" in data and document.expect(data["consent"], dict, ("consent",), "a mapping with url or time"):
        raw = data["consent"]
        document.unknown_keys(raw, ("consent",), ["url", "time"])
        url = raw.get("url")
        if url is not None:
            document.expect(url, str, ("consent", "url"), "a URL glob")
        moment = None
        if "time" in raw:
            moment = _timestamp(raw["time"])
            if moment is None:
                document.problem(("consent", "time"),
                                 "expected an ISO 8601 time with a UTC offset, such as 2026-11-22T10:00:00+08:00")
        if url is None and "time" not in raw:
            document.problem(("consent",), "give either url or time")
        consent = Consent(url=url if isinstance(url, str) else None, time=moment)

    canaries = {}
    if "canaries" in data and document.expect(data["canaries"], dict, ("canaries",), "a mapping of name to value"):
        for key, value in data["canaries"].items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                document.problem(("canaries", key), "expected a non-empty string value")
            else:
                canaries[str(key)] = value.strip()

    brands = validate_brands(document, data["brands"], ("brands",)) if "brands" in data else []
    if "sdks" in data:
        parse_sdk_entries(document, data["sdks"], ("sdks",))
    document.raise_problems()
    return AppDescription(
        path=document.path, name=name if isinstance(name, str) else "",
        first_party=first_party, third_parties=tuple(parties),
        consent=consent, canaries=canaries,
        brands=tuple(Brand(**b) for b in brands), sdks=tuple(data.get("sdks", ())),
    )


def domain_list(document: YamlDocument, value, key_path: tuple) -> tuple[str, ...]:
    """A list of domains, each checked: a bare public suffix (``com.cn``) would claim
    every site under it."""
    domains = []
    for i, text in enumerate(document.string_list(value, key_path, "a list of domains")):
        domain = normalise_domain(text)
        problem = domain_problem(domain)
        if problem:
            document.problem(key_path + (i,), f"{text!r} {problem}")
        else:
            domains.append(domain)
    return tuple(domains)


def validate_brands(document: YamlDocument, value, key_path: tuple) -> list[dict]:
    """Brands as the app file and profiles both declare them: name, domains, aliases."""
    brands = []
    if not document.expect(value, list, key_path, "a list of brands"):
        return brands
    for i, entry in enumerate(value):
        entry_path = key_path + (i,)
        if not document.expect(entry, dict, entry_path, "a mapping with name and domains"):
            continue
        document.unknown_keys(entry, entry_path, BRAND_KEYS)
        if not isinstance(entry.get("name"), str) or not entry.get("name", "").strip():
            document.problem(entry_path + ("name",), "expected the brand's name")
            continue
        brands.append({
            "name": entry["name"].strip(),
            "domains": domain_list(document, entry.get("domains", []), entry_path + ("domains",)),
            "aliases": tuple(document.string_list(entry.get("aliases", []), entry_path + ("aliases",))),
            "products": tuple(document.string_list(entry.get("products", []), entry_path + ("products",))),
        })
    return brands


def _timestamp(value) -> float | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp()
