"""The generated workloads of ``make bench`` are what docs/performance.md says they are:
cheap checks of the generators, run by default so the benchmarks cannot silently rot."""
import random
from collections import Counter

from lxml import html as lxml_html

from appaudit.scanner.decoding import media_type
from tests.benchmarks import workloads


def test_listing_pages_are_about_30_kb_of_about_800_elements():
    page = workloads.listing_page(random.Random(1), 3)
    elements = sum(1 for _ in lxml_html.document_fromstring(page).iter())
    assert 25_000 < len(page.encode()) < 40_000 and 700 < elements < 1_000


def test_every_twenty_flows_mix_apis_analytics_pages_images_and_logs():
    flows = list(workloads.mixed_flows(40))
    kinds = Counter(media_type(f.response.headers.get("content-type"))[0] if f.request.method == "GET"
                    else media_type(f.request.headers.get("content-type"))[0] for f in flows)
    assert kinds == {"application/json": 12 + 6, "application/x-www-form-urlencoded": 4, "text/html": 8,
                     "image/jpeg": 4, "image/webp": 2, "image/png": 2, "text/plain": 2}
    pages = [f for f in flows if f.response.headers.get("content-type", "").startswith("text/html")]
    assert all(f.response.headers["content-encoding"] == "gzip" and len(f.response.content) > 25_000 for f in pages)


def test_page_set_has_each_kind_and_pop_ups_and_consent_dialogs(tmp_path, monkeypatch):
    monkeypatch.setattr(workloads, "CACHE", tmp_path)
    folder = workloads.write_pages(40)
    names = Counter(path.name.split("-")[0] for path in folder.glob("*.html"))
    assert names == {"listing_page": 10, "article_page": 10, "landing_page": 10, "consent_page": 10}
    texts = [path.read_text(encoding="utf-8") for path in folder.glob("*.html")]
    assert sum('class="popup"' in t for t in texts) >= 10 and sum("consent-banner" in t for t in texts) >= 3
