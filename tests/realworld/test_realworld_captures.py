"""The real-world regression corpus for captures: HAR and flow files of real sites written
by others (../shared/corpora/realworld-dev/captures, read in place), and what appaudit
reports on them judged by hand (expected.tsv, by the corpus's JUDGING.md).

A finding is keyed by (file, flow, check, data type), as the independent measure counts
them. The test fails when a finding judged wrong comes back, when one judged right
disappears, or when a finding nobody has judged appears: it prints those, so that the
next developer judges them and adds a row.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.profile_loader import Profile

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "realworld-dev"
CAPTURES = CORPUS / "captures"
EXPECTED = Path(__file__).with_name("expected.tsv")
VERDICTS = {"right", "wrong", "debatable"}

pytestmark = pytest.mark.skipif(not CAPTURES.is_dir(), reason="the real-world corpus is not present")


def judged() -> dict[tuple, dict]:
    """The judged capture rows of expected.tsv by key (page rows are another test's)."""
    with open(EXPECTED, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    table = {}
    for row in rows:
        assert row["verdict"] in VERDICTS, row
        if row["file"].startswith("captures/"):
            key = (row["file"], int(row["flow"]), row["check"], row["data_type"])
            assert key not in table, f"judged twice: {key}"
            table[key] = row
    return table


@pytest.fixture(scope="module")
def result():
    return scan([str(CAPTURES)], ScanSettings(profile=Profile.default()))


def _keys(finding) -> set[tuple]:
    """(file, flow, check, data type) of a traffic finding, for each flow it stands for:
    a repeated behaviour is one finding listing its flows (occurrences); DH010 is the
    first contact with an SDK, its later contacts are not findings of their own."""
    file = "captures/" + Path(finding.location.input).name
    flows = {finding.location.flow}
    if finding.check != "DH010" and finding.occurrences is not None:
        flows.update(finding.occurrences.flows)
    return {(file, flow, finding.check, finding.evidence.data_type or "-") for flow in flows if flow is not None}


def test_expected_rows_are_sorted_by_file_and_well_formed():
    with open(EXPECTED, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        assert next(reader) == ["file", "flow", "check", "data_type", "verdict", "why"]
        files = [row[0] for row in reader]
    assert files == sorted(files)
    assert all(row["why"].strip() for row in judged().values())


def test_findings_on_real_captures_are_the_judged_ones(result):
    table = judged()
    reported = {key for finding in result.findings if finding.check.startswith("DH") for key in _keys(finding)}
    wrong_back = sorted(k for k in reported if k in table and table[k]["verdict"] == "wrong")
    right_gone = sorted(k for k, row in table.items() if row["verdict"] == "right" and k not in reported)
    unjudged = sorted(k for k in reported if k not in table)
    problems = ([f"judged wrong, reported again: {k} ({table[k]['why']})" for k in wrong_back]
                + [f"judged right, no longer reported: {k}" for k in right_gone]
                + [f"not judged yet (open the flow, judge it, add a row to expected.tsv): {k}" for k in unjudged])
    assert not problems, "\n".join(problems)


def test_precision_on_the_judged_corpus_is_at_least_95_percent(result):
    table = judged()
    reported = {key for finding in result.findings if finding.check.startswith("DH") for key in _keys(finding)}
    right = sum(table.get(k, {}).get("verdict") == "right" for k in reported)
    assert reported and right / len(reported) >= 0.95


def test_every_record_is_counted_and_no_flow_is_left_undecoded(result):
    """Flow numbers are the records' indexes in their files: every HAR entry counts,
    also those that are not network requests."""
    for input in result.inputs:
        if input.kind == "har":
            text = Path(input.path).read_text(encoding="utf-8-sig")
            text = re.sub(r"^\s*[\w$.]+\s*\(|\)\s*;?\s*$", "", text)  # HARP's JSONP padding
            assert input.records == len(json.loads(text)["log"]["entries"]), input.path
    undecoded = [(path, message) for path, message in result.errors if "could not be decoded" in message]
    assert undecoded == []
    for finding in result.findings:
        records = next(i.records for i in result.inputs if i.path == finding.location.input)
        assert finding.location.flow is None or 0 <= finding.location.flow < records
