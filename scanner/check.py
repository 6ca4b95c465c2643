"""The check base class and the registry that finds every check: appaudit's own in
``checks/``, other packages' through the ``appaudit.checks`` entry-point group, and a
team's own folder through ``--checks-dir``.

A check is one module in ``checks/`` holding one subclass of :class:`TrafficCheck`
or :class:`PageCheck`. Its class attributes are its declaration (id, name, default
severity, regulation references, one-line description; the docstring is the long
description); the catalogue, ``appaudit checks``, profile validation and the reports
all read that declaration, so nothing is listed twice.

A check object lives for one input (one capture file, one page file, or one live proxy
session), so it may keep state across the records of that input — DH009 remembers
whether consent was given, DH010 counts flows per SDK — while the engine streams the
records through it once.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, ClassVar

from appaudit.scanner.model import Evidence, Finding, Location, Severity
from appaudit.scanner.plugins import plugin_modules

if TYPE_CHECKING:
    from appaudit.scanner.appfile import AppDescription
    from appaudit.scanner.detectors import DataHit
    from appaudit.scanner.flowview import FlowView
    from appaudit.scanner.page import Page
    from appaudit.scanner.profile_loader import Profile
    from appaudit.scanner.sharing import SessionSharing

_ID_PATTERN = re.compile(r"^(DH|UI)\d{3}$")


# The reason checks give when a page's own URL is needed and cannot be known.
ORIGIN_UNKNOWN = ("the page's origin is unknown (no saved-from comment, canonical link or og:url); "
                  "give it with --base-url")


class NotApplicable(Exception):
    """Raised by a check's constructor when it cannot judge this input (DH009 without a
    consent moment in the app file), or by a ``check_flow``/``check_html``/``check_screen``
    call when it cannot judge one record (UI010 on a page whose origin is unknown); the
    reason goes into the report's per-check status."""


@dataclass(frozen=True, kw_only=True)
class ScanContext:
    """What a check may know besides the records: the input's name, the app
    description (or None), the active profile, and the input's party and consent
    tracking (``scanner.sharing``)."""

    input: str
    app: "AppDescription | None"
    profile: "Profile"
    dpi: float | None = None
    sharing: "SessionSharing | None" = None


