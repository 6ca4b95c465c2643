"""Consent wording beyond Chinese and English, and TCF dialogs (UI006, UI007)."""
import pytest

from tests.helpers import page_findings

URL = "https://www.example.eu/"


@pytest.mark.parametrize("label", [
    "Ich möchte den Newsletter mit Angeboten erhalten",
    "J'accepte de recevoir des offres commerciales de nos partenaires",
    "Acepto recibir comunicaciones comerciales y ofertas",
    "Voglio ricevere comunicazioni commerciali e promozioni",
    "Ja, ik wil de nieuwsbrief ontvangen",
    "メールマガジンを受け取る",
    "마케팅 정보 수신에 동의합니다",
])
def test_a_prechecked_marketing_box_in_another_language_is_found(label):
    page = f'<form><label><input type="checkbox" id="m" checked> {label}</label><button>OK</button></form>'
    assert [(f.check, f.location.selector) for f in page_findings("UI006", page, url=URL)] == [("UI006", "#m")]


def test_an_unchecked_marketing_box_is_fine_in_any_language():
    page = '<form><label><input type="checkbox" id="m"> Ich möchte den Newsletter erhalten</label></form>'
    assert page_findings("UI006", page, url=URL) == []


@pytest.mark.parametrize("text", [
    "Durch die weitere Nutzung der Webseite stimmen Sie der Verwendung von Cookies zu.",
    "En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies.",
    "Si continúas navegando, consideramos que aceptas su uso.",
    "Se continui ad utilizzare questo sito noi assumiamo che tu ne sia felice.",
    "当サイトを利用することで、クッキーの使用に同意したものとみなされます。",
    "This website uses cookies. We'll assume you're ok with this, but you can opt-out if you wish.",
])
def test_implied_consent_in_other_languages(text):
    found = page_findings("UI006", f'<div id="bar"><p id="t">{text}</p><a href="#">OK</a></div>', url=URL)
    assert [f.evidence.details["problem"] for f in found] == [["implied"]]


def test_writing_about_consent_is_not_implied_consent():
    text = "Die Nutzung der Daten ist nur mit Einwilligung erlaubt, sagte die Datenschutzbeauftragte."
    assert page_findings("UI006", f"<article><p>{text}</p></article>", url=URL) == []


TCF = """<div role="dialog" aria-modal="true" id="tcf"><h2>We value your privacy</h2>
<p>We and our partners store and access information on a device, such as cookies.</p>
<div class="purpose"><label><input type="checkbox" id="c1"> Consent: Create a personalised ads profile</label>
<label><input type="checkbox" id="li1" name="legint-3" checked>
  Legitimate interest: Create a personalised ads profile</label></div>
{buttons}</div>"""


def test_tcf_per_purpose_consent_toggles_that_are_off_are_not_bundling_and_li_toggles_are_not_consent():
    page = TCF.format(buttons="<button>Accept all</button><button>Reject all</button>")
    assert page_findings("UI006", page, url=URL) == []
    assert page_findings("UI007", page, url=URL) == []


def test_a_tcf_first_layer_without_reject_is_forced():
    page = TCF.format(buttons="<button>Accept all</button><button>Manage options</button>")
    assert [f.check for f in page_findings("UI007", page, url=URL)] == ["UI007"]


@pytest.mark.parametrize("accept, refuse", [("Alle akzeptieren", "Alle ablehnen"), ("Tout accepter", "Tout refuser"),
                                            ("Accetta tutti", "Rifiuta tutti"), ("すべて同意", "すべて拒否"),
                                            ("모두 동의", "모두 거부")])
def test_a_banner_with_a_refusal_in_its_language_is_not_forced(accept, refuse):
    banner = f'<div role="dialog" aria-modal="true" id="b"><p>Cookies / cookie</p><button>{accept}</button>'
    assert [f.check for f in page_findings("UI007", banner + "</div>", url=URL)] == ["UI007"]
    assert page_findings("UI007", banner + f"<button>{refuse}</button></div>", url=URL) == []


def test_a_preference_panel_a_saved_page_shows_closed_is_no_first_layer():
    css = '<link rel="stylesheet" href="https://cdn.example.com/cmp.css">'
    panel = ('<div id="cookie-pc" class="pc-panel ot-hide"><h3>Cookie preferences</h3><p>We use cookies.</p>'
             '<button>Allow all</button></div>')
    assert page_findings("UI007", css + "<p>Article</p>" + panel, url=URL) == []
    shown = panel.replace(' class="pc-panel ot-hide"', ' class="pc-panel"')
    assert [f.check for f in page_findings("UI007", css + "<p>Article</p>" + shown, url=URL)] == ["UI007"]
