"""Keyword data of the first rule-based classifier (streams/classification.py); no logic.

Pattern mini-language (all lowercase; texts are lowercased, split into word tokens at any
non-letter, so "teho-osastolle" is the two words "teho osastolle"):

- ``jono``     a word that starts with the stem (Finnish inflection: jonossa, jonottaa, jonot)
- ``*jono``    the stem anywhere inside a word (compounds: hoitojonossa, puhelinjono)
- ``vasta$``   the whole word (no ending); ``*kö$``: a word that ends with the stem
- ``a|b``      alternatives for one word; each alternative becomes its own rule and rule id
- ``a b``      a phrase: b follows a with at most 1 word between, same sentence
- ``a .. b``   as above with at most 3 words between
- ``A + B``    co-occurrence: A and B anywhere in the same text (alternatives kept in one rule)

The rule id shows the pattern without markers, e.g. ``severity.critical.fi:väär lääke``.
``R(spec, unless=..., label=...)`` does not fire when ``unless`` matches in the same sentence
(e.g. "kaatui" of a web service is not a fall); ``label`` replaces the id text.

Tables: THEMES; STANCE (strong patterns count 2, weak 1); NEGATORS with NEG_PROBLEMS (a negated
problem is praise) and NEG_HARM (negated basic needs are high severity); SEVERITY groups (level,
themes they add, when they apply); REPLY and SIGN_OFF sentences, which do not count for stance or
themes; CONTRAST, QUESTION_WORDS and STOPWORDS (language detection). Critical rules favour
recall. Write rules for the language, not for particular sentences.
"""

from __future__ import annotations

from typing import NamedTuple

from schemas.taxonomy import Severity, Theme


class R(NamedTuple):
    spec: str
    unless: str | None = None
    label: str | None = None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class Group(NamedTuple):
    level: Severity
    themes: tuple[Theme, ...]
    when: str  # ALWAYS; NOT_PRAISE: unless the stance is praise; PROBLEM: complaint or mixed only
    rules: tuple[str | R, ...]


Q, S, E, A, C = Theme.QUALITY, Theme.SAFETY, Theme.ENVIRONMENT, Theme.ACCESS, Theme.COORDINATION
D, F, L, M, RS = Theme.DIGITAL, Theme.FEES, Theme.LISTENING, Theme.COMMUNICATION, Theme.RESPECT
CRIT, HIGH, MED = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM
ALWAYS, NOT_PRAISE, PROBLEM = "always", "not-praise", "problem"

# "kaatui" / "crashed" of a service or device is not a fall.
_DIGITAL_FI = ("*omaolo|*sovellu|*järjestelm|*verkko|netti|*nettisivu|*chat|*palvelin|*ohjelm|"
               "*tietokone|*sähköi|*digi|*video|yhteys|yhteyden|*lomake|sivusto|sivu$|sivut")

_FALL_FI = "kaatui|kaatun|kaatues|kaatuu|kaatuminen$|kaatumisen$|putos"  # not "kaatumisriski"

