"""The wording of consent prompts and their options (Chinese, English, the EU
languages, Japanese and Korean): what an option or a prompt is about, consent implied
by continued use, accept and decline labels, recommendation feeds and settings screens.

Wording is matched against whole labels where the label is what counts (an accept
button says "同意" and nothing else) and searched inside text where a phrase is what
counts ("继续使用即表示同意"). Topics of an option are named by what the option is
about, never by a lone word that also means something else: "个性化" needs 推荐 /
广告 / 内容 after it ("个性化定制" is engraving), "优惠" alone is a coupon.
"""
from __future__ import annotations

import re

# --- what an option or a prompt is about ----------------------------------------------------

# English words are matched whole against Latin letters only: "\b" would also refuse the
# boundary in "使用Cookie改善体验", where a Chinese character touches the word.
_BEGIN, _END = r"(?<![A-Za-z])", r"(?![A-Za-z])"

TOPICS: dict[str, re.Pattern] = {
    "privacy": re.compile(
        r"隐私|个人信息|用户协议|服务协议|服务条款|使用条款|许可协议|授权协议|注册协议|会员协议"
        r"|《[^》]{1,40}(?:协议|政策|条款|规则|声明|须知|指引)》"
        r"|privacy|personal (?:data|information)|terms of (?:service|use)|terms (?:and|&) conditions"
        rf"|{_BEGIN}terms{_END}|user agreement|{_BEGIN}eula{_END}|data processing|{_BEGIN}consent{_END}"
        # the EU languages, Japanese, Korean
        r"|datenschutz|nutzungsbedingungen|\bagb\b|einwilligung|confidentialit[ée]|donn[ée]es personnelles"
        r"|conditions g[ée]n[ée]rales|consentement|privacidad|datos personales|t[ée]rminos y condiciones"
        r"|consentimiento|dati personali|informativa|consenso|termini e condizioni|persoonsgegevens"
        r"|algemene voorwaarden|toestemming|privacidade|dados pessoais|termos de uso|prywatno[śs]ć|dane osobowe"
        r"|regulamin|zgod[aęy]|integritet|personuppgifter|samtycke|persondata|samtykke|tietosuoja|suostumus"
        r"|ochrana osobn[íi]ch [úu]daj[ůu]|souhlas|adatv[ée]delem|hozz[áa]j[áa]rul[áa]s|confiden[țt]ialitate"
        r"|προσωπικ[άα] δεδομ[έε]να|συγκατ[άα]θεση|個人情報|プライバシー|利用規約|同意事項|개인정보|이용약관|동의",
        re.IGNORECASE),
    "personalisation": re.compile(
        r"个性化(?:推荐|广告|内容|服务|推送|展示|营销|信息)|定向(?:推送|推荐|广告)|精准(?:推荐|推送|营销|广告)"
        r"|兴趣推荐|程序化广告"
        r"|personali[sz]ed (?:ads|advertising|advertisements|recommendations|content|experience|offers"
        r"|marketing|suggestions|feed|results)|personali[sz]ation|ad personali[sz]"
        r"|tailored (?:ads|advertising|content|offers|recommendations)|interest-based"
        r"|targeted (?:ads|advertising|marketing)"
        r"|personalisierte (?:werbung|anzeigen|inhalte)|personalisierung|publicit[ée]s? personnalis[ée]es?"
        r"|personnalis(?:ation|[ée]e?s?)|(?:anuncios|publicidad|contenidos?) personalizad[oa]s?|personalizaci[óo]n"
        r"|(?:annunci|pubblicit[àa]|contenuti) personalizzat[ie]|personalizzazione|gepersonaliseerde"
        r"|personalisatie|an[úu]ncios personalizados|personaliza[çc][ãa]o|spersonalizowan|personanpassad"
        r"|personaliserede?|personoidut|パーソナライズ|ターゲティング広告|맞춤형 (?:광고|콘텐츠)|개인 ?맞춤"
        r"|create a personalised (?:ads|content) profile", re.IGNORECASE),
    "marketing": re.compile(
        r"营销|推广|促销|订阅|优惠(?:信息|活动|资讯|通知|推送)|广告(?:推送|信息|短信|邮件)"
        r"|(?:接收|发送|推送)[^，。,.；;]{0,10}(?:短信|邮件|消息|通知|资讯)"
        rf"|newsletter|marketing|promotion|special offers|{_BEGIN}offers{_END}|{_BEGIN}deals{_END}|subscribe"
        r"|send me (?:news|offers|updates|promotions|marketing|e-?mails?|newsletters?|information)"
        r"|keep me (?:informed|updated|posted)|contact me"
        r"|werbung|werbliche|angebote|newsletters?|publicit[ée]|offres (?:commerciales|promotionnelles)"
        r"|prospection|publicidad|comunicaciones comerciales|ofertas|pubblicit[àa]|comunicazioni commerciali"
        r"|promozion|reclame|aanbiedingen|nieuwsbrief|comunica[çc][õo]es (?:comerciais|de marketing)"
        r"|promo[çc][õo]es|reklam|oferty|informacj[ei] handlow|erbjudanden|tilbud|markkinointi|mainonta"
        r"|obchodn[íi] sd[ěe]len[íi]|hirdet[ée]s|publicitate|διαφ[ήη]μιση|メールマガジン|メルマガ|広告メール"
        r"|お得な情報|キャンペーン情報|광고성 정보|마케팅|이벤트 (?:정보|소식)|혜택 (?:정보|알림)", re.IGNORECASE),
    "sharing": re.compile(
        r"共享|(?:提供|分享|传输|披露)给?(?:第三方|合作伙伴|合作方|关联公司|关联方)"
        r"|(?:share|sharing) (?:my |your )?(?:data|information|details|personal)"
        r"|(?:share|sharing) with (?:our )?(?:partners|third parties|affiliates)|sell my"
        r"|weitergabe an (?:dritte|partner)|an dritte weiter|partag(?:e|er) (?:mes|vos) donn[ée]es|avec (?:nos|des) partenaires"
        r"|ceder (?:mis|sus) datos|cesi[óo]n de (?:mis |sus )?datos|cessione (?:dei )?(?:miei |suoi )?dati"
        r"|comunicazione (?:dei dati )?a terzi|delen met (?:derden|partners)|compartilhar (?:meus |seus )?dados"
        r"|przekaz(?:anie|ywanie) (?:danych|moich danych)|第三者(?:へ|に)(?:の)?提供|제3자 제공", re.IGNORECASE),
    "auto_renewal": re.compile(
        r"自动续费|自动续订|自动续期|自动续约|连续包月|连续包季|连续包年|到期自动(?:续|扣)|自动扣款|免密支付"
        r"|auto[- ]?renew|automatic(?:ally)? renew|renews? automatically"
        rf"|recurring (?:payment|billing|charge|subscription)|auto[- ]?pay{_END}", re.IGNORECASE),
    "cookies": re.compile(rf"{_BEGIN}cookies?{_END}|t[ée]moins|evästeet|ev[äa]ste|kolačić|piškot|sīkdatn|slapuk"
                          r"|küpsis|sütik|クッキー|쿠키", re.IGNORECASE),
    "analytics": re.compile(
        r"体验改进计划|改进计划|诊断数据|usage (?:data|statistics)|diagnostic data|analytics"
        r"|improvement program|help (?:us )?improve", re.IGNORECASE),
}
# Purposes that are not needed to provide the service: what must not ride along with
# accepting the terms ("bundled" consent), and what a prompt may not force.
OPTIONAL_PURPOSES = ("personalisation", "marketing", "sharing", "auto_renewal")
# What makes a dialog or banner a consent / personalisation prompt (UI007).
PROMPT_TOPICS = ("privacy", "cookies", "personalisation")

