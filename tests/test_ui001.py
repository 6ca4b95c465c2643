"""UI001 redirect-popup: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case, page_status
from tests.helpers import page_findings

CASES = cases("ui001")

# A pop-up drawn over the page: fixed, stacked above it, covering most of the screen.
COVERING = "position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI001")


POPUP = """<div class="popup" style="position: fixed; inset: 0; z-index: 999">
  <a id="creative" href="{href}"><img src="/ad.jpg"></a>
  <button class="close" aria-label="Close" onclick="this.parentNode.remove()">×</button></div>"""


def findings(source, **kwargs):
    return [f for f in page_findings("UI001", source, **kwargs)]


def test_an_app_store_is_judged_even_when_the_page_url_is_unknown():
    found = findings(POPUP.format(href="https://apps.apple.com/app/id1"), url=None)
    assert [(f.location.selector, f.evidence.details["kind"]) for f in found] == [("#creative", "app_store")]


def test_another_site_needs_the_page_url():
    assert findings(POPUP.format(href="https://promo.example.org/"), url=None) == []
    found = findings(POPUP.format(href="https://promo.example.org/"), url="https://news.example.com/")
    assert found[0].evidence.details["destination"] == "https://promo.example.org/"


def test_a_same_site_creative_is_not_a_redirect():
    assert findings(POPUP.format(href="https://shop.example.com/sale"), url="https://www.example.com/") == []


def test_a_small_button_beside_the_content_is_not_the_main_area():
    source = """<div class="modal"><h2>Our app is here</h2>
      <p>Read offline, get alerts for the stories you follow and save articles for later.</p>
      <a id="get" href="https://play.google.com/store/apps/details?id=x">Get</a>
      <button class="btn-close" aria-label="Close"></button></div>"""
    assert findings(source, url="https://news.example.com/") == []


def test_a_popup_shown_only_after_a_click_is_not_judged():
    source = """<button id="open">Offers</button>
      <div class="popup" id="p" style="display:none"><a href="market://details?id=x"><img src="/o.png"></a></div>
      <script>document.getElementById('open').onclick = function () { $('#p').show(); };</script>"""
    assert findings(source, url=None) == []


BOOTSTRAP_MODAL = """<div class="{classes}" id="dl" role="dialog"{style}><div class="modal-dialog">
  <div class="modal-content"><a id="store" href="https://apps.apple.com/app/id1"><img src="/qr.png" width="300"></a>
  </div></div></div>{extra}"""


@pytest.mark.parametrize("classes, extra", [
    ("modal fade", ""),
    ("modal", '<a class="btn" data-bs-toggle="modal" href="#dl">Get the app</a>'),
])
def test_a_closed_bootstrap_modal_is_not_shown(classes, extra):
    # bootstrap.css hides .modal until "in" / "show"; Bootstrap 3 marks a closed one with nothing else
    assert findings(BOOTSTRAP_MODAL.format(classes=classes, style="", extra=extra), url=None) == []


@pytest.mark.parametrize("classes, style, extra", [
    ("modal fade", "", "<script>$(function () { $('#dl').modal('show'); });</script>"),
    ("modal fade show", ' style="display: block"', ""),
])
def test_a_bootstrap_modal_open_or_opened_on_load_is_judged(classes, style, extra):
    source = BOOTSTRAP_MODAL.format(classes=classes, style=style, extra=extra)
    assert [f.location.selector for f in findings(source, url=None)] == ["#store"]


def test_a_popup_shown_by_a_timer_is_judged():
    source = f"""<div class="popup" id="p" style="display:none;{COVERING}">
          <a id="l" href="market://details?id=x"><img src="/o.png"></a></div>""" + """
      <script>setTimeout(function () { $('#p').fadeIn(); }, 1500);</script>"""
    assert [f.location.selector for f in findings(source, url=None)] == ["#l"]


def test_the_declaration():
    from appaudit.checks.ui001_redirect_popup import RedirectPopup
    assert (RedirectPopup.id, RedirectPopup.name, RedirectPopup.severity.label) == ("UI001", "redirect-popup", "high")


def test_a_web_destination_that_cannot_be_judged_makes_the_page_not_applicable():
    assert page_status("UI001", POPUP.format(href="https://promo.example.org/"), None) == "not_applicable"
    assert page_status("UI001", POPUP.format(href="https://promo.example.org/"), "https://www.example.com/") == "fail"
    # Without the page's own URL the check could not look for other sites: not "pass".
    assert page_status("UI001", POPUP.format(href="/promo"), None) == "not_applicable"
    assert page_status("UI001", POPUP.format(href="/promo"), "https://www.example.com/") == "pass"
    assert page_status("UI001", "<p>No pop-up here</p>", None) == "not_applicable"
