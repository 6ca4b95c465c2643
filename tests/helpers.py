"""What tests build captures with and run them through: flows, HAR files, pages and app
screens as data; runners that put them through the real engine with the named checks
(failing when a check could not judge) or through the command line in-process; and
assertions on where findings point."""
from __future__ import annotations

import base64
import json as jsonlib
import urllib.parse
from collections.abc import Iterable
from pathlib import Path

from appaudit.scanner.appfile import AppDescription, app_from_document
from appaudit.scanner.check import all_checks
from appaudit.scanner.cli import main
from appaudit.scanner.engine import InputScan, ScanSettings
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Finding, Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile
from appaudit.scanner.yamlfile import load_yaml
from click.testing import CliRunner, Result
from mitmproxy import connection, http
from mitmproxy import io as mitmio

T0 = 1_764_000_000.0


def make_flow(
    method: str = "GET",
    url: str = "https://api.example.com/",
    *,
    headers: dict | list | None = None,
    body: bytes | str | None = None,
    json: object = None,
    status: int = 200,
    response_headers: dict | list | None = None,
    response_body: bytes | str | None = None,
    response_json: object = None,
    tls_version: str | None = "TLSv1.3",
    server_tls_version: str | None = None,
    timestamp: float = T0,
) -> http.HTTPFlow:
    """An HTTP flow as mitmproxy records it. Bodies given as text are encoded as UTF-8;
    ``json=``/``response_json=`` set the body and a JSON content type. Bodies are
    stored as on the wire: pass compressed bytes with a Content-Encoding header."""
    request_headers = _header_list(headers)
    if json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False)
        request_headers.append((b"content-type", b"application/json"))
    client = connection.Client(peername=("127.0.0.1", 50000), sockname=("127.0.0.1", 8080), timestamp_start=timestamp)
    server = connection.Server(address=(url.split("/")[2].split(":")[0], 443 if url.startswith("https") else 80))
    if url.startswith(("https", "wss")):
        client.tls_version = tls_version
        server.tls_version = server_tls_version or tls_version
    flow = http.HTTPFlow(client, server)
    flow.request = http.Request.make(method, url, b"", http.Headers(request_headers))
    flow.request.raw_content = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    flow.request.timestamp_start = timestamp
    flow.request.timestamp_end = timestamp + 0.05
    response_list = _header_list(response_headers)
    if response_json is not None:
        response_body = jsonlib.dumps(response_json, ensure_ascii=False)
        response_list.append((b"content-type", b"application/json"))
    if status:
        flow.response = http.Response.make(status, b"", http.Headers(response_list))
        flow.response.raw_content = response_body.encode("utf-8") if isinstance(response_body, str) else (response_body or b"")
        flow.response.timestamp_start = timestamp + 0.1
        flow.response.timestamp_end = timestamp + 0.2
    return flow


def _header_list(headers: dict | list | None) -> list[tuple[bytes, bytes]]:
    items = headers.items() if isinstance(headers, dict) else (headers or [])
    return [(k.encode() if isinstance(k, str) else k, v.encode() if isinstance(v, str) else v) for k, v in items]


def app_from_yaml(text: str) -> AppDescription:
    return app_from_document(load_yaml("app.yaml", text))


APPS = Path(__file__).parent / "fixtures" / "apps"
# The demo app every test that needs "an app with a disclosure" shares.
DEMO_APP_YAML = (APPS / "demoshop.yaml").read_text(encoding="utf-8")


def demo_app(text: str = DEMO_APP_YAML) -> AppDescription:
    return app_from_yaml(text)


def app_fixture(name: str) -> AppDescription:
    """An app description from tests/fixtures/apps/NAME.yaml."""
    return app_from_yaml((APPS / f"{name}.yaml").read_text(encoding="utf-8"))


def settings_for(check_ids: str | Iterable[str], *, app: AppDescription | None = None,
                 profile: Profile | None = None, dpi: float | None = None,
                 base_url: str | None = None) -> ScanSettings:
    ids = (check_ids,) if isinstance(check_ids, str) else tuple(check_ids)
    profile = profile or Profile(name="test", enabled=ids)
    return ScanSettings(profile=profile, app=app, dpi=dpi, base_url=base_url)


