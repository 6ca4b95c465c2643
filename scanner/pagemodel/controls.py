"""The vocabulary UI001–UI003 share: pop-ups, close-looking controls, and what a tap on
an element does — for HTML pages and for uiautomator dumps.

Words and names are matched whole (after splitting class names, ids and file names into
tokens), never as substrings, so "disclose", "download" or "skip to content" are not
close controls and "header" is not an ad.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from bs4 import Tag

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.pagemodel.destinations import Destination, Kind, classify
from appaudit.scanner.pagemodel.scripts import CLICK_EVENTS, NAVIGATE, PREVENT, STOP, scripts_of, select
from appaudit.scanner.pagemodel.style import (HIDDEN, SHOWN, VIEWPORT_WIDTH, declared_value, has_background_image, shown_state,
                                              style_of, viewport_coverage)
from appaudit.scanner.render.facts import LateClose, TapResult, rendered
from appaudit.scanner.render.replay import page_relative
from appaudit.scanner.pagemodel.uiautomator import (clickable_ancestor, is_clickable, label_of, nodes, resource_name,
                                           screen_share)

# --- words and names ----------------------------------------------------------------------

CLOSE_GLYPHS = frozenset("×✕✖╳⨯☓✗✘")
# Whole labels (after countdown digits and punctuation are removed) that say close/skip.
_CLOSE_WORDS = frozenset({"关闭", "跳过", "关闭广告", "跳过广告", "广告关闭", "不感兴趣", "我不感兴趣", "關閉", "跳過",
                          "close", "skip", "dismiss", "closead", "skipad",
                          # the EU languages, Japanese, Korean
                          "schließen", "schliessen", "überspringen", "fermer", "passer", "cerrar", "omitir", "chiudi",
                          "salta", "sluiten", "overslaan", "fechar", "pular", "zamknij", "pomiń", "stäng", "hoppa",
                          "luk", "lukk", "sulje", "ohita", "zavřít", "přeskočit", "zavrieť", "bezárás", "închide",
                          "κλείσιμο", "затвори", "uždaryti", "aizvērt", "sulge", "zapri", "zatvori", "dún",
                          "aggħlaq", "kapat", "закрыть", "閉じる", "スキップ", "닫기", "건너뛰기"})
# Words that may stand next to a close word without changing what it means ("skip ad").
_CLOSE_FILLERS = frozenset({"ad", "ads", "广告", "this", "the", "dialog", "modal", "popup", "window",
                            "banner", "button", "弹窗", "窗口", "按钮", "video", "视频"})
# Tokens of class names, ids, resource ids and image file names that name a close control.
_CLOSE_NAME_TOKENS = frozenset({"close", "closebtn", "closebutton", "closeicon", "btnclose", "iconclose",
                                "guanbi", "tiaoguo", "skip", "skipbtn", "dismiss", "times", "xmark"})
# Icon sets draw the close "x" as a cross: fa-times, bi-x, icon-x, van-icon-cross. The cross
# must follow the set's prefixes directly and may only be followed by a size or shape
# variant (bi-x-lg, bi-x-circle-fill): "bi-twitter-x" and "fa-x-twitter" are the X logo.
_ICON_PREFIXES = frozenset({"fa", "fas", "far", "bi", "icon", "iconfont", "ic", "van", "el", "glyphicon",
                            "mdi", "ion", "ri", "anticon", "btn"})
_CROSS_TOKENS = frozenset({"x", "cross"})
_ICON_VARIANTS = frozenset({"lg", "sm", "xs", "circle", "square", "octagon", "fill", "filled", "outline",
                            "outlined", "thin", "light", "bold", "round", "2x", "3x"})
# Buttons that dismiss a dialog without being drawn as a close control.
DISMISS_WORDS = frozenset({"取消", "知道了", "我知道了", "好的", "好", "稍后", "以后再说", "下次再说", "暂不",
                           "暂不需要", "不用了", "残忍拒绝", "拒绝", "忽略", "返回", "确定", "确认", "同意", "我同意",
                           "接受", "不同意", "ok", "okay", "cancel", "got it", "not now", "no thanks", "no, thanks",
                           "later", "maybe later", "dismiss", "decline", "back", "done", "accept", "accept all",
                           "agree", "i agree", "reject", "reject all", "allow", "continue"})

_NOT_POPUP_TAGS = frozenset({"html", "body", "head", "a", "button", "input", "img", "i", "svg", "label", "select",
                             "option", "textarea", "script", "style", "template", "span", "p", "li", "ul", "ol"})
_CONTENT_TAGS = ("img", "video", "picture", "canvas", "iframe", "svg", "embed", "object")
_BOOTSTRAP_OPEN_CLASSES = frozenset({"in", "show"})
_BOOTSTRAP_FADING_MODAL = frozenset({"modal", "fade"})
_BOOTSTRAP_TOGGLED = ("modal", "offcanvas")

POPUP_Z_INDEX = 100
POPUP_COVERAGE = 0.2        # share of the viewport a fixed, high z-index box must cover
POPUP_WIDTH_SHARE = 0.6     # ... or, when its height is the content's, share of the width
POPUP_TOP_GAP = 24.0        # ... floated at least this far (CSS px) below the top edge (in the browser: from every edge)
POPUP_CENTRE_SHARE = 0.6    # ... in the browser, its centre this high up the screen at most
FULL_SCREEN_COVERAGE = 0.6  # a tap area this large is the MIIT "全屏热力图"
SCREEN_MAJORITY = 0.5       # "covering most of the screen" for uiautomator nodes

# "×2", "× 3": a multiplication sign before a quantity (an order line), unlike a countdown
# beside a close glyph ("× 5s").
_QUANTITY = re.compile("[" + re.escape("".join(sorted(CLOSE_GLYPHS))) + "]"
                       + r"\s*\d+(?:\.\d+)?(?![\d.]|\s*(?:s|sec|secs|seconds)\b|\s*秒)")

_COUNTDOWN = re.compile(
    r"\d+\s*(?:s|秒钟?)\s*(?:后|之后)\s*(?:可以?|才能|方可|即可)?\s*(?:自动)?\s*(?:关闭|跳过)"
    r"|(?:you\s+can\s+)?(?:skip|close|closes)(?:\s+(?:this\s+)?ad)?\s+in\s+\d+"
    r"|(?:请等待|等待)\s*\d+\s*(?:s|秒)", re.IGNORECASE)

# Ad wording in uiautomator dumps (Chinese ads must carry the 广告 label; splash SDKs write
# 跳转详情页或第三方应用 / 立即下载 on the creative).
_AD_TEXT = re.compile(r"广告|立即下载|下载应用|点击跳转|跳转详情|第三方应用|查看详情|了解详情|去看看|开屏"
                      r"|\b(?:ad|ads|advert|advertisement|sponsored|install now|download now)\b", re.IGNORECASE)
_AD_NAME_TOKENS = frozenset({"ad", "ads", "advert", "adview", "adcontainer", "splash", "splashad", "gdt", "csj",
                             "ksad", "pangle", "guanggao", "kaiping"})


def name_tokens(name: str) -> list[str]:
    """"btnClose icon-close_2x" -> ["btn", "close", "icon", "close", "2x"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [t for t in re.split(r"[\s\-_.@/:]+", spaced.lower()) if t]


LONGEST_CLOSE_TEXT = 24  # characters, spaces collapsed


@lru_cache(maxsize=16384)  # labels repeat across a page's controls and a site's pages
def is_close_text(text: str) -> bool:
    """Whether a whole label reads as close/skip: "×", "关闭", "跳过 5s", "Skip ad",
    "close". A lone "X" is not enough here (see :func:`is_lone_x`)."""
    lowered = re.sub(r"\s+", " ", text.strip().lower())
    if not lowered or len(lowered) > LONGEST_CLOSE_TEXT:
        return False
    lowered = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", lowered)  # "关 闭" is spaced "关闭"
    if _QUANTITY.search(lowered):
        return False
    lowered = re.sub(r"\d+\s*(?:s|秒|sec|secs|seconds)?\b|\d+\s*秒", " ", lowered)
    words = [w for w in re.split(r"[\s()（）\[\]【】|·:：,，.。!！/]+", lowered) if w]
    if not words:
        return False
    glyphs_or_words = [w for w in words if set(w) <= CLOSE_GLYPHS or w in _CLOSE_WORDS
                       or _without_glyphs(w) in _CLOSE_WORDS]
    return bool(glyphs_or_words) and all(w in _CLOSE_FILLERS or w in glyphs_or_words for w in words)


def _without_glyphs(word: str) -> str:
    return "".join(c for c in word if c not in CLOSE_GLYPHS)


def is_lone_x(text: str) -> bool:
    return text.strip() in ("x", "X")


@lru_cache(maxsize=16384)
def names_close(name: str) -> bool:
    """Whether class names, an id or a file name call the element a close control:
    a close word ("icon-close", "guanbi.png", "fa-times") or an icon set's cross ("bi-x")."""
    if any(t in _CLOSE_NAME_TOKENS for t in name_tokens(name)):
        return True
    return any(_names_cross_icon(name_tokens(part)) for part in name.split())


def _names_cross_icon(tokens: list[str]) -> bool:
    """"bi-x", "van-icon-cross", "bi-x-circle-fill": icon prefixes, the cross, variants."""
    cross = next((i for i, t in enumerate(tokens) if t in _CROSS_TOKENS), None)
    return (cross is not None and cross > 0 and all(t in _ICON_PREFIXES for t in tokens[:cross])
            and all(t in _ICON_VARIANTS for t in tokens[cross + 1:]))


def is_dismiss_text(text: str) -> bool:
    return re.sub(r"\s+", " ", text.strip().lower()) in DISMISS_WORDS


def short_label(label: str) -> str:
    """A control's label shortened for a finding's title."""
    return label if len(label) <= 30 else label[:29] + "…"


def countdown_in(text: str) -> str | None:
    match = _COUNTDOWN.search(text)
    return match.group(0) if match else None


# --- HTML: close-looking controls ---------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class CloseControl:
    element: Tag
    label: str          # what it shows or is called: "×", "Close", "icon-close.png"
    source: str         # where that comes from: "text", "aria-label", "title", "alt", "class", "id", "image"
    weak: bool = False  # only a lone "X" or an x-named image: needs more context to count


def close_controls(page: Page) -> list[CloseControl]:
    """Every outermost element that looks like a close or skip control (cached)."""
    def build() -> list[CloseControl]:
        found: dict[int, CloseControl] = {}
        for element in page.elements:
            if element.name in ("html", "body", "head", "script", "style", "template", "title", "meta", "option"):
                continue
            control = _close_look(page, element)
            if control is not None:
                found[id(element)] = control
        return [c for c in found.values() if not any(id(a) in found for a in c.element.parents)]
    return page_cached(page, "controls.close", build)


def _close_look(page: Page, element: Tag) -> CloseControl | None:
    """A close control: something saying close, holding nothing else (the ad creative
    around a close button is not one), and not a large box."""
    control = _close_signal(page, element)
    if control is None or _has_other_content(page, element) or _too_large(page, element):
        return None
    return control


def _close_signal(page: Page, element: Tag) -> CloseControl | None:
    control = _close_named(page, element)
    return None if control is None or _is_brand_icon(control.element) else control


def _close_named(page: Page, element: Tag) -> CloseControl | None:
    # The text includes what an SVG <title> and visually-hidden text say.
    text = _short_text(element)
    if text is None or (text and not is_close_text(text) and not is_lone_x(text)):
        return None
    if text and is_close_text(text):
        return CloseControl(element=element, label=text, source="text")
    for attribute in ("aria-label", "title", "alt", "data-title"):
        value = element.get(attribute)
        if isinstance(value, str) and is_close_text(value):
            return CloseControl(element=element, label=text or value.strip(), source=attribute)
    labelled = _labelled_by(page, element)
    if labelled and is_close_text(labelled):
        return CloseControl(element=element, label=text or labelled, source="aria-labelledby")
    for attribute in ("class", "id", "name"):
        value = _attribute_text(element, attribute)
        if names_close(value):
            return CloseControl(element=element, label=text or value.strip(), source=attribute)
    image = _image_name(page, element)
    if image:
        tokens = name_tokens(image)
        if names_close(image):
            return CloseControl(element=element, label=image, source="image")
        if tokens and tokens[-1] == "x" and all(t in _ICON_PREFIXES | {"x", "2x", "3x"} for t in tokens):
            return CloseControl(element=element, label=image, source="image", weak=True)
    if text:
        return CloseControl(element=element, label=text, source="text", weak=True)
    return None


def _short_text(element: Tag) -> str | None:
    """``element.get_text(" ", strip=True)``, or None as soon as it is longer than any
    close label: every element is asked, and reading all of <body>'s text (and of
    every big box's) to learn that was most of the cost on long pages."""
    pieces: list[str] = []
    length = 0
    for piece in element.stripped_strings:
        pieces.append(piece)
        length += len(piece) + 1
        if length > LONGEST_CLOSE_TEXT + 1 and len(re.sub(r"\s+", " ", " ".join(pieces))) > LONGEST_CLOSE_TEXT:
            return None
    return " ".join(pieces)


def _labelled_by(page: Page, element: Tag) -> str:
    """The accessible name ``aria-labelledby`` gives: the text of the elements named."""
    ids = _attribute_text(element, "aria-labelledby").split()
    if not ids:
        return ""
    by_id = page_cached(page, "controls.by_id", lambda: {str(e["id"]): e for e in page.document.find_all(id=True)})
    return " ".join(by_id[i].get_text(" ", strip=True) for i in ids if i in by_id).strip()


# Icon sets' brand logos: Font Awesome's X (Twitter) logo is "fa-x" in the brands set.
_BRAND_ICON_CLASSES = frozenset({"fab", "fa-brands"})


def _is_brand_icon(element: Tag) -> bool:
    for icon in [element, *element.find_all(["i", "svg", "span"], limit=4)]:
        if set(icon.get("class") or ()) & _BRAND_ICON_CLASSES or icon.get("data-prefix") == "fab":
            return True
    return False


def _image_name(page: Page, element: Tag) -> str | None:
    """The file name, without its extension, of the element's own image (src, or a CSS
    background image): "/img/icon-close@2x.png" -> "icon-close@2x"."""
    source = element.get("src") if element.name in ("img", "input") else None
    if not isinstance(source, str):
        background = declared_value(page, element, "background-image") or ""
        match = re.search(r"url\(\s*['\"]?([^'\")]+)", background)
        source = match.group(1) if match else None
    if not source or source.startswith("data:"):
        return None
    try:
        path = urlsplit(source).path
    except ValueError:  # a malformed URL names no file
        return None
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or None


def _has_other_content(page: Page, element: Tag) -> bool:
    """Whether the element holds content that is not part of a close control: an image,
    video, frame or background picture that is not close-named (the ad creative around
    a close button)."""
    for child in [element, *element.find_all(True)]:
        if child.name not in _CONTENT_TAGS and not has_background_image(page, child):
            continue
        if child.name == "svg" and not child.find_all(["image", "foreignobject"]):
            continue  # an inline SVG icon
        name = _image_name(page, child) or ""
        alt = str(child.get("alt", ""))
        if not (names_close(name) or names_close(_attribute_text(child, "class")) or is_close_text(alt)
                or name_tokens(name)[-1:] == ["x"]):
            return True
    return False


def _attribute_text(element: Tag, attribute: str) -> str:
    value = element.get(attribute)
    return " ".join(value) if isinstance(value, list) else (value if isinstance(value, str) else "")


def _too_large(page: Page, element: Tag) -> bool:
    width, height = style_of(page, element).border_box
    return (width or 0) >= 120 and (height or 0) >= 120


# --- HTML: pop-ups --------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Popup:
    element: Tag
    reason: str                 # why it is taken for a pop-up
    delay_ms: int | None = None  # set when the page's script shows it after a delay


def popups(page: Page) -> list[Popup]:
    """Outermost overlays, dialogs and splash boxes that are shown when the page loads
    or revealed by the page's own script without a user action (cached)."""
    def build() -> list[Popup]:
        scripts = scripts_of(page)
        found: dict[int, Popup] = {}
        for element in page.elements:
            if element.name in _NOT_POPUP_TAGS:
                continue
            reason = _popup_reason(page, element)
            if reason is None or not _has_content(page, element):
                continue
            state = shown_state(page, element)
            if any(_closed_by_bootstrap(page, e) for e in [element, *element.parents] if e.name != "[document]"):
                state = HIDDEN
            if state == SHOWN:
                found[id(element)] = Popup(element=element, reason=reason)
                continue
            # Only what the page itself shows without a user action; a panel whose state
            # the saved page cannot tell (UNKNOWN) is not judged.
            reveals = scripts.reveals(element, automatic_only=True) if state == HIDDEN else []
            if reveals:
                found[id(element)] = Popup(element=element, reason=reason, delay_ms=reveals[0].delay_ms)
        return [p for p in found.values() if not any(id(a) in found for a in p.element.parents)]
    return page_cached(page, "controls.popups", build)


def _closed_by_bootstrap(page: Page, element: Tag) -> bool:
    """A Bootstrap modal or offcanvas in its closed markup. bootstrap.css, which the
    capture rarely holds, hides them until Bootstrap's script adds "in" (v3) or "show"
    (v4, v5) and an inline display; Bootstrap 3 marks a closed modal with nothing else.
    Bootstrap's markup says which elements are its: "modal fade", or the target of a
    data-toggle / data-bs-toggle trigger."""
    classes = set(element.get("class") or ())
    if classes & _BOOTSTRAP_OPEN_CLASSES:
        return False
    bootstrap = _BOOTSTRAP_FADING_MODAL <= classes or any(element is t for t in _bootstrap_toggled(page))
    return bootstrap and declared_value(page, element, "display") is None


def _bootstrap_toggled(page: Page) -> list[Tag]:
    """The modals and offcanvases that Bootstrap triggers on the page open (cached)."""
    def build() -> list[Tag]:
        found = []
        for trigger in page.elements:
            toggle = trigger.get("data-bs-toggle") or trigger.get("data-toggle")
            if toggle not in _BOOTSTRAP_TOGGLED:
                continue
            target = trigger.get("data-bs-target") or trigger.get("data-target") or trigger.get("href")
            if isinstance(target, str) and target.strip().startswith(("#", ".")):
                found.extend(select(page.document, target.strip()))
        return found
    return page_cached(page, "controls.bootstrap_toggled", build)


def _popup_reason(page: Page, element: Tag) -> str | None:
    """Why the element floats over the content as a pop-up, or None. What it is called
    (a class "overlay", "modal", "mask") is never enough: video thumbnails, menus and
    comment boxes carry such names. The markup must declare a dialog (``<dialog>``,
    ``role=dialog``, ``aria-modal``), or the page's styles draw it over the page: a
    fixed / absolute box stacked above it (a z-index) covering a real share of the
    viewport. Whether it is on screen at load is :func:`shown_state`'s to say."""
    if element.name == "dialog":
        return "a <dialog> element"
    role = str(element.get("role", "")).lower()
    if role in ("dialog", "alertdialog"):
        return f'role="{role}"'
    if str(element.get("aria-modal", "")).lower() == "true":
        return 'aria-modal="true"'
    style = style_of(page, element)
    if style.position not in ("fixed", "absolute"):
        return None
    z_index = style.z_index or 0
    if z_index < POPUP_Z_INDEX and not (style.position == "fixed" and z_index > 0):
        return None
    coverage = viewport_coverage(page, element)
    if coverage is not None and coverage >= POPUP_COVERAGE:
        return f"{style.position} box, z-index {z_index}, covering {coverage:.0%} of the screen"
    # A box as tall as its content, most of the screen wide, floated down from the top
    # edge: a dialog (a bar along an edge, like a fixed header, is not). In the browser,
    # the box as laid out: drawn on top, clear of every edge of the screen, in its upper
    # part (an "open in app" bar floated just above the bottom edge is a bar).
    facts = rendered(page)
    laid_out = facts.of(element) if facts is not None else None
    if laid_out is not None:
        box, (screen_width, screen_height) = laid_out.box, facts.viewport
        if laid_out.on_top and box.width >= POPUP_WIDTH_SHARE * screen_width and 0 < box.x \
                and box.x + box.width < screen_width and box.y >= POPUP_TOP_GAP \
                and box.y + box.height <= screen_height - POPUP_TOP_GAP \
                and box.y + box.height / 2 <= POPUP_CENTRE_SHARE * screen_height:
            return f"{style.position} box, z-index {z_index}, {box.width / screen_width:.0%} of the screen wide"
        return None
    width, height = style.border_box
    top = style.offset("top")
    if height is None and width is not None and width >= POPUP_WIDTH_SHARE * VIEWPORT_WIDTH \
            and top is not None and top >= POPUP_TOP_GAP:
        return f"{style.position} box, z-index {z_index}, {width / VIEWPORT_WIDTH:.0%} of the screen wide"
    return None


def _has_content(page: Page, element: Tag) -> bool:
    """Text or media inside: an empty backdrop is not the pop-up itself."""
    if element.get_text(strip=True) or element.find(_CONTENT_TAGS):
        return True
    return any(has_background_image(page, e) for e in [element, *element.find_all(True)])


def late_close(page: Page, popup: Tag) -> LateClose | None:
    """On a rendered page, the way out of ``popup`` that the browser saw come only after
    the page was read (the user had to wait for it), if any."""
    facts = rendered(page)
    return facts.late_closes.get(id(popup)) if facts is not None else None


def popup_of(page: Page, element: Tag) -> Popup | None:
    """The pop-up that contains ``element`` (or is it)."""
    chain = {id(element)} | {id(a) for a in element.parents}
    return next((p for p in popups(page) if id(p.element) in chain), None)


def is_out_of_flow(page: Page, element: Tag) -> bool:
    """Whether the element or an ancestor is fixed/absolute: floating over the page."""
    return any(style_of(page, e).position in ("fixed", "absolute") for e in [element, *element.parents]
               if e.name != "[document]")


# --- HTML: what a tap does ----------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class TapOutcome:
    destination: Destination | None  # the first place the tap takes the user away to
    via: Tag | None                  # the link or the element whose handler navigates
    how: str = ""                    # "link", "click handler", "form submit"
    code: str = ""                   # the handler's code, when a handler navigates
    # A web address the tap goes to that cannot be judged because the page's own URL is
    # unknown (it may or may not be another site).
    unjudged: Destination | None = None


_SUBMIT_TYPES = ("submit", "image")


def tap_outcome(page: Page, element: Tag) -> TapOutcome:
    """Follow a tap on ``element`` up the tree as the click bubbles: handlers on the
    element and its ancestors run innermost first until one stops propagation; the
    innermost link (or submit button's form) navigates by default unless a handler that
    ran prevented the default. The result is the first destination that leaves the
    site, if any. On a rendered page whose control was tapped in the browser, what the
    tap did there."""
    facts = rendered(page)
    tapped = facts.taps.get(id(element)) if facts is not None else None
    if tapped is not None:
        return _observed_outcome(page, element, tapped)
    scripts = scripts_of(page)
    pending: tuple[Destination, Tag, str] | None = None
    unjudged: Destination | None = None
    propagating = True
    prevented = False
    node: Tag | None = element
    while isinstance(node, Tag) and node.name != "[document]":
        stopped = False
        for handler in scripts.handlers_on(node, CLICK_EVENTS) if propagating else ():
            for effect in handler.effects:
                if effect.action == NAVIGATE and effect.url is not None:
                    destination = classify(effect.url, page.url)
                    if destination.leaves:
                        return TapOutcome(destination=destination, via=node, how="click handler", code=handler.code)
                    if destination.kind is Kind.UNKNOWN:
                        unjudged = unjudged or destination
                stopped = stopped or effect.action == STOP
                prevented = prevented or effect.action == PREVENT
        propagating = propagating and not stopped
        if pending is None:
            default = _default_action(node)
            if default is not None:
                pending = (classify(default[0], page.url), node, default[1])
        node = node.parent
    if pending is None or prevented:
        return TapOutcome(destination=None, via=None, unjudged=unjudged)
    if pending[0].leaves:
        return TapOutcome(destination=pending[0], via=pending[1], how=pending[2])
    if pending[0].kind is Kind.UNKNOWN:
        unjudged = unjudged or pending[0]
    return TapOutcome(destination=None, via=None, unjudged=unjudged)


def main_area_tap(page: Page, popup: Tag) -> TapOutcome | None:
    """On a rendered page, what a tap on the centre of ``popup`` (where its content is)
    did in the browser; None where it was not tapped."""
    facts = rendered(page)
    tapped = facts.main_area_taps.get(id(popup)) if facts is not None else None
    return _observed_outcome(page, popup, tapped) if tapped is not None else None


def _observed_outcome(page: Page, element: Tag, tapped: TapResult) -> TapOutcome:
    if tapped.observed is None:
        return TapOutcome(destination=None, via=None)
    destination = classify(page_relative(tapped.observed.url, page.url), page.url)
    if tapped.observed.kind == "download":
        destination = Destination(url=destination.url, kind=Kind.DOWNLOAD)
    how = f"tap in the browser ({tapped.observed.kind})"
    if destination.leaves:
        return TapOutcome(destination=destination, via=element, how=how,
                          code=f"tapped in the browser: {tapped.observed.kind} to {destination.url}")
    return TapOutcome(destination=None, via=None, unjudged=destination if destination.kind is Kind.UNKNOWN else None)


def _default_action(node: Tag) -> tuple[str, str] | None:
    """(target URL, how) of what the browser does by default when ``node`` is clicked."""
    if node.name in ("a", "area"):
        href = node.get("href")
        if isinstance(href, str) and not href.strip().lower().startswith("javascript:"):
            return href, "link"
    # A <button> without a type also submits, but pages relying on that almost always
    # stop it in a script the capture may not hold; only a declared submit counts.
    submits = node.name in ("button", "input") and str(node.get("type", "")).lower() in _SUBMIT_TYPES
    if submits:
        form = node.find_parent("form")
        if form is not None and isinstance(form.get("action"), str):
            return str(form["action"]), "form submit"
    return None


# --- uiautomator -----------------------------------------------------------------------------

def xml_close_nodes(page: Page) -> list[Tag]:
    """Nodes that look like a close or skip control, by label or resource id."""
    def build() -> list[Tag]:
        found = []
        for node in nodes(page):
            label = label_of(node)
            if (label and is_close_text(label)) or names_close(resource_name(node)):
                found.append(node)
            elif is_lone_x(label) and ad_container_of(page, node) is not None:
                found.append(node)
        return _outermost(found)
    return page_cached(page, "controls.xml_close", build)


def is_ad_node(node: Tag) -> bool:
    """Ad wording or an ad-ish resource id in the node or below it (close and skip
    controls excluded: "iv_ad_close" says nothing about the area around it)."""
    for element in [node, *node.find_all("node")]:
        label, name = label_of(element), resource_name(element)
        if is_close_text(label) or names_close(name):
            continue
        if any(t in _AD_NAME_TOKENS for t in name_tokens(name)) or (label and _AD_TEXT.search(label)):
            return True
    return False


def xml_ad_containers(page: Page) -> list[Tag]:
    """Outermost clickable nodes covering most of the screen that carry ad wording or
    ad resource ids: the splash/interstitial ad whose whole area is a redirect."""
    def build() -> list[Tag]:
        found = [n for n in nodes(page) if is_clickable(n) and screen_share(page, n) >= SCREEN_MAJORITY
                 and is_ad_node(n)]
        return _outermost(found)
    return page_cached(page, "controls.xml_ads", build)


def xml_splash_ads(page: Page) -> list[Tag]:
    """Outermost nodes covering most of the screen whose resource id names an ad or
    splash ("splash_root") and that show ad wording or a countdown ("5s后可跳过"), apart
    from the clickable ad containers (not one, inside one or holding one): a splash ad
    whose SDK takes taps on a child view, or none at all. An app's own launch screen
    ("splash_logo" and nothing else) is not one."""
    def build() -> list[Tag]:
        ads = {id(a) for a in xml_ad_containers(page)}
        found = [n for n in nodes(page) if screen_share(page, n) >= SCREEN_MAJORITY
                 and any(t in _AD_NAME_TOKENS for t in name_tokens(resource_name(n)))
                 and any(_AD_TEXT.search(label) or countdown_in(label)
                         for label in map(label_of, [n, *n.find_all("node")]) if label)
                 and not any(id(m) in ads for m in [n, *n.parents, *n.find_all("node")])]
        return _outermost(found)
    return page_cached(page, "controls.xml_splash_ads", build)


def ad_container_of(page: Page, node: Tag) -> Tag | None:
    chain = [node, *node.parents]
    return next((c for c in xml_ad_containers(page) if any(c is a for a in chain)), None)


def xml_dialogs(page: Page) -> list[Tag]:
    """Nodes that are dialogs or pop-up windows by class or resource id."""
    found = []
    for node in nodes(page):
        tokens = name_tokens(resource_name(node)) + name_tokens(str(node.get("class", "")).rsplit(".", 1)[-1])
        if any(t in ("dialog", "popup", "popwindow", "tanchuang", "modal") for t in tokens):
            found.append(node)
    return _outermost(found)


def _outermost(found: list[Tag]) -> list[Tag]:
    """The nodes of ``found`` that are not inside another one of them."""
    ids = {id(n) for n in found}
    return [n for n in found if not any(id(a) in ids for a in n.parents)]


def xml_routes_to(page: Page, node: Tag) -> Tag | None:
    """Where a tap on a non-clickable node goes when that is an ad: the clickable
    ancestor that is an ad container (or covers most of the screen). None when the node
    handles its own taps or the tap lands on something that is not an ad."""
    if is_clickable(node):
        return None
    target = clickable_ancestor(node)
    if target is None or is_close_text(label_of(target)) or names_close(resource_name(target)):
        return None
    if screen_share(page, target) >= SCREEN_MAJORITY or is_ad_node(target):
        return target
    return None
