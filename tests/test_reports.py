"""The report writers (SARIF, JUnit, Markdown, HTML; JSON and text too): golden outputs,
validity (the SARIF schema and Microsoft's SARIF Multitool, JUnit as XML), escaping of
hostile capture text, masking in every format, and ``appaudit report`` giving the bytes
the scan wrote. Goldens are rewritten only by ``make goldens`` (APPAUDIT_UPDATE_GOLDENS=1)."""
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, quote_plus

import cmarkgfm
import jsonschema
import pytest
from appaudit.reports import writers
from appaudit.reports.markdown_report import code, text
from appaudit.scanner.cli import main
from bs4 import BeautifulSoup
from click.testing import CliRunner
from cmarkgfm.cmark import Options

from tests.helpers import cli as run
from tests.report_captures import (
    BANK_CARD,
    CANARIES,
    EMAIL,
    HOSTILE_TEXTS,
    ID_CARD,
    INJECTED,
    PHONE,
    hostile_capture,
    personal_capture,
    scan_to,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
GOLDEN = ROOT / "tests" / "golden"
DEMO = ROOT / "examples" / "demo-session"
SARIF_SCHEMA = ROOT / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"
MULTITOOL = ROOT / ".ci" / "node_modules" / ".bin" / "sarif-multitool"
UPDATE = os.environ.get("APPAUDIT_UPDATE_GOLDENS") == "1"
FILE_FORMATS = ["json", "sarif", "junit", "md", "html"]
EXTENSIONS = {name: writer.EXTENSION for name, writer in writers().items()}



@pytest.fixture(scope="module")
def fixed_scan(tmp_path_factory):
    """The fixed capture scanned into every file format at once (paths relative to the
    repository, as a user in it would give them)."""
    out = tmp_path_factory.mktemp("fixed")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = scan_to(out, [FIXTURES.relative_to(ROOT) / "session.har", FIXTURES.relative_to(ROOT) / "consent.html"],
                         "--app", str(FIXTURES.relative_to(ROOT) / "app.yaml"))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = scan_to(out, [DEMO / "session.mitm", DEMO / "pages", DEMO / "ui"], "--app", str(DEMO / "app.yaml"))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hostile_scan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    result = scan_to(folder / "out", hostile_capture(folder / "in"))
    assert result.exit_code == 0, result.output
    return folder / "out"


def normalised(output: str, report: dict, out: Path) -> str:
    """The scan's own moment and its output folder are the only volatile parts."""
    for volatile, fixed in ((report["started"], "2026-01-01T00:00:00Z"), (report["finished"], "2026-01-01T00:00:00Z"),
                            (str(out), "OUT")):
        output = output.replace(volatile, fixed)
    return output


def check_golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run `make goldens`"
    assert actual == golden.read_text(encoding="utf-8"), f"{name} differs from its golden; `make goldens` if intended"


# Goldens

@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_golden_output_of_the_fixed_capture(fixed_scan, fmt):
    report = json.loads((fixed_scan / "report.json").read_text(encoding="utf-8"))
    actual = (fixed_scan / f"report{EXTENSIONS[fmt]}").read_text(encoding="utf-8")
    check_golden(f"scan/report{EXTENSIONS[fmt]}", normalised(actual, report, fixed_scan))


@pytest.mark.parametrize("fmt", [*FILE_FORMATS, "text"])
def test_golden_output_of_a_full_report_document(fmt, tmp_path):
    """A saved document holding what scans add only sometimes: occurrences, input notes,
    a page's own URL, a screenshot, an input error and a check that could not judge."""
    target = tmp_path / f"report{EXTENSIONS[fmt]}"
    result = run("report", FIXTURES / "rich-report.json", "-f", fmt, "-o", target if fmt != "text" else "-")
    assert result.exit_code == 0, result.output
    check_golden(f"document/report{EXTENSIONS[fmt]}", result.output if fmt == "text" else target.read_text(encoding="utf-8"))


# appaudit report

def test_report_rerenders_every_format_to_the_bytes_the_scan_wrote(fixed_scan, tmp_path):
    result = run("report", fixed_scan / "report.json", *sum((["-f", f] for f in FILE_FORMATS), []), "-o", tmp_path)
    assert result.exit_code == 0, result.output
    for fmt in FILE_FORMATS:
        name = f"report{EXTENSIONS[fmt]}"
        assert (tmp_path / name).read_bytes() == (fixed_scan / name).read_bytes(), name


def test_one_format_to_standard_output(fixed_scan):
    result = run("report", fixed_scan / "report.json", "-f", "sarif", "-o", "-")
    assert result.output == (fixed_scan / "report.sarif").read_text(encoding="utf-8")
    assert run("report", fixed_scan / "report.json", "-f", "sarif", "-f", "md", "-o", "-").exit_code == 2


@pytest.mark.parametrize("content, message", [
    ('{"schema": "appaudit-report/2", "findings": []}', "report schema 'appaudit-report/2' is not 'appaudit-report/1'"),
    ('{"schema": "appaudit-report/1", "findings": [', "not a JSON report"),
    ('{"schema": "appaudit-report/1", "findings": {}}', "damaged report: 'findings' is not a list"),
    ('[1, 2]', "not an appaudit JSON report"),
])
def test_report_of_another_version_or_a_damaged_file_is_one_line_and_exit_2(tmp_path, content, message):
    saved = tmp_path / "old.json"
    saved.write_text(content)
    result = CliRunner().invoke(main, ["report", str(saved), "-f", "html", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output and str(saved) in result.output
    assert not (tmp_path / "r.html").exists()


def test_a_sparse_saved_report_renders_in_every_format(tmp_path):
    """A report of this schema holding little more than its findings (a tool that writes
    the contract's minimum) renders; what it lacks is left out, not an internal error."""
    sparse = tmp_path / "sparse.json"
    report = json.loads((FIXTURES / "rich-report.json").read_text(encoding="utf-8"))
    sparse.write_text(json.dumps({"schema": "appaudit-report/1", "findings": report["findings"][:2]}))
    result = run("report", sparse, *sum((["-f", f] for f in FILE_FORMATS), []), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    for fmt in FILE_FORMATS:
        assert "Password sent to legacy" in (tmp_path / "out" / f"report{EXTENSIONS[fmt]}").read_text(encoding="utf-8")


# SARIF

def sarif_files(*folders: Path) -> list[Path]:
    return [folder / "report.sarif" for folder in folders]


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="../shared/schemas/sarif-schema-2.1.0.json is not here")
def test_sarif_validates_against_the_schema(fixed_scan, demo_scan, hostile_scan, tmp_path):
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    run("report", FIXTURES / "rich-report.json", "-f", "sarif", "-o", tmp_path / "report.sarif")
    for path in sarif_files(fixed_scan, demo_scan, hostile_scan, tmp_path):
        jsonschema.Draft4Validator(schema).validate(json.loads(path.read_text(encoding="utf-8")))


def test_sarif_carries_rules_results_locations_artifacts_and_invocation(tmp_path):
    run("report", FIXTURES / "rich-report.json", "-f", "sarif", "-o", tmp_path / "r.sarif")
    report = json.loads((FIXTURES / "rich-report.json").read_text(encoding="utf-8"))
    run_ = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules) and {"DH001", "UI011"} <= {r["id"] for r in rules}
    assert len(run_["results"]) == len(report["findings"])
    for result, finding in zip(run_["results"], report["findings"], strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding["check"]
        assert result["partialFingerprints"] == {"appauditFingerprint/v1": finding["fingerprint"]}
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == quote(finding["location"]["input"])
        if finding["location"].get("line"):
            assert location["physicalLocation"]["region"]["startLine"] == finding["location"]["line"]
        if finding["location"].get("part"):
            names = [logical["name"] for logical in location["logicalLocations"]]
            assert finding["location"]["url"] in names
            assert (finding["location"].get("field") or finding["location"]["part"]) in names
        if finding["evidence"].get("value"):
            assert finding["evidence"]["value"] in result["message"]["text"]
    dh001 = rules[[r["id"] for r in rules].index("DH001")]
    assert dh001["defaultConfiguration"]["level"] == "error" and "GDPR Art. 32" in dh001["help"]["text"]
    assert {"traffic", "password", "phone"} <= set(dh001["properties"]["tags"])
    assert [a["hashes"]["sha-256"] for a in run_["artifacts"]] == [i["sha256"] for i in report["inputs"]]
    invocation = run_["invocations"][0]
    assert invocation["startTimeUtc"] == report["started"] and invocation["endTimeUtc"] == report["finished"]
    assert invocation["commandLine"] == report["command_line"] and invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for n in notes] == [
        ("error", "broken.har"), ("note", "tests/fixtures/reports/consent.html")]


def multitool_errors(path: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / f"{path.parent.name}-validation.sarif"
    proc = subprocess.run([str(MULTITOOL), "validate", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1"))  # no libicu needed
    assert out.is_file(), proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    return [r["message"].get("text", r["ruleId"]) for r in results if r.get("level", "warning") == "error"]


@pytest.mark.skipif(not MULTITOOL.exists() and shutil.which("npm") is None and os.environ.get("CI") != "true",
                    reason="npm is not installed (make test installs the SARIF Multitool where it is)")
def test_sarif_passes_microsofts_multitool_validate(fixed_scan, demo_scan, hostile_scan, tmp_path):
    assert MULTITOOL.exists(), "the SARIF Multitool is not installed: run `make sarif-multitool`"
    run("report", FIXTURES / "rich-report.json", "-f", "sarif", "-o", tmp_path / "rich" / "report.sarif")
    for path in sarif_files(fixed_scan, demo_scan, hostile_scan, tmp_path / "rich"):
        assert multitool_errors(path, tmp_path) == [], path
    # The validator does find errors: a result whose URI is not a URI.
    broken = json.loads((fixed_scan / "report.sarif").read_text(encoding="utf-8"))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b\\c"
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "report.sarif").write_text(json.dumps(broken))
    assert multitool_errors(tmp_path / "broken" / "report.sarif", tmp_path)


# JUnit

def test_junit_has_a_suite_per_input_and_a_case_per_check_and_input():
    report = json.loads((FIXTURES / "rich-report.json").read_text(encoding="utf-8"))
    root = ET.fromstring(writers()["junit"].render(report).encode("utf-8"))
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == [i["path"] for i in report["inputs"]] + ["broken.har"]
    har = suites["tests/fixtures/reports/session.har"]
    statuses = [c for c in report["checks"] if c["input"] == "tests/fixtures/reports/session.har"]
    assert int(har.get("tests")) == len(har.findall("testcase")) == len(statuses)
    failures = {case.get("name").split()[0]: case.find("failure") for case in har.findall("testcase")
                if case.find("failure") is not None}
    assert sorted(failures) == sorted(c["check"] for c in statuses if c["status"] == "fail")
    dh001 = [f for f in report["findings"] if f["check"] == "DH001"]
    assert len(failures["DH001"].text.splitlines()) == len(dh001) and failures["DH001"].get("type") == "critical"
    assert "139****5678" in failures["DH001"].text
    skipped = [case for case in har.findall("testcase") if case.find("skipped") is not None]
    assert {case.get("name").split()[0]: case.find("skipped").get("message") for case in skipped} == {
        c["check"]: c["reason"] for c in statuses if c["status"] == "not_applicable"}
    broken = suites["broken.har"]
    assert [e.get("message") for e in broken.iter("error")] == ["the input could not be read",
                                                               "not a HAR file: line 1: expecting value"]
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites.values())
    consent = suites["tests/fixtures/reports/consent.html"]
    assert "consent platform" in consent.find("system-out").text


def test_junit_replaces_characters_xml_cannot_carry(hostile_scan):
    xml = (hostile_scan / "report.xml").read_text(encoding="utf-8")
    root = ET.fromstring(xml.encode("utf-8"))  # parses: nothing XML 1.0 forbids
    failures = "\n".join(f.text for f in root.iter("failure"))
    assert "user.\\x01\\x1b[31m\u202e\\ufffe" in failures
    names = [suite.get("name") for suite in root.findall("testsuite")]
    assert any(name.endswith('x"><img src=x onerror="window.__appaudit_pwned=1">.har') for name in names)


# Markdown

def github_html(markdown: str) -> BeautifulSoup:
    """Rendered as GitHub renders a comment (cmark-gfm with its extensions)."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return BeautifulSoup(html, "html.parser")


def test_markdown_capture_text_cannot_inject_links_images_html_or_break_tables(hostile_scan):
    markdown = (hostile_scan / "report.md").read_text(encoding="utf-8")
    page = github_html(markdown)
    assert not page.find_all(["a", "img", "script", "style", "svg", "iframe", "textarea", "title"])
    assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    allowed = {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "br",
               "details", "summary", "em"}
    assert {tag.name for tag in page.find_all(True)} <= allowed
    for row in page.find_all("tr"):
        assert len(row.find_all(["td", "th"])) == len(page.find("tr").find_all(["td", "th"])) or row.find_parent("details")
    # The hostile field names are shown, as text.
    shown = page.get_text()
    assert 'onerror="window.__appaudit_pwned=1"' in shown and "<script>window.__appaudit_pwned=1</script>" in shown


@pytest.mark.parametrize("value", HOSTILE_TEXTS + ["a | b", "``", "`x`", "www.evil.example", "mail me@evil.example",
                                                   "https://evil.example/x", "line\nbreak # heading"])
def test_markdown_text_and_code_spans_stay_inert(value):
    for rendered in (text(value), code(value)):
        page = github_html(f"- {rendered}\n\n| a | b |\n| --- | --- |\n| {text(value)} | 2 |\n")
        assert not page.find_all(["a", "img", "script", "style", "svg", "h1", "h2", "textarea"])
        assert len(page.find("tbody").find_all("td")) == 2
        visible = " ".join(page.find("li").get_text().split()).replace("\u200b", "")
        assert visible == " ".join(re.sub(r"[\x00-\x1f\u202e]", " ", value).split())


def test_markdown_collapses_each_check_past_twenty_findings():
    report = json.loads((FIXTURES / "rich-report.json").read_text(encoding="utf-8"))
    finding = next(f for f in report["findings"] if f["check"] == "DH002")
    report["findings"] = [dict(finding, title=f"finding {i}") for i in range(23)]
    page = github_html(writers()["md"].render(report))
    details = [d for d in page.find_all("details") if "more" in d.summary.get_text()]
    assert len(details) == 1 and details[0].summary.get_text() == "3 more"
    assert [li.get_text().split()[2] for li in details[0].find_all("li")] == ["20", "21", "22"]


# HTML

def test_html_is_self_contained_and_escapes_every_capture_text(hostile_scan):
    html = (hostile_scan / "report.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    scripts = page.find_all("script")
    assert len(scripts) == 1 and scripts[0].string == (ROOT / "reports" / "templates" / "filter.js").read_text()
    assert len(page.find_all("style")) == 1 and not page.find_all(["img", "svg", "iframe", "link", "object"], src=True)
    assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    links = [a["href"] for a in page.find_all("a", href=True)]
    assert all(href.startswith("#") for href in links), links
    assert not re.search(r"""(src|href|url\()\s*=?\s*["']?(https?:|//|javascript:)""", html, re.IGNORECASE)
    assert INJECTED in page.get_text()  # shown as text
    assert "</style><style>body{display:none}</style>" in page.get_text()


def test_html_sections_and_optional_fields_of_a_full_document(tmp_path):
    run("report", FIXTURES / "rich-report.json", "-f", "html", "-o", tmp_path / "r.html")
    page = BeautifulSoup((tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    for section in ("scanned", "summary", "parties", "timeline", "findings", "status"):
        assert page.find(id=section), section
    text_ = words(page)
    assert "seen 2 times in flows 0, 5 between 2026-11-22T02:00:01Z and 2026-11-22T02:00:11Z" in text_
    assert "note: the page loads a consent platform by script" in text_
    assert "page URL https://www.shop.example/consent" in text_
    assert "broken.har: not a HAR file" in text_
    assert "The user consented in flow 1 at 2026-11-22T02:00:03Z." in text_
    timeline = [words(row) for row in page.find(id="timeline").find_all("tr")[1:]]
    assert timeline[0].startswith("0 2026-11-22T02:00:01Z ulogs.umeng.com first contact with Umeng")
    assert timeline[0].endswith("before") and timeline[1].startswith("1 2026-11-22T02:00:03Z consent given")
    assert all(row.endswith("after") for row in timeline[2:])
    assert [a["href"] for a in page.select("#findings a[href]")] == ["screenshots/UI006-consent.png"]
    assert page.select_one('.finding[data-check="UI006"]')["data-severity"] == "high"
    status = {row.td.get_text(" ").split()[0]: row for row in page.find(id="status").find_all("tr")[1:]}
    assert "not applicable: tests/fixtures/reports/session.har: needs an app file" in words(status["DH008"])
    assert "error: broken.har: the input could not be read" in words(status["UI004"])
    bars = page.select("#summary rect.bar")
    assert [int(b["width"]) for b in bars] == [127, 380, 190, 0, 63]  # 2, 6, 3, 0, 1 findings


def words(element) -> str:
    """An element's text as one spaced line (tags part words; no space before a colon)."""
    return " ".join(element.get_text(" ").split()).replace(" :", ":")


# Masking

def leaks(text_: str) -> list[str]:
    values = [PHONE, ID_CARD, BANK_CARD, EMAIL, *CANARIES.values()]
    return [value for value in values for form in {value, quote(value, safe=""), quote_plus(value)} if form in text_]


def test_no_format_holds_a_personal_value_unless_revealed(tmp_path):
    inputs, app = personal_capture(tmp_path / "in")
    scan_to(tmp_path / "masked", inputs, "--app", str(app))
    report = json.loads((tmp_path / "masked" / "report.json").read_text(encoding="utf-8"))
    assert {"phone", "id_card", "bank_card", "email", "canary"} <= {f["evidence"].get("data_type") for f in report["findings"]}
    text_report = run("report", tmp_path / "masked" / "report.json").output
    for name, content in [*((p.name, p.read_text(encoding="utf-8")) for p in (tmp_path / "masked").iterdir()),
                          ("text", text_report)]:
        assert leaks(content) == [], name
    scan_to(tmp_path / "revealed", inputs, "--app", str(app), "--reveal")
    for fmt in FILE_FORMATS:
        content = (tmp_path / "revealed" / f"report{EXTENSIONS[fmt]}").read_text(encoding="utf-8")
        assert {PHONE, ID_CARD, BANK_CARD} <= set(leaks(content)), fmt
