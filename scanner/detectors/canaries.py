"""Finding the test account's own values (canaries) in any encoding, in one pass.

Every encoded form of every canary is computed once, when the app file is loaded:
plain, URL-encoded, base64 (standard and URL-safe, padded or not, and the three
alignments a value can take inside a longer base64 blob), hex, MD5, SHA-1 and SHA-256.
All forms go into one trie-shaped, case-insensitive regular expression, so a field is
searched once whatever the number of canaries; a match of a case-sensitive form is then
confirmed against the exact form.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, quote_plus

# Values shorter than this (in UTF-8 bytes) would match everywhere in plain, URL,
# base64 or hex form; they are still found as digests.
MIN_CANARY_BYTES = 4
# The shortest piece of a value's base64 inside a longer blob that is still specific.
MIN_BASE64_CORE = 6
# Results for texts up to this long are remembered: short values repeat across flows.
MAX_CACHED_LENGTH = 256
CACHE_SIZE = 32_768

_EXACT, _URL, _ANY_CASE = "exact", "url", "any case"
_ESCAPE = re.compile(r"%[0-9a-f]{2}")


@dataclass(frozen=True, kw_only=True)
class CanaryMatch:
    name: str
    encoding: str | None  # None for the plain value
    value: str  # the text as found


@dataclass(frozen=True, kw_only=True)
class _Form:
    name: str
    encoding: str | None
    text: str
    case: str


class CanaryMatcher:
    """The canaries of one app file (name -> value), compiled for searching."""

    def __init__(self, canaries: dict[str, str]):
        self._forms: dict[str, list[_Form]] = {}
        for name, value in canaries.items():
            if value and value.strip():
                for form in _encoded_forms(name, value):
                    entries = self._forms.setdefault(form.text.lower(), [])
                    if form not in entries:
                        entries.append(form)
        self._pattern = re.compile(_leading_lookahead(self._forms) + _trie_pattern(self._forms),
                                   re.IGNORECASE) if self._forms else None
        self._find_short = lru_cache(maxsize=CACHE_SIZE)(self._find)

    def find(self, text: str) -> tuple[CanaryMatch, ...]:
        """Every canary form in ``text``, in order of position."""
        return self._find_short(text) if len(text) <= MAX_CACHED_LENGTH else self._find(text)

    def _find(self, text: str) -> tuple[CanaryMatch, ...]:
        if self._pattern is None:
            return ()
        return tuple(CanaryMatch(name=form.name, encoding=form.encoding, value=match.group(0))
                     for match in self._pattern.finditer(text)
                     for form in self._forms.get(match.group(0).lower(), ())
                     if _same(match.group(0), form))


def _same(found: str, form: _Form) -> bool:
    if form.case == _ANY_CASE:
        return True
    if form.case == _URL:  # %e5 and %E5 are the same escape
        return _ESCAPE.sub(lambda m: m.group(0).upper(), found) == form.text
    return found == form.text


def _encoded_forms(name: str, value: str) -> Iterator[_Form]:
    raw = value.encode("utf-8")
    for digest in ("md5", "sha1", "sha256"):
        yield _Form(name=name, encoding=digest, text=hashlib.new(digest, raw, usedforsecurity=False).hexdigest(),
                    case=_ANY_CASE)
    if len(raw) < MIN_CANARY_BYTES:
        return
    yield _Form(name=name, encoding=None, text=value, case=_EXACT)
    for encoded in (quote(value, safe=""), quote_plus(value, safe=""), quote(value)):
        if encoded != value:
            yield _Form(name=name, encoding="url", text=encoded, case=_URL)
    yield _Form(name=name, encoding="hex", text=raw.hex(), case=_ANY_CASE)
    for text in _base64_forms(raw):
        yield _Form(name=name, encoding="base64", text=text, case=_EXACT)


def _base64_forms(raw: bytes) -> Iterator[str]:
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        padded = encode(raw).decode("ascii")
        yield padded
        yield padded.rstrip("=")
        # Inside a longer blob the value starts 0, 1 or 2 bytes into a 3-byte group:
        # keep the characters that depend on the value's bytes alone.
        for offset in (0, 1, 2):
            shifted = encode(b"\0" * offset + raw).decode("ascii")
            first = -(-offset * 8 // 6)  # characters touched by the leading bytes
            last = (offset + len(raw)) * 8 // 6  # characters complete before the unknown tail
            core = shifted[first:last]
            if len(core) >= MIN_BASE64_CORE:
                yield core


def _leading_lookahead(words) -> str:
    """A lookahead for the characters the words start with: the engine then rejects
    every other position with one test instead of entering the trie (4x faster)."""
    return "(?=[" + "".join(sorted({re.escape(word[0]) for word in words})) + "])"


def _trie_pattern(words) -> str:
    """One regular expression matching any of ``words``, longest first, shaped as a
    trie so the engine follows one branch per character instead of trying each word."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    chain = []
    while len(node) == 1 and "" not in node:  # a run of single children: no group needed
        (char, node), = node.items()
        chain.append(re.escape(char))
    branches = [re.escape(char) + _node_pattern(child) for char, child in node.items() if char]
    if not branches:
        return "".join(chain)
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        body = f"(?:{body})?"
    return "".join(chain) + body
