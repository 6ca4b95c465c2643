"""The findings model: severities, locations, evidence, findings and per-check status.

Everything here is a keyword-only dataclass so that no caller can put a value in the
wrong slot. Values found in captures are kept raw here; masking happens once, when the
report document is built (see ``scanner.report_document``).
"""
from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from appaudit.scanner import datatypes


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of {', '.join(cls.names())})"
            ) from None

    @classmethod
    def names(cls) -> list[str]:
        return [s.label for s in cls]

    @property
    def label(self) -> str:
        return self.name.lower()


# The contract's data types (evidence.data_type), as scanner.datatypes declares them;
# a type another module registers later is in the registry, not here.
DATA_TYPES = tuple(data_type.name for data_type in datatypes.registered())

# How the data types read in titles and messages.
DATA_TYPE_LABELS = {data_type.name: data_type.label for data_type in datatypes.registered()}


def data_label(data_type: str, *, article: bool = False, start: bool = False) -> str:
    """How a data type reads in a sentence: its label, with its indefinite article if
    ``article``, its first letter upper case if ``start`` (acronyms keep their case:
    "IMEI", never "Imei")."""
    declared = datatypes.get(data_type)
    text = declared.label if declared else data_type
    if article:
        text = f"{declared.article if declared else 'a'} {text}"
    return text[:1].upper() + text[1:] if start else text


@dataclass(frozen=True, kw_only=True)
class Location:
    """Where a finding is. Traffic findings fill flow/method/url/part/field; page
    findings fill url/selector/line/snippet (and flow when the page came from a flow)."""

    input: str
    flow: int | None = None
    method: str | None = None
    url: str | None = None
    part: str | None = None
    field: str | None = None
    timestamp: float | None = None
    selector: str | None = None
    line: int | None = None
    snippet: str | None = None
    page_url: str | None = None  # a saved page's own URL, where known
    # What a page element is (its id, role, accessible name or text), so a finding's
    # fingerprint survives the page changing around it; not part of the report.
    anchor: str | None = None


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """What was seen. ``value`` is raw and is masked in reports unless --reveal;
    ``details`` holds further facts a check wants to show (all strings are escaped by
    the report writers, and masked like everything else)."""

    data_type: str | None = None
    value: str | None = None
    canary: str | None = None
    encoding: tuple[str, ...] = ()
    details: dict = field(default_factory=dict)


# Flow indexes an occurrence list keeps; beyond it only the count and the times grow,
# so a behaviour repeated in every flow of a huge capture costs bounded memory.
MAX_OCCURRENCE_FLOWS = 1000


@dataclass(kw_only=True)
class Occurrences:
    """Where a finding's behaviour happened in its input: how many flows (exact), which
    (the first MAX_OCCURRENCE_FLOWS) and when (the earliest and latest flow times)."""

    count: int = 0
    flows: list[int] = field(default_factory=list)
    first: float | None = None
    last: float | None = None
    _last_flow: int | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, location: Location) -> None:
        if self.count and self._last_flow == location.flow:
            return  # one flow is one occurrence, however many fields show it
        self._last_flow = location.flow
        self.count += 1
        if len(self.flows) < MAX_OCCURRENCE_FLOWS:
            self.flows.append(location.flow)
        if location.timestamp is not None:
            self.first = location.timestamp if self.first is None else min(self.first, location.timestamp)
            self.last = location.timestamp if self.last is None else max(self.last, location.timestamp)


@dataclass(kw_only=True)
class Finding:
    check: str
    name: str
    severity: Severity
    title: str
    message: str
    regulations: tuple[str, ...]
    location: Location
    evidence: Evidence = field(default_factory=Evidence)
    # Extra raw strings to mask in this finding's text (for example the other half of
    # a latitude/longitude pair); the evidence value is always masked.
    sensitive_values: tuple[str, ...] = ()
    # Set by the engine on findings made from flows: every flow of the input where the
    # same subject (the same fingerprint) was found again.
    occurrences: Occurrences | None = None

    @property
    def dedup_key(self) -> tuple:
        """One finding per (check, location, data type): the contract's rule."""
        loc = self.location
        return (
            self.check, loc.input, loc.flow, loc.part, loc.field, loc.url, loc.selector,
            self.evidence.data_type, self.evidence.canary,
            # Findings that are not about a value (DH010's one finding per SDK) are
            # told apart by what they name.
            str(self.evidence.details.get("subject", "")),
        )

    @property
    def fingerprint(self) -> str:
        """Stable across runs over the same inputs and across re-captures of the same
        behaviour: built from what the finding is about, never from flow order,
        timestamps, query values or the input's file name. A check names what its
        findings are about (an SDK, a host's TLS version, a host's field) in
        ``details["subject"]``, and then the subject alone stands for the location. The
        engine merges the findings of one input that share a fingerprint into one, whose
        ``occurrences`` list the flows, so repeating a behaviour never changes it."""
        loc = self.location
        subject = self.evidence.details.get("subject")
        where = [str(subject)] if subject is not None else [
            loc.method or "", _stable_url(loc.url), loc.part or "", loc.field or "", loc.anchor or loc.selector or ""]
        parts = [self.check, *where, self.evidence.data_type or "", self.evidence.canary or ""]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _stable_url(url: str | None) -> str:
    """The URL without its query and fragment: query values are volatile (cache
    busters, timestamps, session ids); the parameter that matters is already named by
    location.field."""
    if not url:
        return ""
    return url.split("#", 1)[0].split("?", 1)[0]


class Status(str, enum.Enum):
    """Outcome of one check over one input (Lighthouse-style: not only failures)."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"


@dataclass(kw_only=True)
class CheckOutcome:
    check: str
    input: str
    status: Status
    reason: str | None = None
