"""The findings model: severities, locations, evidence, findings and per-check status.

Everything here is a keyword-only dataclass so that no caller can put a value in the
wrong slot. Values found in captures are kept raw here; masking happens once, when the
report document is built (see ``scanner.report_document``).
"""
from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field


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


# The contract's data types (evidence.data_type).
DATA_TYPES = (
    "phone", "email", "id_card", "bank_card", "passport", "imei", "meid", "imsi", "iccid",
    "mac_address", "android_id", "advertising_id", "location", "password", "credential", "canary",
)

# How the data types read in titles and messages.
DATA_TYPE_LABELS = {
    "phone": "phone number", "email": "e-mail address", "id_card": "ID card number",
    "bank_card": "bank card number", "passport": "passport number", "imei": "IMEI",
    "meid": "MEID", "imsi": "IMSI", "iccid": "ICCID", "mac_address": "MAC address",
    "android_id": "Android ID", "advertising_id": "advertising ID", "location": "location",
    "password": "password", "credential": "credential", "canary": "test-account value",
}


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
        timestamps, query values or the input's file name. A check that reports once per
        subject (an SDK, a host's TLS version) names it in ``details["subject"]``, and
        then the subject alone stands for the location."""
        loc = self.location
        subject = self.evidence.details.get("subject")
        where = [str(subject)] if subject is not None else [
            loc.method or "", _stable_url(loc.url), loc.part or "", loc.field or "", loc.selector or ""]
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
