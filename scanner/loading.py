"""Finding inputs and reading them as streams of records.

Inputs are recognised by content, not by extension: mitmproxy flow files (any version
mitmproxy reads), HAR (also with a BOM, or zlib-compressed as mitmproxy's ``.zhar``),
HTML pages and ``uiautomator dump`` XML. Flow files and HAR go through ``mitmproxy.io``.

A file that cannot be read yields a one-line problem naming the file; a damaged file
keeps every record read before the damage.
"""
from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from mitmproxy import exceptions, http, websocket
from mitmproxy.io import FlowReader
from mitmproxy.io.har import request_to_flow

from appaudit.scanner.decoding import MAX_DECODED_BODY

# Files in a folder with these names are expected to be captures; others (READMEs, app
# files, pages in other formats) are passed over when they are not.
CAPTURE_EXTENSIONS = (".mitm", ".flows", ".flow", ".dump", ".har", ".zhar", ".harp")
# HARP: a HAR wrapped in a JSONP call ("onInputData({...});"), as HAR viewers load it.
_HARP_START = re.compile(rb"^[A-Za-z_$][\w$.]*\s*\(\s*\{")
_SNIFF_BYTES = 4096
# HAR files are one JSON document and must be read whole; anything larger than this is
# refused with a clear message rather than exhausting memory.
MAX_HAR_BYTES = 2 * 1024 * 1024 * 1024
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|a|script|style|link|form|table|section|main|header|nav|span|img|iframe)\b",
                         re.IGNORECASE | re.DOTALL)


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
            for root, dirs, files in os.walk(path, onerror=lambda e: problems.append((str(e.filename), _os_message(e)))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = os.path.join(root, name)
                    try:
                        kind = sniff(file)
                    except OSError as e:
                        problems.append((file, _os_message(e)))
                        continue
                    if kind is not None:
                        found.append((file, kind))
                    elif name.lower().endswith(CAPTURE_EXTENSIONS):
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


def _not_a_capture(path: str) -> str:
    if os.path.getsize(path) == 0:
        return "empty file"
    return "not a capture: expected a mitmproxy flow file, HAR, HTML page or uiautomator XML"


def sniff(path: str) -> str | None:
    """The kind of capture a file holds, judged from its first bytes."""
    with open(path, "rb") as f:
        head = f.read(_SNIFF_BYTES)
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
        if _HTML_START.match(text):
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
class SkippedRecord:
    """A HAR entry that is not checked (not a network request, or unreadable). It is
    still yielded, so that every later flow keeps its index in the file."""

    index: int


# The HAR entry's page (``pageref``), kept on the flow for the party model.
PAGEREF = "appaudit.har_pageref"
_NETWORK_SCHEMES = ("http:", "https:", "ws:", "wss:")


def read_har(path: str, problems: list[str], notes: list[str] | None = None) -> Iterator[http.HTTPFlow | SkippedRecord]:
    """Every entry of a HAR file as a mitmproxy flow, in file order. An entry that is not
    a network request (a ``data:`` URL, as Chrome records for inline images) is a note;
    one mitmproxy cannot convert is a problem. Both are yielded as :class:`SkippedRecord`
    so that flow numbers stay the entries' indexes."""
    if os.path.getsize(path) > MAX_HAR_BYTES:
        raise InputError("HAR file is larger than 2 GiB")
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:1] == b"\x78":
        decompressor = zlib.decompressobj()
        try:
            raw = decompressor.decompress(raw, MAX_DECODED_BODY * 64)
        except zlib.error as e:
            raise InputError(f"compressed HAR is damaged: {e}") from None
    try:
        document = json.loads(_without_padding(raw.decode("utf-8-sig")))
    except UnicodeDecodeError:
        raise InputError("HAR file is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise InputError(f"invalid HAR: JSON syntax error at line {e.lineno} column {e.colno}: {e.msg}") from None
    entries = document.get("log", {}).get("entries") if isinstance(document, dict) and isinstance(document.get("log"), dict) else None
    if not isinstance(entries, list):
        raise InputError("not a HAR file: no log.entries list")
    skipped = not_network = 0
    for i, entry in enumerate(entries):
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


def _without_padding(text: str) -> str:
    """The JSON inside a HARP file's JSONP call; other text unchanged."""
    start = _HARP_START.match(text.lstrip().encode("utf-8", "surrogateescape")[:256])
    if not start:
        return text
    inner = text.lstrip()[start.end() - 1:].rstrip().rstrip(";").rstrip()
    return inner[:-1] if inner.endswith(")") else inner


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


def _os_message(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
