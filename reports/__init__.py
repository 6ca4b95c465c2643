"""Report writers, one module per format; other packages add formats through the
``appaudit.reports`` entry-point group (a module with the same three names).

Each module declares ``FORMAT`` (the ``-f`` name), ``EXTENSION`` and
``render(report: dict, *, color: bool = False) -> str``; the report dict is the
contract's JSON document built by ``scanner.report_document.build_report`` (already masked), so
``appaudit report`` can re-render a saved JSON report without the captures.
"""
from __future__ import annotations

import functools
from types import ModuleType

from appaudit.scanner.plugins import plugin_modules

ENTRY_POINT_GROUP = "appaudit.reports"


@functools.cache
def writers() -> dict[str, ModuleType]:
    """Every report writer, by format name: the modules registered under the
    ``appaudit.reports`` entry-point group (this package among them, for its modules)."""
    found = {}
    for module in plugin_modules(ENTRY_POINT_GROUP):
        if hasattr(module, "FORMAT") and hasattr(module, "render"):
            found.setdefault(module.FORMAT, module)
    return dict(sorted(found.items()))
