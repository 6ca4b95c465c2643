"""Finding inputs and reading them as streams of records.

Inputs are recognised by content, not by extension: mitmproxy flow files (any version
mitmproxy reads), HAR (also with a BOM, or zlib-compressed as mitmproxy's ``.zhar``),
HTML pages and ``uiautomator dump`` XML. Flow files and HAR go through ``mitmproxy.io``.

A file that cannot be read yields a one-line problem naming the file; a damaged file
keeps every record read before the damage.
"""
from __future__ import annotations

import base64
import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import ijson
from ijson.common import ObjectBuilder
from mitmproxy import exceptions, http, websocket
from mitmproxy.io import FlowReader
from mitmproxy.net import encoding as mitmproxy_encoding
from mitmproxy.io.har import request_to_flow

from appaudit.scanner.decoding import MAX_DECODED_BODY
from appaudit.scanner.failures import describe
from appaudit.scanner.page import Page

# Files in a folder with these names are expected to be captures; others (READMEs, app
# files, pages in other formats) are passed over when they are not.
CAPTURE_EXTENSIONS = (".mitm", ".flows", ".flow", ".dump", ".har", ".zhar", ".harp")
# HARP: a HAR wrapped in a JSONP call ("onInputData({...});"), as HAR viewers load it.
_HARP_START = re.compile(rb"^[A-Za-z_$][\w$.]*\s*\(\s*\{")
# Named like a page, in a folder: not recognised is an error, not a silent skip.
_PAGE_EXTENSIONS = (".html", ".htm", ".xhtml")
_SNIFF_BYTES = 4096
# What may stand before a page's first element: an XML declaration or other processing
# instruction (XHTML, PHP leftovers), comments, a non-HTML doctype.
_PREAMBLE = re.compile(rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype(?!\s+html)[^>]*>))*\s*", re.IGNORECASE | re.DOTALL)
# A file whose sniffed bytes are all preamble, ending inside it (an unterminated comment).
_PREAMBLE_ONLY = re.compile(rb"(?:(?:<\?.*?\?>|<!--.*?-->)\s*)*(?:<\?|<!--)(?:(?!-->|\?>).)*", re.DOTALL)
_PREAMBLE_BYTES = 1024 * 1024
# A page starts with a doctype or one of these elements, or any custom element (a name
# with a hyphen: <my-app>), as single-page apps save.
_HTML_START = re.compile(rb"^\s*<(!doctype\s+html|html|head|body|meta|title|div|p|a|script|style|link|form|table|section"
                         rb"|main|header|nav|span|img|iframe|[a-z][a-z0-9]*-[a-z0-9-]*)[\s/>]", re.IGNORECASE)


_GZIP_MAGIC = b"\x1f\x8b"


class InputError(Exception):
    """An input that cannot be read; the message names the problem, not the file (the
    report entry carries the file)."""


@dataclass(kw_only=True)
class Input:
    """One capture file, as the report lists it."""

    path: str
    kind: str
    sha256: str = ""
    records: int = 0
    # What could not be judged (the report's errors; the scan is incomplete) ...
    problems: list[str] = field(default_factory=list)
    # ... and what the report should say without counting the scan incomplete: records
    # that are not network requests, pages drawn by script, consent platforms loaded by
    # script.
    notes: list[str] = field(default_factory=list)


