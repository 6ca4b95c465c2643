"""The ``appaudit`` command line (contract: scan, checks, profiles, report)."""
from __future__ import annotations

import json
import logging
import os
import shlex
import sys
import textwrap
import time
import traceback
from pathlib import Path

import click

from appaudit import scanner
from appaudit.reports import writers
from appaudit.scanner import profile_text
from appaudit.scanner.appfile import load_app
from appaudit.scanner.check import add_checks_dir, all_checks
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.fleet import fleet_command
from appaudit.scanner.loading import InputError, read_url_map
from appaudit.scanner.output import (
    EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_USAGE, FAIL_ON_CHOICES, ISSUES_URL, UsageProblem,
    baseline_fingerprints, exit_code, parse_fail_on, render_saved_report, terminal_safe, use_color, write_reports,
)
from appaudit.scanner.profile_loader import builtin_names, load_profile
from appaudit.scanner.proxy import proxy_command
from appaudit.scanner.render import RENDER_CHOICES, VIEWPORTS
from appaudit.scanner.render.judging import ScreenshotFolder
from appaudit.scanner.report_document import build_report, utc_now
from appaudit.scanner.sharing import build_catalogue
from appaudit.scanner.yamlfile import ConfigError, load_yaml

logger = logging.getLogger("appaudit")