def flow_findings(check_ids: str | Iterable[str], flows: http.HTTPFlow | Iterable[http.HTTPFlow], *,
                  app: AppDescription | None = None, input: str = "test.mitm") -> list[Finding]:
    """Run the named checks over one flow or several as one input, the way ``appaudit
    scan`` does, failing when a check errs or the input has problems (a test must not
    pass on a check that could not judge)."""
    if isinstance(flows, http.HTTPFlow):
        flows = [flows]
    session = InputScan(settings_for(check_ids, app=app), Input(path=input, kind="flows"))
    findings = []
    for index, flow in enumerate(flows):
        findings += session.flow(flow, index)
    findings += session.finish()
    _assert_judged(session)
    return findings


def _assert_judged(session: InputScan) -> None:
    broken = {o.check: o.reason for o in session.outcomes() if o.status is Status.ERROR}
    assert not broken and not session.input.problems, (broken, session.input.problems)


def all_flow_findings(flows, app: AppDescription | None = None) -> list[Finding]:
    """Every check of the default profile over a session's flows, as ``appaudit scan`` runs them."""
    return flow_findings(Profile.default().enabled, flows, app=app, input="session.mitm")


def all_page_findings(source: str, url: str | None = None, *, kind: str = "html", app: AppDescription | None = None,
                      dpi: float | None = None) -> list[Finding]:
    """Every check of the default profile over one page or app screen."""
    return page_findings(Profile.default().enabled, source, url=url, kind=kind, app=app, dpi=dpi,
                         input="page.xml" if kind == "uiautomator" else "page.html")


def describe_findings(findings) -> list[tuple]:
    """What an assertion message should show of each finding."""
    return [(f.check, f.evidence.data_type, f.location.url, f.location.part, f.location.field,
             f.location.selector, f.title) for f in findings]


def non_inventory(findings):
    """Findings other than the DH010 inventory of SDKs contacted."""
    return [f for f in findings if f.check != "DH010"]


def inventory_names(findings):
    return sorted(f.title + " | " + f.message for f in findings if f.check == "DH010")


def page_findings(check_ids: str | Iterable[str], source: str, *, url: str | None = None,
                  kind: str = "html", dpi: float | None = None,
                  app: AppDescription | None = None, input: str = "page.html") -> list[Finding]:
    """Run the named checks over one page (HTML or uiautomator XML)."""
    session = InputScan(settings_for(check_ids, app=app, dpi=dpi), Input(path=input, kind=kind))
    page = Page(source=source, input=input, kind=kind, url=url)
    return session.page(page) + session.finish()


# Pages: a run of UI checks over one page, and where its findings point.
UI_ALL = tuple(check_id for check_id, check in all_checks().items() if check.category == "ui")


class Run:
    def __init__(self, findings, outcomes, page):
        self.findings = findings
        self.outcomes = outcomes
        self.page = page

    def of(self, check: str) -> list:
        return [f for f in self.findings if f.check == check]

    def status(self, check: str) -> Status:
        return self.outcomes[check]

    def describe(self) -> str:
        return "\n".join(f"{f.check} {f.location.selector!r} {f.title}" for f in self.findings) or "(none)"


def run_page(checks, source: str, *, url: str | None = None, kind: str = "html", app=None,
             dpi: float | None = None, profile: Profile | None = None, input: str = "page.html") -> Run:
    ids = (checks,) if isinstance(checks, str) else tuple(checks)
    if profile is not None:
        profile = Profile(name=profile.name, enabled=ids, settings=profile.settings, brands=profile.brands)
    settings = settings_for(ids, app=app, dpi=dpi, profile=profile)
    scan = InputScan(settings, Input(path=input, kind=kind))
    page = Page(source=source, input=input, kind=kind, url=url)
    findings = scan.page(page) + scan.finish()
    _assert_judged(scan)
    return Run(findings, {o.check: o.status for o in scan.outcomes()}, page)


def run_dump(checks, xml: str, *, dpi: float | None = 440, app=None) -> Run:
    return run_page(checks, xml, kind="uiautomator", dpi=dpi, app=app, input="window_dump.xml")


def one(run: Run, check: str):
    found = run.of(check)
    assert len(found) == 1, f"expected one {check} finding, got:\n{run.describe()}"
    return found[0]


def silent(run: Run, *checks: str) -> None:
    checks = checks or tuple(run.outcomes)
    found = [f for f in run.findings if f.check in checks]
    assert not found, "expected no findings, got:\n" + "\n".join(
        f"{f.check} {f.location.selector!r} {f.title} | {f.location.snippet}" for f in found)


