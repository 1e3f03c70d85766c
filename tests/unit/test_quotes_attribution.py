"""Speaker attribution around the quote (storyline.nlp.quotes) on real news paragraphs.

English paragraphs are read from PolNeAR's texts (``shared/external/polnear``, not
copied into the repository; train, and test/dev for rules checked there), Russian and
Ukrainian ones from the train and dev corpora and ADAQ's sentences; each runs through
the whole annotate stage, as in production. ``spoken`` gives who said each quote.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from paths import DEV, SHARED, TRAIN
from storyline.document import Article
from storyline.nlp.annotations import Annotations
from storyline.nlp.pipeline import annotate

POLNEAR = SHARED / "external" / "polnear"

pytestmark = pytest.mark.skipif(
    not (POLNEAR.exists() and TRAIN.exists() and DEV.exists()),
    reason="shared corpora not available",
)


def paragraph(folder: Path, name: str, snippet: str) -> str:
    """The first paragraph (line) of ``folder/name`` that holds ``snippet``."""
    text = (folder / name).read_text(encoding="utf-8")
    return next(x for x in text.splitlines() if snippet in x)


def notes(text: str, lang: str) -> Annotations:
    return annotate(Article(id="t", source="t", text=text, lang=lang))


class Said(NamedTuple):
    """Who said a quote."""

    written: str | None
    """The speaker as the text writes it."""
    linked: str | None
    """The text of the entity mention it resolves to."""


def speakers(text: str, lang: str) -> list[tuple[str, str | None, str | None]]:
    """(first words of the quote, speaker as written, the entity it resolves to)."""
    a = notes(text, lang)
    return [
        (
            " ".join(q.text.split()[:3]),
            q.speaker_text,
            a.entities[q.speaker].text if q.speaker is not None else None,
        )
        for q in a.quotes
        if q.kind == "direct"
    ]


def spoken(text: str, lang: str) -> dict[str, Said]:
    """First words of each direct quote → who said it."""
    return {quote: Said(written, linked) for quote, written, linked in speakers(text, lang)}


def polnear(name: str, snippet: str, split: str = "train") -> str:
    """The paragraph of a PolNeAR text (of ``split``) that holds ``snippet``."""
    return paragraph(POLNEAR / split / "text", name, snippet)


def test_a_name_the_tagger_missed_before_the_verb_is_the_speaker() -> None:
    # '…," Tester told Capital Download': what follows "told" is the addressee
    text = polnear(
        "usa-today_2016-06-10_dems-hope-trump-s-behavior-will-.txt", "Tester told Capital"
    )
    found = speakers(text, "en")
    assert found[0][1] == "Tester"
    assert all(who != "Capital Download" for _, _, who in found)


def test_the_full_stop_of_a_title_does_not_end_the_clause() -> None:
    text = polnear(
        "wash-post_2016-09-04_growing-up-american-only-to-lear.txt", "said Sen. Amy Klobuchar"
    )
    assert speakers(text, "en")[0][1:] == ("Amy Klobuchar", "Amy Klobuchar")


def test_a_definite_common_noun_speaks_for_the_person_before_it() -> None:
    # '“…,” the former president said': Bill Clinton, named in the sentence before
    text = polnear(
        "politico_2016-04-11_clinton-and-sanders-trade-low-bl.txt", "the former president said"
    )
    first = speakers(text, "en")[0]
    assert first[1] == "the former president"
    assert first[2] == "Bill Clinton"


def test_a_common_noun_after_the_verb_is_the_speaker() -> None:
    text = polnear(
        "breitbart_2016-07-19_republicans-begin-roll-call-vote.txt", "said the 46-year-old"
    )
    assert speakers(text, "en")[0][1] == "the 46-year-old"


def test_speech_verbs_beyond_said() -> None:
    text = polnear("breitbart_2016-04-12_mexican-anchor-crosses-swords-wi.txt", "Trump barked")
    assert speakers(text, "en")[0][1] == "Trump"


def test_a_verb_that_opens_the_next_quote_does_not_close_this_one() -> None:
    # alternating speakers (typed, after a press-conference layout): 'Lavrov said: "…"'
    # introduces the second quote; the first is Blinken's
    text = (
        'Blinken added: "We will respond to any aggression with massive consequences." '
        'Lavrov said: "Nobody is threatening anyone with anything at all here."'
    )
    assert [who for _, who, _ in speakers(text, "en")] == ["Blinken", "Lavrov"]


def test_an_unlisted_verb_after_a_dash_takes_its_own_subject() -> None:
    # «…», — уверил он: not the previous quote's speaker by continuation, the pronoun's
    text = paragraph(TRAIN / "articles", "B070.txt", "уверил он")
    a = notes(text, "ru")
    (quote,) = [q for q in a.quotes if q.text.startswith("Подавляющее количество")]
    assert (quote.cue, quote.speaker_text) == ("уверил", "он")
    # and «заявил, что …» before it has no speaker «что»
    assert all(q.speaker_text != "что" for q in a.quotes)


def test_an_unlisted_verb_with_the_name_after_it() -> None:
    text = paragraph(TRAIN / "articles", "B019.txt", "приказал Шойгу")
    assert speakers(text, "ru")[0][1:] == ("Шойгу", "Шойгу")


def test_a_line_that_opens_with_a_speaker_and_a_colon() -> None:
    text = paragraph(TRAIN / "articles", "A045.txt", "Сенцов: Очень рады")
    assert speakers(text, "ru") == [("Очень рады оказаться", "Сенцов", "Сенцов")]


def test_a_caption_with_a_colon_is_not_a_quote() -> None:
    line = dev_path("060").read_text(encoding="utf-8").splitlines()[0]
    caption = line[line.index("Annie Ernaux:") :]
    assert [q for q in notes(caption, "en").quotes if q.cue == ":"] == []


def extracted_article(path: Path) -> Article:
    """A page as ingest extracts it."""
    from storyline.config import Settings
    from storyline.document import RawDocument
    from storyline.extract.article import extract_article

    raw = RawDocument(str(path), path.read_bytes())
    return extract_article(raw, languages=Settings().languages)


def extracted(path: Path) -> tuple[str, str]:
    """(text, language) of a page as ingest extracts it."""
    article = extracted_article(path)
    return article.text, article.lang or ""


def train_page(name: str) -> tuple[str, str]:
    """(text, language) of a train page as ingest extracts it."""
    return extracted(TRAIN / "articles" / name)


def test_a_name_the_tagger_missed_before_a_verb_in_ukrainian() -> None:
    # «Зайберт назвав це “вражаючою подією”»: Зайберт, not «це». The tagger misses the
    # bare surname; NER now finds it (nlp.ner.known: the surname of «Штеффен Зайберт»,
    # named in full on the page), so the speaker is that mention, linked to him
    found = spoken(*train_page("B039.txt"))
    assert found["вражаючою подією"] == ("Зайберт", "Зайберт")


def test_the_subject_after_the_verb_comes_before_its_clause() -> None:
    # «Порошенко заявил, что вопрос … «проработан …», передает УНН»: not the ООН in the clause
    found = spoken(*train_page("A018.txt"))
    assert found["проработан правительством, был"].written == "Порошенко"


def test_a_short_quoted_name_inside_the_speaker_phrase() -> None:
    # «— заявив заступник голови облорганізації "Батьківщини" Валерій Дудко»
    found = spoken(*train_page("D050.txt"))
    assert found["Ми підняли перший"].written == "Валерій Дудко"


def test_a_second_verb_shares_the_first_ones_subject() -> None:
    # 'Lavrov vowed … that "we want …" over the poisoning and accused Britain of "…"'
    found = spoken(*train_page("A032.txt"))
    assert found["making mockery of"].linked == "Lavrov"


def reported(text: str, lang: str) -> list[tuple[str, str | None]]:
    """(the reported words, speaker as written) of each indirect quote."""
    return [(q.text, q.speaker_text) for q in notes(text, lang).quotes if q.kind == "indirect"]


def test_a_sentence_that_ends_in_a_reporting_clause_reports_words() -> None:
    # «Тихановська вирішила приїхати в Литву, …, розповів міністр … Лінас Лінкявічюс»
    text = paragraph(TRAIN / "articles", "B067.txt", "розповів міністр")
    found = dict(reported(text, "uk"))
    words = "Тихановська вирішила приїхати в Литву, оскільки у неї була віза в цю країну"
    assert found[words] == "Лінас Лінкявічюс"


def test_a_reporting_clause_about_a_fact_reports_no_words() -> None:
    # «Про це, 29 вересня, …, повідомила канцелярія президента Польщі»
    text = paragraph(TRAIN / "articles", "B033.txt", "Про це, 29 вересня")
    assert reported(text, "uk") == []


def test_a_name_in_an_oblique_case_after_the_verb_is_not_its_subject() -> None:
    # «Як вважає радник, Байдену „…“»: Biden (dative) is who succeeded, not who thinks
    # so; the adviser is, and the text named him a sentence before
    text = "\n\n".join(
        paragraph(TRAIN / "articles", "B050.txt", snippet)
        for snippet in ("заявив увечері", "Як вважає радник")
    )
    found = spoken(text, "uk")
    assert found["повністю вдалося реалізувати"].linked == "Михайло Подоляк"
    assert found["дещо розгублено і"].linked == "Михайло Подоляк"


def test_a_verb_after_the_reported_words_has_its_subject_after_it() -> None:
    # «…противоречит заявлениям Берлина…, считает посол России в ФРГ Сергей Нечаев»:
    # Berlin is in what the ambassador said, not who said it
    text = paragraph(TRAIN / "articles", "E043.txt", "считает посол России")
    assert spoken(text, "ru")["на новый уровень"].linked == "Сергей Нечаев"


def test_a_verb_after_a_relative_clause_keeps_its_subject_before_it() -> None:
    # «Роман Протасевич в інтерв'ю, яке навело … телебачення, заявив про свою "безумовну
    # повагу" до президента»: the comma closes a relative clause, not reported words, and
    # the genitive «президента» after the verb is no subject
    text = paragraph(TRAIN / "articles", "B061.txt", "безумовну повагу")
    assert spoken(text, "uk")["безумовну повагу"].linked == "Роман Протасевич"


def test_the_noun_right_after_a_verb_of_naming_is_its_object() -> None:
    # «опозиціонер назвав Лукашенка людиною "зі сталевими яйцями"»: Lukashenko is who was
    # so called; the speaker («опозиціонер») is no mention, so none is better than him
    text = paragraph(TRAIN / "articles", "B061.txt", "сталевими яйцями")
    found = [f for f in speakers(text, "uk") if f[0].startswith("зі сталевими")]
    assert found and all(person is None for _, _, person in found)


def test_was_quoted_as_saying_takes_the_subject_before_it() -> None:
    # '"…," Kassym-Jomart Tokayev was quoted as saying by his press service'
    text = paragraph(TRAIN / "articles", "E040.txt", "was quoted as saying")
    assert "Tokayev" in (spoken(text, "en")["Recently we’ve had"].linked or "")


def test_it_after_an_unnamed_speaking_body_is_not_a_later_object() -> None:
    # '"…," said the War Gonzo blog, which has … subscribers on Telegram. "…," it said':
    # "it" is the blog (which the tagger did not find), never Telegram
    text = paragraph(TRAIN / "articles", "E050.txt", "it said")
    assert spoken(text, "en")["In simple terms,"] == ("it", None)


def dev_path(prefix: str) -> Path:
    """The one dev page whose name starts with ``prefix``."""
    (path,) = (DEV / "articles").glob(f"{prefix}*.txt")
    return path


def dev_page(prefix: str) -> tuple[str, str]:
    """(text, language) of the dev page whose name starts with ``prefix``."""
    return extracted(dev_path(prefix))


def test_the_noun_speaker_is_the_body_named_with_that_noun() -> None:
    # "At about 17:00 GMT, the ministry announced that a “private Embraer …”": the
    # Ministry for Emergency Situations quoted before, not the aviation agency named last
    found = spoken(*dev_page("039"))
    assert found["private Embraer Legacy"].linked == "Ministry for Emergency Situations"


def test_a_capitalised_noun_speaker_is_a_name_not_the_last_body() -> None:
    # "The Russian Anti-Terror Committee said earlier that the bridge was damaged by "a
    # truck bombing."": that committee, not the Transport Ministry named a sentence before
    found = spoken(*dev_page("098"))
    written, person = found["a truck bombing."]
    assert written == "The Russian Anti-Terror Committee"
    assert person is None or "Anti-Terror" in person


def test_a_person_named_after_the_verb_speaks_rather_than_a_body_before_it() -> None:
    # «Об этом в своем аккаунте Twitter сообщил … советник офиса президента Украины Михаил
    # Подоляк. «…», — написал он»: he is Podolyak, not Twitter
    found = spoken(*dev_page("090"))
    assert found["Раунд переговоров лидеров"].linked == "Михаил Подоляк"


def test_a_name_after_a_preposition_and_its_article_is_no_subject() -> None:
    # "Carson took the stage Tuesday at the Grand Hotel in Baltimore and called the
    # political system “rotten to the core.”": the hotel is where, not who
    text = polnear("breitbart_2016-03-01_the-latest-sanders-wins-minnesot.txt", "Grand Hotel")
    assert "Grand Hotel" not in {written for _, written, _ in speakers(text, "en")}


def test_a_document_cue_takes_the_author_named_right_after_it() -> None:
    # «"…", — говорится в сообщении ВСУ»: the armed forces' statement, not the governor
    # who spoke last
    found = spoken(*dev_page("019"))
    assert found["В настоящее время"] == ("ВСУ", "ВСУ")


def test_an_acronym_speaker_is_the_body_it_abbreviates() -> None:
    # «Про це йдеться у зведенні Оперативного командування «Південь». «…», – повідомили
    # в ОК»: ОК is that command
    found = spoken(*dev_page("074"))
    assert found["У Чорноморській операційній"] == ("ОК", "Оперативного командування «Південь»")


def test_a_channel_that_cites_another_is_not_the_speaker() -> None:
    # «Про це пише УНН, посилаючись на росЗМІ. "…", - йдеться в повідомленні»: the agency
    # passes on Russian media's words; it is no speaker of them
    found = spoken(*dev_page("086"))
    assert found["Місцеві жителі діляться"].linked is None


def test_the_chief_is_the_person_named_before() -> None:
    # '"It is a beacon of hope, possibility and relief," the UN chief tweeted': Guterres,
    # who spoke the sentence before
    found = spoken(*dev_page("020"))
    assert found["It is a"] == ("the UN chief", "Guterres")


def test_quoted_the_ministry_as_saying() -> None:
    # '"…," the state news agency TASS quoted the ministry as saying': the ministry
    found = spoken(*dev_page("112"))
    assert found["While being towed"] == ("the ministry", "defense ministry")


def test_a_straight_quote_between_letters_is_an_apostrophe() -> None:
    # «про це заявила Прем"єр-міністр України Юлія Тимошенко»: the page types the
    # Ukrainian apostrophe as a straight quotation mark; it opens no quote, and the
    # quote that does open at the page's end («"Після підписання…») is Tymoshenko's
    found = spoken(*train_page("D021.txt"))
    assert not any(q.startswith("єр-міністр") for q in found)
    assert found["Після підписання всіх"].linked == "Тимошенко"


def test_one_straight_mark_closes_a_quote_and_the_quote_inside_it() -> None:
    # «"Поставки прекращены до нуля в 7:44 через станцию "Суджа", - в частности сказал он»:
    # the last mark closes the station's name and the quote; «он» is Землянский
    found = spoken(*train_page("D018.txt"))
    assert found["Поставки прекращены до"] == ("он", "Валентин Землянский")


def test_the_attribution_after_a_quote_set_off_by_a_dash_wins() -> None:
    # The page runs its headline into the body («…, утверждает немецкий чиновник "Алексей
    # Навальный, … в понедельник", - передает The New York Times»): the quote set off by a
    # comma and a dash is the newspaper's, not the official's of the verb before it
    found = spoken(*train_page("B028.txt"))
    assert found["Алексей Навальный, российский"] == ("The New York Times", "The New York Times")


def test_an_anonymous_official_is_nobody() -> None:
    # «"…", - сообщил чиновник на условиях анонимности»: not the newspaper quoted before
    found = spoken(*train_page("B028.txt"))
    assert found["Он полностью осведомлен"].linked is None


def test_a_short_capitalised_quote_right_after_the_verb_is_the_outlet() -> None:
    # «- повідомляє "Українська правда" з посиланням на "Інтерфакс"»: a name, no quote
    text, lang = train_page("D042.txt")
    found = [q[0] for q in speakers(text, lang)]
    assert "Українська правда" not in found
    assert found[0] == "Ми узгодили з"


def test_quotes_of_one_sentence_share_the_attribution_at_its_end() -> None:
    # 'The test had “proven beyond doubt” that he had been poisoned with a “chemical nerve
    # agent of the novichok group”, she said': both are Kramp-Karrenbauer's
    text, lang = train_page("B027.txt")
    found = speakers(text, lang)
    assert [q for q in found if q[0] in ("proven beyond doubt", "chemical nerve agent")] == [
        ("proven beyond doubt", "she", "Annegret Kramp-Karrenbauer"),
        ("chemical nerve agent", "she", "Annegret Kramp-Karrenbauer"),
    ]


def test_a_relaying_channel_is_not_the_last_speaker() -> None:
    # «Про це йдеться у заяві на сайті уряду, передають Патріоти України. "…"» then
    # «- йдеться у заяві»: the channel (its plural verb no impersonal «в Україні») does not
    # become the author of the statement
    found = spoken(*train_page("E022.txt"))
    assert found["Німеччина надасть країнам-партнерам,"].linked != "України"


def test_the_name_of_a_law_is_no_quote() -> None:
    # «готов внести проект изменений в закон «О военном положении»»: the law's title
    text, lang = train_page("A018.txt")
    assert "О военном положении" not in [q[0] for q in speakers(text, lang)]


def test_the_role_of_a_country_is_the_person_named_next() -> None:
    # 'The president of Kazakhstan said today that his country will ensure the care and
    # safety of Russians fleeing a “hopeless situation.”' then '“…,” Kassym-Jomart Tokayev
    # was quoted as saying' (tagged as an organisation): not Putin, named before
    found = spoken(*train_page("E040.txt"))
    assert found["hopeless situation."] == ("The president of Kazakhstan", "Kassym-Jomart Tokayev")


def test_a_verb_after_and_with_no_cue_before_takes_the_clause_subject() -> None:
    # 'Lukashenka took the oath in Belarusian and announced in his speech that “the color
    # revolution in Belarus has failed.”': not "the oath in Belarusian and"
    found = spoken(*train_page("B034.txt"))
    assert found["the color revolution"][0] == "Lukashenka"


def test_a_relative_clause_stands_between_the_subject_and_its_verb() -> None:
    # '‘President is a servant of the people,’ Zelenskiy, who plays the role of president
    # in the eponymous TV series, repeatedly said'
    found = spoken(*train_page("A050.txt"))
    assert found["President is a"][0] == "Zelenskiy"


def test_a_pronoun_with_nobody_before_it_is_the_person_named_next() -> None:
    # The lead naming Zelensky is cut off: «"…", — сказав він військовим. Зеленський
    # також подякував НАТО»
    found = spoken(*train_page("E005.txt"))
    assert found["Ми рухаємося вперед."] == ("він", "Зеленський")


def test_the_head_of_a_government_is_a_role() -> None:
    # «„…“, - наголосила керівник українського уряду. Також Юлія Володимирівна гарантувала»:
    # Tymoshenko, not an unnamed «керівник»
    found = spoken(*train_page("D017.txt"))
    assert found["Я вдячна Володимиру"] == ("керівник українського уряду", "Юлія Володимирівна")


def test_a_relaying_verb_has_its_subject_after_it() -> None:
    # «Лукашенко обратится с заявлением, сообщает в понедельник близкий к президентской
    # пресс-службе телеграм-канал "Пул первого". "…", - говорится в сообщении»: the channel
    # speaks, not Lukashenko; its quoted name is no quote
    found = spoken(*train_page("B060.txt"))
    assert "Пул первого" not in found
    assert found["По информации Пула"].linked is None


def test_a_channel_passing_on_the_words_of_a_person() -> None:
    # ««…», - передает РИА Новости слова Малышева»: Malyshev's words
    found = spoken(*train_page("D033.txt"))
    assert found["За воссоединение с"].linked == "Малышева"


def test_the_body_a_channel_cites_is_the_author_of_the_statement() -> None:
    # «Про це повідомляє РБК-Україна з посиланням на Генштаб ЗСУ. … "…", – йдеться в
    # повідомленні»: the General Staff's statement
    found = spoken(*train_page("B053.txt"))
    assert found["Кількість евакуйованих громадян"].linked == "Генштаб ЗСУ"


def test_a_role_goes_to_a_person_not_to_a_one_word_body() -> None:
    # «"…", говорится в сообщении главы МИД республики в Twitter. По словам Линкявичюса»
    found = spoken(*train_page("B056.txt"))
    assert found["Светлана Тихановская в"] == ("главы МИД", "Линкявичюса")


def test_a_passive_speech_verb_is_said_by_its_agent() -> None:
    # 'The negotiations were described as "constructive" by Russia': not "The negotiations"
    found = spoken(*dev_page("022"))
    assert found["constructive"] == ("Russia", "Russia")


def test_a_verb_after_and_and_an_auxiliary_shares_the_subject() -> None:
    # 'Moscow denies the claims and has called the warrants "outrageous."'
    found = spoken(*dev_page("082"))
    assert found["outrageous."] == ("Moscow", "Moscow")


def test_a_name_after_to_is_not_the_subject() -> None:
    # 'an adviser to Ukrainian President Volodymyr Zelensky tweeted that the explosion was
    # just "the beginning,"': the adviser's words, not Zelensky's ('governor of Crimea
    # Sergei Aksyonov wrote' stays Aksyonov's: "of" joins a title to its place)
    found = spoken(*dev_page("052"))
    assert found["the beginning,"].linked is None


def test_a_short_quote_inside_the_subject_is_no_quote() -> None:
    # «Окупаційна «влада» заявила про роботу ППО»: scare quotes, not the words of anyone
    text, lang = dev_page("033")
    assert "влада" not in [q[0] for q in speakers(text, lang)]


def test_the_verb_closing_a_sentence_serves_each_of_its_quotes() -> None:
    # «Решение … отправить Украине танки Leopard «крайне опасно», оно переводит конфликт «на
    # новый уровень противостояния» и …, считает посол России в ФРГ Сергей Нечаев»
    found = spoken(*train_page("E043.txt"))
    assert found["крайне опасно"].linked == "Сергей Нечаев"


def test_an_adverb_between_the_subject_and_its_verb_is_not_the_subject() -> None:
    # 'The ministry had earlier said that the was damaged by "Neptune domestic cruise
    # missiles,"': the ministry named before, not a phrase headed by "earlier"
    found = spoken(*dev_page("112"))
    assert found["Neptune domestic cruise"] == ("The ministry", "defense ministry")
    # 'The Kremlin’s press secretary further suggested the act of "sabotage,"'
    found = spoken(*dev_page("143"))
    assert found["sabotage,"] == ("The Kremlin’s press secretary", "Peskov")


def test_a_pronoun_after_an_english_verb_is_the_subject_of_the_reported_words() -> None:
    # 'Zelenskiy’s chief of staff says he “does not understand” how …': not Zelenskiy
    found = spoken(*dev_page("133"))
    assert found["does not understand"] == (None, None)


def test_a_byline_in_parentheses_is_not_the_subject() -> None:
    # '(ABC NEWS)—The International Criminal Court has issued an arrest warrant …, saying
    # in a statement Friday that Putin is “allegedly responsible …”'
    found = spoken(*dev_page("078"))
    assert found["allegedly responsible for"].linked == "The International Criminal Court"


def test_a_document_cue_is_the_message_of_the_relaying_clause_before_it() -> None:
    # «…, сообщает оператор проекта Nord Stream 2 AG в понедельник, 26 сентября. ¶ "ЧП на
    # нитке А …", говорится в сообщении»: the operator's message
    found = spoken(*dev_page("140"))
    assert found["ЧП на нитке"].linked == "Nord Stream 2 AG"


def test_a_paragraph_quote_after_a_relayed_forecast_is_the_forecasters() -> None:
    # «По прогнозам научного руководителя Гидрометцентра России Романа Вильфанда, …,
    # сообщает ТАСС. ¶ «Уже в понедельник в Москве резко потеплеет …»»: Vilfand, not TASS
    found = spoken(*dev_page("091"))
    assert found["Уже в понедельник"].linked == "Романа Вильфанда"


def test_a_verb_after_a_quote_closed_by_a_full_stop_opens_another_report() -> None:
    # '(NAK) said the drones hit the bridge … "As a result of the terrorist act, … was
    # damaged." Authorities reported that the couple who died …': the committee's words
    found = spoken(*dev_page("047"))
    written, person = found["As a result"]
    assert written != "Authorities"
    assert person is not None and "Anti-Terrorism Committee" in person


def test_by_ones_version_names_the_speaker() -> None:
    # «по версии Владимира Зеленского, произошел «подрыв конструкции изнутри»»
    found = spoken(*dev_page("031"))
    assert found["подрыв конструкции изнутри"].linked == "Владимира Зеленского"


def test_a_relative_clause_before_the_verb_is_not_reported_words() -> None:
    # «Тим часом Євген Рищук, законний мер міста Олешки, яке також знаходиться під
    # контролем російських окупантів, повідомив про надходження інформації про «загиблих
    # від повені»»: Рищук, not Прокудін quoted a paragraph before (the comma before the
    # verb closes a relative clause, and nobody is named after the verb)
    found = spoken(*dev_page("008"))
    assert found["загиблих від повені"] == ("Євген Рищук", "Євген Рищук")


def test_a_common_noun_subject_before_the_verb_is_an_unnamed_speaker() -> None:
    # «Гауляйтер Криму сергій аксьонов закликав … Водночас його радник заявив, що …
    # "органі…"»: his adviser, not Aksyonov
    found = spoken(*dev_page("011"))
    assert found["органі"] == ("його радник", None)
    # «На світанку … росіяни говорять про «надзвичайну подію»»: the Russians, not «про»
    found = spoken(*dev_page("033"))
    assert found["надзвичайну подію"] == ("росіяни", None)


def adaq_sentence(snippet: str) -> str:
    """The first ADAQ (SynTagRus) sentence that holds ``snippet``, its TSV quoting undone."""
    path = SHARED / "external" / "adaq-quotes-ru-cs" / "ru_sentences.tsv"
    line = next(x for x in path.read_text(encoding="utf-8").splitlines() if snippet in x)
    return line.rpartition("\t")[0].strip('"').replace('""', '"')


def test_a_common_noun_subject_in_a_russian_sentence() -> None:
    # ADAQ (SynTagRus) sentences: the noun phrase before the verb speaks
    for snippet, speaker in (
        ("Военный комиссар говорит", "Военный комиссар"),
        ("украинские чиновники заявили", "украинские чиновники"),
    ):
        (quote,) = notes(adaq_sentence(snippet), "ru").quotes
        assert (quote.speaker_text, quote.speaker) == (speaker, None)


def test_a_noun_subject_at_the_body_start_is_the_person_the_title_names() -> None:
    # title «"Поважаю Лукашенка": білоруське ТБ показало інтерв'ю з Протасевичем, …»,
    # body «На опублікованому відео опозиціонер назвав Лукашенка людиною "зі сталевими
    # яйцями"»: Protasevich (named later in the body too), not Lukashenka, whom the
    # title only quotes
    article = annotated_page(TRAIN / "articles" / "B061.txt")
    quote = next(q for q in article.quotes if q.text == "зі сталевими яйцями")
    assert quote.speaker_text == "опозиціонер"
    assert quote.speaker is not None
    assert article.entities[quote.speaker].text == "Роман Протасевич"


def test_a_document_cue_with_nobody_before_it_is_the_body_the_title_names() -> None:
    # title «Минобороны: крейсер «Москва» затонул»; «Минобороны РФ сообщает, что …» (a
    # relaying verb: no last speaker) … «"…", — говорится в сообщении»
    article = annotated_page(dev_path("075"))
    quote = next(q for q in article.quotes if q.cue == "говорится в сообщении")
    assert quote.speaker is not None
    assert article.entities[quote.speaker].text == "Минобороны РФ"


def test_without_its_title_the_body_start_names_nobody() -> None:
    # the same page's body alone: the rule reads the title, it guesses nothing
    text, lang = dev_page("075")
    quote = next(q for q in notes(text, lang).quotes if q.cue == "говорится в сообщении")
    assert quote.speaker is None


def annotated_page(path: Path) -> Annotations:
    """A page annotated as ingest does it: the extracted article, its title and lead."""
    return annotate(extracted_article(path))


def test_a_name_after_an_english_verb_with_its_subject_before_is_no_speaker() -> None:
    # 'Forty-one percent of respondents say Trump’s comments on the video are “completely
    # unacceptable,”': the respondents (no mention), not Trump
    text = polnear(
        "huff-post_2016-10-10_new-poll-gives-hillary-clinton-a.txt", "Forty-one", split="test"
    )
    found = spoken(text, "en")
    assert found["completely unacceptable,"] == (None, None)
    # 'The agreement, said António Guterres, will “bring relief …”': a parenthesis
    found = spoken(*dev_page("025"))
    assert found["bring relief for"].linked == "António Guterres"


def test_a_noun_in_a_prepositional_phrase_is_no_subject() -> None:
    # 'Trump in the past has called out Tur publicly by name, and has referred to her as
    # “Little Katy, third-rate journalist.”': not "the past" (the tagger misses this
    # "Trump", so nobody is named)
    text = polnear(
        "huff-post_2016-11-03_trump-creepily-singles-out-repor.txt", "in the past", split="test"
    )
    found = spoken(text, "en")
    assert found["Little Katy, third-rate"].written is None


def test_a_pronoun_subject_is_not_part_of_a_noun_phrase_before_it() -> None:
    # 'The email provided a question about the death penalty that she said “worries me
    # about HRC.”': the written speaker is "she"
    text = polnear(
        "breitbart_2016-10-13_cnn-s-jake-tapper-on-donna-brazi.txt", "that she said", split="test"
    )
    found = spoken(text, "en")
    assert found["worries me about"].written == "she"


def test_a_body_the_title_names_as_what_happened_is_no_author() -> None:
    # title «Окупанти підірвали Каховську ГЕС на Херсонщині, … – ОВА»: the dam is what
    # happened, not the author of «"…", - йдеться у повідомленні» (only a headline's label
    # or credit is its source)
    article = annotated_page(dev_path("046"))
    quote = next(q for q in article.quotes if q.cue == "йдеться у повідомленні")
    assert quote.speaker is None


def test_a_verb_after_and_takes_the_sentences_subject_across_a_quote() -> None:
    # 'In his interview, McCaul criticized Clinton for “running around saying …” and
    # suggested that her presidency could create a “constitutional crisis.”'
    text = polnear(
        "politico_2016-11-02_mccaul-if-elected-hillary-clinto.txt", "In his interview", split="test"
    )
    found = spoken(text, "en")
    assert found["constitutional crisis."].written == "McCaul"
    # 'He did not do so, and instead argued that the current administration made a deal
    # with Russia “to give …”': an adverb between "and" and the verb
    text = polnear(
        "politico_2016-11-02_trump-adviser-flynn-gets-agitate.txt", "and instead", split="test"
    )
    found = spoken(text, "en")
    assert found["to give the"].written == "He"


def test_a_name_after_the_verb_that_does_not_close_the_parenthesis_is_no_speaker() -> None:
    # 'Ana Cruz, former head of the Florida Democratic Party …, says Hillsborough is “a
    # microcosm of …”': what she says is about Hillsborough
    text = polnear(
        "usa-today_2016-10-25_in-florida-s-crucial-county-a-fi.txt", "Ana Cruz", split="test"
    )
    found = spoken(text, "en")
    assert found["a microcosm of"].written != "Hillsborough"


def test_a_country_qualified_body_noun_is_no_body_of_another_country() -> None:
    # '… the German government said it “strongly condemned” …': not the Kremlin or a
    # mistyped "Mr Navalny" named before (no German body is), so no entity
    article = annotated_page(TRAIN / "articles" / "B027.txt")
    quote = next(q for q in article.quotes if q.text == "strongly condemned")
    assert (quote.speaker_text or "").casefold() == "the german government"
    assert quote.speaker is None


def test_a_possessive_noun_phrase_speaks_as_written() -> None:
    # '"We have no record of Secretary Clinton meeting with these individuals …," her
    # campaign said.': the campaign, not linked to whom "her" refers to
    text = polnear(
        "usa-today_2016-10-18_companies-used-clinton-fundraise.txt",
        "her campaign said",
        split="test",
    )
    found = spoken(text, "en")
    assert found["We have no"] == ("her campaign", None)


def test_a_speaker_noun_opening_a_sentence_with_no_determiner() -> None:
    # title "Grossi is concerned with Zaporizhzhia's 'physical integrity,' …", body "Chief
    # of the UN atomic watchdog said his team expects to produce a report … “early next
    # week, …”": the chief the title names, not "the UN atomic watchdog" nor nobody
    article = annotated_page(TRAIN / "articles" / "E051.txt")
    quote = next(q for q in article.quotes if q.text.startswith("early next week"))
    assert quote.speaker_text == "Chief of the UN atomic watchdog"
    assert quote.speaker is not None
    assert article.entities[quote.speaker].text.endswith("Grossi")


def test_a_title_before_a_name_is_no_headline_noun() -> None:
    # 'President Barack Obama on Tuesday called …': the name, not "President Barack Obama
    # on Tuesday"
    text = polnear(
        "huff-post_2016-11-02_obama-calls-on-men-to-reflect-on.txt", "on Tuesday", split="test"
    )
    assert all("Tuesday" not in (who or "") for _, who, _ in speakers(text, "en"))


def test_a_latin_name_in_a_cyrillic_text_is_no_person() -> None:
    # «"За дорученням … Володимира Зеленського я проводжу термінові консультації …", –
    # написав глава МЗС»: not the "Grain Initiative" of the English tweet quoted after it
    text, lang = dev_page("141")
    notes_ = notes(text, lang)
    quote = next(q for q in notes_.quotes if q.text.startswith("За дорученням"))
    assert quote.speaker_text == "глава МЗС"
    assert quote.speaker is None or notes_.entities[quote.speaker].text != "Grain Initiative"


def test_speech_verbs_of_manner() -> None:
    # '"Crimea is off the table," he exclaimed'; '“I thought your press conference
    # presentation … was right on target,” Clinton gushed.'
    text = polnear(
        "nyt_2016-10-17_british-bank-abruptly-drops-russ.txt", "he exclaimed", split="test"
    )
    assert ("Crimea is off", "he") in [q[:2] for q in speakers(text, "en")]
    text = polnear(
        "breitbart_2016-11-07_wikileaks-hillary-clinton-flatte.txt", "gushed", split="test"
    )
    assert ("I thought your", "Clinton") in [q[:2] for q in speakers(text, "en")]


def test_a_function_word_opening_the_sentence_is_no_part_of_a_name() -> None:
    # 'As Ryan acknowledges, “Under both parties, the presidency keeps breaking the rules,”'
    # (the tagger misses this "Ryan"): Ryan, not "As Ryan"
    text = polnear(
        "usa-today_2016-10-26_congress-could-never-control-pre.txt", "As Ryan", split="test"
    )
    found = spoken(text, "en")
    assert found["Under both parties,"].written == "Ryan"


def test_present_tense_speech_verbs_in_russian() -> None:
    # ADAQ (SynTagRus): «Он прямо указывает на "отсутствие механизма ответственности …"»
    sentence = adaq_sentence("Он прямо указывает")
    assert [(q.cue, q.speaker_text) for q in notes(sentence, "ru").quotes] == [("указывает", "Он")]


def test_a_relative_word_before_the_verb_takes_up_the_noun_before_it() -> None:
    # 'they turned to the Chicago Police Department which reported “2,521 shooting
    # incidents”'
    text = polnear(
        "breitbart_2016-09-29_politifact-donald-trump-is-right.txt", "which reported", split="dev"
    )
    found = spoken(text, "en")
    assert found["2,521 shooting incidents"].written == "Chicago Police Department"


def test_a_persons_pronoun_opening_the_reported_words_is_the_speaker() -> None:
    # 'the former secretary of state and current Democratic presidential nominee said she
    # wanted to speak “directly to white people”': a subject too long for the noun rules;
    # "she" opens the reported words and is the speaker herself
    text = polnear(
        "huff-post_2016-09-20_hillary-clinton-speaks-directly-.txt", "said she", split="dev"
    )
    found = spoken(text, "en")
    written, person = found["directly to white"]
    assert written == "she"
    assert person is not None  # the role before, alone in this paragraph
    # 'And a bartender said she “loved” working for Trump.': a coordinator governs nothing
    text = polnear(
        "breitbart_2016-10-25_the-latest-fbi-ready-to-respond-.txt", "bartender", split="test"
    )
    found = spoken(text, "en")
    assert found["loved"].written == "a bartender"


def test_a_plural_noun_that_looks_like_a_verb_is_no_cue() -> None:
    # 'Hillary Clinton says Donald Trump’s flurry of late-night tweets targeting … was
    # “unhinged, even for him.”': "says", not "tweets"
    text = polnear(
        "breitbart_2016-09-30_the-latest-trump-urges-supporter.txt", "flurry", split="dev"
    )
    assert [(q.cue, q.speaker_text) for q in notes(text, "en").quotes if q.kind == "direct"] == [
        ("says", "Hillary Clinton")
    ]