class _Commands(click.Group):
    """The command group, with the contract's exit codes for what click leaves to Python:
    an internal error is one line and exit 3 (the traceback only with -v), Ctrl-C is 130."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except (KeyboardInterrupt, click.Abort):
            click.echo("appaudit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as e:
            if logger.isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            where = traceback.extract_tb(e.__traceback__)[-1]
            click.echo(f"appaudit: internal error: {type(e).__name__}: {terminal_safe(str(e))[:300]} "
                       f"({Path(where.filename).name}:{where.lineno}); "
                       f"please report it at {ISSUES_URL} (-v shows the traceback)", err=True)
            sys.exit(EXIT_INCOMPLETE)
        sys.exit(code if isinstance(code, int) else 0)

    def make_context(self, info_name, args, parent=None, **extra):
        # The command line as given, for the report's record of the invocation.
        arguments = list(args)
        context = super().make_context(info_name, args, parent, **extra)
        context.meta["appaudit.arguments"] = arguments
        return context


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(scanner.__version__, prog_name="appaudit")
def main() -> None:
    """Audit app and web captures for UI dark patterns and unsafe personal-data handling.

    Scan mitmproxy flow files, HAR, saved HTML pages and Android uiautomator dumps; the
    findings are mapped to the MIIT 2021 and CAC 2023 campaigns, GB/T 35273, PIPL and GDPR.

    Shell completion: eval "$(_APPAUDIT_COMPLETE=bash_source appaudit)" (zsh_source, fish_source).
    """


def _verbosity(ctx, param, value):
    if value and param.name == "verbose":
        logging.basicConfig(format="appaudit: %(message)s")
        logger.setLevel(logging.DEBUG)
    return value


_quiet = click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (and errors).")
_verbose = click.option("-v", "--verbose", is_flag=True, callback=_verbosity, is_eager=True,
                        help="Debug output; tracebacks of internal errors.")
_color = click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                      help="Colour in the terminal report (auto honours NO_COLOR, FORCE_COLOR and TERM=dumb).")


@main.command("scan")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-p", "--profile", "profile_name", default="default", show_default=True,
              help="Built-in profile name or a profile YAML file.")
@click.option("-a", "--app", "app_path", type=click.Path(),
              help="App description YAML (first party, declared third parties, consent, canaries, brands).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(writers())),
              help="Report format, repeatable; text (the default) goes to the terminal.")
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="A file for one format, a folder for several (report.<ext> each); - for standard output.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES, case_sensitive=False), default="low", show_default=True,
              help="Exit 1 when a finding at or above this severity exists; 'never' to exit 0 on findings.")
@click.option("--baseline", type=click.Path(), help="A previous JSON report: findings whose fingerprint it holds are suppressed.")
@click.option("--reveal", is_flag=True, help="Show personal values unmasked in the reports (masked by default).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=lambda: _cores(), show_default="the number of cores",
              help="Worker processes sharing the work on each input's records (1: all in this process).")
@click.option("--base-url", help="The URL of saved HTML pages (their origin) when the page does not say it.")
@click.option("--url-map", type=click.Path(), help="A CSV or TSV of saved page files and their own URLs (path, URL per row).")
@click.option("--dpi", type=click.FloatRange(min=1), help="Screen density of uiautomator dumps, to convert pixels to dp.")
@click.option("--render", type=click.Choice(RENDER_CHOICES), default="auto", show_default=True, envvar="APPAUDIT_RENDER",
              help="Judge HTML pages in headless Chromium, replayed offline from the capture: auto where a browser "
                   "is available, always (a page not rendered makes the scan incomplete), never.")
@click.option("--viewport", type=click.Choice(list(VIEWPORTS)), default="phone", show_default=True,
              help="The rendered mode's screen: phone (412x915 at 2.625x) or desktop (1366x768).")
@click.option("--checks-dir", "checks_dirs", multiple=True, type=click.Path(file_okay=False),
              help="A folder of your own checks (every *.py in it), besides the installed ones; repeatable.")
@_quiet
@_verbose
@_color
def scan_command(inputs, profile_name, app_path, formats, output, fail_on, baseline, reveal, jobs, base_url, url_map,
                 dpi, render, viewport, checks_dirs, quiet, verbose, color):
    """Scan capture files or folders (recursively) and report the findings.

    INPUTS are mitmproxy flow files, HAR files, HTML pages, uiautomator XML dumps or
    folders of them, recognised by content. Exit code: 0 no finding at or above
    --fail-on and everything judged, 1 such findings, 2 usage error or no input could be
    read, 3 the scan is incomplete (the report's errors say what was not judged),
    130 interrupted."""
    formats = list(dict.fromkeys(formats or ("text",)))
    threshold = parse_fail_on(fail_on)
    try:
        for folder in checks_dirs:
            add_checks_dir(folder)
    except Exception as e:  # a team's check that does not import or declare itself properly
        raise UsageProblem(f"--checks-dir: {type(e).__name__}: {e}") from None
    try:
        profile = load_profile(profile_name)
        app = load_app(app_path) if app_path else None
        build_catalogue(profile, app)  # the profile's and app file's SDK entries must agree
    except ConfigError as e:
        raise UsageProblem(e.problems) from None
    known = baseline_fingerprints(baseline) if baseline else set()
    try:
        urls = read_url_map(url_map) if url_map else {}
    except InputError as e:
        raise UsageProblem(str(e)) from None

    settings = ScanSettings(profile=profile, app=app, base_url=base_url, dpi=dpi, url_map=urls,
                            checks_dirs=tuple(str(Path(d).resolve()) for d in checks_dirs),
                            render=render, viewport=viewport, reveal=reveal, evidence=_evidence_folder(output, formats))
    started = utc_now()
    progress = _Progress() if sys.stderr.isatty() and not quiet else None
    result = scan(list(inputs), settings, jobs=jobs, progress=progress)
    if progress:
        progress.close()
    if not result.inputs and not result.interrupted:
        for path, message in result.errors:
            click.echo(f"appaudit: {terminal_safe(path)}: {terminal_safe(message)}", err=True)
        click.echo("appaudit: no input could be read", err=True)
        sys.exit(EXIT_USAGE)
    suppressed = [f for f in result.findings if f.fingerprint in known]
    result.findings = [f for f in result.findings if f.fingerprint not in known]
    report = build_report(result, reveal=reveal, suppressed=len(suppressed), started=started, finished=utc_now(),
                          command_line=shlex.join(["appaudit", *click.get_current_context().meta["appaudit.arguments"]]))
    write_reports(report, formats, output, color=use_color(color), quiet=quiet)
    if result.interrupted:
        click.echo("appaudit: interrupted; the report holds what was scanned before", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(exit_code(report, threshold))


def _cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _evidence_folder(output: str | None, formats: list[str]) -> ScreenshotFolder | None:
    """Evidence screenshots go into "evidence/" beside the report files (none when the
    report only goes to the terminal or standard output)."""
    if output in (None, "-") or formats == ["text"]:
        return None
    folder = Path(output) if len(formats) > 1 or Path(output).is_dir() else Path(output).parent
    return ScreenshotFolder(folder=str((folder / "evidence").resolve()), ref="evidence")


@main.command("checks")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def checks_command(fmt):
    """List the check catalogue: id, name, default severity, regulations, description."""
    catalogue = all_checks()
    if fmt == "markdown":
        click.echo(_catalogue_markdown(catalogue), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps([{
            "id": c.id, "name": c.name, "severity": c.severity.label, "category": c.category,
            "regulations": list(c.regulations), "description": c.description,
        } for c in catalogue.values()], ensure_ascii=False, indent=2))
        return
    for check in catalogue.values():
        click.echo(f"{check.id}  {check.name:<32} {check.severity.label:<8} {check.description}")
        click.echo(textwrap.indent("; ".join(check.regulations), " " * 7))


def _catalogue_markdown(catalogue) -> str:
    lines = ["# Check catalogue", "", "Generated by `appaudit checks --format markdown` (`make docs`) from the",
             "checks' own declarations; do not edit by hand.", "",
             "| id | name | severity | flags |", "| --- | --- | --- | --- |"]
    lines += [f"| {c.id} | {c.name} | {c.severity.label} | {c.description} |" for c in catalogue.values()]
    for check in catalogue.values():
        lines += ["", f"## {check.id} {check.name}", "",
                  f"Default severity: **{check.severity.label}** · category: {check.category}", "",
                  _dedent_docstring(check.__doc__), "",
                  "Regulations:", *[f"- {r}" for r in check.regulations]]
    return "\n".join(lines) + "\n"


def _dedent_docstring(doc: str | None) -> str:
    lines = (doc or "").strip("\n").splitlines()
    if not lines:
        return ""
    return (lines[0].strip() + "\n" + textwrap.dedent("\n".join(lines[1:]))).strip()


@main.group("profiles", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "markdown"]), default="table", show_default=True,
              help="markdown: docs/profiles.md, every built-in profile in full.")
@click.pass_context
def profiles_command(ctx, fmt):
    """List the built-in profiles; `show NAME` prints one resolved, `validate FILE` checks a profile or app file."""
    if ctx.invoked_subcommand is not None:
        return
    profiles = [load_profile(name) for name in builtin_names()]
    if fmt == "markdown":
        click.echo(profile_text.markdown(profiles), nl=False)
        return
    for profile in profiles:
        click.echo(f"{profile.name:<12} {len(profile.enabled):>3} checks  {profile_text.headline(profile.description)}")


@profiles_command.command("show")
@click.argument("name")
def profiles_show(name):
    """Print a profile (built-in NAME or a file) resolved: its checks with their severity and
    clauses, its settings and its sources."""
    try:
        profile = load_profile(name)
    except ConfigError as e:
        raise UsageProblem(str(e)) from None
    click.echo("\n".join(terminal_safe(line) for line in profile_text.show(profile).splitlines()))


@profiles_command.command("validate")
@click.argument("file", type=click.Path())
def profiles_validate(file):
    """Validate a profile or an app description file (which one is judged by its keys)."""
    try:
        document = load_yaml(file)
        app_keys = {"first_party", "third_parties", "canaries", "consent"}
        is_app = isinstance(document.data, dict) and bool(app_keys & set(document.data))
        if is_app:
            load_app(file)
        else:
            load_profile(file)
    except ConfigError as e:
        raise UsageProblem(e.problems) from None
    click.echo(f"{terminal_safe(file)}: valid {'app description' if is_app else 'profile'}")


@main.command("report")
@click.argument("report_file", type=click.Path())
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(writers())),
              help="Format to render, repeatable (default text).")
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="A file for one format, a folder for several; - for standard output.")
@_color
def report_command(report_file, formats, output, color):
    """Re-render a saved JSON report into another format, without the captures."""
    formats = list(dict.fromkeys(formats or ("text",)))
    render_saved_report(report_file, formats, output, color=use_color(color))


@main.command("addon-path")
def addon_path_command():
    """Print the path of the mitmproxy addon, for `mitmdump -s "$(appaudit addon-path)"`."""
    from appaudit.scanner import addon

    click.echo(addon.__file__)


class _Progress:
    """A one-line progress note on stderr (files and flows), shown only on a terminal
    and only once the scan has taken more than a moment."""

    def __init__(self):
        self.started = time.monotonic()
        self.files = 0
        self.shown = False

    def __call__(self, path: str, flows: int) -> None:
        if flows == 0:
            self.files += 1
        if time.monotonic() - self.started > 0.5:
            self.shown = True
            detail = f", {flows} flows" if flows else ""
            click.echo(f"\r\x1b[Kscanning file {self.files}{detail}: {terminal_safe(path[-60:])}", err=True, nl=False)

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


main.add_command(proxy_command)
main.add_command(fleet_command)
