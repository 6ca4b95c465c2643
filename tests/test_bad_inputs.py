"""Damaged, hostile and oversized inputs (truncated and garbled flow files, HAR with wrong
types, bombs, pathological pages and dumps, unreadable files, hostile names), through the
command line: one clear line naming the file and the problem, the other inputs still
scanned, nothing lost, time and memory bounded, no traceback."""
from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import (
    ID_CARD,
    PHONE,
    api_har_entry,
    demo_order_page,
    good_har,
    har,
    make_flow,
    run_cli,
    scan_json,
    write_flows,
)

# Damaged and hostile inputs are written inline as data.
# ruff: noqa: E501

APPAUDIT = str(Path(sys.executable).with_name("appaudit"))


def run_proc(args: list[str], timeout: float, cwd: str | None = None):
    """Run the installed ``appaudit`` script; returns (rc, stdout, stderr, seconds, max_rss_kb)."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:])\n"
        "sys.stderr.write('\\n@@maxrss=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(p.returncode)\n"
    )
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, APPAUDIT, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd, start_new_session=True)
    try:
        out, err_bytes = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"appaudit scan did not finish within {timeout}s: {[Path(str(a)).name for a in args]}")
    elapsed = time.monotonic() - start
    p = subprocess.CompletedProcess(proc.args, proc.returncode, out, err_bytes)
    err = p.stderr.decode("utf-8", "replace")
    m = re.search(r"\n@@maxrss=(\d+)\n", err)
    rss = int(m.group(1)) if m else 0
    err = err[: m.start()] if m else err
    return p.returncode, p.stdout.decode("utf-8", "replace"), err, elapsed, rss


def assert_clean_errors(report: dict, *bad_files: Path):
    """Every error is one line naming its file; each bad file shows up in errors or inputs."""
    for error in report["errors"]:
        assert "\n" not in error["message"] and "\r" not in error["message"], error
        assert error["message"].strip(), error
        assert error.get("input"), error
    for bad in bad_files:
        named_in_errors = [e for e in report["errors"] if Path(e["input"]).name == bad.name]
        named_in_inputs = [i for i in report["inputs"] if Path(i["path"]).name == bad.name]
        assert named_in_errors or named_in_inputs, f"{bad.name} was silently dropped: {report['errors']}"


def error_for(report: dict, path: Path) -> dict | None:
    for e in report["errors"]:
        if Path(e["input"]).name == path.name:
            return e
    return None


def findings_in(report: dict, path: Path) -> list[dict]:
    return [f for f in report["findings"] if Path(f["location"]["input"]).name == path.name]


def cleartext_phone_flow(phone: str = PHONE, ts: float = 1_764_000_000.0):
    return make_flow("POST", "http://api.demoshop.com/v1/user/profile", json={"mobile": phone, "nickname": "小明"},
                     response_json={"code": 0, "msg": "ok"}, timestamp=ts)


def has_dh001(report: dict, path: Path) -> bool:
    return any(f["check"] == "DH001" for f in findings_in(report, path))


@pytest.fixture(scope="module")
def three_flows(tmp_path_factory) -> tuple[Path, list[int]]:
    d = tmp_path_factory.mktemp("flows")
    path = d / "session.mitm"
    flows = [
        cleartext_phone_flow(),
        make_flow("GET", "https://api.demoshop.com/v1/home/feed?page=1",
                  response_json={"items": [{"id": 1001, "title": "双十一爆款", "price": "59.90"}] * 20},
                  timestamp=1_764_000_001.0),
        make_flow("POST", "http://log.demoshop.com/collect", json={"event": "view", "ts": 1764000002},
                  timestamp=1_764_000_002.0),
    ]
    ends = write_flows(path, flows)
    return path, ends


def _mutate(fn):
    doc = har(creator="Charles Proxy", version="4.6.4", entries=[api_har_entry("http://api.demoshop.com/v1/ping", "POST", post='{"a":1}')])
    fn(doc)
    return doc


HAR_VARIANTS = {
    "entries-a-dict": lambda d: d["log"].__setitem__("entries", {"0": d["log"]["entries"][0]}),
    "entries-null": lambda d: d["log"].__setitem__("entries", None),
    "log-a-list": lambda d: d.__setitem__("log", [1, 2]),
    "log-missing": lambda d: d.pop("log"),
    "entry-a-string": lambda d: d["log"].__setitem__("entries", ["GET http://a.example/"]),
    "entry-null": lambda d: d["log"]["entries"].append(None),
    "headers-a-string": lambda d: d["log"]["entries"][0]["request"].__setitem__("headers", "Host: a"),
    "header-value-number": lambda d: d["log"]["entries"][0]["request"]["headers"].append({"name": "X-A", "value": 12}),
    "header-missing-name": lambda d: d["log"]["entries"][0]["response"]["headers"].append({"value": "x"}),
    "status-a-string": lambda d: d["log"]["entries"][0]["response"].__setitem__("status", "200 OK"),
    "status-null": lambda d: d["log"]["entries"][0]["response"].__setitem__("status", None),
    "response-missing": lambda d: d["log"]["entries"][0].pop("response"),
    "request-a-list": lambda d: d["log"]["entries"][0].__setitem__("request", []),
    "url-a-number": lambda d: d["log"]["entries"][0]["request"].__setitem__("url", 42),
    "url-not-a-url": lambda d: d["log"]["entries"][0]["request"].__setitem__("url", "::::/%%%"),
    "method-missing": lambda d: d["log"]["entries"][0]["request"].pop("method"),
    "content-text-a-number": lambda d: d["log"]["entries"][0]["response"]["content"].__setitem__("text", 12345),
    "content-a-string": lambda d: d["log"]["entries"][0]["response"].__setitem__("content", "hello"),
    "bad-base64": lambda d: d["log"]["entries"][0]["response"]["content"].update(
        {"text": "%%%not base64!!!", "encoding": "base64"}),
    "gzip-on-text": lambda d: d["log"]["entries"][0]["response"]["content"].update({"encoding": "gzip"}),
    "content-encoding-gzip-header-plain-body": lambda d: d["log"]["entries"][0]["response"]["headers"].append(
        {"name": "Content-Encoding", "value": "gzip"}),
    "postdata-text-a-dict": lambda d: d["log"]["entries"][0]["request"]["postData"].__setitem__("text", {"a": 1}),
    "postdata-params-a-string": lambda d: d["log"]["entries"][0]["request"]["postData"].__setitem__("params", "a=1"),
    "querystring-a-string": lambda d: d["log"]["entries"][0]["request"].__setitem__("queryString", "a=1"),
    "cookies-a-dict": lambda d: d["log"]["entries"][0]["request"].__setitem__("cookies", {"sid": "x"}),
    "started-garbage": lambda d: d["log"]["entries"][0].__setitem__("startedDateTime", "yesterday-ish"),
    "started-number": lambda d: d["log"]["entries"][0].__setitem__("startedDateTime", 1764000000),
    "timings-a-string": lambda d: d["log"]["entries"][0].__setitem__("timings", "fast"),
    "http-version-garbage": lambda d: d["log"]["entries"][0]["request"].__setitem__("httpVersion", "HTTP/9\x00"),
}


def _gzip_bomb(total: int) -> bytes:
    member = gzip.compress(b"\0" * (16 << 20), compresslevel=6)
    return member * (total // (16 << 20))


def _zstd_bomb(total: int) -> bytes:
    # The streaming compressor of whichever zstd library mitmproxy brought along.
    from appaudit.scanner.decoding import zstd
    if zstd is not None:
        c = zstd.ZstdCompressor(level=3)
    else:
        import zstandard
        c = zstandard.ZstdCompressor(level=3).compressobj()
    chunk = b"\0" * (16 << 20)
    return b"".join([c.compress(chunk) for _ in range(total // len(chunk))] + [c.flush()])


def _brotli_bomb(total: int) -> bytes:
    import brotli
    return brotli.compress(b"\0" * total, quality=5)


ID_PAGE_BODY = f"""<div class="container"><div class="card"><div class="card-body">
<h5 class="card-title">收货信息</h5>
<p class="card-text" id="idno">身份证号：{ID_CARD}</p></div></div></div>"""


HANG_PAGES = {
    "nested-divs": lambda: demo_order_page(f"<p id=\"tel\">联系电话 {PHONE}</p>" + "<div>" * 100_000 + "深" + "</div>" * 100_000),
    "unterminated-long-word": lambda: demo_order_page("<script>setTimeout(function(){ location.href = '" + "a" * 200_000
                                                      + "</script>"),
    "nested-calls-in-handler": lambda: demo_order_page("<div onload=\"" + "window.open(" * 10_000 + "\">x</div>"),
}


NODE = ('<node index="{i}" text="{text}" resource-id="{rid}" class="android.widget.TextView" '
        'package="com.demoshop.app" content-desc="" checkable="false" checked="false" clickable="false" '
        'enabled="true" focusable="false" focused="false" scrollable="false" long-clickable="false" '
        'password="false" selected="false" bounds="{bounds}" />')


def _dump(nodes: str, prolog: str = "") -> str:
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>" + prolog
            + '<hierarchy rotation="0"><node index="0" text="" resource-id="" class="android.widget.FrameLayout" '
              'package="com.demoshop.app" content-desc="" checkable="false" checked="false" clickable="false" '
              'enabled="true" focusable="false" focused="false" scrollable="false" long-clickable="false" '
              'password="false" selected="false" bounds="[0,0][1080,2340]">' + nodes + "</node></hierarchy>")


HOSTILE_NAMES = ["evil\nname.har", "ansi\x1b[31mred\x1b[0m.har", "bell\x07\rcr.har", "双十一\u202eexe.har"]


def test_truncated_flow_file_keeps_flows_before_the_damage(three_flows, tmp_path):
    src, ends = three_flows
    data = src.read_bytes()
    first_end = ends[0]
    # Cuts strictly after the first flow and not on a flow boundary.
    offsets = sorted({first_end + 1, first_end + 7, (first_end + ends[1]) // 2, ends[1] - 1,
                      ends[1] + 3, (ends[1] + ends[2]) // 2, len(data) - 1})
    offsets = [o for o in offsets if o not in ends]
    for off in offsets:
        cut = tmp_path / f"cut-{off}.mitm"
        cut.write_bytes(data[:off])
        rc, report, out = scan_json(tmp_path, [cut])
        assert report is not None, out
        assert rc == 3, (off, rc, out)
        assert has_dh001(report, cut), f"cut at {off}: the complete first flow was lost"
        assert_clean_errors(report, cut)


def test_truncated_flow_file_is_reported_as_damaged(three_flows, tmp_path):
    """A file cut mid-flow is a bad input: the user is told, not only given fewer flows."""
    src, ends = three_flows
    data = src.read_bytes()
    cut = tmp_path / "cut-mid.mitm"
    cut.write_bytes(data[: (ends[1] + ends[2]) // 2])
    rc, report, out = scan_json(tmp_path, [cut])
    assert has_dh001(report, cut)
    err = error_for(report, cut)
    assert err is not None, f"truncation not reported: {report['errors']}"
    assert "\n" not in err["message"]


def test_flow_file_cut_inside_first_flow_is_an_error_and_others_still_scanned(three_flows, tmp_path):
    src, ends = three_flows
    data = src.read_bytes()
    good = good_har(tmp_path / "good.har")
    for off in (1, 5, 40, ends[0] // 2, ends[0] - 1):
        cut = tmp_path / f"head-{off}.mitm"
        cut.write_bytes(data[:off])
        rc, report, out = scan_json(tmp_path, [cut, good])
        assert report is not None, out
        assert rc == 3, (off, out)
        assert has_dh001(report, good), f"cut at {off}: good.har not scanned"
        assert_clean_errors(report, cut)


def test_garbled_flow_file_keeps_first_flow(three_flows, tmp_path):
    src, ends = three_flows
    data = bytearray(src.read_bytes())
    start = ends[0] + 10
    for i in range(start, min(start + 64, len(data))):
        data[i] = (data[i] * 31 + 7) & 0xFF
    bad = tmp_path / "garbled.mitm"
    bad.write_bytes(bytes(data))
    rc, report, out = scan_json(tmp_path, [bad])
    assert report is not None, out
    assert has_dh001(report, bad)
    assert_clean_errors(report, bad)


@pytest.mark.parametrize("variant", sorted(HAR_VARIANTS))
def test_har_with_wrong_types(variant, tmp_path):
    bad = tmp_path / f"{variant}.har"
    bad.write_text(json.dumps(_mutate(HAR_VARIANTS[variant])), encoding="utf-8")
    good = good_har(tmp_path / "good.har")
    rc, report, out = scan_json(tmp_path, [bad, good])
    assert report is not None, out
    assert rc == (3 if report["errors"] else 1), out
    assert has_dh001(report, good), "the good HAR was not scanned"
    assert_clean_errors(report, bad)


@pytest.mark.parametrize("text", ["", "   \n", "null", "42", '"log"', "[]", "{}", '{"log": {}}',
                                  "\ufeff{\"log\":", "{" * 5000])
def test_har_shaped_junk(text, tmp_path):
    bad = tmp_path / "junk.har"
    bad.write_text(text, encoding="utf-8")
    good = good_har(tmp_path / "good.har")
    rc, report, out = scan_json(tmp_path, [bad, good])
    assert report is not None, out
    assert rc == 3
    assert has_dh001(report, good)
    assert_clean_errors(report, bad)


def test_har_one_broken_entry_does_not_lose_the_others(tmp_path):
    """Nothing is lost: a HAR with one malformed entry still has its good entries scanned."""
    broken = api_har_entry("http://api.demoshop.com/v1/ping")
    broken["request"]["headers"] = "Host: api.demoshop.com"
    broken["response"]["status"] = "oops"
    good = api_har_entry("http://api.demoshop.com/v1/user/bind", "POST", post=json.dumps({"mobile": PHONE}))
    path = tmp_path / "mixed.har"
    path.write_text(json.dumps(har(creator="Charles Proxy", version="4.6.4", entries=[broken, good])), encoding="utf-8")
    rc, report, out = scan_json(tmp_path, [path])
    assert rc == 3, out
    assert has_dh001(report, path)
    assert_clean_errors(report, path)


def test_huge_deep_and_digit_bodies_are_bounded(tmp_path):
    deep = "[" * 10_000 + "]" * 10_000
    deep_obj = '{"a":' * 10_000 + '"x"' + "}" * 10_000
    huge_line = json.dumps({"items": [{"skuId": 100000 + i, "title": "商品标题" * 3, "price": "%d.90" % i,
                                       "tags": ["包邮", "满减"]} for i in range(120_000)]}, ensure_ascii=False)
    digits = b"1" * (50 * 1024 * 1024)
    flows = [
        make_flow("POST", "https://api.demoshop.com/v1/deep", body=deep,
                  headers={"content-type": "application/json"}, response_body=deep_obj,
                  response_headers={"content-type": "application/json"}),
        make_flow("GET", "https://api.demoshop.com/v1/catalogue", response_body=huge_line,
                  response_headers={"content-type": "application/json;charset=UTF-8"}),
        make_flow("POST", "https://api.demoshop.com/v1/upload", body=digits,
                  headers={"content-type": "application/json"}, response_body=digits,
                  response_headers={"content-type": "application/json"}),
        cleartext_phone_flow(),
    ]
    path = tmp_path / "big.mitm"
    write_flows(path, flows)
    out = tmp_path / "r.json"
    rc, stdout, stderr, secs, rss = run_proc(["scan", path, "-f", "json", "-o", out], timeout=45)
    assert "Traceback" not in stdout + stderr
    assert rc == 3, stdout + stderr
    report = json.loads(out.read_text())
    assert report["inputs"] and report["inputs"][0]["records"] == 4
    assert any(f["check"] == "DH001" and f["location"]["flow"] == 3 for f in report["findings"])
    assert secs < 30, f"~90 MB of bodies took {secs:.1f}s"


def test_request_body_bombs_are_capped(tmp_path):
    gz = _gzip_bomb(1 << 30)
    zs = _zstd_bomb(1 << 30)
    br = _brotli_bomb(256 << 20)
    flows = [make_flow("POST", "http://log.umeng.com/app_logs", body=blob,
                       headers={"content-type": "application/json", "content-encoding": enc},
                       response_json={"code": 0})
             for enc, blob in (("gzip", gz), ("zstd", zs), ("br", br))]
    flows.append(cleartext_phone_flow())
    path = tmp_path / "bombs.mitm"
    write_flows(path, flows)
    out = tmp_path / "r.json"
    rc, stdout, stderr, secs, rss = run_proc(["scan", path, "-f", "json", "-o", out], timeout=40)
    assert "Traceback" not in stdout + stderr
    assert rc == 3, stdout + stderr
    report = json.loads(out.read_text())
    assert report["inputs"][0]["records"] == 4
    assert any(f["check"] == "DH001" and f["location"]["flow"] == 3 for f in report["findings"])
    assert secs < 30, f"bombs took {secs:.1f}s"
    assert rss < 1_200_000, f"peak RSS {rss // 1024} MB: decompression is not capped"


def test_html_response_bomb_is_bounded(tmp_path):
    bomb = gzip.compress(b"\0" * (64 << 20), compresslevel=6)
    flows = [make_flow("GET", "https://m.demoshop.com/activity/618.html",
                       response_body=bomb,
                       response_headers={"content-type": "text/html; charset=utf-8", "content-encoding": "gzip"}),
             cleartext_phone_flow()]
    path = tmp_path / "html-bomb.mitm"
    write_flows(path, flows)
    out = tmp_path / "r.json"
    rc, stdout, stderr, secs, rss = run_proc(["scan", path, "-f", "json", "-o", out], timeout=10)
    assert "Traceback" not in stdout + stderr
    assert rc == 3, stdout + stderr
    report = json.loads(out.read_text())
    assert any(f["check"] == "DH001" and f["location"]["flow"] == 1 for f in report["findings"])
    assert rss < 1_200_000, f"peak RSS {rss // 1024} MB for one 64 MB-of-zeros HTML response"


def test_invalid_utf8_html_is_still_scanned(tmp_path):
    raw = demo_order_page(ID_PAGE_BODY).encode("utf-8")
    raw = raw.replace("收货信息".encode(), b"\xff\xfe\xc3(\x80\xed\xa0\x80")
    path = tmp_path / "broken-utf8.html"
    path.write_bytes(raw)
    rc, report, out = scan_json(tmp_path, [path])
    assert rc == 1, out
    assert any(f["check"] == "UI011" for f in findings_in(report, path)), report["errors"]


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_html_with_bom_is_a_page(codec, bom, tmp_path):
    path = tmp_path / f"{codec}.html"
    path.write_bytes(bom + demo_order_page(ID_PAGE_BODY).replace('charset="utf-8"', 'charset="utf-16"').encode(codec))
    rc, report, out = scan_json(tmp_path, [path])
    assert [i["kind"] for i in report["inputs"]] == ["html"], (report["inputs"], report["errors"])
    assert any(f["check"] == "UI011" for f in findings_in(report, path))


def test_pathological_css_and_scripts_are_bounded(tmp_path):
    deep_sel = " ".join(["div"] * 60) + " p"
    rules = "\n".join([f"{deep_sel}:nth-child({i}n+{i}) {{ color: red }}" for i in range(1, 300)]
                      + [":not(" * 200 + "a" + ")" * 200 + " { display:none }",
                         ":is(" * 100 + "div" + ")" * 100 + " > * { opacity: 0 }",
                         "div:has(div:has(div:has(div:has(p)))) { position: fixed; z-index: 99999 }",
                         "[class*=" + "a" * 5000 + "] { top:0 }",
                         "@media (max-width: 1px) { " * 300 + "p{}" + "}" * 300,
                         "p { color: " + "(" * 20000 + " }",
                         "/* unterminated comment " + "x" * 50000])
    wide = "".join(f"<div class=\"row\"><div class=\"col-6\"><div><p>第{i}项</p></div></div></div>" for i in range(1500))
    css = tmp_path / "css.html"
    css.write_text(demo_order_page(wide + "<div>" * 200 + "<p>底部</p>" + "</div>" * 200, head=f"<style>{rules}</style>"))
    scripts = [
        "var a = \"unterminated string ... location.href='https://evil.example.cn/'",
        "var r = /unterminated[regex/; window.location = 'market://details?id=com.evil'",
        "`template ${ `nested ${ `deeper " * 500,
        "/* never closed " + "*" * 100_000,
        "var s = '" + "\\'" * 100_000 + "';",
        "document.getElementById('x').onclick = function(){ window.open('weixin://" + "(" * 50_000,
        "location.href = " + "+".join(["'a'"] * 20_000) + ";",
        "if(" * 20_000 + "1" + ")" * 20_000,
    ]
    js = tmp_path / "scripts.html"
    js.write_text(demo_order_page("".join(f"<script>{s}</script>" for s in scripts)
                                  + "<a id=\"x\" onclick=\"location.href='" + "%" * 100_000 + "\">关闭</a>"))
    good = good_har(tmp_path / "good.har")
    out = tmp_path / "r.json"
    rc, stdout, stderr, secs, rss = run_proc(["scan", css, js, good, "-f", "json", "-o", out], timeout=40)
    assert "Traceback" not in stdout + stderr
    report = json.loads(out.read_text())
    assert rc == (3 if report["errors"] else 1), stdout + stderr
    assert has_dh001(report, good)
    assert_clean_errors(report, css, js)
    assert secs < 20, f"pathological pages took {secs:.1f}s"


@pytest.mark.parametrize("kind", list(HANG_PAGES))
def test_hostile_page_does_not_hang_the_scan(kind, tmp_path):
    page = tmp_path / f"{kind}.html"
    page.write_text(HANG_PAGES[kind]())
    good = good_har(tmp_path / "good.har")
    out = tmp_path / "r.json"
    rc, stdout, stderr, secs, rss = run_proc(["scan", page, good, "-f", "json", "-o", out], timeout=8)
    assert "Traceback" not in stdout + stderr
    report = json.loads(out.read_text())
    assert rc == (3 if report["errors"] else 1), stdout + stderr
    assert has_dh001(report, good)
    assert_clean_errors(report, page)


def test_moderately_nested_page_keeps_its_text(tmp_path):
    nested = tmp_path / "nested.html"
    nested.write_text(demo_order_page(f"<p id=\"tel\">联系电话 {PHONE}</p>" + "<div>" * 600 + "<p>深</p>" + "</div>" * 600))
    rc, report, out = scan_json(tmp_path, [nested])
    assert any(f["check"] == "UI011" for f in findings_in(report, nested)), report["errors"]


def test_uiautomator_billion_laughs_and_xxe(tmp_path):
    lol = ('<!DOCTYPE hierarchy [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
           + ']>')
    bomb = tmp_path / "lol.xml"
    bomb.write_text(_dump(NODE.format(i=1, text="&lol9;", rid="com.demoshop.app:id/t", bounds="[0,0][100,100]"), lol))
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(_dump(NODE.format(i=1, text="&xxe;", rid="com.demoshop.app:id/t", bounds="[0,0][100,100]"),
                         '<!DOCTYPE hierarchy [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    good = good_har(tmp_path / "good.har")
    rc, stdout, stderr, secs, rss = run_proc(["scan", bomb, xxe, good, "-f", "json", "-f", "text", "-o", tmp_path / "o"],
                                             timeout=40)
    assert "Traceback" not in stdout + stderr
    assert rc == 3, stdout + stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    text = (tmp_path / "o" / "report.txt").read_text() if (tmp_path / "o" / "report.txt").exists() else stdout
    assert has_dh001(report, good)
    assert_clean_errors(report, bomb, xxe)
    blob = json.dumps(report) + text + stdout + stderr
    assert "root:x:0:0" not in blob and "lollollol" not in blob
    assert secs < 20
    assert rss < 1_000_000


def test_uiautomator_broken_bounds_do_not_lose_other_nodes(tmp_path):
    bad_bounds = ["", "[abc]", "[0,0][", "[-5,-5][-1,-1]", "[10,10][5,5]", "[0,0][99999999999999999999,1]",
                  "[1.5,2][3,4]", "[0,0][1080,2340][1,1]", "null"]
    nodes = "".join(NODE.format(i=i + 1, text="按钮", rid=f"com.demoshop.app:id/b{i}", bounds=b)
                    for i, b in enumerate(bad_bounds))
    nodes += NODE.format(i=99, text=f"收货人手机：{PHONE}", rid="com.demoshop.app:id/tv_receiver_phone",
                         bounds="[48,612][1032,680]")
    nodes += '<node index="100" text="no bounds at all" class="android.widget.Button" clickable="true" />'
    path = tmp_path / "window_dump.xml"
    path.write_text(_dump(nodes))
    rc, report, out = scan_json(tmp_path, [path])
    assert [i["kind"] for i in report["inputs"]] == ["uiautomator"] or report["inputs"], report["errors"]
    assert any(f["check"] == "UI011" for f in findings_in(report, path)), report["errors"]


def test_truncated_uiautomator_dump_keeps_nodes_and_says_so(tmp_path):
    full = _dump(NODE.format(i=1, text=f"身份证 {ID_CARD}", rid="com.demoshop.app:id/tv_id", bounds="[0,0][1080,200]")
                 + NODE.format(i=2, text="确定", rid="com.demoshop.app:id/btn_ok", bounds="[0,200][1080,300]"))
    path = tmp_path / "window_dump.xml"
    path.write_text(full[: full.index("确定") + 1], encoding="utf-8")
    rc, report, out = scan_json(tmp_path, [path])
    assert any(f["check"] == "UI011" for f in findings_in(report, path))
    assert error_for(report, path) is not None, "truncated dump not reported"


def test_binary_files_with_capture_names_are_errors(tmp_path):
    rnd = bytes((i * 197 + 13) & 0xFF for i in range(65536))
    files = []
    for name, data in (("capture.har", rnd), ("page.html", b"\x89PNG\r\n\x1a\n" + rnd),
                       ("window_dump.xml", b"\x00\x00\x00\x0c" + rnd), ("session.flows", b"PK\x03\x04" + rnd),
                       ("empty.har", b""), ("nul.html", b"\x00" * 4096)):
        p = tmp_path / name
        p.write_bytes(data)
        files.append(p)
    good = good_har(tmp_path / "good.har")
    rc, report, out = scan_json(tmp_path, [*files, good])
    assert rc == 3, out
    assert has_dh001(report, good)
    for p in files:
        assert error_for(report, p) is not None, f"{p.name}: no error entry ({report['inputs']})"
    assert_clean_errors(report, *files)


def test_only_unreadable_inputs_exit_2(tmp_path):
    a = tmp_path / "a.har"
    a.write_bytes(b"\x00\x01garbage")
    b = tmp_path / "b.mitm"
    b.write_bytes(b"1234:not a tnetstring")
    rc, report, out = scan_json(tmp_path, [a, b])
    assert rc == 2, out
    assert "Traceback" not in out


def test_only_unreadable_inputs_exit_2_subprocess_one_line_each(tmp_path):
    a = tmp_path / "a.har"
    a.write_text('{"log": {"entries": "nope"}}')
    b = tmp_path / "b.xml"
    b.write_bytes(b"\x00\x00\x00\x0cftypisom" + bytes(range(256)) * 8)
    rc, stdout, stderr, secs, rss = run_proc(["scan", a, b], timeout=30)
    assert rc == 2, stdout + stderr
    assert "Traceback" not in stdout + stderr
    for p in (a, b):
        lines = [ln for ln in (stdout + stderr).splitlines() if p.name in ln]
        assert lines, f"no message names {p.name}:\n{stdout}{stderr}"


def test_unreadable_file(tmp_path):
    locked = tmp_path / "locked.har"
    good_har(locked)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        good = good_har(tmp_path / "good.har")
        rc, report, out = scan_json(tmp_path, [locked, good])
        assert rc == 1
        assert has_dh001(report, good)
        assert error_for(report, locked) is not None
        assert_clean_errors(report, locked)
    finally:
        locked.chmod(0o644)


def test_directory_symlink_loop(tmp_path):
    root = tmp_path / "captures"
    (root / "sub").mkdir(parents=True)
    good_har(root / "sub" / "good.har")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(".", target_is_directory=True)
    (root / "dangling.har").symlink_to(tmp_path / "does-not-exist.har")
    out = tmp_path / "r.json"
    rc, stdout, stderr, secs, rss = run_proc(["scan", root, "-f", "json", "-o", out], timeout=30)
    assert "Traceback" not in stdout + stderr
    assert rc == 3, stdout + stderr
    report = json.loads(out.read_text())
    goods = [i for i in report["inputs"] if Path(i["path"]).name == "good.har"]
    assert len(goods) == 1, f"good.har scanned {len(goods)} times: {[i['path'] for i in goods]}"
    assert len([f for f in report["findings"] if f["check"] == "DH001"]) == 1
    assert_clean_errors(report)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_names_in_errors_and_text(name, tmp_path):
    bad = tmp_path / name
    bad.write_bytes(b"\x00garbage")
    good = tmp_path / ("good-" + name)
    good_har(good)
    rc, report, out = scan_json(tmp_path, [bad, good])
    assert rc == 3
    assert has_dh001(report, good)
    assert len(report["errors"]) == 1
    assert "\n" not in report["errors"][0]["message"]
    # The terminal report: one line per error, no raw control characters.
    rc, stdout, stderr = run_cli(["scan", bad, good, "-f", "text"])
    text = stdout + stderr
    assert "Traceback" not in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", text), repr(text[:2000])


def test_hostile_file_name_subprocess(tmp_path):
    bad = tmp_path / "x\x1b]0;pwned\x07\n\x1b[2J.har"
    bad.write_bytes(b"\xff\xfe\x00")
    good = good_har(tmp_path / "good.har")
    rc, stdout, stderr, secs, rss = run_proc(["scan", bad, good], timeout=30)
    assert rc == 3, stdout + stderr
    text = stdout + stderr
    assert "Traceback" not in text
    assert "\x1b" not in text and "\x07" not in text
    assert any("good.har" in ln or "DH001" in ln for ln in stdout.splitlines())
