"""The per-check case counter (tests/maintenance/count_cases.py) attributes a case by
what it names, not by the file it is in. The check ids live in the fixtures, so these
tests are not themselves counted for any check."""
import re
from pathlib import Path

import pytest

from appaudit.scanner.check import all_checks
from tests.maintenance.count_cases import attribute, count, read_table, table

FIXTURES = Path(__file__).parent / "fixtures" / "count_cases"


def attribution_rows() -> list[list[str]]:
    """(text, the ids it names) rows of the fixture, by number so no id shows in a case's name."""
    return [line.split("\t") for line in (FIXTURES / "attribution.tsv").read_text(encoding="utf-8").splitlines()[1:]]


@pytest.mark.parametrize("row", range(len(attribution_rows())))
def test_ids_are_matched_in_any_case_but_not_inside_longer_numbers_or_unknown(row):
    text, ids = attribution_rows()[row]
    assert attribute(text, frozenset(all_checks())) == set(ids.split())


def test_a_suite_is_counted_by_what_each_case_names_not_by_its_file(tmp_path):
    sample = (FIXTURES / "sample_suite.py.txt").read_text(encoding="utf-8")
    expected = {key: int(n) for key, n in re.findall(r"^# expect (.+): (\d+)$", sample, re.MULTILINE)}
    suite = tmp_path / re.search(r"^# file: (\S+)$", sample, re.MULTILINE).group(1)
    suite.write_text(sample, encoding="utf-8")
    counts, total = count([str(suite)])
    found = {key: counts[key] for key in expected} | {"(total collected)": total}
    assert found == expected


def test_a_saved_table_reads_back(tmp_path):
    path = tmp_path / "counts.tsv"
    path.write_text(table({"X": 3, "(none)": 1}, 4), encoding="utf-8")
    assert read_table(path) == {"(none)": 1, "X": 3, "(total collected)": 4}
