"""The rendered mode's parts that need no browser: the answers a replay gives, and the
page model reading the browser's facts where a page carries them."""
from __future__ import annotations

import gzip

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import tap_outcome
from appaudit.scanner.pagemodel.style import is_visible, style_of, styles_complete, viewport_coverage
from appaudit.scanner.render.facts import PROPERTIES, Box, ElementFacts, Observed, RenderedFacts, TapResult
from appaudit.scanner.render.replay import CaptureResponses, SavedFiles, page_relative, saved_page_url
from tests.helpers import make_flow


def test_a_saved_page_is_answered_from_its_own_folder_only(tmp_path):
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "page.html"
    page.write_text("<p>hi</p>")
    (tmp_path / "site" / "page_files").mkdir()
    (tmp_path / "site" / "page_files" / "a.css").write_text("p{color:red}")
    (tmp_path / "secret.txt").write_text("secret")
    files = SavedFiles(str(page), "https://news.example.com/a/page.html")
    answer = files.answer("https://news.example.com/a/page_files/a.css")
    assert answer.body == b"p{color:red}" and answer.headers["content-type"] == "text/css"
    assert files.answer("https://news.example.com/a/page_files/../../secret.txt") is None
    assert files.answer("https://news.example.com/a/%2e%2e/secret.txt") is None
    assert files.answer("https://other.example.com/a/page_files/a.css") is None
    assert files.answer("https://news.example.com/b/page_files/a.css") is None
    # Beside the page is not its folder: a page saved into a home folder reads nothing there.
    (tmp_path / "site" / "notes.txt").write_text("private")
    (tmp_path / "site" / ".aws").mkdir()
    (tmp_path / "site" / ".aws" / "credentials").write_text("key")
    (tmp_path / "site" / "page_files" / ".env").write_text("key")
    for beside in ("notes.txt", ".aws/credentials", "page_files/.env", "page.html"):
        assert files.answer(f"https://news.example.com/a/{beside}") is None, beside


def test_a_saved_page_without_a_url_is_loaded_at_a_name_that_resolves_nowhere():
    url = saved_page_url("/x/shop.html", None)
    assert url == "https://saved-page.appaudit.invalid/shop.html"
    assert page_relative("https://saved-page.appaudit.invalid/dl/app.apk", None) == "/dl/app.apk"
    assert page_relative("https://saved-page.appaudit.invalid/dl/app.apk", "https://a.example/") == \
        "https://saved-page.appaudit.invalid/dl/app.apk"


def test_a_capture_answers_with_the_first_recorded_answer_to_the_same_method_decoded():
    responses = CaptureResponses()
    css = make_flow("GET", "https://cdn.example.com/s.css", response_body=gzip.compress(b"p{}"),
                    response_headers={"content-type": "text/css", "content-encoding": "gzip"})
    responses.add(css)
    responses.add(make_flow("GET", "https://cdn.example.com/s.css", response_body="later"))
    responses.add(make_flow("POST", "https://api.example.com/x", response_body="posted"))
    answer = responses.answer("https://CDN.example.com/s.css#frag")
    assert answer.body == b"p{}" and "content-encoding" not in answer.headers
    assert responses.answer("https://api.example.com/x") is None  # a GET of it was not recorded
    assert responses.answer("https://api.example.com/x", "POST").body == b"posted"
    assert responses.answer("https://cdn.example.com/other.css") is None


def _rendered(source: str, facts: dict[str, dict], *, missing_styles=()) -> Page:
    """A page carrying browser facts for the elements of the given ids."""
    page = Page(source=source, input="p.html", url="https://www.example.com/")
    rendered = RenderedFacts(viewport=(412.0, 915.0), document_url=page.url, missing_styles=missing_styles)
    for element_id, given in facts.items():
        computed = {name: "" for name in PROPERTIES} | given.get("computed", {})
        rendered.elements[id(page.document.find(id=element_id))] = ElementFacts(
            computed=computed, box=Box(**given["box"]), on_top=True)
    page.rendered = rendered
    return page


_COVER = {"computed": {"display": "block", "position": "fixed", "z-index": "10", "visibility": "visible",
                       "opacity": "1"}, "box": {"x": 0, "y": 0, "width": 412, "height": 457.5}}


def test_the_page_model_reads_the_browsers_computed_style_and_boxes():
    source = '<div id="pop" class="hidden-by-external-css"><p>Ad</p></div>'
    page = _rendered(source, {"pop": _COVER})
    style = style_of(page, page.document.find(id="pop"))
    assert style.position == "fixed" and style.z_index == 10 and style.border_box == (412.0, 457.5)
    assert viewport_coverage(page, page.document.find(id="pop")) == 0.5
    assert styles_complete(page)
    hidden = _rendered(source, {"pop": {**_COVER, "computed": {**_COVER["computed"], "display": "none"}}})
    assert not is_visible(hidden, hidden.document.find(id="pop"))


def test_a_page_drawn_without_a_stylesheet_it_asked_for_is_styled_from_its_own_rules():
    source = '<link rel="stylesheet" href="/x.css"><div id="pop" style="position:absolute"><p>Ad</p></div>'
    page = _rendered(source, {"pop": _COVER}, missing_styles=("https://www.example.com/x.css",))
    assert style_of(page, page.document.find(id="pop")).position == "absolute"
    assert not styles_complete(page)


def test_a_tap_made_in_the_browser_decides_where_the_control_leads():
    source = '<div id="pop"><span id="x" onclick="hide()">×</span></div>'
    page = _rendered(source, {"pop": _COVER})
    x = page.document.find(id="x")
    assert tap_outcome(page, x).destination is None
    page.rendered.taps[id(x)] = TapResult(observed=Observed(kind="app link", url="market://details?id=a"),
                                          popup_gone=False)
    outcome = tap_outcome(page, x)
    assert outcome.destination.kind.value == "app_store" and outcome.how == "tap in the browser (app link)"
    page.rendered.taps[id(x)] = TapResult(observed=None, popup_gone=True)
    assert tap_outcome(page, x).destination is None


def test_a_capture_answers_nothing_with_a_304_or_a_request_that_got_no_answer():
    responses = CaptureResponses()
    responses.add(make_flow("GET", "https://cdn.example.com/s.css", status=304, response_body=""))
    responses.add(make_flow("GET", "https://cdn.example.com/t.css", status=0, response_body=""))
    assert responses.answer("https://cdn.example.com/s.css") is None
    assert responses.answer("https://cdn.example.com/t.css") is None
    responses.add(make_flow("GET", "https://cdn.example.com/s.css", response_body="p{}"))
    assert responses.answer("https://cdn.example.com/s.css").body == b"p{}"
