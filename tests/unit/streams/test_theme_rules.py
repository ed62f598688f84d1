"""Theme rules read for what the taxonomy means (docs/taxonomy.md), not for a word's every sense:
quality is the care itself, respect the encounter (dignity, shouting by staff, language rights),
access getting to the service. Each case fails if its rule is widened back or removed."""

from __future__ import annotations

import pytest

from schemas.taxonomy import Severity, Theme
from streams.classification import classify


def themes(text: str, lang: str | None = None) -> set[Theme]:
    return set(classify(text, lang).themes)


@pytest.mark.parametrize("text", [
    "Naapuri auttoi minua täyttämään asumistukihakemuksen.",  # help with a form
    "Hoitokodin piha on kaunis ja tilat ovat valoisat.",  # a place, not the care
    "Hoitopalkkio laski, eikä päätöksessä kerrottu miksi.",  # a fee
    "Päihdekuntoutujana toivon, että ryhmät alkaisivat myöhemmin.",  # the person, not the care
    "Moni jättää asian hoitamatta, koska lomake on vaikea.",  # an errand left undone
    "I missed the deadline for my application because the form was confusing.",
])
def test_words_of_other_senses_are_no_quality(text: str) -> None:
    assert Theme.QUALITY not in themes(text)


@pytest.mark.parametrize("text", [
    "Päivystyksessä lähdin kotiin ilman hoitoa.",
    "Polvea ei tutkittu kunnolla eikä röntgenkuvaa otettu, vaikka se oli turvoksissa.",
    "Isää lääkittiin niin paljon, ettei hän jaksanut nousta sängystä.",
    "Fysioterapia auttoi, ja kävelen taas ilman keppiä.",
])
def test_the_care_itself_is_quality(text: str) -> None:
    assert Theme.QUALITY in themes(text)


@pytest.mark.parametrize("text", [
    "Odotushuoneen televisio huusi niin kovaa, että päätä särki.",
    "Taksi jätti isän väärälle pysäkille, ja hän palasi kotiin kävellen.",
    "Hoitajat ovat ihan kiireisiä, mutta sängyt ovat hyviä.",  # "ihan" is no praise of staff
])
def test_no_encounter_no_respect(text: str) -> None:
    assert Theme.RESPECT not in themes(text)


@pytest.mark.parametrize(("text", "lang"), [
    ("Yöhoitaja huusi äidilleni, kun hän soitti kelloa.", None),
    ("Lääkäri puhui koko ajan vain miehelleni eikä minulle, vaikka minä olin potilas.", None),
    ("Kotihoidon työntekijät puhuvat vain suomea, eikä mummo ymmärrä heitä.", None),
    ("Väärä lääke annettiin, eikä kukaan pyytänyt anteeksi.", None),
    ("Personalen på avdelningen talar bara finska med min mormor.", "sv"),
    ("Vi fick en jättesnäll barnmorska.", "sv"),
    ("The receptionist refused to speak Swedish with my father.", "en"),
])
def test_dignity_and_language_rights_are_respect(text: str, lang: str | None) -> None:
    assert Theme.RESPECT in themes(text, lang)


def test_a_letter_in_the_wrong_language_is_communication_not_respect() -> None:
    got = themes("Beslutet kom bara på finska fast jag har svenska som språk.", "sv")
    assert Theme.COMMUNICATION in got and Theme.RESPECT not in got


def test_a_threat_to_kill_is_safety_not_a_matter_of_encounter() -> None:
    assert Theme.RESPECT not in themes("Entinen puolisoni uhkasi tappaa minut eilen illalla.")
    assert Theme.RESPECT in themes("Sosiaalityöntekijä uhkaili, että lapset otetaan pois.")


@pytest.mark.parametrize("text", [
    "Äiti oli yksin iltapäivään asti, kunnes naapuri tuli.",  # until a time, not a wait
    "Vastaanottohuoneen ovi oli auki koko käynnin ajan.",  # a door, not opening hours
    "Lasku oli isompi kuin mitä odotin.",  # expected, not waited
])
def test_time_words_that_are_no_wait_are_no_access(text: str) -> None:
    assert Theme.ACCESS not in themes(text)


