"""The page artifact every UI check reads: an HTML page (from a file or from a
``text/html`` response in a capture) or an Android ``uiautomator dump``, parsed once.

HTML is parsed with BeautifulSoup over lxml; uiautomator XML with BeautifulSoup's
lxml XML builder, so UI checks walk one kind of tree either way.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from itertools import islice

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
        # What the browser said of the page (``scanner.render.facts``) when it was judged
        # rendered (``scan --render``); None for a page read from its markup.
        self.rendered = None

    def location(self, element: Tag | None = None) -> Location:
        # The contract: location.url is the flow's URL, or the file's path for a page
        # read from a file (whose own URL, when known, is what checks judge against).
        return Location(
            input=self.input, flow=self.flow, url=self.url if self.flow is not None else self.input,
            timestamp=self.timestamp,
            page_url=self.url if self.flow is None else None,
            **(self._element_location(element) if element is not None else {}),
        )

    def _element_location(self, element: Tag) -> dict:
        """Selector, line, snippet and anchor of an element, worked out once per element
        (checks ask again for every pop-up an element belongs to)."""
        known = self.__dict__.setdefault("_element_locations", {})
        if id(element) not in known:
            known[id(element)] = {"selector": self.selector(element), "line": self.line(element),
                                  "snippet": snippet(element), "anchor": self.anchor(element)}
        return known[id(element)]

    def anchor(self, element: Tag) -> str:
        """What the element is, independent of where it sits: its tag, its id or the
        nearest ancestor id, its role and accessible name (or the start of its text), and
        which of the elements so described it is. Findings keep their fingerprint when
        paragraphs are added above them or their siblings change."""
        return f"{self._description(element)}\x1e{self._rank_among_alike(element)}"

    def _rank_among_alike(self, element: Tag) -> int:
        """Which of the page's elements of its name and description it is (0-based),
        the ranks of all elements of a name worked out together, so anchoring every
        element of a long list costs its length, not its square."""
        ranks = self.__dict__.setdefault("_alike_ranks", {})
        if element.name not in ranks:
            counts: dict[str, int] = {}
            ranked = ranks[element.name] = {}
            for alike in self._elements_by_name.get(element.name, []):
                described = self._description(alike)
                ranked[id(alike)] = counts.get(described, 0)
                counts[described] = ranked[id(alike)] + 1
        return ranks[element.name].get(id(element), 0)

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
            position, count = self._nth_of_type(node)
            steps.append(node.name if count == 1 else f"{node.name}:nth-of-type({position})")
            node = parent
        return " > ".join(reversed(steps))

    def _nth_of_type(self, node: Tag) -> tuple[int, int]:
        """(1-based position among its parent's children of its name, their count);
        each parent's children are counted once per page, so selectors cost their depth."""
        counted = self.__dict__.setdefault("_of_type", {})
        if id(node) not in counted:
            totals: dict[str, int] = {}
            children = [c for c in node.parent.children if isinstance(c, Tag)]
            for child in children:
                totals[child.name] = totals.get(child.name, 0) + 1
                counted[id(child)] = [totals[child.name], 0]
            for child in children:
                counted[id(child)][1] = totals[child.name]
        position, count = counted[id(node)]
        return position, count

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
        k-th element of that name, and accepted only when its id (if any) agrees. A rendered
        page's markup is the browser's DOM, whose lines are not the file's: none."""
        if self.rendered is not None:
            return None
        name = element.name
        positions = self._tag_positions.get(name)
        if not positions:
            return None
        k = self._element_ordinals.get(id(element))
        if k is None or k >= len(positions):
            return None
        start = positions[k]
        element_id = element.get("id")
        if isinstance(element_id, str) and element_id not in self.source[start:self.source.find(">", start) + 1]:
            return None
        return bisect_right(self._line_starts, start)

    @cached_property
    def elements(self) -> list[Tag]:
        """Every element of the page in document order, walked once for every check that
        looks at them all."""
        return self.document.find_all(True)

    @cached_property
    def _elements_by_name(self) -> dict[str, list[Tag]]:
        by_name: dict[str, list[Tag]] = {}
        for tag in self.elements:
            by_name.setdefault(tag.name, []).append(tag)
        return by_name

    @cached_property
    def _element_ordinals(self) -> dict[int, int]:
        """Each element's 0-based rank among the page's elements of its name."""
        counts: dict[str, int] = {}
        ordinals: dict[int, int] = {}
        for tag in self.elements:
            ordinals[id(tag)] = counts.get(tag.name, 0)
            counts[tag.name] = ordinals[id(tag)] + 1
        return ordinals

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.source)]

    @cached_property
    def _tag_positions(self) -> dict[str, list[int]]:
        flags = 0 if self.kind == "uiautomator" else re.IGNORECASE
        positions: dict[str, list[int]] = {}
        masked = _blank_comments_and_scripts(self.source)
        for match in re.finditer(r"<([A-Za-z][\w:-]*)", masked, flags):
            name = match.group(1) if self.kind == "uiautomator" else match.group(1).lower()
            positions.setdefault(name, []).append(match.start())
        return positions


