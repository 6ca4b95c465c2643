"""A saved page's own URL: --url-map per file, the saving tool's comments, and
location.page_url on its findings; fingerprints anchored on what an element is."""
import json
import subprocess
import sys
from pathlib import Path

from appaudit.scanner.cli import main
from appaudit.scanner.engine import ScanSettings, scan_file
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile
from click.testing import CliRunner

from tests.helpers import en, flow_findings, html_flow, page_findings, run_page, silent, zh

APP_POPUP = """<html><body><h1>News</h1>
<div id="dl" style="position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:999">
  <a href="https://promo.example.org/app"><img src="/ad.jpg" style="width:100%;height:100%"></a></div></body></html>"""


def scan_json(tmp_path, *args):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["scan", *map(str, args), "-f", "json", "-o", str(out), "--fail-on", "never"],
                                catch_exceptions=False)
    return result, (json.loads(out.read_text(encoding="utf-8")) if out.exists() else None)


def test_a_url_map_gives_each_saved_file_its_own_url(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(APP_POPUP, encoding="utf-8")
    (pages / "b.html").write_text(APP_POPUP, encoding="utf-8")
    url_map = tmp_path / "urls.tsv"
    url_map.write_text("path\turl\npages/a.html\thttps://news.example.com/a\n", encoding="utf-8")
    result, report = scan_json(tmp_path, pages, "--url-map", url_map)
    assert result.exit_code == 0, result.output
    ui001 = [f for f in report["findings"] if f["check"] == "UI001"]
    assert [(f["location"]["input"].endswith("a.html"), f["location"]["page_url"]) for f in ui001] == \
        [(True, "https://news.example.com/a")]
    statuses = {(o["input"].rsplit("/", 1)[-1], o["check"]): o["status"] for o in report["checks"]}
    assert statuses[("b.html", "UI001")] == "not_applicable"   # no origin: could not look


def test_a_url_map_row_without_a_url_is_a_usage_error(tmp_path):
    (tmp_path / "a.html").write_text(APP_POPUP, encoding="utf-8")
    url_map = tmp_path / "urls.csv"
    url_map.write_text("a.html,https://news.example.com/a\nb.html,not a url\n", encoding="utf-8")
    result, _ = scan_json(tmp_path, tmp_path / "a.html", "--url-map", url_map)
    assert result.exit_code == 2 and "line 2" in result.output


def test_singlefile_comment_names_the_page():
    source = ("<!DOCTYPE html> <html lang=en><!--\n Page saved with SingleFile \n url: https://shop.example.com/x \n"
              " saved date: Mon Jan 01 2024 -->\n<head><title>x</title></head><body></body></html>")
    assert Page(source=source, input="p.html").url == "https://shop.example.com/x"
    assert Page(source="<!-- url: https://shop.example.com/x --><p>x</p>", input="p.html").url is None


def test_page_findings_carry_the_pages_own_url():
    [finding] = page_findings("UI001", APP_POPUP, url="https://news.example.com/a")
    assert finding.location.page_url == "https://news.example.com/a"
    assert finding.location.url == "page.html"


def test_a_fingerprint_survives_edits_around_the_element():
    base = """<html><body>{above}<div id="wrap"><p>Intro</p>{siblings}
      <div style="position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:999" role="dialog">
      <a href="https://promo.example.org/app" aria-label="Download our app"><img src="/ad.jpg"></a></div>
      </div></body></html>"""
    plain = base.format(above="", siblings="")
    edited = base.format(above="<p>New paragraph</p><div><p>and another</p></div>",
                         siblings="<section><h2>Related</h2></section><div>More</div>")
    before = page_findings("UI001", plain, url="https://news.example.com/a")
    after = page_findings("UI001", edited, url="https://news.example.com/a")
    assert len(before) == len(after) == 1
    assert before[0].location.selector != after[0].location.selector   # the position changed ...
    assert before[0].fingerprint == after[0].fingerprint                # ... what it is did not
    other = page_findings("UI001", plain.replace("Download our app", "Get the game"), url="https://news.example.com/a")
    assert other[0].fingerprint != before[0].fingerprint


def test_base_url_gives_ui004_its_origin(tmp_path):
    page = tmp_path / "r.html"
    page.write_text('<html><head><meta http-equiv="refresh" content="0; url=https://promo.example.org/">'
                    "</head><body><p>Redirecting</p></body></html>", encoding="utf-8")
    _, report = scan_json(tmp_path, page, "--base-url", "https://news.example.com/")
    assert [(f["check"], f["location"]["page_url"]) for f in report["findings"]] == \
        [("UI004", "https://news.example.com/")]
    _, unknown = scan_json(tmp_path, page)
    status = {o["check"]: o["status"] for o in unknown["checks"]}
    assert unknown["findings"] == [] and status["UI004"] == "not_applicable"


def test_origin_from_saved_from_comment():
    page = zh("<p>跳转中</p>", head='<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">',
              pre="<!-- saved from url=(0040)https://www.example-news.cn/a/2024/1.html -->\n")
    run = run_page("UI004", page)
    assert len(run.of("UI004")) == 1, run.describe()
    same = page.replace("https://www.other-site.com/", "https://m.example-news.cn/a/2024/1.html")
    silent(run_page("UI004", same))


def test_origin_from_canonical_link():
    head = ('<link rel="canonical" href="https://www.example-news.cn/a/1.html">\n'
            '<meta http-equiv="refresh" content="0;url={}">')
    silent(run_page("UI004", zh("<p>x</p>", head=head.format("https://m.example-news.cn/a/1.html"))))
    run = run_page("UI004", zh("<p>x</p>", head=head.format("https://www.other-site.com/")))
    assert len(run.of("UI004")) == 1, run.describe()


def test_origin_from_og_url():
    head = ('<meta property="og:url" content="https://www.example-recipes.com/pasta">\n'
            '<meta http-equiv="refresh" content="0;url={}">')
    silent(run_page("UI004", en("<p>x</p>", head=head.format("https://www.example-recipes.com/pasta?amp=0"))))
    run = run_page("UI004", en("<p>x</p>", head=head.format("https://recipes.other-site.com/")))
    assert len(run.of("UI004")) == 1, run.describe()


def test_origin_saved_from_comes_before_canonical():
    page = en("<p>x</p>", pre="<!-- saved from url=(0029)https://www.example-a.com/p/1 -->\n",
              head='<link rel="canonical" href="https://www.example-b.com/p/1">\n'
                   '<meta http-equiv="refresh" content="0;url=https://www.example-b.com/p/2">')
    run = run_page("UI004", page)
    assert len(run.of("UI004")) == 1, run.describe()  # the origin is example-a.com


def test_origin_base_url_comes_before_the_page(tmp_path):
    path = tmp_path / "saved.html"
    path.write_text(en("<p>x</p>", pre="<!-- saved from url=(0029)https://www.example-a.com/p/1 -->\n",
                       head='<meta http-equiv="refresh" content="0;url=https://www.example-b.com/p/2">'),
                    encoding="utf-8")
    ids = ("UI004",)
    with_base = scan_file(str(path), "html", ScanSettings(profile=Profile(name="t", enabled=ids),
                                                          base_url="https://www.example-b.com/p/1"))
    assert not [f for f in with_base.findings if f.check == "UI004"]
    without = scan_file(str(path), "html", ScanSettings(profile=Profile(name="t", enabled=ids)))
    assert len([f for f in without.findings if f.check == "UI004"]) == 1


def test_cli_base_url_on_a_saved_page(tmp_path):
    path = tmp_path / "landing.html"
    path.write_text(zh("<p>跳转中</p>", head='<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">'),
                    encoding="utf-8")
    out = tmp_path / "r.json"
    appaudit = Path(sys.executable).with_name("appaudit")
    base = [str(appaudit), "scan", str(path), "-f", "json", "-o", str(out), "--fail-on", "never"]
    subprocess.run(base, check=True, capture_output=True, timeout=120)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "UI004" not in report["summary"]["by_check"]
    subprocess.run(base + ["--base-url", "https://www.example-shop.cn/"], check=True, capture_output=True, timeout=120)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["by_check"].get("UI004") == 1


def test_flow_url_is_the_origin_whatever_the_page_claims():
    html = zh("<p>x</p>", head='<link rel="canonical" href="https://www.other-site.com/">\n'
                               '<meta http-equiv="refresh" content="0;url=https://www.other-site.com/x">')
    findings = [f for f in flow_findings("UI004", [html_flow("https://www.example-shop.cn/", html)]) if f.check == "UI004"]
    assert len(findings) == 1
    assert findings[0].location.flow == 0 and findings[0].location.url == "https://www.example-shop.cn/"


def test_location_url_of_a_saved_file_is_its_path(tmp_path):
    path = tmp_path / "saved-page.html"
    path.write_text(zh("<p>跳转中</p>", head='<link rel="canonical" href="https://www.example-news.cn/a/1.html">\n'
                                            '<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">'),
                    encoding="utf-8")
    result = scan_file(str(path), "html", ScanSettings(profile=Profile(name="t", enabled=("UI004",))))
    found = [f for f in result.findings if f.check == "UI004"]
    assert len(found) == 1
    assert found[0].location.url == str(path)  # contract: "location.url (the flow's URL, or the file's path)"
