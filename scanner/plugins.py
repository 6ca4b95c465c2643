"""Plug-ins through entry points: how checks (``appaudit.checks``) and report formats
(``appaudit.reports``) are found. appaudit registers its own packages the same way
another distribution registers a module or package of its own."""
from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points
from types import ModuleType


def plugin_modules(group: str) -> list[ModuleType]:
    """The modules registered under ``group``; an entry point naming a package stands
    for every module in it. Ordered by entry-point name, then module name."""
    modules = []
    for entry_point in sorted(entry_points(group=group), key=lambda e: e.name):
        target = entry_point.load()
        if hasattr(target, "__path__"):
            modules += [importlib.import_module(f"{target.__name__}.{info.name}")
                        for info in sorted(pkgutil.iter_modules(target.__path__), key=lambda i: i.name)]
        else:
            modules.append(target)
    return modules
