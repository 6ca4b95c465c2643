"""What reaches files and terminals: non-UTF-8 file names written losslessly escaped
(Medium 7), no control, bidi or newline character from any source passed through
(Medium 8), hostile saved reports refused in one line (Low)."""
import json
import os

import pytest
from click.testing import CliRunner

from appaudit.reports.text_report import safe
from appaudit.scanner.cli import main

PAGE = b"<html><body><p>13912345678</p></body></html>"
HOSTILE = "\x1b]0;owned\x07\x1b[2J\u202e\n0 findings"


def test_non_utf8_file_names_are_written_escaped(tmp_path):
    folder = os.fsencode(tmp_path / "gbk")
    os.mkdir(folder)
    with open(os.path.join(folder, b"\xd6\xd0\xce\xc4.html"), "wb") as f:  # 中文 in GBK
        f.write(PAGE)
    with open(os.path.join(folder, b"\xd6\xd0.har"), "wb") as f:
        f.write(b"not json")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["scan", os.fsdecode(folder), "-f", "json", "-o", str(out)])
    assert result.exit_code == 3, result.output  # the broken HAR is an error
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["inputs"][0]["path"].endswith("/gbk/\\xd6\\xd0\\xce\\xc4.html")
    assert report["errors"][0]["input"].endswith("/gbk/\\xd6\\xd0.har")
    assert report["findings"][0]["location"]["input"] == report["inputs"][0]["path"]
    text = CliRunner().invoke(main, ["scan", os.fsdecode(folder)])
    assert "\\xd6\\xd0\\xce\\xc4.html" in text.output and "internal error" not in text.output


def test_safe_escapes_controls_bidi_newlines_and_undecodable_bytes():
    assert safe(HOSTILE + "\udcd6") == "\\x1b]0;owned\\x07\\x1b[2J\\u202e\\x0a0 findings\\xd6"


def test_a_profile_name_cannot_clear_the_screen_or_forge_the_summary(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(json.dumps({"name": HOSTILE, "include": ["UI011"]}), encoding="utf-8")
    page = tmp_path / "p.html"
    page.write_bytes(PAGE)
    result = CliRunner().invoke(main, ["scan", "-p", str(profile), str(page)])
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("1 finding")


def test_yaml_key_errors_and_file_names_are_escaped_one_per_line(tmp_path):
    profile = tmp_path / "p\x1b[2J.yaml"
    profile.write_text('"ke\\ny\\u202e": 1\n"\\e]0;x\\a": 2\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "validate", str(profile)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("appaudit: ") for line in lines)
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "ke\\x0ay\\u202e: unknown key" in lines[0]


def test_no_readable_input_lines_are_escaped(tmp_path):
    bad = tmp_path / "x\x1b[2J\nforged.har"
    bad.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(bad)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and len(result.output.strip().splitlines()) == 2


def saved(tmp_path, **changes) -> str:
    report = {"schema": "appaudit-report/1", "profile": "default", "inputs": [], "errors": [],
              "summary": {"total": 1}, "findings": [{"check": "DH001", "severity": "high", "title": "t",
                                                     "fingerprint": "f", "location": {}, "evidence": {}}]}
    report.update(changes)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return str(path)


def test_appaudit_report_escapes_what_a_saved_report_says(tmp_path):
    path = saved(tmp_path, profile=HOSTILE, findings=[{"check": HOSTILE, "severity": "high", "title": HOSTILE,
                                                       "location": {"input": HOSTILE}, "evidence": {}}],
                 errors=[{"input": HOSTILE, "message": HOSTILE}])
    result = CliRunner().invoke(main, ["report", path])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert not any(line.startswith("0 findings") for line in result.output.splitlines())


@pytest.mark.parametrize("changes", [
    {"findings": [1, 2]}, {"findings": {}}, {"findings": [{"check": "DH001"}]},
    {"errors": "x"}, {"errors": [{"input": "a"}]}, {"summary": []}, {"inputs": [{"notes": 5, "path": "a"}]},
    {"third_parties": [{"party": "x"}]}, {"findings": [{"check": "D", "title": "t", "location": []}]},
])
def test_hostile_saved_reports_are_refused_in_one_line(tmp_path, changes):
    path = saved(tmp_path, **changes)
    for command in (["report", path], ["scan", "--baseline", path, path]):
        result = CliRunner().invoke(main, command)
        assert "Traceback" not in result.output and "internal error" not in result.output, result.output
        if command[0] == "report":
            assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
