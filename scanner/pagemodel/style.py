"""An approximate computed style per element: the page's ``<style>`` blocks and inline
``style=`` attributes, cascaded by importance, specificity and order, with inheritance of
the few inherited properties the UI checks read (visibility, color, font-size).

It is an approximation made for judging pop-ups and close buttons, not a layout engine:
external stylesheets are not fetched, lengths are resolved against a 360x640 mobile
viewport, and sizes are known only where the CSS (or an ``<img>``'s width/height) states
them. Selectors are read by tinycss2 and cssselect2 and matched by soupsieve; rules
that cannot match statically (pseudo-elements) are skipped, and ``:hover``-like states
never match.

Everything is lazy and done once: a selector list is parsed only when the page carries
the classes and ids it needs, a declaration block only when a rule is asked for a
property it may declare; a selector is compiled when first tried, tried only on the
elements that carry its rightmost id, class or tag name, and only for an element asked
about a property the rule declares; each element remembers each property's value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import cssselect2
import soupsieve
import tinycss2
import tinycss2.color3
from bs4 import Tag

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.render.facts import RenderedValues, rendered, rendered_styles

VIEWPORT_WIDTH = 360.0
VIEWPORT_HEIGHT = 640.0
DEFAULT_FONT_SIZE = 16.0

RGBA = tuple[float, float, float, float]  # channels 0..1
BLACK: RGBA = (0.0, 0.0, 0.0, 1.0)

# Elements the browser never renders, whatever the author CSS says about their parents.
_NEVER_RENDERED = frozenset({"head", "script", "style", "template", "title", "meta", "link", "base",
                             "noscript", "datalist", "param", "source", "track"})
_BLOCK_TAGS = frozenset({"html", "body", "div", "p", "section", "article", "aside", "header", "footer",
                         "nav", "main", "ul", "ol", "li", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                         "dialog", "figure", "blockquote", "pre", "hr", "address", "fieldset",
                         "details", "dl", "dd", "dt", "center", "table", "figcaption", "menu"})
_FONT_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
                  "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}


@dataclass(frozen=True, slots=True)
class _Declaration:
    important: bool
    inline: bool
    specificity: tuple[int, int, int]
    order: tuple[int, int, int]
    name: str
    value: str

    @property
    def precedence(self) -> tuple:
        return (self.important, self.inline, self.specificity, self.order)


class DeclaredValues:
    """The winning declared value of each property on one element, looked up one
    property at a time and remembered: most elements are asked about a few properties,
    and matching only the rules that declare those is what keeps big pages fast."""

    __slots__ = ("_cascade", "_tag", "_known")

    def __init__(self, cascade: "_Cascade", tag: Tag):
        self._cascade, self._tag, self._known = cascade, tag, {}

    def get(self, name: str, default: str | None = None) -> str | None:
        if name not in self._known:
            self._known[name] = self._cascade.declared(self._tag, name)
        value = self._known[name]
        return default if value is None else value

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value


class ComputedStyle:
    """The cascaded style of one element. ``values`` holds the winning declared value of
    each property; the inherited ones (visibility, color, font-size) fall back to the
    parent's computed value."""

    def __init__(self, tag: Tag, values: "DeclaredValues", parent: "ComputedStyle | None"):
        self.tag = tag
        self.values = values
        self.parent = parent

    @cached_property
    def display(self) -> str:
        declared = self.values.get("display")
        if declared and declared not in ("initial", "unset", "revert", "inherit"):
            return declared.split()[0]
        name = self.tag.name
        if name in _NEVER_RENDERED or self.tag.has_attr("hidden"):
            return "none"
        if name == "dialog" and not self.tag.has_attr("open"):
            return "none"
        if name == "input" and str(self.tag.get("type", "")).lower() == "hidden":
            return "none"
        return "block" if name in _BLOCK_TAGS else "inline"

    @property
    def rendered(self) -> bool:
        """No display:none here or above."""
        return _down_the_chain(self, "rendered", lambda style, above: above and style.display != "none", True)

    @property
    def effective_opacity(self) -> float:
        return _down_the_chain(self, "effective_opacity", lambda style, above: above * style.opacity, 1.0)

    @cached_property
    def visibility(self) -> str:
        value = self.values.get("visibility")
        if value in (None, "inherit", "unset"):
            return self.parent.visibility if self.parent else "visible"
        return "visible" if value == "initial" else value

    @cached_property
    def opacity(self) -> float:
        return _number(self.values.get("opacity"), default=1.0, percent_of=1.0)

    @property
    def position(self) -> str:
        return self.values.get("position", "static")

    @cached_property
    def z_index(self) -> int | None:
        value = self.values.get("z-index", "")
        return int(value) if re.fullmatch(r"[+-]?\d+", value) else None

    @cached_property
    def font_size(self) -> float:
        """In CSS px (inherited)."""
        inherited = self.parent.font_size if self.parent else DEFAULT_FONT_SIZE
        value = self.values.get("font-size")
        if not value or value in ("inherit", "unset"):
            return inherited
        if value in _FONT_KEYWORDS:
            return _FONT_KEYWORDS[value]
        if value == "smaller":
            return inherited / 1.2
        if value == "larger":
            return inherited * 1.2
        size = self._length(value, reference=inherited, font_size=inherited)
        return size if size is not None else inherited

    @cached_property
    def line_height(self) -> float:
        """In px: the declared line height, or the browsers' "normal" (about 1.2em)."""
        value = self.values.get("line-height", "normal")
        if re.fullmatch(r"\d+(\.\d+)?|\.\d+", value):
            return float(value) * self.font_size
        return self._length(value, reference=self.font_size) or 1.2 * self.font_size

    @cached_property
    def color(self) -> RGBA:
        """The text colour (inherited)."""
        inherited = self.parent.color if self.parent else BLACK
        return _color(self.values.get("color"), current=inherited) or inherited

    @cached_property
    def background_color(self) -> RGBA:
        """This element's own background colour (transparent when none is set)."""
        return _color(self.values.get("background-color"), current=self.color) or (0.0, 0.0, 0.0, 0.0)

    @cached_property
    def _container(self) -> "ComputedStyle | None":
        """The box sizes are relative to: the parent, or for an absolute box its nearest
        positioned ancestor; None for the viewport (fixed boxes, absolute boxes with no
        positioned ancestor)."""
        if self.position == "fixed" or self.parent is None:
            return None
        if self.position != "absolute":
            return self.parent
        ancestor = self.parent
        while ancestor is not None and ancestor.position == "static":
            ancestor = ancestor.parent
        return ancestor

    @cached_property
    def containing_width(self) -> float:
        container = self._container
        return VIEWPORT_WIDTH if container is None else (container.width or container.containing_width)

    @cached_property
    def containing_height(self) -> float | None:
        container = self._container
        return VIEWPORT_HEIGHT if container is None else container.height

    @cached_property
    def width(self) -> float | None:
        """The content width in px where the CSS states or implies it."""
        explicit = self._length(self.values.get("width"), reference=self.containing_width)
        if explicit is None and self.tag.name in ("img", "svg", "iframe", "video", "canvas", "input"):
            explicit = _attribute_px(self.tag.get("width"))
        if explicit is not None:
            return explicit
        if self.position in ("fixed", "absolute"):
            left, right = self.offset("left"), self.offset("right")
            if left is not None and right is not None:
                return max(self.containing_width - left - right, 0.0)
            return None
        if self.display in ("block", "flex", "grid", "list-item", "table") and self.tag.name not in ("table",):
            return self.containing_width
        return None

    @cached_property
    def height(self) -> float | None:
        value = self.values.get("height")
        reference = self.containing_height
        explicit = None if (value or "").endswith("%") and reference is None else \
            self._length(value, reference=reference or 0.0)
        if explicit is None and self.tag.name in ("img", "svg", "iframe", "video", "canvas", "input"):
            explicit = _attribute_px(self.tag.get("height"))
        if explicit is not None:
            return explicit
        if self.position in ("fixed", "absolute") and self.containing_height is not None:
            top, bottom = self.offset("top"), self.offset("bottom")
            if top is not None and bottom is not None:
                return max(self.containing_height - top - bottom, 0.0)
        return None

    def offset(self, side: str) -> float | None:
        reference = self.containing_width if side in ("left", "right") else (self.containing_height or VIEWPORT_HEIGHT)
        return self._length(self.values.get(side), reference=reference)

    def padding(self, side: str) -> float:
        return self._length(self.values.get(f"padding-{side}"), reference=self.containing_width) or 0.0

    @property
    def border_box(self) -> tuple[float | None, float | None]:
        """(width, height) including padding, as a tap target measures."""
        content_box = self.values.get("box-sizing", "content-box") != "border-box"
        width, height = self.width, self.height
        if content_box:
            if width is not None:
                width += self.padding("left") + self.padding("right")
            if height is not None:
                height += self.padding("top") + self.padding("bottom")
        return width, height

    def _length(self, value: str | None, *, reference: float, font_size: float | None = None) -> float | None:
        return _length(value, font_size=self.font_size if font_size is None else font_size,
                       root_font_size=DEFAULT_FONT_SIZE, reference=reference)


