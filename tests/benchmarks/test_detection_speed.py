"""Detection and the traffic checks cost a bounded multiple of merely decoding the same
flows (issue 3): measured as a ratio in one run, never as wall-clock seconds."""
import base64
import gzip
import json
from urllib.parse import urlencode

import pytest

from appaudit.scanner.appfile import app_from_document
from appaudit.scanner.detectors import Detector
from appaudit.scanner.engine import InputScan, ScanSettings
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.loading import Input
from appaudit.scanner.profile_loader import Profile
from appaudit.scanner.yamlfile import load_yaml
from tests.helpers import T0, make_flow

pytestmark = pytest.mark.benchmark


def realistic_flows(count: int):
    """A mix like an app session: API JSON, analytics blobs, config, catalogue pages."""
    flows = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            flows.append(make_flow("POST", f"https://api.shop.example.com/v1/cart/{i}", json={
                "user": {"id": 100000 + i, "phone": "13912345678", "email": "li.lei@example.com"},
                "items": [{"sku": f"SKU{j:06d}", "price": "199.00", "qty": j} for j in range(20)],
                "trace_id": "5f0c7a3e-2b1d-4c9e-8f6a-0d1e2f3a4b5c", "ts": 1700000000123}, timestamp=T0 + i))
        elif kind == 1:
            payload = {"header": {"android_id": "9774d56d682e549c", "oaid": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                                  "mac": "3c:22:fb:12:34:56", "lat": 39.908722, "lng": 116.397499},
                       "events": [{"id": f"ev{j}", "ts": 1700000000000 + j, "page": "home"} for j in range(30)]}
            blob = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
            flows.append(make_flow("POST", "https://ulogs.umeng.com/unify_logs", body=urlencode({"data": blob}),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}, timestamp=T0 + i))
        elif kind == 2:
            flows.append(make_flow("GET", f"https://api.shop.example.com/v1/products?page={i}", response_json={
                "products": [{"id": 5000 + j, "title": f"商品 {j}", "price": 13800.0 + j, "desc": "好物推荐 " * 10,
                              "shop": {"lat": 31.2304, "lng": 121.4737}} for j in range(40)]}, timestamp=T0 + i))
        else:
            flows.append(make_flow("GET", f"http://cdn.shop.example.com/config.json?v={i}",
                                   response_json={"version": "10.2.13", "flags": {f"f{j}": j % 2 == 0 for j in range(50)}},
                                   timestamp=T0 + i))
    return flows


APP = app_from_document(load_yaml(
    "app.yaml", 'canaries:\n  phone: "13912345678"\n  name: "张三"\n  address: "北京市朝阳区建国路88号"\n'))


def decode_only(flows):
    for index, flow in enumerate(flows):
        view = FlowView(flow, index=index, input="bench")
        _ = view.request_fields, view.response_fields


def decode_and_detect(flows):
    detector = Detector(APP.canaries)
    for index, flow in enumerate(flows):
        _ = FlowView(flow, index=index, input="bench", detector=detector).personal_data


def full_traffic_scan(flows):
    traffic = tuple(c for c in Profile.default().enabled if c.startswith("DH"))
    session = InputScan(ScanSettings(profile=Profile(name="bench", enabled=traffic), app=APP), Input(path="bench", kind="flows"))
    for index, flow in enumerate(flows):
        session.flow(flow, index)
    session.finish()


def test_detection_costs_a_bounded_multiple_of_decoding(timer):
    flows = realistic_flows(200)
    baseline = timer(lambda: decode_only(flows))
    detection = timer(lambda: decode_and_detect(flows))
    checks = timer(lambda: full_traffic_scan(flows))
    print(f"\ndecode {baseline * 1000:.1f} ms, +detect {detection / baseline:.2f}x, all traffic checks {checks / baseline:.2f}x")
    assert detection / baseline < 6
    assert checks / baseline < 8
