"""Texts of participation: workshop proposals, prefixes and reasons, decisions under preparation and
expert statements.
"""

from __future__ import annotations

# Workshop outputs: "<prefix> <proposal>." followed by an optional reason. Proposals take the same
# area tags as cores ("[ika sos] ..."); untagged ones fit every service area.
WORKSHOP_PROPOSALS: dict[str, tuple[str, ...]] = {
    "fi": (
        "asiakaskirjeet kirjoitetaan selkokielellä ja niihin lisätään yhteyshenkilön suora puhelinnumero",
        "jokaiselle paljon palveluja tarvitsevalle nimetään oma yhteyshenkilö",
        "sähköiseen asiointiin tehdään opastusvideot ja kirjastoihin järjestetään digitukea",
        "etävastaanottoa tarjotaan kaikille, joilla on pitkä matka palveluun",
        "asiakasmaksujen alentamisen mahdollisuudesta kerrotaan jokaisen laskun mukana",
        "kehittäjäasiakkaat otetaan mukaan uusien palvelujen suunnitteluun alusta asti",
        "asiakaspalautteeseen vastataan julkisesti sanoitte–teimme-periaatteella",
        "palveluohjaus kokoaa sosiaali- ja terveyspalvelut samaan tapaamiseen",
        "vastaanoton ilmoittautuminen järjestetään niin, etteivät muut kuule asiakkaan asioita",
        "laskuihin lisätään selkeä erittely ja neuvontanumero",
        "[ika] kotihoidon käyntiajat sovitaan yhdessä asiakkaan kanssa",
        "[ika] palvelutalon ruokalistat suunnitellaan yhdessä asukkaiden kanssa",
        "[ika] henkilökunnalle järjestetään koulutus muistisairaan asiakkaan kohtaamisesta",
        "[ika] samat hoitajat käyvät saman asiakkaan luona mahdollisimman usein",
        "[ika perus] kotiutuksesta sovitaan aina omaisen kanssa ennen kuin asiakas lähtee osastolta",
        "[ika perus] lääkehoidon muutoksista annetaan aina kirjallinen ohje kotiin",
        "[ika sos] omaishoitajien vapaapäivien sijaishoito järjestetään asiakkaan kotiin",
        "[ika sos] kuljetuspalvelun tilaaminen onnistuu myös tekstiviestillä",
        "[perus] terveysasemalle avataan iltavastaanotto kahtena päivänä viikossa",
        "[perus] takaisinsoittopalvelun aukioloa pidennetään iltapäivään",
        "[perus lp] odotustiloihin lisätään esteettömiä istumapaikkoja ja lasten nurkkaus",
        "[mt] mielenterveyspalveluihin pääsee ilman lähetettä matalan kynnyksen pisteestä",
        "[mt] päihdepalvelujen ajanvaraus avataan myös chatissa",
        "[mt] kriisiapuun pääsee samana päivänä myös iltaisin",
        "[mt sos lp] vertaistukiryhmiä käynnistetään myös pienemmillä paikkakunnilla",
        "[sos] toimeentulotuen hakemiseen saa henkilökohtaista ohjausta",
        "[sos] päätösten perustelut kirjoitetaan niin, että asiakas ymmärtää ne",
        "[lp] neuvolaan avataan iltavastaanottoja työssäkäyville vanhemmille",
        "[lp] perhetyöhön pääsee ilman lastensuojelun asiakkuutta",
    ),
    "sv": (
        "kallelsebreven skrivs på lätt svenska",
        "all skriftlig information finns på både svenska och finska",
        "varje klient får en egen kontaktperson",
        "e-tjänsterna får en svensk version och handledning på biblioteket",
        "fakturorna specificeras tydligt",
        "klienterna får svar på sin respons inom två veckor",
        "väntrummen görs tillgängliga för personer med rullator och rullstol",
        "[ika] hemvårdens besökstider planeras tillsammans med klienten",
        "[ika] matsedeln på servicehuset planeras tillsammans med de boende",
        "[ika] personalen utbildas i bemötande av personer med minnessjukdom",
        "[ika perus] utskrivningen från sjukhuset alltid planeras tillsammans med de anhöriga",
        "[perus] hälsostationen öppnar kvällsmottagning två dagar i veckan",
        "[mt] missbrukarvården går att kontakta via chatt",
        "[lp] rådgivningen har kvällsmottagning för föräldrar som arbetar",
    ),
}
WORKSHOP_PROPOSALS_LAPPI: tuple[str, ...] = (
    "saamenkielistä palvelua tarjotaan etäyhteydellä koko Lapin alueella",
    "[perus ika] syrjäkylille järjestetään liikkuva terveysasema kerran kuussa",
)
WORKSHOP_PREFIXES: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "structural": ("Kehittäjäasiakasryhmä ehdottaa, että", "Ryhmä esittää, että",
                       "Ryhmän yhteinen näkemys on, että", "Tapaamisessa sovittiin esitettäväksi, että"),
        "pop_up": ("Pop-up-pisteellä kävijät toivoivat, että", "Moni pop-up-pisteen kävijä ehdotti, että"),
        "digital": ("Digiraadin osallistujat ehdottavat, että",
                    "Verkkokyselyn vastaajista suurin osa toivoo, että"),
        "county_policy": ("Koko hyvinvointialueen linjaukseksi ehdotetaan, että",),
        "decision": ("Valmisteltavana olevaan päätökseen ({title}) esitetään, että",
                     "{title}: osallistujat esittävät, että"),
    },
    "sv": {
        "structural": ("Utvecklarklientgruppen föreslår att", "Gruppen föreslår att"),
        "pop_up": ("Besökarna vid pop up-punkten önskade att",),
        "digital": ("Deltagarna i den digitala panelen föreslår att",),
        "county_policy": ("Som riktlinje för hela välfärdsområdet föreslås att",),
        "decision": ("Inför beslutet ({title}) föreslås att",),
    },
}
WORKSHOP_REASONS: dict[str, tuple[str, ...]] = {
    "fi": ("Perusteluna osallistujat kertoivat omista kokemuksistaan pitkistä odotusajoista.",
           "Moni osallistuja oli kokenut, ettei tieto kulje.",
           "Ehdotus perustuu osallistujien omiin kokemuksiin palveluista.",
           "Osallistujien mukaan tämä vähentäisi turhia yhteydenottoja.",
           "Erityisesti omaiset pitivät asiaa tärkeänä.", ""),
    "sv": ("Deltagarna berättade om egna erfarenheter.", "Särskilt de anhöriga ansåg detta viktigt.", ""),
}

