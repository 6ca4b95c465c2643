"""Rendered mode (``scan --render``): each HTML page loaded in headless Chromium, replayed
offline from its own capture, read as the browser draws it and verified by acting on it.

- ``facts``: what the browser says about each element (computed style, box, what is on
  top), attached to the :class:`~scanner.page.Page` built from the rendered DOM; the page
  model (``pagemodel.style``, ``controls``, ``scripts``) reads them, so every UI check is
  written once and judges both modes.
- ``replay``: the answers to a page's requests, from the same capture (a flow file or
  HAR) or from the files saved beside a saved page; nothing else is answered.
- ``browser``: Chromium through Playwright, closed to the network, a fresh profile per
  scan; loads, snapshots, taps the close controls, runs the timers, takes the evidence
  screenshots.

This module imports nothing heavy: the static mode never loads Playwright.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NamedTuple

RENDER_CHOICES = ("auto", "always", "never")
class Viewport(NamedTuple):
    width: int           # CSS px
    height: int
    scale: float         # device pixels per CSS px
    mobile: bool         # a phone: mobile layout, touch input


VIEWPORTS = {"phone": Viewport(412, 915, 2.625, True), "desktop": Viewport(1366, 768, 1.0, False)}


class PageTooBusy(Exception):
    """The browser was killed: a page kept it busy past its time."""


def chromium_path() -> Path | None:
    """Debian's Chromium (``make browser`` installs it), or None where there is none;
    ``APPAUDIT_CHROMIUM`` names another executable (or, empty, none)."""
    named = os.environ.get("APPAUDIT_CHROMIUM")
    candidates = (named,) if named is not None else ("/usr/bin/chromium", shutil.which("chromium"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def browser_available() -> bool:
    """Whether pages can be rendered here: a Chromium and the Playwright client."""
    if chromium_path() is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True