THEMES: dict[str, dict[Theme, tuple[str | R, ...]]] = {
    "fi": {
        Q: ("ammattitai", "osaami", "osaava", "osaamat", "*pätev", "perusteelli", "huolelli",
            "huolimat", "tutki", "*diagno", "*hoitovirhe", "hoito", "hoidon", "hoidet", "hoidett",
            "hoida", "hoiti$", "*kuntoutu", "terapi", "*jatkohoi", "seurant", "tulokse|tulos$",
            "*hoitosuunnitel", "huomasi$|huomann", "*käyn .. lyhy|liian", "lyhy .. *käyn", "apua$",
            "avun$", "autt", "parantu|parani$", "lääkity", "*laatu|*laadu"),
        S: ("turvall", "turvat", "*vaara", "*riski", "*haittatapah", "putos|putoa",
            R("kaatu|*kaatumi", unless=_DIGITAL_FI), "karkas|karkaa", "eksy", "*väkival",
            "tapaturm", "loukkaantu", "murtu", "*haava", "*lääkevirh", "kotiut .. liian|kesken",
            "heitteill"),
        E: ("tilat$|tiloi|tiloja$", "*siisti", "likai|*sotku|hygien|puhta|puhdas", "haju",
            "home$|homee|*homeongel|*sisäilm|ilmanvaiht", "*esteettö|*esteelli", "*pyörätuol",
            "rollaattor|hissi|luiska|portai|portaat", "parkki|*pysäköi|*paikoitu|autopaik",
            "*ruoka|ruoa|ruua|ateri", "melu",
            "henkilökun|*henkilöst|hoitaj|lääkäre|työntekijö .. vähän|pula|puut|riit",
            "*pula$", "*resurss", "mitoitu", "sijai",
            "kiire$|kiirei|kiireess|kiirett", "laite$|laittee|laittei", "*apuväli",
            "sänk|sängy|vuodepaik", "*kuljetu|*taksi|bussi|*joukkoliiken|kulkuyhtey", "ahdas|ahtai",
            "remont", "*odotustil|*odotushuo", "valoisa|viihtyis|kodikas"),
        A: ("*jono", "odota|odote|odoti|odott|odotus$|odotusaik|odotukse|odotuks", "*ajanvar",
            "sain|saa$|saada|saanut|saatu|saisi|saisin|saisiko ajan$|aika$|aikoja|aikaa$",
            "vapa aika$|aikoja|ajan$", "pääsin$|pääsimme$", "samalle|samana *päivä", "*aukiolo",
            "auki$", "iltaisin|viikonlop|iltavast",
            "pääsy", "pääs|pääse heti|nopea|lääkär|vastaanot|hoito|hoitoon|sisään|tutkim",
            "päästä$", "takaisinsoit|*soittopyyn", "saa|saad|saan|sain$|saatu yhteyt|yhteyd",
            "tavoitta|tavoita|tavoitet", "ruuhk", "puhelinaik", "kaukana|*välimatk", "pitkä matk",
            "nopea", "viiko|kuukau|kuukaud|vuode päähän|päästä",
            "ei|eikä|kukaan vastaa$|vastannut|vastattu|vastaakaan", "*hoitotaku", "päivystysaik"),
        C: ("lähete$|*lähettee|lähetettä$", "kotiut", "*jatkohoi", "*ketju", "siirtym",
            "pompot|pompott", "luuku", "*byrokrat", "paperisot", "*yhteistyö", "yhteensovit",
            "*integraat", "*tiedonkul", "tieto|tiedot|tiedon kulje|kulke|kulk",
            "kerto .. uudest|uudelleen", "eri lääkär|hoitaj|työntekij", "ja .. välillä",
            "*palveluohjau|*palveluohjaa", "vaihtu .. jatkuvasti|aina|usein",
            "jatkuvasti|aina|usein vaihtu", "aloitta|aloittamaan .. alusta$",
            "ohjattiin|ohjataan|ohjattu", "siirto|siirron|siirross"),
        D: ("*chat", "*sähköi", "*verkkopalv|*verkkosiv|*verkkoasio|verkossa$|*verkkoaja",
            "netti|netissä", "*sovellu", "*omaolo", "omakanta", "kanta palvel", "*etävastaa",
            "*etäyhtey|*etäpalv|*etähoi|*etäasio", "*video", "tunnistau|*pankkitunn|mobiilivarm",
            "kirjautu", "*tekstivie", "*digi", "*järjestelm", "*sivusto|*nettisivu", "*mobiili"),
        F: ("lasku|*laskutu", "*maksu", "maksa|maksoi|maksett", "*veloit", "hinta|hinna|hinno",
            "kallis|kallii", "euro$|euroa$", "*setel", "*etuu|*etuud", "kela",
            "*toimeentulotu", "omaishoidon tu", "hake|hae|haki .. tuki|tukea|tuen",
            "tuki|tuen|tukea .. myönn|myöntä", "*avustu", "korvau", "hakemu", "*pienitulo",
            "ole varaa",
            "perintä|perinnä"),
        L: ("kuunt|kuunn", "kuullu|kuultu", "sivuut", "vähätel", "mitätöi", "uskottu|uskottiin",
            "*osallis", "*osallist", "ot|otet|ott mukaan", "mukaan suunnittel|kehittäm|päätöks",
            "vaikutusmahd|vaikuttamismahd", "yhdessä", "kysyi$|kysyivät|kysyny|kysytt|kysymättä",
            "toive", "mielipi", "näkemy|näkökulm", "huomioi|huomioon|huomiotta",
            "tehty .. valmiiksi", "ot|otet|ott .. vakavasti"),
        M: ("tietoa$|tieto$|tiedon$|tiedotu|tiedote|tiedott|tiedoksi|tiedonsaan", "informaat",
            "info$|infoa|infoti", "kerto|kerrott", "selit", "ohje", "*kirje", "*kieli|*kiele",
            "ruotsi|suomeksi|englanni|saame|*sámegi", "*viittoma", "tulkk|tulki", "epäselv",
            "selkeä|selkeäs|selkeys", "ymmärr|ymmärt", "*viesti", "vastaus|vastauk",
            "*yhteyshenkil|*yhteystie|*puhelinnumer", "*epätietoi|tietämät", "perustel"),
        RS: ("*ystävälli", "*kohtel", "kohtaami|kohtasi|kohdattiin|kohdannut", "kunnioit",
             "arvost", "*ihmisarvo", "ihmisenä", "tyly", "töyke", "*alentuv", "ylimieli",
             "välinpitämät", "huus|huut|karju", "*nöyryyt", "*syrji", "rasis",
             "loukkaav|loukkas|loukkau", "uhkail", "asiaton|asiattom|*epäasiall|asiallis",
             "empaat|myötätun", "hymy", "*yksityisyy", "*tietosuoj", "vaitiolo", "salassa",
             "väärälle$", "*itsemääräämi", "oikeu", "mukava", "nolat|nolas", "*huomaavai",
             "nimitt", "nauroi|naurett|pilka|pilkat", "lämpimä|lämmöllä", "*inhimilli",
             "*kaltoin"),
    },
    "sv": {
        Q: ("*behandling", "*felbehandl", "*diagnos", "undersök", "upptäck", "*kompeten",
            "*professionell",
            "proffs", "noggrann", "*slarv", "*rehab", "fysioterap", "terapi", "*uppfölj",
            "resultat", "hjälp$|hjälpte|hjälpen", "blev bättre", "*kvalitet"),
        S: ("*säkerhet|*säker$|*osäker", "halt$|halka|snubbl", "vått golv",
            "*farlig|fara$|*livsfara", "föll|ramla|trilla",
            "*fallolyck|*fallskad|*fallrisk", "skadad|skadade|skador", "*våld", "hot$|hotade",
            "*misshand", "övergrepp", "*försumm|*vanvård", "*självmord|suicid|*självskad",
            "*läkemedelsfel|*medicineringsfel|*överdos", "*olyck|avvikelse"),
        E: ("lokal", "*städ", "smuts|ren$|rena$|renlig|hygien", "*rullstol", "hiss|ramp|trapp",
            "*parker", "mat$|maten|måltid", "buller|bullrig|stökig", "*personalbrist|*underbemann",
            "*bemanning", "för$ lite|få$ personal", "ingen|brist|ont personal", "stress",
            "utrustning|*hjälpmedel", "säng", "*transport|taxi|buss|*färdtjänst", "trång",
            "*väntrum|*väntsal"),
        A: ("vänta$|väntade|väntat|väntetid|väntan$|*väntelist", "*kö$|*köer|*kön$|köa|*kötid",
            "*läkartid|*tidsbok|*bokning", "få|fick|får tid$|tider", "*öppettid|öppet$|stängt",
            "*kvällsmott|kvällstid|kvällar|helger|helgen", "snabb|genast", "*avstånd", "långt bort",
            "*återuppring", "ring|ringa tillbaka", "kom|komma fram", "*telefontid",
            "ingen|inte|aldrig svarar|svarade|svarat", "svarar|svarade inte|aldrig"),
        C: ("*remiss", "*utskriv", "*vårdkedj|*kedja", "kontinuitet", "*byråkrat",
            "*samarbet|*samordn", "mellan", "bollad|hänvisa", "*överför|överflytt",
            "skrevs|skrivs|skrev ut$", "flyttad|flyttade|flyttats|flyttades", "olika|flera ställen",
            "olika|ny läkare|skötare", "berätta|upprepa .. igen|nytt", "informatio .. går|når"),
        D: ("*chatt|chat$", "app$|appen|appar", "*digital", "*elektronisk",
            "webb|nätet|internet", "dator$|datorn|smarttelefon",
            "online", "inlogg|logga", "bankkod|*bankid", "*distansmott|*videomott|*video",
            "e tjänst", "*etjänst", "sms", "*omaolo", "*bokningssystem"),
        F: ("*faktur", "*avgift", "betal", "kostnad|kostar|kostade|kostat", "pris$|priset|priser",
            "dyr$|dyrt|dyra", "*sedel", "*förmån", "*vårdsstöd|*utkomststöd|*bidrag",
            "ansök|söka|söker .. stöd|bidrag|förmån", "fpa", "*ersättning", "debiter", "räkning",
            "*inkasso", "pengar", "inte|inget råd"),
        L: ("lyssn", "hörd$|hördes|*ohörd", "hänsyn", "ignorer|*avfärd|nonchal",
            "*delaktig|*inflytande|*medverk|påverka", "tillsammans", "frågade|tillfråga|frågades",
            "åsikt|synpunkt|önskemål", "på allvar", "vara|är med och", "med och planera|påverka",
            "involver"),
        M: ("*inform", "besked", "förklar", "*brev", "instruktion|anvisning",
            "svensk|finsk|engelsk|samisk|*språk", "*tolk", "oklar|otydlig|tydlig$|tydligt",
            "obegriplig|begriplig|lättläst|klarspråk", "meddel", "berätt", "svar$|svaret|svaren",
            "kontaktperson"),
        RS: ("*vänlig", "*bemöt", "*respekt", "*trevlig", "oförskämd|fräck|nedlåtande|arrogant",
             "*kränk", "*diskrimin", "rasis", "*värdighet", "*integritet", "*sekretess",
             "tystnadsplikt", "*dataskydd", "*artig", "*hövlig", "skrek|skrika|skäll|vrål",
             "förolämp", "*förnedr", "*empati", "*medkänsl", "*omtank|omtänksam", "*rättighet",
             "*självbestäm", "snäll", "hjälpsam"),
    },
    "en": {
        Q: ("treatment", "*diagnos", "examin", "missed|overlooked", "*competen", "*professional",
            "thorough",
            "careless|sloppy", "*rehab", "*therap", "physio", "follow up", "followup", "outcome",
            "helped|help$", "recover", "*quality", "*skill", "malpractice"),
        S: ("*safe", "danger", "risk", "fell$|fall$|falls$|fallen", "injur",
            "wrong medic|dose|drug", "medication error", "*overdose", "*violen", "assault",
            R("abuse", unless="substance|drug|drugs|alcohol|alcoholism"), "threat", "*neglect",
              "slippery|wet floor", "suicid", "self harm", "bedsore", "pressure sore|ulcer",
            "dehydrat|starv|malnour", "incident|accident", "harm$|harmed"),
        E: ("premises|*building|facilit", "clean|dirty|filthy|hygien|smell", "wheelchair",
            "accessib", "ramp|elevator|lift$|stairs", "parking", "food|meal", "noise|noisy",
            "understaff|overworked", "short staffed", "staff shortage", "not|too enough|few staff",
            "equipment", "bed$|beds$", "transport|taxi|bus$", "location", "crowded",
            "waiting room|area"),
        A: (R("wait$|waited|waiting$|waits$|waitlist", unless="room|area"), "queue|queuing",
            "delay", "appointment", "booking", "opening hour|time", "evening|weekend",
            "after hours", "far away|from", "distance", "get|got|getting through", "callback",
            "call back", "reach$|reached|reachable",
            "no|nobody|not|never answer|answers|answered|respond|responds|reply|replied|return",
            "no|nobody|not|never returned|pick|picks", "quick|quickly|fast$",
            "immediately|promptly", "right away", "slot$|slots$", "access$", "waiting list"),
        C: ("referr|refer$", "discharg", "transfer", "continuity", "bureaucra|paperwork",
            "red tape", "coordinat", "back and forth", "pillar to post", "different doctor|nurse",
            "repeat .. story|myself|again|everything", "information .. move|flow|pass|transfer",
            "handover", "hand over", "*integrat", "cracks"),
        D: ("online", "website|web$", "computer|smartphone", "app$|apps$", "chat", "*digital",
            "e service|services", "eservice", "login", "log in", "password", "portal", "internet",
            "video",
            "remote appointment|consultation", "telehealth|telemedicine", "sms", "text message"),
        F: ("charge", "fee$|fees$", "bill$|billed|billing", "invoice", "payment|pay$|paid|paying",
            "cost", "price|pricing", "expensive", "afford", "voucher", "benefit", "allowance",
            "refund|reimburs", "money", "debt"),
        L: ("listen", "heard$|unheard", "ignor", "dismiss", "involv", "particip",
            "opinion|wishes|views$|preference", "together", "asked me|my|what|about",
            "seriously", "co design|develop|creat", "codesign", "believed|believe me"),
        M: ("*inform", "explain|explan", "told", "tell me|us", "letter", "instruction",
            "language|english|swedish|finnish|sami$|sámi", "interpret|translat", "unclear|confus",
            "clearly|clear$", "communicat", "message", "update", "leaflet|brochure",
            "plain language", "contact person"),
        RS: ("kind$|kindly|kindness|unkind", "*friendly", "rude", "*respect", "*dignif|dignity",
             "*polite|*courte", "condescend|patroniz|patronis|arrogant|dismissive",
             "discriminat|racis|sexis|humiliat|degrad|insult", "shout|yell|scream",
             "called .. names", "privacy",
             "confidential", "rights", "caring|compassion|empath|sympath", "helpful|unhelpful",
             "treated .. like", "human being"),
    },
}

