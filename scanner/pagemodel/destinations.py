"""Where a link, a refresh or a script sends the user, judged against the page's own URL.

UI001, UI002 and UI004 are about being taken *away*: to another site, an app store, an
app (deep link) or a download. Moving within the page or the site is ordinary. When the
page's own URL is unknown, a web address cannot be called same-site or other-site, so it
is :attr:`Kind.UNKNOWN` (the contract: checks that need the origin do not guess); app
store, deep link and download targets are still recognised, since they do not depend on
the origin.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from appaudit.scanner.parties import registrable_domain


class Kind(str, enum.Enum):
    SAME_PAGE = "same_page"      # "#main", "", javascript:, about:blank, data:
    CONTACT = "contact"          # mailto:, tel:, sms:
    SAME_SITE = "same_site"
    OTHER_SITE = "other_site"
    APP_STORE = "app_store"
    DEEP_LINK = "deep_link"      # weixin://, taobao://, intent://, any other app scheme
    DOWNLOAD = "download"        # an .apk / .ipa file, an iOS enterprise install
    UNKNOWN = "unknown"          # a web address while the page's own origin is unknown


LEAVING = frozenset({Kind.OTHER_SITE, Kind.APP_STORE, Kind.DEEP_LINK, Kind.DOWNLOAD})

_DESCRIPTIONS = {
    Kind.OTHER_SITE: "another site",
    Kind.APP_STORE: "an app store",
    Kind.DEEP_LINK: "another app (deep link)",
    Kind.DOWNLOAD: "an app download",
}


@dataclass(frozen=True, kw_only=True)
class Destination:
    url: str          # resolved against the page URL where that is possible
    kind: Kind

    @property
    def leaves(self) -> bool:
        """Whether following it takes the user away from the site: another site, a
        store, an app or a download."""
        return self.kind in LEAVING

    @property
    def description(self) -> str:
        return _DESCRIPTIONS.get(self.kind, self.kind.value.replace("_", " "))


# App store web pages (host, path prefix). Sources: the stores' own app detail URLs as
# linked from vendors' "download our app" pages: apps.apple.com/…/id…, itunes.apple.com,
# play.google.com/store/apps/details?id=…, app.mi.com/details?id=…,
# appgallery.huawei.com/app/C…, sj.qq.com/appdetail/… and a.app.qq.com/o/simple.jsp
# (Tencent 应用宝), app.meizu.com/apps/public/detail?package_name=…,
# store.oppomobile.com/product/…, h5coml.vivo.com.cn and h5.appstore.vivo.com.cn
# (vivo 应用商店 H5 detail pages), apps.samsung.com.
APP_STORE_HOSTS: tuple[tuple[str, str], ...] = (
    ("apps.apple.com", ""),
    ("itunes.apple.com", ""),
    ("play.google.com", "/store"),
    ("market.android.com", ""),
    ("app.mi.com", ""),
    ("appgallery.huawei.com", ""),
    ("appgallery.cloud.huawei.com", ""),
    ("sj.qq.com", ""),
    ("a.app.qq.com", ""),
    ("app.meizu.com", ""),
    ("store.oppomobile.com", ""),
    ("h5coml.vivo.com.cn", ""),
    ("h5.appstore.vivo.com.cn", ""),
    ("apps.samsung.com", ""),
)

# URL schemes that open an app store app. Sources: Apple (itms-apps, itms-appss), Android
# (market://details?id=), and the Chinese stores' documented detail schemes: Xiaomi
# mimarket://details?id=, Huawei appmarket://details?id=, OPPO oppomarket://details?packagename=,
# vivo vivomarket://details?id=, Meizu mstore://details?package_name=, Tencent 应用宝
# tmast://appdetails?pname=, Samsung samsungapps://ProductDetail/.
APP_STORE_SCHEMES = frozenset({
    "itms-apps", "itms-appss", "market", "mimarket", "appmarket", "oppomarket",
    "vivomarket", "mstore", "tmast", "samsungapps",
})

# Store apps' package names, for intent:// URLs that name the package to open.
APP_STORE_PACKAGES = frozenset({
    "com.android.vending", "com.xiaomi.market", "com.huawei.appmarket", "com.oppo.market",
    "com.heytap.market", "com.bbk.appstore", "com.meizu.mstore",
    "com.tencent.android.qqdownloader", "com.sec.android.app.samsungapps",
})

SAME_PAGE_SCHEMES = frozenset({"javascript", "about", "data", "blob"})
CONTACT_SCHEMES = frozenset({"mailto", "tel", "sms", "smsto", "callto"})
# itms-services://?action=download-manifest installs an iOS enterprise build directly.
DOWNLOAD_SCHEMES = frozenset({"itms-services"})
WEB_SCHEMES = frozenset({"http", "https", "ftp"})

_DOWNLOAD_PATH = re.compile(r"\.(apk|ipa|xapk|apks)$", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop tabs and newlines anywhere in a URL, and spaces at its ends.
_URL_NOISE = re.compile(r"[\t\n\r]")


def classify(target: str, page_url: str | None) -> Destination:
    """Classify a link target (an href, a refresh URL, a script's literal URL) as seen
    from the page at ``page_url`` (None when the page's origin is unknown)."""
    raw = _URL_NOISE.sub("", target).strip()
    if not raw or raw.startswith("#"):
        return Destination(url=raw, kind=Kind.SAME_PAGE)
    scheme_match = _SCHEME.match(raw)
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in WEB_SCHEMES:
            return Destination(url=raw, kind=_app_scheme_kind(scheme, raw))
        absolute = raw
    elif raw.startswith("//"):
        absolute = ("https:" if not page_url else urlsplit(page_url).scheme + ":") + raw
    else:
        # A relative reference stays on the page's own site whatever that site is.
        resolved = urljoin(page_url, raw) if _is_web(page_url) else raw
        kind = Kind.DOWNLOAD if _DOWNLOAD_PATH.search(urlsplit(resolved).path) else Kind.SAME_SITE
        return Destination(url=resolved, kind=kind)
    return Destination(url=absolute, kind=_web_kind(absolute, page_url))


def _app_scheme_kind(scheme: str, url: str) -> Kind:
    if scheme in SAME_PAGE_SCHEMES:
        return Kind.SAME_PAGE
    if scheme in CONTACT_SCHEMES:
        return Kind.CONTACT
    if scheme in APP_STORE_SCHEMES:
        return Kind.APP_STORE
    if scheme in DOWNLOAD_SCHEMES:
        return Kind.DOWNLOAD
    if scheme == "intent" and _intent_opens_store(url):
        return Kind.APP_STORE
    return Kind.DEEP_LINK


def _intent_opens_store(url: str) -> bool:
    """intent://details?id=x#Intent;scheme=market;package=com.android.vending;end"""
    _, _, spec = url.partition("#Intent;")
    fields = dict(part.split("=", 1) for part in spec.split(";") if "=" in part)
    return fields.get("scheme", "").lower() in APP_STORE_SCHEMES or fields.get("package", "") in APP_STORE_PACKAGES


def _web_kind(url: str, page_url: str | None) -> Kind:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return Kind.UNKNOWN
    if is_app_store(host, parts.path):
        return Kind.APP_STORE
    if _DOWNLOAD_PATH.search(parts.path):
        return Kind.DOWNLOAD
    page_host = _host_of(page_url) if _is_web(page_url) else None
    if not host or not page_host:
        return Kind.UNKNOWN
    return Kind.SAME_SITE if registrable_domain(host) == registrable_domain(page_host) else Kind.OTHER_SITE


def is_app_store(host: str, path: str = "/") -> bool:
    host = host.lower()
    return any((host == store or host.endswith("." + store)) and path.startswith(prefix)
               for store, prefix in APP_STORE_HOSTS)


def _is_web(url: str | None) -> bool:
    return bool(url) and bool(re.match(r"https?://", url, re.IGNORECASE))


def _host_of(url: str) -> str | None:
    try:
        return (urlsplit(url).hostname or "").rstrip(".") or None
    except ValueError:
        return None