_REMEMBER_ME = re.compile(
    r"remember (?:me|my (?:login|username|e-?mail|password)|this (?:device|browser|computer))"
    r"|keep me (?:signed|logged) in|stay (?:signed|logged) in"
    r"|记住(?:我|密码|账号|帐号|用户名|登录|登陆)|自动登[录陆]|免登[录陆]", re.IGNORECASE)
_NECESSARY = re.compile(rf"strictly necessary|{_BEGIN}(?:necessary|essential|required){_END}|always (?:active|on)"
                        r"|必要|必需|基础功能|基本功能|始终(?:启用|开启|激活)", re.IGNORECASE)
# A document title inside a label: 《自动续费服务协议》 names the product's terms, not a
# purpose the user is asked to accept alongside them.
_DOCUMENT_TITLE = re.compile(r"《[^》]*》|“[^”]*(?:协议|政策|条款)”")


# A TCF dialog's toggles for processing on "legitimate interest" rather than consent:
# switched on by default is what the framework does, and regulators differ on it, so
# it is not reported as a pre-checked consent.
LEGITIMATE_INTEREST = re.compile(
    r"legitimate interest|berechtigte[sn]? interesse|int[ée]r[êe]t l[ée]gitime|inter[ée]s leg[íi]timo"
    r"|legittimo interesse|interesse legittimo|gerechtvaardigd belang|interesse leg[íi]timo"
    r"|prawnie uzasadnion|ber[äa]ttigat intresse|legitim(?:e|t) interesse|oikeutettu etu|opr[áa]vněn[ýy] z[áa]jem"
    r"|jogos [ée]rdek|interes legitim|έννομο συμφέρον|正当な利益|정당한 이익", re.IGNORECASE)


