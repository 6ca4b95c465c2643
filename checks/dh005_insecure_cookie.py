"""DH005 insecure-cookie."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from appaudit.scanner.check import TrafficCheck
from appaudit.scanner.flowview import FlowView, SetCookie
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.sharing import own_host

_SESSION_NAME = re.compile(
    r"(^|[_.\-])(sess\w*|sid|ssid|jsessionid|phpsessid|aspsessionid\w*|asp\.net_sessionid|"
    r"connect\.sid|auth(token)?|access[_-]?token|refresh[_-]?token|token|jwt|login|remember[_-]?me|"
    r"sso|passport|ticket|uid[_-]?token)($|[_.\-])"
    # Well-known Chinese login cookies: Baidu's BDUSS, Bilibili's SESSDATA, QQ's skey,
    # JD's pt_key.
    r"|^(bduss|bduss_bfess|\w*sessdata|skey|p_skey|pt_key|pt_pin)$",
    re.IGNORECASE,
)
# Cookies that look random but identify a browser for a firewall, CDN, load balancer or
# analytics service, not a login: Aliyun WAF (acw_*) and SLB (SERVERID), F5 and AWS load
# balancers, Alibaba/Umeng analytics (cna, isg, UM_distinctid, CNZZDATA*), Google and
# Baidu analytics, Cloudflare bot management.
_NOT_SESSION = re.compile(
    r"^(acw_tc|acw_sc__v[23]|serverid|route|bigipserver\w*|awsalb\w*|awselb\w*|"
    r"cna|isg|tfstk|um_distinctid|cnzzdata\w*|_ga\w*|_gid|_gat\w*|hm_\w+|"
    r"__cf_bm|_cfuvid|cf_clearance|baiduid\w*|bidupsid|pstm|__utm\w|"
    # Akamai bot manager, HAProxy/Azure load-balancer affinity, Cloudflare's old id,
    # Adobe Analytics/Target, Meta pixel, Hotjar, Optimizely, Quantcast, Matomo,
    # Microsoft UET, Google Ads click ids, geolocation hints.
    r"ak_bmsc|bm_\w+|_abck|x-mapping-\w+|arraffinity\w*|__cfduid|s_vi|s_fid|s_cc|s_sq|amcv_\w+|"
    r"amcvs_\w+|mbox|_fbp|_fbc|_hj\w+|optimizely\w*|__qca|_pk_\w+|_uet\w+|_gcl_\w+|geoip)$",
    re.IGNORECASE,
)
# Cookies meant to be read by scripts (double-submit CSRF tokens) need no HttpOnly.
_SCRIPT_READABLE = re.compile(r"csrf|xsrf", re.IGNORECASE)


def is_session_like(cookie: SetCookie) -> bool:
    """A session cookie by its name, or by a long random value (what servers issue as
    opaque session ids), whatever it is called — unless the name is a known browser id
    of a firewall, CDN or analytics service. Without a session name, a value made of
    ``key=value`` pairs is a record (a visitor id with its timestamps, preferences), not an
    opaque id, and a value kept for a year or more identifies a browser, not a session."""
    if _NOT_SESSION.match(cookie.name):
        return False
    if _SESSION_NAME.search(cookie.name):
        return len(cookie.value) >= 8
    if _RECORD.fullmatch(cookie.value) or _lives_a_year(cookie):
        return False
    return _looks_random(cookie.value)


# Two or more key=value pairs joined by & (the form servers write structured cookies in).
_RECORD = re.compile(r"[^=&]+=[^&]*(?:&[^=&]+=[^&]*)+")
_YEAR_SECONDS = 365 * 24 * 3600


def _lives_a_year(cookie: SetCookie) -> bool:
    max_age = next((v for k, v in cookie.attributes.items() if k.lower() == "max-age"), None)
    return max_age is not None and max_age.strip().isdigit() and int(max_age) >= _YEAR_SECONDS


def _looks_random(value: str) -> bool:
    # Any character RFC 6265 allows in a cookie value.
    if len(value) < 24 or not re.fullmatch(r"[!#-+\--:<-\[\]-~]+", value):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return classes >= 2 and entropy >= 3.5


def _is_deletion(cookie: SetCookie) -> bool:
    max_age = next((v for k, v in cookie.attributes.items() if k.lower() == "max-age"), None)
    expires = next((v for k, v in cookie.attributes.items() if k.lower() == "expires"), None) or ""
    return not cookie.value or (max_age is not None and max_age.strip().lstrip("-").isdigit() and int(max_age) <= 0) \
        or "1970" in expires


class InsecureCookie(TrafficCheck):
    """A session-like cookie (by its name, or by a long random value) is set without
    ``Secure`` on HTTPS — the browser or app will send it over plain HTTP too, where it
    can be stolen — or without ``HttpOnly``, so any injected script can read it.

    GB/T 35273-2020 §6.3 and PIPL Art. 51 require protecting the data that identifies a
    user's session; OWASP ASVS V3.4.1–V3.4.2 require both flags on session cookies.
    Only the first party's cookies count: identifier cookies of ad exchanges and
    trackers are in the third-party inventory. Cookies being deleted, and CSRF tokens
    meant for scripts (for HttpOnly), are not findings. Subject: the cookie name and the
    host that sets it; every later response setting it again is an occurrence of one
    finding.
    """

    id = "DH005"
    name = "insecure-cookie"
    severity = Severity.MEDIUM
    regulations = ("GB/T 35273-2020 §6.3", "PIPL Art. 51", "OWASP ASVS 4.0 V3.4.1-V3.4.2")
    description = "Session-like cookie set without Secure (over HTTPS) or without HttpOnly."

    def check_flow(self, flow: FlowView) -> Iterator[Finding]:
        # A session cookie is the first party's login or session state; the identifier
        # cookies ad exchanges and trackers set belong to the third-party inventory.
        if not own_host(flow, self.context.sharing):
            return
        for cookie in flow.set_cookies:
            if _is_deletion(cookie) or not is_session_like(cookie):
                continue
            missing = []
            if flow.encrypted and not cookie.has("secure"):
                missing.append("Secure")
            if not cookie.has("httponly") and not _SCRIPT_READABLE.search(cookie.name):
                missing.append("HttpOnly")
            if not missing:
                continue
            yield self.finding(
                title=f"Session cookie {cookie.name} set without {' and '.join(missing)}",
                message=(f"{flow.host} sets the session-like cookie {cookie.name} without "
                         f"{' and '.join(missing)}. "
                         + ("Without Secure it is also sent over plain HTTP. " if "Secure" in missing else "")
                         + ("Without HttpOnly any script on the page can read it." if "HttpOnly" in missing else "")).strip(),
                location=flow.location(part="response.headers", field=f"set-cookie.{cookie.name}"),
                evidence=Evidence(data_type="credential", value=cookie.value,
                                  details={"cookie": cookie.name, "missing": missing,
                                           "subject": f"{flow.host}|{cookie.name}"}),
            )