def expand(paths: list[str]) -> tuple[list[tuple[str, str | None]], list[tuple[str, str]]]:
    """Resolve the command line's paths into (file, kind) pairs, recursing into folders.

    A file named on the command line must be a capture; files found inside folders that
    are not captures (READMEs, app files) are passed over. Returns the inputs and the
    (path, message) problems of named paths that could not be used."""
    found: list[tuple[str, str | None]] = []
    problems: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            top = os.path.realpath(path)
            for root, dirs, files in os.walk(path, onerror=lambda e: problems.append((str(e.filename), _os_message(e)))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                # os.walk does not descend into linked folders: say so of those leading out.
                problems.extend((os.path.join(root, d), _LINKED_OUT.format("folder")) for d in dirs
                                if _links_out(os.path.join(root, d), top))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = os.path.join(root, name)
                    if _links_out(file, top):
                        problems.append((file, _LINKED_OUT.format("file")))
                        continue
                    try:
                        kind = sniff(file)
                    except OSError as e:
                        problems.append((file, _os_message(e)))
                        continue
                    if kind is not None:
                        found.append((file, kind))
                    elif name.lower().endswith(CAPTURE_EXTENSIONS + _PAGE_EXTENSIONS):
                        # Named like a capture but unreadable: say so, or the auditor
                        # would believe it was scanned.
                        problems.append((file, _not_a_capture(file)))
        elif path.exists():
            try:
                kind = sniff(given)
            except OSError as e:
                problems.append((given, _os_message(e)))
                continue
            if kind is None:
                problems.append((given, _not_a_capture(given)))
            else:
                found.append((given, kind))
        else:
            problems.append((given, "no such file or folder"))
    return found, problems


_LINKED_OUT = "not scanned: a symbolic link to a {} outside the scanned folder (name it to scan it)"


def _links_out(path: str, top: str) -> bool:
    """Whether ``path`` is a symbolic link whose target lies outside the folder ``top``
    (a capture folder unpacked from an archive must not make the scan read elsewhere)."""
    if not os.path.islink(path):
        return False
    return os.path.commonpath([os.path.realpath(path), top]) != top


_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISSOCK, "a socket"))


class NotRegularFile(OSError):
    """A FIFO, device or socket: opening or reading it could block the scan forever."""


def _not_a_capture(path: str) -> str:
    if os.path.getsize(path) == 0:
        return "empty file"
    return "not a capture: expected a mitmproxy flow file, HAR, HTML page or uiautomator XML"


