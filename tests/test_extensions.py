"""Extension points: a check and a report format from another package (entry points),
and a team's own checks from a folder (--checks-dir), all without editing appaudit."""
import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner
from mitmproxy.io import FlowWriter

from appaudit.reports import writers
from appaudit.scanner import check as check_module
from appaudit.scanner.cli import main
from tests.helpers import make_flow

CHECK_SOURCE = textwrap.dedent('''
    """A team's own check: every request to a host named in its settings-free list."""
    from appaudit.scanner.check import TrafficCheck
    from appaudit.scanner.model import Evidence, Severity


    class StagingHost(TrafficCheck):
        """Requests that still go to a staging host."""

        id = "DH901"
        name = "staging-host-contacted"
        severity = Severity.LOW
        regulations = ("team policy 4.2",)
        description = "A request went to a staging host."

        def check_flow(self, flow):
            if flow.host.startswith("staging."):
                yield self.finding(title=f"Staging host {flow.host} contacted", message="Release builds must not.",
                                   location=flow.location(), evidence=Evidence(details={"subject": flow.host}))
''')

PAGE_CHECK_SOURCE = textwrap.dedent('''
    """A team's own page check, for web pages only: a page without a title."""
    from appaudit.scanner.check import PageCheck
    from appaudit.scanner.model import Severity


    class UntitledPage(PageCheck):
        """Every web page must carry a title."""

        id = "UI901"
        name = "untitled-page"
        severity = Severity.LOW
        regulations = ("team policy 7.1",)
        description = "A web page has no title."

        def check_html(self, page):
            if not page.document.find("title"):
                yield self.finding(title="The page has no title", message="Give every page a title.",
                                   location=page.location())
''')

FORMAT_SOURCE = textwrap.dedent('''
    """A report format from another package: one line per finding."""
    FORMAT = "lines"
    EXTENSION = ".lines"


    def render(report, **options):
        return "".join(f"{f['check']} {f['title']}\\n" for f in report["findings"])
''')


@pytest.fixture
def capture(tmp_path):
    path = tmp_path / "session.mitm"
    with open(path, "wb") as f:
        FlowWriter(f).add(make_flow("GET", "https://staging.example.com/v1/config", response_json={"ok": True}))
    return path


@pytest.fixture
def fresh_registries(monkeypatch):
    """Registries are built once per process; these tests add plug-ins, so they start
    from empty ones and leave empty ones behind."""
    monkeypatch.setattr(check_module, "_registry", None)
    monkeypatch.setattr(check_module, "_checks_dirs", [])
    writers.cache_clear()
    yield
    monkeypatch.undo()
    check_module._registry = None
    writers.cache_clear()


def _distribution(root, name, group, module_source):
    """An installed distribution as importlib.metadata sees it: a module and its
    dist-info with an entry point."""
    (root / f"{name}.py").write_text(module_source)
    info = root / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = {name}\n")


def test_a_check_from_another_package(tmp_path, capture, monkeypatch, fresh_registries):
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "team_checks", "appaudit.checks", CHECK_SOURCE)
    monkeypatch.syspath_prepend(str(site))
    result = CliRunner().invoke(main, ["scan", str(capture), "-f", "json", "-o", "-", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert [f["check"] for f in json.loads(result.stdout)["findings"]] == ["DH901"]
    assert "DH901" in CliRunner().invoke(main, ["checks"]).output


def test_a_report_format_from_another_package(tmp_path, capture, monkeypatch, fresh_registries):
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "team_format", "appaudit.reports", FORMAT_SOURCE)
    monkeypatch.syspath_prepend(str(site))
    assert "lines" in writers()
    # The command line's choices are fixed when it starts: as a user would, start a new one.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    out = tmp_path / "r.lines"
    run = subprocess.run([sys.executable, "-m", "appaudit", "scan", str(capture), "-f", "lines", "-o", str(out),
                          "--checks-dir", str(_checks_folder(tmp_path)), "--fail-on", "never"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_text() == "DH901 Staging host staging.example.com contacted\n"


def _checks_folder(tmp_path):
    folder = tmp_path / "our-checks"
    folder.mkdir()
    (folder / "staging_host.py").write_text(CHECK_SOURCE)
    return folder


def test_checks_dir_adds_a_teams_checks(tmp_path, capture, fresh_registries):
    folder = _checks_folder(tmp_path)
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["scan", str(capture), str(capture), "--checks-dir", str(folder), "-j", jobs,
                                           "-f", "json", "-o", "-", "--fail-on", "never"])
        assert result.exit_code == 0, result.output
        assert [f["check"] for f in json.loads(result.stdout)["findings"]] == ["DH901", "DH901"]


def test_a_broken_checks_dir_is_a_usage_error(tmp_path, capture, fresh_registries):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "bad.py").write_text("raise RuntimeError('does not import')\n")
    result = CliRunner().invoke(main, ["scan", str(capture), "--checks-dir", str(folder)])
    assert result.exit_code == 2
    assert "--checks-dir" in result.output and "does not import" in result.output


def test_a_page_check_judges_the_page_kinds_it_has_hooks_for(tmp_path, fresh_registries):
    folder = tmp_path / "our-checks"
    folder.mkdir()
    (folder / "untitled_page.py").write_text(PAGE_CHECK_SOURCE)
    untitled, titled, dump = tmp_path / "untitled.html", tmp_path / "titled.html", tmp_path / "screen.xml"
    untitled.write_text("<html><body><p>Hello</p></body></html>")
    titled.write_text("<html><head><title>Home</title></head><body><p>Hello</p></body></html>")
    dump.write_text("<?xml version='1.0' encoding='UTF-8' ?><hierarchy rotation=\"0\"><node text=\"Hello\" "
                    "class=\"android.widget.TextView\" bounds=\"[0,0][100,50]\" /></hierarchy>")
    result = CliRunner().invoke(main, ["scan", str(untitled), str(titled), str(dump), "--checks-dir", str(folder),
                                       "-f", "json", "-o", "-", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(f["check"], f["location"]["input"]) for f in report["findings"] if f["check"] == "UI901"] == \
        [("UI901", str(untitled))]
    status = {c["input"]: (c["status"], c.get("reason")) for c in report["checks"] if c["check"] == "UI901"}
    # No check_screen hook: a uiautomator dump is "not applicable" for it, not a pass.
    assert status == {str(untitled): ("fail", None), str(titled): ("pass", None),
                      str(dump): ("not_applicable", "this check judges web pages, not app screens")}
