"""Feedback fragments around the cores: openers, details, closers, connectors, reply requests, oral
prefixes, sentences carrying personal data, weekdays and colloquial Finnish.
"""

from __future__ import annotations

# Openers, details and closers per language and tone (pos, neg, sug, q, mixed); "any" fits all.
OPENERS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "any": ("Hei!", "Hei.", "Hyvä vastaanotto,", "Haluan antaa palautetta.", "Palautetta käynnistä.",
                "Kävin {wd} vastaanotolla.", "Asioin {wd} yksikössänne.", "Moi,", "Hei vaan,"),
        "pos": ("Haluan kiittää!", "Lämmin kiitos!", "Pakko antaa positiivista palautetta."),
        "neg": ("Olen todella pettynyt.", "Tämä on jo toinen kerta, kun kirjoitan samasta asiasta.",
                "Valitettavasti joudun antamaan negatiivista palautetta.",
                "En yleensä valita, mutta nyt on pakko."),
        "sug": ("Minulla olisi kehitysehdotus.", "Pieni idea:"),
        "q": ("Haluaisin kysyä yhtä asiaa.", "Kysymys:"),
        "close_one": ("Kirjoitan {rel} puolesta.", "Olen {rel} omaishoitaja.", "Palautetta {rel} hoidosta.",
                      "Olen omainen.", "Kirjoitan omaisena."),
    },
    "sv": {
        "any": ("Hej!", "Hej,", "Jag vill ge respons.", "Jag var på mottagningen {wd}."),
        "pos": ("Jag vill tacka!", "Ett stort tack!"),
        "neg": ("Jag är mycket besviken.", "Det här är andra gången jag skriver om samma sak."),
        "sug": ("Jag har ett förslag.",),
        "q": ("Jag har en fråga.",),
        "close_one": ("Jag skriver för {rel}s räkning.", "Jag är anhörig.",
                      "Jag är närståendevårdare för {rel}."),
    },
    "en": {
        "any": ("Hello,", "Hi,", "I would like to give some feedback.", "I visited the clinic on {wd}."),
        "pos": ("I want to say thank you!",),
        "neg": ("I am very disappointed.", "This is the second time I am writing about this."),
        "sug": ("I have a suggestion.",),
        "q": ("I have a question.",),
        "close_one": ("I am writing on behalf of {rel}.", "I am {rel}'s carer.", "I am a family member."),
    },
    "se": {"any": ("Buorre beaivi!", "Bures!")},
}

DETAILS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "neg": ("Tämä ei ole ensimmäinen kerta.", "Asiasta on puhuttu jo aiemmin, mutta mikään ei muutu.",
                "Olen todella pettynyt.", "Toivon, että asiaan puututaan.", "Näin ei voi jatkua.",
                "Ymmärrän, että kiirettä on, mutta tämä ei ole hyväksyttävää.",
                "Moni muukin on kertonut saman.", "Tilanne on ollut tällainen jo {w} viikkoa."),
        "pos": ("Tuntui, että minusta välitettiin.", "Tällaista palvelua toivoisi aina.", "Hienoa työtä!",
                "Kaikki sujui nopeasti ja ystävällisesti.",
                "Olen ollut asiakkaana jo vuosia, ja tämä oli paras käynti tähän asti."),
        "sug": ("Tämä helpottaisi monen arkea.", "Uskon, että moni hyötyisi tästä.",
                "Muualla tämä toimii jo hyvin."),
        "q": ("Kiitos jo etukäteen vastauksesta.", "En löytänyt tietoa verkkosivuilta."),
    },
    "sv": {
        "neg": ("Det är inte första gången.", "Jag hoppas att ni tar tag i saken.",
                "Så här kan det inte fortsätta.", "Många andra har sagt samma sak."),
        "pos": ("Jag kände mig omhändertagen.", "Så borde det alltid vara.", "Bra jobbat!"),
        "sug": ("Det skulle underlätta för många.",),
        "q": ("Tack på förhand för svaret.", "Jag hittade ingen information på webbsidan."),
    },
    "en": {
        "neg": ("This is not the first time.", "I hope something is done about this.",
                "Many others have said the same.", "I understand you are busy, but this is not acceptable."),
        "pos": ("I felt cared for.", "Great work!", "It should always be like this."),
        "sug": ("This would help many people.",),
        "q": ("Thank you in advance.", "I could not find this on the website."),
    },
    "se": {},
}

CLOSERS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "neg": ("Toivon vastausta.", "Terveisin pettynyt asiakas.", "Olen tehnyt asiasta myös muistutuksen.",
                "Harkitsen kantelua aluehallintovirastoon.", "Odotan, että asia korjataan."),
        "pos": ("Kiitos!", "Iso kiitos koko henkilökunnalle!", "Hyvää jatkoa!", "Suuri kiitos!",
                "Kiitos vielä kerran."),
        "sug": ("Kiitos.", "Ystävällisin terveisin."),
        "q": ("Kiitos.", "Ystävällisin terveisin."),
        "mixed": ("Kiitos kuitenkin.", "Muuten olen ollut tyytyväinen."),
    },
    "sv": {
        "neg": ("Jag hoppas på svar.", "Jag har också lämnat in en anmärkning.",
                "Jag överväger att klaga till regionförvaltningsverket."),
        "pos": ("Tack!", "Stort tack till hela personalen!", "Ha det bra!"),
        "sug": ("Tack.", "Med vänlig hälsning."),
        "q": ("Tack.",),
        "mixed": ("Tack ändå.",),
    },
    "en": {
        "neg": ("I hope to hear from you.", "I have also filed a formal complaint."),
        "pos": ("Thank you!", "Many thanks to the whole staff!", "Keep up the good work!"),
        "sug": ("Thanks.", "Kind regards."),
        "q": ("Thanks.",),
        "mixed": ("Thanks anyway.",),
    },
    "se": {"pos": ("Giitu!",), "any": ("Dearvvuođat.",)},
}

