"""UI006 preselected-consent."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial

from bs4 import Tag

from appaudit.scanner.check import PageCheck
from appaudit.scanner.model import Evidence, Finding, Severity
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.consent import (CONTINUING_CONSENT, IMPLIED_CONSENT, LEGITIMATE_INTEREST,
                                                bundled_purposes, is_accept_label, is_necessary_only, is_remember_me,
                                                normalise_label, topics_in)
from appaudit.scanner.pagemodel.controls import short_label
from appaudit.scanner.pagemodel.prompts import actions, container_of, settings_title
from appaudit.scanner.pagemodel.text import innermost_matches, page_root
from appaudit.scanner.pagemodel.toggles import toggles

# An option worded as a refusal ("不接收营销短信", "Don't send me offers") is privacy-friendly
# when ticked.
_NEGATIVE = re.compile(r"^\s*(?:不|拒绝|否|no\b|don'?t|do not|i do not|opt[- ]out|unsubscribe)", re.IGNORECASE)
# A price in a label: the option is a product (a cart or order line), not a purpose.
_PRICE = re.compile(r"[¥￥$€£]\s*\d|\d\s*元")
_TOPIC_WORDS = {"privacy": "privacy consent", "personalisation": "personalisation", "marketing": "marketing",
                "sharing": "data sharing", "auto_renewal": "auto-renewal", "cookies": "cookie",
                "analytics": "analytics"}


class PreselectedConsent(PageCheck):
    """A consent option the user did not choose: a checkbox, radio button or switch
    for privacy consent, personalisation, marketing, data sharing, analytics cookies or
    auto-renewal that is already on when the page shows it; one checkbox that bundles
    accepting the terms with an optional purpose ("我已阅读并同意《用户协议》，并同意接收
    营销短信"); or consent read from continued use ("继续使用即表示同意", "by continuing to
    use this site you agree"). A checkbox is on by its ``checked`` attribute, ``aria-checked``
    or a UI library's state class (Element UI ``is-checked``, Ant Design
    ``ant-checkbox-checked``); a radio button answering "开启" / "Yes" is read with its
    group's question (the fieldset legend, or the text before the group: "个性化广告：").

    Not findings: disabled-and-checked options (strictly necessary cookies shown as
    always on), "remember me" / 自动登录, options labelled strictly necessary, options
    worded as a refusal, lines of a cart or order (several alike checkboxes carrying
    prices: "营销管理（第16版） ¥89.0" is a book), and switches on a settings screen
    (隐私设置 / Settings), which show the current state rather than a default — unless
    they sit in a consent dialog.
    "登录即代表同意" is not implied consent: it names the button the user presses, and so is
    "By continuing, you agree" above a Continue button.

    《App违法违规收集使用个人信息行为认定方法》(2019) 三.4 treats consent sought by a
    default-selected "agree" as no consent; 工信部信管函〔2023〕26号 forbids default-ticked
    and bundled consent; PIPL Art. 14 requires consent to be voluntary and explicit and
    GB/T 35273-2020 §5.3 lets users choose business functions separately; under the GDPR
    pre-ticked boxes and inactivity are not consent (Recital 32; CJEU C-673/17 Planet49).
    """

    id = "UI006"
    name = "preselected-consent"
    severity = Severity.HIGH
    regulations = ("《App违法违规收集使用个人信息行为认定方法》(2019) 三.4", "工信部信管函〔2023〕26号",
                   "PIPL Art. 14", "GB/T 35273-2020 §5.3", "GDPR Art. 4(11), Art. 7 and Recital 32")
    description = ("Consent, personalisation, marketing or sharing options pre-checked, consent bundled with "
                   "other terms, or consent implied by continued use")

    def check_html(self, page: Page) -> Iterator[Finding]:
        yield from self._options(page)
        yield from self._implied(page, partial(_continue_scope, page))

    def check_screen(self, page: Page) -> Iterator[Finding]:
        yield from self._options(page)
        screen = page_root(page)  # a Continue button anywhere on the screen
        yield from self._implied(page, lambda element: screen)

    def _options(self, page: Page) -> Iterator[Finding]:
        on_settings_screen = settings_title(page) is not None
        item_kinds = _item_kinds(page)
        for toggle in toggles(page):
            label = toggle.label
            if not label or is_remember_me(label) or _NEGATIVE.match(label):
                continue
            if _kind(toggle.element) in item_kinds and _PRICE.search(label):
                continue  # a cart line selected for checkout: its title may say 营销 or 隐私
            if on_settings_screen and container_of(page, toggle.element) is None:
                continue  # a settings screen shows the current state, not a default
            if _legitimate_interest(toggle.element, label):
                continue  # on by default in every TCF dialog; regulators differ (debatable)
            if not topics_in(label) and toggle.question and is_accept_label(label):
                label = f"{toggle.question} {label}"  # "开启" answering "个性化广告："
            topics = topics_in(label)
            if not topics:
                continue
            preselected = toggle.checked and not toggle.disabled and not is_necessary_only(label)
            bundled = bundled_purposes(label)
            if preselected or bundled:
                yield self._option_finding(page, toggle.element, label, topics, preselected=preselected,
                                           bundled=bundled)

    def _option_finding(self, page: Page, element: Tag, label: str, topics: list[str], *, preselected: bool,
                        bundled: list[str]) -> Finding:
        about = ", ".join(_TOPIC_WORDS[t] for t in topics)
        problems = (["pre-checked"] if preselected else []) + (["bundled"] if bundled else [])
        if preselected:
            title = f"{about[0].upper() + about[1:]} option pre-checked: “{short_label(label)}”"
            message = ("This option is already checked when the page is shown, so the user \"consents\" by "
                       "doing nothing. Consent must be an active choice: leave it unchecked by default.")
        else:
            title = f"Consent bundled with the terms: “{short_label(label)}”"
            message = ("One checkbox accepts the terms or privacy policy together with "
                       f"{', '.join(_TOPIC_WORDS[p] for p in bundled)}; optional purposes need their own choice.")
        if preselected and bundled:
            message += (" It also bundles " + ", ".join(_TOPIC_WORDS[p] for p in bundled)
                        + " with accepting the terms.")
        details = {"problem": problems, "label": label, "topics": topics}
        if bundled:
            details["bundled"] = bundled
        return self.finding(title=title, message=message, location=page.location(element),
                            evidence=Evidence(details=details))

    def _implied(self, page: Page, continue_scope: Callable[[Tag], Tag]) -> Iterator[Finding]:
        """Consent implied by continued use; "by continuing, you agree" is left out when a
        Continue button within ``continue_scope`` of the text is what "continuing" means."""
        for element, match in innermost_matches(page, IMPLIED_CONSENT):
            if CONTINUING_CONSENT.fullmatch(match.group(0)) and _has_continue_button(page, continue_scope(element)):
                continue
            yield self.finding(
                title=f"Consent implied by continued use: “{short_label(match.group(0))}”",
                message=("The page treats continuing to use it as consent. Silence or inactivity is not "
                         "consent: ask for an explicit choice with a way to refuse."),
                location=page.location(element),
                evidence=Evidence(details={"problem": ["implied"], "phrase": match.group(0)}),
            )


_LEGITIMATE_INTEREST_NAME = re.compile(r"leg(?:itimate)?[-_ ]?int(?:erest)?|\blegint", re.IGNORECASE)


def _legitimate_interest(element: Tag, label: str) -> bool:
    """A TCF toggle for processing on legitimate interest, by its label or its names."""
    names = " ".join(" ".join(v) if isinstance(v, list) else str(v) for k, v in element.attrs.items()
                     if k in ("id", "name", "class", "aria-label") or k.startswith("data-"))
    return bool(LEGITIMATE_INTEREST.search(label) or LEGITIMATE_INTEREST.search(names)
                or _LEGITIMATE_INTEREST_NAME.search(names))


def _item_kinds(page: Page) -> set[tuple[str, ...]]:
    """Kinds of toggle that select items of a list — a cart's lines: toggles of one kind
    (tag, name, class, resource id) of which two or more carry a price."""
    priced: dict[tuple, int] = {}
    for toggle in toggles(page):
        if _PRICE.search(toggle.label):
            priced[_kind(toggle.element)] = priced.get(_kind(toggle.element), 0) + 1
    return {kind for kind, count in priced.items() if count >= 2}


def _kind(element: Tag) -> tuple[str, ...]:
    """Toggles alike: the same tag, type, name, class names and resource id."""
    return (element.name, *(repr(element.get(a)) for a in ("type", "name", "class", "resource-id")))


def _continue_scope(page: Page, element: Tag) -> Tag:
    """Where a web page's Continue button for "by continuing" text sits: the same form or
    prompt, else the box around the text."""
    parents = list(element.parents)
    return element.find_parent("form") or container_of(page, element) or (parents + [element])[1]


def _has_continue_button(page: Page, scope: Tag) -> bool:
    inside = {id(e) for e in scope.find_all(True)}
    return any(normalise_label(a.label).lower().startswith("continue")
               for a in actions(page) if id(a.element) in inside)