@pytest.mark.parametrize("text", [
    "Lähin hammashoitola on neljänkymmenen kilometrin päässä.",
    "Terveysasemalle ei kulje bussia iltaisin.",
    "Hain omaishoidon tukea keväällä, eikä päätöstä ole vieläkään tullut.",
    "Ilman verkkopankkitunnuksia jää palvelujen ulkopuolelle.",
])
def test_distance_decisions_and_exclusion_are_access(text: str) -> None:
    assert Theme.ACCESS in themes(text)


@pytest.mark.parametrize(("text", "lang"), [
    ("Tyttäreni kertoi, että hoitaja oli ollut hänelle mukava.", None),  # narration
    ("Sovellus toimii hyvin myös ruudunlukuohjelman kanssa.", None),  # a program, no instruction
    ("Laskussa on selkeä erittely jokaisesta käynnistä.", None),  # a clear bill is fees
    ("I told the receptionist my name and sat down.", "en"),
    ("Opening an account needs Finnish bank credentials.", "en"),
    ("I called the clinic and left a message for the nurse.", "en"),
    ("Min bror berättade att maten på avdelningen var god.", "sv"),
])
def test_narrating_what_was_said_is_no_communication(text: str, lang: str | None) -> None:
    assert Theme.COMMUNICATION not in themes(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Kukaan ei kertonut, miksi leikkausta siirrettiin.", None),
    ("Meille kerrottiin tuloksista heti ja avoimesti.", None),
    ("Kotiutusohjeet olivat selkeät ja kirjalliset.", None),
    ("We were never told that the appointment had moved.", "en"),
    ("Ingen har berättat för oss vad som händer nu.", "sv"),
])
def test_information_given_or_withheld_is_communication(text: str, lang: str | None) -> None:
    assert Theme.COMMUNICATION in themes(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Aulan musiikki oli niin kovalla, ettei kuullut omaa nimeään.", None),  # hearing a sound
    ("Kirjeessä ei ollut numeroa, johon soittaa jos on kysyttävää.", None),  # questions to ask
    ("Parents often do not know why child welfare is involved.", "en"),
])
def test_hearing_and_asking_that_are_no_involvement_are_no_listening(
        text: str, lang: str | None) -> None:
    assert Theme.LISTENING not in themes(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Minua ei kuultu kertaakaan ennen päätöstä.", None),
    ("The care home never involved us in his care plan.", "en"),
])
def test_being_heard_and_involved_is_listening(text: str, lang: str | None) -> None:
    assert Theme.LISTENING in themes(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Osastolla on öisin vain yksi hoitaja kolmellekymmenelle potilaalle.", None),
    ("Huoneessa oli kesällä niin kuuma, ettei äiti saanut nukuttua.", None),
    ("Ytterdörren är så tung att pappa inte får upp den med sin rollator.", "sv"),
    ("There is only one nurse on duty for the whole ward at night.", "en"),
])
def test_staffing_levels_temperature_and_accessibility_are_environment(
        text: str, lang: str | None) -> None:
    assert Theme.ENVIRONMENT in themes(text, lang)


@pytest.mark.parametrize("text", [
    "Mitään rajoituspäätöstä ei ole tehty, vaikka ovi lukitaan joka ilta.",  # never made
    "Äiti ei ymmärtänyt kirjettä, ja määräaika meni ohi.",  # the client's deadline
])
def test_a_decision_never_made_or_a_missed_deadline_is_no_wait(text: str) -> None:
    assert Theme.ACCESS not in themes(text)


@pytest.mark.parametrize("text", [
    "Fysioterapian jonot ovat kasvaneet ja hoidon jonot ovat pitkät.",  # care as a setting
    "Maksukaton seuranta pitäisi tehdä automaattiseksi.",  # following up a fee
])
def test_care_as_a_setting_or_a_fee_followed_up_is_no_quality(text: str) -> None:
    assert Theme.QUALITY not in themes(text)