def topics_in(text: str) -> list[str]:
    return [name for name, pattern in TOPICS.items() if pattern.search(text)]


def is_remember_me(text: str) -> bool:
    return bool(_REMEMBER_ME.search(text))


def is_necessary_only(text: str) -> bool:
    """A strictly-necessary option: says so and names no optional purpose."""
    return bool(_NECESSARY.search(text)) and not set(topics_in(text)) & {*OPTIONAL_PURPOSES, "analytics"}


# What names a terms document (the word "consent" alone does not: a TCF dialog's per-purpose
# toggle "Consent: personalised ads" asks for that purpose alone).
_TERMS_DOCUMENT = re.compile(
    r"协议|条款|政策|规则|声明|须知|指引|《[^》]{1,40}》|terms|conditions|privacy (?:policy|notice|statement)"
    r"|user agreement|\beula\b|agb|nutzungsbedingungen|datenschutzerkl[äa]rung|datenschutzhinweise"
    r"|conditions g[ée]n[ée]rales|politique de confidentialit[ée]|t[ée]rminos|pol[íi]tica de privacidad"
    r"|termini|informativa|voorwaarden|privacyverklaring|termos|pol[íi]tica de privacidade|regulamin"
    r"|polityk[aęi] prywatno[śs]ci|villkor|vilk[åa]r|ehdot|利用規約|プライバシーポリシー|個人情報保護方針"
    r"|이용약관|개인정보\s?처리방침", re.IGNORECASE)


def bundled_purposes(label: str) -> list[str]:
    """The optional purposes one consent label asks for together with accepting the
    terms or the privacy policy ("我已阅读并同意《用户协议》，并同意接收营销短信")."""
    if not TOPICS["privacy"].search(label) or not _TERMS_DOCUMENT.search(label):
        return []
    outside_titles = _DOCUMENT_TITLE.sub(" ", label)
    return [p for p in OPTIONAL_PURPOSES if TOPICS[p].search(outside_titles)]


# --- implied consent -----------------------------------------------------------------------

