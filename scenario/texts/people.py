"""People the feedback mentions: close ones, staff of each service area, first and last names."""

from __future__ import annotations

# Close ones: (nominative/genitive, allative) for Finnish; Swedish and English need one form.
RELATIVES_FI: dict[str, tuple[tuple[str, str], ...]] = {
    "elderly": (("äitini", "äidilleni"), ("isäni", "isälleni"), ("puolisoni", "puolisolleni"),
                ("mummoni", "mummolleni"), ("vaarini", "vaarilleni"), ("mieheni", "miehelleni"),
                ("vaimoni", "vaimolleni")),
    "young": (("poikani", "pojalleni"), ("tyttäreni", "tyttärelleni"), ("puolisoni", "puolisolleni"),
              ("veljeni", "veljelleni"), ("siskoni", "siskolleni")),
}
RELATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "sv": {"elderly": ("min mamma", "min pappa", "min make", "min fru", "min mormor", "min farfar"),
           "young": ("min son", "min dotter", "min make", "min bror", "min syster")},
    "en": {"elderly": ("my mother", "my father", "my husband", "my wife", "my grandmother"),
           "young": ("my son", "my daughter", "my partner", "my brother", "my sister")},
}

# Staff per service area: (plain, named) where named uses {first} or {last}.
_FI_PERUS = (("lääkäri", "lääkäri {last}"), ("sairaanhoitaja", "sairaanhoitaja {first}"),
             ("terveydenhoitaja", "terveydenhoitaja {first}"), ("vastaanoton hoitaja", "hoitaja {first}"))
STAFF: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "fi": {
        "perusterveydenhuolto": _FI_PERUS,
        "ikaantyneiden-palvelut": (("lähihoitaja", "lähihoitaja {first}"), ("kotihoitaja", "kotihoitaja {first}"),
                                   ("hoitaja", "hoitaja {first}"), ("sairaanhoitaja", "sairaanhoitaja {first}")),
        "sosiaalipalvelut": (("sosiaalityöntekijä", "sosiaalityöntekijä {first}"),
                             ("sosiaaliohjaaja", "sosiaaliohjaaja {first}"),
                             ("palveluohjaaja", "palveluohjaaja {first}")),
        "mielenterveys-ja-paihde": (("psykiatrinen sairaanhoitaja", "sairaanhoitaja {first}"),
                                    ("terapeutti", "terapeutti {first}"), ("lääkäri", "lääkäri {last}"),
                                    ("päihdetyöntekijä", "päihdetyöntekijä {first}")),
        "lapsiperheiden-palvelut": (("terveydenhoitaja", "terveydenhoitaja {first}"),
                                    ("perhetyöntekijä", "perhetyöntekijä {first}"),
                                    ("sosiaalityöntekijä", "sosiaalityöntekijä {first}")),
        "doctor": (("lääkäri", "lääkäri {last}"),),
    },
    "sv": {
        "perusterveydenhuolto": (("läkaren", "doktor {last}"), ("sjukskötaren", "sjukskötaren {first}"),
                                 ("hälsovårdaren", "hälsovårdaren {first}")),
        "ikaantyneiden-palvelut": (("närvårdaren", "närvårdaren {first}"), ("hemvårdaren", "hemvårdaren {first}")),
        "sosiaalipalvelut": (("socialarbetaren", "socialarbetaren {first}"),
                             ("socialhandledaren", "socialhandledaren {first}")),
        "mielenterveys-ja-paihde": (("terapeuten", "terapeuten {first}"), ("läkaren", "doktor {last}")),
        "lapsiperheiden-palvelut": (("hälsovårdaren", "hälsovårdaren {first}"),
                                    ("familjearbetaren", "familjearbetaren {first}")),
        "doctor": (("läkaren", "doktor {last}"),),
    },
    "en": {
        "perusterveydenhuolto": (("the doctor", "Dr {last}"), ("the nurse", "nurse {first}")),
        "ikaantyneiden-palvelut": (("the care worker", "care worker {first}"), ("the nurse", "nurse {first}")),
        "sosiaalipalvelut": (("the social worker", "social worker {first}"),),
        "mielenterveys-ja-paihde": (("the therapist", "therapist {first}"), ("the doctor", "Dr {last}")),
        "lapsiperheiden-palvelut": (("the public health nurse", "nurse {first}"),),
        "doctor": (("the doctor", "Dr {last}"),),
    },
}

# Names are chosen so that they are not also ordinary words (no "Anna", "Satu", "Onni", "Laine").
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "fi": ("Liisa", "Merja", "Pekka", "Jukka", "Sari", "Tiina", "Mika", "Timo", "Päivi", "Eino", "Helmi",
           "Veikko", "Marjatta", "Hannele", "Jari", "Riikka", "Outi", "Heikki", "Raili", "Seppo", "Tuula",
           "Jaana", "Petri", "Minna", "Eija", "Kirsi", "Juha", "Marketta"),
    "sv": ("Karin", "Johan", "Erik", "Ulla", "Mikael", "Britt", "Gunnel", "Ingrid", "Henrik", "Kristina",
           "Margareta", "Göran"),
    "se": ("Máret", "Ánte", "Biret", "Niillas", "Elle", "Jovnna"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "fi": ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Heikkinen", "Koskinen",
           "Järvinen", "Lehtonen", "Saarinen", "Salminen", "Heinonen", "Kinnunen", "Turunen", "Rantanen",
           "Karjalainen", "Savolainen"),
    "sv": ("Lindholm", "Sundqvist", "Björklund", "Holmström", "Nyström", "Westerlund", "Granholm"),
    "se": ("Aikio", "Magga", "Guttorm", "Länsman"),
}