def _down_the_chain(style: ComputedStyle, name: str, combine, root_value):
    """A value that combines each element's own with its parent's (rendered, opacity),
    worked out from the nearest ancestor that knows it and remembered on every element
    on the way: iterative, so a page nested hundreds deep costs no recursion."""
    key = "_" + name
    chain = []
    node: ComputedStyle | None = style
    while node is not None and key not in node.__dict__:
        chain.append(node)
        node = node.parent
    value = root_value if node is None else node.__dict__[key]
    for node in reversed(chain):
        value = node.__dict__[key] = combine(node, value)
    return value


def style_of(page: Page, tag: Tag) -> ComputedStyle:
    """The computed style of ``tag`` (cached on the page)."""
    cache: dict[int, ComputedStyle] = page_cached(page, "style.computed", dict)
    found = cache.get(id(tag))
    if found is not None:
        return found
    chain = []
    node: Tag | None = tag
    # The document itself is asked for when a page has no <html> or <body> (an empty file).
    while isinstance(node, Tag) and (node is tag or node.name != "[document]") and id(node) not in cache:
        chain.append(node)
        node = node.parent
    parent_style = cache.get(id(node)) if isinstance(node, Tag) else None
    cascade = _cascade(page)
    facts = rendered_styles(page)
    for element in reversed(chain):
        # A rendered page: the browser's computed values stand in for the cascade's.
        known = facts.of(element) if facts is not None else None
        values = RenderedValues(known) if known is not None else DeclaredValues(cascade, element)
        parent_style = ComputedStyle(element, values, parent_style)
        cache[id(element)] = parent_style
    return cache[id(tag)]


