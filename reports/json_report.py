"""The contract's JSON report (``-f json``): the document itself."""
from __future__ import annotations

import json

FORMAT = "json"
EXTENSION = ".json"


def render(report: dict, *, color: bool = False) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
