"""The page artifact every UI check reads: an HTML page (from a file or from a
``text/html`` response in a capture) or an Android ``uiautomator dump``, parsed once.

HTML is parsed with BeautifulSoup over lxml; uiautomator XML with BeautifulSoup's
lxml XML builder, so UI checks walk one kind of tree either way.
"""
from __future__ import annotations

import re
from functools import cached_property

from bs4 import BeautifulSoup, Tag
from lxml import etree

from appaudit.scanner.model import Location

SNIPPET_LENGTH = 160
# Pages are parsed into trees and read by eleven checks; beyond this many characters
# (far more than any real page) only the start is read, so one hostile page cannot
# stall a scan.
MAX_PAGE_CHARS = 4 * 1024 * 1024
# Real pages nest a few dozen levels; the checks walk ancestors, so a hostile page
# nested a hundred thousand deep would cost quadratic time. Deeper content is cut.
MAX_DEPTH = 512

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
# SingleFile (the browser extension) opens its pages with a comment naming the page:
# "<!--\n Page saved with SingleFile \n url: https://… \n saved date: … -->".
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\b[^>]*?\burl:\s*(\S+)", re.IGNORECASE)


class Page:
    """One page. ``url`` is the page's own URL (its origin) or None when it cannot
    be known; ``kind`` is "html" or "uiautomator"."""

    def __init__(self, *, source: str, input: str, kind: str = "html", url: str | None = None,
                 flow: int | None = None, timestamp: float | None = None):
        self.truncated = len(source) > MAX_PAGE_CHARS
        source = source[:MAX_PAGE_CHARS]
        self.source = source
        self.input = input
        self.kind = kind
        self.flow = flow
        self.timestamp = timestamp
        features = "lxml-xml" if kind == "uiautomator" else "lxml"
        self.document = BeautifulSoup(source, features)
        if _cut_below(self.document, MAX_DEPTH):
            self.truncated = True
        # The XML builder recovers from damage silently; say what was lost.
        self.damage = _xml_damage(source) if kind == "uiautomator" else None
        self.url = url if url is not None else (own_url(self.document, source) if kind == "html" else None)

    def location(self, element: Tag | None = None) -> Location:
        # The contract: location.url is the flow's URL, or the file's path for a page
        # read from a file (whose own URL, when known, is what checks judge against).
        return Location(
            input=self.input, flow=self.flow, url=self.url if self.flow is not None else self.input,
            timestamp=self.timestamp,
            selector=self.selector(element) if element is not None else None,
            line=self.line(element) if element is not None else None,
            snippet=snippet(element) if element is not None else None,
            page_url=self.url if self.flow is None else None,
            anchor=self.anchor(element) if element is not None else None,
        )

    def anchor(self, element: Tag) -> str:
        """What the element is, independent of where it sits: its tag, its id or the
        nearest ancestor id, its role and accessible name (or the start of its text), and
        which of the elements so described it is. Findings keep their fingerprint when
        paragraphs are added above them or their siblings change."""
        described = self._description(element)
        same = [e for e in self._elements_by_name.get(element.name, []) if self._description(e) == described]
        k = next((i for i, e in enumerate(same) if e is element), 0)
        return f"{described}\x1e{k}"

    def _description(self, element: Tag) -> str:
        known = self._described.get(id(element))
        if known is not None:
            return known

        def attribute(name: str) -> str:
            value = element.get(name)
            return " ".join(value) if isinstance(value, list) else str(value or "")
        text = ""
        for piece in element.stripped_strings:  # only the start: cheap on big elements
            text += " " + piece
            if len(text) > 60:
                break
        if self.kind == "uiautomator":
            parts = [attribute("class"), attribute("resource-id"), attribute("content-desc"), attribute("text")]
        else:
            above = next((str(a.get("id")) for a in element.parents if isinstance(a, Tag) and a.get("id")), "")
            parts = [element.name, attribute("id") or above, attribute("role"),
                     attribute("aria-label") or attribute("title") or attribute("alt") or attribute("name"),
                     re.sub(r"\s+", " ", text).strip()[:60], attribute("href") or attribute("src") or attribute("for")]
        described = self._described[id(element)] = "\x1e".join(parts)
        return described

    @cached_property
    def _described(self) -> dict[int, str]:
        return {}

    def selector(self, element: Tag) -> str:
        """A CSS selector that selects exactly ``element``: anchored at the nearest
        ancestor (or itself) with an id unique in the page, then ``:nth-of-type`` steps."""
        steps: list[str] = []
        node: Tag | None = element
        while node is not None and node.name and node.name != "[document]":
            element_id = node.get("id") if self.kind == "html" else None
            if element_id and isinstance(element_id, str) and self._id_counts.get(element_id) == 1 \
                    and re.fullmatch(r"[A-Za-z_][\w-]*", element_id):
                steps.append(f"#{element_id}")
                break
            parent = node.parent
            if parent is None or parent.name == "[document]":
                steps.append(node.name)
                break
            same = [c for c in parent.find_all(node.name, recursive=False)]
            steps.append(node.name if len(same) == 1 else f"{node.name}:nth-of-type({same.index(node) + 1})")
            node = parent
        return " > ".join(reversed(steps))

    @cached_property
    def _id_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for tag in self.document.find_all(id=True):
            value = tag.get("id")
            if isinstance(value, str):
                counts[value] = counts.get(value, 0) + 1
        return counts

    def line(self, element: Tag) -> int | None:
        """The 1-based source line of ``element``'s start tag. lxml does not report
        lines through BeautifulSoup, so the k-th ``<name`` of the source is taken for the
        k-th element of that name, and accepted only when its id (if any) agrees."""
        name = element.name
        positions = self._tag_positions.get(name)
        if not positions:
            return None
        same_name = self._elements_by_name.get(name, [])
        try:
            k = next(i for i, e in enumerate(same_name) if e is element)
        except StopIteration:
            return None
        if k >= len(positions):
            return None
        start = positions[k]
        element_id = element.get("id")
        if isinstance(element_id, str) and element_id not in self.source[start:self.source.find(">", start) + 1]:
            return None
        return self.source.count("\n", 0, start) + 1

    @cached_property
    def _elements_by_name(self) -> dict[str, list[Tag]]:
        by_name: dict[str, list[Tag]] = {}
        for tag in self.document.find_all(True):
            by_name.setdefault(tag.name, []).append(tag)
        return by_name

    @cached_property
    def _tag_positions(self) -> dict[str, list[int]]:
        flags = 0 if self.kind == "uiautomator" else re.IGNORECASE
        positions: dict[str, list[int]] = {}
        # Comments and script bodies hold text that looks like tags; blank them first.
        masked = re.sub(r"<!--.*?-->|(<script\b[^>]*>).*?(?=</script)",
                        lambda m: " " * len(m.group(0)) if m.group(1) is None
                        else m.group(1) + " " * (len(m.group(0)) - len(m.group(1))),
                        self.source, flags=re.DOTALL | re.IGNORECASE)
        for match in re.finditer(r"<([A-Za-z][\w:-]*)", masked, flags):
            name = match.group(1) if self.kind == "uiautomator" else match.group(1).lower()
            positions.setdefault(name, []).append(match.start())
        return positions


