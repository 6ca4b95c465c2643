"""Masking personal values for reports.

Reports never carry an unmasked personal value unless ``--reveal`` is given. A finding's
raw values (its evidence value and any related values) are masked in the evidence and
also wherever they reappear in the finding's other text — the URL of a DH002 finding
holds the very phone number it reports.
"""
from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

from appaudit.scanner import datatypes


def mask(value: str, data_type: str | None = None) -> str:
    """A masked form that shows the value's shape, never enough of it to be useful."""
    if not value:
        return value
    declared = datatypes.get(data_type)
    if declared and declared.keep_ends is None:
        return "*" * 8
    if data_type == "email" and "@" in value:
        local, _, domain = value.rpartition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    length = len(value)
    start, end = declared.keep_ends if declared else (2, 2)
    # Short values cannot keep both ends without giving most of them away.
    if length <= start + end + 3:
        start, end = min(start, length // 4), min(end, length // 4)
    if data_type is None or (declared and not declared.structured):
        start, end = min(start, 2), 0 if length < 12 else min(end, 2)
    hidden = length - start - end
    return value[:start] + "*" * max(hidden, 3) + (value[length - end:] if end else "")


def redact(text: str | None, replacements: dict[str, str]) -> str | None:
    """Replace every raw value (and its URL-encoded forms) in ``text`` by its mask."""
    if not text or not replacements:
        return text
    variants: dict[str, str] = {}
    for raw, masked in replacements.items():
        # Two ASCII characters are everywhere; two Chinese characters are a name (张三).
        if len(raw) < 2 or (len(raw) == 2 and raw.isascii()):
            continue
        for form in {raw, quote(raw, safe=""), quote_plus(raw), quote(raw)}:
            variants.setdefault(form, masked)
    if not variants:
        return text
    pattern = re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)),
                         re.IGNORECASE)
    return pattern.sub(lambda m: variants.get(m.group(0)) or _case_insensitive(variants, m.group(0)), text)


def _case_insensitive(variants: dict[str, str], found: str) -> str:
    lowered = found.lower()
    for form, masked in variants.items():
        if form.lower() == lowered:
            return masked
    return "***"