# Stance evidence: (strong, weak) pattern lists; strong counts 2, weak 1.
STANCE: dict[str, dict[str, tuple[tuple[str | R, ...], tuple[str | R, ...]]]] = {
    "fi": {
        "praise": (("kiit", "ystävälli", "jo$ .. samalle|samana|seuraavaksi|seuraavalle",
        "loista", "erinomai", "mahtav", "upea", "ihana|ihania",
                    "tyytyväi", "ammattitaitoi", "asiantunteva", "osaava", "empaatti",
                    "huolehti", "paras$|parasta", "hieno", "positiivi"),
                   ("hyvä$|hyvää$|hyvin$|hyvän$|hyviä$|hyvät$", "nopea", "heti$", "siisti",
                    "asiallis", "rauhallis", "selkeä", "huolellise", "kuunteli|kuunneltiin",
                    "yhdessä kanssa",
                    "sujui|sujuv", "onnistu", "mukava", "lämpimä|lämmöllä",
                    "helppo|helposti|vaivatto", "ajallaan|ajoissa", "iloinen|iloise",
                    "kiva$|kivasti|kivoja", "lämmin$", "toimi$|toimivat$", "valoisa|viihtyis",
                    "luvatusti|sovitusti", "saman tien", "autt", "ihmeit", "ansiosta",
                    "turvallise|turvallinen", "helpotu", "samalle|samana *päivä",
                    "toivoisi aina", "aina näin|tällaista", "apu tuli|saapui", "selvisi")),
        "complaint": (("liian", "joutu|joudu", "huono", "kamala|kauhea|surkea|karmea|järkyt",
                       "pettyn|pettym", "valitet|valitus|valituk|valitin|valitan|valittaa",
                       "epäkoh", "ongelm", "*virhe", "väär", "hukk|hukat|hukas",
                       "katos|kadon|kadot", "unoht|unohd",
                       "puuttu|puutte", "puutu|puutut", "likai|*epäsiisti|haise|rikki$", "tyly",
                       "töyke", "*alentuv", "ylimieli", "välinpitämät",
                       "huus|huut",
                       "uhkail", "kovakour", "*nöyryyt", "loukkaav|loukkas", "asiaton|asiattom",
                       "*epäasiall", "epäystäv|epäkohteli|*epäpätev|*epäammatill", "laiminly",
                       "tyytymät", "turvaton|turvattom", "riittämät", "turhaut",
                       "kohtuuton|kohtuuttom",
                       # conditional perfect: "olisi pitänyt", "olisin halunnut tietää"
                       "olisi|olisin|olisit|olisimme|olisitte|olisivat *nut$|*nyt$|*neet$|*ttu$",
                       "olisi|olisin|olisit|olisimme|olisitte|olisivat *tty$"),
                      ("vaikka$", "vain$", "vasta$", "koskaan", "kukaan", "*jono",
                       "kaatui|kaatunut|kaatuu",
                       "odota|odote|odoti|odott|odotus$|odotusaik|odotukse|odotuks",
                       "vaike|hankala|mahdoton|mahdottom", "myöhäs|myöhäst",
                       "peruttiin|perutt|peruuntu", "siirrettiin", "epäselv", "harmi",
                       "sulkee .. ulos")),
        "suggestion": (("olisi|olisiko hyvä|kiva|mukava|parempi|hienoa|tärkeää|toivottavaa",
                        "toivois|toivon$|toivomme|toivotaan|toivomu",
                        "ehdotta|ehdotus|ehdotuk|ehdotan|ehdotamme|ehdote|ehdotti",
                        "*kehittämisehdo", "voisiko|voisitteko|voisitko|olisiko|saisiko",
                        "kannattais|kannattaa", "pitäis", "tarvitaan|tarvittais",
                        "voisi$|voisivat$|voitaisiin$", "esitä|esitämme|esitetään|esitys",
                        "*idea$|ideana|ideoi", "*vinkki", "parannus|parannett|parantaisi"),
                       (R("*isi$|*isin$|*isimme$|*isitte$|*isivat$|*isivät$|*taisiin$|"
                          "*täisiin$", unless="selvisi|hävisi|levisi|*kriisi|pariisi|terveisin",
                          label="konditionaali"), "jatkossa", "tulisi$",
                        # workshop style: "käyntiajat kerrottava etukäteen", "vapaat joustavammiksi"
                        R("*ttava$|*ttävä$|*ttavat$|*ttävät$|*ttavaa$|*ttävää$", label="-ttava",
                          unless="luotettav|huomattav|odotettav|*tyydyttäv"),
                        R("*mmiksi$|*mmaksi$|*mmäksi$", label="-mmaksi"))),
        "question": ((), ()),
    },
    "sv": {
        "praise": (("tack", "vänlig", "fantastisk|underbar|utmärkt|jättebra|superbra|toppen",
                    "suverän|strålande|enastående", "proffsig|professionell", "nöjd",
                    "snäll|trevlig|hjälpsam|omtänksam"),
                   ("bra$", "snabb", "genast|direkt$", "lyssnade", "tydlig", "lugn", "trygg",
                    "noggrann",
                    "förklarade", "fungera", "med respekt", "alltid vara så",
                    "lätt$|lätta$|enkel|smidig",
                    "god$|gott$|goda$")),
        "complaint": (("dålig", "fel$|felaktig|felet", "tyvärr", "besvik", "klag", "problem",
                       "otrevlig|oförskämd|nedlåtande|arrogant|ovänlig|oprofessionell|slarv",
                       "föll|ramlade", "glöm", "försvann|borttapp|tappade", "svårt$",
                       "för$ lång|länge|lite|få$|dyr|dyrt|hög|höga|kort", "tvinga|tvungen",
                       "fick vänta", "oacceptab|skandal|hemsk|fruktansvärd|katastrof",
                       "upprörd|arg$|missnöjd", "tar|ta tag i", "smutsig|trasig|sönder",
                       "skulle|borde ha *t$|*it$|*ats$|*its$"),
                      ("bara$", "trots", "fortfarande", "vänta|väntade|väntat|väntan",
                       "*kö$|*köer", "svår$|svåra", "sen$|sent$|försen")),
        "suggestion": (("kunde man|ni|vi|det", "behövs",
        "skulle .. bra|vilja|önska|kunna|uppskatta",
                        "vore", "förslag|föresl", "önsk", "borde|bör$", "varför inte"),
                       ("hoppas", "gärna", "förbättr", "idé$|idéer")),
        "question": ((), ()),
    },
    "en": {
        "praise": (("thank", "excellent|outstanding|wonderful|amazing|fantastic|brilliant|superb",
                    "great$|grateful|appreciat", "kind$|kindly|kindness", "friendly", "helpful",
                    "professional", "satisf", "caring|compassion|respectful", "pleased"),
                   ("good$|well$|nice$|happy$", "quick|quickly|fast$|promptly", "carefully",
                    "easy|easily", "reassur", "felt safe", "clean$", "with dignity|respect",
                    "always be like this",
                    "clearly", "efficient|smooth", "listened", "better$")),
        "complaint": (("rude", "wrong", "terrible|awful|horrible|appalling|disgust", "poor$|poorly",
                       "bad$|worst", "disappoint", "unacceptable", "complain", "problem",
                       "lost$|forgot|forgotten", "ignored|dismissive", "incompeten",
                       "unprofessional|unfriendly|unhelpful|careless|negligen", "too$",
                       "had to", "frustrat|angry|upset", "mistake|error", "overcharged",
                       "refused", "dirty|filthy|smelly|broken$", "waited",
                       ("should|could|would have been|*ed$|given|told|known|done|seen|"
                                   "got|gotten|taken|made|sent|had|noticed")),
                      ("twice", "still$", "only$", "despite|although", "even though",
                       R("wait$|waiting$", unless="room|area"), "barely|hardly", "incomplete",
                       "queue", "delay", "difficult|impossible|unable|cannot", "late$", "charged",
                       "look into this|it", "do something about", "something .. done")),
        "suggestion": (("please$", "suggest", "recommend",
                        "would be|like|love|appreciate|help|prefer", "could you|we|there|they",
                        "why not", "propos", "needs a|an|more|to", "it would be nice",
                        R("should", unless="have been|had|known|told|given|done|seen|got|*ed$")),
                       ("consider", "wish$", "hope$", "improv", "idea$|ideas$")),
        "question": ((), ()),
    },
}

