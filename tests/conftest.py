"""The suite judges pages from their markup (the static mode) unless a test asks for the
browser (``--render always``, ``ScanSettings(render=...)``): `appaudit scan`'s default,
``--render auto``, would otherwise make verdicts and speed depend on whether Chromium
happens to be installed. Subprocesses inherit the setting.

A test module that renders in this process shares one browser, closed when the module
ends: the browser's client runs an event loop in the main thread while it is open, which
the next module's asyncio (the proxy tests) or own browser would trip over."""
import os

import pytest

from appaudit.scanner.render.judging import close_renderers

os.environ["APPAUDIT_RENDER"] = "never"


@pytest.fixture(autouse=True, scope="module")
def one_browser_per_module():
    yield
    close_renderers()
