"""Captures the report writers' tests scan: a HAR builder, a hostile capture (markup,
script and ``javascript:`` URLs wherever a capture can carry text) and a capture full of
personal values and canaries (URLs, headers, cookies, bodies, field names, page text)."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from appaudit.scanner.cli import main

# What an injected script would set: the browser test looks for it.
MARKER = "__appaudit_pwned"
INJECTED = f"window.{MARKER}=1"
HOSTILE_TEXTS = [
    f"<script>{INJECTED}</script>",
    f'"><img src=x onerror="{INJECTED}">',
    f"'><svg onload={INJECTED}>",
    f"javascript:{INJECTED}",
    "</style><style>body{display:none}</style>",
    "</textarea></title></script>`|**[x](javascript:alert(1))**|![i](https://tracker.example/p.png)",
    "\x01\x1b[31m\u202e\ufffe",
]

PHONE = "13912345678"
ID_CARD = "11010519491231002X"
BANK_CARD = "6222020200112345679"
EMAIL = "zhang.san@163.com"
CANARIES = {"phone": PHONE, "name": "张三丰", "address": "北京市朝阳区建国路88号", "token": "CANARY-7f3a9c2e5b8d"}


def entry(second: int, method: str, url: str, *, headers=(), body: str | None = None, mime="application/json",
          status=200, response_headers=(), response_body="{}", response_mime="application/json") -> dict:
    """One HAR 1.2 entry, at 2026-11-22T02:00:<second>Z."""
    record = {
        "startedDateTime": f"2026-11-22T02:00:{second:02d}.000Z", "time": 50,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
                    "headers": [{"name": k, "value": v} for k, v in headers], "queryString": [],
                    "headersSize": -1, "bodySize": len(body or "")},
        "response": {"status": status, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                     "headers": [{"name": k, "value": v} for k, v in response_headers],
                     "content": {"size": len(response_body), "mimeType": response_mime, "text": response_body},
                     "redirectURL": "", "headersSize": -1, "bodySize": len(response_body)},
        "cache": {}, "timings": {"send": 10, "wait": 30, "receive": 10},
    }
    if body is not None:
        record["request"]["postData"] = {"mimeType": mime, "text": body}
        record["request"]["headers"].append({"name": "Content-Type", "value": mime})
    return record


def write_har(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "appaudit tests", "version": "1"},
                                        "entries": entries}}, ensure_ascii=False), encoding="utf-8")
    return path


def hostile_capture(folder: Path) -> list[Path]:
    """A HAR and a page whose every text slot holds markup or script: URLs, field names,
    the file names themselves, a consent label and page text."""
    folder.mkdir(parents=True, exist_ok=True)
    evil_name = 'x"><img src=x onerror="window.__appaudit_pwned=1">'
    body = {text: PHONE for text in HOSTILE_TEXTS}
    entries = [
        entry(1, "POST", "http://api.shop.example/login?next=javascript:window.__appaudit_pwned=1&x=<script>",
              body=json.dumps({"user": body, "mobile": PHONE}, ensure_ascii=False)),
        entry(2, "GET", f"https://api.shop.example/p?mobile={PHONE}&q=%3Cscript%3E{INJECTED}%3C/script%3E"),
        entry(3, "POST", "https://ulogs.umeng.com/unify_logs",
              body=json.dumps({"header": {"android_id": "a3f5c2e81b7d4096", HOSTILE_TEXTS[1]: "a3f5c2e81b7d4096"}})),
    ]
    har = write_har(folder / f"{evil_name}.har", entries)
    label = " ".join(HOSTILE_TEXTS[:5]).replace("<", "&lt;")
    page = folder / f"{evil_name}.html"
    page.write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Consent</title></head><body><main id=main>"
        f"<form><label><input type=checkbox name=marketing checked> Send me personalised marketing offers {label}"
        "</label><button>Agree</button></form>"
        f"<p id=phone>Receiver phone: {PHONE}</p></main></body></html>", encoding="utf-8")
    return [har, page]


def personal_capture(folder: Path) -> tuple[list[Path], Path]:
    """A HAR and a page full of personal values and the app file's canaries."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [
        entry(1, "GET", f"http://api.shop.example/v1/user?mobile={PHONE}&email={EMAIL}&token={CANARIES['token']}",
              headers=[("X-Phone", PHONE), ("Cookie", f"uid={ID_CARD}; token={CANARIES['token']}")]),
        entry(2, "POST", "https://api.shop.example/v1/order",
              body=json.dumps({"receiver": CANARIES["name"], "address": CANARIES["address"], "phone": PHONE,
                               PHONE: "as a field name", "card": BANK_CARD, "id_card": ID_CARD}, ensure_ascii=False),
              response_body=json.dumps({"id_card": ID_CARD, "bank_card": BANK_CARD, "email": EMAIL})),
        entry(3, "POST", "https://ulogs.umeng.com/unify_logs",
              body=json.dumps({"header": {"android_id": "a3f5c2e81b7d4096", "phone": PHONE, "email": EMAIL}})),
        entry(4, "POST", "https://api.shop.example/v1/auth", body=json.dumps({"mobile": PHONE}),
              response_headers=[("Set-Cookie", f"SESSIONID={CANARIES['token']}; Path=/")]),
    ]
    har = write_har(folder / "personal.har", entries)
    page = folder / "order.html"
    page.write_text(
        "<!doctype html><html lang=zh><head><meta charset=utf-8><title>订单详情</title></head><body><main>"
        f"<p id=receiver>收货人：{CANARIES['name']} 电话：<span id=receiver-phone>{PHONE}</span></p>"
        f"<p id=customs-id-card>身份证号：{ID_CARD}</p><p id=card>银行卡：{BANK_CARD}</p>"
        f"<p>地址：{CANARIES['address']}</p></main></body></html>", encoding="utf-8")
    app = folder / "app.yaml"
    app.write_text("name: Shop\nfirst_party: [shop.example]\nthird_parties: []\n"
                   "consent:\n  url: \"https://api.shop.example/v1/privacy/consent*\"\ncanaries:\n"
                   + "".join(f"  {k}: \"{v}\"\n" for k, v in CANARIES.items()), encoding="utf-8")
    return [har, page], app


def scan_to(folder: Path, inputs: list[Path], *options: str, formats=("json", "sarif", "junit", "md", "html")):
    """Scan into ``folder`` (report.<ext> per format); the CLI result."""
    arguments = ["scan", *map(str, inputs), *options, "--fail-on", "never", "-o", str(folder)]
    for fmt in formats:
        arguments += ["-f", fmt]
    folder.mkdir(parents=True, exist_ok=True)
    return CliRunner().invoke(main, arguments, catch_exceptions=False)