# Negation: a negator makes the next few words of its clause negated (window of 4 words).
NEGATORS: dict[str, frozenset[str]] = {
    "fi": _words("ei en et emme ette eivät eikä enkä etkä ettei ettekä eivätkä emmekä ilman"),
    "sv": _words("inte ej ingen inget inga aldrig utan"),
    "en": _words("not no never nobody none without neither nor cannot nothing"),
}
# Negated problem → praise ("ei tarvinnut jonottaa", "inga problem", "no waiting").
NEG_PROBLEMS: dict[str, tuple[str, ...]] = {
    "fi": ("*jono", "odot", "joutu|joudu", "ongelm", "valitet|valitta|valitu", "moit",
           "huomautet|huomautta", "vika$|vikaa", "*virhe|virhei", "viive|viivei", "kiire",
           "hankal", "vaike", "turha", "huono", "kuin$", "parempi|parempaa", "pelkk"),
    "sv": ("vänta", "*kö$|*köer|köa", "problem", "klag", "fel$", "anmärk", "svår", "krångl",
           "dålig", "bekymm", "än$", "bättre", "resa$|åka$"),
    "en": ("wait", "queue", "problem", "issue", "complain", "fault", "trouble", "hassle",
           "delay", "difficult", "bad$", "wrong", "better$", "but$", "pain$"),
}
# Negated basic needs → high severity, safety ("ettei isä ehdi syödä", "fick inte äta").
NEG_HARM: dict[str, tuple[str, ...]] = {
    "fi": ("syö|syödä|syömä", "ruoka|ruoa|ruua", "juo$|juoda|juomaa|juotava",
           "pese|peset|peseyt", "vessa|wc$", "saa|saanut|saanu|annett|anna lääke|lääkk",
           "varaa$"),
    "sv": ("äta$|åt$", "mat$|maten", "dricka", "tvätta", "toalett", "medicin|läkemedel"),
    "en": ("fed$|eat$|eaten", "food", "drink", "water", "wash|washed", "toilet",
           "medication|medicine", "afford"),
}