@pytest.mark.parametrize(("text", "lang"), [
    ("Hoitaja toimi rauhallisesti ja ammattimaisesti, kun äiti sai kohtauksen.", None),
    ("Hemtjänstens besök är för korta för att de ska hinna hjälpa pappa att duscha.", "sv"),
    ("The nurses checked on him every hour through the night.", "en"),
])
def test_how_the_care_was_done_is_quality(text: str, lang: str | None) -> None:
    assert Theme.QUALITY in themes(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Sosiaalityöntekijä kertoi asioistamme naapurille.", None),
    ("Kuratorn berättade om min sons diagnos för hans lärare.", "sv"),
])
def test_a_clients_matters_told_to_outsiders_are_respect(text: str, lang: str | None) -> None:
    assert Theme.RESPECT in themes(text, lang)


def test_nobody_checking_on_a_patient_is_neglect_not_a_quality_of_care() -> None:
    assert Theme.QUALITY not in themes("I lay on the trolley for hours and nobody checked on me.",
                                       "en")


@pytest.mark.parametrize(("text", "lang"), [
    ("The surgeon made a mistake and never apologised.", "en"),
    ("I wasn't told anything about the new medicine.", "en"),
    ("Sköterskan vägrade prata svenska med min mamma.", "sv"),
])
def test_english_contractions_and_swedish_refusals(text: str, lang: str) -> None:
    got = themes(text, lang)
    assert (Theme.COMMUNICATION if "told" in text else Theme.RESPECT) in got


@pytest.mark.parametrize(("text", "lang", "access"), [
    ("En ole päässyt lääkäriin kahteen kuukauteen.", None, True),
    ("Lähetteestä ei ole kuulunut mitään kuuteen viikkoon.", None, True),
    ("Kotisivuja ei ole päivitetty kahteen vuoteen.", None, False),
    ("My sister, who was waiting with me, heard everything.", "en", False),
])
def test_a_duration_is_a_wait_only_for_the_service(text: str, lang: str | None,
                                                    access: bool) -> None:
    assert (Theme.ACCESS in themes(text, lang)) is access


@pytest.mark.parametrize(("text", "lang", "theme", "expected"), [
    ("Korvaushoitoon pääsee nyt nopeammin kuin ennen.", None, Theme.FEES, False),
    ("Voiko omaishoidon tukea hakea takautuvasti?", None, Theme.FEES, True),
    ("Broschyren var en dålig översättning från finska.", "sv", Theme.FEES, False),
    ("Kela rejected my application without saying why.", "en", Theme.FEES, True),
    ("Kirurgi leikkasi väärän polven.", None, Theme.SAFETY, True),
    ("Kotihoidossa tapahtui lääkkeenjakovirhe.", None, Theme.SAFETY, True),
    ("Vastauksen voi lähettää sähköpostiini.", None, Theme.COMMUNICATION, False),
])
def test_words_read_in_their_sense(text: str, lang: str | None, theme: Theme,
                                   expected: bool) -> None:
    assert (theme in themes(text, lang)) is expected


def test_a_filling_that_fell_out_is_no_fall_of_high_severity() -> None:
    c = classify("The filling fell out a week later and I had to pay again.", "en")
    assert Theme.QUALITY in c.themes and c.severity is not Severity.HIGH


@pytest.mark.parametrize(("text", "theme", "expected"), [
    ("Färdtjänsten borde ha plats för två så att vi kan åka tillsammans.", Theme.LISTENING, False),
    ("Vi planerade vården tillsammans med läkaren.", Theme.LISTENING, True),
    ("Min bror som har en intellektuell funktionsnedsättning berättade att maten var god.",
     Theme.COMMUNICATION, False),
])
def test_swedish_words_read_in_their_sense(text: str, theme: Theme, expected: bool) -> None:
    assert (theme in themes(text, "sv")) is expected