def located(page: Page, finding):
    """The finding's selector selects exactly one element of the page; its line is the
    line of that element's start tag; its snippet is an excerpt of that element."""
    loc = finding.location
    assert loc.selector, f"{finding.check} finding without a selector"
    hits = page.document.select(loc.selector)
    assert len(hits) == 1, f"selector {loc.selector!r} selects {len(hits)} elements"
    element = hits[0]
    assert isinstance(loc.line, int) and loc.line >= 1, f"no line for {loc.selector!r}"
    source_line = page.source.splitlines()[loc.line - 1]
    assert f"<{element.name}".lower() in source_line.lower(), (loc.line, source_line[:120])
    assert loc.snippet and loc.snippet.lstrip().startswith(f"<{element.name}"), loc.snippet
    return element


def _ancestors(element, depth):
    node = element
    for _ in range(depth):
        node = node.parent
        if node is None:
            return
        yield node


def assert_at(page: Page, finding, *, css: str | None = None, within: str | None = None,
              near: str | None = None, depth: int = 1, attrs: dict | None = None):
    """Where the finding points: exactly ``css``; the element ``within`` or inside it;
    ``near`` (that element, its parent/child up to ``depth`` levels); or (dumps) the node
    with these attributes."""
    element = located(page, finding)
    if css is not None:
        target = page.document.select_one(css)
        assert element is target, f"{finding.location.selector!r} is not {css!r}"
    if within is not None:
        target = page.document.select_one(within)
        assert element is target or target in element.parents, \
            f"{finding.location.selector!r} is outside {within!r}"
    if near is not None:
        target = page.document.select_one(near)
        assert element is target or element in _ancestors(target, depth) or target in _ancestors(element, depth), \
            f"{finding.location.selector!r} is not {near!r}"
    if attrs is not None:
        for key, value in attrs.items():
            assert element.get(key) == value, (finding.location.selector, key, element.get(key))
    return element


def html_flow(url: str, html: str | bytes, *, content_type: str = "text/html; charset=utf-8", headers=None):
    response_headers = [("content-type", content_type), ("server", "Tengine")] + list(headers or [])
    return make_flow("GET", url, headers={"user-agent": UA_WECHAT, "accept": "text/html"},
                     response_headers=response_headers, response_body=html)


UA_WECHAT = ("Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 "
             "(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 "
             "MMWEBSDK/20230405 MicroMessenger/8.0.35.2360(0x2800235B) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")


def zh(body: str, *, title: str = "示例", head: str = "", lang: str = "zh-CN", pre: str = "") -> str:
    return f"""{pre}<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>{title}</title>
{head}
</head>
<body>
{body}
</body>
</html>
"""


def demo_order_page(body: str, head: str = "") -> str:
    """The demo shop's order page, saved with its canonical URL and ICP footer, around ``body``."""
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<link rel=\"canonical\" href=\"https://m.demoshop.com/order/detail\">"
            f"<title>订单详情</title>{head}</head><body>{body}"
            "<footer>京ICP备12345678号-1</footer></body></html>")


def en(body: str, *, title: str = "Example", head: str = "", lang: str = "en", pre: str = "") -> str:
    return zh(body, title=title, head=head, lang=lang, pre=pre)


# uiautomator dumps as `adb shell uiautomator dump` writes them: one line, every attribute.
def node(bounds, *children, text="", rid="", cls="android.view.View", pkg="com.example.shop", desc="",
         checkable=False, checked=False, clickable=False, enabled=True, focusable=None, scrollable=False,
         selected=False, index=0) -> str:
    b = lambda v: "true" if v else "false"  # noqa: E731
    focusable = clickable if focusable is None else focusable
    x1, y1, x2, y2 = bounds
    attrs = (f'index="{index}" text="{text}" resource-id="{rid}" class="{cls}" package="{pkg}" '
             f'content-desc="{desc}" checkable="{b(checkable)}" checked="{b(checked)}" '
             f'clickable="{b(clickable)}" enabled="{b(enabled)}" focusable="{b(focusable)}" focused="false" '
             f'scrollable="{b(scrollable)}" long-clickable="false" password="false" selected="{b(selected)}" '
             f'bounds="[{x1},{y1}][{x2},{y2}]"')
    if not children:
        return f"<node {attrs} />"
    return f"<node {attrs}>" + "".join(children) + "</node>"


