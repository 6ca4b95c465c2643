"""Built-in profiles and the profile format: each profile's findings cite that profile's
clauses; broken profiles are refused with file, key and line; the thresholds checks read."""
from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
import yaml
from appaudit.scanner.check import all_checks
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Severity
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import builtin_names, load_profile
from appaudit.scanner.yamlfile import ConfigError

from tests.helpers import cli as run
from tests.helpers import settings_for

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "profiles"
DEMO = ROOT / "examples" / "demo-session"
BUILT_IN = ("cac-2023", "default", "gdpr", "miit-2021")



def raw(name: str) -> dict:
    return yaml.safe_load((PROFILES / f"{name}.yaml").read_text(encoding="utf-8"))


def expected_clauses(name: str, check_id: str) -> list[str]:
    """The clauses a profile file maps for a check, read from the YAML itself (following
    ``extends`` down to the checks' own declarations)."""
    data = raw(name)
    if check_id in data.get("references", {}):
        return [" ".join(filter(None, (r["instrument"], r.get("article", "")))) + f" ({r['title']})"
                for r in data["references"][check_id]]
    if "extends" in data:
        return expected_clauses(data["extends"], check_id)
    return list(all_checks()[check_id].regulations)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the built-in profiles -------------------------------------------------------------

def test_the_built_in_profiles_are_there_and_validate():
    assert tuple(builtin_names()) == BUILT_IN
    for name in BUILT_IN:
        result = run("profiles", "validate", PROFILES / f"{name}.yaml")
        assert result.exit_code == 0 and "valid profile" in result.output, result.output


def test_every_check_a_regulation_profile_enables_cites_its_own_clauses_and_sources():
    for name in ("cac-2023", "gdpr", "miit-2021"):
        profile = load_profile(name)
        data = raw(name)
        assert set(data["references"]) == set(profile.enabled), name  # no check falls back to the defaults
        cited = {r["instrument"] for refs in data["references"].values() for r in refs}
        sourced = [s["instrument"] for s in data["sources"]]
        assert sorted(sourced) == sorted(set(sourced)), f"{name}: one source note per instrument"
        assert cited == set(sourced), f"{name}: cited without a source note {cited - set(sourced)}, " \
                                      f"or a source never cited {set(sourced) - cited}"
        for check_id, refs in data["references"].items():
            assert refs and len({json.dumps(r, sort_keys=True) for r in refs}) == len(refs), (name, check_id)
            assert all(r["title"] for r in refs)


def test_what_each_profile_enforces():
    checks = tuple(all_checks())
    assert load_profile("default").enabled == checks and load_profile("default").severities == {}
    assert load_profile("miit-2021").enabled == checks
    assert load_profile("cac-2023").enabled == ("DH001", "DH002", "DH006", "UI010", "UI011")
    gdpr = load_profile("gdpr")
    assert not {"UI001", "UI002", "UI003", "UI004", "UI005", "UI008", "UI009", "UI010"} & set(gdpr.enabled)
    assert gdpr.severity_override("UI007") is Severity.HIGH
    assert load_profile("miit-2021").severity_override("UI009") is Severity.MEDIUM


def test_the_default_profile_cites_what_the_checks_declare():
    default = load_profile("default")
    for check_id, check in all_checks().items():
        assert default.regulations(check_id) == check.regulations


