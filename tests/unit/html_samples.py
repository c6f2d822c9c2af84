"""Hand-written bodies in the EastMoney formats (see ../shared/docs/corpus.md); no real article text."""

CHART = (
    '<!-- EM_StockImg_Start --><p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/1.600777" '
    'data-code="600777|1|1" data-code2="600777|1|2|" class="EmImageRemark" target="_blank"><img src="https://x/k.png" '
    'alt="K图 600777_0" data-code="K 600777|1|1" data-code2="K 600777|1|2|" /></a></p><!-- EM_StockImg_End -->'
)
KEYTIP = ('<span id="stock_0.300999"><a href="http://quote.eastmoney.com/unify/r/0.300999" class="keytip" '
          'data-code="0,300999">远航科技</a></span><span id="quote_0.300999"></span>')
BOARD = ('<span id="bk_90.BK0999"><a href="http://quote.eastmoney.com/unify/r/90.BK0999" class="keytip" '
         'data-code="90,BK0999">储能</a></span><span id="bkquote_90.BK0999"></span>')
REPEAT = ('<span web="1" href="http://quote.eastmoney.com/unify/r/0.300999" class="em_stock_key_common" '
          'data-code="0,300999">远航科技</span>')
INFOKEY = '<span id="Info.3321"><a href="http://data.eastmoney.com/bbsj/" class="infokey">业绩</a></span>'
ATTRIBUTION = ('<p class="em_media">（文章来源：上海<span id="bk_90.BK0473"><a href="http://quote.eastmoney.com/unify/r/90.BK0473" '
               'class="keytip" data-code="90,BK0473">证券</a></span><span id="bkquote_90.BK0473"></span>报）</p>')

HTML = (
    '<p style="display:none;height:1px;overflow:hidden;"><br /></p>' + CHART
    + f"<p>{KEYTIP}发布公告，{BOARD}业务增长&lt;预期&gt;。</p>"
    + f"<p><strong>小标题</strong></p><p>{REPEAT}表示{INFOKEY}稳定。</p>"
    + '<center><img src="https://x/photo.jpg" alt="Image" /></center><p style="text-align:center;">图片来源：网络</p>'
    + ATTRIBUTION
)

EMNEWS_BODY = (
    "> 远航科技(300999)今日发布公告，储能业务增长。\n\n" + HTML
    + "\n\n<http://finance.eastmoney.com/news/1354,202201219999000003.html>\n\n"
    "[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)"
)
MEDIA_BODY = (
    HTML.replace(ATTRIBUTION, '<p class="em_media">（文章来源：财经日报）</p>')
    + "\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202201219999000003>\n\n"
    "[返回财经日报新闻](//finews.withounder.com/category/caijingribao.html)｜[返回首页](//finews.withounder.com/)"
)
PLAIN_BODY = (
    "红星酒业(600999)午后拉升，港联交易所(00388.HK)与东方娱乐(0027.HK)走强，华南生物(002999.SZ)、"
    "海湾能源（03999）同步上涨；另有新药(1018加铝佐剂)获批，2021年(2021)营收(12亿元)。"
    "\n\n<http://finance.eastmoney.com/news/1344,202112089999000004.html>\n\n[返回东财滚动新闻](../emnews/)\n[返回首页](../)"
)


def post(front: dict[str, str], body: str) -> str:
    lines = ["---"] + [f"{key}: {value}" for key, value in front.items()] + ["---"]
    return "\n".join(lines) + "\n" + body


EMNEWS_FRONT = {"layout": "post", "title": '"远航科技：储能业务增长"', "date": "2022-01-21 18:05:40 +0800",
                "categories": "emnews", "tags": "东财滚动新闻"}
MEDIA_FRONT = {"layout": "post", "title": '"远航科技：储能业务增长"', "date": "2022-01-21 18:05:40 +0800",
               "categories": "caijingribao", "tags": "财经日报新闻"}
PLAIN_FRONT = {"layout": "post", "title": '"红星酒业午后拉升"', "date": "2021-12-08 10:18:31",
               "categories": "emnews", "tags": "东财滚动新闻"}
