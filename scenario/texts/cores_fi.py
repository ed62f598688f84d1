"""Finnish text cores per theme and key (stance or complaint severity); format in __init__.py."""

from __future__ import annotations

CORES_FI: dict[str, dict[str, tuple[str, ...]]] = {
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
}