def sniff(path: str) -> str | None:
    """The kind of capture a file holds, judged from its first bytes. Only regular
    files are opened: a FIFO or device raises NotRegularFile."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")
        raise NotRegularFile(f"not a regular file ({what}); not read")
    with open(path, "rb") as f:
        head = f.read(_SNIFF_BYTES)
        if _PREAMBLE_ONLY.fullmatch(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
            # A licence comment or prolog longer than the sniffed bytes: read past it.
            head += f.read(_PREAMBLE_BYTES)
            head = _PREAMBLE.sub(b"", head.lstrip(b"\xef\xbb\xbf \t\r\n"), count=1)[:_SNIFF_BYTES] or head
    if not head:
        return None
    if head[:2] == _GZIP_MAGIC:  # pages stored compressed (.html.gz): judged by what they hold
        head = _gunzip_start(path)
        kind = sniff_bytes(head) if head else None
        return kind if kind in ("html", "uiautomator") else None
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> str | None:
    if not head:
        return None
    if head[:2] in _UTF16_BOMS:  # pages saved by Windows tools
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") or (_HARP_START.match(text) and b'"log"' in text):
        return "har"
    if head[:1] == b"\x78" and head[1:2] in (b"\x01", b"\x5e", b"\x9c", b"\xda"):
        try:
            inner = zlib.decompressobj().decompress(head, 64)
        except zlib.error:
            return None
        return "har" if inner.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else None
    if re.match(rb"^\d{1,12}:", head):
        return "flows"
    if text.startswith(b"<"):
        lowered = text[:_SNIFF_BYTES].lower()
        if b"<hierarchy" in lowered:
            return "uiautomator"
        if _HTML_START.match(_PREAMBLE.sub(b"", text, count=1)):
            return "html"
    return None


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_flows(path: str, problems: list[str]) -> Iterator[http.HTTPFlow | object]:
    """Every flow of a mitmproxy flow file, in file order. Damage after some flows keeps
    those flows and adds a problem."""
    count = 0
    with open(path, "rb") as f:
        try:
            for flow in FlowReader(f).stream():
                count += 1
                yield flow
        except exceptions.FlowReadException as e:
            message = str(e).strip() or "invalid data"
            if count:
                problems.append(f"damaged after flow {count}: {message}")
            else:
                raise InputError(f"cannot read flow file: {message}") from None


@dataclass(frozen=True)
class FlowRecord:
    """A flow as read from its input (any mitmproxy flow, or a HAR entry that is not one)."""

    index: int
    flow: object

    @property
    def size(self) -> int:
        """The bytes it carries, to bound what is in flight between processes."""
        if not isinstance(self.flow, http.HTTPFlow):
            return 0
        return sum(len(message.raw_content or b"") for message in (self.flow.request, self.flow.response) if message)


class PageRecord:
    """A page file's text and its own URL, parsed on first use in the process that uses it
    (a parsed tree never travels between processes)."""

    def __init__(self, *, source: str, input: str, kind: str, url: str | None, page: Page | None = None):
        self.source = source
        self.input = input
        self.kind = kind
        self.url = url
        if page is not None:
            self.__dict__["page"] = page

    @classmethod
    def of(cls, page: Page) -> "PageRecord":
        return cls(source=page.source, input=page.input, kind=page.kind, url=page.url, page=page)

    @cached_property
    def page(self) -> Page:
        return Page(source=self.source, input=self.input, kind=self.kind, url=self.url)

    @property
    def size(self) -> int:
        return len(self.source)

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "page"}


@dataclass(kw_only=True)
class Read:
    """What reading an input gave next: a record, or (``record`` None) the end of the
    input, with the error that ended it early; and the problems and notes the reader met
    on the way there (a damaged end, skipped HAR entries)."""

    record: FlowRecord | PageRecord | None
    problems: list[str]
    notes: list[str]
    error: Exception | None = None


def read_records(path: str, kind: str, url: str | None = None) -> Iterator[Read]:
    """The records of one input in file order (a page file is one record; ``url`` is its
    own URL where known), then its end. An input that cannot be read, or breaks part-way,
    ends with the error instead of raising it, so that what the reader met stays in
    order with the records read before."""
    problems: list[str] = []
    notes: list[str] = []

    def read(record: FlowRecord | PageRecord | None = None, error: Exception | None = None) -> Read:
        met = Read(record=record, problems=problems[:], notes=notes[:], error=error)
        problems.clear()
        notes.clear()
        return met

    try:
        if kind in ("flows", "har"):
            flows = read_flows(path, problems) if kind == "flows" else read_har(path, problems, notes)
            for index, flow in enumerate(flows):
                yield read(FlowRecord(index, flow))
        else:
            yield read(PageRecord(source=read_text(path), input=path, kind=kind, url=url))
    except Exception as e:
        yield read(error=e)
    else:
        yield read()


@dataclass(frozen=True)
class SkippedRecord:
    """A HAR entry that is not checked (not a network request, or unreadable). It is
    still yielded, so that every later flow keeps its index in the file."""

    index: int


# The HAR entry's page (``pageref``), kept on the flow for the party model.
PAGEREF = "appaudit.har_pageref"
_NETWORK_SCHEMES = ("http:", "https:", "ws:", "wss:")


def read_har(path: str, problems: list[str], notes: list[str] | None = None) -> Iterator[http.HTTPFlow | SkippedRecord]:
    """Every entry of a HAR file as a mitmproxy flow, in file order, read one entry at a
    time (a 500 MB HAR is never held whole). An entry that is not a network request (a
    ``data:`` URL, as Chrome records for inline images) is a note; one mitmproxy cannot
    convert is a problem. Both are yielded as :class:`SkippedRecord` so that flow numbers
    stay the entries' indexes."""
    skipped = not_network = 0
    with open(path, "rb") as f:
        stream = _Utf8Stream(f)
        for i, entry in enumerate(_har_entries(stream)):
            scheme = _url_scheme(entry)
            if scheme is not None and not scheme.startswith(_NETWORK_SCHEMES):
                not_network += 1
                if notes is not None and not_network <= 5:
                    notes.append(f"HAR entry {i} is not a network request ({scheme} URL); counted, not checked")
                yield SkippedRecord(i)
                continue
            try:
                completed = _complete_entry(entry)
                flow = request_to_flow(completed)
                flow.websocket = _websocket_messages(entry)
            except Exception as e:  # mitmproxy raises KeyError/ValueError/TypeError on odd entries
                skipped += 1
                if skipped <= 5:
                    problems.append(f"HAR entry {i} skipped: {_entry_problem(e)}")
                yield SkippedRecord(i)
                continue
            if completed["startedDateTime"] == _UNKNOWN_START:
                flow.request.timestamp_start = None  # not recorded: no time is better than a wrong one
            if isinstance(entry.get("pageref"), str):
                flow.metadata[PAGEREF] = entry["pageref"]
            yield flow
    if skipped > 5:
        problems.append(f"{skipped - 5} more HAR entries skipped")
    if notes is not None and not_network > 5:
        notes.append(f"{not_network - 5} more HAR entries are not network requests")
    if stream.replaced:
        problems.append(f"{stream.replaced} bytes are not UTF-8 and were read as U+FFFD; "
                        "the values holding them were not judged exactly")