@dataclass(frozen=True)
class Range:
    """The allowed values of a numeric setting, bounds included."""

    low: float
    high: float

    def __contains__(self, value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and self.low <= value <= self.high

    def __str__(self) -> str:
        return f"a number from {self.low:g} to {self.high:g}"


@dataclass(frozen=True)
class Option:
    """One setting a check reads: its allowed values (a tuple of choices or a Range) and
    the value it has when no profile sets it."""

    allowed: "tuple | Range"
    default: object
    help: str = ""

    def describe(self) -> str:
        return str(self.allowed) if isinstance(self.allowed, Range) else "one of " + ", ".join(map(str, self.allowed))


class Check:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    category: ClassVar[str]  # "traffic" or "ui"
    regulations: ClassVar[tuple[str, ...]]
    description: ClassVar[str]
    # Settings a profile may give the check (``settings: {ID: {name: value}}``), each
    # with its allowed values (a tuple of choices or a :class:`Range`) and its default;
    # profile loading rejects anything else.
    options: ClassVar[dict[str, "Option"]] = {}

    def __init__(self, context: ScanContext) -> None:
        self.context = context

    def option(self, key: str):
        """This check's setting ``key``: the active profile's value, or the option's default."""
        return self.context.profile.setting(self.id, key, self.options[key].default)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "id" in cls.__dict__:
            _validate_declaration(cls)

    def finish(self) -> Iterable[Finding]:
        """Called once after the input's last record; checks that summarise (DH010)
        yield their findings here."""
        return ()

    def finding(
        self,
        *,
        title: str,
        message: str,
        location: Location,
        evidence: Evidence | None = None,
        severity: Severity | None = None,
        sensitive_values: tuple[str, ...] = (),
    ) -> Finding:
        """Build a finding carrying this check's declaration. ``severity`` raises or
        lowers the default for one finding (DH001 is critical for ID cards); the engine
        then applies the active profile (its severity and its clauses for the check)."""
        return Finding(
            check=self.id,
            name=self.name,
            severity=severity or self.severity,
            title=title,
            message=message,
            regulations=self.regulations,
            location=location,
            evidence=evidence or Evidence(),
            sensitive_values=sensitive_values,
        )


class TrafficCheck(Check):
    """A check reads every flow and yields a finding wherever it sees the behaviour; it
    names what the finding is about in ``details["subject"]`` (see
    ``Finding.fingerprint``), and the engine merges a subject's findings from several
    flows into one finding with occurrences."""

    category = "traffic"

    def check_flow(self, flow: "FlowView") -> Iterable[Finding]:
        raise NotImplementedError


class PageCheck(Check):
    """A check of what a page shows. Pages are of two kinds, each with its hook, which
    the engine calls: ``check_html`` for a web page (a saved HTML file or a flow's HTML
    document) and ``check_screen`` for an app screen (a uiautomator dump). A check
    implements the kinds it can judge; on the other it is "not applicable", which the
    report records in the check's status for that input."""

    category = "ui"

    def check_html(self, page: "Page") -> Iterable[Finding]:
        raise NotApplicable("this check judges app screens, not web pages")

    def check_screen(self, page: "Page") -> Iterable[Finding]:
        raise NotApplicable("this check judges web pages, not app screens")


def judge_page(check: PageCheck, page: "Page") -> Iterable[Finding]:
    """What the engine calls: the check's hook for the page's kind."""
    return check.check_screen(page) if page.kind == "uiautomator" else check.check_html(page)


def field_subject(flow: "FlowView", hit: "DataHit") -> str:
    """The subject of a check that reports data where it travels: the same field of the
    same host (with the finding's data type, which the fingerprint adds). Like the
    contract's rule inside a flow, the value is not part of it: a location or a token
    that changes in every request is still one behaviour, and a fingerprint must not
    be made from a personal value."""
    return f"{flow.host}|{hit.part}|{hit.path}"


def _validate_declaration(cls: type[Check]) -> None:
    problems = []
    if not _ID_PATTERN.match(getattr(cls, "id", "")):
        problems.append("id must look like DH001 or UI001")
    for attr, kind in (("name", str), ("description", str), ("regulations", tuple)):
        if not isinstance(getattr(cls, attr, None), kind) or not getattr(cls, attr):
            problems.append(f"{attr} must be a non-empty {kind.__name__}")
    if not isinstance(getattr(cls, "severity", None), Severity):
        problems.append("severity must be a Severity")
    if not (cls.__doc__ or "").strip():
        problems.append("the docstring (the long description) is missing")
    if problems:
        raise TypeError(f"check {cls.__module__}.{cls.__name__}: " + "; ".join(problems))


ENTRY_POINT_GROUP = "appaudit.checks"

_registry: dict[str, type[Check]] | None = None
_checks_dirs: list[Path] = []


def all_checks() -> dict[str, type[Check]]:
    """Every check, by id, in id order: those of the packages and modules registered under
    the ``appaudit.checks`` entry-point group (appaudit's own ``appaudit.checks`` package
    among them), and those in the folders given with ``--checks-dir``."""
    global _registry
    if _registry is None:
        found: dict[str, type[Check]] = {}
        for module in plugin_modules(ENTRY_POINT_GROUP):
            _collect(module, found)
        for folder in _checks_dirs:
            for path in sorted(folder.glob("*.py")):
                _collect(_import_file(path), found)
        _registry = dict(sorted(found.items()))
    return _registry


def add_checks_dir(folder: str | Path) -> None:
    """Load the checks of a team's own folder (``--checks-dir``): every ``*.py`` in it."""
    global _registry
    path = Path(folder).resolve()
    if not path.is_dir():
        raise ValueError(f"--checks-dir {folder}: not a folder")
    if path not in _checks_dirs:
        _checks_dirs.append(path)
        _registry = None
        all_checks()  # import them now: a check that does not load is the user's error, said at once


def _import_file(path: Path) -> ModuleType:
    name = f"appaudit_local_checks.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _collect(module: ModuleType, found: dict[str, type[Check]]) -> None:
    for value in vars(module).values():
        if (isinstance(value, type) and issubclass(value, Check)
                and value.__module__ == module.__name__ and "id" in value.__dict__):
            if value.id in found:
                raise TypeError(f"check id {value.id} is declared twice")
            found[value.id] = value
