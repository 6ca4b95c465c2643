"""The real-world page set: every UI finding appaudit makes on the saved pages and
uiautomator dumps of ``../shared/corpora/realworld-dev/pages/``, judged by hand by its
JUDGING.md, is kept in ``expected_pages.tsv`` (file, check, selector or note, verdict,
why). This test fails when a finding judged wrong comes back, one judged right goes
away, an unjudged finding appears, a page takes more than 3 s, or a script shell or a
script-loaded consent platform loses its note.

The corpus is read in place and the test is skipped where it is absent. The phishing
kits' own URLs are given with ``pages_urls.tsv`` (scan --url-map) and the brands they
copy with ``pages_app.yaml``, as an auditor would.
"""
from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from appaudit.scanner.appfile import load_app
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.loading import read_url_map
from appaudit.scanner.profile_loader import load_profile

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / ".." / "shared" / "corpora" / "realworld-dev" / "pages"
# CPU seconds, not wall-clock: the bound is on appaudit's work, not on the machine's load.
MAX_SECONDS = 3.0

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the real-world corpus is not beside the repository")


def expectations() -> dict[tuple[str, str, str], str]:
    with open(HERE / "expected_pages.tsv", newline="", encoding="utf-8") as f:
        return {(row["file"], row["check"], row["selector-or-anchor"]): row["verdict"]
                for row in csv.DictReader(f, delimiter="\t")}


def files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir()) if CORPUS.is_dir() else []


def page_settings() -> ScanSettings:
    """How an auditor scans these pages: the phishing kits' URLs and the brands they copy given."""
    return ScanSettings(profile=load_profile("default"), app=load_app(str(HERE / "pages_app.yaml")),
                        url_map=read_url_map(str(HERE / "pages_urls.tsv")))


@pytest.fixture(scope="module")
def settings() -> ScanSettings:
    return page_settings()


@pytest.mark.parametrize("name", files())
def test_page_findings_and_notes_match_the_judged_verdicts(name, settings):
    started = time.process_time()
    result = scan([str(CORPUS / name)], settings)
    spent = time.process_time() - started
    assert not result.errors, result.errors
    seen = {(name, f.check, f.location.selector or "") for f in result.findings if f.check.startswith("UI")}
    seen |= {(name, "NOTE", note) for i in result.inputs for note in i.notes}
    judged = {key: verdict for key, verdict in expectations().items() if key[0] == name}
    unjudged = sorted(seen - judged.keys())
    wrong = sorted(key for key in seen & judged.keys() if judged[key] == "wrong")
    lost = sorted(key for key, verdict in judged.items() if verdict == "right" and key not in seen)
    assert not unjudged, "unjudged findings or notes (judge them into expected_pages.tsv):\n" + \
        "\n".join("\t".join(k) for k in unjudged)
    assert not wrong, "findings judged wrong came back:\n" + "\n".join("\t".join(k) for k in wrong)
    assert not lost, "findings or notes judged right went away:\n" + "\n".join("\t".join(k) for k in lost)
    assert spent <= MAX_SECONDS, f"{name} took {spent:.1f} s of CPU"


def test_every_judged_file_is_in_the_corpus():
    assert {file for file, _, _ in expectations()} <= set(files())