def is_rendered(page: Page, tag: Tag) -> bool:
    """False when the element or an ancestor has display:none (or is never rendered)."""
    return style_of(page, tag).rendered


def is_visible(page: Page, tag: Tag) -> bool:
    """Rendered, not visibility:hidden, and not fully transparent."""
    style = style_of(page, tag)
    return (is_rendered(page, tag) and style.visibility not in ("hidden", "collapse")
            and effective_opacity(page, tag) > 0)


SHOWN, HIDDEN, UNKNOWN = "shown", "hidden", "unknown"


def styles_complete(page: Page) -> bool:
    """Whether the page holds every stylesheet it uses: no ``<link rel=stylesheet>`` and
    no ``@import`` whose rules the saved page lacks (cached). Saved pages often lack them,
    and the site's rules that hide panels until used are then missing."""
    def build() -> bool:
        for link in page.document.find_all("link", href=True):
            rel = link.get("rel") or []
            rels = [r.lower() for r in (rel if isinstance(rel, list) else str(rel).split())]
            if "stylesheet" in rels and not str(link["href"]).startswith("data:"):
                return False
        return not any("@import" in (s.get_text() or "") for s in page.document.find_all("style"))
    return page_cached(page, "style.complete", build)


# Class names that say a panel is closed until the user acts ("ot-hide", "is-hidden",
# "d-none", Bootstrap's "collapse" without "show"): the rule behind them is in a
# stylesheet a saved page often lacks.
_HIDING_CLASS_TOKENS = frozenset({"hide", "hidden", "invisible", "collapsed", "closed", "inactive", "none"})
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})


def shown_state(page: Page, tag: Tag) -> str:
    """Whether the element is on screen at load: HIDDEN when the page's own styles or
    markup hide it (display, visibility, opacity, ``hidden``, ``aria-hidden``, a closed
    ``<dialog>``); SHOWN when they show it and either hold every rule of the page or
    state the element's display themselves; UNKNOWN when the page lacks an external
    stylesheet and the element is a dialog nothing declares open (dialogs wait to be
    opened far more often than not) or sits in a box whose class says it is closed
    until used."""
    chain = [e for e in [tag, *tag.parents] if isinstance(e, Tag) and e.name != "[document]"]
    if not is_visible(page, tag) or any(
            e.has_attr("hidden") or str(e.get("aria-hidden", "")).lower() == "true"
            or (e.name == "dialog" and not e.has_attr("open")) for e in chain):
        return HIDDEN
    if styles_complete(page):
        return SHOWN
    dialog = tag.name == "dialog" or str(tag.get("role", "")).lower() in _DIALOG_ROLES \
        or str(tag.get("aria-modal", "")).lower() == "true"
    # A dialog library writes the open dialog's display or z-index on it or its wrapper
    # (Element UI's "z-index: 2001"); without that, nothing says it is open.
    if dialog and not any(declared_value(page, e, "display") not in (None, "none")
                          or declared_value(page, e, "z-index") is not None for e in chain[:3]):
        return UNKNOWN
    return UNKNOWN if closed_by_class(page, tag) else SHOWN


def closed_by_class(page: Page, tag: Tag) -> bool:
    """Whether the element sits in a box whose class says it is closed until used
    ("ot-hide", "is-hidden") and whose display the page's own styles do not state, on a
    page lacking an external stylesheet: a panel the user must open."""
    if styles_complete(page):
        return False
    return any(_says_hidden(e) and declared_value(page, e, "display") is None
               for e in [tag, *tag.parents] if isinstance(e, Tag) and e.name != "[document]")


