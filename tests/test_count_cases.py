"""The per-check case counter (tests/maintenance/count_cases.py) attributes a case by
what it names, not by the file it is in."""
import pytest

from appaudit.scanner.check import all_checks
from tests.maintenance.count_cases import attribute, count, read_table, table

KNOWN = frozenset(all_checks())
SAMPLE = '''
import pytest

PAGE_CHECKS = ("UI001", "UI002")


def test_names_one_check_in_its_body():
    assert run("DH005") == []


def test_names_checks_through_a_module_value():
    assert run(PAGE_CHECKS) == []


def test_names_none():
    assert 1 + 1 == 2


@pytest.mark.parametrize("check", ["DH001", "DH002"])
def test_parametrised(check):
    assert check
'''


def test_ids_are_matched_in_any_case_but_not_inside_longer_numbers():
    assert attribute("dh001 UI011 test_ui003_x TestDH004", KNOWN) == {"DH001", "UI011", "UI003", "DH004"}
    assert attribute("ui0011 1dh0012 UI999", KNOWN) == set()


def test_a_suite_is_counted_by_what_each_case_names(tmp_path):
    # The file's own name names DH009: a case is not attributed by the file it is in.
    (tmp_path / "test_dh009_sample.py").write_text(SAMPLE, encoding="utf-8")
    counts, total = count([str(tmp_path / "test_dh009_sample.py")])
    assert total == 5
    assert (counts["DH005"], counts["UI001"], counts["UI002"], counts["(none)"], counts["DH009"]) == (1, 1, 1, 1, 0)
    # Each parametrised case names both values in its source, and its own in its id.
    assert (counts["DH001"], counts["DH002"]) == (2, 2)


def test_a_saved_table_reads_back(tmp_path):
    path = tmp_path / "counts.tsv"
    path.write_text(table({"DH001": 3, "(none)": 1}, 4), encoding="utf-8")
    assert read_table(path) == {"(none)": 1, "DH001": 3, "(total collected)": 4}


@pytest.mark.parametrize("text", ["", "no ids here"])
def test_text_without_ids_names_nothing(text):
    assert attribute(text, KNOWN) == set()
