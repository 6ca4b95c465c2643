"""What a page shows as text: the visible text of an element, the elements holding
text, the innermost elements matching a phrase, and word counts — for HTML pages and
uiautomator dumps alike."""
from __future__ import annotations

import re

from bs4 import Tag
from bs4.element import NavigableString, PreformattedString

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.pagemodel.style import is_visible
from appaudit.scanner.pagemodel.uiautomator import label_of, nodes

_NO_TEXT = frozenset({"script", "style", "template", "noscript"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
                    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                    "hr", "li", "main", "nav", "ol", "p", "section", "table", "td", "th", "tr", "ul", "button",
                    "option", "label", "dialog", "title"})


def element_text(page: Page, element: Tag, *, visible: bool = True) -> str:
    """The text an element shows, spaces collapsed. ``visible`` leaves out what the CSS
    hides (display:none, visibility:hidden, opacity 0); otherwise everything but script,
    style, template and noscript bodies counts. For uiautomator nodes: the labels of the
    node and the nodes under it."""
    if page.kind == "uiautomator":
        return _dump_text(page, element)
    memo: dict[int, str] = page_cached(page, "text.visible" if visible else "text.all", dict)
    if id(element) in memo:
        return memo[id(element)]
    order: list[Tag] = []
    stack = [element]
    while stack:  # iterative: deep documents must not exhaust the recursion limit
        node = stack.pop()
        if id(node) not in memo:
            order.append(node)
            if _shows_text(page, node, visible):
                stack.extend(c for c in node.children if isinstance(c, Tag))
    for node in reversed(order):
        if not _shows_text(page, node, visible):
            memo[id(node)] = ""
            continue
        parts = []
        for child in node.children:
            if isinstance(child, Tag):
                text = memo.get(id(child), "")
                parts.append(f" {text} " if child.name in _BLOCK else text)
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                parts.append(str(child))
        memo[id(node)] = re.sub(r"\s+", " ", "".join(parts)).strip()
    return memo[id(element)]


def _dump_text(page: Page, element: Tag) -> str:
    """The labels of a dump node and of the nodes under it, in document order, each
    node's built once from its children's (memoised: a dump's nodes are asked for their
    text once per node, and re-reading every subtree made a 4 MB dump take minutes)."""
    below: dict[int, str] = page_cached(page, "text.dump_text_below", dict)

    def inside(node: Tag) -> str:  # the node's own label (if it is a node) and what is below
        return " ".join(filter(None, (label_of(node) if node.name == "node" else "", below[id(node)])))

    order, stack = [], [element]
    while stack:  # iterative: deep dumps must not exhaust the recursion limit
        node = stack.pop()
        if id(node) not in below:
            order.append(node)
            stack.extend(c for c in node.children if isinstance(c, Tag))
    for node in reversed(order):
        below[id(node)] = " ".join(filter(None, (inside(c) for c in node.children if isinstance(c, Tag))))
    return " ".join(filter(None, (label_of(element), below[id(element)])))


def _shows_text(page: Page, node: Tag, visible: bool) -> bool:
    return node.name not in _NO_TEXT and (not visible or is_visible(page, node))


def page_root(page: Page) -> Tag:
    """What holds the page's content: ``<body>``, the dump's root, or the document."""
    if page.kind == "uiautomator":
        return page.document.find("hierarchy") or page.document
    return page.document.body or page.document.find("html") or page.document


def innermost_matches(page: Page, pattern: re.Pattern, *, visible: bool = True,
                      root: Tag | None = None) -> list[tuple[Tag, re.Match]]:
    """The innermost elements whose text matches ``pattern`` (an element none of whose
    children matches on its own), in document order. For dumps: the nodes whose own
    label matches."""
    if page.kind == "uiautomator":
        return [(n, m) for n in nodes(page) if (m := pattern.search(label_of(n)))]
    start = root if root is not None else page_root(page)
    if not pattern.search(element_text(page, start, visible=visible)):
        return []
    found: list[tuple[Tag, re.Match]] = []
    stack = [start]
    while stack:
        element = stack.pop()
        children = [c for c in element.find_all(True, recursive=False)
                    if pattern.search(element_text(page, c, visible=visible))]
        if children:
            stack.extend(reversed(children))
        else:
            found.append((element, pattern.search(element_text(page, element, visible=visible))))
    return found


def text_holders(page: Page) -> list[tuple[Tag, str]]:
    """Each element with the visible text it holds itself (its own text nodes, not its
    children's); for dumps each node with its label. What a person reads, element by
    element."""
    def build() -> list[tuple[Tag, str]]:
        if page.kind == "uiautomator":
            return [(n, label) for n in nodes(page) if (label := label_of(n))]
        held: dict[int, tuple[Tag, list[str]]] = {}
        for string in page_root(page).find_all(string=True):
            parent = string.parent
            if isinstance(string, PreformattedString) or not string.strip() or parent.name in _NO_TEXT:
                continue
            if id(parent) not in held:
                if not is_visible(page, parent):
                    continue
                held[id(parent)] = (parent, [])
            held[id(parent)][1].append(str(string))
        return [(element, re.sub(r"\s+", " ", "".join(parts)).strip()) for element, parts in held.values()]
    return page_cached(page, "text.text_holders", build)


_WORD = re.compile(r"[\u4e00-\u9fff]|[^\W\u4e00-\u9fff]+")


def word_count(text: str) -> int:
    """Words in a text, a Chinese character counting as one."""
    return len(_WORD.findall(text))
