"""Turning message bodies into addressable fields, once per flow.

A body is decompressed (with a cap, so a compression bomb cannot exhaust memory),
parsed by what it is (JSON, form, multipart, XML, text) and flattened into
:class:`FieldValue` leaves whose ``path`` addresses them (``user.phone``,
``items[2].id``). String leaves that hold another payload — JSON in a string, base64
or URL-encoded JSON/form as analytics SDKs send them — are unwrapped to a bounded depth,
and the unwrapping is recorded in ``encoding``.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import parse_qsl

import brotli
import lxml.html
from lxml import etree
from mitmproxy.net.http import multipart

# The zstd decoder mitmproxy itself uses: the standard library's from Python 3.14, its
# backport under mitmproxy 12, the zstandard package under mitmproxy 11.
try:
    from compression import zstd
except ImportError:
    try:
        from backports import zstd
    except ImportError:
        zstd = None
        import zstandard

# Decompressed bodies larger than this are cut here: enough for any API payload or
# page, small enough that a thousand-fold compression bomb costs nothing.
MAX_DECODED_BODY = 16 * 1024 * 1024
MAX_NESTING = 3
MAX_LEAVES = 20_000
# Each unwrap level has its own caps, but a payload nesting lists of gzipped base64 in
# gzipped base64 multiplies them (1 KB grew to 6 GiB): what all the levels of one flow
# decode together is bounded too.
MAX_FLOW_UNWRAPPED = 2 * MAX_DECODED_BODY
MAX_FLOW_FIELDS = 200_000


class DecodingBudget:
    """What unwrapping may still produce for one flow: decoded characters and fields,
    across all levels. Once spent, nothing more is unwrapped or yielded and ``exceeded``
    says so (the flow was not fully judged)."""

    def __init__(self, decoded: int = MAX_FLOW_UNWRAPPED, fields: int = MAX_FLOW_FIELDS):
        self.decoded_left = decoded
        self.fields_left = fields
        self.exceeded: str | None = None

    def decode(self, size: int) -> bool:
        self.decoded_left -= size
        if self.decoded_left < 0 and self.exceeded is None:
            self.exceeded = f"nested payloads decode to more than {MAX_FLOW_UNWRAPPED // 2**20} MiB"
        return self.exceeded is None

    def field(self) -> bool:
        self.fields_left -= 1
        if self.fields_left < 0 and self.exceeded is None:
            self.exceeded = f"more than {MAX_FLOW_FIELDS} fields"
        return self.exceeded is None

    @contextlib.contextmanager
    def applied(self) -> Iterator["DecodingBudget"]:
        """Charge the decoding done within to this budget."""
        token = _budget.set(self)
        try:
            yield self
        finally:
            _budget.reset(token)


# The budget decoding is charged to: FlowView applies one per flow; decoding outside a
# flow (one body, in a test) has only the per-level caps.
_budget: ContextVar[DecodingBudget | None] = ContextVar("decoding_budget", default=None)


def _spend_field() -> bool:
    budget = _budget.get()
    return budget is None or budget.field()


def _spend_decoded(size: int) -> bool:
    budget = _budget.get()
    return budget is None or budget.decode(size)


def _spent() -> bool:
    budget = _budget.get()
    return budget is not None and budget.exceeded is not None


def _decoded_left() -> int:
    budget = _budget.get()
    return MAX_DECODED_BODY if budget is None else max(0, min(MAX_DECODED_BODY, budget.decoded_left))


@dataclass(frozen=True, slots=True)
class FieldValue:
    """One value inside a flow: ``part`` is one of the contract's location parts,
    ``path`` the field path inside it ("" for a whole text body), ``key`` the innermost
    name that gives the value its meaning (None for array items and free text)."""

    part: str
    path: str
    key: str | None
    value: str
    encoding: tuple[str, ...] = ()

    @property
    def parent(self) -> str:
        """The path of the object holding this value (siblings share it)."""
        cut = max(self.path.rfind("."), self.path.rfind("["))
        return self.path[:cut] if cut > 0 else ""


class BodyError(Exception):
    """A body that could not be decoded; the flow is still checked without it."""


def decompress(data: bytes, content_encoding: str, limit: int = MAX_DECODED_BODY) -> tuple[bytes, bool]:
    """Undo Content-Encoding (possibly a list such as "gzip, br"), never producing more
    than ``limit`` bytes. Returns the bytes and whether they were cut at the limit.

    mitmproxy's own ``decode`` has no output limit, so the streaming decompressors of
    the same libraries it uses (zlib, brotli, zstandard) are driven here directly."""
    truncated = False
    for name in reversed([e.strip().lower() for e in content_encoding.split(",") if e.strip()]):
        if name in ("identity", "none"):
            continue
        try:
            if name in ("gzip", "x-gzip"):
                data, cut = _zlib_capped(data, 16 + zlib.MAX_WBITS, limit)
            elif name == "deflate":
                try:
                    data, cut = _zlib_capped(data, zlib.MAX_WBITS, limit)
                except zlib.error:  # raw deflate, as some servers send it
                    data, cut = _zlib_capped(data, -zlib.MAX_WBITS, limit)
            elif name == "br":
                data, cut = _brotli_capped(data, limit)
            elif name == "zstd":
                data, cut = _zstd_capped(data, limit)
            else:
                raise BodyError(f"unsupported content encoding {name!r}")
        except (zlib.error, brotli.error, EOFError, _ZSTD_ERROR) as e:
            raise BodyError(f"{name} body could not be decoded: {e}") from None
        truncated = truncated or cut
    return data, truncated


def _zlib_capped(data: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    decompressor = zlib.decompressobj(wbits)
    out = decompressor.decompress(data, limit)
    return out, bool(decompressor.unconsumed_tail)


def _brotli_capped(data: bytes, limit: int) -> tuple[bytes, bool]:
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(data, output_buffer_limit=limit + 1)
    except TypeError:
        # Brotli before 1.2 cannot limit its output: feed small pieces and stop early.
        out = bytearray()
        for start in range(0, len(data), 1024):
            out += decompressor.process(data[start:start + 1024])
            if len(out) > limit:
                break
    return bytes(out[:limit]), len(out) > limit


def _zstd_capped(data: bytes, limit: int) -> tuple[bytes, bool]:
    if zstd is not None:
        out = zstd.ZstdDecompressor().decompress(data, max_length=limit + 1)
    else:
        out = zstandard.ZstdDecompressor().stream_reader(data).read(limit + 1)
    return out[:limit], len(out) > limit


_ZSTD_ERROR = zstd.ZstdError if zstd is not None else zstandard.ZstdError


def text_of(data: bytes, charset: str | None = None) -> str:
    for encoding in filter(None, (charset, "utf-8")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def is_probably_binary(data: bytes) -> bool:
    sample = data[:1024]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 10


# Control bytes that text does not use (tab, newlines, form feed and CR excepted).
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """("application/json", {"charset": "utf-8"}) from a Content-Type header value."""
    if not content_type:
        return "", {}
    main, *params = content_type.split(";")
    # Some servers separate parameters with a comma ("text/html,charset=utf-8").
    main, _, after_comma = main.partition(",")
    if "=" in after_comma:
        params.insert(0, after_comma)
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), parsed


def body_fields(part: str, data: bytes, content_type: str | None) -> Iterator[FieldValue]:
    """Flatten a (decompressed) body into fields, choosing the parser by content type
    and falling back to sniffing the bytes."""
    if not data:
        return
    mime, params = media_type(content_type)
    if mime.startswith("multipart/"):
        pieces = list(_multipart_fields(part, data, content_type or ""))
        if pieces:
            yield from pieces
            return
        # Not multipart after all (clients send JSON under this label): sniff the body.
    if is_probably_binary(data):
        return
    text = text_of(data, params.get("charset"))
    stripped = text.lstrip("\ufeff \t\r\n")
    if mime.endswith("x-www-form-urlencoded") and stripped[:1] not in ("{", "["):
        yield from _form_fields(part, "", text, (), charset=params.get("charset"))
        return
    if "json" in mime or stripped[:1] in ("{", "["):
        try:
            yield from _json_fields(part, "", json.loads(stripped), (), 0)
            return
        except ValueError:
            pass
    if ("xml" in mime and "html" not in mime) or (stripped.startswith("<?xml") and "html" not in mime):
        leaves = list(_xml_fields(part, data))
        if leaves:
            yield from leaves
            return
    if mime.startswith("text/html") or mime == "application/xhtml+xml":
        for path, piece in html_texts(text):
            yield from string_fields(part, path, None, piece, (), 0)
        return
    if _looks_like_form(stripped):
        yield from _form_fields(part, "", stripped, ())
        return
    yield from string_fields(part, "", None, text, (), 0)


# Where a page shows the site's own contacts (a footer's 客服 line, an address block, a
# tel:/mailto: link): not a person's data. Attributes (placeholders, alt texts) are not
# read either; inline scripts are, since state blobs carry real user data. Found by tag
# with lxml's C iteration and by one XPath for the footer class or id: a union of XPath
# walks, and Python iteration over every text node, cost several times the parse.
_UNREAD_TAGS = ("footer", "address", "script", "style", "template", "noscript")
_CONTACT_LINKS = ("tel:", "mailto:")
_FOOTER_BY_NAME = etree.XPath("//*[@id='footer' or contains(@class, 'footer') and "
                              "contains(concat(' ', normalize-space(@class), ' '), ' footer ')]")
_TEXT_NODES = etree.XPath("//text()", smart_strings=False)  # plain strings: no element object per text


def html_texts(text: str) -> Iterator[tuple[str, str]]:
    """(path, text) of an HTML document: its visible text as ``text``, each inline
    script as ``script[i]``."""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        yield "", text
        return
    for i, script in enumerate(root.iter("script")):
        if script.text and script.text.strip():
            yield f"script[{i}]", script.text
    unread = [*root.iter(*_UNREAD_TAGS), *_FOOTER_BY_NAME(root),
              *(link for link in root.iter("a") if link.get("href", "").startswith(_CONTACT_LINKS))]
    for element in unread:
        if element.getparent() is not None:
            element.drop_tree()
    yield "", " ".join(filter(None, [piece.strip() for piece in _TEXT_NODES(root)]))


def _json_fields(part: str, path: str, value, encoding: tuple[str, ...], depth: int) -> Iterator[FieldValue]:
    budget = _budget.get()  # looked up once: this loop runs for every leaf of every payload
    stack = [(path, None, value)]
    count = 0
    while stack:
        path, key, value = stack.pop()
        if isinstance(value, dict):
            for k, v in reversed(list(value.items())):
                stack.append((f"{path}.{k}" if path else str(k), str(k), v))
        elif isinstance(value, list):
            for i in range(len(value) - 1, -1, -1):
                stack.append((f"{path}[{i}]", key, value[i]))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, (int, float)):
            if budget is not None and not budget.field():
                return
            yield FieldValue(part, path, key, _number_text(value), encoding)
        else:
            yield from string_fields(part, path, key, str(value), encoding, depth)
        count += 1
        if count > MAX_LEAVES or (budget is not None and budget.exceeded is not None):
            return


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value)


def _form_fields(part: str, prefix: str, text: str, encoding: tuple[str, ...], depth: int = 0,
                 charset: str | None = None) -> Iterator[FieldValue]:
    """Form fields; percent-escapes are decoded in the charset the body declares (GBK
    forms are common in China)."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding=charset or "utf-8")
    except LookupError:  # an unknown charset name
        pairs = parse_qsl(text, keep_blank_values=True)
    for name, value in pairs:
        path = f"{prefix}.{name}" if prefix else name
        yield from string_fields(part, path, name, value, encoding, depth)


