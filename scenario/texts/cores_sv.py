"""Swedish text cores per theme and key (stance or complaint severity); format in __init__.py."""

from __future__ import annotations

CORES_SV: dict[str, dict[str, tuple[str, ...]]] = {
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
}