def _says_hidden(element: Tag) -> bool:
    classes = element.get("class") or ()
    if "collapse" in classes and not {"show", "in"} & set(classes):
        return True
    return any(token in _HIDING_CLASS_TOKENS for name in classes for token in re.split(r"[-_]", name.lower()))


def effective_opacity(page: Page, tag: Tag) -> float:
    """Opacity multiplies down the tree: a child of an opacity:0.05 box is as faint."""
    return style_of(page, tag).effective_opacity


def declared_background(page: Page, tag: Tag) -> tuple[RGBA, Tag] | None:
    """The colour behind ``tag`` as the page's CSS declares it — translucent layers
    blended down to the first opaque one (or the white page) — and the nearest element
    declaring a background. None when no CSS sets one: the real backdrop may then be an
    image, and nothing can be said about contrast."""
    layers: list[tuple[RGBA, Tag]] = []
    style: ComputedStyle | None = style_of(page, tag)
    while style is not None:
        colour = style.background_color
        if colour[3] > 0:
            layers.append((colour, style.tag))
            if colour[3] >= 0.95:
                break
        style = style.parent
    if not layers:
        return None
    blended: RGBA = (1.0, 1.0, 1.0, 1.0)
    for colour, _ in reversed(layers):
        alpha = colour[3]
        blended = (*(alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], blended[:3])), 1.0)
    return blended, layers[0][1]


def viewport_coverage(page: Page, tag: Tag) -> float | None:
    """The share (0..1) of the 360x640 viewport an out-of-flow element covers, when its
    position and size are known from the CSS; None otherwise. On a rendered page, the
    share of the browser's viewport its box covers."""
    style = style_of(page, tag)
    facts = rendered_styles(page)
    known = facts.of(tag) if facts is not None else None
    if known is not None:
        return _box_share(known.box, facts.viewport) if style.position in ("fixed", "absolute") else None
    if style.position not in ("fixed", "absolute"):
        return None
    width, height = style.border_box
    if width is None or height is None:
        return None
    return _viewport_share(width, height)


def _box_share(box, viewport: tuple[float, float]) -> float:
    width, height = viewport
    visible_width = max(0.0, min(box.x + box.width, width) - max(box.x, 0.0))
    visible_height = max(0.0, min(box.y + box.height, height) - max(box.y, 0.0))
    return visible_width * visible_height / (width * height) if width and height else 0.0


def _viewport_share(width: float, height: float) -> float:
    return min(width, VIEWPORT_WIDTH) * min(height, VIEWPORT_HEIGHT) / (VIEWPORT_WIDTH * VIEWPORT_HEIGHT)


def measured_contrast(page: Page, element: Tag) -> float | None:
    """On a rendered page, the element's contrast against what is actually behind it on
    the screen, measured from the pixels (see ``render/contrast.js``); None where it was
    not measured."""
    facts = rendered(page)
    return facts.contrasts.get(id(element)) if facts is not None else None


