"""Nested unwrap bombs: what all unwrap levels of one flow decode is bounded, and a flow
over that budget is an error of the scan, not a crash (issue 24)."""
import base64
import gzip
import json
import time

from appaudit.scanner.decoding import MAX_FLOW_UNWRAPPED, DecodingBudget, body_fields
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.output import EXIT_INCOMPLETE, exit_code
from appaudit.scanner.report_document import build_report
from tests.helpers import make_flow, settings_for


def packed(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, 9)).decode()


def unwrap_bomb(levels: int = 3, copies: int = 40) -> bytes:
    """base64(gzip(JSON list of base64(gzip(...)))): each level multiplies the one below."""
    inner = packed(json.dumps({"k": "a" * (4 * 2**20)}).encode())
    for _ in range(levels - 1):
        inner = packed(json.dumps([inner] * copies).encode())
    return json.dumps({"payload": inner}).encode()


def test_the_unwrap_bomb_is_small_and_bounded():
    body = unwrap_bomb()
    assert len(body) < 40_000
    budget = DecodingBudget()
    started = time.process_time()
    with budget.applied():
        fields = list(body_fields("request.body", body, "application/json"))
    assert time.process_time() - started < 20
    assert sum(len(f.value) for f in fields) < 2 * MAX_FLOW_UNWRAPPED + len(body)
    assert budget.exceeded == "nested payloads decode to more than 32 MiB"


def test_a_flow_over_the_budget_is_an_error_of_the_scan():
    scan = InputScan(settings_for(["DH001", "DH002"]), Input(path="bomb.mitm", kind="flows"))
    flow = make_flow("POST", "https://api.example.com/collect", body=unwrap_bomb(),
                     headers={"content-type": "application/json"})
    scan.flow(flow, 0)
    scan.finish()
    assert scan.input.problems == ["flow 0: not fully judged: nested payloads decode to more than 32 MiB"]


def test_fields_are_bounded_too():
    chunk = packed(json.dumps(list(range(19_000))).encode())
    body = json.dumps({"payload": [chunk] * 12}).encode()
    budget = DecodingBudget()
    with budget.applied():
        fields = list(body_fields("request.body", body, "application/json"))
    assert len(fields) <= 200_000 and budget.exceeded == "more than 200000 fields"


def test_ordinary_nesting_is_within_budget():
    body = json.dumps({"d": packed(json.dumps({"phone": "13800138000", "ids": [1, 2, 3]}).encode())}).encode()
    budget = DecodingBudget()
    with budget.applied():
        fields = list(body_fields("request.body", body, "application/json"))
    assert budget.exceeded is None
    assert [(f.path, f.value, f.encoding) for f in fields if f.key == "phone"] == \
        [("d.phone", "13800138000", ("base64", "json"))]


def test_over_budget_exits_incomplete():
    scan = InputScan(settings_for("DH001"), Input(path="bomb.mitm", kind="flows"))
    scan.flow(make_flow("POST", "https://api.example.com/c", body=unwrap_bomb(),
                        headers={"content-type": "application/json"}), 0)
    from appaudit.scanner.engine import ScanResult, InputResult
    result = ScanResult(profile=scan.settings.profile, app=None)
    result.add(InputResult(input=scan.input, findings=scan.finish(), outcomes=scan.outcomes()))
    assert exit_code(build_report(result), None) == EXIT_INCOMPLETE
