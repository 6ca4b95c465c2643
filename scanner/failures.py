"""One line describing an error that was caught so the scan could go on: what it was
and where it was raised (file and line), for the report's errors."""
from __future__ import annotations

import traceback


def describe(error: BaseException) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" ({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})" if frame else ""
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}{where}"