_COMMENT_OR_SCRIPT = re.compile(r"<!--|<script\b", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)


def _blank_comments_and_scripts(source: str) -> str:
    """``source`` with comments and script bodies blanked (they hold text that looks
    like tags), positions kept. One pass: an unterminated ``<!--`` or ``<script`` runs
    to the end, as in a browser, rather than being retried from every later position."""
    pieces = []
    pos = 0
    while (opener := _COMMENT_OR_SCRIPT.search(source, pos)) is not None:
        start = opener.start()
        pieces.append(source[pos:start])
        if opener.group(0) == "<!--":
            end = source.find("-->", start + 4)
            end = len(source) if end < 0 else end + 3
            pieces.append(" " * (end - start))
        else:
            tag_end = source.find(">", opener.end())
            if tag_end < 0:
                pos = start
                break
            closing = _SCRIPT_END.search(source, tag_end + 1)
            end = closing.start() if closing else len(source)
            pieces.append(source[start:tag_end + 1] + " " * (end - tag_end - 1))
        pos = end
    pieces.append(source[pos:])
    return "".join(pieces)


def _cut_below(document: BeautifulSoup, depth: int) -> bool:
    """Remove whatever is nested deeper than ``depth`` elements; True if anything was.
    Walks ``contents`` directly: a ``find_all`` per element cost a third of the parse."""
    deep = []
    stack = [(document, 0)]
    while stack:
        node, level = stack.pop()
        for child in node.contents:
            if isinstance(child, Tag):
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
    """A short excerpt of the element's markup (opening tag and the start of its text).
    A large element is not rendered whole: its opening tag and the start of its text
    stand for it. The cut never splits a value (digits, a word, an address): a personal
    value is either whole, and masked as such, or absent."""
    if next(islice(element.descendants, _SMALL_ELEMENT, None), None) is None:
        text = str(element)
    else:
        shell = str(Tag(name=element.name, attrs=dict(element.attrs)))
        opening = shell.removesuffix(f"</{element.name}>")
        text = opening + "".join(islice(element.strings, 0, _SMALL_ELEMENT))[:4 * SNIPPET_LENGTH]
    text = re.sub(r"\s+", " ", text)
    if len(text) <= SNIPPET_LENGTH:
        return text
    cut = SNIPPET_LENGTH - 1
    word = _WORD_END.search(text[:cut][::-1])
    if word and text[cut:cut + 1] and _WORD_CHAR.match(text[cut]) and word.end() < _LONGEST_VALUE:
        cut -= word.end()
    return text[:cut] + "…"


# Elements with fewer descendants than this are rendered whole before being cut.
_SMALL_ELEMENT = 64
# Characters that make up a personal value (digits, names, addresses, masks), and the
# longest value kept whole by moving the cut before it.
_WORD_CHAR = re.compile(r"[\w.@+\-*]")
_WORD_END = re.compile(r"[\w.@+\-*]*")
_LONGEST_VALUE = 64


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