def contrast_ratio(foreground: RGBA, background: RGBA) -> float:
    """WCAG 2 contrast ratio (1..21); a translucent foreground is blended first."""
    alpha = foreground[3]
    blended = tuple(alpha * f + (1 - alpha) * b for f, b in zip(foreground[:3], background[:3]))
    lighter, darker = sorted((_luminance(blended), _luminance(background[:3])), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(rgb) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- the cascade -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class _Rule:
    selector: str
    specificity: tuple[int, int, int]
    body: str  # the declaration block's source, parsed when a declaration is first needed
    order: tuple[int, int]  # (style block, rule): later rules win ties
    names: frozenset[str]  # every property the block may declare (a superset)
    ancestor_keys: frozenset[tuple[str, str]]  # ids and classes some ancestor must carry

    @property
    def declarations(self) -> tuple[tuple[str, str, bool], ...]:
        return _declaration_block(self.body)


class _Cascade:
    """The page's author rules, filed under their subject's id, class or tag name and an
    id or class an ancestor must carry, so an element is only matched against rules that
    can apply to it — and, for one property, only against the rules that declare it.
    Matches are remembered per element. Declaration blocks are parsed only when a rule
    that matches is asked for a property it declares: most of a big stylesheet never is."""

    def __init__(self, page: Page):
        self._buckets: dict[tuple[str, str], dict[tuple[str, str] | None, list[_Rule]]] = {}
        self._matches: dict[tuple[int, int], bool] = {}
        self._above: dict[int, frozenset[tuple[str, str]]] = {}
        self._candidates_of: dict[int, list[_Rule]] = {}
        # The buckets holding a rule that may declare each property.
        self._filed_declaring: dict[str, set[tuple[str, str]]] = {}
        self._inline_of: dict[int, list[tuple[str, str, bool]]] = {}
        present = frozenset(key for element in page.elements for key in _keys_of(element))
        position = 0
        for block, style_tag in enumerate(page.document.find_all("style")):
            css = style_tag.string if style_tag.string is not None else style_tag.get_text()
            # A plain str: the tag's own string (bs4's Stylesheet) would become a key of
            # _style_rules' cache and keep its whole document alive after the page is done.
            for selectors, body in _style_rules(str(css or "")):
                if not _may_match(selectors, present):
                    continue
                for selector in _selector_list(selectors):
                    position += 1
                    rule = _Rule(selector=selector.text, specificity=selector.specificity, body=body,
                                 order=(block, position), names=_declared_names(body),
                                 ancestor_keys=selector.ancestor_keys)
                    for name in rule.names:
                        self._filed_declaring.setdefault(name, set()).add(selector.subject_key)
                    bucket = self._buckets.setdefault(selector.subject_key, {})
                    # Filed again under one id or class an ancestor must carry, so elements
                    # without it never even look at the rule.
                    bucket.setdefault(min(rule.ancestor_keys, default=None), []).append(rule)

    def _candidates(self, tag: Tag) -> list[_Rule]:
        found = self._candidates_of.get(id(tag))
        if found is None:
            found = self._candidates_of[id(tag)] = self._find_candidates(tag)
        return found

    def _find_candidates(self, tag: Tag) -> list[_Rule]:
        attributes = tag.attrs
        keys = [("*", ""), ("tag", tag.name)]
        element_id = attributes.get("id")
        if isinstance(element_id, str):
            keys.append(("id", element_id))
        keys.extend(("class", c) for c in attributes.get("class") or ())
        found = []
        for key in keys:
            bucket = self._buckets.get(key)
            if not bucket:
                continue
            found.extend(bucket.get(None, ()))
            if len(bucket) > (None in bucket):
                above = self._keys_above(tag)
                if len(bucket) > len(above):
                    found.extend(rule for ancestor in above for rule in bucket.get(ancestor, ()))
                else:  # walk the smaller side: deep pages carry many ancestor classes
                    found.extend(rule for ancestor, rules in bucket.items() if ancestor in above for rule in rules)
        return found

    def _may_declare(self, tag: Tag, name: str) -> bool:
        """Whether a rule filed under one of the element's keys may declare ``name``:
        most elements are asked about properties no rule for them declares, and this
        answers without gathering their candidate rules."""
        filed = self._filed_declaring.get(name)
        if not filed:
            return False
        if ("*", "") in filed or ("tag", tag.name) in filed:
            return True
        attributes = tag.attrs
        element_id = attributes.get("id")
        return (isinstance(element_id, str) and ("id", element_id) in filed) \
            or any(("class", c) in filed for c in attributes.get("class") or ())

    def _applies(self, rule: _Rule, tag: Tag) -> bool:
        key = (id(rule), id(tag))
        if key not in self._matches:
            # The ancestor filter browsers use: "li.item-5 .price" cannot match a .price
            # with no item-5 above it, so soupsieve need not be asked.
            self._matches[key] = rule.ancestor_keys <= self._keys_above(tag) and _matches(rule.selector, tag)
        return self._matches[key]

    def _keys_above(self, tag: Tag) -> frozenset[tuple[str, str]]:
        """The ids and classes of all of ``tag``'s ancestors (cached per element)."""
        parent = tag.parent
        if not isinstance(parent, Tag) or parent.name == "[document]":
            return frozenset()
        cached = self._above.get(id(parent))
        if cached is None:
            cached = self._above[id(parent)] = self._keys_above(parent) | _keys_of(parent)
        return cached

    def _inline(self, tag: Tag) -> list[tuple[str, str, bool]]:
        inline = tag.get("style")
        if not isinstance(inline, str) or not inline.strip():
            return []
        found = self._inline_of.get(id(tag))
        if found is None:
            found = self._inline_of[id(tag)] = _declarations(tinycss2.parse_declaration_list(
                inline, skip_comments=True, skip_whitespace=True))
        return found

    def declared(self, tag: Tag, name: str) -> str | None:
        """The winning declared value of ``name`` on ``tag``; only rules that declare
        ``name`` are matched."""
        if "style" not in tag.attrs and not self._may_declare(tag, name):
            return None
        found = []
        for rule in self._candidates(tag):
            if name in rule.names and self._applies(rule, tag):
                found.extend(_Declaration(important, False, rule.specificity, (*rule.order, i), declared, value)
                             for i, (declared, value, important) in enumerate(rule.declarations)
                             if declared == name)
        found.extend(_Declaration(important, True, (0, 0, 0), (0, 0, 0), declared, value)
                     for declared, value, important in self._inline(tag) if declared == name)
        winner = None
        for declaration in found:  # the last of equal precedence wins
            if winner is None or declaration.precedence >= winner.precedence:
                winner = declaration
        return winner.value if winner else None


def _cascade(page: Page) -> _Cascade:
    return page_cached(page, "style.cascade", lambda: _Cascade(page))


def declared_value(page: Page, tag: Tag, name: str) -> str | None:
    """The value the page's CSS gives ``name`` on ``tag`` itself (no inheritance, no
    defaults) — a cheap question, answered without computing the element's whole style."""
    return style_of(page, tag).values.get(name)


def has_background_image(page: Page, tag: Tag) -> bool:
    return "url(" in (declared_value(page, tag, "background-image") or "")


def _keys_of(tag: Tag) -> frozenset[tuple[str, str]]:
    keys = {("class", c) for c in tag.get("class") or ()}
    element_id = tag.get("id")
    if isinstance(element_id, str):
        keys.add(("id", element_id))
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class _Selector:
    """One selector of a rule's list, as cssselect2 reads it: its text (for soupsieve,
    which matches it), specificity, the bucket it is filed under (its subject's id, else
    a class, else its tag name, else the catch-all) and the ids and classes an ancestor
    must carry (those of compounds left of a descendant or child combinator)."""
    text: str
    specificity: tuple[int, int, int]
    subject_key: tuple[str, str]
    ancestor_keys: frozenset[tuple[str, str]]


# What a stylesheet's structure is read from: comments and strings (skipped whole, even
# unterminated), escapes, and the braces and semicolons outside them.
_STRUCTURE = re.compile(r"""/\*.*?(?:\*/|\Z)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|\\.|[{};]""", re.DOTALL)
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_AT_KEYWORD = re.compile(r"@(-?[A-Za-z_][\w-]*)")


@lru_cache(maxsize=256)
def _style_rules(css: str) -> tuple[tuple[str, str], ...]:
    """(selector list, declaration block) for every style rule of a stylesheet that
    applies on a mobile screen, in order. Only the structure is read here (blocks found
    by braces, skipping comments and strings); selector lists are parsed by tinycss2 and
    cssselect2 when they may match, declaration blocks when a property is asked for.
    Cached by text: a site's pages repeat their stylesheets."""
    found: list[tuple[str, str]] = []
    for prelude, body in _blocks(css):
        prelude = _COMMENT.sub(" ", prelude).replace("<!--", " ").replace("-->", " ").strip()
        if at_rule := _AT_KEYWORD.match(prelude):
            keyword, condition = at_rule.group(1).lower(), prelude[at_rule.end():]
            if keyword == "supports" or (keyword == "media" and media_matches(condition)):
                found.extend(_style_rules(body))
        elif prelude:
            found.append((prelude, body))
    return tuple(found)


# A selector list without functions, attribute selectors, strings or escapes: its commas
# separate selectors, and every class and id in a selector is one it requires.
_PLAIN_LIST = re.compile(r"[^()\[\]\\'\"]*")
_CLASS_OR_ID = re.compile(r"([.#])(-?[^\W\d][\w-]*)")


def _may_match(selectors: str, present: frozenset[tuple[str, str]]) -> bool:
    """False when no selector of the list can match because each requires a class or
    id that no element of the page carries: big stylesheets style whole sites, and most
    of their rules need not even be parsed for one page."""
    if not _PLAIN_LIST.fullmatch(selectors):
        return True
    return any(all(("class" if sigil == "." else "id", name) in present for sigil, name in _CLASS_OR_ID.findall(selector))
               for selector in selectors.split(","))


def _blocks(css: str):
    """(prelude, block contents) of each top-level rule with a block; statements without
    one (``@import …;``) and a prelude left open at the end are dropped, as CSS does."""
    depth, start, opened = 0, 0, 0
    for token in _STRUCTURE.finditer(css):
        char = token.group()
        if char == "{":
            if depth == 0:
                opened = token.end()
            depth += 1
        elif char == "}":
            if depth == 1:
                yield css[start:opened - 1], css[opened:token.start()]
                start = token.end()
            depth = max(depth - 1, 0)
            if depth == 0 and start < token.end():
                start = token.end()  # a stray "}" at the top level
        elif char == ";" and depth == 0:
            start = token.end()
    if depth > 0:  # a block left open runs to the end
        yield css[start:opened - 1], css[opened:]


@lru_cache(maxsize=16384)
def _selector_list(prelude: str) -> tuple[_Selector, ...]:
    """The selectors of a selector list that can match something in a static document:
    pseudo-elements never do, and a selector cssselect2 cannot read is left out (it is
    syntax soupsieve would not know either)."""
    found = []
    for tokens in _comma_separated(prelude):
        text = tinycss2.serialize(tokens).strip()
        if not text or _never_matches(text):
            continue
        try:
            parsed = next(cssselect2.parser.parse(tokens, namespaces={}), None)
        except cssselect2.parser.SelectorError:
            continue
        if parsed is None or parsed.pseudo_element is not None:
            continue
        found.append(_Selector(text=text, specificity=parsed.specificity,
                               subject_key=_subject_key(parsed.parsed_tree),
                               ancestor_keys=frozenset(_ancestor_keys(parsed.parsed_tree, None))))
    return tuple(found)


def _comma_separated(text: str) -> list[list]:
    """The comma-separated parts of a selector or media query list, as tinycss2 tokens
    (commas inside brackets and functions belong to their block)."""
    parts: list[list] = [[]]
    for token in tinycss2.parse_component_value_list(text, skip_comments=True):
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if any(t.type != "whitespace" for t in part)]


