"""The check catalogue: every check declares itself fully, is tested, and the docs
are generated from the declarations (nothing is listed twice)."""
import re
from pathlib import Path

from appaudit.scanner.check import all_checks
from appaudit.scanner.cli import main
from appaudit.scanner.model import Severity
from click.testing import CliRunner

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.pages.cases import cases as page_cases

TESTS = Path(__file__).parent
DOCS = TESTS.parent / "docs" / "checks.md"
CONTRACT_IDS = [f"DH{n:03d}" for n in range(1, 11)] + [f"UI{n:03d}" for n in range(1, 12)]


def test_every_check_declares_itself():
    for check_id, check in all_checks().items():
        assert check.id == check_id and re.fullmatch(r"(DH|UI)\d{3}", check_id)
        assert check.name and check.description and check.regulations and isinstance(check.severity, Severity)
        assert check.category == ("traffic" if check_id.startswith("DH") else "ui")
        assert len((check.__doc__ or "").strip()) > 100, f"{check_id} needs a real docstring"
        assert check.__module__ == f"appaudit.checks.{check_id.lower()}_{check.name.replace('-', '_')}"


def test_ids_and_names_follow_the_contract():
    contract = (TESTS.parents[1] / "shared" / "CONTRACT.md")
    if not contract.is_file():
        return
    rows = dict(re.findall(r"^\| ((?:DH|UI)\d{3}) \| ([a-z-]+) \|", contract.read_text(), re.MULTILINE))
    for check_id, check in all_checks().items():
        assert rows.get(check_id) == check.name


def test_every_check_has_a_firing_fixture_and_a_hard_negative_that_a_test_runs():
    """UI checks: tests/fixtures/pages/uiNNN/ with a ``pos-*`` page expecting the check and
    a ``neg-*`` page expecting no finding; traffic checks: tests/fixtures/flows/dhNNN.yaml
    with a case expecting findings and one expecting none (``expect: []``)."""
    test_text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py"))
    for check_id, check in all_checks().items():
        name = check_id.lower()
        if check.category == "ui":
            assert (TESTS / "fixtures" / "pages" / name).is_dir(), f"{check_id}: no tests/fixtures/pages/{name}/"
            found = page_cases(name)
            positives = [c for c in found if c.positive and any(cid == check_id for cid, _ in c.expected)]
        else:
            assert (TESTS / "fixtures" / "flows" / f"{name}.yaml").is_file(), f"{check_id}: no tests/fixtures/flows/{name}.yaml"
            found = flow_cases(name)
            positives = [c for c in found if c.positive]
        assert positives, f"{check_id}: no fixture that fires it"
        assert [c for c in found if not c.positive], f"{check_id}: no hard negative fixture (expecting no finding)"
        assert re.search(rf'cases\(["\']{name}["\']\)', test_text), f"no test runs the {name} fixtures"
        assert re.search(rf'["\']{check_id}["\']', test_text), f"no test runs {check_id}"


def test_docs_are_generated_from_the_declarations():
    generated = CliRunner().invoke(main, ["checks", "--format", "markdown"]).output
    assert DOCS.read_text(encoding="utf-8") == generated, "docs/checks.md is stale: run `make docs`"