# Decisions under preparation per county: (title fi, title sv, statement subject fi, subject sv,
# service area it concerns).
DECISIONS: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    "lappi": (("Palveluverkkosuunnitelma 2027–2030", "Servicenätsplan 2027–2030",
               "Palveluverkon muutokset ja lähipalvelut", "Närservice för äldre", "perusterveydenhuolto"),
              ("Terveysasemien aukioloaikojen muutos", "Ändrade öppettider vid hälsostationerna",
               "Sähköisten palvelujen saavutettavuus", "Service på svenska", "perusterveydenhuolto")),
    "pirkanmaa": (("Kotihoidon palvelusetelin sääntökirja", "Regelbok för servicesedel inom hemvården",
                   "Kotihoidon asiakaslähtöisyys", "Närservice för äldre", "ikaantyneiden-palvelut"),
                  ("Mielenterveys- ja päihdepalvelujen palvelulupaus",
                   "Serviceutlovande för mentalvårds- och missbrukartjänster",
                   "Päihdepalveluihin pääsy", "Service på svenska", "mielenterveys-ja-paihde")),
    "pohjanmaa": (("Ikääntyneiden palvelujen palveluverkko", "Servicenätet för äldreomsorgen",
                   "Palveluverkon muutokset ja lähipalvelut", "Närservice för äldre", "ikaantyneiden-palvelut"),
                  ("Asiakasmaksujen alentamisen perusteet", "Grunderna för sänkning av klientavgifter",
                   "Asiakasmaksujen kohtuullisuus", "Klientavgifter", "sosiaalipalvelut")),
}

