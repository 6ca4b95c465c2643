"""The real-world page set in the rendered mode (issue 22), held to the same hand-judged
verdicts as the static mode (``expected_pages.tsv``): no UI finding judged wrong comes
back, none judged right goes away, none appears unjudged, so the rendered mode is at
least as precise as the static one on these pages. A page the static mode could not
judge ("not judged: needs --render") is judged in the browser, or its note says why
the browser could not judge it either (the saved page lacks the scripts that draw it).

Read in place; skipped where the corpus or the browser is absent."""
from __future__ import annotations

from dataclasses import replace

import pytest

from appaudit.scanner.engine import scan_file
from appaudit.scanner.loading import expand
from appaudit.scanner.render import chromium_path
from tests.realworld.test_realworld_pages import CORPUS, expectations, files, page_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed"),
              pytest.mark.skipif(not CORPUS.is_dir(), reason="the real-world corpus is not beside the repository")]
NEEDS_RENDER = ": needs --render"
STILL_NOT_THERE = ": rendered, and still not drawn offline (its scripts are not in the capture, or did not run)"


@pytest.mark.parametrize("name", [name for name in files() if not name.endswith(".xml")])
def test_rendered_page_findings_match_the_judged_verdicts(name):
    (path, kind), = expand([str(CORPUS / name)])[0]
    result = scan_file(path, kind, replace(page_settings(), render="always"))  # one browser for the module
    assert not result.input.problems, result.input.problems
    notes = result.input.notes
    assert any(note.startswith("pages rendered in headless Chromium") for note in notes), notes
    seen = {(name, f.check, f.location.selector or "") for f in result.findings if f.check.startswith("UI")}
    judged = {key: verdict for key, verdict in expectations().items() if key[0] == name and key[1] != "NOTE"}
    unjudged = sorted(seen - judged.keys())
    wrong = sorted(key for key in seen & judged.keys() if judged[key] == "wrong")
    lost = sorted(key for key, verdict in judged.items() if verdict == "right" and key not in seen)
    assert not unjudged, "unjudged findings (judge them into expected_pages.tsv):\n" + "\n".join("\t".join(k) for k in unjudged)
    assert not wrong, "findings judged wrong came back:\n" + "\n".join("\t".join(k) for k in wrong)
    assert not lost, "findings judged right went away:\n" + "\n".join("\t".join(k) for k in lost)
    for (_, check, note), verdict in expectations().items():
        if _ == name and check == "NOTE" and NEEDS_RENDER in note and verdict == "right":
            assert note.replace(NEEDS_RENDER, STILL_NOT_THERE) in notes, (note, notes)
    assert not [note for note in notes if NEEDS_RENDER in note], notes
