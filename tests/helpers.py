"""Builders for flows and pages, and runners that put them through the real engine
with one check enabled — what check tests use."""
from __future__ import annotations

import json as jsonlib
from collections.abc import Iterable

from mitmproxy import connection, http

from appaudit.scanner.appfile import AppDescription, app_from_document
from appaudit.scanner.engine import InputScan, ScanSettings
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Finding
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
    """Run the named checks over flows as one input, the way ``appaudit scan`` does."""
    session = InputScan(settings_for(check_ids, app=app), Input(path=input, kind="flows"))
    findings = []
    for index, flow in enumerate(flows):
        findings += session.flow(flow, index)
    return findings + session.finish()


def page_findings(check_ids: str | Iterable[str], source: str, *, url: str | None = None,
                  kind: str = "html", dpi: float | None = None,
                  app: AppDescription | None = None, input: str = "page.html") -> list[Finding]:
    """Run the named checks over one page (HTML or uiautomator XML)."""
    session = InputScan(settings_for(check_ids, app=app, dpi=dpi), Input(path=input, kind=kind))
    page = Page(source=source, input=input, kind=kind, url=url)
    return session.page(page) + session.finish()