_CLAUSE = r"[^。！!？?\n]"
# Consent read from continued use rather than from a choice. "登录即代表同意" is left out:
# it names the button the user presses.
IMPLIED_CONSENT = re.compile(
    rf"(?:继续|持续)(?:使用|浏览|访问|操作|阅读){_CLAUSE}{{0,20}}?(?:表示|视为|视作|代表|意味着|默认|等同于)"
    rf"{_CLAUSE}{{0,12}}?(?:同意|接受|授权|认可)"
    rf"|(?:使用|浏览|访问)本(?:网站|站|应用|产品|服务|平台|app){_CLAUSE}{{0,10}}?(?:即|则|就)"
    rf"(?:表示|视为|视作|代表|意味着|默认){_CLAUSE}{{0,12}}?(?:同意|接受)"
    r"|by (?:(?:continuing(?: to (?:use|browse|visit))?|browsing)(?: (?:this|our|the) (?:site|website|app|page))?"
    r"|(?:using|visiting|staying on|remaining on) (?:this|our|the) (?:site|website|app|application|services?|page))"
    r",? you (?:are )?(?:agree|agreeing|consent|consenting|accept|accepting)"
    r"|continued use of (?:this|our|the) (?:site|website|app|application|services?) "
    r"(?:constitutes|means|signifies|indicates) (?:your )?(?:acceptance|consent|agreement)"
    r"|if you continue(?: to (?:use|browse))?(?: (?:this|our) (?:site|website))?,? "
    r"(?:we(?:'ll| will) assume|you agree|you consent)"
    r"|we(?:'ll| will) assume (?:that )?you(?:'re| are) (?:ok|okay|happy|fine) with (?:this|it|that)"
    rf"|by clicking {_CLAUSE}{{0,60}}? or (?:by )?(?:continuing|using (?:this|our|the) (?:site|website))"
    r"(?: to (?:use|browse))?,? you (?:are )?(?:agree|agreeing|consent|consenting|accept|accepting)"
    # the EU languages, Japanese, Korean: "by (continuing to) use (of) the site you agree"
    rf"|(?:durch|mit) (?:die |der )?(?:weitere |fortgesetzte )?(?:nutzung|verwendung|besuch){_CLAUSE}{{0,40}}?"
    r"(?:stimmen sie|erkl[äa]ren sie sich|akzeptieren sie|willigen sie)"
    rf"|wenn sie {_CLAUSE}{{0,30}}?weiter(?:hin)? (?:nutzen|surfen|besuchen|verwenden){_CLAUSE}{{0,40}}?"
    r"(?:stimmen sie|gehen wir davon aus|erkl[äa]ren sie sich|akzeptieren sie)"
    rf"|en (?:poursuivant|continuant){_CLAUSE}{{0,40}}?(?:vous acceptez|vous consentez|vous donnez votre accord)"
    rf"|(?:si (?:contin[úu]as?|sigues?|sigue) (?:navegando|utilizando|usando)|al (?:continuar|seguir) "
    rf"(?:navegando|utilizando|usando)){_CLAUSE}{{0,40}}?(?:acepta|aceptas|consiente|consientes|"
    r"(?:consideramos|entendemos) que (?:acepta|aceptas|est[áa]s? de acuerdo))"
    rf"|(?:se (?:continui|prosegui)|continuando|proseguendo)(?: (?:a|ad|la|nella|con la))? "
    rf"(?:navigare|navigazione|utilizzare|usare){_CLAUSE}{{0,50}}?(?:acconsenti|accetti|assumiamo|si accetta"
    r"|acconsente|accetta)"
    rf"|door (?:verder te (?:gaan|surfen)|gebruik te maken van|deze (?:website|site) te gebruiken)"
    rf"{_CLAUSE}{{0,40}}?(?:ga je akkoord|gaat u akkoord|stem je in|stemt u in)"
    rf"|ao (?:continuar|prosseguir)(?: a)? (?:navegar|navegando|utilizar|usar){_CLAUSE}{{0,40}}?"
    r"(?:concorda|aceita|consente)"
    rf"|(?:korzystaj[ąa]c|kontynuuj[ąa]c){_CLAUSE}{{0,40}}?(?:zgadzasz si[ęe]|wyra[żz]asz zgod[ęe]|akceptujesz)"
    rf"|genom att (?:forts[äa]tta|anv[äa]nda){_CLAUSE}{{0,40}}?(?:godk[äa]nner du|accepterar du|samtycker du)"
    rf"|ved at (?:forts[æa]tte|bruge){_CLAUSE}{{0,40}}?(?:accepterer du|giver du samtykke)"
    rf"|(?:本|当|この)(?:サイト|ウェブサイト|webサイト)を(?:引き続き)?(?:ご)?(?:利用|閲覧){_CLAUSE}{{0,15}}?"
    rf"(?:ことで|場合){_CLAUSE}{{0,20}}?同意"
    rf"|(?:계속|사이트를|웹사이트를) ?(?:이용|사용|방문)(?:하시면|함으로써|하는 경우){_CLAUSE}{{0,30}}?동의",
    re.IGNORECASE)