def _har_entries(stream: "_Utf8Stream") -> Iterator[object]:
    """The items of ``log.entries``, each built as it ends."""
    found = False
    builder, depth = None, 0
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if prefix == "" and event in ("end_map", "end_array"):
                break  # the document is complete: a HARP file's closing ");" is not read
            if builder is None:
                if prefix == "log.entries" and event == "start_array":
                    found = True
                elif prefix == "log.entries.item":
                    if event in ("start_map", "start_array"):
                        builder, depth = ObjectBuilder(), 0
                    else:
                        yield value
                        continue
                else:
                    continue
            if builder is not None:
                builder.event(event, value)
                depth += event in ("start_map", "start_array")
                depth -= event in ("end_map", "end_array")
                if depth == 0:
                    yield builder.value
                    builder = None
    except ijson.JSONError as e:
        raise InputError(f"invalid HAR: JSON syntax error at {stream.error_position(e)}") from None
    if not found:
        raise InputError("not a HAR file: no log.entries list")


class _Utf8Stream(io.RawIOBase):
    """A HAR file as UTF-8 bytes for the streaming parser: a BOM dropped, zlib (.zhar)
    undone (capped), and bytes that are not UTF-8 replaced, and counted, rather than
    rejecting the whole file."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.replaced = 0
        self.consumed = 0
        self.line = 1
        first = raw.read(1)
        raw.seek(0)
        self._zlib = zlib.decompressobj() if first == b"\x78" else None
        self._inflated = 0
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")("surrogateescape")
        self._pending = b""
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self.raw.read(_HAR_CHUNK)
            if self._zlib is not None:
                try:
                    chunk = self._zlib.decompress(chunk, max(0, _MAX_ZHAR_BYTES - self._inflated)) if chunk else b""
                except zlib.error as e:
                    raise InputError(f"compressed HAR is damaged: {e}") from None
                self._inflated += len(chunk)
            text = self._decoder.decode(chunk, final=not chunk)
            if not self._started and text.strip():
                self._started = True
                text = _without_call(text)
            bad = _UNDECODED.findall(text)
            if bad:
                self.replaced += len(bad)
                text = _UNDECODED.sub("\ufffd", text)
            self._pending = text.encode("utf-8")
            if not chunk:
                break
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self.line += self._pending.count(b"\n", 0, size)
        self._pending = self._pending[size:]
        return size

    def error_position(self, error: Exception) -> str:
        """Where the JSON breaks, as Python's parser says it ("line 1 column 2: Expecting
        ..."): the streaming parser does not say, so a file small enough is read again
        whole to find out; for a larger one, the line reached."""
        self.raw.seek(0)
        again, pieces, size = _Utf8Stream(self.raw), [], 0
        while size <= _EXACT_ERROR_BYTES and (piece := again.read(_HAR_CHUNK)):
            pieces.append(piece)
            size += len(piece)
        text = b"".join(pieces)
        if size <= _EXACT_ERROR_BYTES:
            try:
                json.JSONDecoder().raw_decode(text.decode("utf-8"))
            except json.JSONDecodeError as e:
                return f"line {e.lineno} column {e.colno}: {e.msg}"
            except RecursionError:
                return f"line {self.line} or before: nested too deep"
        return f"line {self.line} or before: {str(error).splitlines()[0][:120] if str(error) else 'incomplete'}"


_HAR_CHUNK = 1024 * 1024
# Files up to this size are parsed again whole to say exactly where their JSON breaks.
_EXACT_ERROR_BYTES = 64 * 1024 * 1024
# A .zhar inflating past this is cut here (a compression bomb costs nothing).
_MAX_ZHAR_BYTES = 2 * 1024 * 1024 * 1024
_UNDECODED = re.compile("[\udc80-\udcff]")


def _without_call(text: str) -> str:
    """The start of a HAR with a HARP file's JSONP call ("onInputData(") taken off;
    other text unchanged."""
    stripped = text.lstrip()
    start = _HARP_START.match(stripped[:256].encode("utf-8", "surrogateescape"))
    return stripped[start.end() - 1:] if start else text


def _url_scheme(entry) -> str | None:
    """The lower-case scheme of an entry's URL ("data:"), or None when it has none."""
    request = entry.get("request") if isinstance(entry, dict) else None
    url = request.get("url") if isinstance(request, dict) else None
    if not isinstance(url, str) or ":" not in url:
        return None
    scheme = url.split(":", 1)[0].strip().lower() + ":"
    return scheme if re.fullmatch(r"[a-z][a-z0-9+.\-]*:", scheme) else None