# Joins the praise and the complaint of a "mixed" text. True: lower-case the complaint's first letter.
MIXED_CONNECTORS: dict[str, tuple[tuple[str, bool], ...]] = {
    "fi": (("Mutta ", True), ("Toisaalta ", True), ("", False)),
    "sv": (("Men ", True), ("", False)),
    "en": (("But ", True), ("However, ", True), ("", False)),
    "se": (("Muhto ", True),),
}

REPLY_ASKS: dict[str, tuple[str, ...]] = {
    "fi": ("Pyydän yhteydenottoa.", "Toivon, että minulle vastataan.", "Voitteko olla minuun yhteydessä?",
           "Haluan vastauksen kirjallisesti."),
    "sv": ("Jag vill bli kontaktad.", "Jag vill ha ett skriftligt svar.", "Kan ni ringa mig?"),
    "en": ("Please contact me.", "I would like a written reply.", "Could you call me?"),
    "se": ("Sáhtátgo riŋget munnje?",),
}

ORAL_PREFIXES: dict[str, tuple[str, ...]] = {
    "fi": ("Suullinen palaute: ", "Asiakas kertoi vastaanotolla: ", "Kirjattu puhelimessa: "),
    "sv": ("Muntlig respons: ", "Klienten berättade vid mottagningen: "),
    "en": ("Oral feedback: ",),
    "se": ("",),
}

# Sentences that carry personal data; {v} is the value. "close_one" variants talk about the relative.
PII_SENTENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "hetu": ("Henkilötunnukseni on {v}.", "Hetuni on {v}.", "(hetu {v})"),
        "hetu_close_one": ("{Rel} henkilötunnus on {v}.", "{Rel} hetu: {v}"),
        "phone": ("Soittakaa minulle numeroon {v}.", "Minut tavoittaa numerosta {v}.", "Puh. {v}",
                  "Numeroni on {v}."),
        "email": ("Vastatkaa sähköpostiin {v}.", "Sähköpostini on {v}.", "Yhteystiedot: {v}"),
        "iban": ("Palauttakaa liikaa maksettu summa tililleni {v}.", "Tilinumeroni on {v}.",
                 "Hyvitys tilille {v}."),
        "sign": ("Terveisin {v}", "t. {v}", "Ystävällisin terveisin {v}"),
    },
    "sv": {
        "hetu": ("Min personbeteckning är {v}.",),
        "hetu_close_one": ("{Rel}s personbeteckning är {v}.",),
        "phone": ("Ring mig på {v}.", "Tfn {v}", "Mitt nummer är {v}."),
        "email": ("Svara gärna till {v}.", "Min e-post är {v}."),
        "iban": ("Betala tillbaka till mitt konto {v}.", "Mitt kontonummer är {v}."),
        "sign": ("Hälsningar {v}", "Mvh {v}", "Med vänlig hälsning {v}"),
    },
    "en": {
        "hetu": ("My personal identity code is {v}.",),
        "hetu_close_one": ("{Rel}'s personal identity code is {v}.",),
        "phone": ("Please call me on {v}.", "My number is {v}."),
        "email": ("You can reach me at {v}.",),
        "iban": ("Please refund the amount to my account {v}.",),
        "sign": ("Regards, {v}", "Best wishes, {v}"),
    },
    "se": {
        "phone": ("Tel. {v}",),
        "sign": ("Dearvvuođat, {v}",),
    },
}

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina"),
    "sv": ("i måndags", "i tisdags", "i onsdags", "i torsdags", "i fredags"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "se": ("vuossárgga", "maŋŋebárgga", "gaskavahku", "duorastaga", "bearjadaga"),
}

# Colloquial Finnish (puhekieli) and regional forms, applied to some texts.
DIALECT_COMMON: dict[str, str] = {
    "minulle": "mulle", "minun": "mun", "minua": "mua", "minut": "mut", "minulla": "mulla",
    "minulta": "multa", "ollut": "ollu", "tullut": "tullu", "mennyt": "menny", "saanut": "saanu",
    "olen": "oon", "tämä": "tää", "meidän": "meiän", "mutta": "mut", "niin": "nii", "kyllä": "kyl",
}
DIALECT_BY_COUNTY: dict[str, dict[str, str]] = {
    "lappi": {"minä": "mie", "sinä": "sie", "minulle": "miulle", "minun": "miun", "minut": "miut",
              "minulla": "miula", "minua": "minnuu"},
    "pirkanmaa": {"minä": "mää", "sinä": "sää"},
    "pohjanmaa": {"minä": "mä", "sinä": "sä"},
}
DIALECT_FILLERS: tuple[str, ...] = ("No ", "Siis ", "Tota ")