# "By continuing, you agree": continued use, unless a Continue button is what "continuing"
# means (sign-in forms say this above their Continue button).
CONTINUING_CONSENT = re.compile(r"by continuing,? you (?:are )?(?:agree|agreeing|consent|consenting|accept)",
                                re.IGNORECASE)


# --- accept and decline actions ------------------------------------------------------------

_ACCEPT = re.compile(
    r"(?:我|您)?(?:已阅读并)?(?:同意|接受)(?:并|，)?(?:继续|进入|使用|开始使用|授权|关闭|继续使用)?"
    r"|同意(?:协议|授权|隐私政策)|(?:全部|一键)?(?:接受|允许)(?:全部|所有)?|我接受|开启|立即开启|去开启|确定|确认"
    r"|好的?|知道了|我知道了|继续|进入|立即体验|开始使用|进入应用"
    r"|(?:i )?accept(?: all)?(?: cookies)?(?: (?:and|&) (?:continue|close))?|(?:i )?agree(?: (?:and|&) continue)?"
    r"|(?:yes,? )?i agree|allow(?: all)?(?: cookies)?|ok(?:ay)?|got it|continue|yes|enable|turn on"
    r"|(?:i )?consent|understood|sounds good"
    # the EU languages, Japanese, Korean
    r"|(?:alle )?(?:akzeptieren|annehmen|zulassen)(?: und (?:weiter|schlie(?:ß|ss)en))?|zustimmen(?: und weiter)?"
    r"|einverstanden|ich stimme zu|(?:tout )?accepter(?: (?:et|&) (?:fermer|continuer))?|j'accepte|d'accord"
    r"|aceptar(?: todo| todas| y (?:continuar|cerrar))?|acepto|de acuerdo|accett(?:a|o)(?: tutt[io])?"
    r"|(?:alles |alle )?accepteren|akkoord|aceitar(?: tudo| todos)?|aceito|concordo|zaakceptuj(?: wszystko)?"
    r"|akceptuj[ęe]|zgadzam si[ęe]|przejd[źz] do serwisu|(?:godk[äa]nn|acceptera|accepter|hyv[äa]ksy)(?: alla| alle| kaikki)?"
    r"|souhlas[íi]m|p[řr]ijmout v[šs]e|elfogadom|accept[ăa] tot|αποδοχ[ήη](?: όλων)?|sutinku|piekr[īi]tu"
    r"|同意する|すべて同意|全て同意|同意して(?:閉じる|続ける)|了解|동의(?:합니다|하기)?|모두 ?동의|확인", re.IGNORECASE)
