"""The bundled demo session: reproducible from its generator, and every check fires
where the session was designed to make it fire — and nowhere else (its README lists
both the findings and the deliberate negatives)."""
import importlib.util
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner
from mitmproxy.io import FlowReader

from appaudit.scanner.cli import main
from appaudit.scanner.flowview import FlowView

DEMO = Path(__file__).parents[1] / "examples" / "demo-session"

# (check, file) -> the flows (traffic: every occurrence) or the selectors (pages) it must
# fire at, exactly.
DESIGNED = {
    ("DH001", "session.mitm"): {16, 21},
    ("DH002", "session.mitm"): {14, 21},
    ("DH003", "session.mitm"): {26, 38},
    ("DH004", "session.mitm"): {16, 21},
    ("DH005", "session.mitm"): {15},
    ("DH006", "session.mitm"): {17},
    ("DH007", "session.mitm"): {4, 24, 31},
    ("DH008", "session.mitm"): {23},
    ("DH009", "session.mitm"): {2, 3, 4},
    ("DH010", "session.mitm"): {2, 3, 4, 8, 19, 23, 24, 31, 40, 41},
    ("UI001", "session.mitm"): {26},
    ("UI002", "session.mitm"): {26},
    ("UI001", "splash.xml"): {"hierarchy > node > node > node > node > node:nth-of-type(1)"},
    ("UI002", "splash.xml"): {"hierarchy > node > node > node > node > node:nth-of-type(1) > node:nth-of-type(4)"},
    ("UI003", "splash.xml"): {"hierarchy > node > node > node > node > node:nth-of-type(1)"},
    ("UI003", "coupon-interstitial.html"): {"#popup-close", "#countdown"},
    ("UI004", "guide-auto-redirect.html"): {"html > body > script"},
    ("UI005", "shake-ad.html"): {"html > body > script"},
    ("UI006", "privacy-consent.html"): {"#marketing-consent", "#main > section > p:nth-of-type(2)"},
    ("UI007", "personalisation-prompt.html"): {"#main"},
    ("UI008", "link-blocked.html"): {"#main > p:nth-of-type(3)"},
    ("UI009", "tuan-home.html"): {"html > body"},
    ("UI009", "counterfeit-store.html"): {"html > body"},
    ("UI010", "counterfeit-store.html"): {"html > head > title"},
    ("UI011", "order-detail.html"): {"#receiver-phone", "#customs-id-card"},
}


def scan(*paths) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "r.json"
        result = CliRunner().invoke(main, ["scan", *map(str, paths), "-a", str(DEMO / "app.yaml"), "-f", "json", "-o", str(out)])
        assert result.exit_code == 1, result.output
        return json.loads(out.read_text(encoding="utf-8"))


def where(report: dict) -> dict:
    found = defaultdict(set)
    for finding in report["findings"]:
        location = finding["location"]
        places = finding["occurrences"]["flows"] if "occurrences" in finding else [location["selector"]]
        found[(finding["check"], Path(location["input"]).name)].update(places)
    return dict(found)


def repeated(report: dict) -> dict:
    """(check, field or SDK) -> the flows of each finding that happened more than once."""
    return {(f["check"], f["location"].get("field") or f["evidence"].get("sdk")): f["occurrences"]["flows"]
            for f in report["findings"] if f.get("occurrences", {}).get("count", 1) > 1}


def test_every_check_fires_exactly_where_the_session_was_designed_to():
    report = scan(DEMO / "session.mitm", DEMO / "pages", DEMO / "ui")
    assert report["errors"] == []
    assert where(report) == DESIGNED
    assert {check for check, _ in DESIGNED} == {f"DH{n:03d}" for n in range(1, 11)} | {f"UI{n:03d}" for n in range(1, 12)}


