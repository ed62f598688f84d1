"""Data for the synthetic scenario (see scenario.py): the organisation and text fragments; no logic.

Feedback texts are assembled from fragments: an optional opener, one or two *cores*, an optional
detail sentence and an optional closer, plus sentences carrying personal data. Cores are what the
classifier has to understand; they are written per language and per theme of
../shared/TAXONOMY.md, under a key that fixes stance and severity:

    praise, suggestion, question           -> that stance, severity none
    low, medium, high, critical            -> stance complaint with that severity

"{a|b|c}" is replaced by one of the alternatives (same meaning, more variety; no placeholders inside).
A core may start with tags in brackets, separated by spaces:
    perus ika sos mt lp   only for that service area (perusterveydenhuolto, ikaantyneiden-palvelut,
                          sosiaalipalvelut, mielenterveys-ja-paihde, lapsiperheiden-palvelut)
    +theme                an additional theme the text is about

Placeholders: {staff}/{Staff} a worker of the service area (sometimes with a name), {doctor}/{Doctor},
{rel}/{Rel} the close one ("äitini"; Finnish nominative = genitive), {rel_all}/{Rel_all} its
allative ("äidilleni"), {h} hours, {d} days, {w} weeks, {m} months, {min} minutes, {km} kilometres,
{eur} euros, {n} a small count, {res} residents, {wd} a weekday. A core with {rel} is only used when
a close one gives the feedback. Critical cores always concern safety.
"""

from __future__ import annotations

# The demo's counties -> service areas -> units. County: (code, name fi, name sv, diary prefix of its
# decisions, relative feedback volume). Unit: (code, name fi, name sv, who writes feedback there:
# fi, sv, bilingual or sami, relative volume within its service area).
AREA_NAMES: dict[str, tuple[str, str]] = {
    "perusterveydenhuolto": ("Perusterveydenhuolto", "Primärvård"),
    "ikaantyneiden-palvelut": ("Ikääntyneiden palvelut", "Tjänster för äldre"),
    "sosiaalipalvelut": ("Sosiaalipalvelut", "Socialservice"),
    "mielenterveys-ja-paihde": ("Mielenterveys- ja päihdepalvelut", "Mentalvårds- och missbrukartjänster"),
    "lapsiperheiden-palvelut": ("Lapsiperheiden palvelut", "Tjänster för barnfamiljer"),
}
ORGANISATION: dict[tuple[str, str, str, str, float], dict[str, tuple[tuple[str, str, str, str, float], ...]]] = {
    ("lappi", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "LAPHA", 28): {
        "perusterveydenhuolto": (
            ("rovaniemen-terveysasema", "Rovaniemen terveysasema", "Rovaniemi hälsostation", "fi", 3),
            ("kemin-terveysasema", "Kemin terveysasema", "Kemi hälsostation", "fi", 2),
            ("inarin-terveysasema", "Inarin terveysasema", "Enare hälsostation", "sami", 1),
            ("utsjoen-terveysasema", "Utsjoen terveysasema", "Utsjoki hälsostation", "sami", 0.5)),
        "ikaantyneiden-palvelut": (
            ("rovaniemen-kotihoito", "Rovaniemen kotihoito", "Rovaniemi hemvård", "fi", 2),
            ("kemin-kotihoito", "Kemin kotihoito", "Kemi hemvård", "fi", 1.5),
            ("tornion-palvelutalo", "Tornion palvelutalo", "Torneå servicehus", "fi", 1)),
        "sosiaalipalvelut": (
            ("rovaniemen-aikuissosiaalityo", "Rovaniemen aikuissosiaalityö", "Vuxensocialarbetet i Rovaniemi",
             "fi", 2),
            ("lapin-vammaispalvelut", "Lapin vammaispalvelut", "Handikappservice i Lappland", "fi", 1)),
        "mielenterveys-ja-paihde": (
            ("rovaniemen-mielenterveyskeskus", "Rovaniemen mielenterveyskeskus",
             "Mentalvårdscentralen i Rovaniemi", "fi", 2),
            ("kemijarven-paihdepalvelut", "Kemijärven päihdepalvelut", "Missbrukarvården i Kemijärvi", "fi", 1)),
    },
    ("pirkanmaa", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", "PIRHA", 45): {
        "perusterveydenhuolto": (
            ("hervannan-terveysasema", "Hervannan terveysasema", "Hervanta hälsostation", "fi", 3),
            ("tampereen-keskustan-terveysasema", "Tampereen keskustan terveysasema",
             "Tammerfors centrums hälsostation", "fi", 3),
            ("nokian-terveysasema", "Nokian terveysasema", "Nokia hälsostation", "fi", 2),
            ("valkeakosken-terveysasema", "Valkeakosken terveysasema", "Valkeakoski hälsostation", "fi", 2)),
        "ikaantyneiden-palvelut": (
            ("tampereen-kotihoito", "Tampereen kotihoito", "Tammerfors hemvård", "fi", 3),
            ("ylojarven-kotihoito", "Ylöjärven kotihoito", "Ylöjärvi hemvård", "fi", 1.5),
            ("kangasalan-palvelukeskus", "Kangasalan palvelukeskus", "Kangasala servicecenter", "fi", 1)),
        "sosiaalipalvelut": (
            ("tampereen-aikuissosiaalityo", "Tampereen aikuissosiaalityö", "Vuxensocialarbetet i Tammerfors",
             "fi", 2),
            ("pirkanmaan-vammaispalvelut", "Pirkanmaan vammaispalvelut", "Handikappservice i Birkaland", "fi", 1)),
        "mielenterveys-ja-paihde": (
            ("tampereen-mielenterveysasema", "Tampereen mielenterveysasema", "Mentalvårdsstationen i Tammerfors",
             "fi", 2),
            ("nokian-paihdeklinikka", "Nokian päihdeklinikka", "A-kliniken i Nokia", "fi", 1),
            ("tampereen-nuorisoasema", "Tampereen nuorisoasema", "Ungdomsstationen i Tammerfors", "fi", 1)),
        "lapsiperheiden-palvelut": (
            ("hervannan-neuvola", "Hervannan neuvola", "Rådgivningen i Hervanta", "fi", 1.5),
            ("tampereen-lastensuojelu", "Tampereen lastensuojelu", "Barnskyddet i Tammerfors", "fi", 1)),
    },
    ("pohjanmaa", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde", "POHJHVA", 27): {
        "perusterveydenhuolto": (
            ("vaasan-terveysasema", "Vaasan terveysasema", "Vasa hälsostation", "bilingual", 3),
            ("pietarsaaren-terveysasema", "Pietarsaaren terveysasema", "Jakobstads hälsostation", "sv", 2),
            ("mustasaaren-terveysasema", "Mustasaaren terveysasema", "Korsholms hälsostation", "sv", 1.5),
            ("laihian-terveysasema", "Laihian terveysasema", "Laihela hälsostation", "fi", 1)),
        "ikaantyneiden-palvelut": (
            ("vaasan-kotihoito", "Vaasan kotihoito", "Vasa hemvård", "bilingual", 2),
            ("narpion-palvelukeskus", "Närpiön palvelukeskus", "Närpes servicecenter", "sv", 1),
            ("kristiinankaupungin-kotihoito", "Kristiinankaupungin kotihoito", "Kristinestads hemvård",
             "bilingual", 1)),
        "sosiaalipalvelut": (
            ("vaasan-aikuissosiaalityo", "Vaasan aikuissosiaalityö", "Vuxensocialarbetet i Vasa", "bilingual", 1.5),
            ("pietarsaaren-perhetyo", "Pietarsaaren perhetyö", "Familjearbetet i Jakobstad", "sv", 1)),
        "mielenterveys-ja-paihde": (
            ("vaasan-mielenterveystoimisto", "Vaasan mielenterveystoimisto", "Mentalvårdsbyrån i Vasa",
             "bilingual", 1.5),
            ("pietarsaaren-paihdepalvelut", "Pietarsaaren päihdepalvelut", "Missbrukarvården i Jakobstad", "sv", 1)),
        "lapsiperheiden-palvelut": (
            ("vaasan-neuvola", "Vaasan neuvola", "Rådgivningen i Vasa", "bilingual", 1),
            ("mustasaaren-neuvola", "Mustasaaren neuvola", "Korsholms rådgivning", "sv", 1)),
    },
}

