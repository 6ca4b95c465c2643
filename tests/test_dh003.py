"""DH003 weak-transport: legacy TLS on either side, and active mixed content."""
from tests.helpers import flow_findings, make_flow


def dh003(*flows):
    return flow_findings("DH003", flows)


def page_flow(html, url="https://m.shop.example.com/promo"):
    return make_flow("GET", url, response_body=html, response_headers={"Content-Type": "text/html; charset=utf-8"})


def test_legacy_tls_on_server_side_fires_once_per_host():
    flows = [make_flow("GET", f"https://legacy.shop.example.com/{i}", tls_version="TLSv1.3", server_tls_version="TLSv1")
             for i in range(3)]
    findings = dh003(*flows)
    assert [(f.evidence.details["side"], f.evidence.details["tls_version"], f.location.flow) for f in findings] == \
        [("server", "TLSv1", 0)]


def test_legacy_tls_on_client_side_fires():
    [finding] = dh003(make_flow("GET", "https://api.shop.example.com/", tls_version="TLSv1.1", server_tls_version="TLSv1.3"))
    assert finding.evidence.details["side"] == "client"


def test_modern_tls_is_silent():
    assert dh003(make_flow("GET", "https://api.shop.example.com/", tls_version="TLSv1.2", server_tls_version="TLSv1.3")) == []


def test_https_page_loading_script_and_posting_form_over_http():
    html = """<!DOCTYPE html><html><body>
<script src="http://cdn.tracker.example.net/t.js"></script>
<form id="login" action="http://login.shop.example.com/submit" method="post"><input name="p" type="password"></form>
</body></html>"""
    findings = dh003(page_flow(html))
    got = sorted((f.evidence.details["element"], f.location.selector) for f in findings)
    assert got == [("form", "#login"), ("script", "html > body > script")]
    assert all(f.location.part == "response.body" and f.location.line for f in findings)


def test_mixed_content_negatives():
    html = """<html><body>
<a href="http://other.example.com/">plain links are navigation, not content</a>
<img src="http://img.example.com/a.png">
<script src="//cdn.shop.example.com/app.js"></script>
<script src="/static/app.js"></script>
<link rel="canonical" href="http://m.shop.example.com/promo">
<form action="/search"></form>
</body></html>"""
    assert dh003(page_flow(html)) == []
    # The same page over plain HTTP is DH001's business, not mixed content.
    assert dh003(page_flow('<script src="http://x.example.com/a.js"></script>', url="http://m.shop.example.com/")) == []


def test_mixed_content_written_the_ways_parsers_still_read_as_http():
    # Upper case, spaces around "=", a leading control, a tab inside the scheme (URL
    # parsing drops it) and character references all still load over http://.
    for attribute in ('SRC = "HTTP://cdn.example.net/a.js"', "src='\x0bhttp://cdn.example.net/a.js'",
                      'src="ht\ttp://cdn.example.net/a.js"', 'src="&#104;ttp://cdn.example.net/a.js"',
                      'src="&#x20;http://cdn.example.net/a.js"'):
        [finding] = dh003(page_flow(f"<html><body><script {attribute}></script></body></html>"))
        assert finding.evidence.details["target"].lower().replace("\t", "") == "http://cdn.example.net/a.js", attribute


def test_a_page_without_any_http_target_is_not_parsed_for_mixed_content():
    # The gate in front of the parse: no attribute with an http: value, no character
    # reference, so the page is never built (the traffic path's cost on ordinary pages).
    from appaudit.checks.dh003_weak_transport import WeakTransport
    from appaudit.scanner.flowview import FlowView

    html = '<html><body><p>see http://example.com/ in the text</p><script src="https://cdn.example.com/a.js"></script>'
    view = FlowView(page_flow(html), index=0, input="capture")
    assert list(WeakTransport.__new__(WeakTransport).check_flow(view)) == []
    assert view.page_source and "page" not in view.__dict__