def scan_demo(profile: str, tmp_path: Path) -> dict:
    out = tmp_path / f"{profile}.json"
    result = run("scan", DEMO / "session.mitm", DEMO / "pages", DEMO / "ui", "-a", DEMO / "app.yaml",
                 "-p", profile, "-f", "json", "-o", out, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_demo_session_under_each_profile_cites_that_profiles_clauses(name, tmp_path):
    report = scan_demo(name, tmp_path)
    assert report["profile"] == name and report["errors"] == []
    data = raw(name)
    enabled = set(load_profile(name).enabled)
    fired = {f["check"] for f in report["findings"]}
    assert fired == enabled  # the demo session makes every check fire: each enabled one does, no other
    for finding in report["findings"]:
        assert finding["regulations"] == expected_clauses(name, finding["check"]), finding["check"]
        override = data.get("severity", {}).get(finding["check"])
        if override:
            assert finding["severity"] == override


def test_the_saved_report_keeps_the_profiles_clauses_when_re_rendered(tmp_path):
    report = scan_demo("gdpr", tmp_path)
    again = tmp_path / "again.json"
    assert run("report", tmp_path / "gdpr.json", "-f", "json", "-o", again).exit_code == 0
    assert [f["regulations"] for f in json.loads(again.read_text())["findings"]] == \
           [f["regulations"] for f in report["findings"]]


# --- the profile is applied by the engine --------------------------------------------

def only(profile, check_id: str):
    """The profile with only ``check_id`` enabled, so a test sees that check's findings alone."""
    return dataclasses.replace(profile, enabled=(check_id,))


def page_findings_under(profile, check_id: str, source: str, url: str = "https://www.example.com/"):
    session = InputScan(settings_for(check_id, profile=only(profile, check_id)), Input(path="p.html", kind="html"))
    return session.page(Page(source=source, input="p.html", kind="html", url=url)) + session.finish()


CONSENT = '<form><label><input type="checkbox" id="m" checked> 同意接收营销短信和个性化推荐</label></form>'


def test_a_profile_sets_the_severity_and_clauses_of_its_checks(tmp_path):
    path = write(tmp_path, "p.yaml", """\
include: [UI006]
severity: {UI006: low}
references:
  UI006:
    - {instrument: "Company policy", article: "§ 4", title: "no pre-ticked boxes"}
    - {instrument: "Internal handbook", title: "consent"}
""")
    [finding] = page_findings_under(load_profile(str(path)), "UI006", CONSENT)
    assert finding.severity is Severity.LOW
    assert finding.regulations == ("Company policy § 4 (no pre-ticked boxes)", "Internal handbook (consent)")
    [default] = page_findings_under(load_profile("default"), "UI006", CONSENT)
    assert default.severity is Severity.HIGH and default.regulations == all_checks()["UI006"].regulations


def test_an_empty_reference_list_cites_nothing_and_a_missing_one_inherits(tmp_path):
    base = write(tmp_path, "base.yaml", "extends: gdpr\nreferences: {UI006: []}\n")
    assert load_profile(str(base)).regulations("UI006") == ()
    assert load_profile(str(base)).regulations("UI007") == tuple(expected_clauses("gdpr", "UI007"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nseverity: {DH010: low}\n")
    profile = load_profile(str(child))
    assert profile.regulations("UI006") == () and profile.severity_override("UI007") is Severity.HIGH
    assert profile.severity_override("DH010") is Severity.LOW


# --- settings: the thresholds checks declare -----------------------------------------------

def test_the_close_target_minimum_is_a_setting(tmp_path):
    # A pop-up by what it draws: fixed over a real share of the screen.
    popup = ('<div id="p" style="position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"><p>Limited offer</p>'
             '<button id="c" class="close" style="width:20px;height:20px">×</button></div>')
    assert [f.evidence.details["problem"] for f in page_findings_under(load_profile("default"), "UI003", popup)] == ["tiny"]
    lenient = load_profile(str(write(tmp_path, "p.yaml", "settings: {UI003: {min_target_css_px: 16}}\n")))
    assert page_findings_under(lenient, "UI003", popup) == []
    strict = load_profile(str(write(tmp_path, "s.yaml", "settings: {UI003: {min_target_css_px: 44}}\n")))
    bigger = popup.replace("20px;height:20px", "32px;height:32px")
    assert page_findings_under(load_profile("default"), "UI003", bigger) == []
    [finding] = page_findings_under(strict, "UI003", bigger)
    assert finding.evidence.details["minimum"] == "44×44 CSS px"


def test_the_shake_thresholds_are_settings(tmp_path):
    script = ("<script>window.addEventListener('devicemotion', function (e) {"
              " if (Math.abs(e.accelerationIncludingGravity.x) > 12) location.href = 'taobao://x'; });</script>")
    [default] = page_findings_under(load_profile("default"), "UI005", script)
    assert default.evidence.details["below_standard"] is True
    assert default.evidence.details["standard"].startswith("T/TAF 078.7-2022: acceleration ≥ 15 m/s²")
    lower = load_profile(str(write(tmp_path, "p.yaml", "settings: {UI005: {min_acceleration: 10}}\n")))
    [finding] = page_findings_under(lower, "UI005", script)
    assert finding.evidence.details["below_standard"] is False
    assert finding.evidence.details["standard"].startswith("the profile's thresholds: acceleration ≥ 10 m/s²")


def test_the_dump_density_is_a_setting(tmp_path):
    source = """<hierarchy rotation="0"><node bounds="[0,0][1080,2340]" clickable="false">
      <node resource-id="com.x:id/splash_ad" clickable="true" bounds="[0,0][1080,2100]"/>
      <node text="跳过" clickable="true" bounds="[900,80][1040,210]"/></node></hierarchy>"""
    # 140×130 px are 53×49 dp at the estimated density, 47×43 dp at 480 dpi (tiny)
    def findings(profile):
        session = InputScan(settings_for("UI003", profile=only(profile, "UI003")), Input(path="d.xml", kind="uiautomator"))
        return session.page(Page(source=source, input="d.xml", kind="uiautomator")) + session.finish()
    assert findings(load_profile("default")) == []
    [finding] = findings(load_profile(str(write(tmp_path, "p.yaml", "settings: {UI003: {dpi: 480}}\n"))))
    assert finding.evidence.details["density"] == "480 dpi (given)"


# --- broken profiles: every problem, with file, key and line, exit 2 --------------------

BROKEN = {
    "unknown key": ("name: x\nseverty: {DH001: low}\n", ":2: severty: unknown key (did you mean 'severity'?)"),
    "unknown check id": ("include: [DH01]\n", ":1: include[0]: unknown check id 'DH01' (did you mean DH001?)"),
    "unknown check id in references": ("references:\n  UI06: []\n",
                                       ":2: references.UI06: unknown check id 'UI06' (did you mean UI006?)"),
    "bad severity": ("severity:\n  DH001: severe\n", ":2: severity.DH001: unknown severity 'severe'"),
    "wrong type": ("exclude: DH001\n", ":1: exclude: expected a list of check ids, got a string"),
    "wrong reference type": ("references:\n  DH001: PIPL\n", ":2: references.DH001: expected a list of references"),
    "reference without instrument": ("references:\n  DH001:\n    - {article: Art. 51}\n",
                                     ":3: references.DH001[0].instrument: expected the instrument's name"),
    "reference with unknown key": ("references:\n  DH001:\n    - {instrument: PIPL, clause: Art. 51}\n",
                                   ":3: references.DH001[0].clause: unknown key (allowed: instrument, article, title)"),
    "references for a check that is off": ("exclude: [UI009]\nreferences:\n  UI009: []\n",
                                           ":3: references.UI009: UI009 is not enabled in this profile"),
    "unknown setting": ("settings:\n  UI003:\n    min_target_px: 20\n",
                        ":3: settings.UI003.min_target_px: unknown setting for UI003 (did you mean 'min_target_dp'?)"),
    "setting out of range": ("settings:\n  UI005:\n    min_rotation: 720\n",
                             ":3: settings.UI005.min_rotation: 720 is not a number from 0 to 360"),
    "setting of the wrong kind": ("settings:\n  UI009: {target: everywhere}\n",
                                  ":2: settings.UI009.target: 'everywhere' is not one of china, all, none"),
    "extends nothing known": ("extends: miit2021\n", ":1: extends: 'miit2021' is not a built-in profile or a file in "
                                                     "this profile's folder (did you mean 'miit-2021'?)"),
    "duplicate source": ("sources:\n  - {instrument: PIPL, text: read}\n  - {instrument: PIPL, text: again}\n",
                         ":3: sources[1].instrument: 'PIPL' has a source note already"),
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_a_broken_profile_names_file_key_and_line_and_exits_2(case, tmp_path):
    text, message = BROKEN[case]
    path = write(tmp_path, "p.yaml", text)
    for command in (("profiles", "validate", path), ("scan", "-p", path, DEMO / "pages")):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert f"appaudit: {path}{message}" in result.output, result.output
        assert "Traceback" not in result.output


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, "p.yaml", "include: [DH01]\nseverity: {DH001: severe}\nchekcs: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_profile(str(path))
    assert [p.split(": ")[0] for p in caught.value.problems] == [f"{path}:3", f"{path}:1", f"{path}:2"]
    lines = run("profiles", "validate", path).output.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"appaudit: {path}:") for line in lines)


def test_a_cycle_of_extends_is_refused(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    result = run("profiles", "validate", a)
    assert result.exit_code == 2
    assert f"{tmp_path / 'b.yaml'}:2: extends: extends itself: " in result.output
    assert "a.yaml → b.yaml → a.yaml" in result.output.replace(str(tmp_path) + "/", "")
    itself = write(tmp_path, "self.yaml", "extends: self.yaml\n")
    assert "extends itself" in run("profiles", "validate", itself).output


def test_extends_stays_in_the_profiles_folder(tmp_path):
    write(tmp_path, "base.yaml", "include: [DH001]\n")
    (tmp_path / "sub").mkdir()
    child = write(tmp_path / "sub", "child.yaml", "extends: ../base.yaml\n")
    result = run("profiles", "validate", child)
    assert result.exit_code == 2 and "extends: '../base.yaml' is not a built-in profile" in result.output
    assert load_profile(str(write(tmp_path, "ok.yaml", "extends: base.yaml\n"))).enabled == ("DH001",)


def test_a_broken_base_profile_names_its_own_file(tmp_path):
    write(tmp_path, "base.yaml", "include: [DH999]\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\n")
    result = run("profiles", "validate", child)
    assert result.exit_code == 2 and f"{tmp_path / 'base.yaml'}:1: include[0]: unknown check id 'DH999'" in result.output


BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 10) if b else ', '.join(['lol'] * 10)}]\n"
               for a, b in zip("abcdefghi", [None, *"abcdefgh"], strict=True))