# Expert statements. A subject holds a topic with matching findings and recommendations; findings
# are subordinate clauses (they follow "että"/"att"). "area": the service area it concerns (None: any);
# "county": only there. A statement on a decision under preparation uses a subject's findings.
STATEMENT_INTROS: dict[str, tuple[str, ...]] = {
    "fi": ("Kokemusasiantuntijana näen, että",
           "Omaan kokemukseeni ja vertaisten kertomuksiin perustuen totean, että"),
    "sv": ("Som erfarenhetsexpert anser jag att",),
}
STATEMENT_AUTHOR_INTROS: dict[str, dict[str, str]] = {
    "fi": {"influence_body:ikaantyneiden-palvelut": "Vanhusneuvosto toteaa lausunnossaan, että",
           "influence_body": "Vammaisneuvosto toteaa lausunnossaan, että",
           "developer_client_group": "Kehittäjäasiakasryhmä toteaa, että"},
    "sv": {"influence_body:ikaantyneiden-palvelut": "Äldrerådet konstaterar i sitt utlåtande att",
           "influence_body": "Rådet för personer med funktionsnedsättning konstaterar att",
           "developer_client_group": "Utvecklarklientgruppen konstaterar att"},
}
STATEMENT_DECISION_CLOSING: dict[str, str] = {
    "fi": "Valmisteltavana olevan päätöksen ({title}) vaikutukset asiakkaisiin on arvioitava ennen päätöksentekoa.",
    "sv": "Konsekvenserna av beslutet ({title}) för klienterna bör bedömas innan beslutet fattas.",
}
STATEMENT_SUBJECTS: dict[str, tuple[dict, ...]] = {
    "fi": (
        {"topic": "Päihdepalveluihin pääsy", "area": "mielenterveys-ja-paihde", "findings": (
            "päihdepalveluihin pääsyn kynnys on liian korkea: ajanvaraus vain puhelimitse kello 8–9 sulkee monet ulos.",
            "moni luovuttaa ennen kuin pääsee palveluun, koska jonot ovat kuukausien mittaisia.",
            "asiakasta ohjataan päihdepalveluista mielenterveyspalveluihin ja takaisin ilman, että kukaan ottaa vastuuta.",
        ), "recommendations": (
            "Avataan matalan kynnyksen vastaanotto ilman ajanvarausta.",
            "Avataan ajanvaraus myös chatissa ja iltaisin.",
            "Järjestetään mielenterveys- ja päihdepalveluille yhteinen vastaanotto.",
        )},
        {"topic": "Kotihoidon asiakaslähtöisyys", "area": "ikaantyneiden-palvelut", "findings": (
            "kotihoidon kiire näkyy asiakkaalle turvattomuutena ja yksinäisyytenä.",
            "omaisten tietoa ei hyödynnetä hoidon suunnittelussa, vaikka he tuntevat läheisensä parhaiten.",
            "käyntiajat vaihtelevat niin paljon, ettei asiakas voi suunnitella päiväänsä.",
        ), "recommendations": (
            "Sovitaan käyntiajat yhdessä asiakkaan kanssa.",
            "Otetaan omaiset mukaan hoitoneuvotteluihin.",
            "Järjestetään työ niin, että samat hoitajat käyvät saman asiakkaan luona.",
        )},
        {"topic": "Sosiaalipalvelujen asiakaskirjeet ja päätökset", "area": "sosiaalipalvelut", "findings": (
            "asiakaskirjeiden kieli on niin vaikeaa, että moni jättää tuen hakematta.",
            "päätöksistä puuttuvat perustelut, joita asiakas ymmärtäisi.",
            "asiakas ei tiedä, keneen ottaa yhteyttä päätöksen jälkeen.",
        ), "recommendations": (
            "Kirjoitetaan asiakaskirjeet selkokielellä.",
            "Lisätään jokaiseen päätökseen yhteyshenkilön suora puhelinnumero.",
            "Testataan uudet kirjepohjat kehittäjäasiakkaiden kanssa.",
        )},
        {"topic": "Palveluverkon muutokset ja lähipalvelut", "area": None, "findings": (
            "pitkät välimatkat tekevät palvelujen keskittämisestä kohtuutonta ikääntyneille ja autottomille.",
            "joukkoliikenne ei kulje niin, että vastaanotolle ehtisi ajoissa.",
            "palvelujen siirtyminen verkkoon ei korvaa lähipalvelua niille, joilla ei ole laitteita.",
        ), "recommendations": (
            "Säilytetään lähipalvelut tai korvataan ne liikkuvilla palveluilla.",
            "Arvioidaan päätöksen vaikutukset asiakkaisiin ennakkoon yhdessä asiakkaiden kanssa.",
            "Järjestetään kuljetus palveluun, kun matka on kohtuuton.",
        )},
        {"topic": "Asiakasmaksujen kohtuullisuus", "area": None, "county_wide": True, "findings": (
            "asiakasmaksut kasautuvat pienituloisille niin, että hoitoa jätetään väliin.",
            "maksun alentamisen mahdollisuudesta ei kerrota asiakkaille.",
        ), "recommendations": (
            "Selvitetään asiakasmaksujen alentaminen aktiivisesti jokaisen pienituloisen kohdalla.",
            "Kerrotaan maksun alentamisesta jokaisen laskun mukana.",
        )},
        {"topic": "Palautteeseen vastaaminen", "area": None, "county_wide": True, "findings": (
            "palautteeseen ei vastata, ja osallistuminen tuntuu siksi turhalta.",
            "asiakkaat eivät koskaan kuule, mitä heidän ehdotuksilleen tapahtui.",
        ), "recommendations": (
            "Kerrotaan asiakkaille, mitä heidän palautteensa perusteella on tehty.",
            "Julkaistaan säännöllisesti sanoitte–teimme-koonti.",
        )},
        {"topic": "Sähköisten palvelujen saavutettavuus", "area": None, "county_wide": True, "findings": (
            "sähköisten palvelujen lisääminen jättää ilman palvelua ne, joilla ei ole laitteita tai taitoja.",
            "puhelinasioinnin karsiminen vaikeuttaa erityisesti ikääntyneiden asiointia.",
        ), "recommendations": (
            "Säilytetään puhelinasiointi sähköisten palvelujen rinnalla.",
            "Järjestetään digitukea kirjastoihin ja palvelupisteisiin.",
        )},
        {"topic": "Saamenkielisten palvelujen saatavuus", "area": None, "county_wide": True, "county": "lappi",
         "findings": (
            "saamenkielistä palvelua ei käytännössä saa, vaikka oikeus siihen on kirjattu lakiin.",
            "saamenkielisille ikääntyneille ei ole omakielistä kotihoitoa.",
        ), "recommendations": (
            "Varmistetaan saamenkielinen palvelu myös etäyhteydellä.",
            "Rekrytoidaan saamen kieltä osaavia työntekijöitä ja tuetaan heidän koulutustaan.",
        )},
    ),
    "sv": (
        {"topic": "Service på svenska", "area": None, "county_wide": True, "findings": (
            "det är svårt att få service på svenska, särskilt i telefontjänsten.",
            "besluten skickas ofta bara på finska.",
        ), "recommendations": (
            "Säkerställ service på svenska i alla kanaler.",
            "Skicka alla beslut på klientens eget språk.",
        )},
        {"topic": "Klientavgifter", "area": None, "county_wide": True, "findings": (
            "klientavgifterna hopar sig för personer med låga inkomster så att vården uteblir.",
            "man inte informeras om möjligheten att få avgiften sänkt.",
        ), "recommendations": (
            "Informera om sänkning av avgiften med varje faktura.",
            "Utred sänkning av avgiften aktivt för alla med låga inkomster.",
        )},
        {"topic": "Närservice för äldre", "area": "ikaantyneiden-palvelut", "findings": (
            "långa avstånd gör det orimligt att centralisera tjänsterna för äldre.",
            "de anhörigas kunskap inte används när vården planeras.",
        ), "recommendations": (
            "Bevara närservicen eller ersätt den med mobila tjänster.",
            "Ta med de anhöriga i vårdplaneringen.",
            "Berätta för klienterna vad som har gjorts utifrån deras respons.",
        )},
    ),
}
