"""Notes for what a page report could not judge: pages drawn by script, consent
platforms whose dialog a script loads."""
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.notices import is_script_shell, page_notices, script_loaded_platforms


def page(source: str) -> Page:
    return Page(source=source, input="p.html")


def test_an_empty_body_with_scripts_is_a_script_shell():
    shell = page('<html><head><title>News</title></head><body><div id="root"></div>'
                 '<script src="/a.js"></script><script src="/b.js"></script><script src="/c.js"></script></body></html>')
    assert is_script_shell(shell)
    assert page_notices(shell) == ["rendered by script: not judged: needs --render (the page holds next to no content)"]


def test_short_pages_with_content_or_a_form_are_not_shells():
    login = page('<body><form><input name="u"><input type="password" name="p"><button>Sign in</button></form>'
                 '<script></script><script></script><script></script></body>')
    article = page("<body><article><p>" + "Text of an article. " * 20 + "</p></article>"
                   "<script></script><script></script><script></script></body>")
    redirect = page('<head><meta http-equiv="refresh" content="0;url=/x"></head><body></body>')
    assert not is_script_shell(login) and not is_script_shell(article) and not is_script_shell(redirect)


def test_a_consent_platform_loaded_by_script_is_named_unless_its_dialog_is_in_the_page():
    loader = '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="x"></script>'
    body = "<p>" + "Article text. " * 30 + "</p>"
    assert script_loaded_platforms(page(loader + body)) == ["OneTrust"]
    assert page_notices(page(loader + body)) == [
        "consent platform OneTrust loaded by script; its dialog is not in this page: not judged: needs --render"]
    saved_with_dialog = page(loader + body + '<div id="onetrust-banner-sdk"><p>We use cookies</p></div>')
    assert script_loaded_platforms(saved_with_dialog) == []
    inline = page("<script>window.didomiConfig = {}; (function(){ var s = 'https://sdk.privacy-center.org/loader.js' })()"
                  "</script>" + body)
    assert script_loaded_platforms(inline) == ["Didomi"]
    assert script_loaded_platforms(page('<script src="/js/app.js"></script>' + body)) == []


def test_an_empty_mount_point_of_the_platform_is_not_its_dialog():
    loader = '<script src="https://sdk.privacy-center.org/abc/loader.js"></script>'
    body = "<p>" + "Article text. " * 30 + "</p>"
    assert script_loaded_platforms(page(loader + body + '<div id="didomi-host"></div>')) == ["Didomi"]
    held = page(loader + body + '<div id="didomi-host"><div id="didomi-popup"><p>We care about your privacy</p>'
                                '<button>Agree</button></div></div>')
    assert script_loaded_platforms(held) == []


def test_platforms_named_by_handlers_links_and_the_tcf_stub():
    body = "<p>" + "Article text. " * 30 + "</p>"
    assert script_loaded_platforms(page(body + '<a href="javascript: Cookiebot.renew()">Cookie settings</a>')) == \
        ["Cookiebot"]
    assert script_loaded_platforms(page(body + '<script>window.__tcfapi = window.__tcfapi || function(){}</script>')) == \
        ["(an IAB TCF platform)"]
    assert script_loaded_platforms(page(body + '<a href="/cookies">Cookie policy</a>')) == []


def test_a_consent_banner_in_a_template_is_noted():
    banner = ('<template id="cookie-consent-banner"><div><p>Nous utilisons des cookies</p>'
              '<button>OK</button></div></template>')
    assert "a consent banner kept in a <template> is drawn by script: not judged: needs --render" in \
        page_notices(page("<p>" + "Texte. " * 40 + "</p>" + banner))
    assert page_notices(page("<p>" + "Texte. " * 40 + "</p><template><li>item</li></template>")) == []


def test_a_consent_banner_in_a_script_template_is_noted():
    content = "<p>" + "Article text. " * 40 + "</p>"
    banner = ('<script type="text/html" id="cookies-tmpl"><div class="cookie-banner"><p>If you continue without '
              'changing your settings, we will assume you are happy to receive all cookies.</p>'
              '<button>Continue</button></div></script>')
    note = "a consent banner kept in a <script> template is drawn by script: not judged: needs --render"
    assert note in page_notices(page(content + banner))
    # Not a template: a script's code that mentions cookies; and a template without a control.
    assert note not in page_notices(page(content + '<script>document.cookie = "a=1"; var s = "<a>cookies</a>";</script>'))
    assert note not in page_notices(page(content + '<script type="text/template"><p>Cookies are tasty.</p></script>'))