def _compound_keys(compound) -> list[tuple[str, str]]:
    keys = []
    for simple in getattr(compound, "simple_selectors", ()):
        if isinstance(simple, cssselect2.parser.IDSelector):
            keys.append(("id", simple.ident))
        elif isinstance(simple, cssselect2.parser.ClassSelector):
            keys.append(("class", simple.class_name))
    return keys


def _subject_key(tree) -> tuple[str, str]:
    subject = tree.right if isinstance(tree, cssselect2.parser.CombinedSelector) else tree
    keys = _compound_keys(subject)
    if found := next((key for key in keys if key[0] == "id"), None) or next(iter(keys), None):
        return found
    names = [s.lower_local_name for s in getattr(subject, "simple_selectors", ())
             if isinstance(s, cssselect2.parser.LocalNameSelector)]
    return ("tag", names[0]) if names else ("*", "")


def _ancestor_keys(tree, followed_by: str | None) -> list[tuple[str, str]]:
    """The ids and classes that compounds followed by a descendant or child combinator
    require of some ancestor (a compound followed by a sibling combinator requires
    nothing of the subject's ancestors)."""
    if isinstance(tree, cssselect2.parser.CombinedSelector):
        return _ancestor_keys(tree.left, tree.combinator) + _ancestor_keys(tree.right, followed_by)
    return _compound_keys(tree) if followed_by in (" ", ">") else []