CORES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "fi": {
        "access": {
            "praise": (
                "Sain ajan jo {samalle päivälle|seuraavaksi aamuksi|samalle iltapäivälle}, vaikka soitin vasta {aamupäivällä|puoliltapäivin|iltapäivällä}.",
                "Ei tarvinnut {jonottaa|odottaa} yhtään, pääsin {heti|suoraan|melkein heti} sisään.",
                "[perus] Takaisinsoitto tuli luvatusti parin tunnin sisällä ja asia hoitui saman tien.",
                "[mt] Pääsin mielenterveysaseman arvioon viikon sisällä, mikä oli iso helpotus.",
                "[ika +coordination] Kotihoito saatiin järjestettyä heti sairaalasta kotiutumisen jälkeen.",
                "[lp] Neuvolaan sai ajan nopeasti, kun vauvan paino huolestutti.",
            ),
            "suggestion": (
                "Olisiko mahdollista saada {iltavastaanottoja|lauantaivastaanottoja|aamuvastaanottoja ennen kahdeksaa} työssäkäyville?",
                "Puhelinpalveluun voisi lisätä aikoja myös iltapäivään, nyt linja on auki vain aamulla.",
                "[perus] Laboratorioon voisi päästä ilman ajanvarausta ainakin aamuisin.",
                "Kaukana asuville voisi järjestää liikkuvan vastaanoton kerran kuussa.",
                "[mt] Mielenterveyspalveluihin tarvitaan matalan kynnyksen piste, jonne voi tulla ilman ajanvarausta.",
            ),
            "question": (
                "Kuinka kauan hoitotakuun mukaan saa odottaa lääkärin aikaa?",
                "Miksi takaisinsoittopalvelu on suljettu jo kello 12?",
                "[sos +fees] Kuinka pitkä on tällä hetkellä toimeentulotukihakemusten käsittelyaika?",
                "[lp] Onko neuvolassa iltavastaanottoja isille, jotka ovat päivät töissä?",
            ),
            "low": (
                "Jonotin {puhelimessa|ajanvarausnumerossa|puhelinjonossa} {min} minuuttia ennen kuin {pääsin läpi|joku vastasi}.",
                "[+communication] Odotusaulassa meni puoli tuntia yli ajan, eikä kukaan kertonut syytä.",
                "Laboratorion aukioloajat ovat hankalat työssäkäyvälle.",
                "Ajanvarauksen jonotusmusiikki soi {min} minuuttia, ja sitten puhelu katkesi.",
            ),
            "medium": (
                "Sain ajan {lääkärille|hammaslääkärille|fysioterapeutille|sairaanhoitajalle} vasta {w} viikon päähän, vaikka {kipu oli kova|oireet olivat pahat|kuume ei laskenut|en pystynyt nukkumaan}.",
                "{Terveysasemalle|Vastaanotolle|Yksikköön} ei saa puhelimella yhteyttä, eikä luvattua takaisinsoittoa {koskaan tullut|tullut sinä päivänä|kuulunut}.",
                "[+communication] Päivystyksessä odotin {h} tuntia {käytävällä|aulassa|paareilla} ilman tietoa siitä, mitä tapahtuu.",
                "[+environment] Lähin vastaanotto on nyt {km} kilometrin päässä, eikä sinne pääse julkisilla.",
                "[sos +fees] Toimeentulotukipäätöstä on odotettu jo {d} päivää ilman mitään tietoa.",
                "[lp] Perheneuvolaan on {m} kuukauden jono, vaikka lapsen tilanne on hankala.",
            ),
            "high": (
                "[+safety] Kipu paheni {w} viikon odotuksen aikana niin, että lopulta minut vietiin ambulanssilla päivystykseen.",
                "[+coordination] Lähete erikoissairaanhoitoon hukkui jonnekin ja jouduin odottamaan puoli vuotta.",
                "[mt] Päihdekuntoutukseen pääsyä on odotettu {m} kuukautta, ja tilanne pahenee koko ajan.",
                "[ika +coordination] {Rel} jäi ilman kotihoitoa {d} päiväksi, koska uutta asiakasta ei ehditty ottaa vastaan.",
            ),
        },
        "quality": {
            "praise": (
                "[+communication] {Staff} tutki huolellisesti ja kertoi, mitä seuraavaksi tapahtuu.",
                "Hoito oli ammattitaitoista, ja {haava parani hyvin|kipu helpotti nopeasti|vointini koheni viikossa}.",
                "[ika] Kuntoutus palvelutalossa on tehnyt ihmeitä, {rel} kävelee taas rollaattorilla.",
                "[ika] Kotikuntoutuksen ansiosta pärjään taas omassa kodissa.",
                "[mt] Terapia on auttanut minua enemmän kuin uskalsin toivoa.",
                "[lp +listening] Neuvolan terveydenhoitaja huomasi masennukseni ja ohjasi minut avun piiriin.",
                "[perus] {Doctor} löysi vihdoin syyn vaivoihini, joita oli tutkittu vuosia.",
            ),
            "suggestion": (
                "[+access] Kontrolliaika pitäisi varata jo vastaanotolla, ettei seuranta unohdu.",
                "[ika] Kotihoidon käynneillä voisi olla enemmän aikaa myös ulkoiluun ja keskusteluun.",
                "Fysioterapiaa voisi tarjota leikkauksen jälkeen heti eikä vasta kuukausien päästä.",
            ),
            "question": (
                "[+communication] Miksi verikokeiden tuloksia ei käyty läpi kanssani, vaikka ne olivat poikkeavia?",
                "[+coordination] Kuka vastaa jatkohoidostani nyt, kun omalääkäri on jäänyt eläkkeelle?",
            ),
            "low": (
                "[+communication] Haavanhoito-ohjeet olivat puutteelliset ja jouduin soittamaan uudelleen.",
                "{Sidos|Haavasidos} vaihdettiin, mutta haavaa ei {katsottu kunnolla|puhdistettu|edes katsottu}.",
                "[ika] Kotihoitaja unohti laittaa tukisukat, vaikka ne on merkitty hoitosuunnitelmaan.",
            ),
            "medium": (
                "Kontrollikäynti unohtui kokonaan, ja {verikokeet|röntgenkuvat} jäivät katsomatta.",
                "[perus +listening] {Doctor} ei tutkinut minua ollenkaan, tuijotti vain tietokonetta ja kirjoitti reseptin.",
                "[+coordination] Samaa {vaivaa|selkäkipua|huimausta|vatsavaivaa} on tutkittu jo {n} kertaa, eikä kukaan ota kokonaisuutta haltuun.",
                "[mt +coordination] Terapeutti vaihtui {n} kertaa puolen vuoden aikana, eikä hoito pääse etenemään.",
                "[ika] Kotihoidossa käy joka päivä eri ihminen, eikä kukaan huomaa, että {rel} on laihtunut.",
            ),
            "high": (
                "[+safety] Infektio jäi hoitamatta, koska {oireitani|kuumettani} pidettiin flunssana, ja jouduin sairaalaan.",
                "[+safety] Ranteen murtuma jäi huomaamatta ja luutui vinoon, nyt edessä on leikkaus.",
                "[ika +safety] Kotihoidon käynnit ovat niin lyhyitä, ettei {rel} ehdi edes syödä kunnolla.",
                "[sos +listening] Päätös tehtiin ilman että tilannettamme selvitettiin, ja jäimme ilman tukea.",
            ),
        },
        "safety": {
            "praise": (
                "{Kaatumisvaara|Lääkelista} käytiin läpi huolellisesti, ja kotiin asennettiin tarvittavat apuvälineet.",
                "Lääkkeet tarkistettiin kahteen kertaan ennen kuin ne annettiin, se tuntui turvalliselta.",
                "[ika] Turvaranneke toimi: kun {rel} kaatui, apu tuli {min} minuutissa.",
            ),
            "suggestion": (
                "[ika +environment] Kylpyhuoneeseen tarvittaisiin tukikahvat, liukas lattia on vaarallinen.",
                "[+coordination] Kotiutuksessa pitäisi varmistaa, että kotona on joku vastassa.",
            ),
            "question": (
                "Miksi kotiutuksen yhteydessä ei tarkisteta, pärjääkö potilas kotona?",
                "[ika] Kuka tarkistaa kotihoidossa, että dosetin lääkkeet ovat oikein?",
            ),
            "low": (
                "Ulko-ovien edusta oli {hiekoittamatta|jäinen|liukas}, ja olin vähällä kaatua.",
                "[+environment] Käytävällä oli märkä lattia ilman varoituskylttiä.",
            ),
            "medium": (
                "Reseptiin oli kirjattu väärä annos, mutta apteekki huomasi virheen ajoissa.",
                "[ika] Dosettiin oli jaettu väärät illan lääkkeet, onneksi huomasin sen itse.",
                "[+coordination] Minut kotiutettiin yöllä yksin, vaikka en pystynyt kävelemään kunnolla.",
            ),
            "high": (
                "[ika +environment] {Rel} kaatui palvelutalossa suihkussa, koska kukaan ei ollut paikalla, ja lonkka murtui.",
                "[+coordination +quality] Minut kotiutettiin liian aikaisin ja jouduin {d} päivän päästä takaisin päivystykseen.",
            ),
            "critical": (
                "[+quality] {Rel_all} annettiin osastolla väärää lääkettä ja hän joutui teho-osastolle.",
                "[ika] Kotihoitaja antoi {rel_all} toisen asiakkaan lääkkeet, ja hänet vietiin ambulanssilla päivystykseen.",
                "[+quality] Sain {kymmenkertaisen annoksen lääkettä|väärää lääkettä|toiselle potilaalle tarkoitetut lääkkeet}, koska {resepti oli kirjoitettu väärin|lääkelistat menivät sekaisin}, ja jouduin {sairaalaan|teho-osastolle|päivystykseen}.",
                "[+quality] {Lääkäri|Hoitaja} antoi lääkettä, johon olen allerginen, vaikka allergia oli kirjattu, ja sain vakavan reaktion.",
                "[+respect] {Staff} tönäisi minua ja uhkasi, ettei hoitoa tule, jos valitan.",
                "[+access] Kerroin, etten halua enää elää, mutta minut {käännytettiin pois|lähetettiin kotiin} ilman aikaa.",
                "[+coordination] {Rel} lähetettiin kotiin, vaikka hän kertoi aikovansa vahingoittaa itseään.",
                "[ika +respect] {Staff} huusi muistisairaalle {rel_all} ja tarttui kovakouraisesti käsivarresta.",
                "[ika] Palvelutalossa toinen asukas on käynyt {rel} kimppuun jo {n} kertaa, eikä kukaan puutu asiaan.",
                "[+environment] Odotustilassa toinen asiakas {uhkasi minua puukolla|uhkasi lyödä minua|kävi kimppuuni}, eikä henkilökunta puuttunut tilanteeseen.",
                "[sos +listening] Entinen puolisoni on uhannut tappaa minut, ja sosiaalityöntekijä käski vain odottaa.",
                "[ika +quality] {Rel} oli kotihoidon asiakas, ja löysimme hänet lattialta kuivuneena, koska kukaan ei ollut käynyt {d} päivään.",
                "[ika +quality +respect] {Rel} makaa palvelutalossa likaisissa vaipoissa koko päivän, eikä painehaavoja ole hoidettu.",
                "[ika +access] Kotihoito ei ole käynyt {d} päivään, enkä pääse itse sängystä ylös.",
                "[mt +access] Kerroin itsetuhoisista ajatuksista, mutta seuraava vapaa aika on vasta {w} viikon päästä.",
                "[mt +access] En jaksa enää, olen miettinyt itseni tappamista, eikä kriisipuhelimeen vastata.",
                "[mt +access] {Rel} on puhunut itsemurhasta, mutta nuorisopsykiatrialle on {m} kuukauden jono.",
                "[mt +coordination] {Rel} kotiutettiin päivystyksestä itsemurhayrityksen jälkeen ilman mitään jatkohoitoa.",
            ),
        },
        "environment": {
            "praise": (
                "Vastaanoton tilat olivat siistit ja esteettömät, pyörätuolilla pääsi hyvin joka paikkaan.",
                "[ika] Palvelutalon ruoka on hyvää ja kotiruoan makuista.",
                "Uusi odotustila on valoisa ja rauhallinen.",
            ),
            "suggestion": (
                "Odotustilaan voisi hankkia lasten leikkinurkkauksen.",
                "Invapaikkoja tarvittaisiin lisää aivan pääoven viereen.",
                "[ika] Palvelutalon pihalle voisi rakentaa katoksen, jossa asukkaat pääsevät ulos sateellakin.",
            ),
            "question": (
                "Onko odotustilaan tulossa {lisää istumapaikkoja|ilmanvaihdon korjaus|induktiosilmukka}?",
                "Miksi terveysaseman ulko-ovessa ei vieläkään ole automaattiavausta?",
            ),
            "low": (
                "Parkkipaikkoja on aivan liian vähän {terveysaseman edessä|pääoven lähellä|koko alueella}.",
                "Odotustilassa oli {kylmä|kuuma ja tunkkaista|meluisaa} ja tuolit ovat epämukavat.",
                "{WC|Asiakas-WC|Vessa} oli likainen eikä {saippuaa|paperia|käsipyyhkeitä} ollut.",
            ),
            "medium": (
                "Henkilökuntaa on aivan liian vähän, {hoitajat juoksevat koko ajan|kukaan ei ehdi pysähtyä|samat ihmiset tekevät tuplavuoroja}.",
                "[ika +quality] Palvelutalon ruoka on usein kylmää ja annokset ovat pieniä.",
                "[+access] Hissi on ollut rikki {w} viikkoa, eikä rollaattorilla pääse toiseen kerrokseen.",
            ),
            "high": (
                "[+safety] Palvelutalon hälytysjärjestelmä on ollut rikki {d} päivää, eivätkä asukkaat saa apua yöllä.",
                "[ika +safety] Yövuorossa on yksi hoitaja {res} asukasta kohden, eikä hälytyksiin ehditä vastata.",
                "Sisäilmaongelmien takia oireilen joka käynnillä, eikä tiloja ole korjattu vuosiin.",
            ),
        },
        "coordination": {
            "praise": (
                "Palveluohjaaja kokosi kaikki {tukeni|palveluni} yhteen suunnitelmaan, ja nyt tiedän, kenelle soittaa.",
                "{Sosiaalityöntekijä|Palveluohjaaja|Sosiaaliohjaaja} ja {terveysaseman hoitaja|lääkäri|kotihoidon sairaanhoitaja} hoitivat asiani yhdessä, ja kaikki selvisi {yhdellä kerralla|yhdellä puhelulla|saman viikon aikana}.",
                "[ika] Kotiutus sairaalasta sujui hienosti: kotihoito tiesi kaiken jo valmiiksi.",
            ),
            "suggestion": (
                "Olisi hyvä, jos samalla käynnillä voisi hoitaa sekä sosiaali- että terveysasiat.",
                "Asiakkaalle pitäisi nimetä yksi yhteyshenkilö, joka tuntee koko tilanteen.",
            ),
            "question": (
                "Kenen vastuulla on {rel} hoito nyt, kun hän siirtyi sairaalasta kotiin?",
                "[+fees] Miksi minun pitää hakea samaa tukea kolmesta eri paikasta?",
            ),
            "low": (
                "Uusi {vastaanottoaika|tutkimusaika} oli samaan aikaan toisen yksikön ajan kanssa, koska ne eivät tiedä toisistaan.",
                "Jouduin {täyttämään saman lomakkeen|kertomaan samat tiedot|toimittamaan samat liitteet} {kahteen|kolmeen} kertaan eri yksiköille.",
            ),
            "medium": (
                "[+communication] Tieto ei kulje sosiaalitoimen ja terveysaseman välillä, joudun kertomaan asiani aina uudestaan.",
                "{Lähetettä|Hakemustani|Asiaani} pallotellaan yksiköstä toiseen, eikä kukaan tiedä, missä se on.",
                "[mt +access] Päihdepalveluista ohjattiin mielenterveyspalveluihin ja sieltä takaisin, eikä apua saanut kummastakaan.",
            ),
            "high": (
                "[+safety] Lääkelista ei siirtynyt sairaalasta kotihoitoon, ja {rel_all} annettiin vanhoja lääkkeitä viikon ajan.",
                "[ika +safety] {Rel} kotiutettiin sairaalasta perjantai-iltana, eikä kotihoitoa ollut tilattu.",
                "[+quality +safety] Lähete oli jäänyt lähettämättä, ja syöpä löytyi vasta {m} kuukautta myöhemmin.",
            ),
        },
        "digital": {
            "praise": (
                "{Chat-palvelu|Chat|Sähköinen asiointi} oli nopea ja sain {ohjeet|vastauksen|ajan} heti.",
                "[+access] Etävastaanotto toimi hyvin, ei tarvinnut lähteä {km} kilometrin päähän.",
                "Sähköinen ajanvaraus on {helppokäyttöinen|selkeä ja nopea|toimiva, jopa puhelimella}.",
            ),
            "suggestion": (
                "[+access] Olisi hyvä, jos ajanvarauksen voisi tehdä myös chatissa iltaisin.",
                "[+communication] Sähköiseen asiointiin tarvitaan ruotsin- ja saamenkielinen versio.",
                "[+communication] Laboratoriotulokset voisi näyttää sähköisessä asioinnissa selkokielellä.",
            ),
            "question": (
                "Voiko etävastaanotolle osallistua {omainen|tulkki} samasta linkistä?",
                "Miten voin asioida sähköisesti {rel} puolesta?",
                "Toimiiko etävastaanotto myös tabletilla?",
            ),
            "low": (
                "{Omaolo-palvelu|Sähköinen asiointi|Ajanvarauspalvelu} kaatui kesken {oirearvion|lomakkeen|ajanvarauksen} ja kaikki syöttämäni tiedot katosivat.",
                "Sähköisen asioinnin kirjautuminen ei onnistunut mobiilivarmenteella.",
            ),
            "medium": (
                "[+access] Kaikki hoidetaan nykyään netissä, eikä minulla ole tietokonetta eikä älypuhelinta.",
                "Etävastaanoton yhteys katkesi {n} kertaa, ja lopulta aika jäi kokonaan pitämättä.",
                "[+communication] Viestiin, jonka lähetin sähköisen asioinnin kautta, ei vastattu koskaan.",
            ),
            "high": (
                "[+access] Iäkäs {rel} ei osaa käyttää sovellusta, ja siksi hän jäi kokonaan ilman aikaa.",
                "[+respect] Sähköisessä asioinnissa näkyivät toisen potilaan laboratoriotulokset.",
            ),
        },
        "fees": {
            "praise": (
                "Laskun {erittely oli selkeä|maksuaikaa sai pidennettyä helposti}, kiitos siitä.",
                "[+communication] Maksukaton täyttymisestä tuli selkeä ilmoitus, kiitos siitä.",
                "[sos] Sain apua toimeentulotukihakemuksen täyttämiseen, ja päätös tuli nopeasti.",
            ),
            "suggestion": (
                "[+communication] Laskussa pitäisi eritellä, mistä käynneistä maksu koostuu.",
                "Asiakasmaksuja voisi maksaa {pienemmissä erissä|kuukausittain|e-laskulla}.",
            ),
            "question": (
                "Miten voin hakea omaishoidon tukea ja kuka sen myöntää?",
                "Lasketaanko etävastaanotto maksukattoon?",
                "Voiko asiakasmaksua alentaa, jos tulot ovat pienet?",
            ),
            "low": (
                "Laskussa oli veloitettu {käynti|laboratoriokäynti|etävastaanotto}, jota en ollut edes {varannut|käyttänyt}.",
                "Sain {eur} euron laskun käyttämättä jätetystä ajasta, vaikka peruin sen edellisenä päivänä.",
            ),
            "medium": (
                "Asiakasmaksut ovat nousseet niin paljon, että {eur} euron lasku tuli yllätyksenä.",
                "Laskutuksessa on ollut virhe jo {n} kuukautta, eikä kukaan korjaa sitä.",
                "[ika +communication] Kotihoidon maksu nousi {eur} euroa kuussa ilman mitään selitystä.",
            ),
            "high": (
                "Asiakasmaksut ovat pienituloiselle liian suuret, jouduin jättämään lääkkeet hakematta.",
                "[sos] Toimeentulotuki evättiin virheellisesti, ja jäimme ilman rahaa vuokraan ja ruokaan.",
                "Maksamaton lasku meni perintään, vaikka olin hakenut maksun alentamista.",
            ),
        },
        "listening": {
            "praise": (
                "[+quality] Fysioterapeutti teki kuntoutussuunnitelman yhdessä kanssani ja kysyi omia tavoitteitani.",
                "Tuntui, että minua {oikeasti|vihdoin|aidosti} kuunneltiin ja {mielipiteelläni|kokemuksellani} oli merkitystä.",
                "[ika] Hoitajat kysyivät meiltä omaisilta, mistä {rel} pitää, ja se näkyy arjessa.",
            ),
            "suggestion": (
                "Toivoisin, että kokemusasiantuntijat otettaisiin mukaan mielenterveyspalvelujen suunnitteluun.",
                "Asiakkaiden mielipidettä voisi kysyä ennen kuin palveluja muutetaan.",
                "Omaisten kokemuksia voisi hyödyntää paremmin hoitosuunnitelmaa tehtäessä.",
            ),
            "question": (
                "Miten asiakkaat voivat osallistua uuden terveysaseman suunnitteluun?",
                "Voinko päästä mukaan kehittäjäasiakkaaksi?",
            ),
            "low": (
                "Asiakaskyselyyn vastaaminen tuntuu turhalta, kun mitään ei tapahdu.",
                "{Palautteeseeni|Viestiini|Kirjeeseeni} ei vastattu, vaikka {annoin|lähetin} sen jo {w} viikkoa sitten.",
            ),
            "medium": (
                "[sos] Sosiaalityöntekijä ei kuunnellut minua lainkaan, päätös oli tehty jo valmiiksi.",
                "[+quality] Kerroin omat kokemukseni lääkkeen sivuvaikutuksista, mutta niitä ei otettu vakavasti.",
                "[ika] Omaisena tiedän, mikä {rel_all} sopii, mutta minua ei kuunnella hoitoneuvottelussa.",
            ),
            "high": (
                "Kerroin {monta kertaa|toistuvasti} pahenevista oireista, mutta minua ei uskottu, ja lopulta jouduin päivystykseen.",
                "[mt +respect] Hoitosuunnitelma tehtiin kokonaan ilman minua, enkä saanut sanoa siihen mitään.",
                "[sos] Minua ei kuultu ennen vammaispalvelun päätöstä, ja menetin kuljetuspalvelut.",
            ),
        },
        "communication": {
            "praise": (
                "[+respect] {Staff} oli todella ystävällinen ja selitti kaiken rauhallisesti.",
                "Sain kirjalliset ohjeet selkokielellä, ja niitä oli helppo noudattaa.",
                "Sain palvelua omalla äidinkielelläni ilman ongelmia.",
            ),
            "suggestion": (
                "{Asiakaskirjeet|Päätökset|Kutsukirjeet} pitäisi kirjoittaa selkokielellä.",
                "Tulkin varaaminen pitäisi tehdä automaattisesti, kun asiakas on sitä pyytänyt.",
            ),
            "question": (
                "Miksi en saanut mitään tietoa siitä, että aikani oli peruttu?",
                "Mistä saan tiedon, milloin leikkausjono etenee?",
            ),
            "low": (
                "Sain päätöksen vain ruotsiksi, vaikka asiointikieleni on suomi.",
                "{Kutsukirje|Ajanvarauskirje|Tekstiviesti ajasta} tuli perille vasta vastaanottopäivän jälkeen.",
            ),
            "medium": (
                "Kukaan ei kertonut, miksi {leikkaus|tutkimus|vastaanottoaika|toimenpide} siirrettiin ja milloin uusi aika on.",
                "[+respect] Saamenkielistä palvelua ei ollut saatavilla, vaikka pyysin sitä etukäteen.",
                "Tulkkia ei ollut varattu, vaikka olin pyytänyt sitä ajanvarauksen yhteydessä.",
            ),
            "high": (
                "Sain tiedon vakavasta diagnoosista pelkällä {kirjeellä|tekstiviestillä}, eikä kukaan soittanut tai selittänyt mitään.",
                "[+quality] Minulle ei kerrottu toimenpiteen riskeistä, ja komplikaatio tuli täytenä yllätyksenä.",
                "[ika +coordination] Kukaan ei ilmoittanut meille, että {rel} oli siirretty toiseen yksikköön.",
            ),
        },
        "respect": {
            "praise": (
                "Minua kohdeltiin {arvokkaasti|kunnioittavasti|lämpimästi} ja ystävällisesti koko {käynnin|asioinnin} ajan.",
                "{Staff} oli lämmin ja kohtasi minut ihmisenä eikä pelkkänä diagnoosina.",
                "[ika] Hoitajat jaksavat jutella ja laulaa {rel} kanssa.",
            ),
            "suggestion": (
                "Henkilökunta voisi esittäytyä nimellä ja kertoa, mikä heidän tehtävänsä on.",
                "[+environment] Vastaanoton tiskillä pitäisi voida puhua niin, etteivät muut kuule.",
            ),
            "question": (
                "Miksi asiakkaiden yksityisiä asioita käsitellään ääneen käytävällä?",
                "Onko henkilökunnalla oikeus kommentoida asiakkaan ulkonäköä?",
            ),
            "low": (
                "{Vastaanoton työntekijä|Puhelimeen vastannut hoitaja|Neuvonnan työntekijä} oli töykeä {puhelimessa|tiskillä}.",
                "{Staff} oli kiireinen ja vastasi kysymyksiini tylysti.",
            ),
            "medium": (
                "Minusta puhuttiin {kuin en olisi ollut paikalla|kolmannessa persoonassa, vaikka istuin vieressä}.",
                "[lp] Lastensuojelun työntekijä puhui minulle alentuvasti.",
                "Vastaanoton tiskillä kyseltiin terveysasioistani niin, että koko jono kuuli.",
            ),
            "high": (
                "[lp] Lastensuojelun työntekijä puhui minulle alentuvasti ja uhkaili huostaanotolla.",
                "Potilastietoni oli lähetetty väärälle henkilölle, jolla on sama sukunimi.",
                "[+communication] Minua nimiteltiin ja palvelu evättiin, koska en puhu suomea hyvin.",
            ),
        },
    },
    "sv": {
        "access": {
            "praise": (
                "Jag fick en tid redan {samma dag|nästa morgon}, tack för det!",
                "Återuppringningen kom inom en timme och allt ordnades direkt.",
            ),
            "suggestion": (
                "Kunde man ha kvällsmottagning för barnfamiljer?",
                "Telefontiden borde vara längre än en timme på morgonen.",
            ),
            "question": ("Hur länge får man vänta på läkartid enligt vårdgarantin?",),
            "low": ("Jag köade i telefon i {min} minuter innan {jag kom fram|någon svarade}.",),
            "medium": (
                "[+communication] Jag fick vänta {h} timmar på jouren utan att någon informerade mig.",
                "Jag fick tid till {läkaren|tandläkaren|fysioterapeuten} först om {w} veckor trots att jag hade {ont|hög feber|svåra symtom}.",
            ),
            "high": (
                "[mt] Jag har väntat {m} månader på missbrukarvård och mår allt sämre.",
            ),
        },
        "quality": {
            "praise": (
                "[+communication] {Staff} undersökte mig noggrant och förklarade allt.",
                "[ika] Tack vare hemrehabiliteringen klarar jag mig hemma igen.",
            ),
            "suggestion": ("Uppföljningstiden borde bokas redan vid besöket.",),
            "question": ("[+coordination] Vem ansvarar för min vård nu när min läkare har slutat?",),
            "low": ("Såret kontrollerades inte ordentligt när förbandet byttes.",),
            "medium": (
                "[perus +listening] {Doctor} tittade bara på datorn och undersökte mig inte alls.",
            ),
            "high": (
                "[+safety] Frakturen upptäcktes inte på jouren och handleden läkte snett.",
            ),
        },
        "safety": {
            "praise": ("Medicinerna dubbelkontrollerades, det kändes tryggt.",),
            "suggestion": (
                "[ika +environment] Det behövs stödhandtag i badrummet, golvet är halt.",
            ),
            "low": ("[+environment] Golvet i korridoren var vått och det fanns ingen varningsskylt.",),
            "medium": (
                "[ika] Fel kvällsmediciner hade delats i dosetten, som tur var märkte jag det själv.",
            ),
            "high": (
                "[ika +environment] {Rel} föll i duschen på boendet eftersom ingen personal var närvarande.",
            ),
            "critical": (
                "[+quality] {Rel} fick fel medicin på avdelningen och fördes till {intensivvården|jouren}.",
                "[+access] Jag sa att jag inte vill leva längre, men jag skickades hem utan tid.",
                "[ika +respect] En skötare skrek åt {rel} och ryckte hårt i armen.",
                "[ika +quality] {Rel} hittades uttorkad på golvet, ingen från hemvården hade varit där på {d} dagar.",
                "[mt +access] Jag har självmordstankar men får ingen tid förrän om {w} veckor.",
                "[+environment] En annan klient hotade mig med kniv i väntrummet och ingen ingrep.",
            ),
        },
        "environment": {
            "praise": (
                "Lokalerna var rena och det var lätt att ta sig fram med rullstol.",
                "[ika] Maten på servicehuset är god och hemlagad.",
            ),
            "suggestion": ("Det behövs fler invaparkeringsplatser vid ingången.",),
            "low": (
                "Det finns för få parkeringsplatser vid {hälsostationen|huvudingången|servicehuset}.",
                "Väntrummet var kallt och stolarna obekväma.",
            ),
            "medium": (
                "Det finns alldeles för lite personal, skötarna springer hela tiden.",
                "[+access] Hissen har varit trasig i {w} veckor.",
            ),
            "high": (
                "[ika +safety] På natten finns en skötare på {res} boende och larmen hinns inte med.",
            ),
        },
        "coordination": {
            "praise": (
                "[ika] Hemkomsten från sjukhuset gick smidigt, hemvården visste allt på förhand.",
            ),
            "suggestion": ("Det vore bra med en kontaktperson som känner till hela situationen.",),
            "question": ("[+fees] Varför måste jag söka samma stöd på tre olika ställen?",),
            "medium": (
                "[+communication] Informationen går inte mellan socialbyrån och hälsostationen, jag måste berätta allt på nytt.",
                "Remissen skickas fram och tillbaka och ingen vet var den är.",
            ),
            "high": (
                "[ika +safety] {Rel} skrevs ut från sjukhuset en fredagskväll utan att hemvården hade beställts.",
            ),
        },
        "digital": {
            "praise": (
                "Chatten fungerade snabbt och jag fick svar direkt.",
                "[+access] Distansmottagningen fungerade bra, jag behövde inte resa {km} kilometer.",
            ),
            "suggestion": ("[+communication] E-tjänsterna borde finnas på svenska.",),
            "question": ("Hur kan jag sköta ärenden elektroniskt för {rel}?",),
            "low": ("Inloggningen i e-tjänsten fungerade inte med mobilcertifikat.",),
            "medium": (
                "[+access] Allt sköts numera på nätet och jag har varken dator eller smarttelefon.",
            ),
        },
        "fees": {
            "praise": ("[+communication] Jag fick tydlig information när avgiftstaket nåddes.",),
            "suggestion": ("[+communication] Fakturan borde specificera vilka besök avgiften gäller.",),
            "question": (
                "Räknas distansmottagningen in i avgiftstaket?",
                "Hur ansöker man om stöd för närståendevård?",
            ),
            "low": ("Jag fick en faktura för ett besök som jag aldrig bokat.",),
            "medium": (
                "[ika +communication] Avgiften för hemvården steg med {eur} euro i månaden utan förklaring.",
            ),
            "high": (
                "Klientavgifterna är för höga för en pensionär, jag måste låta bli att hämta ut mina mediciner.",
            ),
        },
        "listening": {
            "praise": ("Jag kände att man verkligen lyssnade på mig.",),
            "suggestion": ("Erfarenhetsexperter borde vara med och planera tjänsterna.",),
            "medium": ("[sos] Socialarbetaren lyssnade inte alls, beslutet var redan fattat.",),
            "high": (
                "[sos] Jag blev inte hörd innan beslutet om färdtjänst fattades och förlorade tjänsten.",
            ),
        },
        "communication": {
            "praise": (
                "Jag fick service på svenska utan problem.",
                "[+respect] {Staff} förklarade allt lugnt och vänligt.",
            ),
            "suggestion": ("Breven borde skrivas på lätt svenska.",),
            "question": ("Varför fick jag ingen information om att min tid var inställd?",),
            "low": ("Jag fick beslutet bara på finska fast mitt språk är svenska.",),
            "medium": (
                "Det är svårt att få service på svenska vid hälsostationen.",
                "Ingen berättade varför operationen flyttades.",
            ),
            "high": (
                "[ika +coordination] Ingen meddelade oss att {rel} hade flyttats till en annan enhet.",
            ),
        },
        "respect": {
            "praise": (
                "Personalen var mycket {vänlig|hjälpsam} och bemötandet var {fantastiskt|utmärkt|varmt}.",
                "Jag blev bemött med respekt under hela besöket.",
            ),
            "suggestion": ("[+environment] Man borde kunna tala vid disken utan att andra hör.",),
            "low": ("{Receptionisten|Skötaren som svarade} var otrevlig {i telefon|vid disken}.",),
            "medium": ("Man pratade om mig som om jag inte var där.",),
            "high": ("Mina journaluppgifter hade skickats till fel person.",),
        },
    },
    "en": {
        "access": {
            "praise": ("I got an appointment {the same day|the next morning}, thank you!",),
            "suggestion": ("It would help to have evening appointments for people who work.",),
            "question": ("How long should I expect to wait for a doctor's appointment?",),
            "low": ("I waited on the phone for {min} minutes before {getting through|anyone answered}.",),
            "medium": (
                "I was given an appointment {w} weeks away even though I {was in a lot of pain|had a high fever|could not sleep}.",
                "[+communication] I waited {h} hours in the emergency room without anyone telling me anything.",
            ),
            "high": (
                "[mt] I have been waiting {m} months for substance abuse treatment and things are getting worse.",
            ),
        },
        "quality": {
            "praise": (
                "[+listening +communication] {Doctor} listened carefully and explained the treatment options clearly.",
                "The physiotherapy made a real difference, I can walk without pain again.",
            ),
            "suggestion": ("Follow-up appointments should be booked before you leave the clinic.",),
            "low": ("[+communication] The wound care instructions were incomplete.",),
            "medium": ("[perus +listening] {Doctor} barely examined me and just wrote a prescription.",),
            "high": ("[+safety] My broken wrist was missed and has now healed crooked.",),
        },
        "safety": {
            "praise": ("Staff double-checked all medication, which felt reassuring.",),
            "medium": (
                "[+coordination] I was discharged at night on my own although I could barely walk.",
            ),
            "high": (
                "[ika +environment] {Rel} fell in the shower at the care home because no staff were around.",
            ),
            "critical": (
                "[ika] {Rel} was given another resident's medication and ended up in the emergency room.",
                "[mt +access] I told them I have thoughts of ending my life and was told to call back next week.",
                "[ika +respect] A care worker shouted at {rel} and grabbed them roughly by the arm.",
                "[+environment] Another client {threatened me with a knife|attacked me} in the waiting room and nobody intervened.",
                "[+quality] I was given a medicine I am allergic to, although the allergy was on record, and had a severe reaction.",
            ),
        },
        "environment": {
            "praise": ("The premises were clean and {accessible|easy to find|pleasant}.",),
            "suggestion": ("The waiting room needs a corner for children.",),
            "low": ("There are far too few parking spaces at the health centre.",),
            "medium": ("There are too few staff, the nurses are always rushing.",),
        },
        "coordination": {
            "praise": ("The social worker and the nurse sorted everything out together in one call.",),
            "suggestion": ("Each client should have one named contact person.",),
            "medium": (
                "[+communication] Information does not move between social services and the health centre, I have to repeat everything.",
            ),
        },
        "digital": {
            "praise": ("The chat service was quick and helpful.",),
            "suggestion": ("[+communication] Please add an English option to the online booking system.",),
            "low": ("I could not log in to the e-service with my mobile certificate.",),
            "medium": ("[+access] Everything is online now and I don't have a computer.",),
        },
        "fees": {
            "question": ("Does a remote appointment count towards the payment ceiling?",),
            "suggestion": ("[+communication] Invoices should list which visits they cover.",),
            "low": ("I was charged twice for the same {visit|lab test|remote appointment}.",),
            "medium": (
                "[ika +communication] The home care fee went up by {eur} euros a month without any explanation.",
            ),
        },
        "listening": {
            "praise": ("For once I felt really listened to.",),
            "suggestion": ("Ask clients before changing the services.",),
            "medium": ("[sos] The social worker did not listen to me at all, the decision had already been made.",),
        },
        "communication": {
            "praise": ("[+respect] {Staff} explained everything calmly and kindly.",),
            "suggestion": ("Interpreters should be booked automatically when a client asks for one.",),
            "question": ("Where can I find information in English about the health centre's services?",),
            "low": ("All letters come in Finnish only and I cannot read them.",),
            "medium": ("Nobody told me why my surgery was postponed or when the new date is.",),
        },
        "respect": {
            "praise": ("I was treated with dignity the whole time.",),
            "low": ("The receptionist was rude on the phone.",),
            "medium": ("They talked about me as if I was not in the room.",),
            "high": (
                "[+communication] I was refused service because my Finnish is not good, and I was called names.",
            ),
        },
    },
    # Northern Sámi (davvisámegiella): a handful of plain sentences, mostly about service language.
    "se": {
        "quality": {
            "praise": (
                "Giitu buori bálvalusa ovddas!",
                "[+respect] Doavttir lei hui čeahppi ja ustitlaš.",
            ),
        },
        "access": {
            "medium": ("Ferten vuordit guhká ovdal go bessen doaktára lusa.",),
        },
        "communication": {
            "praise": ("Buorre go bessen hállat sámegiela doaktáriin.",),
            "suggestion": ("Mun háliidan bálvalusa sámegillii.",),
            "question": ("Gos sáhtán oažžut dieđuid sámegillii?",),
            "low": ("Reive lei dušše suomagillii.",),
            "medium": (
                "[+respect] Dearvvašvuođaguovddážis ii lean sámegielat bargi.",
                "Dulka ii lean diŋgojuvvon.",
            ),
        },
    },
}

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
