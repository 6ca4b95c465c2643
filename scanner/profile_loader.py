"""Profiles: which checks run, at which severity, citing which clauses, with which settings.

A profile is YAML (built-in ones live in the ``profiles`` package; docs/profiles.md
describes them)::

    name: miit-2021
    description: What the profile enforces.
    extends: default          # a built-in profile, or a file beside this one
    include: all              # "all" or a list of check ids
    exclude: [UI009]          # ids switched off
    severity: {DH010: low}    # per-check severity overrides
    settings: {UI009: {target: all}, UI003: {min_target_dp: 44}}   # the options checks declare
    references:               # the clauses each finding of a check cites
      DH001:
        - {instrument: "PIPL", article: "Art. 51 (3)", title: "encryption"}
    sources:                  # where each instrument's text was read, one entry per instrument
      - {instrument: "PIPL", text: "..."}
    sdks: []                  # extra SDK catalogue entries
    brands: []                # protected brands, as in the app file

A check the profile gives no ``references`` for keeps those of the profile it extends,
and in the end the clauses the check itself declares; an empty list means the profile
cites nothing for it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from appaudit.scanner.check import all_checks
from appaudit.scanner.model import Finding, Severity
from appaudit.scanner.yamlfile import ConfigError, YamlDocument, load_yaml

PROFILE_KEYS = ["name", "description", "extends", "include", "exclude", "severity", "settings", "references",
                "sources", "sdks", "brands"]
REFERENCE_KEYS = ["instrument", "article", "title"]
SOURCE_KEYS = ["instrument", "text"]


@dataclass(frozen=True, kw_only=True)
class Reference:
    """One clause a finding cites: the instrument, the article or item ("" when only the
    instrument is cited) and a short title saying what the clause requires."""

    instrument: str
    article: str = ""
    title: str = ""

    def __str__(self) -> str:
        cited = f"{self.instrument} {self.article}".strip()
        return f"{cited} ({self.title})" if self.title else cited


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where an instrument's text was read, so an auditor can check the citations."""

    instrument: str
    text: str