def dump(*children, pkg="com.example.shop") -> str:
    root = node((0, 0, 1080, 2400),
                node((0, 0, 1080, 2400),
                     node((0, 0, 1080, 2400), *children, rid="android:id/content", cls="android.widget.FrameLayout",
                          pkg=pkg),
                     cls="android.widget.LinearLayout", pkg=pkg),
                cls="android.widget.FrameLayout", pkg=pkg)
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            f'<hierarchy rotation="0">{root}</hierarchy>')


def status_bar_and_title(title: str, pkg="com.example.shop") -> str:
    return node((0, 0, 1080, 220),
                node((48, 110, 600, 190), text=title, rid=f"{pkg}:id/title", cls="android.widget.TextView", pkg=pkg),
                rid=f"{pkg}:id/toolbar", cls="android.view.ViewGroup", pkg=pkg)



# Traffic: valid personal values (checked in tests/test_helpers_values.py, so a typo
# cannot make a test vacuous), flow builders and what findings say.
PHONE = "13800138000"                  # China Mobile
PHONE_2 = "18612345678"
PHONE_3 = "15012345678"
ID_CARD = "11010519491231002X"         # the textbook example, X check digit
ID_CARD_2 = "440305199003071236"       # Shenzhen Nanshan
ID_CARD_BAD = "440305199003071235"     # same with a wrong check digit
CARD_UNIONPAY = "6228480012345678903"  # ABC debit, 19 digits, Luhn-valid
CARD_VISA = "4367420123456781"         # CCB Visa, 16 digits
CARD_BAD = "6228480012345678904"       # Luhn fails
IMEI = "866912034567890"
MEID = "A1000021E5D8C3"
IMSI = "460001234567890"
ICCID = "89860116841001234565"
MAC = "A4:50:46:1C:2B:3D"
ANDROID_ID = "3f2a9c1b7e4d6a08"
GAID = "38400000-8cf0-11bd-b23e-10b96e40000d"
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
OAID = "f1e2d3c4-b5a6-4798-8a1b-2c3d4e5f6a7b"
PASSPORT = "E12345678"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOjEwMDg2LCJleHAiOjE3MzI1OTk5OTl9."
       "kXb3bG7V3V0y1P4q9Yw1oO2t5pA7xQ8mN3rL6sD2fE0")
# An Android WebView of a shop app, as its pages are fetched.
UA_ANDROID = ("Mozilla/5.0 (Linux; Android 13; M2012K11AC Build/TKQ1.220829.002; wv) "
              "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile "
              "Safari/537.36 YouxuanMall/5.12.3")
UA = ("Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47")


def b64url(obj) -> str:
    """JSON as a JWT segment: URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(jsonlib.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


def types(findings, check=None):
    return {f.evidence.data_type for f in findings if check is None or f.check == check}


def by_type(findings, data_type, check=None):
    return [f for f in findings if f.evidence.data_type == data_type and (check is None or f.check == check)]


def canaries(findings):
    return {f.evidence.canary for f in findings if f.evidence.data_type == "canary"}


def http_post_json(url, obj, **kw):
    return make_flow("POST", url, json=obj, **kw)


def form(url, fields: dict, method="POST", **kw):
    headers = kw.pop("headers", {})
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", **headers}
    return make_flow(method, url, headers=headers, body=urllib.parse.urlencode(fields), **kw)


def page_flow(url, html, **kw):
    """A bare HTML response (no browser headers: see ``html_flow`` for a page as WeChat fetches it)."""
    return make_flow("GET", url, response_headers={"Content-Type": "text/html; charset=utf-8"}, response_body=html, **kw)


def umeng_flow(data: dict, timestamp=T0 + 120):
    """Umeng's log upload with these device fields in its header."""
    return http_post_json("https://ulogs.umeng.com/unify_logs", {
        "header": {"appkey": "5f8e9a1b2c3d4e5f6a7b8c9d", "app_version": "3.2.1", "os": "Android", **data},
        "content": {"analytics": {"sessions": []}}}, timestamp=timestamp)


def umeng_log(timestamp, **extra):
    """Umeng's log upload carrying the device's Android ID and OAID (and ``extra`` header fields)."""
    return umeng_flow({"android_id": ANDROID_ID, "oaid": OAID, **extra}, timestamp=timestamp)


def pangle_ad(timestamp):
    """A Pangle (穿山甲) ad request carrying the device's Android ID."""
    return make_flow("POST", "https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/",
                     json={"device": {"android_id": ANDROID_ID, "os": "android"}, "app": {"appid": "5001121"}},
                     timestamp=timestamp)