@lru_cache(maxsize=65536)
def _declaration_block(body: str) -> tuple[tuple[str, str, bool], ...]:
    return tuple(_declarations(tinycss2.parse_declaration_list(body, skip_comments=True, skip_whitespace=True)))


_PROPERTY_NAME = re.compile(r"(?:^|[;{])\s*(-?[A-Za-z_][\w-]*)\s*:")
# The longhands a shorthand is expanded to (see _expand).
_LONGHANDS = {"padding": ("padding-top", "padding-right", "padding-bottom", "padding-left"),
              "inset": ("top", "right", "bottom", "left"),
              "background": ("background-color", "background-image"), "font": ("font-size",)}


@lru_cache(maxsize=65536)
def _declared_names(body: str) -> frozenset[str]:
    """The properties a declaration block may declare, read without parsing it: a
    superset (a name in a comment counts), so a rule is never missed."""
    names = {m.lower() for m in _PROPERTY_NAME.findall(body)}
    return frozenset(names.union(*(_LONGHANDS.get(name, ()) for name in names)))


def _declarations(nodes) -> list[tuple[str, str, bool]]:
    """(name, value, important) with the shorthands the checks need expanded."""
    found = []
    for node in nodes:
        if node.type != "declaration":
            continue
        value = tinycss2.serialize(node.value).strip()
        for name, part in _expand(node.lower_name, value, node.value):
            found.append((name, part, node.important))
    return found


def _expand(name: str, value: str, tokens: list) -> list[tuple[str, str]]:
    lowered = value.lower()
    if name in ("padding", "inset"):
        sides = _box_sides(_words(tokens))
        prefix = "padding-" if name == "padding" else ""
        return [(prefix + side, part) for side, part in zip(("top", "right", "bottom", "left"), sides)]
    if name == "background":
        words = _words(tokens)
        colour = next((t for t in words if _color(t, current=BLACK) is not None), None)
        image = next((t for t in words if t.startswith("url(")), "none")
        return [("background-color", colour or "transparent"), ("background-image", image)]
    if name == "font":
        size = re.search(r"(?:^|\s)([\d.]+(?:px|em|rem|%|pt|vw|vh)|xx-small|x-small|small|medium|large|x-large"
                         r"|xx-large)(?:/|\s|$)", lowered)
        return [("font-size", size.group(1))] if size else []
    return [(name, lowered)]


def _box_sides(parts: list[str]) -> list[str]:
    if len(parts) == 1:
        return parts * 4
    if len(parts) == 2:
        return [parts[0], parts[1], parts[0], parts[1]]
    if len(parts) == 3:
        return [parts[0], parts[1], parts[2], parts[1]]
    return parts[:4]


