"""The fleet aggregate's CSV and HTML renderings; both read only the ``fleet.json`` document.

Not a report writer of ``reports/``: those render one scan's report, this renders many.
The HTML keeps the HTML report's safety rules: self-contained (inline style and script,
nothing loaded), a Content-Security-Policy that allows only that style and script, and
every value from the captures escaped (Jinja2 autoescaping).
"""
from __future__ import annotations

import csv
import io
from importlib import resources
from typing import TextIO

import jinja2
from markupsafe import Markup

from appaudit.reports.html_report import csp_hash
from appaudit.scanner.model import Severity

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1d2129}
h1{margin-bottom:.2em}.meta,.hint{color:#5c6370}
table{border-collapse:collapse;margin:.5em 0 2em}
th,td{border:1px solid #d0d4da;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f4f7}.sortable th{cursor:pointer}.num{text-align:right}
.matrix td{text-align:center}.matrix td:first-child{text-align:left}.matrix th{font-weight:normal;font-size:12px;max-width:9em}
.summary{list-style:none;padding:0;display:flex;gap:1.5em;flex-wrap:wrap}
tr.failed td{background:#fde8e8}tr.incomplete td{background:#fff6db}
.before{color:#b3261e;font-weight:bold}.after{color:#1d2129}.unknown{color:#5c6370}.hit{background:#e8f0fe}
.sev.critical,.sev.high{color:#b3261e}.sev.medium{color:#a15c00}
"""

# Sorts a table by the column whose heading was clicked (numbers as numbers).
SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], column = th.cellIndex;
    var ascending = th.dataset.order !== "asc";
    th.dataset.order = ascending ? "asc" : "desc";
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
      var order = (x === "" || y === "" || isNaN(x) || isNaN(y)) ? x.localeCompare(y) : x - y;
      return ascending ? order : -order;
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""

_CELL_CLASS = {True: "before", False: "after", None: "unknown", "absent": ""}
_CELL_MARK = {True: "●", False: "○", None: "◌", "absent": ""}
CSV_COLUMNS = ["session", "session_status", "check", "status", "findings", "worst_severity"]


def write_csv(fleet: dict, out: TextIO) -> None:
    """One row per session × check, for spreadsheets."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in fleet["sessions"]:
        for check, outcome in session["checks"].items():
            writer.writerow([_cell(session["name"]), session["status"], check, outcome["status"],
                             outcome["findings"], outcome["severity"] or ""])


def _cell(text: str) -> str:
    # A folder name that a spreadsheet would run as a formula is kept as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_html(fleet: dict, out: TextIO) -> None:
    """Written as it is rendered: the page of a large fleet is never one string in memory."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(
        (resources.files("appaudit.scanner") / "data" / "fleet.html.jinja").read_text(encoding="utf-8"))
    csp = (f"default-src 'none'; style-src '{csp_hash(STYLE)}'; script-src '{csp_hash(SCRIPT)}'; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    received: dict[str, dict[str, list[str]]] = {}
    for party in fleet["third_parties"]:
        cells = received.setdefault(party["key"], {})
        for usage in party["sessions"]:
            for data_type in usage["data_types"]:
                cells.setdefault(data_type, []).append(usage["session"])
    template.stream(
        fleet=fleet, csp=csp, style=Markup(STYLE), script=Markup(SCRIPT),
        severities=[s.label for s in reversed(Severity)],
        sdk_cells={sdk["id"]: {s["session"]: s["before_consent"] for s in sdk["sessions"]} for sdk in fleet["sdks"]},
        cell_class=_CELL_CLASS, cell_mark=_CELL_MARK,
        received=received, parties=[party for party in fleet["third_parties"] if party["data_types"]],
        data_types=sorted({t for party in fleet["third_parties"] for t in party["data_types"]}),
    ).dump(out)


def render_html(fleet: dict) -> str:
    out = io.StringIO()
    write_html(fleet, out)
    return out.getvalue()
