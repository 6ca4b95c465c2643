"""The ``appaudit`` command line (contract: scan, checks, profiles, report)."""
from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import click

import scanner
from reports import writers
from scanner.appfile import load_app
from scanner.check import all_checks
from scanner.engine import ScanSettings, scan
from scanner.model import Severity
from scanner.profile import builtin_names, load_profile
from scanner.report import build_report
from scanner.sharing import build_catalogue
from scanner.yamlfile import ConfigError, load_yaml

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageProblem(click.ClickException):
    exit_code = EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(scanner.__version__, prog_name="appaudit")
def main() -> None:
    """Audit app and web captures for UI dark patterns and unsafe personal-data handling.

    Scan mitmproxy flow files, HAR, saved HTML pages and Android uiautomator dumps; the
    findings are mapped to the MIIT 2021 and CAC 2023 campaigns, GB/T 35273, PIPL and GDPR.
    """


@main.command("scan")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-p", "--profile", "profile_name", default="default", show_default=True,
              help="Built-in profile name or a profile YAML file.")
@click.option("-a", "--app", "app_path", type=click.Path(), help="App description YAML (first party, declared third parties, consent, canaries, brands).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(writers())),
              help="Report format, repeatable; text (the default) goes to the terminal.")
@click.option("-o", "--output", type=click.Path(), help="A file for one format, a folder for several (report.<ext> each).")
@click.option("--fail-on", default="low", show_default=True, help="Exit 1 when a finding at or above this severity exists; 'never' to always exit 0.")
@click.option("--baseline", type=click.Path(), help="A previous JSON report: findings whose fingerprint it holds are suppressed.")
@click.option("--reveal", is_flag=True, help="Show personal values unmasked in the reports (masked by default).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Inputs scanned in parallel.")
@click.option("--base-url", help="The URL of saved HTML pages (their origin) when the page does not say it.")
@click.option("--dpi", type=click.FloatRange(min=1), help="Screen density of uiautomator dumps, to convert pixels to dp.")
def scan_command(inputs, profile_name, app_path, formats, output, fail_on, baseline, reveal, jobs, base_url, dpi):
    """Scan capture files or folders (recursively) and report the findings.

    INPUTS are mitmproxy flow files, HAR files, HTML pages, uiautomator XML dumps or
    folders of them, recognised by content. Exit code: 0 no finding at or above
    --fail-on, 1 such findings, 2 usage error or no input could be read."""
    formats = list(dict.fromkeys(formats or ("text",)))
    threshold = parse_fail_on(fail_on)
    try:
        profile = load_profile(profile_name)
        app = load_app(app_path) if app_path else None
        build_catalogue(profile, app)  # the profile's and app file's SDK entries must agree
    except ConfigError as e:
        raise UsageProblem(str(e)) from None
    known = _baseline_fingerprints(baseline) if baseline else set()

    settings = ScanSettings(profile=profile, app=app, base_url=base_url, dpi=dpi)
    progress = _Progress() if sys.stderr.isatty() else None
    result = scan(list(inputs), settings, jobs=jobs, progress=progress)
    if progress:
        progress.close()
    suppressed = [f for f in result.findings if f.fingerprint in known]
    result.findings = [f for f in result.findings if f.fingerprint not in known]
    report = build_report(result, reveal=reveal, suppressed=len(suppressed))
    write_reports(report, formats, output)

    if not report["inputs"]:
        for error in report["errors"]:
            click.echo(f"appaudit: {error['input']}: {error['message']}", err=True)
        click.echo("appaudit: no input could be read", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(exit_code(report, threshold))


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
@click.pass_context
def profiles_command(ctx):
    """List the built-in profiles; `show NAME` prints one, `validate FILE` checks a profile or app file."""
    if ctx.invoked_subcommand is None:
        for name in builtin_names():
            profile = load_profile(name)
            click.echo(f"{name:<12} {len(profile.enabled):>3} checks  {profile.description}")


@profiles_command.command("show")
@click.argument("name")
def profiles_show(name):
    """Print a built-in profile's YAML and the checks it enables."""
    if name not in builtin_names():
        raise UsageProblem(f"no built-in profile {name!r} (built-in: {', '.join(builtin_names())})")
    from importlib import resources

    click.echo((resources.files("profiles") / f"{name}.yaml").read_text(encoding="utf-8").rstrip())
    profile = load_profile(name)
    click.echo(f"# enables: {', '.join(profile.enabled)}")


@profiles_command.command("validate")
@click.argument("file", type=click.Path())
def profiles_validate(file):
    """Validate a profile or an app description file (which one is judged by its keys)."""
    try:
        document = load_yaml(file)
        is_app = isinstance(document.data, dict) and bool({"first_party", "third_parties", "canaries", "consent"} & set(document.data))
        if is_app:
            load_app(file)
        else:
            load_profile(file)
    except ConfigError as e:
        raise UsageProblem(str(e)) from None
    click.echo(f"{file}: valid {'app description' if is_app else 'profile'}")


@main.command("report")
@click.argument("report_file", type=click.Path())
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(writers())),
              help="Format to render, repeatable (default text).")
@click.option("-o", "--output", type=click.Path(), help="A file for one format, a folder for several.")
def report_command(report_file, formats, output):
    """Re-render a saved JSON report into another format, without the captures."""
    formats = list(dict.fromkeys(formats or ("text",)))
    report = _read_report(report_file)
    write_reports(report, formats, output)


def parse_fail_on(fail_on: str) -> Severity | None:
    if fail_on.strip().lower() == "never":
        return None
    try:
        return Severity.parse(fail_on)
    except ValueError as e:
        raise UsageProblem(f"--fail-on: {e}") from None


def exit_code(report: dict, threshold: Severity | None) -> int:
    worst = max((Severity.parse(f["severity"]) for f in report["findings"]), default=None)
    return EXIT_FINDINGS if threshold is not None and worst is not None and worst >= threshold else EXIT_CLEAN


def _read_report(path: str) -> dict:
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise UsageProblem(f"{path}: cannot read: {(e.strerror or str(e)).lower()}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise UsageProblem(f"{path}: not a JSON report: {e}") from None
    if not isinstance(report, dict) or not str(report.get("schema", "")).startswith("appaudit-report/"):
        raise UsageProblem(f"{path}: not an appaudit JSON report (no appaudit-report schema)")
    return report


def _baseline_fingerprints(path: str) -> set[str]:
    report = _read_report(path)
    return {f.get("fingerprint") for f in report.get("findings", []) if isinstance(f, dict)}


def write_reports(report: dict, formats: list[str], output: str | None) -> None:
    """Text goes to the terminal; other formats to -o (a file for one format, a folder
    for several), or to standard output when -o is absent and there is one format."""
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    to_folder = output is not None and (len(formats) > 1 or Path(output).is_dir())
    if len(formats) > 1 and output is None:
        raise UsageProblem("several formats need -o FOLDER")
    for name in formats:
        writer = writers()[name]
        if output is None or (name == "text" and to_folder):
            click.echo(writer.render(report, color=color and name == "text"), nl=False)
            continue
        target = Path(output) / f"report{writer.EXTENSION}" if to_folder else Path(output)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(writer.render(report), encoding="utf-8")
        except OSError as e:
            raise UsageProblem(f"{target}: cannot write: {(e.strerror or str(e)).lower()}") from None
        click.echo(f"wrote {target}", err=True)


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
            click.echo(f"\r\x1b[Kscanning file {self.files}{detail}: {path[-60:]}", err=True, nl=False)

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


from scanner.proxy import proxy_command  # noqa: E402  (it imports this module's helpers when run)

main.add_command(proxy_command)
