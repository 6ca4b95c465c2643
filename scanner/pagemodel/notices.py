"""What a page report must say it could not judge: a page drawn by script (the saved
markup is a shell, its content is not in it), and a consent platform whose dialog a
script loads (the dialog the user sees is not in the saved page)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.pagemodel.text import element_text, page_root

# A shell shows less text than this (a title, a "please enable JavaScript" line) ...
SHELL_TEXT = 200
# ... and holds at least this many scripts, or an empty mount point for a framework.
SHELL_SCRIPTS = 3
_MOUNT_POINTS = frozenset({"root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app", "q-app"})


@dataclass(frozen=True, kw_only=True)
class ConsentPlatform:
    name: str
    script: re.Pattern   # what its loader looks like: the host it loads from, its global names
    dialog: re.Pattern   # ids / classes of the dialog it draws, when the saved page holds it


# The consent management platforms in wide use (IAB Europe's CMP list names most), by the
# hosts their loaders are served from and the ids their dialogs carry.
CONSENT_PLATFORMS = (
    ConsentPlatform(name="OneTrust", script=re.compile(r"cookielaw\.org|onetrust\.com|otSDKStub|optanon", re.I),
                    dialog=re.compile(r"onetrust-(?:banner-sdk|pc-sdk)|optanon-popup", re.I)),
    ConsentPlatform(name="Cookiebot", script=re.compile(r"consent\.cookiebot\.(?:com|eu)|\bCookiebot\b", re.I),
                    dialog=re.compile(r"CybotCookiebotDialog")),
    ConsentPlatform(name="Didomi", script=re.compile(r"privacy-center\.org|didomi", re.I),
                    dialog=re.compile(r"didomi-(?:popup|notice)", re.I)),
    ConsentPlatform(name="Sourcepoint", script=re.compile(r"sp-prod\.net|privacy-mgmt\.com|sourcepoint|\b_sp_\b",
                                                          re.I),
                    dialog=re.compile(r"sp_message_(?:iframe|container)", re.I)),
    ConsentPlatform(name="Quantcast Choice", script=re.compile(r"quantcast\.mgr\.consensu\.org|cmp\.quantcast\.com"
                                                               r"|choice\.quantcast", re.I),
                    dialog=re.compile(r"qc-cmp2-(?:container|ui)", re.I)),
    ConsentPlatform(name="TrustArc", script=re.compile(r"trustarc\.com|truste\.com|\bteconsent\b", re.I),
                    dialog=re.compile(r"truste_(?:box|overlay)|truste-consent", re.I)),
    ConsentPlatform(name="Usercentrics", script=re.compile(r"usercentrics\.eu|usercentrics", re.I),
                    dialog=re.compile(r"usercentrics-root|uc-banner", re.I)),
    ConsentPlatform(name="consentmanager", script=re.compile(r"consentmanager\.(?:net|mgr)|cdn\.consentmanager", re.I),
                    dialog=re.compile(r"\bcmpbox\b", re.I)),
    ConsentPlatform(name="iubenda", script=re.compile(r"iubenda\.com", re.I),
                    dialog=re.compile(r"iubenda-cs-banner", re.I)),
    ConsentPlatform(name="CookieYes", script=re.compile(r"cookieyes\.com|cdn-cookieyes", re.I),
                    dialog=re.compile(r"cky-consent", re.I)),
    ConsentPlatform(name="Osano", script=re.compile(r"cmp\.osano\.com", re.I),
                    dialog=re.compile(r"osano-cm-window", re.I)),
    ConsentPlatform(name="Google Funding Choices", script=re.compile(r"fundingchoicesmessages\.google\.com", re.I),
                    dialog=re.compile(r"fc-consent-root", re.I)),
    ConsentPlatform(name="Axeptio", script=re.compile(r"axept\.io", re.I),
                    dialog=re.compile(r"axeptio_(?:overlay|widget)", re.I)),
    ConsentPlatform(name="Piano Consent", script=re.compile(r"privacy-cdn\.piano\.io|pianoConsent", re.I),
                    dialog=re.compile(r"piano-consent", re.I)),
    ConsentPlatform(name="Borlabs Cookie", script=re.compile(r"borlabs-cookie", re.I),
                    dialog=re.compile(r"BorlabsCookieBox", re.I)),
)


# The IAB TCF API stub every TCF platform installs (and its v2 cookie), when no named
# platform is seen.
_TCF_STUB = re.compile(r"__tcfapi|\b__cmp\b|euconsent-v2")
_ANY_CMP = ConsentPlatform(name="(an IAB TCF platform)", script=_TCF_STUB,
                           dialog=re.compile(r"(?:^|[\s_-])(?:cmp|consent|gdpr)(?:[\s_-]|$)", re.I))
_CONSENT_WORDS = re.compile(r"\bcookies?\b|consent|gdpr|\bprivacy\b", re.IGNORECASE)


def is_script_shell(page: Page) -> bool:
    """Whether the saved markup is only a shell a script fills in: next to no text, no
    form to fill, and scripts (or an empty mount point such as ``<div id="root">``) that
    draw the page."""
    def build() -> bool:
        if page.kind != "html":
            return False
        root = page_root(page)
        if any(str(e.get("type", "")).lower() != "hidden" for e in root.find_all(["input", "textarea", "select"])):
            return False
        drawn = len(page.document.find_all("script")) >= SHELL_SCRIPTS or bool(page.document.find("template")) \
            or any(str(e.get("id", "")).lower() in _MOUNT_POINTS and not element_text(page, e)
                   for e in root.find_all(True, id=True))
        # The page's visible text (which needs every element's style) is read last.
        return drawn and len(element_text(page, root)) < SHELL_TEXT
    return page_cached(page, "notices.shell", build)


def script_loaded_platforms(page: Page) -> list[str]:
    """The consent platforms a script of the page loads whose dialog the saved page does
    not hold: the prompt the user sees is not here to judge."""
    if page.kind != "html":
        return []
    code = _script_code(page)
    named = [p for p in CONSENT_PLATFORMS if p.script.search(code)]
    found = [p.name for p in named if not _holds_dialog(page, p)]
    if not named and _TCF_STUB.search(code) and not _holds_dialog(page, _ANY_CMP):
        found.append(_ANY_CMP.name)
    return found


def _script_code(page: Page) -> str:
    """What loads and drives scripts: script addresses and bodies, handler attributes,
    ``javascript:`` links ("javascript:Cookiebot.renew()" says who drew the banner) and
    the ids of the places platforms draw into (TrustArc's "teconsent")."""
    parts = []
    for element in page.elements:
        if isinstance(element.get("id"), str):
            parts.append(element["id"])
        if element.name == "script":
            parts += [str(element.get("src", "")), (element.string or "")[:20000]]
        for name, value in element.attrs.items():
            if isinstance(value, str) and (name.startswith("on") or value.lstrip().lower().startswith("javascript:")):
                parts.append(value[:2000])
    return " ".join(parts)


def _holds_dialog(page: Page, platform: ConsentPlatform) -> bool:
    """Whether the saved page holds the platform's dialog with its words (an empty
    mount point the script would fill does not count)."""
    for element in page.elements:
        names = f"{element.get('id') or ''} {' '.join(element.get('class') or ())}"
        if names.strip() and platform.dialog.search(names) and element_text(page, element, visible=False):
            return True
    return False


def page_notices(page: Page) -> list[str]:
    """The notes the report carries for this page. Read from markup, what only a browser
    can tell is "not judged: needs --render"; rendered, what the browser still did not
    draw is said so (offline, its scripts were not there or did not run)."""
    notes = []
    if is_script_shell(page):
        notes.append(f"rendered by script: not judged{_WHY_NOT[page.rendered is not None]} "
                     "(the page holds next to no content)")
    notes.extend(f"consent platform {name} loaded by script; its dialog is not in this page: "
                 f"not judged{_WHY_NOT[page.rendered is not None]}" for name in script_loaded_platforms(page))
    if page.kind == "html" and any(_CONSENT_WORDS.search(t.get_text(" ", strip=True)) and t.find(["button", "a"])
                                   for t in page.document.find_all("template")):
        notes.append(f"a consent banner kept in a <template> is drawn by script: "
                     f"not judged{_WHY_NOT[page.rendered is not None]}")
    if page.kind == "html" and any(_CONSENT_WORDS.search(code) and _CONTROL_TAG.search(code)
                                   for code in _script_templates(page)):
        notes.append(f"a consent banner kept in a <script> template is drawn by script: "
                     f"not judged{_WHY_NOT[page.rendered is not None]}")
    return notes


# Why a page's script-drawn part is not judged: read from markup (False), or rendered and
# still not drawn (True).
_WHY_NOT = {False: ": needs --render",
            True: ": rendered, and still not drawn offline (its scripts are not in the capture, or did not run)"}


# Markup kept in a script element for a script to draw later (``type="text/html"``,
# ``text/template``, ``text/x-handlebars-template``…): the parser holds it as text.
_TEMPLATE_TYPE = re.compile(r"text/(?:html|(?:x-)?[\w-]*template)$", re.IGNORECASE)
_CONTROL_TAG = re.compile(r"<(?:button|a)[\s>]", re.IGNORECASE)


def _script_templates(page: Page) -> list[str]:
    return [script.string or "" for script in page.document.find_all("script")
            if _TEMPLATE_TYPE.match(str(script.get("type", "")).strip())]
