"""The built wheel, installed as a user would: one ``appaudit`` namespace, every module
shipped, and nothing broken by other distributions' generic top-level packages.

The wheel is built without build isolation and installed without dependencies, with no
index (tests never reach the network); the fresh virtualenv sees the dependencies of the
test environment through a ``.pth`` line — not its ``appaudit``, whose editable finder is
only installed by a ``.pth`` file that a plain path line does not run."""
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo-session"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(work / "dist"), str(ROOT)], check=True, cwd=work)
    wheel = next((work / "dist").glob("appaudit-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True)
    return venv, site, work


def _run(venv: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*args], cwd=work, capture_output=True, text=True, timeout=300,
                          env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(work)})


def test_the_wheel_ships_every_module_under_one_namespace(fresh_venv):
    venv, site, work = fresh_venv
    top_level = {p.name for p in site.iterdir() if not p.name.endswith((".dist-info", ".pth"))} - {"__pycache__"}
    assert top_level == {"appaudit"}
    shipped = {p.relative_to(site / "appaudit") for p in (site / "appaudit").rglob("*.py")}
    for folder in ("scanner", "checks", "reports", "profiles"):
        in_repo = {p.relative_to(ROOT) for p in (ROOT / folder).rglob("*.py")}
        assert in_repo <= shipped, f"not in the wheel: {sorted(map(str, in_repo - shipped))}"
    assert (site / "appaudit" / "profiles" / "default.yaml").is_file()
    assert (site / "appaudit" / "scanner" / "data" / "sdk_catalogue.yaml").is_file()
    assert (site / "appaudit" / "scanner" / "data" / "fleet.html.jinja").is_file()


def test_the_installed_commands_run(fresh_venv):
    venv, site, work = fresh_venv
    appaudit = str(venv / "bin" / "appaudit")
    version = _run(venv, work, appaudit, "--version")
    assert version.returncode == 0 and "appaudit" in version.stdout, version.stderr
    checks = _run(venv, work, appaudit, "checks")
    assert checks.returncode == 0 and "DH001" in checks.stdout and "UI011" in checks.stdout, checks.stderr
    module = _run(venv, work, str(venv / "bin" / "python"), "-m", "appaudit", "--help")
    assert module.returncode == 0 and "Usage: appaudit" in module.stdout, module.stderr
    demo = _run(venv, work, appaudit, "scan", str(DEMO / "session.mitm"), str(DEMO / "pages"),
                "--app", str(DEMO / "app.yaml"), "-f", "json", "-o", "-", "--fail-on", "never")
    assert demo.returncode == 0, demo.stderr
    assert '"schema": "appaudit-report/1"' in demo.stdout
    html = _run(venv, work, appaudit, "scan", str(DEMO / "session.har"), "--app", str(DEMO / "app.yaml"),
                "-f", "html", "-o", str(work / "report.html"), "--fail-on", "never")
    assert html.returncode == 0, html.stderr  # the report templates are package data of the wheel
    assert "<html" in (work / "report.html").read_text(encoding="utf-8")
    addon = _run(venv, work, appaudit, "addon-path")
    assert Path(addon.stdout.strip()) == site / "appaudit" / "scanner" / "addon.py"


def test_generic_top_level_packages_of_other_distributions_do_not_collide(fresh_venv):
    """PyPI holds distributions named ``reports``, ``scanner`` and ``checks``; installed
    beside appaudit they must change nothing."""
    venv, site, work = fresh_venv
    stubs = ["reports", "scanner", "checks", "profiles"]
    try:
        for name in stubs:
            (site / name).mkdir()
            (site / name / "__init__.py").write_text("raise ImportError('a stranger package')\n")
        scan = _run(venv, work, str(venv / "bin" / "appaudit"), "scan", str(DEMO / "session.har"),
                    "--app", str(DEMO / "app.yaml"), "-q", "--fail-on", "never")
        assert scan.returncode == 0, scan.stderr
        assert "findings" in scan.stdout
    finally:
        for name in stubs:
            (site / name / "__init__.py").unlink(missing_ok=True)
            (site / name).rmdir()