SEVERITY: dict[str, tuple[Group, ...]] = {
    "fi": (
        Group(CRIT, (S,), ALWAYS, (
            "väär .. lääke|lääkk|lääkity|annos|insuliin|tablet|pilleri",
            "*kertai|kaksoi .. annos|lääke|lääkk", "*annosvirh",
            "toise|jonkun .. asiakk|potila|asukk|henkilö .. lääke|lääkk",
            "vahingoit|satutt|tappa itse",
            "halua|haluaa .. elää",
            "lääke|lääkk|insuliin|annos .. väär", "*lääkevirh|*lääkitysvirh|*lääkepoikkea",
            "*yliannos|*lääkemyrkyty", "*väkival", "lyö|löi$|löivät|lyön", "potki", "kimppuun",
            "hyökkä",
            "tönä|tuuppa|tyrkk", "läimä|läpsä|nipist", "retuut|riuhto|raahas|raahat",
            "kovakour", "pahoinpi", "kurist", "sidott|sitoi|*lepositt", "hyväksikäy",
            "*ahdistel", "*kaltoin", "raiskau|raiskas|raiskat",
            R("uhkail|uhkas|uhkaus|uhkauks|uhkaav", unless="huostaan|*ilmoitu|poliisi|kotiut|"
              "häätö|irtisan|perint|*maksu|lasku|sakko|päätö|kantel|muistutu"),
            "tappa|tapan$|tappo", "*itsetuho", "*itsemurh",
            "itseni|itsensä|itseään tappa|vahingoitt|satutt", "*viiltel", "kuolla$|kuolem",
            "*elämänhal", "jaksa elää", "päättää|päätti päivä",
            "lopettaa|päättää elämä", "hengiltä", "*hengenvaar", "henkeä|hengen uhka",
            "*hapenpuut", "tukehtu", "laiminly", "*heitteill",
            "makas|makaa|maannut|jäi .. lattia", "*makuuhaav|*painehaav",
            "*kuivum|kuivun|kuivui|*nestehukk", "*nälkä|*nälkää|*aliravi",
            R("muistisair|*dement|vanhu|iäkä|*vammai|*kehitysvamm|lapsi$|lapse|lasta$|vauva "
              "+ huus|huut|karju|haukku|kiroil|nimitt|kovakour|tönä|retuut|pilka",
              label="haavoittuva+huuto"),
            R(_FALL_FI + " + murtu|*murtum|lonkk|verta$|vuot|*haava|loukkaantu|ruhje|päähän|"
              "pää$|tajut", unless=_DIGITAL_FI, label="kaatuminen+vamma"),
            R(_FALL_FI + " + makas|makaa|maannut|lattial|tunte|tunnin|tuntia|koko yön|aamuun|"
              "avutta", unless=_DIGITAL_FI, label="kaatuminen+avutta"),
        )),
        # Medication error with harm: a clear harm word unless it is a thank-you, a visit to
        # hospital only in a complaint ("Saako sairaalaan tuoda omat lääkkeet?" is no incident).
        Group(CRIT, (S,), NOT_PRAISE, (
            R("lääke|lääkk|lääkity|annos|resepti|insuliin + ambulanss|reaktio|teho$|tajut|elvyt|"
              "myrkyty", label="lääke+haitta"),
            R("allergi + anto|antoi|annett|määräs|määrätt", label="allergia+lääke"))),
        Group(CRIT, (S,), PROBLEM, (
            R("lääke|lääkk|lääkity|annos|resepti|insuliin + sairaalaan|päivystyk|ensiapu",
              label="lääke+sairaala"),
            # "ei ole käynyt / saanut lääkkeitään / syönyt kolmeen päivään"
            R("käynyt|tullut|käyty|lääke|lääkk|syö|ruoka|ruoa|juo$|juonut|pese|peset "
              "+ päivään$|vuorokauteen$|viikkoon$", label="hoito puuttui+päivään"))),
        # Conditions and outcomes that are no escalation in a thank-you (e.g. palliative care).
        Group(CRIT, (S,), NOT_PRAISE, (
            "kuoli$|kuollut|kuolleen|kuolivat", "menehty", "*elvyt", "tajuto|tajuttom",
            "*sydänkohtau|*sydäninfark|*aivoinfark|*aivohalva", "*aivoveren", "*sepsis",
            "*verenmyrky", "*hätätila|*hätäkesk|hätänum", "teho osast", "*tehohoi|teholle")),
        Group(HIGH, (S,), NOT_PRAISE, (R(_FALL_FI, unless=_DIGITAL_FI), "ambulanss",
                                     "joutu|joudu .. sairaalaan|päivystyk|ensiapuun")),
        Group(HIGH, (S,), ALWAYS, ("loukkaantu",
                                 "*murtuma|murtui", "*palovamm", "ruhje|mustelm")),
        Group(HIGH, (RS,), ALWAYS, ("uhkail|uhkas|uhkaus|uhkauks",)),
        Group(HIGH, (RS,), PROBLEM, ("väärälle$", "väärään osoit", "*tietosuoj", "*tietovuo",
                                   "vaitiolo", "*salassapi", "urkki|urkit", "*syrji", "rasis",
                                   "*nöyryyt", "häirin", "huus|huut|karju|haukku|nimitt")),
        Group(HIGH, (Q, S), ALWAYS, ("*hoitovirh", "väär .. diagnoo|diagnoos|hoito|leikka",
                                   "*virhediagn", "hoitamatta|tutkimatta|diagnosoimat",
                                   "huomaamatta")),
        Group(HIGH, (S,), NOT_PRAISE, ("paheni|pahenee|pahentu|huononi|huononee|huonontu",
                                     "heikkeni|heikkenee|heikenty|romahti")),
        Group(HIGH, (), PROBLEM, ("hakematta|ostamatta|käymättä",)),
        Group(HIGH, (C,), ALWAYS, (R("lähete$|*lähettee|lähetettä$|*remissi|hakemu|papere|asiakirj "
                                   "+ hukk|hukat|hukas|katos|kadon|kadot|unoht|unohd",
                                   label="lähete+hukassa"),)),
        Group(HIGH, (A,), ALWAYS, ("odot|jono .. vuotta$|vuoden$|vuosi$|vuosia$",)),
        Group(HIGH, (S, C), ALWAYS, ("kotiut .. liian|kesken|yksin",)),
        Group(MED, (E,), PROBLEM, (
            "henkilökun|*henkilöst|hoitaj|lääkäre|työntekijö|sijais .. vähän|pula|puut|riit",
            "*pula$", "*aliresurs|*alimitoit", "kiire$|kiirei|kiireess|kiirett")),
        Group(MED, (), PROBLEM, ("kipu|kipe|kivu|kärsi",)),
    ),
    "sv": (
        Group(CRIT, (S,), ALWAYS, (
            "fel .. *medicin|*läkemedel|dos$|doser|doso|insulin|tablett",
            "annan|annans|andras .. medicin|läkemedel|tablett",
            "*läkemedelsfel|*medicineringsfel|*överdos|*förgiftn", "*våld",
            "slog$|slogs|slagit|slagen|slagna|sparka",
            "knuffa|*örfil|nöp$|hårdhänt|ryckte|slet", "*misshand",
            "ruskade|släpade|bältad|*fasthåll",
            "övergrepp", "sexuell .. trakasser|ofred", "*ofreda|*våldtä|utnyttj",
            R("hot$|hotade|hotad|hotfull|hotelse|hoten", unless="polis|anmäl|omhänder|vräkn|"
              "avgift|räkning|beslut|inkasso"),
            "*självmord|suicid|*självskad", "ta livet", "ta mitt liv", "vill|ville dö$|dö",
            "*dödstank",
            "orka .. leva", "vill inte leva", "inte vill leva", "*livsfara|*livshot", "livsfarlig",
            "*försumm|*vanvård|*vanskött",
            "låg .. golvet", "låg kvar", "*liggsår|*trycksår", "*uttork|*svält|undernär",
            R("*dement|*minnessjuk|äldre|gamla|barn$|barnet|*funktionsnedsätt|*utvecklingsstör "
              "+ skrek|skrika|skäll|hårdhänt|knuffa|svor|vrål", label="sårbar+skrik"),
            R("föll|ramla|trilla|*fallolyck + bröt|*fraktur|höft|blöd|skada|skadad|sår$|huvud|"
              "medvetslös", label="fall+skada"),
            R("föll|ramla|trilla|*fallolyck + låg$|timmar|natten|ensam kvar",
              label="fall+utan hjälp"),
        )),
        Group(CRIT, (S,), NOT_PRAISE, (
            "dog$|avled|omkom|död$|döden", "medvetslös", "*återupplivn|*hjärtstopp",
            "*hjärtinfarkt|stroke|*sepsis", "*intensivvård|intensiven|iva$")),
        Group(CRIT, (S,), NOT_PRAISE, (
            R("*medicin|*läkemedel|dos$|doser|insulin + ambulans|reaktion|intensiv|medvetslös",
              label="läkemedel+skada"),
            R("allergi + gav|gavs|fick|ordinera", label="allergi+läkemedel"))),
        Group(CRIT, (S,), PROBLEM, (
            R("*medicin|*läkemedel|dos$|doser|insulin + sjukhus|akuten|jouren",
              label="läkemedel+sjukhus"),
            R("ingen|inte .. varit där|hos + dagar|dygn", label="ingen besök+dagar"))),
        Group(HIGH, (S,), NOT_PRAISE, ("ambulans", "mår .. sämre", "försämr",
                                     "hamnade|fördes|kördes .. sjukhus|akuten|jouren")),
        Group(HIGH, (), PROBLEM, ("låta|lät|låter bli", "inte|inget råd")),
        Group(HIGH, (S,), ALWAYS, ("föll|ramla|trillade|*fallolyck|*fallskad", "skadad",
                                   "skadade sig",
                                 "*fraktur|bröt", "blåmär|*brännskad")),
        Group(HIGH, (RS,), ALWAYS, ("hotade|hotelse|hot$",)),
        Group(HIGH, (RS,), PROBLEM, ("*sekretess", "tystnadsplikt", "*dataskydd",
                                   "fel person|adress|mottagare", "*diskrimin", "rasis", "*kränk",
                                   "*förnedr", "skrek|skrika|vrål", "*trakasser")),
        Group(HIGH, (Q, S), ALWAYS, ("*felbehandl|*feldiagnos", "fel diagnos",
                                     "missades|förbisågs")),
        Group(HIGH, (C,), ALWAYS, (R("*remiss|ansökan|papper + försvann|borttapp|glömd|tappade",
                                   label="remiss+försvunnen"),)),
        Group(HIGH, (A,), ALWAYS, ("vänta|väntade|väntat|kö .. år$|året|åren|halvår",
                                 "halvt år")),
        Group(MED, (E,), PROBLEM, ("*personalbrist|*underbemann", "för$ lite|få$ personal",
                                 "ont|brist|ingen personal", "stress")),
        Group(MED, (), PROBLEM, ("smärt|ont$",)),
    ),
    "en": (
        Group(CRIT, (S,), ALWAYS, (
            "wrong .. medic|drug|dose|tablet|pill|insulin", "medication|drug error",
            "*overdos|poison", "*violen|assault", "slapp|punch|kick",
            "hit|push|pushed|shoved|grabbed me|him|her|my|them|us|his|our",
            "rough|manhandl|restrain|strangl|chok|beat$|beaten",
            R("*abus", unless="substance|drug|drugs|alcohol|alcoholism"), "molest",
            R("attack", unless="heart|panic|anxiety|asthma"),
            "another|someone .. medic|pills|drug", "raped|rape$",
            "sexual .. harass|assault|advance|touch",
            R("threat|threaten", unless="police|report|evict|collection|fine$|decision|bailiff|"
              "custody|court"),
            "suicid", "end|ending|take|taking my|own life",
            "kill|killing|hurt|harm|cut myself", "self harm", "want|wanted|wish .. die$|dead$",
            "thoughts .. death|dying", "no reason to live", "not want to live",
            "life threat|threatening", "danger|risk to life", "*neglect",
            "lay|lying|left|laid .. floor",
            "bedsore", "pressure sore|ulcer", "dehydrat|starv|malnour|soiled",
            R("dementia|alzheimer|elderly|old$|child|baby|disabled|vulnerable + shout|yell|"
              "scream|swore|rough|grabb|push|humiliat", label="vulnerable+shouting"),
            R("fell$|fall$|falls$|fallen + broke|broken|fractur|hip$|bleed|blood|injur|head$|"
              "wound|bruis", unless="asleep|behind|through|apart|ill$|sick|short|love",
              label="fall+injury"),
            R("fell$|fall$|falls$|fallen + floor|hours|night|nobody came|no one came|unattended",
              unless="asleep|behind|through|apart|ill$|sick|short|love", label="fall+unattended"),
        )),
        Group(CRIT, (S,), NOT_PRAISE, (
            "died|dying", "passed away", "unconscious|resuscitat", "cardiac arrest", "heart attack",
            "stroke|sepsis", "intensive care", "icu$")),
        Group(CRIT, (S,), NOT_PRAISE, (
            R("medic|drug|dose|pill|insulin + ambulance|reaction|intensive|unconscious",
              label="medication+harm"),
            R("allerg + given|gave|prescribed", label="allergy+medication"))),
        Group(CRIT, (S,), PROBLEM, (
            R("medic|drug|dose|pill|insulin + hospital|emergency", label="medication+hospital"),)),
        Group(HIGH, (S,), NOT_PRAISE, ("ambulance", "getting|got|became worse", "deteriorat",
                                     "worsened", "ended up .. emergency|hospital|icu")),
        Group(HIGH, (Q, S), ALWAYS, (R("broken|fracture|injury + missed|overlooked|not noticed",
                                       label="injury+missed"),)),
        Group(HIGH, (S,), ALWAYS, (R("fell$|fall$|falls$|fallen", unless="asleep|behind|through|"
                                   "apart|ill$|sick|short|love|autumn"), "injur", "fractur",
                                 "broke .. bone", "burn$|burned|burns$", "bruise")),
        Group(HIGH, (RS,), ALWAYS, ("threat|threaten",)),
        Group(HIGH, (RS,), PROBLEM, ("privacy", "confidential", "data breach|protection",
                                   "wrong person|address", "gdpr", "discriminat|racis|sexis",
                                   "humiliat|degrad|harass", "shout|yell|scream|swore|swear")),
        Group(HIGH, (Q, S), ALWAYS, ("misdiagnos|malpractice", "wrong diagnos",
                                   "medical error", "missed .. diagnos|fracture|cancer",
                                   "*negligen")),
        Group(HIGH, (C,), ALWAYS, (R("referral|application|paperwork + lost$|missing|never arrived|"
                                   "forgot", label="referral+lost"),)),
        Group(HIGH, (A,), ALWAYS, ("wait|waited|waiting .. year|years",
                                 "wait|waited|waiting .. six|several|many months",
                                 "half a year")),
        Group(MED, (E,), PROBLEM, ("understaff|overworked|rushed", "short staffed",
                                 "staff shortage", "not|too enough|few staff", "no staff")),
        Group(MED, (), PROBLEM, ("pain$|painful|suffer",)),
    ),
}

