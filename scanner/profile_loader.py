"""Profiles: which checks run, at which severity, with which settings.

A profile is YAML (built-in ones live in the ``profiles`` package)::

    name: default
    description: Every check at its default severity.
    extends: default          # optional: start from another built-in profile
    include: all              # "all" or a list of check ids
    exclude: [UI009]          # ids switched off
    severity: {DH010: low}    # per-check severity overrides
    settings: {UI009: {target: all}}   # check-specific settings
    sdks: []                  # extra SDK catalogue entries
    brands: []                # protected brands, as in the app file
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from appaudit.scanner.check import all_checks
from appaudit.scanner.model import Severity
from appaudit.scanner.yamlfile import ConfigError, YamlDocument, load_yaml

PROFILE_KEYS = ["name", "description", "extends", "include", "exclude", "severity", "settings", "sdks", "brands"]


@dataclass(kw_only=True)
class Profile:
    name: str
    description: str = ""
    enabled: tuple[str, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)
    settings: dict[str, dict] = field(default_factory=dict)
    sdks: list[dict] = field(default_factory=list)
    brands: list[dict] = field(default_factory=list)

    def severity_override(self, check_id: str) -> Severity | None:
        return self.severities.get(check_id)

    def setting(self, check_id: str, key: str, default=None):
        return self.settings.get(check_id, {}).get(key, default)

    @classmethod
    def default(cls) -> "Profile":
        return load_profile("default")


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("appaudit.profiles").iterdir() if p.name.endswith(".yaml"))


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or a YAML file by path. Raises ConfigError with every
    problem found, each naming the file, key and line."""
    if name_or_path in builtin_names():
        resource = resources.files("appaudit.profiles") / f"{name_or_path}.yaml"
        document = load_yaml(f"profiles/{name_or_path}.yaml", resource.read_text(encoding="utf-8"))
    elif Path(name_or_path).is_file():
        document = load_yaml(name_or_path)
    else:
        close = difflib.get_close_matches(name_or_path, builtin_names(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError([f"{name_or_path}: no such profile file or built-in profile "
                           f"(built-in: {', '.join(builtin_names())}){hint}"])
    return profile_from_document(document)


def profile_from_document(document: YamlDocument) -> Profile:
    data = document.data
    if not isinstance(data, dict):
        document.problem((), "a profile must be a mapping of keys (name, include, exclude, severity, ...)")
        document.raise_problems()
    document.unknown_keys(data, (), PROFILE_KEYS)
    known = list(all_checks())

    base = Profile(name="", enabled=tuple(known))
    if "extends" in data:
        if document.expect(data["extends"], str, ("extends",), "a built-in profile name"):
            if data["extends"] in builtin_names():
                base = load_profile(data["extends"])
            else:
                document.problem(("extends",), f"no built-in profile {data['extends']!r}")

    def check_ids(value, key_path) -> list[str]:
        ids = document.string_list(value, key_path, "a list of check ids")
        for i, check_id in enumerate(ids):
            if check_id not in known:
                close = difflib.get_close_matches(check_id.upper(), known, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                document.problem(key_path + (i,), f"unknown check id {check_id!r}{hint}")
        return [c for c in ids if c in known]

    enabled = list(base.enabled)
    if "include" in data:
        include = data["include"]
        enabled = known if include == "all" else check_ids(include, ("include",))
    if "exclude" in data:
        excluded = set(check_ids(data["exclude"], ("exclude",)))
        enabled = [c for c in enabled if c not in excluded]

    severities = dict(base.severities)
    if "severity" in data and document.expect(data["severity"], dict, ("severity",), "a mapping of check id to severity"):
        for check_id, text in data["severity"].items():
            key_path = ("severity", check_id)
            if check_id not in known:
                close = difflib.get_close_matches(str(check_id).upper(), known, n=1)
                document.problem(key_path, f"unknown check id {check_id!r}" + (f" (did you mean {close[0]}?)" if close else ""))
                continue
            try:
                severities[check_id] = Severity.parse(str(text))
            except ValueError as e:
                document.problem(key_path, str(e))

    settings = {k: dict(v) for k, v in base.settings.items()}
    if "settings" in data and document.expect(data["settings"], dict, ("settings",), "a mapping of check id to settings"):
        for check_id, value in data["settings"].items():
            if check_id not in known:
                document.problem(("settings", check_id), f"unknown check id {check_id!r}")
            elif document.expect(value, dict, ("settings", check_id), "a mapping"):
                settings.setdefault(check_id, {}).update(_check_settings(document, check_id, value))

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
    return Profile(name=str(name), description=str(description), enabled=tuple(enabled),
                   severities=severities, settings=settings, sdks=sdks, brands=brands)


def _check_settings(document: YamlDocument, check_id: str, values: dict) -> dict:
    """A check's settings, validated against the options the check declares."""
    options = all_checks()[check_id].options
    valid = {}
    for key, value in values.items():
        key_path = ("settings", check_id, key)
        if key not in options:
            known = ", ".join(options) or "none"
            document.problem(key_path, f"unknown setting for {check_id} (its settings: {known})")
        elif value not in options[key]:
            document.problem(key_path, f"{value!r} is not one of {', '.join(map(str, options[key]))}")
        else:
            valid[key] = value
    return valid


__all__ = ["Profile", "ConfigError", "load_profile", "builtin_names"]
