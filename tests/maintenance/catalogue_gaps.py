"""Which tracker domains a maintained public list names that the SDK catalogue lacks.

    .venv/bin/python tests/maintenance/catalogue_gaps.py path/to/tds.json [--owner NAME]

(with appaudit installed, as ``pip install -e .`` does).
Reads a list already downloaded by the maintainer (this script never fetches anything):
DuckDuckGo's Tracker Radar blocklist (``tds.json``: ``trackers`` by domain, each with an
``owner``) or Disconnect's ``services.json`` (``categories`` -> entity -> homepage ->
domains). Prints one registrable domain a line, with the owner the list gives, for every
domain no catalogue entry matches. Host names are facts; check each list's licence
before citing it in an entry's ``source`` (docs/sdk-catalogue.md).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from appaudit.scanner.parties import SdkCatalogue, domain_problem, normalise_domain, registrable_domain


def listed_domains(document: dict) -> Iterator[tuple[str, str]]:
    """(domain, owner) pairs of a DuckDuckGo TDS or a Disconnect services.json."""
    if isinstance(document.get("trackers"), dict):
        for domain, tracker in document["trackers"].items():
            owner = tracker.get("owner", {}) if isinstance(tracker, dict) else {}
            yield domain, (owner.get("displayName") or owner.get("name") or "") if isinstance(owner, dict) else ""
    elif isinstance(document.get("categories"), dict):
        for entities in document["categories"].values():
            for entity in entities if isinstance(entities, list) else ():
                for owner, sites in (entity.items() if isinstance(entity, dict) else ()):
                    for domains in (sites.values() if isinstance(sites, dict) else ()):
                        for domain in domains if isinstance(domains, list) else ():
                            yield domain, owner
    else:
        raise ValueError("not a DuckDuckGo tds.json (trackers) or Disconnect services.json (categories)")


def gaps(document: dict, catalogue: SdkCatalogue) -> list[tuple[str, str]]:
    """Sorted (registrable domain, owner) the list names and no catalogue entry matches."""
    missing: dict[str, str] = {}
    for text, owner in listed_domains(document):
        if not isinstance(text, str):
            continue
        domain = normalise_domain(text)
        if domain_problem(domain) or catalogue.match(domain) is not None:
            continue
        missing.setdefault(registrable_domain(domain), owner)
    return sorted(missing.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("list", help="a downloaded tds.json or services.json")
    parser.add_argument("--owner", help="only domains of owners whose name contains this (case-insensitive)")
    args = parser.parse_args(argv)
    try:
        document = json.loads(Path(args.list).read_text(encoding="utf-8"))
        found = gaps(document, SdkCatalogue.load())
    except (OSError, ValueError, AttributeError) as e:
        print(f"{args.list}: {e}", file=sys.stderr)
        return 2
    for domain, owner in found:
        if not args.owner or args.owner.lower() in owner.lower():
            print(f"{domain}\t{owner}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