@dataclass(kw_only=True)
class Profile:
    name: str
    description: str = ""
    extends: str | None = None
    enabled: tuple[str, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)
    settings: dict[str, dict] = field(default_factory=dict)
    references: dict[str, tuple[Reference, ...]] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    sdks: list[dict] = field(default_factory=list)
    brands: list[dict] = field(default_factory=list)

    def severity_override(self, check_id: str) -> Severity | None:
        return self.severities.get(check_id)

    def setting(self, check_id: str, key: str, default=None):
        return self.settings.get(check_id, {}).get(key, default)

    def regulations(self, check_id: str) -> tuple[str, ...]:
        """The clauses a finding of ``check_id`` cites under this profile."""
        if check_id in self.references:
            return tuple(map(str, self.references[check_id]))
        return all_checks()[check_id].regulations

    def apply(self, finding: Finding) -> None:
        """Give a check's finding this profile's severity and clauses; the engine calls
        this once for every finding it collects."""
        override = self.severity_override(finding.check)
        if override is not None:
            finding.severity = override
        finding.regulations = self.regulations(finding.check)

    @classmethod
    def default(cls) -> "Profile":
        return load_profile("default")


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("appaudit.profiles").iterdir() if p.name.endswith(".yaml"))


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or a YAML file by path. Raises ConfigError with every
    problem found, each naming the file, key and line."""
    if name_or_path in builtin_names():
        return _load_builtin(name_or_path, ())
    if Path(name_or_path).is_file():
        return _load_file(Path(name_or_path), ())
    close = difflib.get_close_matches(name_or_path, builtin_names(), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ConfigError([f"{name_or_path}: no such profile file or built-in profile "
                       f"(built-in: {', '.join(builtin_names())}){hint}"])


# A profile is known in an ``extends`` chain by "builtin:NAME" or its resolved path, so
# that a cycle is caught however it is spelt.
def _load_builtin(name: str, chain: tuple[str, ...]) -> Profile:
    resource = resources.files("appaudit.profiles") / f"{name}.yaml"
    document = load_yaml(f"profiles/{name}.yaml", resource.read_text(encoding="utf-8"))
    return profile_from_document(document, chain=chain + (f"builtin:{name}",))


def _load_file(path: Path, chain: tuple[str, ...]) -> Profile:
    return profile_from_document(load_yaml(path), chain=chain + (str(path.resolve()),), folder=path.parent)


def profile_from_document(document: YamlDocument, *, chain: tuple[str, ...] = (),
                          folder: Path | None = None) -> Profile:
    data = document.data
    if not isinstance(data, dict):
        document.problem((), "a profile must be a mapping of keys (name, include, exclude, severity, ...)")
        document.raise_problems()
    document.unknown_keys(data, (), PROFILE_KEYS)
    known = list(all_checks())

    base = Profile(name="", enabled=tuple(known))
    if "extends" in data and document.expect(data["extends"], str, ("extends",), "a profile name or file"):
        base = _base_profile(document, data["extends"], chain, folder) or base

    def check_id_known(check_id, key_path) -> bool:
        if check_id in known:
            return True
        close = _check_id_like(str(check_id), known)
        document.problem(key_path, f"unknown check id {check_id!r}" + (f" (did you mean {close}?)" if close else ""))
        return False

    def check_ids(value, key_path) -> list[str]:
        ids = document.string_list(value, key_path, "a list of check ids")
        return [c for i, c in enumerate(ids) if check_id_known(c, key_path + (i,))]

    def per_check(key: str, what: str) -> dict:
        """The entries of a mapping keyed by check id, the unknown ids left out."""
        if key not in data or not document.expect(data[key], dict, (key,), f"a mapping of check id to {what}"):
            return {}
        return {c: v for c, v in data[key].items() if check_id_known(c, (key, c))}

    enabled = list(base.enabled)
    if "include" in data:
        include = data["include"]
        enabled = known if include == "all" else check_ids(include, ("include",))
    if "exclude" in data:
        excluded = set(check_ids(data["exclude"], ("exclude",)))
        enabled = [c for c in enabled if c not in excluded]

    enabled = [c for c in known if c in enabled]  # catalogue order, each once
    severities = dict(base.severities)
    for check_id, text in per_check("severity", "severity").items():
        try:
            severities[check_id] = Severity.parse(str(text))
        except ValueError as e:
            document.problem(("severity", check_id), str(e))

    settings = {k: dict(v) for k, v in base.settings.items()}
    for check_id, value in per_check("settings", "settings").items():
        if document.expect(value, dict, ("settings", check_id), "a mapping of setting to value"):
            settings.setdefault(check_id, {}).update(_check_settings(document, check_id, value))

    references = dict(base.references)
    for check_id, value in per_check("references", "a list of references").items():
        key_path = ("references", check_id)
        if check_id not in enabled:
            document.problem(key_path, f"{check_id} is not enabled in this profile: its references would never be cited")
        elif document.expect(value, list, key_path, "a list of references (instrument, article, title)"):
            references[check_id] = tuple(r for i, entry in enumerate(value)
                                         if (r := _reference(document, entry, key_path + (i,))) is not None)

    sources = base.sources
    if "sources" in data:
        sources = _sources(document, data["sources"], base.sources)

    sdks = list(base.sdks)
    if "sdks" in data:
        from appaudit.scanner.parties import parse_sdk_entries

        if parse_sdk_entries(document, data["sdks"], ("sdks",)):
            sdks.extend(data["sdks"])
    brands = list(base.brands)
    if "brands" in data:
        from appaudit.scanner.appfile import validate_brands

        brands.extend(validate_brands(document, data["brands"], ("brands",)))

    name = data.get("name", Path(document.path).stem)
    if not isinstance(name, str):
        document.problem(("name",), "expected a string")
    description = data.get("description", "")
    if not isinstance(description, str):
        document.problem(("description",), "expected a string")
    document.raise_problems()
    return Profile(name=str(name), description=str(description).strip(), extends=data.get("extends"),
                   enabled=tuple(enabled), severities=severities, settings=settings, references=references,
                   sources=sources, sdks=sdks, brands=brands)


def _base_profile(document: YamlDocument, target: str, chain: tuple[str, ...], folder: Path | None) -> Profile | None:
    """The profile ``extends`` names: a built-in one, or (for a profile file) a file in
    the same folder or below it — never one elsewhere on the disk."""
    if target in builtin_names():
        identity, load = f"builtin:{target}", lambda: _load_builtin(target, chain)
    elif folder is not None and (folder / target).is_file() and (folder / target).resolve().is_relative_to(folder.resolve()):
        path = folder / target
        identity, load = str(path.resolve()), lambda: _load_file(path, chain)
    else:
        where = "a built-in profile" + (" or a file in this profile's folder" if folder is not None else "")
        close = difflib.get_close_matches(target, builtin_names(), n=1)
        document.problem(("extends",), f"{target!r} is not {where}"
                         + (f" (did you mean {close[0]!r}?)" if close else f" (built-in: {', '.join(builtin_names())})"))
        return None
    if identity in chain:
        names = [c.removeprefix("builtin:") for c in chain[chain.index(identity):]] + [target]
        document.problem(("extends",), "extends itself: " + " → ".join(names))
        return None
    try:
        return load()
    except ConfigError as e:
        document.problems.extend(e.problems)
        return None


def _check_id_like(text: str, known: list[str]) -> str | None:
    """The check id a mistyped one most likely means: "dh1" and "DH01" are DH001."""
    letters, digits = text[:2].upper(), text[2:].strip()
    if digits.isdigit() and f"{letters}{int(digits):03d}" in known:
        return f"{letters}{int(digits):03d}"
    close = difflib.get_close_matches(text.upper(), known, n=1)
    return close[0] if close else None


def _reference(document: YamlDocument, entry, key_path: tuple) -> Reference | None:
    if not document.expect(entry, dict, key_path, "a mapping with instrument, article and title"):
        return None
    document.unknown_keys(entry, key_path, REFERENCE_KEYS)
    if not isinstance(entry.get("instrument"), str) or not entry["instrument"].strip():
        document.problem(key_path + ("instrument",), "expected the instrument's name (a non-empty string)")
        return None
    for key in ("article", "title"):
        if key in entry and not document.expect(entry[key], str, key_path + (key,), "a string"):
            return None
    return Reference(instrument=entry["instrument"].strip(), article=entry.get("article", "").strip(),
                     title=entry.get("title", "").strip())


def _sources(document: YamlDocument, value, inherited: tuple[Source, ...]) -> tuple[Source, ...]:
    """The profile's source notes, replacing inherited ones for the same instrument."""
    if not document.expect(value, list, ("sources",), "a list of sources (instrument, text)"):
        return inherited
    found: dict[str, Source] = {s.instrument: s for s in inherited}
    own: set[str] = set()
    for i, entry in enumerate(value):
        key_path = ("sources", i)
        if not document.expect(entry, dict, key_path, "a mapping with instrument and text"):
            continue
        document.unknown_keys(entry, key_path, SOURCE_KEYS)
        if not all(isinstance(entry.get(k), str) and entry[k].strip() for k in SOURCE_KEYS):
            document.problem(key_path, "expected a non-empty instrument and text")
        elif entry["instrument"] in own:
            document.problem(key_path + ("instrument",), f"{entry['instrument']!r} has a source note already")
        else:
            own.add(entry["instrument"])
            found[entry["instrument"]] = Source(instrument=entry["instrument"].strip(), text=" ".join(entry["text"].split()))
    return tuple(found.values())


def _check_settings(document: YamlDocument, check_id: str, values: dict) -> dict:
    """A check's settings, validated against the options the check declares."""
    options = all_checks()[check_id].options
    valid = {}
    for key, value in values.items():
        key_path = ("settings", check_id, key)
        if key not in options:
            close = difflib.get_close_matches(str(key), list(options), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"its settings: {', '.join(options) or 'none'}"
            document.problem(key_path, f"unknown setting for {check_id} ({hint})")
        elif value not in options[key].allowed:
            document.problem(key_path, f"{value!r} is not {options[key].describe()}")
        else:
            valid[key] = value
    return valid


__all__ = ["Profile", "Reference", "Source", "ConfigError", "load_profile", "builtin_names"]
