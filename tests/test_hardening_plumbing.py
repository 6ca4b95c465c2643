"""Robust plumbing (issue 24): a killed --jobs worker costs its own input only
(Medium 11); FIFOs and devices refused by type and symlinks out of a scanned folder not
followed (Medium 12); no silent skips in folders (Medium 10); unreadable named files
as error entries (Low)."""
import os
import shutil
import signal
from pathlib import Path

import pytest

from appaudit.scanner import parallel
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.loading import expand, sniff
from appaudit.scanner.profile_loader import load_profile

PAGE = "<html><body><p>13912345678</p></body></html>"
SETTINGS = ScanSettings(profile=load_profile("default"))
REAL_PREPARE_CHUNK = parallel._prepare_chunk


def dies_on_poison(path, kind, records):
    """A worker killed as the OOM killer does, while working on one input's records."""
    if "poison" in path:
        os.kill(os.getpid(), signal.SIGKILL)
    return REAL_PREPARE_CHUNK(path, kind, records)


def test_a_killed_worker_costs_its_own_input_only(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "_prepare_chunk", dies_on_poison)  # inherited by the forked workers
    for name in ("a", "b", "c-poison", "d", "e", "f"):
        (tmp_path / f"{name}.html").write_text(PAGE, encoding="utf-8")
    result = scan([str(tmp_path)], SETTINGS, jobs=3)
    assert sorted(Path(i.path).stem for i in result.inputs) == ["a", "b", "d", "e", "f"]
    assert [(Path(p).stem, m) for p, m in result.errors] == [
        ("c-poison", "not scanned: its worker process was killed (out of memory?)")]
    assert sum(f.check == "UI011" for f in result.findings) == 5


def test_a_fifo_in_a_folder_is_refused_without_blocking(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "capture.har")
    found, problems = expand([str(tmp_path)])
    assert [Path(f).name for f, _ in found] == ["page.html"]
    assert problems == [(str(tmp_path / "capture.har"), "not a regular file (a FIFO); not read")]
    found, problems = expand([str(tmp_path / "capture.har"), "/dev/zero"])
    assert found == [] and [m for _, m in problems] == ["not a regular file (a FIFO); not read",
                                                       "not a regular file (a character device); not read"]


def test_symlinks_out_of_a_scanned_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "captures"
    folder.mkdir()
    (folder / "inside.html").write_text(PAGE, encoding="utf-8")
    (folder / "link.html").symlink_to(outside / "secret.html")
    (folder / "same.html").symlink_to(folder / "inside.html")
    (folder / "dir").symlink_to(outside)
    found, problems = expand([str(folder)])
    assert sorted(Path(f).name for f, _ in found) == ["inside.html", "same.html"]
    assert sorted((Path(p).name, m) for p, m in problems) == [
        ("dir", "not scanned: a symbolic link to a folder outside the scanned folder (name it to scan it)"),
        ("link.html", "not scanned: a symbolic link to a file outside the scanned folder (name it to scan it)")]
    found, problems = expand([str(folder / "link.html")])  # named on the command line: followed
    assert len(found) == 1 and problems == []


@pytest.mark.parametrize("name, content, kind", [
    ("page.xhtml", '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                   '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
                   '<body><p>x</p></body></html>', "html"),
    ("commented.html", "<!--" + "licence text " * 600 + "-->\n<html><body>x</body></html>", "html"),
    ("commented.xml", "<?xml version='1.0' ?><!--" + "x" * 5000 + '--><hierarchy rotation="0"></hierarchy>',
     "uiautomator"),
    ("custom.html", "<my-app><x-popup>x</x-popup></my-app>", "html"),
    ("wrapped.html", "<!-- a -->\n<?php ?>\n<app-root></app-root>", "html"),
])
def test_pages_that_used_to_be_skipped_are_recognised(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert sniff(str(path)) == kind
    found, problems = expand([str(tmp_path)])
    assert found == [(str(path), kind)] and problems == []


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml"])
def test_unrecognised_pages_in_a_folder_are_errors_not_skips(tmp_path, name):
    (tmp_path / name).write_text("just words, no markup", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    found, problems = expand([str(tmp_path)])
    assert found == [] and [Path(p).name for p, _ in problems] == [name]


def test_an_unreadable_named_file_is_an_error_entry_and_the_rest_is_scanned(tmp_path, monkeypatch):
    from appaudit.scanner import loading

    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    bad = tmp_path / "bad.html"
    shutil.copy(good, bad)

    def unreadable(path, *args, **kwargs):  # chmod 000 stops no one when running as root
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(loading, "open", unreadable, raising=False)
    result = scan([str(bad), str(good)], SETTINGS)
    assert [i.path for i in result.inputs] == [str(good)]
    assert result.errors == [(str(bad), "permission denied")]