def _words(tokens: list) -> list[str]:
    """A value's component values, lowercased: "rgba(0, 0, 0, .5) url(x)" -> 2 words
    (tinycss2 keeps a function's arguments inside it)."""
    return [tinycss2.serialize([token]).strip().lower() for token in tokens
            if token.type not in ("whitespace", "comment")]


@lru_cache(maxsize=8192)
def _never_matches(selector: str) -> bool:
    """Pseudo-elements match nothing in a static document."""
    return "::" in selector or bool(re.search(r":(before|after|first-line|first-letter|selection|placeholder)\b",
                                              selector))


def _matches(selector: str, tag: Tag) -> bool:
    """Whether ``tag`` matches; selectors are compiled on first use (most rules of a big
    stylesheet are never tried), and syntax soupsieve does not know matches nothing."""
    matcher = _compile(selector)
    return matcher is not None and bool(matcher.match(tag))


@lru_cache(maxsize=16384)
def _compile(selector: str):
    try:
        return soupsieve.compile(selector)
    except Exception:  # soupsieve raises several error types on unsupported syntax
        return None


def specificity_of(selector: str) -> tuple[int, int, int]:
    """CSS specificity (ids, classes/attributes/pseudo-classes, types) of the first
    selector of ``selector``, as cssselect2 counts it (:is/:not/:has count their most
    specific argument, :where nothing); (0, 0, 0) for a selector it cannot read."""
    selectors = _selector_list(selector)
    return selectors[0].specificity if selectors else (0, 0, 0)


def media_matches(query_list: str) -> bool:
    """Whether a media query list applies to a phone screen (360x640, portrait, no
    hover, light scheme). Unknown features are taken as not matching, so the base rules
    stand."""
    return any(_media_query_matches(tinycss2.serialize(query).strip()) for query in _comma_separated(query_list.lower()))


def _media_query_matches(query: str) -> bool:
    negated = query.startswith("not ")
    query = re.sub(r"^(not|only)\s+", "", query)
    media_type, _, _ = query.partition("(")
    media_type = media_type.replace("and", "").strip()
    result = media_type in ("", "all", "screen")
    for feature, value in re.findall(r"\(\s*([\w-]+)\s*(?::\s*([^)]+))?\)", query):
        result = result and _feature_matches(feature, (value or "").strip())
    return result != negated


def _feature_matches(feature: str, value: str) -> bool:
    size = _length(value, font_size=DEFAULT_FONT_SIZE, root_font_size=DEFAULT_FONT_SIZE, reference=0.0)
    limits = {"min-width": lambda: size is not None and VIEWPORT_WIDTH >= size,
              "max-width": lambda: size is not None and VIEWPORT_WIDTH <= size,
              "min-height": lambda: size is not None and VIEWPORT_HEIGHT >= size,
              "max-height": lambda: size is not None and VIEWPORT_HEIGHT <= size,
              "orientation": lambda: value == "portrait",
              "prefers-color-scheme": lambda: value == "light",
              "hover": lambda: value == "none",
              "pointer": lambda: value == "coarse",
              "prefers-reduced-motion": lambda: value == "no-preference"}
    return limits[feature]() if feature in limits else False


_LENGTH = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(px|em|rem|%|vw|vh|vmin|vmax|pt|)$")


def _length(value: str | None, *, font_size: float, root_font_size: float, reference: float) -> float | None:
    if not value:
        return None
    match = _LENGTH.match(value.strip().lower())
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    scale = {"px": 1.0, "em": font_size, "rem": root_font_size, "%": reference / 100.0,
             "vw": VIEWPORT_WIDTH / 100.0, "vh": VIEWPORT_HEIGHT / 100.0,
             "vmin": min(VIEWPORT_WIDTH, VIEWPORT_HEIGHT) / 100.0,
             "vmax": max(VIEWPORT_WIDTH, VIEWPORT_HEIGHT) / 100.0, "pt": 4.0 / 3.0}
    if unit == "":
        return 0.0 if number == 0 else None
    return number * scale[unit]


def _attribute_px(value) -> float | None:
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?(px)?\s*", value):
        return float(value.strip().removesuffix("px"))
    return None


def _number(value: str | None, *, default: float, percent_of: float) -> float:
    if not value:
        return default
    value = value.strip()
    try:
        if value.endswith("%"):
            return float(value[:-1]) / 100.0 * percent_of
        return float(value)
    except ValueError:
        return default


def _color(value: str | None, *, current: RGBA) -> RGBA | None:
    if not value:
        return None
    parsed = tinycss2.color3.parse_color(value)
    if parsed is None:
        return None
    if parsed == "currentColor":
        return current
    return (parsed.red, parsed.green, parsed.blue, parsed.alpha)
