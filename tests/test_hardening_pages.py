"""Hostile pages: one bad script or element costs that unit only, and a page that
could not be fully judged makes the scan incomplete (issue 24)."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appaudit.scanner.cli import main
from appaudit.scanner.pagemodel import jslex, scripts

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
POSITIVES = [PAGES / "ui001" / "pos-modal-whole-popup-handler.html",
             PAGES / "ui002" / "pos-close-icon-window-open.html",
             PAGES / "ui004" / "pos-timer-redirect-onload.html"]
OUT_OF_RANGE = '<script>var x = "\\u{110000}";</script>'


def with_script(tmp_path, script: str) -> list[str]:
    paths = []
    for source in POSITIVES:
        page = tmp_path / source.name
        page.write_text(source.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
        paths.append(str(page))
    return paths


def scan_json(paths: list[str]) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["scan", "-f", "json", *paths])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("escape, value", [("\\u{110000}", "\\u{110000}"), ("\\u{10FFFF}", "\U0010ffff"),
                                           ("\\ud83d\\ude00", "😀"), ("\\udc00", "\ufffd"), ("\\x41\\u0042", "AB")])
def test_unescape_never_raises_and_yields_encodable_text(escape, value):
    assert jslex.unescape(escape) == value
    value.encode("utf-8")


def test_an_out_of_range_escape_silences_no_check(tmp_path):
    code, report = scan_json(with_script(tmp_path, OUT_OF_RANGE))
    assert code == 1
    assert report["errors"] == []
    assert sorted(f["check"] for f in report["findings"]) == ["UI001", "UI002", "UI004"]
    assert all(c["status"] != "error" for c in report["checks"])


def test_a_script_that_cannot_be_read_costs_that_script_only(tmp_path, monkeypatch):
    real_lift = scripts.lift_literals

    def lift_literals(code, strings):
        if "HOSTILE" in code:
            raise ValueError("cannot lex")
        return real_lift(code, strings)

    monkeypatch.setattr(scripts, "lift_literals", lift_literals)
    code, report = scan_json(with_script(tmp_path, "<script id='bad'>var HOSTILE = 1;</script>"))
    # The other scripts and handlers were read: every finding is still there...
    assert sorted(f["check"] for f in report["findings"]) == ["UI001", "UI002", "UI004"]
    # ... and the page, not fully judged, makes the scan incomplete.
    assert code == 3
    assert len(report["errors"]) == 3
    assert all("page: script of #bad" in e["message"] and "ValueError: cannot lex" in e["message"]
               for e in report["errors"])