def _cut_below(document: BeautifulSoup, depth: int) -> bool:
    """Remove whatever is nested deeper than ``depth`` elements; True if anything was."""
    deep = []
    stack = [(document, 0)]
    while stack:
        node, level = stack.pop()
        for child in node.find_all(True, recursive=False):
            if level + 1 >= depth:
                deep.append(child)
            else:
                stack.append((child, level + 1))
    for node in deep:
        node.decompose()
    return bool(deep)


def _xml_damage(source: str) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        etree.fromstring(source.encode("utf-8"), parser)
    except etree.XMLSyntaxError as e:
        return f"damaged XML ({e.msg}): only the nodes before the damage were read"
    except ValueError:
        return None
    return None


def snippet(element: Tag) -> str:
    """A short excerpt of the element's markup (opening tag and the start of its text)."""
    text = str(element)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= SNIPPET_LENGTH else text[:SNIPPET_LENGTH - 1] + "…"


def own_url(document: BeautifulSoup, source: str) -> str | None:
    """A saved page's own URL, in the contract's order: the comment the saving tool
    wrote (a browser's "saved from", SingleFile's "url:"), then <link rel=canonical>,
    then <meta property=og:url>."""
    for comment in (_SAVED_FROM, _SINGLEFILE):
        saved = comment.search(source[:8192])
        if saved and re.match(r"https?://", saved.group(1), re.IGNORECASE):
            return saved.group(1)
    for link in document.find_all("link", href=True):
        rel = link.get("rel") or []
        if "canonical" in [r.lower() for r in (rel if isinstance(rel, list) else [rel])]:
            href = str(link["href"]).strip()
            if re.match(r"https?://", href, re.IGNORECASE):
                return href
    meta = document.find("meta", attrs={"property": "og:url"})
    if meta and re.match(r"https?://", str(meta.get("content", "")).strip(), re.IGNORECASE):
        return str(meta["content"]).strip()
    return None
