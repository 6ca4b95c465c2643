"""UI010 brand-impersonation."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import Tag

from appaudit.scanner.appfile import Brand
from appaudit.scanner.check import ORIGIN_UNKNOWN, NotApplicable, PageCheck, ScanContext
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import page_cached
from appaudit.scanner.pagemodel.controls import name_tokens
from appaudit.scanner.pagemodel.destinations import classify
from appaudit.scanner.pagemodel.style import is_visible
from appaudit.scanner.pagemodel.text import element_text, page_root, text_holders
from appaudit.scanner.parties import normalise_host, registrable_domain

# What may stand next to a brand in a page's own name: "Demo Shop 官方旗舰店", "登录 | Demo
# Shop", "Demo Shop - Sign in to your account". Anything else ("Demo Shop 发布年度财报",
# "Demo Shop review") is talking about the brand, not presenting it.
_QUALIFIERS = re.compile(
    r"官方网站|官方旗舰店|官方商城|网上商城|官方|官网|网站|首页|主页|旗舰店|商城|平台|中国|在线|登录|登陆|注册|账号|帐号|账户"
    r"|会员|中心|用户|个人|安全|验证|认证|客服|服务|活动|特卖|大促|周年庆|福利|红包|领取|领奖|中奖|抽奖|积分|兑换|退款|补贴"
    r"|客户端|下载|手机版|移动版|欢迎您?|您好|入口|专区|通知|公告|系统|标志|图标"
    r"|\b(?:official|site|website|web|store|shop|online|log|sign|in|on|up|signin|login|account|accounts|my|secure"
    r"|security|verify|verification|verified|support|help|center|centre|customer|service|services|home|homepage"
    r"|welcome|to|the|download|rewards?|prize|claim|refund|members?|portal|page|sale|offers?|deals|update|your|id"
    r"|china|global|and|of|for|inc|ltd|co|company|app|logo)\b", re.IGNORECASE)
_SEGMENT_SEPARATORS = re.compile(r"[|｜丨\-–—_·•:：»«,，!！]")
# A brand named as the way to sign in elsewhere ("Sign in with Alipay", "使用微信登录").
_SIGN_IN_WITH_BEFORE = re.compile(r"(?:(?:sign|log)\s*(?:in|on|up)\s+(?:with|using|via|through)|continue with"
                                  r"|使用|用|通过)\s*$", re.IGNORECASE)
_SIGN_IN_WITH_AFTER = re.compile(r"^\s*(?:账号|帐号)?(?:授权|快捷|一键)(?:登录|登陆)")
_PLACEHOLDER = "\x00"

# Look-alike letters, folded to the letter they imitate: digits and Cyrillic/Greek
# homoglyphs (Unicode TR #39 confusables, the common subset), "rn" for "m".
_CONFUSABLES = str.maketrans({
    "0": "o", "1": "l", "i": "l", "|": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "l", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "ο": "o", "α": "a", "ν": "v", "ι": "l", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ε": "e",
})
_ARTICLE_OG_TYPES = ("article", "news")
MIN_NAME_IN_DOMAIN = 4  # shorter names ("qq") turn up inside unrelated domains
LOGO_TEXT_MAX = 40      # a text logo is a name, not a paragraph

_LOGO_TOKENS = frozenset({"logo", "brand"})
# Logos of others: partners, payment methods, sign-in providers, certificates, stores.
_OTHERS_LOGO_TOKENS = frozenset({"partner", "partners", "sponsor", "sponsors", "payment", "pay", "client", "clients",
                                 "customer", "customers", "social", "share", "login", "oauth", "third", "friend",
                                 "friends", "links", "cert", "certificate", "badge", "icp", "gongan", "beian",
                                 "police", "credit", "award", "store", "download", "qr", "qrcode"})


@dataclass(frozen=True, kw_only=True)
class _Place:
    """Where a page names itself: its title, og:site_name, application-name, its logo
    (alt text and image file name) or its headline."""

    where: str
    element: Tag
    text: str
    file_tokens: tuple[str, ...] = ()


class BrandImpersonation(PageCheck):
    """A protected brand presented as the page's own identity on a domain the brand does
    not own — the mark of a counterfeit shop or a phishing page.

    Protected brands come from the app file (``brands``: name, domains, aliases,
    products) and the profile (``brands``). A brand is *presented* when the page's title
    (a segment of it), ``og:site_name``, ``application-name``, its site logo (alt text or
    image file name) or its headline (h1) is one of the brand's names — its name, an
    alias, a product, one of its domains as written ("paypal.com") — alone or with words such as
    官方旗舰店 / 登录 / official / sign in, or when the page's copyright notice names the
    brand as its owner ("© 2022 Instagram from Meta"). Pages naming a brand in a sentence — a news
    article (``og:type`` article or news, ``article:*`` metadata, a headline inside
    ``<article>``), a review — are not findings, nor are sign-in buttons ("微信登录", "Sign in
    with Alipay"), partner and payment logos, or pages of the app's own first-party
    domains. On a look-alike domain (``demoshop-sale.top``, ``dem0shop.com``, a punycode
    homoglyph ``xn--…`` decoded with the ``idna`` codec) any mention of the brand in
    those places is enough; the evidence says how the domain imitates the brand's.

    Not applicable without protected brands; a page whose own URL is unknown (or a
    uiautomator dump) is not judged, since its domain cannot be known.

    The CAC 2023 "清朗" campaign names counterfeit names and brands (仿冒); the
    Anti-Unfair Competition Law Art. 6 forbids using another's name, domain or web page
    so as to cause confusion.
    """

    id = "UI010"
    name = "brand-impersonation"
    severity = Severity.HIGH
    regulations = ("CAC 2023 清朗 campaign: counterfeit names and brands (仿冒)", "《反不正当竞争法》(2019) 第六条")
    description = "A protected brand name or mark presented on a domain not owned by that brand"

    def __init__(self, context: ScanContext) -> None:
        super().__init__(context)
        app = context.app
        self.brands = [*(app.brands if app else ()), *(Brand(**b) for b in context.profile.brands)]
        if not self.brands:
            raise NotApplicable("no protected brands are declared (app file or profile `brands`)")
        self.first_party = app.first_party if app else ()

    def check_html(self, page: Page) -> Iterable[Finding]:
        if not page.url:
            raise NotApplicable(ORIGIN_UNKNOWN)
        host = normalise_host(urlsplit(page.url).hostname or "")
        if not host or _owned(host, self.first_party):
            return
        places = _places(page)
        for brand in self.brands:
            if _owned(host, brand.domains):
                continue
            lookalike = lookalike_reason(host, brand)
            shown = [p for p in places if _presents(p, brand, mention_enough=lookalike is not None)]
            if shown:
                yield self._finding(page, brand, host, shown, lookalike)

    def _finding(self, page: Page, brand: Brand, host: str, shown: list[_Place], lookalike: str | None) -> Finding:
        first = shown[0]
        owned = ", ".join(brand.domains) or "none declared"
        details = {"brand": brand.name, "host": host, "brand_domains": list(brand.domains),
                   "presented_in": [{"where": p.where, "selector": page.selector(p.element), "text": p.text}
                                    for p in shown]}
        unicode_host = to_unicode(host)
        if unicode_host != host:
            details["unicode_host"] = unicode_host
        if lookalike:
            details["lookalike"] = lookalike
        return self.finding(
            title=f"Page on {host} presents itself as {brand.name}",
            message=(f"The page's {first.where} presents the protected brand “{brand.name}”, but {host} is not one "
                     f"of the brand's domains ({owned})."
                     + (f" The domain {lookalike}." if lookalike else "")),
            location=page.location(first.element),
            evidence=Evidence(details=details),
        )


def _owned(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _places(page: Page) -> list[_Place]:
    """Where the page names itself, in order of weight (cached per page)."""
    def build() -> list[_Place]:
        article = _is_article(page)
        places = []
        title = (page.document.head or page.document).find("title")
        if title is not None and not article and title.get_text(strip=True):
            places.append(_Place(where="title", element=title, text=title.get_text(" ", strip=True)))
        for attribute, value, where in (("property", "og:site_name", "og:site_name"),
                                        ("name", "application-name", "application-name")):
            meta = page.document.find("meta", attrs={attribute: value})
            if meta is not None and str(meta.get("content", "")).strip():
                places.append(_Place(where=where, element=meta, text=str(meta["content"]).strip()))
        logo = _site_logo(page)
        if logo is not None:
            element, text = logo
            file_tokens = tuple(name_tokens(_file_name(element))) if element.name == "img" else ()
            places.append(_Place(where="logo", element=element, text=text, file_tokens=file_tokens))
        headline = next((h for h in page_root(page).find_all("h1") if is_visible(page, h)), None)
        if headline is not None and not article and element_text(page, headline):
            places.append(_Place(where="headline", element=headline, text=element_text(page, headline)))
        notice = _copyright_notice(page) if not article else None
        if notice is not None:
            places.append(_Place(where="copyright notice", element=notice[0], text=notice[1]))
        return places
    return page_cached(page, "ui010.places", build)


# "© 2022 Instagram from Meta", "©2021 Microsoft", "Copyright (c) 2020-2024 PayPal, Inc.":
# the owner the page names for itself.
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[,.]?\s*"
                        r"(?P<owner>[^\d\s©][^|;\n]{0,60})", re.IGNORECASE)


def _copyright_notice(page: Page) -> tuple[Tag, str] | None:
    """The page's own copyright notice and the owner it names: the last visible one
    (notices sit at the foot of the page)."""
    found = None
    for element, text in text_holders(page):
        # The notice opens its line: "Map data ©2024 Google" credits a widget's supplier.
        match = _COPYRIGHT.match(text)
        if match and len(text) <= 200:
            found = (element, match.group("owner").strip())
    return found


def _is_article(page: Page) -> bool:
    """A news or blog article: it may name any brand in its title and headline. Open
    Graph says so with og:type "article" and article:* properties; Chinese news portals
    write og:type "news"."""
    if any(str(m.get("property", "")).startswith("article:") or
           (m.get("property") == "og:type" and str(m.get("content", "")).strip().lower() in _ARTICLE_OG_TYPES)
           for m in page.document.find_all("meta")):
        return True
    if page.document.find("input", attrs={"type": re.compile("^password$", re.IGNORECASE)}):
        return False  # a sign-in page, whatever box its layout calls an <article>
    headline = page.document.find("h1")
    return headline is not None and headline.find_parent("article") is not None


def _site_logo(page: Page) -> tuple[Tag, str] | None:
    """The page's own logo and its text (an image's alt, or a text logo's words): the
    first visible image or short text named — or sitting in a box named — logo or brand,
    outside footers, buttons and forms, not linking away, and not a partner, payment,
    sign-in or certificate badge."""
    for element in page_root(page).find_all(True):
        if element.name == "img":
            text = str(element.get("alt", "")).strip()
            tokens = _name_tokens_around(element, levels=3) | {*name_tokens(text), *name_tokens(_file_name(element))}
        elif element.find("img") is None and _name_tokens_around(element, levels=0) & _LOGO_TOKENS:
            text = element_text(page, element)
            tokens = _name_tokens_around(element, levels=3)
            if not text or len(text) > LOGO_TEXT_MAX:
                continue
        else:
            continue
        if not tokens & _LOGO_TOKENS or tokens & _OTHERS_LOGO_TOKENS:
            continue
        if element.find_parent(["footer", "button", "form"]) or element.find_parent(attrs={"role": "button"}):
            continue
        link = element if element.name == "a" and element.has_attr("href") else element.find_parent("a", href=True)
        if link is not None and classify(str(link["href"]), page.url).leaves:
            continue
        if is_visible(page, element):
            return element, text
    return None


def _name_tokens_around(element: Tag, *, levels: int) -> set[str]:
    """Tokens of the class and id names of the element and ``levels`` ancestors."""
    tokens: set[str] = set()
    for node in [element, *list(element.parents)[:levels]]:
        for attribute in ("class", "id"):
            value = node.get(attribute)
            for name in (value if isinstance(value, list) else [value] if isinstance(value, str) else []):
                tokens.update(name_tokens(name))
    return tokens


def _file_name(image: Tag) -> str:
    """"/img/demoshop-logo@2x.png" -> "demoshop-logo@2x"."""
    return urlsplit(str(image.get("src", ""))).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def brand_names(brand: Brand) -> list[str]:
    """Every name the brand goes by: its name, aliases, product names, and its domains
    as written ("paypal.com": a phishing page titled with the brand's own domain)."""
    return [brand.name, *brand.aliases, *brand.products, *brand.domains]


def _presents(place: _Place, brand: Brand, *, mention_enough: bool) -> bool:
    names = brand_names(brand)
    if place.where == "copyright notice":
        owner = place.text
        return any(m.start() == 0 for n in names for m in _name_pattern(n).finditer(owner))
    if place.file_tokens and any(_in_tokens(_compact(n), place.file_tokens) for n in names):
        return True
    spans = [m.span() for n in names for m in _name_pattern(n).finditer(place.text)
             if not _signs_in_with(place.text, *m.span())]
    if not spans:
        return False
    if mention_enough:
        return True
    marked = place.text
    for start, end in sorted(spans, reverse=True):
        marked = marked[:start] + _PLACEHOLDER + marked[end:]
    return any(_only_qualifiers(segment.replace(_PLACEHOLDER, " "))
               for segment in _SEGMENT_SEPARATORS.split(marked) if _PLACEHOLDER in segment)


def _name_pattern(name: str) -> re.Pattern:
    """A brand name matched whole, in any case, with or without the spaces, dashes or
    dots between its words ("Demo Shop" = "DemoShop" = "demo-shop")."""
    words = [re.escape(w) for w in re.split(r"[\s\-_.]+", name.strip()) if w]
    body = r"[\s\-_.]*".join(words)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)


def _signs_in_with(text: str, start: int, end: int) -> bool:
    return bool(_SIGN_IN_WITH_BEFORE.search(text[:start]) or _SIGN_IN_WITH_AFTER.match(text[end:]))


def _only_qualifiers(text: str) -> bool:
    return not re.sub(r"[\W_]+", "", _QUALIFIERS.sub(" ", text))


def _compact(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _in_tokens(compact: str, tokens: tuple[str, ...]) -> bool:
    """Whether consecutive tokens of a file name spell the brand ("demo-shop-logo")."""
    if len(compact) < 2:
        return False
    for start in range(len(tokens)):
        joined = ""
        for token in tokens[start:]:
            joined += token
            if joined == compact:
                return True
            if not compact.startswith(joined):
                break
    return False


# --- look-alike domains ---------------------------------------------------------------------

def to_unicode(host: str) -> str:
    """A host with its punycode labels (``xn--…``) decoded."""
    labels = []
    for label in host.split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.startswith("xn--") else label)
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


def skeleton(text: str) -> str:
    """What a name looks like: homoglyphs and digits folded to the letters they imitate,
    separators dropped — ``dem0-shop`` and ``dеmoshop`` (Cyrillic е) both read ``demoshop``."""
    folded = unicodedata.normalize("NFKC", text.lower()).translate(_CONFUSABLES)
    return re.sub(r"[\-_.]", "", folded.replace("rn", "m").replace("vv", "w"))


def lookalike_reason(host: str, brand: Brand) -> str | None:
    """How ``host`` imitates the brand: its site name reads like one of the brand's
    domains, or it carries the brand's name. None when it does neither."""
    site = to_unicode(registrable_domain(host).split(".", 1)[0])
    for domain in brand.domains:
        owned = to_unicode(registrable_domain(domain).split(".", 1)[0])
        if skeleton(site) == skeleton(owned):
            return f"imitates {domain}" + (f" (it reads {to_unicode(host)})" if to_unicode(host) != host else "")
    whole = skeleton(to_unicode(host))
    for name in (brand.name, *brand.aliases, *(d.split(".", 1)[0] for d in brand.domains)):
        compact = _compact(name)
        if len(compact) >= MIN_NAME_IN_DOMAIN and skeleton(compact) in whole:
            return f"carries the brand name “{compact}”"
    return None
