"""Report writers, one module per format.

Each module declares ``FORMAT`` (the ``-f`` name), ``EXTENSION`` and
``render(report: dict, *, color: bool = False) -> str``; the report dict is the
contract's JSON document built by ``scanner.report_document.build_report`` (already masked), so
``appaudit report`` can re-render a saved JSON report without the captures.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def writers() -> dict[str, ModuleType]:
    """Every report writer, by format name."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "FORMAT") and hasattr(module, "render"):
            found[module.FORMAT] = module
    return dict(sorted(found.items()))