# Asking for a reply ("Soittakaa minulle.", "Please contact me.") is no suggestion or question:
# such sentences are left out of the stance and the themes (severity rules still apply).
REPLY: dict[str, tuple[str, ...]] = {
    "fi": ("pyydä|toivo|halua .. yhteydenot|vastaus|vastauks|vastausta|soitto|soittoa",
           "minuun|meihin yhteyttä|yhteydessä",
           "soittakaa|soitatteko|soittaisitteko minulle|meille",
           "vastatkaa|vastaatteko|vastaisitteko",
           "minulle|meille vastataan|vastattaisiin|soitetaan"),
    "sv": ("vill bli kontaktad|kontaktade|uppringd", "kontakta$ mig|oss", "ring$|ringa$ mig|oss",
           "vill ha .. svar", "hoppas på svar|återkoppling", "svara$ mig|oss", "hör av er|dig",
           "återkom|återkomma till mig|oss"),
    "en": ("contact$|call$|phone$|email$ me$|us$", "get back to me$|us$", "hear from you",
           "like|want .. reply|response|answer", "like|want .. call back",
           "please reply|respond|answer",
           "reply|respond to me$"),
}

# Sign-offs ("Ystävällisin terveisin", "Kind regards") are left out of the stance and themes too.
SIGN_OFF: dict[str, tuple[str, ...]] = {
    "fi": ("terveisin", "t$", "anta palautetta", "kiitos .. etukäteen"),
    "sv": ("vänlig hälsning|hälsningar", "hälsningar$", "mvh$", "ge respons|feedback",
           "tack .. på förhand"),
    "en": ("kind|best|warm regards", "regards$", "sincerely", "best wishes", "give .. feedback",
           "thanks|thank you in advance"),
}

