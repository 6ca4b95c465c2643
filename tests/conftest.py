"""The suite judges pages from their markup (the static mode) unless a test asks for the
browser (``--render always``, ``ScanSettings(render=...)``): `appaudit scan`'s default,
``--render auto``, would otherwise make verdicts and speed depend on whether Chromium
happens to be installed. Subprocesses inherit the setting."""
import os

os.environ["APPAUDIT_RENDER"] = "never"