# Stands in for a missing startedDateTime so that mitmproxy's converter accepts the entry.
_UNKNOWN_START = "1970-01-01T00:00:00+00:00"


def _websocket_messages(entry: dict) -> websocket.WebSocketData | None:
    """The WebSocket messages Chrome and mitmproxy record in ``_webSocketMessages``
    (mitmproxy's HAR reader passes them over): text as is, binary in base64."""
    messages = entry.get("_webSocketMessages")
    if not isinstance(messages, list):
        return None
    data = websocket.WebSocketData()
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("data"), str):
            continue
        text = message["data"]
        binary = message.get("opcode") == 2
        data.messages.append(websocket.WebSocketMessage(
            2 if binary else 1, message.get("type") == "send",
            base64.b64decode(text, validate=False) if binary else text.encode("utf-8", "surrogateescape"),
            message.get("time") if isinstance(message.get("time"), (int, float)) else None,
        ))
    return data


def _complete_entry(entry: dict) -> dict:
    """Fill in what HAR writers commonly omit, so mitmproxy's converter accepts it."""
    if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
        raise ValueError("entry has no request")
    request = entry["request"]
    if not isinstance(request.get("url"), str):
        raise ValueError("request has no url")
    entry = dict(entry)
    if not isinstance(entry.get("startedDateTime"), str):
        entry["startedDateTime"] = _UNKNOWN_START
    if not isinstance(request.get("method"), str):
        # WebPageTest writes HTTP/2 requests with "method": null; browsers only issue
        # such requests as GET (the fetches of a page's resources).
        request = dict(request, method="GET")
    # Chrome writes WebSocket entries with ws(s):// URLs; mitmproxy records the same
    # connection as the http(s):// request that upgraded it.
    url = _ascii_url(request["url"])
    if url[:5].lower() in ("ws://", "wss:/"):
        url = "http" + url[2:]
    request = dict(request, url=url)
    entry.setdefault("time", 0)
    if not isinstance(entry.get("time"), (int, float)):
        entry["time"] = 0
    request = dict(request)
    request.setdefault("headers", [])
    request.setdefault("httpVersion", "HTTP/1.1")
    post = request.get("postData")
    if isinstance(post, dict) and "text" not in post:
        params = post.get("params") or []
        post = dict(post, text=urlencode([(p.get("name", ""), p.get("value", "")) for p in params if isinstance(p, dict)]))
        request["postData"] = post
    entry["request"] = request
    response = entry.get("response")
    response = dict(response) if isinstance(response, dict) else {"status": 0, "headers": [], "content": {}}
    response.setdefault("headers", [])
    # A HAR holds bodies decoded; mitmproxy re-encodes them as the Content-Encoding says
    # and drops the entry for an encoding it does not know: such a header is left out.
    if isinstance(response["headers"], list):
        response["headers"] = [h for h in response["headers"] if not _unknown_content_encoding(h)]
    response.setdefault("httpVersion", "HTTP/1.1")
    response.setdefault("content", {})
    if not isinstance(response.get("status"), int):
        response["status"] = 0
    mime_type = response["content"].get("mimeType") if isinstance(response["content"], dict) else None
    headers = _split_set_cookies(response["headers"] if isinstance(response["headers"], list) else [])
    response["headers"] = headers
    if isinstance(mime_type, str) and mime_type and not any(
            isinstance(h, dict) and str(h.get("name", "")).lower() == "content-type" for h in headers):
        # Some writers keep no response headers; the content's mimeType still says what the body is.
        response["headers"] = [*headers, {"name": "Content-Type", "value": mime_type}]
    entry["response"] = response
    return entry