@pytest.mark.parametrize("kind", ["profile", "app"])
def test_an_alias_bomb_is_refused_at_once(kind, tmp_path):
    key = "include" if kind == "profile" else "first_party"
    path = write(tmp_path, "bomb.yaml", BOMB + f"{key}: *i\n")
    started = time.monotonic()
    result = run("profiles", "validate", path)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert f"{path}:9: i: YAML aliases expand to more than 100,000 values (an alias bomb" in result.output


def test_a_value_that_contains_itself_is_refused(tmp_path):
    path = write(tmp_path, "p.yaml", "include: &x [DH001, *x]\n")
    result = run("profiles", "validate", path)
    assert result.exit_code == 2 and f"{path}:1: include: YAML aliases expand" in result.output


def test_modest_aliases_still_load(tmp_path):
    path = write(tmp_path, "p.yaml", "include: &checks [DH001, DH002]\nreferences:\n"
                                     "  DH001: &pipl [{instrument: PIPL, article: Art. 51, title: security}]\n"
                                     "  DH002: *pipl\n")
    profile = load_profile(str(path))
    assert profile.regulations("DH002") == ("PIPL Art. 51 (security)",)


# --- the command line and the docs ----------------------------------------------------

def test_profiles_lists_and_shows_the_resolved_profile(tmp_path):
    listing = run("profiles").output.splitlines()
    assert [line.split()[0] for line in listing] == list(BUILT_IN)
    assert any(line.startswith("gdpr") and "13 checks" in line for line in listing)
    shown = run("profiles", "show", "miit-2021")
    assert shown.exit_code == 0
    assert "UI009  missing-site-registration        medium (default low)" in shown.output
    assert "  UI009.target = china" in shown.output and "  UI003.min_target_dp = 48.0  (default)" in shown.output
    assert "- 《非经营性互联网信息服务备案管理办法》(信息产业部令第33号, 2005) Art. 13 (" in shown.output
    assert "Sources (where each instrument's text was read):" in shown.output
    custom = write(tmp_path, "p.yaml", "extends: cac-2023\nsettings: {UI010: {}}\nseverity: {DH002: high}\n")
    shown = run("profiles", "show", custom).output
    assert "Checks: 5 of 21 enabled" in shown and "DH002  sensitive-data-in-url            high (default medium)" in shown
    assert run("profiles", "show", "gdrp").exit_code == 2 and "did you mean 'gdpr'" in run("profiles", "show", "gdrp").output


def test_docs_profiles_md_is_generated_from_the_profiles():
    generated = run("profiles", "--format", "markdown").output
    assert (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8") == generated, \
        "docs/profiles.md is stale: run `make docs`"
    for name in BUILT_IN:
        assert f"\n## {name}\n" in generated
    assert "| UI003 obstructed-close | high (default medium) |" in generated
