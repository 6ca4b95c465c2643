"""UI009 missing-site-registration."""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bs4 import Tag

from appaudit.scanner.check import ORIGIN_UNKNOWN, NotApplicable, Option, PageCheck, ScanContext
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.registration import ICP_NUMBER, MIIT_FILING_HOSTS
from appaudit.scanner.pagemodel.style import contrast_ratio, declared_background, is_visible, style_of
from appaudit.scanner.pagemodel.text import element_text, innermost_matches, page_root
from appaudit.scanner.parties import registrable_domain

TARGETS = ("china", "all", "none")
MIN_TEXT = 20           # fewer visible characters: a script-rendered shell, nothing to judge yet
MIN_HAN = 20
MIN_FONT_PX = 6.0
MIN_CONTRAST = 1.2      # text this close to its background colour cannot be read

_HOME_PATH = re.compile(r"/?(?:(?:index|default|home)\.(?:html?|shtml|php|jsp|aspx?))?", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Characters written differently in Traditional and Simplified Chinese, pairwise: a
# Traditional page (Taiwan, Hong Kong, Macao) is not aimed at mainland users.
_TRADITIONAL = "這們個來為會說時國與關請資訊網頁隱權務據體後發開問還點從對應當實現員學習機區處錄麼嗎導產業傳話電號買賣費讀書車長門東見聯護設計議動態種類華"
_SIMPLIFIED = "这们个来为会说时国与关请资讯网页隐权务据体后发开问还点从对应当实现员学习机区处录么吗导产业传话电号买卖费读书车长门东见联护设计议动态种类华"
_MAINLAND_LANG = re.compile(r"zh(?:[-_](?:cn|hans(?:[-_]cn)?))?", re.IGNORECASE)
# Suffixes run by CNNIC: .cn and its second levels (com.cn, gov.cn ...), .中国 and .中國.
_CN_SUFFIXES = (".cn", ".xn--fiqs8s", ".xn--fiqz9s")
CHINESE_TEXT = "Simplified Chinese text"


class MissingSiteRegistration(PageCheck):
    """A site aimed at users in China whose home page shows no ICP filing number
    (province abbreviation + ICP备/ICP证 + number + 号, optionally -N: 京ICP备12345678号-1,
    粤ICP证030173号), or shows it only where nobody can read it (hidden, a few pixels
    high, or the colour of its background).

    Which pages are judged: the filing rule is about the home page, so pages from a
    capture are judged only when their path is ``/`` or an index page (``/index.html``,
    ``/default.aspx`` …) — otherwise every article in a capture would be reported; the
    same holds for a saved page file, whose URL comes from ``--base-url`` or what the
    page says of itself. A page whose origin is unknown, and a uiautomator dump (an app,
    not a site), are "not applicable".

    Which sites target China (profile setting ``settings: {UI009: {target: china}}``,
    the default): a ``.cn`` / ``.中国`` domain, a mainland Chinese ``lang`` (zh, zh-CN,
    zh-Hans), or Simplified Chinese text. ``target: all`` judges every home page,
    ``target: none`` switches the check off. A filing number anywhere in the
    source but in no element's text (rendered by a script) is not judged; a visible link
    to MIIT's filing system (beian.miit.gov.cn) counts as showing the number, which may
    be drawn as a picture.

    《非经营性互联网信息服务备案管理办法》(MIIT Order No. 33) Art. 13 requires the filing
    number at the bottom centre of the home page, linked to the filing system;
    《互联网信息服务管理办法》Art. 12 requires the licence or filing number in a
    prominent place on the home page.
    """

    id = "UI009"
    name = "missing-site-registration"
    severity = Severity.LOW
    regulations = ("《非经营性互联网信息服务备案管理办法》(信息产业部令第33号) 第十三条",
                   "《互联网信息服务管理办法》第十二条")
    description = "A site served in China without an ICP filing number (profile-dependent)"
    options = {"target": Option(TARGETS, "china", "which pages are judged: those targeting China, all, or none")}

    def __init__(self, context: ScanContext) -> None:
        super().__init__(context)
        target = self.option("target")
        if target == "none":
            raise NotApplicable("the profile sets UI009.target to none")
        self.target = target

    def check_html(self, page: Page) -> Iterable[Finding]:
        if page.url is None:
            raise NotApplicable(ORIGIN_UNKNOWN)
        if not is_home_page(page.url):
            return
        root = page_root(page)
        text = element_text(page, root)
        if len(text) < MIN_TEXT:
            return
        signals = china_signals(page, text)
        if self.target == "china" and not signals:
            return
        if _shows_filing(page, root):
            return
        occurrences = innermost_matches(page, ICP_NUMBER, visible=False, root=root)
        if not occurrences:
            if ICP_NUMBER.search(page.source):
                return  # only in a script, comment or noscript: drawn by code we do not run
            yield self.finding(
                title="No ICP filing number on the home page",
                message=("This home page of a site aimed at users in China shows no ICP filing number (such as "
                         "京ICP备12345678号-1). Show it at the bottom of the home page, linked to "
                         "https://beian.miit.gov.cn/."),
                location=page.location(root),
                evidence=Evidence(details={"problem": "missing", "target": self.target, "signals": signals}),
            )
            return
        element, match = occurrences[0]
        reason = _unreadable(page, element)
        yield self.finding(
            title=f"ICP filing number {match.group(0)} is present but {reason}",
            message=(f"The filing number is in the page but {reason}, so visitors cannot see it. Show it "
                     f"readably at the bottom of the home page, linked to https://beian.miit.gov.cn/."),
            location=page.location(element),
            evidence=Evidence(details={"problem": "not readable", "reason": reason, "number": match.group(0),
                                       "target": self.target, "signals": signals}),
        )


def is_home_page(url: str) -> bool:
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return bool(_HOME_PATH.fullmatch(path))


def china_signals(page: Page, text: str) -> list[str]:
    """What says the page is aimed at mainland China: its domain, language, text."""
    signals = []
    host = urlsplit(page.url).hostname if page.url else None
    if host and registrable_domain(host).endswith(_CN_SUFFIXES):
        signals.append(".cn domain")
    html = page.document.find("html")
    lang = str(html.get("lang", "")).strip() if html is not None else ""
    if _MAINLAND_LANG.fullmatch(lang):
        signals.append(f"lang {lang}")
    han = len(_HAN.findall(text))
    traditional = sum(text.count(c) for c in _TRADITIONAL) > sum(text.count(c) for c in _SIMPLIFIED)
    if han >= MIN_HAN and 2 * han >= len(_LATIN_WORD.findall(text)) and not traditional:
        signals.append(CHINESE_TEXT)
    return signals


def _shows_filing(page: Page, root: Tag) -> bool:
    """A readable filing number, a visible link to the filing system, or a visible
    picture whose alt text is the number."""
    for element, _ in innermost_matches(page, ICP_NUMBER, root=root):
        if _unreadable(page, element) is None:
            return True
    for link in root.find_all("a", href=True):
        host = (urlsplit(str(link["href"])).hostname or "").lower()
        if any(host == h or host.endswith("." + h) for h in MIIT_FILING_HOSTS) and is_visible(page, link):
            return True
    return any(ICP_NUMBER.search(str(img.get("alt", ""))) and is_visible(page, img)
               for img in root.find_all("img", alt=True))


def _unreadable(page: Page, element: Tag) -> str | None:
    """Why the element's text cannot be read, or None when it can."""
    if not is_visible(page, element):
        return "hidden"
    style = style_of(page, element)
    if style.font_size < MIN_FONT_PX:
        return f"too small to read ({style.font_size:g}px)"
    background = declared_background(page, element)
    if background is not None and contrast_ratio(style.color, background[0]) < MIN_CONTRAST:
        return "the same colour as its background"
    return None
