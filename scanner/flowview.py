"""The decoded view of one HTTP flow that every traffic check reads.

Built once per flow: URL, query, headers, cookies, bodies decompressed and parsed into
fields, WebSocket messages, TLS versions. Personal data found in the fields is computed
on first use and then shared by every check (see ``scanner.detectors``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from mitmproxy import http

from appaudit.scanner.decoding import (BodyError, DecodingBudget, FieldValue, body_fields, decompress,
                                       is_probably_binary, media_type, string_fields, text_of)
from appaudit.scanner.model import Location
from appaudit.scanner.page import Page
from appaudit.scanner.parties import registrable_domain

if TYPE_CHECKING:
    from appaudit.scanner.detectors import DataHit, Detector
    from appaudit.scanner.parties import Party


@dataclass(frozen=True, slots=True)
class SetCookie:
    name: str
    value: str
    attributes: dict[str, str | None]

    def has(self, attribute: str) -> bool:
        return any(k.lower() == attribute.lower() for k in self.attributes)


class MessageView:
    """One request or response, decoded."""

    def __init__(self, message: http.Message, part_prefix: str):
        self.message = message
        self.part_prefix = part_prefix
        self.headers: list[tuple[str, str]] = [(k, v) for k, v in message.headers.items(multi=True)]
        self.content_type: str | None = message.headers.get("content-type")
        self.mime, self.mime_params = media_type(self.content_type)
        self.body_error: str | None = None
        self.body_truncated = False
        self.body: bytes = self._decoded_body()

    def _decoded_body(self) -> bytes:
        raw = self.message.raw_content
        if not raw:
            return b""
        encoding = self.message.headers.get("content-encoding", "")
        try:
            body, self.body_truncated = decompress(raw, encoding)
        except BodyError as e:
            self.body_error = str(e)
            return b""
        return body

    @cached_property
    def text(self) -> str:
        return text_of(self.body, self.mime_params.get("charset"))

    def header(self, name: str) -> str | None:
        return self.message.headers.get(name)

    def header_fields(self) -> list[FieldValue]:
        return [FieldValue(f"{self.part_prefix}.headers", name.lower(), name, value)
                for name, value in self.headers if name.lower() not in ("cookie", "set-cookie")]

    def body_fields(self) -> list[FieldValue]:
        return list(body_fields(f"{self.part_prefix}.body", self.body, self.content_type))


class FlowView:
    """A decoded HTTP flow. ``index`` is its 0-based position in its input."""

    def __init__(self, flow: http.HTTPFlow, *, index: int, input: str, detector: "Detector | None" = None):
        self.flow = flow
        self.index = index
        self.input = input
        self._detector = detector
        request = flow.request
        self.method: str = request.method
        self.url: str = request.pretty_url
        parts = urlsplit(self.url)
        self.scheme: str = parts.scheme.lower()
        self.host: str = (request.pretty_host or "").lower().rstrip(".")
        self.path: str = parts.path
        self.query: list[tuple[str, str]] = parse_qsl(parts.query, keep_blank_values=True)
        self.timestamp: float | None = request.timestamp_start
        self.request = MessageView(request, "request")
        self.response = MessageView(flow.response, "response") if flow.response else None
        self.websocket_messages = list(flow.websocket.messages) if flow.websocket else []
        # What unwrapping nested payloads may cost this flow, request and response together.
        self.decoding = DecodingBudget()
        # Set by scanner.sharing before any check reads the flow.
        self.party: "Party | None" = None
        self.before_consent: bool | None = None
        self.client_tls_version: str | None = flow.client_conn.tls_version if flow.client_conn else None
        self.server_tls_version: str | None = flow.server_conn.tls_version if flow.server_conn else None

    def __getstate__(self) -> dict:
        """What a worker process hands back (``scan --jobs``): the flow, its decoded
        messages, fields and personal data (fields built again would be charged to the
        flow's decoding budget twice); not the detector, nor the parsed page (parsed
        again if a check in the scan's own process asks for it)."""
        state = {key: value for key, value in self.__dict__.items() if key != "page"}
        state["_detector"] = None
        return state

    @property
    def encrypted(self) -> bool:
        """Whether the request travelled over TLS (https:// or wss://)."""
        return self.scheme in ("https", "wss") or (self.scheme not in ("http", "ws") and self.flow.request.scheme == "https")

    @cached_property
    def request_cookies(self) -> list[tuple[str, str]]:
        return list(self.flow.request.cookies.items(multi=True))

    @cached_property
    def set_cookies(self) -> list[SetCookie]:
        if not self.flow.response:
            return []
        # mitmproxy gives None for a value it cannot parse (a header without "=").
        return [SetCookie(name, value if isinstance(value, str) else "", dict(attrs.items(multi=True)))
                for name, (value, attrs) in self.flow.response.cookies.items(multi=True)]

    @cached_property
    def request_fields(self) -> list[FieldValue]:
        """Every value the client sent: URL path segments and query, headers, cookies,
        body, and the client's WebSocket messages."""
        with self.decoding.applied():
            return self._request_fields()

    def _request_fields(self) -> list[FieldValue]:
        fields: list[FieldValue] = []
        segments = [s for s in self.path.split("/") if s]
        for i, segment in enumerate(segments):
            # Servlet-style parameters ride inside a segment: /cart;jsessionid=8E1B…
            segment, *parameters = segment.split(";")
            fields.append(FieldValue("request.url", f"path[{i}]",
                                     unquote(segments[i - 1].split(";")[0]) if i else None, unquote(segment)))
            for parameter in parameters:
                name, _, value = parameter.partition("=")
                fields.extend(_with_nested("request.url", name, unquote(value), path=f"path[{i}];{name}"))
        for name, value in self.query:
            fields.extend(_with_nested("request.url", name, value))
        fields.extend(self.request.header_fields())
        for name, value in self.request_cookies:
            # Cookie values are often percent-encoded (user_email=li%40example.com).
            decoded = unquote(value) if "%" in value else value
            fields.extend(_with_nested("request.cookies", name, decoded, encoding=("url",) if decoded != value else ()))
        fields.extend(self.request.body_fields())
        fields.extend(self._websocket_fields(from_client=True))
        return fields

    @cached_property
    def response_fields(self) -> list[FieldValue]:
        with self.decoding.applied():
            return self._response_fields()

    def _response_fields(self) -> list[FieldValue]:
        if self.response is None:
            return self._websocket_fields(from_client=False)
        fields = self.response.header_fields()
        fields.extend(FieldValue("response.headers", f"set-cookie.{c.name}", c.name, c.value)
                      for c in self.set_cookies)
        fields.extend(self.response.body_fields())
        fields.extend(self._websocket_fields(from_client=False))
        return fields

    def _websocket_fields(self, *, from_client: bool) -> list[FieldValue]:
        part = "request.body" if from_client else "response.body"
        fields = []
        for i, message in enumerate(self.websocket_messages):
            if message.from_client == from_client and message.is_text:
                content = message.content if isinstance(message.content, bytes) else str(message.content).encode()
                fields.extend(replace(f, path=f"ws[{i}]" + (f".{f.path}" if f.path else ""))
                              for f in body_fields(part, content, "text/plain"))
        return fields

    @cached_property
    def personal_data(self) -> list["DataHit"]:
        """Personal data in this flow, found once and shared by every check."""
        if self._detector is None:
            return []
        received = [hit for hit in self._detector.scan_fields(self.response_fields, sender="server")
                    if not self._site_contact(hit) and not self._in_static_code(hit)]
        return self._detector.scan_fields(self.request_fields, sender="client") + received

    def _site_contact(self, hit: "DataHit") -> bool:
        """A site's own address written into prose it serves ("请联系 support@site.cn")
        is its contact, not a person's data; an address in a field of its own is data."""
        if hit.data_type != "email" or registrable_domain(hit.value.rpartition("@")[2]) != registrable_domain(self.host):
            return False
        whole = next((f.value for f in self.response_fields if f.part == hit.part and f.path == hit.path), None)
        return whole is not None and whole.strip() != hit.value

    def _in_static_code(self, hit: "DataHit") -> bool:
        """Text found free-standing in a static script or stylesheet (/js/app.js): an
        author's or a help desk's contact written into the code, not a person's data
        the server sends. Data in a field (a JSON state blob) still counts."""
        return (hit.part == "response.body" and hit.path == "" and _STATIC_CODE_PATH.search(self.path) is not None
                and self.response is not None and self.response.mime in _CODE_TYPES)

    @cached_property
    def page_source(self) -> str | None:
        """The text of the HTML document this flow served, for cheap tests before the
        page is parsed; None when the response is not a successful HTML document."""
        response = self.response
        if response is None or not response.body or not 200 <= self.flow.response.status_code < 300:
            return None
        if response.mime not in ("text/html", "application/xhtml+xml") or is_probably_binary(response.body) \
                or _is_json_or_jsonp(response.text):
            return None
        return response.text

    @cached_property
    def page(self) -> Page | None:
        """The HTML document this flow served, parsed once, with the flow's URL as its
        origin; None when the response is not a successful HTML document."""
        if self.page_source is None:
            return None
        return Page(source=self.page_source, input=self.input, url=self.url, flow=self.index, timestamp=self.timestamp)

    def location(self, *, part: str | None = None, field: str | None = None) -> Location:
        return Location(
            input=self.input, flow=self.index, method=self.method, url=self.url,
            part=part, field=field or None, timestamp=self.timestamp,
        )


_STATIC_CODE_PATH = re.compile(r"\.(?:m?js|css)$", re.IGNORECASE)
_CODE_TYPES = frozenset({"application/javascript", "text/javascript", "application/x-javascript",
                         "application/ecmascript", "text/ecmascript", "text/css"})
_JSONP = re.compile(r"^[\w$.]+\s*\(.*\)\s*;?\s*$", re.DOTALL)


def _is_json_or_jsonp(text: str) -> bool:
    """API responses mislabelled text/html (common with PHP back ends) are data, not pages."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            json.loads(stripped)
            return True
        except ValueError:
            return False
    return bool(_JSONP.match(stripped[:200]) and _JSONP.match(stripped))


def _with_nested(part: str, name: str, value: str, *, path: str | None = None,
                 encoding: tuple[str, ...] = ()) -> list[FieldValue]:
    """A URL parameter or cookie value, plus what it wraps (base64 JSON and the like)."""
    return list(string_fields(part, path or name, name, value, encoding, 0))
