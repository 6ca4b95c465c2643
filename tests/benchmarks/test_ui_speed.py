"""The UI checks cost a bounded multiple of merely parsing the same pages with
BeautifulSoup over lxml (issue 5): a ratio measured in one run, never seconds."""
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from appaudit.scanner.check import all_checks
from appaudit.scanner.engine import InputScan, ScanSettings
from appaudit.scanner.loading import Input
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).parents[2]
PAGES = sorted([*(ROOT / "tests" / "fixtures" / "pages").rglob("*.html"),
                *(ROOT / "examples" / "demo-session" / "pages").glob("*.html")])
UI_CHECKS = tuple(check_id for check_id, check in all_checks().items() if check.category == "ui")


def large_listing_page(items: int = 1500, rules: int = 400) -> str:
    """A long product listing with a big stylesheet and handlers: the kind of page where
    a careless cascade or script reading would cost far more than parsing."""
    style = "\n".join(f".item-{i} .price, #sku-{i} > span {{ color: #{i % 4096:03x}; font-size: {12 + i % 6}px }}"
                       for i in range(rules))
    cards = "\n".join(f'<li class="item item-{i}" id="sku-{i}"><a href="/p/{i}"><img src="/i/{i}.jpg" alt="商品{i}">'
                       f'<span class="price">¥{i}.00</span></a><button onclick="addCart({i})">加入购物车</button></li>'
                       for i in range(items))
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><style>{style}</style></head>"
            f"<body><ul class='list'>{cards}</ul><footer>京ICP备12345678号-1</footer>"
            "<script>function addCart(id){fetch('/cart',{method:'POST',body:String(id)})}</script></body></html>")


def parse_only(sources):
    for source in sources:
        BeautifulSoup(source, "lxml")


def parse_and_check(sources):
    settings = ScanSettings(profile=Profile(name="bench", enabled=UI_CHECKS))
    for source in sources:
        session = InputScan(settings, Input(path="page.html", kind="html"))
        session.page(Page(source=source, input="page.html", url="https://www.example.cn/"))


def test_ui_checks_cost_a_bounded_multiple_of_parsing(timer):
    sources = [path.read_text(encoding="utf-8") for path in PAGES] + [large_listing_page()]
    assert len(sources) > 50
    baseline = timer(lambda: parse_only(sources))
    checks = timer(lambda: parse_and_check(sources), repeats=3)
    print(f"\nparse {baseline * 1000:.1f} ms for {len(sources)} pages, all UI checks {checks / baseline:.1f}x")
    assert checks / baseline < 40
