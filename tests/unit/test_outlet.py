"""The outlet is read from the URL, the site name, or a clear self-reference — never guessed."""

from paths import seed
from storyline.extract.outlet import choose_outlet, outlet_from_text, outlet_from_url


def test_url_host_without_mobile_and_amp_prefixes() -> None:
    assert outlet_from_url("https://amp.ren.tv/news/v-mire/956841") == "ren.tv"
    assert outlet_from_url("https://www.unian.ua/economics/1.html") == "unian.ua"
    assert outlet_from_url("https://m.example.com") == "example.com"
    assert outlet_from_url(None) is None


def test_self_reference_by_domain() -> None:
    assert outlet_from_text(seed("001").read_text(encoding="utf-8")) == "depo.ua"


def test_cited_agencies_are_not_the_outlet() -> None:
    # «Об этом 12 января пишет ТАСС»: TASS is cited, the page is someone else's
    assert outlet_from_text(seed("000").read_text(encoding="utf-8")) is None
    text = 'Киев подписал свою часть сделки, сообщает украинское издание "Страна.ua".'
    assert outlet_from_text(text) is None
    assert outlet_from_text("Про це повідомляє УНІАН із посиланням на rbc.ua.") is None


def test_two_domains_claiming_the_page_is_not_clear() -> None:
    text = "Об этом сообщает lenta.ru. Подробнее сообщает ria.ru."
    assert outlet_from_text(text) is None


def test_trust_order_given_then_url_then_site_name_then_text() -> None:
    text = "Про це повідомляє Depo.ua із посиланням на брифінг."
    assert choose_outlet("given.org", "https://x.ua/1", "Site", text) == "given.org"
    assert choose_outlet(None, "https://www.x.ua/1", "Site", text) == "x.ua"
    # a site name the registry knows becomes the outlet's id; an unknown one stays as given
    assert choose_outlet(None, None, "Укрінформ", text) == "ukrinform.ua"
    assert choose_outlet(None, None, "Some Local Site", text) == "Some Local Site"
    assert choose_outlet(None, None, None, text) == "depo.ua"
    assert choose_outlet(None, None, None, "no outlet here") is None


def test_a_domain_after_a_reporting_verb_alone_is_a_citation() -> None:
    # train A046 (news.21.by) ends a paragraph with «…, пишет nv.ua.»
    assert outlet_from_text("Епифаний ведёт аккаунты в Facebook и Twitter, пишет nv.ua.") is None
    # …and a known agency after a verb and a citation is as often someone else's report
    text = "Об этом сообщает РИА Новости со ссылкой на источник в Минобороны."
    assert outlet_from_text(text) is None


def test_registry_hosts_and_names_are_one_outlet() -> None:
    from storyline.extract.outlet import canonical_outlet, same_outlet

    assert outlet_from_url("https://censor.net/ua/news/3426767") == "censor.net"
    assert canonical_outlet("Цензор.НЕТ") == "censor.net"
    assert canonical_outlet("www.RBC.ua") == "rbc.ua"
    assert same_outlet("wap.belta.by", "belta.by")
    assert not same_outlet("hromadske.ua", "hromadske.radio")


def test_a_copyright_line_names_the_publisher_a_photo_credit_does_not() -> None:
    page = "Заголовок статті про події\n\nТекст статті.\n\n© 2022 РБК-Україна. Всі права захищені."
    assert outlet_from_text(page) == "rbc.ua"
    # real credits from dev and train pages: a photo credit, «© kremlin.ru» over a teaser
    assert outlet_from_text("Фото: © РИА Новости/Алексей Мальгавко\nТекст.") is None
    teaser = "© kremlin.ru Путин объявил «частичную» мобилизацию в армию России 21 Сен 2022, 09:13"
    assert outlet_from_text(teaser) is None


def test_a_site_name_line_at_the_top_names_the_publisher_a_menu_word_does_not() -> None:
    assert outlet_from_text("Цензор.НЕТ\nНовини\nЗаголовок статті\n\nТекст.") == "censor.net"
    # «Коментарі» is a menu item on every Ukrainian site, and a bare "AFP" a credit
    assert outlet_from_text("Коментарі\nЗаголовок статті\n\nТекст.") is None
    assert outlet_from_text("AFP\nЗаголовок статті\n\nТекст.") is None


def test_cited_outlets_are_sources_not_publishers() -> None:
    from storyline.extract.outlet import cited_outlets

    text = seed("000").read_text(encoding="utf-8")  # «Об этом 12 января пишет ТАСС»
    assert "tass.ru" in cited_outlets(text)
    text = "Про це повідомляє Depo.ua із посиланням на Reuters. Також пише «Українська правда»."
    cited = cited_outlets(text, publisher="depo.ua")
    assert "reuters.com" in cited and "depo.ua" not in cited
    assert cited_outlets("Байден зустрівся з Путіним у Женеві.") == ()