def test_a_repeated_behaviour_is_one_finding_at_its_first_flow():
    """Pangle gets the Android ID and OAID in its settings request (flow 4) and again in
    its ad request (flow 24): one finding each, located at flow 4, with both flows."""
    report = scan(DEMO / "session.mitm")
    assert repeated(report) == {("DH007", "device.android_id"): [4, 24], ("DH007", "device.oaid"): [4, 24],
                                # The SDK inventory lists every flow to each SDK.
                                ("DH010", "Umeng+ U-App Analytics (友盟+统计)"): [2, 8, 23, 40],
                                ("DH010", "JPush (极光推送)"): [3, 19], ("DH010", "Pangle (穿山甲)"): [4, 24]}
    pangle = [f for f in report["findings"] if f["check"] == "DH007" and f["location"]["field"] == "device.oaid"]
    assert len(pangle) == 1 and pangle[0]["location"]["flow"] == 4
    assert pangle[0]["occurrences"]["count"] == 2
    assert pangle[0]["occurrences"]["first"] < pangle[0]["occurrences"]["last"]
    assert repeated(scan(DEMO / "session.har")) == repeated(report)


def test_the_har_copy_finds_the_same_except_what_har_cannot_record():
    har = {key: places for key, places in where(scan(DEMO / "session.har")).items()}
    mitm = {(check, "session.har"): places for (check, name), places in DESIGNED.items() if name == "session.mitm"}
    mitm[("DH003", "session.har")] = {26}  # HAR keeps no TLS versions: the TLSv1 server (flow 38) is invisible
    assert har == mitm


def test_the_inventory_lists_the_sdks_and_consent():
    report = scan(DEMO / "session.mitm")
    parties = {p["party"]: p for p in report["third_parties"]}
    pangle = next(p for p in parties.values() if p["sdk"] and p["sdk"]["id"] == "pangle")
    assert pangle["declared"] is False and pangle["before_consent"] is True
    assert {"android_id", "advertising_id"} <= set(pangle["data_types"])
    umeng = parties["Umeng"]
    assert umeng["declared"] is True and umeng["flows"] == 4 and "location" in umeng["data_types"]
    assert report["first_party"][0]["basis"] == "app file"


def load_generator():
    spec = importlib.util.spec_from_file_location("make_demo", DEMO / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def flow_facts(path: Path) -> list[tuple]:
    """What each flow says, decoded through every layer: compressed bytes (also inside a
    base64 form field) differ between zlib builds, what they decode to does not."""
    with open(path, "rb") as f:
        views = [FlowView(flow, index=i, input="") for i, flow in enumerate(FlowReader(f).stream())]
    facts = []
    for view in views:
        fields = view.request_fields + view.response_fields
        wrappers = {f.path for f in fields for g in fields if g.path.startswith(f.path + ".") and f.path}
        wrappers.add("content-length")
        facts.append((view.method, view.url, view.response and view.flow.response.status_code,
                      [(f.part, f.path, f.value) for f in fields if f.path not in wrappers]))
    return facts


def test_the_committed_files_are_what_the_generator_writes(tmp_path):
    load_generator().write_demo(tmp_path)
    for path in sorted(DEMO.rglob("*")):
        if path.is_dir() or path.name in ("make_demo.py", "README.md"):
            continue
        fresh = tmp_path / path.relative_to(DEMO)
        assert fresh.is_file(), f"the generator no longer writes {path.name}"
        if path.suffix in (".mitm", ".har"):
            # Byte equality holds only for the same mitmproxy and zlib: compare what they say.
            assert flow_facts(fresh) == flow_facts(path), path.name
        else:
            assert fresh.read_bytes() == path.read_bytes(), path.name


def test_the_terminal_report_shows_the_inventory_compactly():
    result = CliRunner().invoke(main, ["scan", str(DEMO / "session.mitm"), "-a", str(DEMO / "app.yaml")])
    inventory = result.output.split("Third parties\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(inventory) == 5
    pangle = next(line for line in inventory if "Pangle" in line)
    assert "advertising SDK, NOT declared, contacted before consent" in pangle and "2 flows" in pangle
