#!/usr/bin/env python3
"""Write the example fleet: four app sessions cut from the demo session's capture.

    python examples/fleet/make_fleet.py [OUTPUT_FOLDER]     # default: examples/fleet/sessions

Each session is a folder: a mitmproxy flow file and, for some, an ``app.yaml``
(README.md beside this file says what each one shows).
"""
from __future__ import annotations

import sys
from pathlib import Path

from mitmproxy import io

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "demo-session"
# (session folder, flow indices of the demo session, app file or None)
SESSIONS = [
    ("demo-shop", range(44), (DEMO / "app.yaml").read_text(encoding="utf-8")),
    ("demo-shop-lite", range(14), (DEMO / "app.yaml").read_text(encoding="utf-8")),
    ("sdk-only", [2, 3, 4, 7, 8, 19, 23, 31, 40, 41], None),
    ("damaged", range(20), None),
]


def main(out: Path) -> None:
    with open(DEMO / "session.mitm", "rb") as f:
        flows = list(io.FlowReader(f).stream())
    for name, indices, app in SESSIONS:
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        capture = folder / "session.mitm"
        with open(capture, "wb") as f:
            writer = io.FlowWriter(f)
            for index in indices:
                writer.add(flows[index])
        if app:
            (folder / "app.yaml").write_text(app, encoding="utf-8")
        if name == "damaged":  # cut off in the middle of a flow, as a full disk leaves it
            capture.write_bytes(capture.read_bytes()[: capture.stat().st_size * 2 // 3])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "sessions")