# A complaint only about these themes is "low" unless a medium-or-higher rule fired.
MINOR_THEMES = frozenset({E, D, F})

CONTRAST: dict[str, frozenset[str]] = {
    "fi": _words("mutta kuitenkin tosin silti toisaalta muuten"),
    "sv": _words("men dock däremot ändå annars"),
    "en": _words("but however although though otherwise"),
}
# Sentence-initial question words: (wh-words, weight 2; verbs that open a yes/no question, 1).
QUESTION_WORDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "fi": (_words("miten miksi mihin mistä missä milloin kuka kenelle kenen keneen kenellä mikä "
                  "mitä mille kuinka paljonko"),
           _words("voinko saanko onko saako pitääkö tarvitseeko voiko kannattaako")),
    "sv": (_words("hur varför när vem vilken vilket vilka vad"),
           _words("kan får finns måste behöver är ska skall")),
    "en": (_words("how why when where who what which"),
           _words("can could is are do does did will may am")),
}
# Cheap language identification: frequent words that are unambiguous between fi, sv and en.
STOPWORDS: dict[str, frozenset[str]] = {
    "fi": _words(
        "ja ei oli olla että se ole olen olin olisi olisiko kun mutta myös vain niin jos kuin "
        "minä minun minulle minua minut hän te sen tämä tai jo vielä koska mitä miten miksi "
        "mikä kiitos vaikka eikä ettei ovat voisi sain aina kanssa jälkeen ilman liian hyvin "
        "todella aivan yhtään kaikki kukaan koko ajan sitä siitä joka jota jonka ne nyt sitten "
        "enää edes koskaan lainkaan ollenkaan heti vasta kanssani minulla kuka voin saa saanut "
        "ollut oi tämän joten siis kyllä ihan"),
    "sv": _words(
        "och att det är jag inte som ett på med för av till han hon vi ni har hade kan men om så "
        "den min mitt mina mig fick vid utan ingen inga mycket tack hur varför när var vill "
        "skulle kunde också eller efter någon något väldigt bara mer mot sig sin sina dem denna "
        "detta hos blev får vara bra personalen ej"),
    "en": _words(
        "the and is was to of a an not for with my it that this have had are were be been "
        "no nobody please thank thanks you at they we our your he she her his me do did does "
        "would could should very from by but or as there their what when why how who which "
        "about same twice"),
}
