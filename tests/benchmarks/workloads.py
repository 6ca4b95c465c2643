"""Generated workloads for the issue-23 benchmarks (``make bench``): a mixed app capture,
a set of varied HTML pages, a large capture for memory, and many small captures.

Everything is deterministic (seeded) and written under one cache folder outside the
repository (``APPAUDIT_BENCH_CACHE``, by default ``$TMPDIR/appaudit-bench``), so a second
run reuses the files; a file's name carries its parameters and ``VERSION``, so changing
a generator never reuses stale data."""
from __future__ import annotations

import base64
import gzip
import json
import os
import random
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from mitmproxy import io

from tests.helpers import T0, make_flow

VERSION = 1
CACHE = Path(os.environ.get("APPAUDIT_BENCH_CACHE") or Path(tempfile.gettempdir()) / "appaudit-bench")

PHONES = ["13912345678", "15800001111", "18611112222", "13700002222"]
WORDS = ("新品 限时 特惠 包邮 正品 旗舰店 热卖 推荐 精选 品质 家居 数码 服饰 美妆 运动 户外 母婴 食品 "
         "fresh deal sale new best price shop home garden kitchen travel outdoor style beauty").split()
ARTICLE_WORDS = ("the a of to and in that is was for on with as by at from this have which government city "
                 "report people year said market company police week council data privacy court school "
                 "经济 社会 发展 记者 报道 今天 城市 政府 市场 企业 消息 表示").split()


def _sentence(rng: random.Random, words=WORDS, length: int = 8) -> str:
    return " ".join(rng.choice(words) for _ in range(length))


# --- pages -----------------------------------------------------------------------------

CONSENT = """<div id="cmp" class="consent-banner" style="position:fixed;bottom:0;left:0;right:0;z-index:9999">
<p>We and our {n} partners use cookies to personalise content and ads. 我们使用 Cookie 改善您的体验。</p>
<label><input type="checkbox" name="analytics"{checked}> Analytics</label>
<label><input type="checkbox" name="marketing"{checked}> Personalised advertising</label>
<button class="accept">Accept all</button>{reject}<a href="/privacy">Privacy policy</a></div>"""
POPUP = """<div class="mask" style="position:fixed;top:0;left:0;width:100%;height:100%;background:rgba(0,0,0,.6);z-index:1000">
<div class="popup" style="position:absolute;top:20%;left:10%;width:80%">
<a href="{target}"><img src="/ad/{n}.jpg" alt="限时领券" width="300" height="400"></a>
<span class="close" style="font-size:{size}px;color:#ccc" onclick="this.parentNode.parentNode.remove()">×</span>
</div></div>"""


def listing_page(rng: random.Random, n: int, items: int = 60) -> str:
    """A shop's listing page (~30 KB, ~800 elements at 60 items), sometimes with a
    coupon pop-up or a consent banner."""
    style = "\n".join(f".c{i} .t{i % 7}{{color:#{rng.randrange(4096):03x};margin:{i % 9}px}}" for i in range(40))
    cards = "".join(
        f'<li class="item c{i % 40}" data-sku="{n * 1000 + i}"><a href="/item/{n * 1000 + i}.html">'
        f'<img src="//img.shop.example.cn/{rng.randrange(10**8)}.jpg" alt="{_sentence(rng, length=3)}" loading="lazy">'
        f'<div class="info"><h3 class="t{i % 7}">{_sentence(rng, length=6)}</h3>'
        f'<p class="price"><em>¥</em><span>{rng.randrange(9, 3000)}.{rng.randrange(100):02d}</span></p>'
        f'<p class="meta"><span>{rng.randrange(10000)}人付款</span><span class="shop">{_sentence(rng, length=2)}</span></p>'
        f'</div></a><button class="fav" aria-label="收藏" data-id="{i}">♡</button></li>'
        for i in range(items))
    nav = "".join(f'<li><a href="/cat/{k}">{_sentence(rng, length=1)}</a></li>' for k in range(20))
    extra = ""
    if n % 10 == 3:
        extra = POPUP.format(target=f"https://promo.ad{n % 5}.example.net/land?id={n}", n=n, size=rng.choice((10, 24)))
    elif n % 10 == 7:
        extra = CONSENT.format(n=rng.randrange(50, 900), checked=" checked" if n % 20 == 7 else "",
                               reject='<button class="reject">Reject all</button>' if n % 4 else "")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_sentence(rng, length=4)}</title>'
            f'<meta name="viewport" content="width=device-width"><style>{style}</style>'
            f'<link rel="canonical" href="https://m.shop.example.cn/list/{n}"></head><body>'
            f'<header><a href="/" class="logo">Shop</a><form action="/search"><input name="q" placeholder="搜索">'
            f'<button>搜索</button></form></header><nav><ul>{nav}</ul></nav>'
            f'<main><ul class="list">{cards}</ul><a class="more" href="/list/{n + 1}">下一页</a></main>'
            f'<footer><p>客服热线 400-800-8888</p><p>京ICP备12345678号-1</p></footer>{extra}'
            f'<script>window.__STATE__={json.dumps({"page": n, "uid": 100000 + n})};'
            f'document.querySelectorAll(".fav").forEach(function(b){{b.onclick=function(){{fetch("/fav/"+b.dataset.id)}}}})'
            f'</script></body></html>')


