"""The checks: one module per check, each declaring itself (see ``scanner.check``).

Module names start with the check id in lower case (``dh001_…``, ``ui002_…``); the
registry imports every module here, so adding a check is adding a module."""
