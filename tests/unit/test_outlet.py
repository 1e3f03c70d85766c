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
    text = "Про це повідомляє Depo.ua."
    assert choose_outlet("given.org", "https://x.ua/1", "Site", text) == "given.org"
    assert choose_outlet(None, "https://www.x.ua/1", "Site", text) == "x.ua"
    assert choose_outlet(None, None, "Укрінформ", text) == "Укрінформ"
    assert choose_outlet(None, None, None, text) == "depo.ua"
    assert choose_outlet(None, None, None, "no outlet here") is None