def article_page(rng: random.Random, n: int) -> str:
    paragraphs = "".join(f"<p>{_sentence(rng, ARTICLE_WORDS, rng.randrange(20, 60))}.</p>" for _ in range(rng.randrange(6, 20)))
    related = "".join(f'<li><a href="/news/{rng.randrange(10**6)}.html">{_sentence(rng, ARTICLE_WORDS, 6)}</a></li>'
                      for _ in range(8))
    consent = CONSENT.format(n=rng.randrange(50, 900), checked="", reject='<button class="reject">Reject all</button>') \
        if n % 3 == 0 else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_sentence(rng, ARTICLE_WORDS, 7)}</title>'
            f'<meta property="og:url" content="https://news.example.com/{n}.html"></head><body>'
            f'<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a></nav></header>'
            f'<article><h1>{_sentence(rng, ARTICLE_WORDS, 9)}</h1><time datetime="2026-11-{1 + n % 28:02d}">Nov</time>'
            f'{paragraphs}</article><aside><h2>Related</h2><ul>{related}</ul></aside>'
            f'<footer>Contact: newsroom@example.com</footer>{consent}</body></html>')


def landing_page(rng: random.Random, n: int) -> str:
    """A promotion landing page: big banner, download buttons, a pop-up, sometimes a
    timer redirect or a shake-to-open script."""
    popup = POPUP.format(target=f"market://details?id=com.example.app{n % 7}", n=n, size=rng.choice((8, 12, 28)))
    script = ""
    if n % 4 == 1:
        script = f'<script>setTimeout(function(){{location.href="https://app{n % 9}.example.net/dl"}},3000)</script>'
    elif n % 4 == 2:
        script = ('<script>window.addEventListener("devicemotion",function(e){if(Math.abs(e.acceleration.x)>15)'
                  f'{{location.href="https://promo{n % 9}.example.net/"}}}})</script><p>摇一摇 领红包</p>')
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>下载APP领红包</title>'
            f'<link rel="canonical" href="https://act.example.cn/land/{n}"></head><body>'
            f'<div class="banner"><img src="/banner/{n}.png" alt="{_sentence(rng, length=4)}"></div>'
            f'<h1>{_sentence(rng, length=5)}</h1><p>{_sentence(rng, length=30)}</p>'
            f'<a class="download" href="https://dl.example.cn/app{n % 9}.apk">立即下载</a>'
            f'<a class="skip" href="https://ads.example.net/c?{n}">跳过</a>{popup}{script}</body></html>')


def consent_page(rng: random.Random, n: int) -> str:
    """An app's privacy prompt page: a consent dialog with options, some pre-ticked or
    bundled, some with no way to decline."""
    choices = ("同意个性化推荐", "接收营销短信", "共享数据给合作伙伴", "Personalised ads", "Share with partners")
    options = "".join(f'<li><label><input type="checkbox" name="opt{k}"{" checked" if (n + k) % 3 == 0 else ""}>'
                      f'{rng.choice(choices)}</label></li>' for k in range(rng.randrange(2, 6)))
    decline = '<button id="disagree">不同意</button>' if n % 3 else ""
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>隐私政策与用户协议</title>'
            f'<link rel="canonical" href="https://m.app{n}.example.cn/privacy"></head><body>'
            f'<div class="dialog" role="dialog" style="position:fixed;top:10%;left:5%;right:5%;z-index:99">'
            f'<h2>个人信息保护指引</h2><p>{_sentence(rng, ARTICLE_WORDS, 80)}</p><ul>{options}</ul>'
            f'<p>点击同意即表示您已阅读并同意《用户协议》和《隐私政策》</p>'
            f'<button id="agree">同意并继续</button>{decline}</div><p>京ICP备{10000000 + n}号</p></body></html>')


PAGE_KINDS = (listing_page, article_page, landing_page, consent_page)


def write_pages(count: int = 1400) -> Path:
    """``count`` varied pages: listings (some short), articles, landing pages, consent dialogs."""
    folder = CACHE / f"pages-v{VERSION}-{count}"
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(23)
        for n in range(count):
            kind = PAGE_KINDS[n % len(PAGE_KINDS)]
            html = listing_page(rng, n, items=rng.choice((8, 15, 30))) if kind is listing_page else kind(rng, n)
            (folder / f"{kind.__name__}-{n:05d}.html").write_text(html, encoding="utf-8")
        (folder / ".done").touch()
    return folder


# --- captures --------------------------------------------------------------------------

