"""The answers to a rendered page's requests: what the same capture recorded, or the
files saved beside a saved page. Anything else is refused by the browser module."""
from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from mitmproxy import http

# A body beyond this is not replayed (the page then lacks that resource, as offline);
# all bodies together are held up to the second cap.
MAX_BODY = 16 * 1024 * 1024
MAX_TOTAL = 512 * 1024 * 1024
# Headers the browser must not see again: the bodies are handed over decoded, whole.
_DROPPED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection",
                              "content-security-policy-report-only", "strict-transport-security", "alt-svc"})


@dataclass(frozen=True, kw_only=True)
class Recorded:
    status: int
    headers: dict[str, str]
    body: bytes


def url_key(url: str) -> str:
    """A URL as the browser sends it: without its fragment (never sent), non-ASCII
    characters percent-encoded (a page's own URL may be written in Arabic or Chinese)."""
    parts = urlsplit(url)
    path, query = (quote(part, safe=_URL_SAFE) for part in (parts.path or "/", parts.query))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


_URL_SAFE = "/%:@!$&'()*+,;=?~-._"


class CaptureResponses:
    """The responses a flow file or HAR recorded, by method and URL: the first complete
    one of each (with a status that answers). An app's API calls are answered as they
    were (a POST refused offline could send the page to a login elsewhere)."""

    def __init__(self) -> None:
        self._by_url: dict[tuple[str, str], Recorded] = {}
        self._held = 0

    def add(self, flow: object) -> None:
        if not isinstance(flow, http.HTTPFlow) or flow.response is None:
            return
        key = (flow.request.method.upper(), url_key(flow.request.pretty_url))
        status = flow.response.status_code or 0
        # A HAR's status 0 (no answer came) or a 304 (the answer was in a cache the replay
        # does not have) answers nothing: a later complete answer may, or the request is
        # refused and the page drawn without it (a missing stylesheet is then known).
        if key in self._by_url or status in (0, 304):
            return
        body = flow.response.get_content(strict=False) or b""
        if len(body) > MAX_BODY or self._held + len(body) > MAX_TOTAL:
            return
        self._held += len(body)
        headers = {k.lower(): v for k, v in flow.response.headers.items() if k.lower() not in _DROPPED_HEADERS}
        self._by_url[key] = Recorded(status=status, headers=headers, body=body)

    def answer(self, url: str, method: str = "GET") -> Recorded | None:
        return self._by_url.get((method.upper(), url_key(url)))


class SavedFiles:
    """The files a browser saved with a saved page ("Page.html" and its folder
    "Page_files/"), answered for the URLs of the page's own origin that lead into that
    folder. Nothing else of the machine: a page saved into a home folder must not read
    what lies beside it (no other file, no hidden file, nothing outside the folder)."""

    def __init__(self, page_file: str, page_url: str):
        page = os.path.realpath(page_file)
        self._folder = os.path.join(os.path.dirname(page), Path(page).stem + "_files")
        self._page_url = page_url

    def answer(self, url: str, method: str = "GET") -> Recorded | None:
        page, asked = urlsplit(self._page_url), urlsplit(url)
        if method.upper() != "GET":
            return None
        if (asked.scheme, asked.netloc) != (page.scheme, page.netloc) or not os.path.isdir(self._folder):
            return None
        base = page.path.rsplit("/", 1)[0] + "/"
        path = unquote(asked.path)
        if not path.startswith(base):
            return None
        inside = path[len(base):]
        if any(part.startswith(".") for part in inside.split("/")):
            return None
        folder = os.path.realpath(self._folder)
        file = os.path.realpath(os.path.join(os.path.dirname(self._folder), inside))
        if os.path.commonpath([file, folder]) != folder or not os.path.isfile(file) or os.path.getsize(file) > MAX_BODY:
            return None
        kind = mimetypes.guess_type(file)[0] or "application/octet-stream"
        return Recorded(status=200, headers={"content-type": kind}, body=Path(file).read_bytes())


# Where a saved page with no known URL of its own is loaded: a name that resolves nowhere.
SAVED_PAGE_ORIGIN = "https://saved-page.appaudit.invalid/"


def saved_page_url(page_file: str, page_url: str | None) -> str:
    return page_url or urljoin(SAVED_PAGE_ORIGIN, Path(page_file).name)


def page_relative(url: str, page_url: str | None) -> str:
    """A URL the browser went to, as the page would name it: on a saved page of unknown
    origin (loaded at ``SAVED_PAGE_ORIGIN``) its own addresses are relative ones."""
    if page_url is None and url.lower().startswith(SAVED_PAGE_ORIGIN):
        return "/" + url[len(SAVED_PAGE_ORIGIN):]
    return url