_DECLINE = re.compile(
    r"(?:我|暂)?不同意(?:并退出(?:应用)?)?|(?:我|全部)?拒绝(?:全部|所有)?|残忍拒绝|(?:暂)?不接受|不允许|禁止"
    r"|仅(?:接受|使用|允许)?(?:必要|必需)(?:的)?(?:cookie|功能)?|只接受必要(?:的)?(?:cookie)?|仅限必要"
    r"|暂不(?:使用|开启|需要|同意)?|以后再说|稍后再说|下次再说|退出(?:应用)?|仅浏览(?:模式)?|进入浏览模式"
    r"|(?:使用|进入|仅使用)?基本功能(?:模式)?|进入基本模式|不开启|关闭(?:个性化推荐|个性化)?|取消|否|不用了"
    r"|no(?:,? thanks)?|reject(?: all)?(?: cookies)?|decline(?: all)?|deny(?: all)?|refuse(?: all)?"
    r"|(?:i )?disagree|(?:i )?(?:do not|don't) agree|not now|(?:accept |allow |use )?(?:only )?"
    r"(?:necessary|essential)(?: cookies)?(?: only)?|continue without (?:accepting|agreeing)|close|cancel"
    r"|opt[- ]out|turn off|exit|leave"
    r"|(?:alle )?ablehnen|nur (?:notwendige|erforderliche|essenzielle)(?: cookies)?(?: (?:akzeptieren|zulassen))?"
    r"|nicht einverstanden|(?:tout )?refuser|continuer sans accepter|je refuse|rechazar(?: todo| todas)?"
    r"|no acepto|rifiut(?:a|o)(?: tutt[io])?|continua senza accettare|(?:alles |alle )?weigeren|niet akkoord"
    r"|rejeitar(?: tudo| todos)?|recusar|odrzu[ćc](?: wszystko)?|nie zgadzam si[ęe]|neka(?: alla)?|avvisa"
    r"|afvis(?: alle)?|hylk[äa][äa](?: kaikki)?|odm[íi]tnout(?: v[šs]e)?|elutas[íi]t(?:om|[áa]s)|respinge"
    r"|απ[όο]ρριψη|拒否(?:する)?|同意しない|すべて拒否|거부(?:하기)?|동의하지 ?않음|모두 ?거부", re.IGNORECASE)
_FOLLOW_ON = re.compile(r"\s*[，,]\s*|并")
_LABEL_EDGES = re.compile(r"^[\s\"'“”‘’「」【】\[\]()（）<>›»→✓✔·.,。，!！:：]+|[\s\"'“”‘’「」【】\[\]()（）<>›»→✓✔·.,。，!！:：]+$")


def normalise_label(text: str) -> str:
    """A control's label as compared: trimmed of quotes, arrows and punctuation, with
    runs of spaces collapsed (and removed altogether between Chinese characters)."""
    label = _LABEL_EDGES.sub("", re.sub(r"\s+", " ", text.replace("’", "'")))
    return label if re.search(r"[A-Za-z]", label) else label.replace(" ", "")


def is_decline_label(text: str) -> bool:
    """A refusal, alone or followed by what it leads to ("不同意，退出App", "拒绝并退出",
    "不同意，仅浏览"): the first clause is the answer."""
    label = normalise_label(text)
    return bool(_DECLINE.fullmatch(label) or _DECLINE.fullmatch(_FOLLOW_ON.split(label, 1)[0]))


def is_accept_label(text: str) -> bool:
    label = normalise_label(text)
    return bool(_ACCEPT.fullmatch(label)) and not _DECLINE.fullmatch(label)


# --- recommendation feeds and settings screens ----------------------------------------------

_FEED = re.compile(
    r"(?:为你|为您|给你|给您)(?:推荐|精选|专属推荐)|猜你喜欢|猜您喜欢|你可能(?:还)?(?:喜欢|感兴趣)|您可能(?:还)?(?:喜欢|感兴趣)"
    r"|推荐给你|推荐给您|专属推荐|个性推荐"
    r"|recommended for you|(?:just |picked |top picks )?for you|because you (?:watched|viewed|liked|bought) .*"
    r"|based on your (?:interests|activity|browsing(?: history)?)", re.IGNORECASE)
_SETTINGS_TITLE = re.compile(
    r"(?:隐私|系统|通用|账号|帐号|账户|个性化|推荐|消息|通知|广告|个性化推荐|内容偏好|偏好|安全|权限|功能)?设置|隐私管理"
    r"|(?:privacy|account|notification|ad|ads|app|general|recommendation|personali[sz]ation|content)?\s*settings"
    r"|preferences", re.IGNORECASE)
FEED_LABEL_MAX = 30


def is_feed_heading(text: str) -> bool:
    label = normalise_label(text)
    return len(label) <= FEED_LABEL_MAX and bool(_FEED.fullmatch(label))


def is_settings_title(text: str) -> bool:
    return bool(_SETTINGS_TITLE.fullmatch(normalise_label(text)))
