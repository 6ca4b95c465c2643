"""Debian's headless Chromium for the tests that open the HTML report, through the same
client the rendered mode uses (Playwright, the system browser as its executable): load a
local page, read the DOM, click, collect console errors, take a screenshot. Offline: the
rendered mode's launch flags (no background networking, an unreachable proxy)."""
from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import sync_playwright

from appaudit.scanner.render import chromium_path
from appaudit.scanner.render.browser import LAUNCH_ARGS

CHROMIUM = chromium_path() or Path("/usr/bin/chromium")


class Browser:
    def __init__(self, *, width: int = 1280, height: int = 900):
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(LAUNCH_ARGS))
        self.page = self._browser.new_context(viewport={"width": width, "height": height}).new_page()
        self.devtools = self.page.context.new_cdp_session(self.page)
        self.events: list[str] = []
        self.page.on("console", lambda m: self.events.append(m.text[:500]) if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.events.append(str(e)[:500]))

    def send(self, method: str, **params) -> dict:
        return self.devtools.send(method, params)

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="load")

    def evaluate(self, expression: str):
        return self.page.evaluate(f"() => {{ return eval({json.dumps(expression)}); }}")

    def screenshot(self, target: Path) -> None:
        height = self.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": 1280, "height": min(height, 3600)})
        self.page.screenshot(path=str(target))

    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions (CSP violations among them)."""
        self.evaluate("0")  # events sent before now have arrived
        return list(self.events)

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
