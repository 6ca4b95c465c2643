"""Masking everywhere in the report document, and snippets masked before they are cut
(issue 24, Medium 6)."""
import json

from bs4 import BeautifulSoup

from appaudit.scanner.engine import InputResult, InputScan, ScanResult
from appaudit.scanner.loading import Input
from appaudit.scanner.model import CheckOutcome, Status
from appaudit.scanner.page import SNIPPET_LENGTH, snippet
from appaudit.scanner.report_document import build_report
from tests.helpers import app_from_yaml, make_flow, settings_for

PHONE = "13912345678"
ID_NUMBER = "11010119900307803X"
CANARY = "canary-7f3e9a"


def report_of(flows, *, app=None, extra_errors=(), reveal=False) -> tuple[dict, str]:
    settings = settings_for(["DH001", "DH002", "DH007"], app=app)
    scan = InputScan(settings, Input(path="s.mitm", kind="flows"))
    findings = [f for i, flow in enumerate(flows) for f in scan.flow(flow, i)] + scan.finish()
    result = ScanResult(profile=settings.profile, app=app)
    result.add(InputResult(input=scan.input, findings=findings, outcomes=scan.outcomes(),
                           third_parties=scan.sharing.inventory("s.mitm")))
    result.errors += extra_errors
    result.outcomes.append(CheckOutcome(check="UI001", input="s.mitm", status=Status.NOT_APPLICABLE,
                                        reason=f"no page for {PHONE}"))
    report = build_report(result, reveal=reveal)
    return report, json.dumps(report, ensure_ascii=False)


def test_a_phone_used_as_a_key_host_label_and_form_name_is_masked():
    flows = [make_flow("POST", f"http://{PHONE}.tracker.example.net/c?x=1", json={PHONE: {"id": ID_NUMBER}}),
             make_flow("POST", "http://api.example.com/f", body=f"{PHONE}=1&idno={ID_NUMBER}",
                       headers={"content-type": "application/x-www-form-urlencoded"})]
    report, text = report_of(flows)
    assert report["findings"], "the ID number is a finding"
    assert PHONE not in text and ID_NUMBER not in text
    assert "139****5678" in text


def test_errors_reasons_and_inventory_are_masked():
    app = app_from_yaml(f"first_party: [example.com]\ncanaries:\n  account: {CANARY}\n")
    flows = [make_flow("GET", f"http://sdk.tracker.example.net/u/{PHONE}")]
    errors = [("s.mitm", f"HAR entry 3 skipped: bad url http://x/{ID_NUMBER}?c={CANARY}")]
    report, text = report_of(flows, app=app, extra_errors=errors)
    assert PHONE not in text and ID_NUMBER not in text and CANARY not in text
    assert report["errors"][0]["message"].startswith("HAR entry 3 skipped: bad url http://x/110101")
    assert any(c.get("reason") == "no page for 139****5678" for c in report["checks"])


def test_reveal_keeps_everything():
    flows = [make_flow("POST", "http://api.example.com/l", json={"user": {"phone": PHONE}})]
    _, text = report_of(flows, reveal=True, extra_errors=[("s.mitm", f"saw {ID_NUMBER}")])
    assert PHONE in text and ID_NUMBER in text


def test_identifiers_and_input_names_are_not_masked():
    flows = [make_flow("POST", "http://api.example.com/l", json={"user": {"phone": PHONE}})]
    report, _ = report_of(flows)
    finding = report["findings"][0]
    assert finding["check"] == "DH001" and len(finding["fingerprint"]) > 8
    assert report["inputs"][0]["path"] == "s.mitm" and report["inputs"][0]["sha256"] == ""


def test_a_snippet_is_cut_before_a_value_not_inside_it():
    for filler in range(120, SNIPPET_LENGTH):  # the cut falls at every position of the value
        element = BeautifulSoup(f"<p>{'x' * filler} {ID_NUMBER} tail</p>", "lxml").p
        text = snippet(element)
        assert ID_NUMBER in text or ID_NUMBER[:4] not in text, text
        assert len(text) <= SNIPPET_LENGTH


def test_page_snippets_in_reports_never_carry_part_of_an_id_number():
    from tests.helpers import page_findings

    source = ('<div class="popup" style="position: fixed; inset: 0; z-index: 999">'
              f'<a id="creative" href="https://apps.apple.com/app/id1">{"广告" * 60} {ID_NUMBER}</a></div>')
    findings = page_findings("UI001", source)
    assert findings
    assert all(ID_NUMBER[:10] not in (f.location.snippet or "") or ID_NUMBER in f.location.snippet for f in findings)