def _unknown_content_encoding(header) -> bool:
    if not isinstance(header, dict) or str(header.get("name", "")).lower() != "content-encoding":
        return False
    value = str(header.get("value", "")).strip().lower()
    return bool(value) and value not in mitmproxy_encoding.custom_encode


def _split_set_cookies(headers: list) -> list:
    """chrome-har and others write several Set-Cookie headers as one, joined by newlines;
    each is a cookie of its own."""
    split = []
    for header in headers:
        value = header.get("value") if isinstance(header, dict) else None
        if isinstance(value, str) and "\n" in value and str(header.get("name", "")).lower() == "set-cookie":
            split.extend(dict(header, value=line) for line in value.split("\n") if line.strip())
        else:
            split.append(header)
    return split


def _ascii_url(url: str) -> str:
    """Some HAR writers (Insomnia, a few proxies) keep raw non-ASCII in URLs, which
    mitmproxy cannot encode: percent-encode the path and query, IDNA-encode the host."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        pass
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = quote(parts.username, safe="") + (f":{quote(parts.password, safe='')}" if parts.password else "") + "@" + netloc
    safe = "/:@!$&'()*+,;=%?"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe),
                       quote(parts.fragment, safe=safe)))


def _entry_problem(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_url_map(path: str) -> dict[str, str]:
    """A saved page's own URL per file, from a CSV or TSV of (path, URL) rows (``scan
    --url-map``); relative paths are relative to the map's folder. A header row and
    ``#`` comment lines are allowed; a row without an http(s) URL is refused with its
    line number."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the URL map {path}: {e}") from None
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    delimiter = "\t" if rows and "\t" in rows[0] else ","
    found: dict[str, str] = {}
    folder = os.path.dirname(os.path.abspath(path))
    first = True
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
        if len(cells) < 2 or not re.match(r"https?://\S+$", cells[1], re.IGNORECASE):
            if first:
                first = False
                continue  # a header
            raise InputError(f"{path} line {number}: expected a file path and its http(s) URL")
        first = False
        found[os.path.realpath(os.path.join(folder, cells[0]))] = cells[1]
    return found


def url_in_map(url_map: dict[str, str], path: str) -> str | None:
    return url_map.get(os.path.realpath(path))


def _gunzip_start(path: str) -> bytes:
    """The first decompressed bytes of a gzip file (also of a cut one)."""
    with open(path, "rb") as f:
        compressed = f.read(64 * 1024)
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(compressed, _SNIFF_BYTES)
    except zlib.error:
        return b""


def read_text(path: str) -> str:
    """A page's text, decompressed when stored gzip-compressed (at most
    ``MAX_DECODED_BODY`` bytes of it: a small file could otherwise expand without bound)."""
    with open(path, "rb") as f:
        magic = f.read(2)
    try:
        if magic == _GZIP_MAGIC:
            with gzip.open(path, "rb") as f:
                raw = f.read(MAX_DECODED_BODY)
        else:
            with open(path, "rb") as f:
                raw = f.read()
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise InputError(f"compressed page is damaged: {e}") from None
    encodings = ("utf-16", "utf-8-sig", "gb18030") if raw[:2] in _UTF16_BOMS else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_problem(error: Exception) -> str:
    """One line saying why an input could not be read (the report entry names the input)."""
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, OSError):
        return f"cannot read: {(error.strerror or str(error)).lower()}"
    if isinstance(error, RecursionError):
        return "nesting too deep to read"
    return f"could not be read: {describe(error)}"


def _os_message(error: OSError) -> str:
    if isinstance(error, NotRegularFile):
        return str(error)
    return (error.strerror or str(error)).lower()
