"""UI008 link-blocking."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from bs4 import Tag

from appaudit.scanner.check import ORIGIN_UNKNOWN, NotApplicable, PageCheck
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import popup_of, short_label
from appaudit.scanner.pagemodel.destinations import Kind, classify
from appaudit.scanner.pagemodel.scripts import CLICK_EVENTS, PREVENT, scripts_of
from appaudit.scanner.pagemodel.style import is_visible, style_of
from appaudit.scanner.pagemodel.text import element_text, innermost_matches, page_root, word_count

# Wording of a refusal to open a link here: WeChat's "已停止访问该网页", "请在浏览器中打开",
# "复制链接到浏览器打开", and English equivalents.
REFUSAL = re.compile(
    r"已?停止访问(?:该|此)?(?:网页|网站|链接|页面)"
    r"|(?:无法|不能|不支持|暂不支持|禁止)(?:在[^，。]{0,8}内)?(?:直接)?(?:打开|访问|跳转)(?:该|此|外部|第三方|其他)?(?:网页|网站|链接|网址|页面)"
    r"|(?:在|用|使用|到|去|前往)(?:手机|系统|其他|外部|默认)?浏览器(?:中|里)?(?:打开|访问|查看)"
    r"|(?:复制|拷贝)(?:该|此)?(?:链接|网址|地址)[^。]{0,8}?浏览器"
    r"|长按(?:复制)?(?:网址|链接)[^。]{0,8}浏览器"
    r"|open (?:this|the) (?:link|page|url|site) in (?:your|a|an|the) (?:external |default |mobile |system )?browser"
    r"|copy (?:the|this) (?:link|url)[^.]{0,20}(?:browser)"
    r"|(?:this|the) (?:link|page) (?:cannot|can't|can not) be opened"
    r"|(?:links to|opening) (?:external|other|third-party) (?:sites|websites|links|pages) (?:is|are) "
    r"(?:not supported|blocked|disabled|not allowed)", re.IGNORECASE)
# Reasons that make a refusal a genuine security warning (malware, phishing, fraud).
SECURITY_REASON = re.compile(
    r"病毒|木马|恶意|欺诈|诈骗|钓鱼|仿冒|赌博|色情|违法|安全风险|不安全|危险|高危"
    r"|malware|malicious|phishing|deceptive|dangerous|harmful|unsafe|virus|trojan|fraud|scam|attackers"
    r"|security (?:risk|threat|warning)|safe browsing", re.IGNORECASE)
# A page this short is an interstitial, not an article that mentions browsers: counted
# in words, a Chinese character counting as one.
INTERSTITIAL_MAX_WORDS = 150


class LinkBlocking(PageCheck):
    """A page that refuses to open ordinary links to other sites:

    - an interstitial that stops the visit or sends the user elsewhere to open it
      ("已停止访问该网页", "请在浏览器中打开", "复制链接到浏览器打开", "open this link in
      your browser") — a short page, a pop-up or an overlay whose text says so (for
      dumps: a screen with little text that says so);
    - a link to another site made dead: ``pointer-events: none`` on it (or inherited),
      or a click handler on it that cancels the click (``return false``,
      ``preventDefault``) without opening the address another way — a navigation
      anywhere in the handler or the functions it calls, callbacks included, counts as
      one (Google's outbound-link tracking opens the link from ``event_callback``).

    Genuine security warnings are not findings: an interstitial giving malware,
    phishing, fraud or other illegal content as its reason. Links that ask before
    leaving (``return confirm(…)``), links opened through ``window.open``, same-site links
    and app/store links are not judged. Dead links need the page's own URL to know they
    lead to another site; without it only interstitials are reported.

    MIIT's 2021 Internet-sector rectification campaign (互联网行业专项整治行动) names
    blocking other services' URL links (屏蔽网址链接) without a legitimate reason; the
    Anti-Unfair Competition Law Art. 12 forbids obstructing other operators' services.
    """

    id = "UI008"
    name = "link-blocking"
    severity = Severity.MEDIUM
    regulations = ("MIIT 2021 互联网行业专项整治行动: 屏蔽网址链接", "《反不正当竞争法》(2019) 第十二条")
    description = "A page that blocks or refuses to open ordinary links to other sites"

    def check_html(self, page: Page) -> Iterable[Finding]:
        found = list(self._refusals(page, _overlay_of))
        if page.url:
            found += self._dead_links(page)
        elif not found:
            # Whether a link leads to another site needs the page's own URL.
            raise NotApplicable(ORIGIN_UNKNOWN)
        return found

    def check_screen(self, page: Page) -> Iterable[Finding]:
        # A dump tells no overlay apart from the screen: only a short screen is an interstitial.
        return self._refusals(page, lambda page, element: None)

    def _refusals(self, page: Page, overlay_of: Callable[[Page, Tag], Tag | None]) -> Iterator[Finding]:
        """One finding per interstitial, at the first element saying it refuses. The
        interstitial is the whole page when it is short, else the overlay around the
        element (``overlay_of``); an element that is part of an ordinary page is none."""
        page_text = element_text(page, page_root(page))
        short = word_count(page_text) <= INTERSTITIAL_MAX_WORDS
        reported: set[int] = set()
        for element, match in innermost_matches(page, REFUSAL):
            interstitial = page_root(page) if short else overlay_of(page, element)
            if interstitial is None or id(interstitial) in reported:
                continue
            reported.add(id(interstitial))
            if SECURITY_REASON.search(element_text(page, interstitial)):
                continue
            yield self.finding(
                title=f"Link refused: “{short_label(match.group(0))}”",
                message=("This screen refuses to open the link and tells the user to go elsewhere (another "
                         "browser, a copied address). Ordinary links to other sites must open normally."),
                location=page.location(element),
                evidence=Evidence(details={"kind": "interstitial", "phrase": match.group(0),
                                           "interstitial": page.selector(interstitial)}),
            )

    def _dead_links(self, page: Page) -> Iterator[Finding]:
        for link in page_root(page).find_all(["a", "area"], href=True):
            destination = classify(str(link["href"]), page.url)
            if destination.kind is not Kind.OTHER_SITE or not is_visible(page, link):
                continue
            how = _disabled_by_css(page, link) or _cancelled_by_handler(page, link)
            if how is None:
                continue
            yield self.finding(
                title=f"Link to another site is disabled by {how[0]}",
                message=(f"This link to {destination.url} does nothing when tapped: {how[0]} cancels it. "
                         f"Ordinary links to other sites must open normally."),
                location=page.location(link),
                evidence=Evidence(details={"kind": "dead link", "destination": destination.url,
                                           "disabled_by": how[0], **({"code": how[1]} if how[1] else {})}),
            )


def _overlay_of(page: Page, element: Tag) -> Tag | None:
    """The pop-up or floating overlay around an element of a web page, if any."""
    popup = popup_of(page, element)
    if popup is not None:
        return popup.element
    floating = [e for e in [element, *element.parents]
                if e.name != "[document]" and style_of(page, e).position in ("fixed", "absolute")]
    return floating[-1] if floating else None


def _disabled_by_css(page: Page, link: Tag) -> tuple[str, str] | None:
    """``pointer-events: none`` declared on the link or inherited from an ancestor."""
    for element in [link, *link.parents]:
        if element.name == "[document]":
            break
        value = style_of(page, element).values.get("pointer-events")
        if value:
            return ("pointer-events: none", "") if value == "none" else None
    return None


def _cancelled_by_handler(page: Page, link: Tag) -> tuple[str, str] | None:
    """A click handler on the link that cancels the navigation and opens nothing else."""
    host = (urlsplit(str(link.get("href", "")).strip()).hostname or "").lower()
    for handler in scripts_of(page).handlers_on(link, CLICK_EVENTS):
        if handler.navigations or handler.navigates_anywhere:
            return None  # it opens the address (or another) itself, maybe from a callback
        if host and host in handler.code.replace("\\", "").lower():
            return None  # it hands the address to other code (a language switcher, a router)
        prevent = next((e for e in handler.effects if e.action == PREVENT), None)
        if prevent is not None:
            how = next((w for w in ("preventDefault", "return false") if w in prevent.code), "returnValue = false")
            return f"{how} in a click handler", handler.code
    return None
