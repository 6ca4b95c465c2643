"""Builders for flows and pages, and runners that put them through the real engine
with one check enabled — what check tests use."""
from __future__ import annotations

import json as jsonlib
from collections.abc import Iterable

from mitmproxy import connection, http

from appaudit.scanner.appfile import AppDescription, app_from_document
from appaudit.scanner.engine import InputScan, ScanSettings
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Finding, Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile
from appaudit.scanner.yamlfile import load_yaml

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


def settings_for(check_ids: str | Iterable[str], *, app: AppDescription | None = None,
                 profile: Profile | None = None, dpi: float | None = None,
                 base_url: str | None = None) -> ScanSettings:
    ids = (check_ids,) if isinstance(check_ids, str) else tuple(check_ids)
    profile = profile or Profile(name="test", enabled=ids)
    return ScanSettings(profile=profile, app=app, dpi=dpi, base_url=base_url)


def flow_findings(check_ids: str | Iterable[str], flows: Iterable[http.HTTPFlow], *,
                  app: AppDescription | None = None, input: str = "test.mitm") -> list[Finding]:
    """Run the named checks over flows as one input, the way ``appaudit scan`` does,
    failing when a check errs or the input has problems (a test must not pass on a
    check that could not judge)."""
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


def page_findings(check_ids: str | Iterable[str], source: str, *, url: str | None = None,
                  kind: str = "html", dpi: float | None = None,
                  app: AppDescription | None = None, input: str = "page.html") -> list[Finding]:
    """Run the named checks over one page (HTML or uiautomator XML)."""
    session = InputScan(settings_for(check_ids, app=app, dpi=dpi), Input(path=input, kind=kind))
    page = Page(source=source, input=input, kind=kind, url=url)
    return session.page(page) + session.finish()


# Pages: a run of UI checks over one page, and where its findings point.
UI_ALL = tuple(f"UI{n:03d}" for n in range(1, 12))


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


# ================================================================ UI001 redirect-popup