def demo_config(timestamp):
    """The demo app fetching its own configuration: first-party, nothing personal."""
    return make_flow("GET", "https://api.demoshop.com/v1/config?v=3.2.0", response_json={"ok": True}, timestamp=timestamp)


def consent_flow(timestamp=T0):
    """The demo app recording the user's consent (its app file's consent URL)."""
    return http_post_json("https://api.demoshop.com/v1/privacy/consent?ver=3", {"agree": True, "policyVersion": "2024-10"},
                          timestamp=timestamp)


def write_flows(path: Path, flows) -> list[int]:
    """Write flows to a mitmproxy flow file; returns the byte offset after each flow."""
    ends = []
    with open(path, "wb") as fh:
        writer = mitmio.FlowWriter(fh)
        for flow in flows:
            writer.add(flow)
            fh.flush()
            ends.append(fh.tell())
    return ends


# HAR files as browsers and proxies write them.
def har_entry(url, method="GET", *, req_headers=(), post=None, status=200, resp_headers=(), content=None,
              started="2024-11-25T10:12:33.123+08:00", **extra):
    entry = {
        "startedDateTime": started, "time": 52.3,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1",
                    "headers": [{"name": k, "value": v} for k, v in req_headers],
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "OK", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": k, "value": v} for k, v in resp_headers], "cookies": [],
                     "content": content or {"size": 0, "mimeType": "text/plain"}, "redirectURL": "",
                     "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"blocked": 0.5, "dns": -1, "connect": -1, "send": 0.1, "wait": 50.2, "receive": 1.5, "ssl": -1},
    }
    if post is not None:
        entry["request"]["postData"] = post
    entry.update(extra)
    return entry


def api_har_entry(url, method="GET", *, post: str | None = None, mime="application/json", response_text='{"code":0}'):
    """An app's API call as Charles records it: a JSON request body and a text response."""
    return har_entry(url, method, req_headers=[("Host", url.split("/")[2]), ("User-Agent", "okhttp/4.9.3")],
                     post=None if post is None else {"mimeType": "application/json", "text": post},
                     resp_headers=[("Content-Type", f"{mime}; charset=utf-8")],
                     content={"size": len(response_text), "mimeType": mime, "text": response_text})


def har(entries, creator="WebInspector", version="537.36"):
    return {"log": {"version": "1.2", "creator": {"name": creator, "version": version},
                    "pages": [], "entries": entries}}


def har_of(*urls) -> dict:
    """A HAR of GET requests to ``urls``, each answered with a plain "ok"."""
    return har([har_entry(url, content={"size": 2, "mimeType": "text/plain", "text": "ok"}) for url in urls])


def good_har(path: Path) -> Path:
    """A HAR with one cleartext phone number: DH001 must fire on it."""
    entry = har_entry("http://api.demoshop.com/v1/user/bind", "POST",
                      post={"mimeType": "application/json",
                            "text": jsonlib.dumps({"mobile": "13812345678", "smsCode": "123456"})})
    path.write_text(jsonlib.dumps(har([entry])), encoding="utf-8")
    return path


# The command line, in-process.
def cli(*args, **kw) -> Result:
    """Run ``appaudit ARGS`` in-process; an exception that escapes the command fails the test."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True, **kw)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"appaudit raised {result.exception!r}\n{result.output}") from result.exception
    return result


def run_cli(args: list, **kw) -> tuple[int, str, str]:
    """``cli`` as (exit code, stdout, stderr)."""
    result = cli(*args, **kw)
    return result.exit_code, result.stdout, result.stderr if result.stderr_bytes is not None else ""


def scan_json(tmp_path: Path, inputs: list, *extra: str, reveal: bool = False) -> tuple[int, dict | None, str]:
    """``appaudit scan INPUTS -f json``: (exit code, the report or None, what it printed)."""
    out = tmp_path / f"report-{len(list(tmp_path.glob('report-*.json')))}.json"
    args = ["scan", *map(str, inputs), "-f", "json", "-o", str(out), "--fail-on", "low", *extra]
    if reveal:
        args.append("--reveal")
    rc, stdout, stderr = run_cli(args)
    assert "Traceback" not in stdout + stderr
    report = jsonlib.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return rc, report, stdout + stderr


def findings_of(report, check, data_type=None):
    """A JSON report's findings of one check (and data type)."""
    return [f for f in report["findings"]
            if f["check"] == check and (data_type is None or f["evidence"]["data_type"] == data_type)]
