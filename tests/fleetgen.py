"""A generated fleet of app sessions for the fleet tests and benchmark: small mitmproxy
flow files built with ``make_flow``, varied apps (with and without an app file, declared
and undeclared SDKs, a consent moment or none), a saved page in some sessions, one
session that cannot be read and one that is read in part."""
from __future__ import annotations

from pathlib import Path

from mitmproxy import io

from tests.helpers import T0, make_flow

# (catalogue id, endpoint) of SDKs the catalogue knows.
SDKS = [
    ("umeng-analytics", "https://ulogs.umeng.com/unify_logs"),
    ("jpush", "https://stats.jpush.cn/v3/report"),
    ("pangle", "https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/settings/"),
    ("talkingdata", "https://tdcv3.talkingdata.net/g/d"),
    ("sensorsdata", "https://sdk.sensorsdata.cn/sa"),
]
ANDROID_ID = "a3f5c2e81b7d4096"
OAID = "5c2f8e1a-7b3d-4c6e-9f01-2a4b6c8d0e13"
PHONE = "13912345678"
PRESELECTED_PAGE = """<!DOCTYPE html><html lang="zh"><head><title>隐私设置</title>
<link rel="canonical" href="https://m.app{n}.com/privacy"></head><body>
<div class="consent"><label><input type="checkbox" id="marketing" checked> 同意接收个性化推荐和营销信息</label>
<button id="agree">同意</button><button id="disagree">不同意</button></div>
<p>京ICP备12345678号-1</p></body></html>
"""


def session_flows(n: int, repeat: int = 1) -> list:
    """App n's session: its own API, its SDKs (some before consent), the consent request,
    and the login; ``repeat`` multiplies the ordinary traffic (for heavier sessions)."""
    own = f"app{n}.com"
    sdks = [SDKS[(n + k) % len(SDKS)] for k in range(1 + n % 3)]
    flows, t = [], T0 + n
    before = n % 2 == 0  # even apps start their SDKs before the consent request

    def add(*args, **kwargs):
        nonlocal t
        t += 1
        flows.append(make_flow(*args, timestamp=t, **kwargs))

    add("GET", f"https://api.{own}/v1/config", response_json={"version": n})
    if before:
        for _, url in sdks:
            add("POST", url, json={"android_id": ANDROID_ID, "oaid": OAID})
    add("POST", f"https://api.{own}/v1/privacy/consent", json={"agree": True})
    for _, url in sdks:
        payload = {"android_id": ANDROID_ID}
        if n % 4 == 1:
            payload["lat"], payload["lng"] = 39.909214, 116.461873
        add("POST", url, json=payload)
    for k in range(repeat):
        items = [{"id": i, "title": f"item {i}"} for i in range(20)]
        add("GET", f"https://api.{own}/v1/feed?page={k}", response_json={"items": items})
        add("POST", f"https://api.{own}/v1/track", json={"event": "view", "item": k})
    if n % 5 == 0:  # the legacy login over http
        add("POST", f"http://legacy.{own}/login.do", body=f"mobile={PHONE}&password=secret123",
            headers={"content-type": "application/x-www-form-urlencoded"})
    return flows


def app_file(n: int) -> str:
    declared = SDKS[n % len(SDKS)]
    domain = declared[1].split("/")[2].split(".", 1)[1]
    return (f"name: App {n}\nfirst_party: [app{n}.com]\n"
            f"third_parties:\n  - name: Partner {n}\n    domains: [{domain}]\n    data: [android_id]\n    purpose: analytics\n"
            f"consent:\n  url: \"https://api.app{n}.com/v1/privacy/consent*\"\n"
            f"canaries:\n  phone: \"{PHONE}\"\n")


def write_session(folder: Path, n: int, repeat: int = 1) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "session.mitm", "wb") as f:
        writer = io.FlowWriter(f)
        for flow in session_flows(n, repeat):
            writer.add(flow)
    if n % 3 != 0:  # every third app comes without an app file
        (folder / "app.yaml").write_text(app_file(n), encoding="utf-8")
    if n % 4 == 2:
        (folder / "privacy.html").write_text(PRESELECTED_PAGE.format(n=n), encoding="utf-8")


def make_fleet(root: Path, count: int, *, repeat: int = 1, broken: bool = True) -> Path:
    """``count`` readable sessions, plus (``broken``) one unreadable session and one whose
    second capture is damaged."""
    for n in range(count):
        write_session(root / f"app-{n:03d}", n, repeat)
    if broken:
        (root / "zz-unreadable").mkdir(parents=True, exist_ok=True)
        (root / "zz-unreadable" / "session.mitm").write_bytes(b"this is not a flow file\n" * 10)
        write_session(root / "zz-partly-damaged", 1, repeat)
        (root / "zz-partly-damaged" / "second.har").write_text('{"log": {"entries": [', encoding="utf-8")
    return root