def _multipart_fields(part: str, data: bytes, content_type: str) -> Iterator[FieldValue]:
    try:
        pieces = multipart.decode_multipart(content_type, data)
    except Exception:  # mitmproxy raises assorted errors on malformed multipart
        pieces = []
    for name, value in pieces:
        name_text = text_of(name)
        if not is_probably_binary(value):
            yield from string_fields(part, name_text, name_text, text_of(value), (), 0)


def _xml_fields(part: str, data: bytes) -> Iterator[FieldValue]:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        path = ".".join(etree.QName(e).localname for e in reversed(list(element.iterancestors()))
                        if isinstance(e.tag, str))
        path = f"{path}.{tag}" if path else tag
        for name, value in element.attrib.items():
            attr = etree.QName(name).localname
            yield FieldValue(part, f"{path}@{attr}", attr, value)
        if element.text and element.text.strip():
            yield from string_fields(part, path, tag, element.text.strip(), (), 0)


_FORM_PATTERN = re.compile(r"^[\w.\-\[\]%]+=[^&\s]*(&[\w.\-\[\]%]+=[^&\s]*)*$")
_BASE64_PATTERN = re.compile(r"^[A-Za-z0-9+/_\-]{16,}={0,2}$")


def _looks_like_form(text: str) -> bool:
    return "=" in text and len(text) < 1_000_000 and bool(_FORM_PATTERN.match(text))


