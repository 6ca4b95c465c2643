"""Reports never carry an unmasked personal value unless --reveal is given, in every
output format and on the terminal, and text taken from captures is escaped for it."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import (
    CARD_UNIONPAY,
    DEMO_APP_YAML,
    ID_CARD,
    IMEI,
    PHONE,
    api_har_entry,
    demo_app,
    demo_order_page,
    har,
    make_flow,
    run_cli,
    write_flows,
)

EMAIL = "zhang.san.test@163.com"


# The demo app's canaries: the test account's own values.
CANARY_PHONE = demo_app().canaries["phone"]


CANARY_NAME = demo_app().canaries["name"]


CANARY_ADDRESS = demo_app().canaries["address"]


SECRETS = {
    "phone": PHONE, "id_card": ID_CARD, "bank_card": CARD_UNIONPAY, "email": EMAIL, "imei": IMEI,
    "canary_phone": CANARY_PHONE, "canary_name": CANARY_NAME, "canary_address": CANARY_ADDRESS,
}


def _pii_flows():
    q_email = EMAIL.replace("@", "%40")
    return [
        # 0: cleartext sign-in with the account phone in the query and body (canary)
        make_flow("POST", f"http://passport.demoshop.com/api/login.do?mobile={CANARY_PHONE}&from=h5",
                  headers={"content-type": "application/x-www-form-urlencoded",
                           "User-Agent": "Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0.44"},
                  body=f"mobile={CANARY_PHONE}&password=Zs%40123456&captcha=8472",
                  response_json={"code": 0, "data": {"userId": 88231, "nickName": CANARY_NAME}}),
        # 1: address book sync over HTTPS with everything in the URL
        make_flow("GET", f"https://api.demoshop.com/v1/address/save?name={quote(CANARY_NAME)}&phone={PHONE}"
                         f"&email={q_email}&addr={quote(CANARY_ADDRESS)}&idcard={ID_CARD}",
                  response_json={"code": 0}),
        # 2: order detail response with unmasked ID and bank card numbers
        make_flow("GET", "https://api.demoshop.com/v1/order/detail?orderId=20251124100000123456",
                  response_json={"code": 0, "data": {"receiver": CANARY_NAME, "receiverPhone": CANARY_PHONE,
                                                     "receiverAddress": CANARY_ADDRESS,
                                                     "customsIdCard": ID_CARD, "payCard": CARD_UNIONPAY,
                                                     "email": EMAIL}}),
        # 3: an undeclared SDK gets the IMEI and phone in clear, headers carry the canary too
        make_flow("POST", "http://sdk.e.qq.com/appconfig/v1?imei=" + IMEI,
                  headers={"content-type": "application/json", "X-User-Phone": CANARY_PHONE,
                           "Cookie": f"uid={CANARY_PHONE}; imei={IMEI}"},
                  json={"imei": IMEI, "muid": hashlib.md5(IMEI.encode()).hexdigest(), "tel": PHONE,
                        "ext": base64.b64encode(json.dumps({"mobile": CANARY_PHONE}).encode()).decode()}),
        # 4: an HTML page inside the capture showing the data
        make_flow("GET", "http://m.demoshop.com/order/detail.html",
                  response_headers={"content-type": "text/html; charset=utf-8"},
                  response_body=demo_order_page(f"""
