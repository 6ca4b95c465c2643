"""UI010: a brand is presented by its registrable names, its products and "© Brand"."""
from tests.helpers import app_from_yaml, page_findings

APP = app_from_yaml("""
name: Audit
brands:
  - name: PayPal
    domains: [paypal.com]
  - name: Microsoft
    domains: [microsoft.com, live.com]
    products: [Outlook, Windows Defender]
  - name: Instagram
    domains: [instagram.com]
""")
PHISH = "https://secure-account-check.example-host.top/login"


def brands_found(source: str, url: str = PHISH) -> list[str]:
    return [f.evidence.details["brand"] for f in page_findings("UI010", source, url=url, app=APP)]


def test_a_page_titled_with_the_brands_own_domain_name():
    assert brands_found("<title>paypal.com</title><form><input type=password></form>") == ["PayPal"]
    assert brands_found("<title>Log in | PayPal.com</title>") == ["PayPal"]


def test_a_page_presenting_one_of_the_brands_products():
    assert brands_found("<title>Windows Defender - Security Center</title><p>Call support now</p>") == ["Microsoft"]
    assert brands_found("<title>Outlook</title>") == ["Microsoft"]


def test_a_copyright_notice_naming_the_brand_as_owner():
    page = "<title>Log in</title><form><input type=password></form><footer><span>© 2022 Instagram from Meta</span></footer>"
    assert brands_found(page) == ["Instagram"]
    assert brands_found("<title>Sign in</title><div>&copy;2021 Microsoft</div>") == ["Microsoft"]


def test_what_does_not_present_the_brand():
    assert brands_found("<title>Log in</title><footer>© 2024 Example Ltd. We accept PayPal.</footer>") == []
    assert brands_found("<title>Windows Defender - Security Center</title>", url="https://www.microsoft.com/x") == []
    article = ('<meta property="og:type" content="article"><title>Outlook outage hits users</title>'
               "<article><h1>Outlook outage</h1><p>© 2024 Microsoft</p></article>")
    assert brands_found(article) == []


def test_a_sign_in_page_laid_out_in_an_article_box_is_not_an_article():
    page = ('<title>Instagram</title><article><h1 class="wordmark"></h1>'
            '<form><input name="username"><input type="password" name="password"></form></article>')
    assert brands_found(page) == ["Instagram"]
    news = "<title>Instagram</title><article><h1>Instagram changes its feed</h1><p>Text</p></article>"
    assert brands_found(news) == []


def test_a_credit_inside_a_line_is_not_the_pages_notice():
    page = "<title>Our stores</title><div class=map><span>Map data ©2024 Google</span></div><footer><p>Shop</p></footer>"
    assert brands_found(page) == []
