"""Real HTML news pages through the whole article extractor.

Each page is a third-party article saved by another project's test suite (origins in
``tests/data/html/SOURCES.md``). The expectations below were written by reading each
page: its headline, the date and byline it prints, every paragraph of the story in
order, and the furniture around it (menus, "read also" teasers, share buttons,
related-story lists, footers) that must not reach the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from paths import DATA
from storyline.document import Article, RawDocument
from storyline.extract.article import extract_article
from storyline.extract.decode import detect
from storyline.extract.html import clean_body, clean_title

HTML = DATA / "html"
LANGUAGES = ("ru", "uk", "en")


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    title: str
    lang: str
    published: datetime
    author: str | None
    outlet: str
    lead: str | None
    paragraphs: tuple[str, ...]
    """The opening words of every body paragraph, in order: nothing else is body."""
    kept: tuple[str, ...]
    """Whole sentences from the first, middle and last paragraphs."""
    gone: tuple[str, ...]
    """Page furniture that must appear nowhere in the title, lead or body."""
    charset: str | None = None


UNIAN = Page(
    file="uk_unian_pace_reforms.html",
    url="http://www.unian.ua/politics/991464-pare-zaklikala-ukrajinu-provoditi-reformi-nezvajayuchi-na-viynu.html",
    title="ПАРЄ закликала Україну проводити реформи, незважаючи на війну",
    lang="uk",
    published=datetime(2014, 10, 2, 7, 21),  # printed under the headline: "02.10.2014 | 07:21"
    author=None,  # the page's author element is empty
    outlet="unian.ua",
    lead=(
        "На дебатах ПАРЄ акцент в українському питанні змістився з російської агресії "
        "до внутрішніх проблем України."
    ),
    paragraphs=(
        "Головний доповідач, голова Моніторингового комітету ПАРЄ Штефан Шеннах визнав",
        "Він також заявив, що Росія втратила довіру",
        "Разом з тим політик підкреслив",
        "Штефан Шеннах закликав Росію вивести свої війська",
        "Інший співдоповідач з питань України Майліс Репс",
        '"Якщо держава має сильну внутрішню систему',
    ),
    kept=(
        "Головний доповідач, голова Моніторингового комітету ПАРЄ Штефан Шеннах визнав, що "
        "кровопролиття на Донбасі триває, тому що іноземна держава веде військову агресію "
        "проти України, передає Deutsche Welle.",
        'На його думку, це - "недостатня чіткість у функціонуванні державних установ, '
        'корупція, боротьба між інтересами олігархів".',
        "Він також висловив занепокоєння щодо гуманітарної ситуації в зоні конфлікту.",
        '"Якщо держава має сильну внутрішню систему, тоді навіть російська пропаганда не '
        'буде працювати проти неї так відчутно", - зазначила співдоповідач.',
    ),
    gone=(
        "Читайте також",
        "Україна має затвердити національний план з захисту прав людини",
        "REUTERS",
        "02.10.2014",
        "Якщо ви знайшли помилку",
        "Приєднуйтесь до нашої групи",
        "У зв'язку з почастішанням провокацій",
        "Всі новини",
        "Уряд Росії придумав",
        "Послуги агенції",
        "Курс валют НБУ",
        "Follow @unian",
        "Новини УНІАН",
        "Усі права застережено",
    ),
)

TOMSK = Page(
    file="ru_tomsk_gov_mfc.html",
    url="http://tomsk.gov.ru/ru/press-centr/press-relizy/",
    title="Томский МФЦ выходит в отдаленные районы Томской области",
    lang="ru",
    # <meta name="entry_date" content="2012-06-22T09:53:43+07:00">; printed "22 июня 2012"
    published=datetime(2012, 6, 22, 9, 53, 43, tzinfo=timezone(timedelta(hours=7))),
    author=None,
    outlet="tomsk.gov.ru",
    lead=None,  # the page declares no description; its italic first paragraph stays in the body
    paragraphs=(
        "С 1 июля будет расширен перечень предоставляемых услуг",
        "Как сообщил Александр Духанин",
        "Напомним, что на базе Томского МФЦ",
        "Получить более подробную информацию о работе МФЦ",
    ),
    kept=(
        "С 1 июля будет расширен перечень предоставляемых услуг Томского "
        "многофункционального центра (МФЦ) на базе центров общественного доступа к "
        "государственным и муниципальным услугам в отделениях Почты России "
        "Колпашевского района.",
        "Теперь к ним присоединятся и жители Колпашевского района.",
        "Кроме этого, в томском МФЦ можно оформить документы при сделках в "
        "земельно-имущественной сфере, проконсультироваться в области антимонопольного "
        "и налогового законодательства.",
        "по адресу г. Томск, ул. Тверская, 74, и на сайте http://www.mfc.tomsk.ru",
    ),
    gone=(
        "Другие новости",
        "Более 60 тысяч жителей Томской области посетили Томский МФЦ",
        "С июля в Томской области начнут выдавать сертификаты",
        "13 июня 2012",
        "22 июня 2012",
        "Поделиться",
        "ВКонтакте",
        "Карта сайта",
        "Старая версия сайта",
        "Органы власти",
        "Пресс-релизы",
        "Администрация Томской области",
        "искать",
        "Промышленность",
        "Контакты",
        "634050",
        "Разработка",
    ),
)

HERALD_SUN = Page(
    file="en_heraldsun_surveillance.html",
    url="http://www.heraldsun.com.au/news/opinion/angry-media-wont-buckle-over-new-surveillance-laws/story-fni0fha6-1227261886014",
    title="Angry media won’t buckle over new surveillance laws",
    lang="en",
    published=datetime(2015, 3, 13, 21, 0),  # printed "March 13, 2015" "9:00PM"
    author="Laurie Oakes",
    outlet="heraldsun.com.au",
    lead=(
        "A HIGH-powered federal government team has been doing the rounds of media "
        "organisations in the past few days in an attempt to allay concerns about the impact "
        "of new surveillance legislation on press freedom. It failed."
    ),
    paragraphs=(
        "The roadshow featured the Prime Minister’s national security adviser",
        "They held meetings with executives from News Corporation",
        "The initiative, from Tony Abbott’s office",
        "The Bill would require telecommunications service providers",
        "And that should ring warning bells",
        "The Press Council is concerned",
        "“These legitimate concerns",
        "The media union is adamant",
        "That would prevent access",
        "In their meetings this week",
        "That does nothing to solve the problem.",
        "But another inquiry would be a waste of time",
        "Claims that immediate action is imperative",
        "AS Opposition Leader Bill Shorten",
        "The Data Retention Bill will be debated",
        "Those CEOs should make it clear",
        "Memories of the grief Conroy",
        "LAURIE OAKES IS THE NINE NETWORK POLITICAL EDITOR",  # the column's sign-off
    ),
    kept=(
        "Staffers from the office of Communications Minister Malcolm Turnbull also took part.",
        "The Press Council is concerned the laws would crush investigative journalism.",
        "That is a ridiculous approach.",
        "Memories of the grief Conroy brought down on his head would undoubtedly make Abbott "
        "sit up and take notice.",
    ),
    gone=(
        "Other Opinion Columns",
        "Fraser’s lasting legacy",
        "Doctor knows best",
        "JOE HILDEBRAND",
        "Let’s make local issues a priority",
        "Most Popular Stories",
        "Wife’s fury",
        "Read more",
        "Login using your social network",
        "Subscribe",
        "Breaking News",
        "to store so-called ‘metadata’ for two years",  # the photo caption
        "Source:",
        "March 13, 2015",
        "by:",
        "Back To Top",
        "Copyright Herald and Weekly Times",
        "| Herald Sun",
    ),
)

TOMSK_CP1251 = Page(**{**TOMSK.__dict__, "file": "ru_tomsk_gov_mfc.cp1251.html"})
TOMSK_CP1251_HINTED = Page(**{**TOMSK_CP1251.__dict__, "charset": "windows-1251"})

PAGES = {
    "uk-unian": UNIAN,
    "ru-tomsk": TOMSK,
    "ru-tomsk-cp1251": TOMSK_CP1251,
    "ru-tomsk-cp1251-http-hint": TOMSK_CP1251_HINTED,
    "en-heraldsun": HERALD_SUN,
}


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    out = {}
    for name, page in PAGES.items():
        raw = RawDocument(
            source=str(HTML / page.file),
            data=(HTML / page.file).read_bytes(),
            url=page.url,
            charset=page.charset,
        )
        out[name] = extract_article(raw, languages=LANGUAGES)
    return out


CASES = pytest.mark.parametrize("name", list(PAGES))


@CASES
def test_title_is_the_headline(name: str, articles: dict[str, Article]) -> None:
    assert articles[name].title == PAGES[name].title


@CASES
def test_language(name: str, articles: dict[str, Article]) -> None:
    assert articles[name].lang == PAGES[name].lang


@CASES
def test_published_as_the_page_states_it(name: str, articles: dict[str, Article]) -> None:
    article = articles[name]
    assert article.published == PAGES[name].published
    assert article.published_precision == "minute"
    assert not article.published_inferred


@CASES
def test_author(name: str, articles: dict[str, Article]) -> None:
    assert articles[name].author == PAGES[name].author


@CASES
def test_outlet_from_url(name: str, articles: dict[str, Article]) -> None:
    assert articles[name].outlet == PAGES[name].outlet


@CASES
def test_lead(name: str, articles: dict[str, Article]) -> None:
    assert articles[name].lead == PAGES[name].lead


@CASES
def test_every_body_paragraph_and_nothing_else(name: str, articles: dict[str, Article]) -> None:
    paragraphs = articles[name].text.split("\n\n")
    expected = PAGES[name].paragraphs
    assert len(paragraphs) == len(expected), paragraphs
    for got, opening in zip(paragraphs, expected, strict=True):
        assert got.startswith(opening), (got, opening)


@CASES
def test_body_sentences_kept(name: str, articles: dict[str, Article]) -> None:
    text = articles[name].text
    for sentence in PAGES[name].kept:
        assert sentence in text


@CASES
def test_boilerplate_gone(name: str, articles: dict[str, Article]) -> None:
    article = articles[name]
    everything = "\n".join(filter(None, (article.title, article.lead, article.text)))
    for furniture in PAGES[name].gone:
        assert furniture not in everything, furniture


# ------------------------------------------------------------------ the cp1251 page


def test_cp1251_page_is_not_utf8_and_decodes_as_cp1251() -> None:
    data = (HTML / TOMSK_CP1251.file).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert detect(data, html=True).encoding == "cp1251"
    assert detect(data, hint="windows-1251", html=True).encoding == "cp1251"


def test_cp1251_page_gives_the_same_article_as_the_utf8_page(
    articles: dict[str, Article],
) -> None:
    utf8 = articles["ru-tomsk"]
    for name in ("ru-tomsk-cp1251", "ru-tomsk-cp1251-http-hint"):
        other = articles[name]
        assert (other.title, other.lead, other.text, other.published) == (
            utf8.title,
            utf8.lead,
            utf8.text,
            utf8.published,
        )


# ------------------------------------------------------------------ helpers on real strings


@pytest.mark.parametrize(
    ("title", "headings", "sitename", "expected"),
    [
        (  # <title> of the UNIAN page
            "ПАРЄ закликала Україну проводити реформи, незважаючи на війну : Новини УНІАН",
            ["ПАРЄ закликала Україну проводити реформи, незважаючи на війну"],
            "Unian",
            "ПАРЄ закликала Україну проводити реформи, незважаючи на війну",
        ),
        (  # <title> of the Tomsk page: section and site after the headline
            "Томский МФЦ выходит в отдаленные районы Томской области | Пресс-релизы | "
            "Администрация Томской области",
            ["Томский МФЦ выходит в отдаленные районы Томской области"],
            None,
            "Томский МФЦ выходит в отдаленные районы Томской области",
        ),
        (  # <title> of the Herald Sun page, whitespace collapsed
            "Angry media won’t buckle over new surveillance laws | Herald Sun",
            ["Angry media won’t buckle over new surveillance laws"],
            "HeraldSun",
            "Angry media won’t buckle over new surveillance laws",
        ),
        (  # no headline on the page, but the tail is the declared site name
            "ПАРЄ закликала Україну проводити реформи : Unian",
            [],
            "Unian",
            "ПАРЄ закликала Україну проводити реформи",
        ),
        (  # a separator inside a headline, no evidence of a site tail: kept whole
            "Росія – Україна: переговори в Мінську",
            [],
            "Unian",
            "Росія – Україна: переговори в Мінську",
        ),
    ],
    ids=["uk-unian", "ru-tomsk-two-tails", "en-heraldsun", "sitename-tail", "no-evidence"],
)
def test_clean_title(title: str, headings: list[str], sitename: str | None, expected: str) -> None:
    assert clean_title(title, headings, sitename) == expected


def test_clean_body_drops_a_teaser_glued_to_its_headline() -> None:
    # trafilatura's rendering of <span>Читайте також</span><a>…</a> on the UNIAN page
    lines = [
        "Головний доповідач визнав, що кровопролиття на Донбасі триває, передає Deutsche Welle.",
        "Читайте такожУкраїна має затвердити національний план з захисту прав людини - Муйжнієкс",
        "Він також заявив, що Росія втратила довіру міжнародного співтовариства.",
    ]
    assert clean_body(lines) == [lines[0], lines[2]]


def test_clean_body_keeps_a_subheading_followed_by_prose() -> None:
    lines = [
        "The Data Retention Bill will be debated in the House of Representatives this week.",
        "More questions than answers",
        "Those CEOs should make it clear they are just as angry about this as they were before.",
    ]
    assert clean_body(lines) == lines