def _jpeg(rng: random.Random, size: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(size)


def mixed_flows(count: int, *, image_bytes: tuple[int, int] = (4_000, 60_000), seed: int = 23):
    """An app session: in every 20 flows, 6 JSON API reads, 3 JSON posts carrying
    personal data, 2 base64+gzip analytics uploads, 4 HTML listing pages (~30 KB), 4
    images and a gzip log upload."""
    rng = random.Random(seed)
    for i in range(count):
        t = T0 + i * 0.5
        slot = i % 20
        if slot < 6:
            yield make_flow("GET", f"https://api.shop.example.cn/v2/products?cat={i % 37}&page={i}", response_json={
                "code": 0, "data": [{"id": rng.randrange(10**9), "title": _sentence(rng, length=5),
                                     "price": rng.randrange(100, 99999) / 100, "sales": rng.randrange(10000),
                                     "shop": {"id": rng.randrange(10**6), "lat": 31.2304, "lng": 121.4737}}
                                    for _ in range(25)]}, timestamp=t)
        elif slot < 9:
            yield make_flow("POST", f"https://api.shop.example.cn/v2/order/{i}", json={
                "user": {"uid": 100000 + i % 50, "mobile": PHONES[i % 4], "email": "li.lei@example.com",
                         "address": "北京市朝阳区建国路88号"},
                "items": [{"sku": f"SKU{rng.randrange(10**6):06d}", "qty": 1 + j % 3} for j in range(8)],
                "device": {"android_id": "9774d56d682e549c", "oaid": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"},
            }, response_json={"code": 0, "order_id": f"{T0:.0f}{i}"}, timestamp=t)
        elif slot < 11:
            payload = {"header": {"android_id": "9774d56d682e549c", "imei": "490154203237518", "mac": "3c:22:fb:12:34:56",
                                  "lat": 39.908722, "lng": 116.397499, "app_version": "10.2.13"},
                       "events": [{"id": f"ev{rng.randrange(1000)}", "ts": 1764000000000 + j, "page": "home"}
                                  for j in range(40)]}
            blob = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
            host = ("https://ulogs.umeng.com/unify_logs", "https://sdk.sensorsdata.cn/sa")[i % 2]
            yield make_flow("POST", host, body=urlencode({"data": blob, "gzip": "1"}),
                            headers={"Content-Type": "application/x-www-form-urlencoded"}, timestamp=t)
        elif slot < 15:
            html = listing_page(rng, i).encode()
            yield make_flow("GET", f"https://m.shop.example.cn/list/{i}", status=200, timestamp=t,
                            response_headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                            response_body=gzip.compress(html, 1))
        elif slot < 19:
            kind = ("image/jpeg", "image/webp", "image/png", "image/jpeg")[slot - 15]
            yield make_flow("GET", f"https://img.shop.example.cn/{rng.randrange(10**9)}.{kind[6:]}", timestamp=t,
                            response_headers={"Content-Type": kind}, response_body=_jpeg(rng, rng.randrange(*image_bytes)))
        else:
            lines = "\n".join(f'{{"t":{1764000000 + j},"level":"info","tag":"net","msg":"{_sentence(rng, length=6)}"}}'
                              for j in range(150))
            yield make_flow("POST", "https://log.shop.example.cn/v1/upload", timestamp=t, body=gzip.compress(lines.encode()),
                            headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
                            response_json={"ok": True})


def write_capture(count: int, *, image_bytes: tuple[int, int] = (4_000, 60_000), name: str = "mixed") -> Path:
    path = CACHE / f"{name}-v{VERSION}-{count}-{image_bytes[0]}-{image_bytes[1]}.mitm"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")  # two runs at once each write their own
        with open(partial, "wb") as f:
            writer = io.FlowWriter(f)
            for flow in mixed_flows(count, image_bytes=image_bytes):
                writer.add(flow)
        partial.rename(path)
    return path


def write_capture_of_size(megabytes: int) -> Path:
    """The mixed capture made at least ``megabytes`` large by photo-sized images (an
    hour of app use is mostly media by volume)."""
    image_bytes = (200_000, 1_000_000)
    per_flow = 0.2 * sum(image_bytes) / 2 + 0.8 * 9_000  # 4 images in 20 flows; the rest averages ~9 KB
    return write_capture(int(megabytes * 2**20 / per_flow) + 1, image_bytes=image_bytes, name=f"large{megabytes}")


def write_sessions(count: int, flows: int) -> Path:
    """``count`` captures of ``flows`` flows each (many sessions of one release)."""
    folder = CACHE / f"sessions-v{VERSION}-{count}-{flows}"
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(count):
            with open(folder / f"session-{n:03d}.mitm", "wb") as f:
                writer = io.FlowWriter(f)
                for flow in mixed_flows(flows, seed=n):
                    writer.add(flow)
        (folder / ".done").touch()
    return folder
