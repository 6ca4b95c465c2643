"""What a page puts before the user to answer: prompt boxes (consent banners, dialogs,
fixed bars), the labelled actions a user taps (accept, decline) and the title of a
settings screen, read from HTML pages and uiautomator dumps."""
from __future__ import annotations

from dataclasses import dataclass

from bs4 import Tag

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.pagemodel.consent import is_accept_label, is_decline_label, is_settings_title
from appaudit.scanner.pagemodel.controls import name_tokens, popups, xml_dialogs
from appaudit.scanner.pagemodel.scripts import CLICK_EVENTS, scripts_of
from appaudit.scanner.pagemodel.style import is_visible, style_of
from appaudit.scanner.pagemodel.text import element_text, page_root
from appaudit.scanner.pagemodel.uiautomator import label_of, nodes, tap_target


@dataclass(frozen=True, kw_only=True)
class Action:
    """Something a user taps that is labelled: a button, link, button-classed or
    tappable element (for dumps, a labelled node that receives a tap itself or through a
    clickable ancestor). ``label`` prefers an aria-label; ``text`` is what it shows."""

    element: Tag
    label: str
    text: str = ""

    @property
    def accepts(self) -> bool:
        """Says accept by its name or by what it shows: "Got it!" named "dismiss cookie message"."""
        return any(is_accept_label(words) for words in (self.label, self.text) if words)

    @property
    def declines(self) -> bool:
        return any(is_decline_label(words) for words in (self.label, self.text) if words)


_ACTION_ROLES = frozenset({"button", "link", "menuitem", "tab"})
# Static pages draw buttons as ``<div class="btn-agree">``: the class is what says so.
_BUTTON_TOKENS = frozenset({"btn", "button"})
_BUTTON_INPUTS = frozenset({"button", "submit", "reset", "image"})


def actions(page: Page) -> list[Action]:
    def build() -> list[Action]:
        if page.kind == "uiautomator":
            return [Action(element=n, label=label) for n in nodes(page)
                    if (label := label_of(n)) and tap_target(n) is not None]
        scripts = scripts_of(page)
        found = []
        for element in page_root(page).find_all(True):
            if not (element.name in ("button", "a", "area")
                    or (element.name == "input" and str(element.get("type", "")).lower() in _BUTTON_INPUTS)
                    or str(element.get("role", "")).lower() in _ACTION_ROLES
                    or element.has_attr("data-dismiss") or element.has_attr("data-bs-dismiss")
                    or any(t in _BUTTON_TOKENS for n in _attribute_values(element, "class") for t in name_tokens(n))
                    or scripts.handlers_on(element, CLICK_EVENTS)):
                continue
            text = element_text(page, element, visible=False)
            label = (str(element.get("aria-label") or "").strip() or text or str(element.get("value") or "").strip()
                     or " ".join(str(i.get("alt", "")) for i in element.find_all("img")).strip())
            if label:
                found.append(Action(element=element, label=label, text=text))
        return found
    return page_cached(page, "prompts.actions", build)


def settings_title(page: Page) -> Tag | None:
    """The element titling the page as a settings screen ("设置", "隐私设置", "Settings"):
    a heading or the document title in HTML, any text in a dump."""
    def build() -> Tag | None:
        if page.kind == "uiautomator":
            return next((n for n in nodes(page) if is_settings_title(label_of(n))), None)
        candidates = page.document.find_all(["title", "h1", "h2", "h3"]) + \
            page.document.find_all(attrs={"role": "heading"})
        return next((c for c in candidates if is_settings_title(c.get_text(" ", strip=True))), None)
    return page_cached(page, "prompts.settings_title", build)


# --- prompts --------------------------------------------------------------------------------

_CONSENT_NAME_TOKENS = frozenset({"cookie", "cookies", "consent", "gdpr", "ccpa", "cmp", "privacy", "yinsi",
                                  "xieyi", "agreement", "onetrust", "cookiebot", "banner", "notice"})
_NOT_CONTAINERS = frozenset({"html", "body", "head", "a", "button", "input", "img", "label", "span", "p", "li",
                             "ul", "ol", "script", "style", "template", "i", "b", "em", "strong", "small", "svg",
                             "select", "option", "textarea", "h1", "h2", "h3", "h4", "h5", "h6"})


def prompt_containers(page: Page) -> list[Tag]:
    """Boxes a page puts in front of the user by itself, outer ones before the ones
    they hold: pop-ups and dialogs (see ``controls.popups``), boxes named for consent or
    notices (``cookie-banner``, ``gdpr``, ``yinsi``/隐私, ``xieyi``/协议, ``notice-bar``)
    and fixed or sticky bars — shown at load or revealed by the page's own script. For
    dumps: dialog nodes."""
    def build() -> list[Tag]:
        if page.kind == "uiautomator":
            return xml_dialogs(page)
        scripts = scripts_of(page)
        popup_ids = {id(p.element) for p in popups(page)}
        found = []
        for element in page_root(page).find_all(True):
            if id(element) in popup_ids:
                found.append(element)
                continue
            if element.name in _NOT_CONTAINERS:
                continue
            names = [n for attribute in ("class", "id") for n in _attribute_values(element, attribute)]
            named = any(t in _CONSENT_NAME_TOKENS for n in names for t in name_tokens(n))
            if not (named or style_of(page, element).position in ("fixed", "sticky")):
                continue
            if is_visible(page, element) or scripts.reveals(element, automatic_only=True):
                found.append(element)
        return found
    return page_cached(page, "prompts.containers", build)


def container_of(page: Page, element: Tag) -> Tag | None:
    """The outermost prompt container holding ``element``, if any."""
    chain = {id(element)} | {id(a) for a in element.parents}
    return next((c for c in prompt_containers(page) if id(c) in chain), None)


def _attribute_values(element: Tag, attribute: str) -> list[str]:
    value = element.get(attribute)
    return list(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
