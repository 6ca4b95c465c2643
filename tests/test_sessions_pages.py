"""Realistic whole pages and app screens (news, login, product, cookie preferences,
splash and privacy dialogs), saved or captured in flows, through every check: the clean
page gives no finding; each dirty variant adds one violation and exactly that is found."""
from __future__ import annotations

import pytest

from tests.helpers import (
    UA_ANDROID,
    all_flow_findings,
    all_page_findings,
    app_fixture,
    app_from_yaml,
    describe_findings,
    make_flow,
)
from tests.helpers import dump as uiautomator_dump
from tests.helpers import node as uiautomator_node

# Whole sessions and pages are written inline as data, one line as captured.
# ruff: noqa: E501

NEWS_HOME = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>新闻日报 - 权威新闻 即时资讯</title>
<meta name="keywords" content="新闻,时政,财经,科技">
<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css" rel="stylesheet">
<style>
  .cookie-bar{position:fixed;left:0;right:0;bottom:0;z-index:1080;background:#212529;color:#fff;padding:12px 16px}
  .cookie-bar .btn{min-width:96px}
  footer{background:#f8f9fa;color:#6c757d;font-size:13px}
</style>
</head>
<body>
<nav class="navbar navbar-expand-lg bg-body-tertiary">
  <div class="container-fluid">
    <a class="navbar-brand" href="/"><img src="/static/img/logo.png" alt="新闻日报" width="120" height="32"></a>
    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainNav" aria-controls="mainNav" aria-expanded="false" aria-label="Toggle navigation"><span class="navbar-toggler-icon"></span></button>
    <div class="collapse navbar-collapse" id="mainNav">
      <ul class="navbar-nav me-auto mb-2 mb-lg-0">
        <li class="nav-item"><a class="nav-link active" aria-current="page" href="/">首页</a></li>
        <li class="nav-item"><a class="nav-link" href="/politics/">时政</a></li>
        <li class="nav-item"><a class="nav-link" href="/finance/">财经</a></li>
        <li class="nav-item"><a class="nav-link" href="/tech/">科技</a></li>
      </ul>
      <button type="button" class="btn btn-outline-primary btn-sm" data-bs-toggle="modal" data-bs-target="#subscribeModal">订阅早报</button>
    </div>
  </div>
</nav>
<main class="container my-4">
  <div class="row">
    <div class="col-md-8">
      <div class="card mb-3"><div class="card-body">
        <h5 class="card-title"><a href="/news/2026/11/29/123456.html">国务院常务会议部署进一步扩大内需</a></h5>
        <p class="card-text text-muted">2026-11-29 09:30 · 来源：新华社 · 阅读 128万</p></div></div>
      <div class="card mb-3"><div class="card-body">
        <h5 class="card-title"><a href="/finance/2026/11/29/123457.html">“双12”临近 电商平台价格战升温</a></h5>
        <p class="card-text text-muted">2026-11-29 08:10 · 本报记者 李明 · 阅读 56万</p></div></div>
      <nav aria-label="分页"><ul class="pagination"><li class="page-item active"><a class="page-link" href="/?page=1">1</a></li>
        <li class="page-item"><a class="page-link" href="/?page=2">2</a></li><li class="page-item"><a class="page-link" href="/?page=3">3</a></li></ul></nav>
    </div>
    <aside class="col-md-4">
      <div class="list-group">
        <a class="list-group-item list-group-item-action" href="https://weibo.com/xinwenribao" target="_blank" rel="noopener">官方微博</a>
        <a class="list-group-item list-group-item-action" href="https://www.gov.cn/" target="_blank" rel="noopener">中国政府网</a>
        <a class="list-group-item list-group-item-action" href="https://www.12377.cn/" target="_blank" rel="noopener">网上有害信息举报</a>
      </div>
    </aside>
  </div>
</main>
<div class="modal fade" id="subscribeModal" tabindex="-1" aria-labelledby="subscribeModalLabel" aria-hidden="true">
  <div class="modal-dialog"><div class="modal-content">
    <div class="modal-header"><h1 class="modal-title fs-5" id="subscribeModalLabel">订阅新闻早报</h1>
      <button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="关闭"></button></div>
    <div class="modal-body"><form action="/api/subscribe" method="post">
      <input type="email" class="form-control" name="email" placeholder="name@example.com">
      <div class="form-check mt-2"><input class="form-check-input" type="checkbox" id="weekly" name="weekly">
        <label class="form-check-label" for="weekly">同时订阅周末特刊</label></div></form></div>
    <div class="modal-footer"><button type="button" class="btn btn-secondary" data-bs-dismiss="modal">取消</button>
      <button type="submit" class="btn btn-primary">订阅</button></div>
  </div></div>
</div>
%(banner)s
%(ad)s
<footer class="py-4 mt-5 text-center">
  <p>新闻日报社 版权所有 © 2008-2026 · 地址：上海市静安区威海路755号 · 违法和不良信息举报电话：021-22899999</p>
  <p>%(icp)s <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=31010602000123" target="_blank">沪公网安备 31010602000123号</a>
    · 互联网新闻信息服务许可证：31120180001</p>
</footer>
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js"></script>
<script>
  document.getElementById('cookieAccept') && document.getElementById('cookieAccept').addEventListener('click', function () {
    localStorage.setItem('cookie_consent', 'all'); document.getElementById('cookieBar').remove();
  });
  document.getElementById('cookieReject') && document.getElementById('cookieReject').addEventListener('click', function () {
    localStorage.setItem('cookie_consent', 'necessary'); document.getElementById('cookieBar').remove();
  });
</script>
</body>
</html>
"""


ICP = '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">沪ICP备2021012345号-1</a>'


EQUAL_BANNER = """<div class="cookie-bar d-flex align-items-center justify-content-between" id="cookieBar" role="region" aria-label="Cookie 提示">
  <span>我们使用 Cookie 来改善您的阅读体验并进行统计分析。详见《<a class="link-light" href="/privacy.html">隐私政策</a>》。</span>
  <span><button type="button" class="btn btn-outline-light btn-sm" id="cookieReject">拒绝</button>
  <button type="button" class="btn btn-light btn-sm" id="cookieAccept">接受</button></span>
</div>"""


ACCEPT_ONLY_BANNER = """<div class="cookie-bar d-flex align-items-center justify-content-between" id="cookieBar" role="region" aria-label="Cookie 提示">
  <span>我们使用 Cookie 来改善您的阅读体验并进行个性化推荐。继续浏览前请确认。详见《<a class="link-light" href="/privacy.html">隐私政策</a>》。</span>
  <span><button type="button" class="btn btn-light btn-sm" id="cookieAccept">接受</button></span>
</div>"""


FAKE_CLOSE_AD = """<div class="container"><div class="ad-banner position-relative" id="adSlot3">
  <a href="https://s.click.taobao.com/t?e=m%3D2%26s%3DabcXYZ" target="_blank" rel="nofollow">
    <img src="https://img.alicdn.com/imgextra/i4/ad_970x90.jpg" alt="广告" width="970" height="90">
    <span class="ad-close position-absolute top-0 end-0">×</span>
  </a></div></div>"""


NEWS_URL = "https://www.xinwen-daily.cn/"


def news_home(banner=EQUAL_BANNER, icp=ICP, ad=""):
    return NEWS_HOME % {"banner": banner, "icp": icp, "ad": ad}


NEWS_ARTICLE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>“双12”临近 电商平台价格战升温_财经_新闻日报</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="新闻日报">
<meta property="og:title" content="“双12”临近 电商平台价格战升温">
<meta property="og:url" content="https://www.xinwen-daily.cn/finance/2026/11/29/123457.html">
<meta property="article:published_time" content="2026-11-29T08:10:00+08:00">
<link rel="canonical" href="https://www.xinwen-daily.cn/finance/2026/11/29/123457.html">
<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css" rel="stylesheet">
</head>
<body>
<main class="container my-4">
<article class="col-lg-8 mx-auto">
  <h1 class="display-6">“双12”临近 电商平台价格战升温</h1>
  <p class="text-muted">2026-11-29 08:10 · 本报记者 李明 · 责任编辑：王芳</p>
  <p>随着“双12”临近，淘宝、京东、拼多多等平台纷纷推出满减活动。淘宝相关负责人表示，今年将投入百亿补贴；
     微信支付与支付宝也同步推出立减金。业内人士认为，价格战将持续至年底。</p>
  <p>据统计，截至11月28日，主要平台累计订单量同比增长23.5%%，客单价为128.6元。某平台订单号
     2026112810000012345 显示，一名消费者在0点抢购成功。</p>
  <blockquote class="blockquote"><p>“消费者要理性消费，注意核对商品价格。”</p></blockquote>
  <p>市场监管部门提醒，消费者如遇价格欺诈可拨打12315热线投诉，或登录全国12315平台
     <a href="https://www.12315.cn/" target="_blank">www.12315.cn</a>。</p>
  <div class="alert alert-secondary">%(extra)s</div>
  <div class="share">分享到：<a href="https://service.weibo.com/share/share.php?url=https%%3A%%2F%%2Fwww.xinwen-daily.cn%%2Ffinance%%2F2026%%2F11%%2F29%%2F123457.html" target="_blank">微博</a>
    <a href="javascript:void(0)" onclick="showQrcode()">微信</a></div>
</article>
</main>
<footer class="text-center py-3">沪ICP备2021012345号-1 · 违法和不良信息举报电话：021-22899999</footer>
<script>function showQrcode(){document.getElementById('qr').style.display='block'}</script>
<div id="qr" style="display:none">用微信“扫一扫”分享</div>
</body>
</html>
"""


ARTICLE_URL = "https://www.xinwen-daily.cn/finance/2026/11/29/123457.html"


NEWS_BRANDS_APP = """
name: 新闻日报
first_party: [xinwen-daily.cn]
brands:
  - name: 淘宝
    domains: [taobao.com, tmall.com]
  - name: 支付宝
    domains: [alipay.com]
"""


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 - 优选商城</title>
<link rel="stylesheet" href="https://img.yxcdn.com/web/element-plus@2.4.4/index.css">
</head>
<body>
<div id="app" data-v-app="">
<div class="login-wrap" data-v-1f2e3d4c="">
  <div class="login-logo"><img src="https://img.yxcdn.com/web/logo/yx-logo.svg" alt="优选商城"></div>
  <form class="el-form el-form--default el-form--label-top login-form" action="/passport/login" method="post">
    <div class="el-form-item is-required"><label class="el-form-item__label" for="mobile">手机号</label>
      <div class="el-input"><div class="el-input__wrapper"><input class="el-input__inner" id="mobile" name="mobile" type="tel" maxlength="11" autocomplete="tel" placeholder="请输入手机号"></div></div></div>
    <div class="el-form-item is-required"><label class="el-form-item__label" for="password">密码</label>
      <div class="el-input"><div class="el-input__wrapper"><input class="el-input__inner" id="password" name="password" type="password" autocomplete="current-password" placeholder="请输入密码"></div></div></div>
    <div class="el-form-item"><label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><input class="el-checkbox__original" type="checkbox" name="remember" checked><span class="el-checkbox__inner"></span></span><span class="el-checkbox__label">记住我（7天内自动登录）</span></label></div>
    <div class="el-form-item agreement"><label class="el-checkbox%(agree_cls)s"><span class="el-checkbox__input%(agree_cls)s"><input class="el-checkbox__original" type="checkbox" name="agree" value="1"%(agree_attr)s><span class="el-checkbox__inner"></span></span><span class="el-checkbox__label">我已阅读并同意<a href="/agreement.html" target="_blank">《用户服务协议》</a>和<a href="/privacy.html" target="_blank">《隐私政策》</a></span></label></div>
    <button type="submit" class="el-button el-button--primary el-button--large login-btn"><span>登录</span></button>
  </form>
  <div class="el-divider el-divider--horizontal"><div class="el-divider__text is-center">其他登录方式</div></div>
  <div class="oauth">
    <a class="oauth-btn wechat" href="https://open.weixin.qq.com/connect/qrconnect?appid=wx1a2b3c4d5e6f7a8b&amp;redirect_uri=https%%3A%%2F%%2Fpassport.youxuanmall.com%%2Foauth%%2Fwechat&amp;response_type=code&amp;scope=snsapi_login&amp;state=9f8e7d"><img src="https://img.yxcdn.com/web/icon/wechat.svg" alt="微信">微信登录</a>
    <a class="oauth-btn alipay" href="https://openauth.alipay.com/oauth2/publicAppAuthorize.htm?app_id=2021000123456789&amp;scope=auth_user&amp;redirect_uri=https%%3A%%2F%%2Fpassport.youxuanmall.com%%2Foauth%%2Falipay"><img src="https://img.yxcdn.com/web/icon/alipay.svg" alt="支付宝">支付宝登录</a>
    <a class="oauth-btn qq" href="https://graph.qq.com/oauth2.0/authorize?response_type=code&amp;client_id=101234567&amp;redirect_uri=https%%3A%%2F%%2Fpassport.youxuanmall.com%%2Foauth%%2Fqq"><img src="https://img.yxcdn.com/web/icon/qq.svg" alt="QQ">QQ登录</a>
  </div>
  <p class="tips">登录遇到问题？请联系客服 <a href="tel:4008201234">400-820-1234</a></p>
</div>
</div>
</body>
</html>
"""


LOGIN_BRANDS_APP = """
name: 优选商城
first_party: [youxuanmall.com, yxcdn.com]
brands:
  - name: 优选商城
    domains: [youxuanmall.com]
  - name: 支付宝
    domains: [alipay.com]
  - name: 微信
    domains: [weixin.qq.com, qq.com]
"""


def login_page(precheck=False):
    return LOGIN_PAGE % {"agree_cls": " is-checked" if precheck else "",
                         "agree_attr": " checked" if precheck else ""}


PRODUCT_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>澳洲进口牛排 家庭装 1.2kg - 优选商城</title>
<meta property="og:type" content="product">
<link rel="stylesheet" href="https://img.yxcdn.com/h5/vant@4.8.0/index.css">
</head>
<body>
<div id="app" data-v-app="">
  <div class="van-swipe goods-swipe"><div class="van-swipe__track">
    <div class="van-swipe-item"><img src="https://img.yxcdn.com/goods/2026/11/8f14e45fceea167a5a36dedd4bea2543.jpg" alt="商品主图1"></div></div>
    <div class="van-swipe__indicators"><i class="van-swipe__indicator van-swipe__indicator--active"></i></div></div>
  <div class="van-cell-group goods-info">
    <div class="goods-price"><span class="price">¥128.00</span> <del>¥199.00</del> <span class="van-tag van-tag--danger">限时特惠</span></div>
    <div class="goods-title">澳洲进口牛排 家庭装 1.2kg 谷饲200天 原切</div>
    <div class="goods-meta">商品编号：100012345678 · 月销 2.3万 · 库存 1288</div>
  </div>
  <div class="van-cell van-cell--clickable"><div class="van-cell__title">配送</div><div class="van-cell__value">上海市黄浦区 · 现货，23:00前下单，预计明天送达</div></div>
  <div class="reviews"><h3>商品评价（12,306）</h3>
    <div class="review"><span class="user">1**8</span><span class="stars">★★★★★</span><p>肉质很好，孩子很喜欢，已经第三次回购了。</p><span class="meta">2026-11-27 · 规格：1.2kg</span></div>
    <div class="review"><span class="user">张**</span><span class="stars">★★★★☆</span><p>物流很快，包装完好。</p><span class="meta">2026-11-26 · 买家 138****5678</span></div>
  </div>
  <div class="recommend"><h3>猜你喜欢</h3><div class="van-grid">
    <div class="van-grid-item"><a href="/goods/100023456789.html">有机纯牛奶 250ml*12盒 ¥53.90</a></div>
    <div class="van-grid-item"><a href="/goods/100034567890.html">智利车厘子 2.5kg JJ级 ¥239.00</a></div></div></div>
  <div class="van-popup van-popup--bottom van-popup--round" style="display: none;" role="dialog" aria-modal="true">
    <div class="coupon-title">领取优惠券</div><div class="coupon">满299减50</div>
    <i role="button" tabindex="0" class="van-badge__wrapper van-icon van-icon-cross van-popup__close-icon van-popup__close-icon--top-right"></i></div>
  <div class="shop-service">店铺客服热线：<a href="tel:021-60123456">021-60123456</a></div>
  <div class="van-action-bar"><div class="van-action-bar-icon" role="button">客服</div>
    <div class="van-action-bar-icon" role="button">购物车</div>
    <button class="van-button van-button--warning van-action-bar-button--first">加入购物车</button>
    <button class="van-button van-button--danger van-action-bar-button--last">立即购买</button></div>
</div>
</body>
</html>
"""


COOKIE_PREFS_EN = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Cookie preferences | Wanderly Travel</title>
<meta property="og:url" content="https://www.wanderly-travel.co.uk/">
<style>
 #cookie-modal{position:fixed;inset:0;z-index:9999;background:rgba(0,0,0,.5)}
 #cookie-modal .panel{background:#fff;max-width:560px;margin:10vh auto;padding:24px;border-radius:8px}
 .btn{display:inline-block;padding:10px 18px;font-size:15px;border-radius:4px;min-width:120px}
 .btn-primary{background:#0b5fff;color:#fff}.btn-secondary{background:#0b5fff;color:#fff}
</style></head>
<body>
<header><a href="/"><img src="/img/wanderly.svg" alt="Wanderly Travel"></a></header>
<main><h1>Find your next trip</h1><p>Flights, hotels and holidays from £99.</p></main>
<div id="cookie-modal" role="dialog" aria-modal="true" aria-labelledby="cm-title">
 <div class="panel">
  <h2 id="cm-title">We value your privacy</h2>
  <p>We use cookies to run this site, to measure how it is used and, with your permission, to show you relevant ads.</p>
  <fieldset><legend>Manage preferences</legend>
   <label><input type="checkbox" name="necessary" checked disabled> Strictly necessary (always on)</label><br>
   <label><input type="checkbox" name="analytics"> Analytics cookies</label><br>
   <label><input type="checkbox" name="marketing"%(marketing)s> Marketing and personalised advertising</label>
  </fieldset>
  <button class="btn btn-secondary" id="reject-all" type="button">Reject all</button>
  <button class="btn btn-primary" id="accept-all" type="button">Accept all</button>
  <button class="btn btn-secondary" id="save" type="button">Save preferences</button>
 </div>
</div>
<footer><p>&copy; 2026 Wanderly Travel Ltd. Registered in England No. 01234567. ATOL 12345.</p>
<p>Customer service: <a href="tel:+442071234567">+44 20 7123 4567</a></p></footer>
</body></html>
"""


WECHAT_H5 = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,user-scalable=no">
<title>邀请好友 领30元无门槛券</title>
<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>
<style>body{margin:0;background:#ff4d4f}.share-tip{position:fixed;top:0;right:0;z-index:99;display:none}</style>
</head>
<body>
<div class="invite">
  <img class="banner" src="https://img.yxcdn.com/h5/invite/banner_750.png" alt="邀请有礼">
  <p class="rule">每成功邀请1位新用户下单，您和好友各得30元无门槛券，上不封顶。</p>
  <button class="btn-share" onclick="document.querySelector('.share-tip').style.display='block'">立即邀请</button>
  <ul class="records"><li>138****8000 刚刚领取了30元券</li><li>186****1234 3分钟前领取了30元券</li></ul>
</div>
<div class="share-tip" onclick="this.style.display='none'"><img src="https://img.yxcdn.com/h5/invite/arrow.png" alt="点击右上角分享给好友"></div>
<script>
wx.config({debug:false,appId:'wx1a2b3c4d5e6f7a8b',timestamp:1764000000,nonceStr:'Wm3WZYTPz0wzccnW',signature:'0f9de62fce790f9a083d5c99e95740ceb90c27ed',jsApiList:['updateAppMessageShareData','updateTimelineShareData']});
wx.ready(function(){wx.updateAppMessageShareData({title:'送你30元无门槛券',desc:'优选商城新人专享',link:'https://m.youxuanmall.com/h5/invite?code=YX8848',imgUrl:'https://img.yxcdn.com/h5/invite/share.png'})});
</script>
</body></html>
"""


def node(bounds, *, children="", cls="android.widget.FrameLayout", pkg="com.youxuan.mall", **attributes):
    """A node of this app's screens (``helpers.node`` with its package, a FrameLayout by
    default, ``children`` given as markup)."""
    return uiautomator_node(bounds, *([children] if children else []), cls=cls, pkg=pkg, **attributes)


def dump(*children):
    return uiautomator_dump(*children, pkg="com.youxuan.mall")


def privacy_dialog_dump(with_decline=True):
    buttons = (
        node((120, 1560, 525, 1680), cls="android.widget.Button", text="不同意",
             rid="com.youxuan.mall:id/btn_disagree", clickable=True)
        + node((555, 1560, 960, 1680), cls="android.widget.Button", text="同意",
               rid="com.youxuan.mall:id/btn_agree", clickable=True)
    ) if with_decline else node((120, 1560, 960, 1680), cls="android.widget.Button", text="同意并继续",
                               rid="com.youxuan.mall:id/btn_agree", clickable=True)
    dialog = node((90, 700, 990, 1720), cls="android.widget.LinearLayout",
                  rid="com.youxuan.mall:id/privacy_dialog", children=(
                      node((130, 740, 950, 820), cls="android.widget.TextView", text="个人信息保护指引",
                           rid="com.youxuan.mall:id/tv_title")
                      + node((130, 840, 950, 1520), cls="android.widget.TextView",
                             rid="com.youxuan.mall:id/tv_content",
                             text="欢迎使用优选商城！我们依据最新的法律法规要求，制定了《用户协议》和《隐私政策》。"
                                  "请您在使用前仔细阅读并充分理解。为向您提供商品浏览、下单购买等服务，我们需要收集您的设备信息、"
                                  "订单信息。未经您同意，我们不会向第三方提供您的个人信息。")
                      + buttons))
    return dump(node((0, 0, 1080, 2400), rid="android:id/content", children=dialog))


def splash_dump(skip_bounds=(840, 110, 1040, 260)):
    return dump(node((0, 0, 1080, 2400), rid="com.youxuan.mall:id/splash_container", children=(
        node((0, 0, 1080, 2000), cls="android.widget.ImageView", rid="com.youxuan.mall:id/splash_ad_image",
             desc="开屏广告图片")
        + node((40, 1930, 130, 1975), cls="android.widget.TextView", text="广告",
               rid="com.youxuan.mall:id/ad_label")
        + node((240, 1760, 840, 1900), cls="android.widget.TextView", text="点击跳转详情页或第三方应用",
               rid="com.youxuan.mall:id/splash_click_bar", clickable=True)
        + node(skip_bounds, cls="android.widget.TextView", text="跳过",
               rid="com.youxuan.mall:id/splash_skip", clickable=True)
        + node((0, 2000, 1080, 2400), cls="android.widget.ImageView", rid="com.youxuan.mall:id/splash_logo",
               desc="优选商城"))))


SHOP_HOME = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>优选商城 - 品质生活 优选到家</title>
<link rel="stylesheet" href="https://img.yxcdn.com/h5/vant@4.8.0/index.css">
<style>
 .splash{position:fixed;top:0;left:0;width:100%%;height:100%%;z-index:3000;background:#000}
 .splash img{width:100%%;height:100%%;object-fit:cover}
 .splash .skip{position:absolute;top:48px;right:16px;padding:6px 14px;font-size:14px;color:#fff;background:rgba(0,0,0,.45);border-radius:16px;min-width:64px;min-height:32px}
</style></head>
<body>
<div class="splash" id="splash">
  <img src="https://img.yxcdn.com/splash/d12.webp" alt="双12年终好价节">
  <button class="skip" id="skipBtn" type="button">跳过</button>
</div>
<div id="app" data-v-app="">
  <form class="van-search" action="/search"><div class="van-search__content"><input class="van-field__control" type="search" name="q" placeholder="搜索商品"></div></form>
  <div class="van-swipe"><div class="van-swipe-item"><a href="/activity/double12.html"><img src="https://img.yxcdn.com/banner/d12_750x300.jpg" alt="双12"></a></div></div>
  <div class="feed"><h3>为你推荐</h3>
    <a href="/goods/100012345678.html">澳洲进口牛排 ¥128.00</a>
    <a href="/goods/100023456789.html">有机纯牛奶 ¥53.90</a></div>
  <div class="partner">合作伙伴：<a href="https://www.sf-express.com/" target="_blank" onclick="gtag('event','click',{event_category:'outbound',event_label:this.href,transport_type:'beacon',event_callback:function(){document.location='https://www.sf-express.com/'}});return false;">顺丰速运</a>
    <a href="https://www.12315.cn/" onclick="return confirm('即将离开优选商城，是否继续？')">全国12315平台</a></div>
  <footer class="footer">
    <p>上海优选电子商务有限公司 · 客服热线 400-820-1234 · 地址：上海市黄浦区人民大道200号</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank"><img src="https://img.yxcdn.com/web/icp.png" alt="ICP备案号" width="180" height="16"></a>
       营业执照 · 增值电信业务经营许可证：沪B2-20210123</p>
  </footer>
</div>
<script>
 var timer = setTimeout(hideSplash, 5000);
 function hideSplash(){ clearTimeout(timer); document.getElementById('splash').style.display = 'none'; }
 document.getElementById('skipBtn').addEventListener('click', hideSplash);
 window.addEventListener('devicemotion', function (e) {
   var a = e.accelerationIncludingGravity; if (Math.abs(a.x) > 25) { document.body.classList.add('tilt'); }
 });
</script>
</body></html>
"""


SETTINGS_AND_CART = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>购物车 - 优选商城</title>
<link rel="stylesheet" href="https://unpkg.com/element-ui@2.15.14/lib/theme-chalk/index.css"></head>
<body>
<div id="app">
 <div class="cart">
  <h2>购物车（3）</h2>
  <label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" class="el-checkbox__original" checked></span><span class="el-checkbox__label">营销管理（第16版） ¥89.0</span></label>
  <label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" class="el-checkbox__original" checked></span><span class="el-checkbox__label">数据分析实战：个性化推荐系统 ¥69.0</span></label>
  <label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" class="el-checkbox__original" checked></span><span class="el-checkbox__label">隐私计算导论 ¥59.0</span></label>
  <p>合计：¥217.0 <button class="el-button el-button--danger">去结算</button></p>
 </div>
 <div class="settings">
  <h2>隐私设置</h2>
  <div class="el-form-item"><label class="el-form-item__label">个性化推荐</label>
   <div role="switch" class="el-switch is-checked" aria-checked="true"><input type="checkbox" name="personalized" class="el-switch__input" checked><span class="el-switch__core"></span></div>
   <p class="hint">关闭后，将不再基于您的浏览记录推荐商品</p></div>
  <div class="el-form-item"><label class="el-form-item__label">个性化广告</label>
   <div role="switch" class="el-switch is-checked" aria-checked="true"><input type="checkbox" name="ads" class="el-switch__input" checked><span class="el-switch__core"></span></div></div>
  <div class="el-form-item"><label class="el-form-item__label">接收营销短信</label>
   <div role="switch" class="el-switch" aria-checked="false"><input type="checkbox" name="sms" class="el-switch__input"><span class="el-switch__core"></span></div></div>
 </div>
</div></body></html>
"""


SECURITY_WARNING = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>安全提示</title></head>
<body><div class="weui-msg">
 <div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg"></i></div>
 <div class="weui-msg__text-area"><h2 class="weui-msg__title">已停止访问该网页</h2>
  <p class="weui-msg__desc">经用户投诉，该网页包含欺诈信息（诈骗、虚假中奖），为维护绿色上网环境，已停止访问。</p></div>
 <div class="weui-msg__opr-area"><a href="javascript:history.back()" class="weui-btn weui-btn_primary">返回</a></div>
</div>
<footer>粤ICP备10211739号</footer></body></html>
"""


def settings_dump():
    def row(y, title, rid, checked):
        return node((0, y, 1080, y + 180), cls="android.widget.RelativeLayout", clickable=True, children=(
            node((48, y + 40, 800, y + 140), cls="android.widget.TextView", text=title)
            + node((900, y + 55, 1032, y + 125), cls="android.widget.Switch", rid=f"com.youxuan.mall:id/{rid}",
                   text="", checkable=True, checked=checked, clickable=True)))
    return dump(node((0, 0, 1080, 2400), cls="android.widget.LinearLayout", children=(
        node((0, 80, 1080, 240), cls="android.widget.TextView", text="隐私设置",
             rid="com.youxuan.mall:id/toolbar_title")
        + row(260, "个性化推荐", "sw_personalized", True)
        + row(440, "个性化广告", "sw_ad", True)
        + row(620, "允许通过手机号找到我", "sw_find_by_phone", False)
        + node((48, 820, 1032, 900), cls="android.widget.TextView",
               text="关闭个性化推荐后，首页将展示非个性化内容")
        + node((48, 940, 1032, 1040), cls="android.widget.TextView", text="客服电话 400-820-1234"))))


MIXED_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>门店列表 - 快送外卖</title>
<link rel="stylesheet" href="https://static.kuaisong.cn/web/css/app.6d1e.css">
%(script)s
</head><body>
<h1>合作门店</h1>
<ul><li><img src="http://img.kuaisong.cn/shop/70012345/logo.png" alt="老盛昌" width="60" height="60"> 老盛昌汤包 · 电话 021-63221234</li>
<li><img src="http://img.kuaisong.cn/shop/70098765/logo.png" alt="南翔" width="60" height="60"> 南翔馒头店</li></ul>
<p>旧版网站：<a href="http://old.kuaisong.cn/">old.kuaisong.cn</a></p>
<footer>沪ICP备19001234号-2</footer>
</body></html>
"""


COUPON_DIALOG = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>优选商城</title>
<link rel="stylesheet" href="https://unpkg.com/element-ui@2.15.14/lib/theme-chalk/index.css">
<style>.v-modal{position:fixed;left:0;top:0;width:100%%;height:100%%;opacity:.5;background:#000;z-index:2000}</style>
</head><body>
<div class="el-dialog__wrapper" style="z-index: 2001;">
  <div role="dialog" aria-modal="true" aria-label="新人专享" class="el-dialog el-dialog--center" style="margin-top: 15vh; width: 420px;">
    <div class="el-dialog__header"><span class="el-dialog__title">新人专享</span>
      <button type="button" aria-label="Close" class="el-dialog__headerbtn"><i class="el-dialog__close el-icon el-icon-close"></i></button></div>
    <div class="el-dialog__body"><p>恭喜获得新人礼包：满99减20元券 × 3</p>%(body)s</div>
    <div class="el-dialog__footer"><button type="button" class="el-button el-button--default"><span>暂不需要</span></button>
      <a href="/coupon/center" class="el-button el-button--primary"><span>去使用</span></a></div>
  </div></div>
<div class="v-modal" tabindex="0" style="z-index: 2000;"></div>
<div id="app"><h1>优选商城</h1><a href="/goods/100012345678.html">澳洲进口牛排</a></div>
<script>
document.querySelector('.el-dialog__headerbtn').addEventListener('click', function(){ document.querySelector('.el-dialog__wrapper').style.display='none'; document.querySelector('.v-modal').remove(); });
</script>
</body></html>
"""


def _http_page_flow(html, url="http://www.xinwen-daily.cn/"):
    return make_flow("GET", url, headers={"User-Agent": UA_ANDROID},
                     response_headers={"Content-Type": "text/html; charset=utf-8"}, response_body=html)


H5_SPLASH = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>今日头条资讯 - 聚合阅读</title>
<style>
 #splash-ad{position:fixed;top:0;left:0;right:0;bottom:0;z-index:9999;background:#fff}
 #splash-ad .ad-img{display:block;width:100vw;height:85vh}
 #splash-ad .skip{position:absolute;top:40px;right:16px;width:72px;height:32px;line-height:32px;font-size:14px;color:#fff;background:rgba(0,0,0,.5);border-radius:16px;text-align:center}
 #splash-ad .ad-tag{position:absolute;left:12px;bottom:16vh;font-size:10px;color:#fff;background:rgba(0,0,0,.3)}
</style></head>
<body>
<div id="splash-ad" class="splash-ad">
  %(main)s
  <span class="ad-tag">广告</span>
  <div class="skip" id="skip" role="button" onclick="document.getElementById('splash-ad').style.display='none'">跳过</div>
</div>
<div class="feed"><h2>热点</h2><a href="/a/7312345678901234567">冬季流感高发 专家提醒做好防护</a></div>
<footer>京ICP备12025439号-3</footer>
</body></html>
"""


SIGNUP_EN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Create your account | Wanderly Travel</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css"></head>
<body class="bg-light">
<main class="container py-5" style="max-width:420px">
  <h1 class="h3 mb-3">Create your account</h1>
  <form method="post" action="/account/signup">
    <div class="form-floating mb-2"><input type="email" class="form-control" id="email" name="email" placeholder="you@example.com"><label for="email">Email address</label></div>
    <div class="form-floating mb-2"><input type="password" class="form-control" id="pw" name="password" placeholder="Password"><label for="pw">Password</label></div>
    <div class="form-check mb-2"><input class="form-check-input" type="checkbox" id="news" name="newsletter"><label class="form-check-label" for="news">Send me deals and travel inspiration by email</label></div>
    <div class="form-check mb-3"><input class="form-check-input" type="checkbox" id="remember" name="remember" checked><label class="form-check-label" for="remember">Remember me</label></div>
    <p class="small text-muted">By continuing, you agree to our <a href="/terms">Terms of Service</a> and acknowledge our <a href="/privacy">Privacy Notice</a>.</p>
    <button class="w-100 btn btn-lg btn-primary" type="submit">Continue</button>
  </form>
  <div class="text-center my-3 text-muted">or</div>
  <a class="w-100 btn btn-outline-dark mb-2" href="https://accounts.google.com/o/oauth2/v2/auth?client_id=1234-abc.apps.googleusercontent.com&amp;response_type=code&amp;scope=openid%20email&amp;redirect_uri=https%3A%2F%2Fwww.wanderly-travel.co.uk%2Foauth%2Fgoogle">Continue with Google</a>
  <a class="w-100 btn btn-outline-dark" href="https://appleid.apple.com/auth/authorize?client_id=uk.co.wanderly&amp;response_type=code&amp;redirect_uri=https%3A%2F%2Fwww.wanderly-travel.co.uk%2Foauth%2Fapple">Sign in with Apple</a>
</main></body></html>
"""


MISC_SAME_SITE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>优选商城</title>
<script>
  window.onload = function () {
    if (/Android|iPhone/i.test(navigator.userAgent) && location.hostname === 'www.youxuanmall.com') {
      location.replace('https://m.youxuanmall.com' + location.pathname + location.search);
    }
    setTimeout(function () { document.getElementById('backTop').classList.add('show'); }, 3000);
  };
</script></head>
<body>
<div class="tips">打开微信“摇一摇”，参与门店周年庆抽奖（仅限到店顾客）。</div>
<a href="https://www.sf-express.com/" onclick="event.preventDefault(); window.open(this.href, '_blank', 'noopener');">顺丰查件</a>
<a id="backTop" href="#top">返回顶部</a>
<div class="pay">支持：<img src="https://img.yxcdn.com/web/pay/alipay.png" alt="支付宝"> 支付宝
  <img src="https://img.yxcdn.com/web/pay/wxpay.png" alt="微信支付"> 微信支付
  <img src="https://img.yxcdn.com/web/pay/unionpay.png" alt="银联云闪付"> 云闪付</div>
<footer>沪ICP备2021012345号-1 · 客服热线 400-820-1234</footer>
</body></html>
"""


def order_dump(phone="139****5678"):
    def tv(bounds, text, rid=""):
        return node(bounds, cls="android.widget.TextView", text=text, rid=rid and f"com.kuaisong.app:id/{rid}",
                    pkg="com.kuaisong.app")
    return dump(node((0, 0, 1080, 2400), cls="android.widget.ScrollView", pkg="com.kuaisong.app", children=(
        tv((48, 120, 1032, 200), "订单详情", "title")
        + tv((48, 240, 1032, 300), "订单号 1593847261029384756", "order_no")
        + tv((48, 320, 1032, 380), "下单时间 2026-11-29 12:10:33", "order_time")
        + tv((48, 420, 1032, 480), "收货人 张三", "receiver_name")
        + tv((48, 500, 1032, 560), phone, "receiver_phone")
        + tv((48, 580, 1032, 640), "上海市黄浦区人民大道200号", "receiver_address")
        + tv((48, 700, 1032, 760), "实付 ¥25.00", "pay_amount")
        + tv((48, 800, 1032, 860), "骑手 王师傅 95017转8821", "rider")
        + node((48, 2200, 1032, 2340), cls="android.widget.Button", text="联系客服 400-100-6688",
               rid="com.kuaisong.app:id/btn_kefu", clickable=True, pkg="com.kuaisong.app"))))


def test_news_home_clean_has_no_findings():
    findings = all_page_findings(news_home(), url=NEWS_URL)
    assert findings == [], describe_findings(findings)


def test_news_home_also_clean_when_captured_in_a_flow():
    flow = make_flow("GET", NEWS_URL, headers={"User-Agent": UA_ANDROID},
                     response_headers={"Content-Type": "text/html; charset=utf-8",
                                       "Set-Cookie": "Hm_lvt_0a1b2c=1764000000; Path=/; Secure"},
                     response_body=news_home())
    findings = all_flow_findings([flow])
    assert findings == [], describe_findings(findings)


def test_news_home_dirty_without_icp_is_ui009_only():
    findings = all_page_findings(news_home(icp=""), url=NEWS_URL)
    assert {f.check for f in findings} == {"UI009"}, describe_findings(findings)


def test_news_home_dirty_accept_only_banner_is_ui007_only():
    findings = all_page_findings(news_home(banner=ACCEPT_ONLY_BANNER), url=NEWS_URL)
    assert {f.check for f in findings} == {"UI007"}, describe_findings(findings)


def test_news_home_dirty_fake_close_inside_ad_link_is_ui002_only():
    findings = all_page_findings(news_home(ad=FAKE_CLOSE_AD), url=NEWS_URL)
    assert {f.check for f in findings} == {"UI002"}, describe_findings(findings)


def test_news_article_mentioning_brands_and_sample_id_is_clean():
    extra = "办理实名认证时请填写本人身份证号，例如：11010519491231002X（仅为格式示例）。"
    findings = all_page_findings(NEWS_ARTICLE % {"extra": extra}, url=ARTICLE_URL,
                                 app=app_from_yaml(NEWS_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_news_article_dirty_winner_list_with_full_phone_is_ui011_only():
    extra = "中奖名单：张** 13912345678，李** 13800138000，以上中奖用户请于7日内领取。"
    findings = all_page_findings(NEWS_ARTICLE % {"extra": extra}, url=ARTICLE_URL,
                                 app=app_from_yaml(NEWS_BRANDS_APP))
    assert {f.check for f in findings} == {"UI011"}, describe_findings(findings)
    assert {f.evidence.data_type for f in findings} == {"phone"}


def test_login_page_with_oauth_buttons_and_remember_me_is_clean():
    findings = all_page_findings(login_page(), url="https://passport.youxuanmall.com/login?redirect=%2Forder",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_login_page_dirty_prechecked_privacy_agreement_is_ui006_only():
    findings = all_page_findings(login_page(precheck=True), url="https://passport.youxuanmall.com/login",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert {f.check for f in findings} == {"UI006"}, describe_findings(findings)


def test_login_page_dirty_on_lookalike_domain_is_ui010_only():
    findings = all_page_findings(login_page(), url="https://www.youxuanmall-vip.top/login",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert {f.check for f in findings} == {"UI010"}, describe_findings(findings)


def test_product_page_vant_is_clean():
    findings = all_page_findings(PRODUCT_PAGE, url="https://item.youxuanmall.com/100012345678.html",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_english_cookie_modal_with_equal_choices_is_clean():
    findings = all_page_findings(COOKIE_PREFS_EN % {"marketing": ""}, url="https://www.wanderly-travel.co.uk/")
    assert findings == [], describe_findings(findings)


def test_english_cookie_modal_dirty_prechecked_marketing_is_ui006_only():
    findings = all_page_findings(COOKIE_PREFS_EN % {"marketing": " checked"}, url="https://www.wanderly-travel.co.uk/")
    assert {f.check for f in findings} == {"UI006"}, describe_findings(findings)


def test_wechat_h5_invite_page_is_clean():
    flow = make_flow("GET", "https://m.youxuanmall.com/h5/invite?code=YX8848&from=singlemessage&isappinstalled=0",
                     headers={"User-Agent": UA_ANDROID + " MicroMessenger/8.0.49.2600(0x28003133) NetType/WIFI Language/zh_CN"},
                     response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=WECHAT_H5)
    findings = all_flow_findings([flow], app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_privacy_dialog_dump_with_agree_and_disagree_is_clean():
    findings = all_page_findings(privacy_dialog_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe_findings(findings)


def test_privacy_dialog_dump_dirty_without_decline_is_ui007_only():
    findings = all_page_findings(privacy_dialog_dump(with_decline=False), kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI007"}, describe_findings(findings)


def test_splash_dump_with_real_skip_is_clean():
    findings = all_page_findings(splash_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe_findings(findings)


def test_splash_dump_dirty_tiny_skip_is_ui003_only():
    # 20 x 13 dp at 480 dpi: the "as small as ants" close button.
    findings = all_page_findings(splash_dump(skip_bounds=(980, 110, 1040, 150)), kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI003"}, describe_findings(findings)


def test_shop_home_with_closable_splash_icp_link_and_tracked_outbound_links_is_clean():
    findings = all_page_findings(SHOP_HOME % (), url="https://m.youxuanmall.com/",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_cart_and_privacy_settings_with_switches_on_are_clean():
    findings = all_page_findings(SETTINGS_AND_CART, url="https://www.youxuanmall.com/cart",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_wechat_fraud_warning_interstitial_is_clean():
    findings = all_page_findings(SECURITY_WARNING, url="https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi?main_type=2")
    assert findings == [], describe_findings(findings)


def test_same_site_refresh_after_login_is_clean():
    page = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta http-equiv="refresh" content="2;url=https://www.youxuanmall.com/user/center">'
            '<title>登录成功 - 优选商城</title></head><body><p>登录成功，2秒后自动跳转到个人中心……</p>'
            '<p><a href="/user/center">立即跳转</a></p></body></html>')
    findings = all_page_findings(page, url="https://passport.youxuanmall.com/login/success",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_privacy_settings_dump_with_switches_on_is_clean():
    findings = all_page_findings(settings_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe_findings(findings)


def test_https_page_with_passive_http_images_and_http_links_is_clean():
    flow = make_flow("GET", "https://www.kuaisong.cn/shops/list.html",
                     response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=MIXED_PAGE % {"script": ""})
    findings = all_flow_findings([flow], app=app_fixture("kuaisong"))
    assert findings == [], describe_findings(findings)


def test_https_page_loading_a_script_over_http_is_dh003_only():
    flow = make_flow("GET", "https://www.kuaisong.cn/shops/list.html",
                     response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=MIXED_PAGE % {"script": '<script src="http://static.kuaisong.cn/web/js/jquery-1.12.4.min.js"></script>'})
    findings = all_flow_findings([flow], app=app_fixture("kuaisong"))
    assert {f.check for f in findings} == {"DH003"}, describe_findings(findings)


def test_element_ui_coupon_dialog_with_working_close_and_same_site_link_is_clean():
    findings = all_page_findings(COUPON_DIALOG % {"body": ""}, url="https://www.youxuanmall.com/goods/list",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_element_ui_dialog_whose_body_is_a_taobao_deeplink_is_ui001_only():
    body = ('<a href="taobao://s.taobao.com/search?q=%%E7%%89%%9B%%E6%%8E%%92" style="display:block">'
            '<img src="https://img.yxcdn.com/ad/tb_420x300.jpg" alt="打开淘宝领红包" width="380" height="300"></a>')
    findings = all_page_findings(COUPON_DIALOG % {"body": body}, url="https://www.youxuanmall.com/goods/list",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert {f.check for f in findings} == {"UI001"}, describe_findings(findings)


def test_http_home_page_without_placeholders_or_contacts_is_clean():
    html = news_home().replace('placeholder="name@example.com"', 'placeholder="请输入邮箱地址"')
    findings = all_flow_findings([_http_page_flow(html)])
    assert findings == [], describe_findings(findings)


def test_http_home_page_with_example_email_placeholder_is_clean():
    findings = all_flow_findings([_http_page_flow(news_home())])
    assert findings == [], describe_findings(findings)


@pytest.mark.parametrize("where", ["page", "faq"])
def test_http_site_own_contact_email_is_not_personal_data(where):
    if where == "page":
        html = news_home(icp=ICP + ' · 投稿邮箱：<a href="mailto:tougao@xinwen-daily.cn">tougao@xinwen-daily.cn</a>')
        html = html.replace('placeholder="name@example.com"', 'placeholder="请输入邮箱地址"')
        flows = [_http_page_flow(html)]
    else:
        flows = [make_flow("GET", "http://api.kuaisong.cn/v1/help/faq",
                           response_json={"code": 0, "faq": [{"q": "如何联系客服？",
                                                              "a": "发送邮件至 support@kuaisong.cn 或拨打 400-100-6688"}]})]
    findings = all_flow_findings(flows, app=app_fixture("kuaisong") if where == "faq" else None)
    assert findings == [], describe_findings(findings)


def test_http_page_kefu_mobile_in_footer_is_not_personal_data():
    html = news_home(icp=ICP + ' · 客服手机：13816881234（工作日 9:00-18:00）')
    html = html.replace('placeholder="name@example.com"', 'placeholder="请输入邮箱地址"')
    findings = all_flow_findings([_http_page_flow(html)])
    assert findings == [], describe_findings(findings)


def test_http_page_showing_a_users_order_with_full_phone_is_dh001_and_ui011():
    html = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情</title></head><body>'
            '<div class="order"><p>订单号：2026112910123456789</p><p>收货人：张三</p>'
            '<p class="mobile">联系电话：13912345678</p><p>收货地址：上海市黄浦区人民大道200号</p></div></body></html>')
    findings = all_flow_findings([_http_page_flow(html, url="http://m.kuaisong.cn/order/detail?id=1593847261029384756")],
                                 app=app_fixture("kuaisong"))
    assert {f.check for f in findings} == {"DH001", "UI011"}, describe_findings(findings)


def test_h5_splash_ad_with_plain_image_and_working_skip_is_clean():
    main = '<img class="ad-img" src="https://img.yxcdn.com/splash/d12.webp" alt="双12年终好价节">'
    findings = all_page_findings(H5_SPLASH % {"main": main}, url="https://m.jinri-zixun.cn/")
    assert findings == [], describe_findings(findings)


def test_h5_splash_ad_whose_whole_image_opens_taobao_app_is_ui001_only():
    main = ('<a href="tbopen://m.taobao.com/tbopen/index.html?action=ali.open.nav&amp;module=h5&amp;'
            'h5Url=https%%3A%%2F%%2Fs.click.taobao.com%%2Ft%%3Fe%%3Dm%%253D2" class="ad-link">'
            '<img class="ad-img" src="https://img.alicdn.com/imgextra/splash_1080x1920.jpg" alt="淘宝双12 领红包"></a>')
    findings = all_page_findings(H5_SPLASH % {"main": main}, url="https://m.jinri-zixun.cn/")
    assert {f.check for f in findings} == {"UI001"}, describe_findings(findings)


def test_english_signup_with_by_continuing_and_remember_me_is_clean():
    app = app_from_yaml("""
name: Wanderly
first_party: [wanderly-travel.co.uk]
brands:
  - name: Google
    domains: [google.com]
  - name: Apple
    domains: [apple.com]
""")
    findings = all_page_findings(SIGNUP_EN, url="https://www.wanderly-travel.co.uk/account/signup", app=app)
    assert findings == [], describe_findings(findings)


def test_same_site_mobile_redirect_shake_text_and_payment_logos_are_clean():
    findings = all_page_findings(MISC_SAME_SITE, url="https://www.youxuanmall.com/",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_vant_popup_shown_with_cross_icon_and_same_site_link_is_clean():
    page = PRODUCT_PAGE.replace('style="display: none;" role="dialog"', 'role="dialog" style="z-index: 2001;"') \
                       .replace('<div class="coupon">满299减50</div>',
                                '<a class="coupon" href="/coupon/center?id=CP2026">满299减50 立即领取</a>')
    findings = all_page_findings(page, url="https://item.youxuanmall.com/100012345678.html",
                                 app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe_findings(findings)


def test_order_detail_dump_with_masked_phone_is_clean():
    findings = all_page_findings(order_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe_findings(findings)


def test_order_detail_dump_with_full_phone_is_ui011_only():
    findings = all_page_findings(order_dump(phone="13912345678"), kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI011"}, describe_findings(findings)


def test_splash_dump_whose_whole_screen_is_the_ad_link_is_ui001():
    xml = dump(node((0, 0, 1080, 2400), rid="com.youxuan.mall:id/splash_container", clickable=True, children=(
        node((0, 0, 1080, 2000), cls="android.widget.ImageView", rid="com.youxuan.mall:id/splash_ad_image",
             desc="开屏广告图片")
        + node((40, 1930, 130, 1975), cls="android.widget.TextView", text="广告", rid="com.youxuan.mall:id/ad_label")
        + node((240, 1760, 840, 1900), cls="android.widget.TextView", text="点击跳转详情页或第三方应用",
               rid="com.youxuan.mall:id/splash_click_bar")
        + node((840, 110, 1040, 260), cls="android.widget.TextView", text="跳过",
               rid="com.youxuan.mall:id/splash_skip", clickable=True))))
    findings = all_page_findings(xml, kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI001"}, describe_findings(findings)