def string_fields(part: str, path: str, key: str | None, text: str,
                   encoding: tuple[str, ...], depth: int) -> Iterator[FieldValue]:
    """Yield the string itself and, where it wraps another payload, its inner fields."""
    if not _spend_field():
        return
    yield FieldValue(part, path, key, text, encoding)
    if depth >= MAX_NESTING or len(text) < 8 or _spent():
        return
    inner = unwrap(text)
    if inner is None:
        return
    kind, payload = inner
    if isinstance(payload, str):  # a form payload, possibly behind base64/URL encoding
        yield from _form_fields(part, path, payload, encoding + kind, depth + 1)
    else:
        yield from _json_fields(part, path, payload, encoding + kind, depth + 1)


def unwrap(text: str) -> tuple[tuple[str, ...], object] | None:
    """If ``text`` is itself a payload, return how it was wrapped and what it holds:
    a parsed JSON value, or a form string. None for ordinary strings."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
        try:
            return ("json",), json.loads(stripped)
        except ValueError:
            return None
    if "%" in stripped and re.search(r"%[0-9A-Fa-f]{2}", stripped):
        from urllib.parse import unquote

        decoded = unquote(stripped)
        if decoded != stripped and _spend_decoded(len(decoded)):
            inner = unwrap(decoded)
            if inner is not None:
                return ("url",) + inner[0], inner[1]
            if _looks_like_form(decoded):
                return ("url", "form"), decoded
    if _BASE64_PATTERN.match(stripped) and len(stripped) % 4 != 1:
        decoded = _base64_text(stripped)
        if decoded is not None and _spend_decoded(len(decoded)):
            inner = unwrap(decoded)
            if inner is not None:
                return ("base64",) + inner[0], inner[1]
            if _looks_like_form(decoded):
                return ("base64", "form"), decoded
    if _looks_like_form(stripped) and "&" in stripped:
        return ("form",), stripped
    return None


def _base64_text(text: str) -> str | None:
    padded = text + "=" * (-len(text) % 4)
    try:
        if "-" in text or "_" in text:
            raw = base64.urlsafe_b64decode(padded)
        else:
            raw = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    # SDKs often gzip the JSON before base64-encoding it.
    if raw[:2] == b"\x1f\x8b":
        try:
            raw, _ = decompress(raw, "gzip", _decoded_left() + 1)
        except BodyError:
            return None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return decoded if not is_probably_binary(raw) else None