<div id="app" data-v-7ba5bd90=""><div class="order-card" data-v-7ba5bd90="">
<p class="receiver" data-v-7ba5bd90="">收货人：{CANARY_NAME} <span id="receiver-phone">{PHONE}</span></p>
<p class="addr" data-v-7ba5bd90="">{CANARY_ADDRESS}</p>
<p class="id" data-v-7ba5bd90="">身份证：<b id="id-no">{ID_CARD}</b></p>
<p class="card">银行卡：<span class="card-no">{CARD_UNIONPAY}</span></p>
<p class="mail">邮箱：{EMAIL}</p></div></div>""")),
    ]


@pytest.fixture(scope="module")
def pii_capture(tmp_path_factory):
    d = tmp_path_factory.mktemp("pii")
    write_flows(d / "session.mitm", _pii_flows())
    (d / "page.html").write_text(demo_order_page(
        f'<div class="modal fade show" id="addrModal" style="display:block" role="dialog">'
        f'<div class="modal-dialog"><div class="modal-content"><div class="modal-body">'
        f'<table class="table"><tr><td>手机</td><td id="m">{PHONE}</td></tr>'
        f'<tr><td>身份证</td><td id="i">{ID_CARD}</td></tr>'
        f'<tr><td>卡号</td><td>{CARD_UNIONPAY}</td></tr></table></div></div></div></div>'), encoding="utf-8")
    (d / "app.yaml").write_text(DEMO_APP_YAML, encoding="utf-8")
    return d


def _reports(d: Path, tmp_path: Path, reveal: bool):
    out = tmp_path / ("rev" if reveal else "masked")
    args = ["scan", d / "session.mitm", d / "page.html", "-a", d / "app.yaml", "-f", "json", "-f", "text",
            "-o", out, "--fail-on", "never"]
    if reveal:
        args.append("--reveal")
    rc, stdout, stderr = run_cli(args)
    assert rc == 0, stdout + stderr
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert "report.json" in texts, texts.keys()
    report = json.loads(texts["report.json"])
    # decoded JSON strings too, so \uXXXX escapes cannot hide a value
    texts["report.json(decoded)"] = json.dumps(report, ensure_ascii=False)
    # the terminal report printed without -o
    rc2, term, term_err = run_cli(["scan", d / "session.mitm", d / "page.html", "-a", d / "app.yaml",
                                  "--fail-on", "never", *(["--reveal"] if reveal else [])])
    texts["terminal"] = term + term_err
    return report, texts


ANSI_PAGE = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
             "<title>\x1b[2J\x1b[1;1H订单\x07详情</title></head><body>"
             "<div class=\"ad-mask\" style=\"position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999\">"
             "<a href=\"https://ad.evil-union.cn/landing\" class=\"ad-body\"><img src=\"/ad.jpg\" alt=\"广告\"></a>"
             "<a id=\"close\" href=\"https://ad.evil-union.cn/dl/app.apk\">\x1b[32m×\x1b[0m\x08关闭\r</a></div>"
             f"<p id=\"t\">电话\x1b]8;;http://x\x07{PHONE}\x1b]8;;\x07</p>"
             "</body></html>")


def test_reports_are_masked_by_default(pii_capture, tmp_path):
    report, texts = _reports(pii_capture, tmp_path, reveal=False)
    # the capture really produced findings for every kind of secret
    types = {f["evidence"].get("data_type") for f in report["findings"] if f.get("evidence")}
    assert {"phone", "id_card", "bank_card", "canary"} <= types, types
    leaks = []
    for out_name, text in texts.items():
        for label, value in SECRETS.items():
            forms = {value, value.replace("@", "%40"), quote(value), quote(value).lower()}
            for form in forms:
                if form in text:
                    i = text.index(form)
                    leaks.append(f"{out_name}: {label} {form!r} in …{text[max(0, i - 80):i + 40]!r}")
    assert not leaks, "\n".join(leaks)


def test_two_character_chinese_name_canary_is_masked(pii_capture, tmp_path):
    report, texts = _reports(pii_capture, tmp_path, reveal=False)
    names = [f for f in report["findings"] if f["evidence"].get("canary") == "name"]
    assert names, "the canary name was not found at all"
    for f in names:
        assert f["evidence"]["value"] != CANARY_NAME, f
        assert quote(CANARY_NAME) not in f["location"].get("url", ""), f["location"]


def test_inventory_finding_url_is_masked(pii_capture, tmp_path):
    report, texts = _reports(pii_capture, tmp_path, reveal=False)
    inventory = [f for f in report["findings"] if f["check"] == "DH010"]
    assert inventory, "no DH010 finding for sdk.e.qq.com"
    for f in inventory:
        assert IMEI not in json.dumps(f), f["location"]


def test_reveal_shows_the_values(pii_capture, tmp_path):
    report, texts = _reports(pii_capture, tmp_path, reveal=True)
    for out_name in ("report.json(decoded)", "terminal"):
        text = texts[out_name]
        missing = [label for label, value in SECRETS.items()
                   if label not in ("email", "canary_address") and value not in text]
        assert not missing, f"{out_name}: not shown with --reveal: {missing}"


def test_masked_url_and_snippets_keep_their_shape(pii_capture, tmp_path):
    """Masking hides the value but keeps the location usable: host and path stay readable."""
    report, texts = _reports(pii_capture, tmp_path, reveal=False)
    urls = [f["location"].get("url", "") for f in report["findings"] if f["location"].get("flow") == 1]
    assert urls, "no finding on the address-save flow"
    for u in urls:
        assert u.startswith("https://api.demoshop.com/v1/address/save"), u


def test_control_characters_never_reach_the_text_report(tmp_path):
    page = tmp_path / "ansi.html"
    page.write_text(ANSI_PAGE, encoding="utf-8")
    har_path = tmp_path / "ansi.har"
    entry = api_har_entry("http://api.demoshop.com/v1/user/bind?x=\x1b[31mred", "POST",
                          post=json.dumps({"mobile": PHONE, "nick": "\x1b[2J\x1b[H\x9b31m"}))
    entry["request"]["headers"].append({"name": "X-Note", "value": "\x1b[5m" + CANARY_PHONE})
    entry2 = api_har_entry("http://m.demoshop.com/activity", mime="text/html", response_text=ANSI_PAGE)
    har_path.write_text(json.dumps(har(creator="Charles Proxy", version="4.6.4", entries=[entry, entry2])), encoding="utf-8")
    app = tmp_path / "app.yaml"
    app.write_text(DEMO_APP_YAML, encoding="utf-8")
    for extra in ([], ["--reveal"]):
        rc, stdout, stderr = run_cli(["scan", page, har_path, "-a", app, "--base-url", "https://m.demoshop.com/",
                                      "--fail-on", "never", *extra])
        text = stdout + stderr
        assert "DH001" in text or "UI0" in text, text
        bad = re.findall(r".{0,30}[\x00-\x08\x0b-\x1f\x7f-\x9f].{0,30}", text)
        assert not bad, f"raw control characters in the text report{extra}: {bad[:5]!r}"
