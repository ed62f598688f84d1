"""The feedback form's words in Finnish, Swedish and English (clients' surfaces).

Northern Sámi (`se`) is not here: its labels need a native speaker's hand, and a form with
wrong words is worse than none. A Sámi-speaking unit's form and poster are in its other
languages until someone who writes Sámi adds a `"se"` table with the same keys (a unit test
checks every table has every key).

A text with `{name}` placeholders is filled with str.format by the caller; the templates
autoescape whatever they are given.
"""

from __future__ import annotations

from collections.abc import Mapping

FORM_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")

# The form's path per language: /palaute/<unit>, /respons/<unit>, /feedback/<unit>.
PATHS: Mapping[str, str] = {"fi": "palaute", "sv": "respons", "en": "feedback"}

WEEKDAYS: Mapping[str, tuple[str, ...]] = {
    "fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina",
           "lauantaina", "sunnuntaina"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS: Mapping[str, tuple[str, ...]] = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

TEXTS: Mapping[str, Mapping[str, str]] = {
    "fi": {
        "language_name": "Suomeksi",
        "languages_label": "Kieli",
        "title": "Anna palautetta",
        "unit_label": "Yksikkö",
        "question": "Miten onnistuimme tänään?",
        "question_hint": "Kerro omin sanoin, mikä onnistui ja mitä voisimme tehdä paremmin.",
        "required": "pakollinen",
        "optional": "vapaaehtoinen",
        "text_label": "Palautteesi",
        "text_hint": "Enintään 10 000 merkkiä. Älä kirjoita tähän henkilötunnusta.",
        "rating_legend": "Arvio asteikolla 1–5",
        "rating_none": "En halua antaa arviota",
        "rating_1": "1 – Erittäin huonosti",
        "rating_2": "2 – Huonosti",
        "rating_3": "3 – Kohtalaisesti",
        "rating_4": "4 – Hyvin",
        "rating_5": "5 – Erittäin hyvin",
        "role_legend": "Kuka vastaa?",
        "role_client": "Olen asiakas",
        "role_close_one": "Olen asiakkaan läheinen, esimerkiksi omainen",
        "reply_legend": "Haluatko vastauksen?",
        "reply_none": "En tarvitse vastausta",
        "reply_email": "Kyllä, sähköpostilla",
        "reply_post": "Kyllä, kirjeenä postitse",
        "email_label": "Sähköpostiosoite vastausta varten",
        "email_hint": "Täytä, jos valitsit vastauksen sähköpostilla.",
        "address_label": "Nimi ja postiosoite vastausta varten",
        "address_hint": "Täytä, jos valitsit vastauksen kirjeenä. Esimerkiksi: Maija "
                        "Meikäläinen, Katuosoite 1 A 2, 96100 Rovaniemi.",
        "channel_label": "Palautteen kanava (henkilökunta)",
        "channel_electronic": "Sähköinen (asiakas täytti lomakkeen)",
        "channel_oral": "Suullinen (kirjaan asiakkaan kertoman)",
        "channel_written": "Kirjallinen (kirjaan paperilla annetun)",
        "staff_recording": "Kirjaat palautetta asiakkaan puolesta: {channel}.",
        "privacy_title": "Näin käsittelemme tietojasi",
        "privacy_text": "Tallennamme palautteesi, arviosi, yksikön ja kielen. Yksikön "
                        "esihenkilö ja tarvittaessa palvelualueen johto lukevat palautteen. "
                        "Jos pyydät vastausta, yhteystietosi tallennetaan salattuna, ja sitä "
                        "käytetään vain vastauksen lähettämiseen. Nimeäsi ei kysytä, ellet "
                        "halua vastausta kirjeenä.",
        "submit": "Lähetä palaute",
        "errors_title": "Korjaa nämä kohdat",
        "errors_count": "Lomakkeessa on {count} korjattavaa kohtaa.",
        "error_prefix": "Virhe",
        "error_text_missing": "Kirjoita palautteesi.",
        "error_text_too_long": "Palaute on liian pitkä: enintään 10 000 merkkiä (nyt {length}).",
        "error_rating": "Valitse arvio 1–5 tai vaihtoehto ”En halua antaa arviota”.",
        "error_role": "Valitse, oletko asiakas vai asiakkaan läheinen.",
        "error_reply": "Valitse, haluatko vastauksen ja miten.",
        "error_email_missing": "Kirjoita sähköpostiosoite, johon vastaus lähetetään.",
        "error_email_invalid": "Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi.",
        "error_email_too_long": "Sähköpostiosoite on liian pitkä.",
        "error_address_missing": "Kirjoita nimesi ja postiosoitteesi, johon kirje lähetetään.",
        "error_address_too_long": "Osoite on liian pitkä: enintään 300 merkkiä.",
        "thanks_title": "Kiitos palautteestasi",
        "thanks_lead": "Palautteesi on vastaanotettu, ja se on välitetty yksikölle {unit}.",
        "reference": "Palautteesi tunnus",
        "reference_hint": "Kerro tämä tunnus, jos kysyt palautteestasi myöhemmin.",
        "next_title": "Mitä seuraavaksi tapahtuu",
        "next_acknowledge": "Yksikön esihenkilö ottaa palautteesi käsittelyyn viimeistään "
                            "{date} ({days} työpäivän kuluessa).",
        "next_reply_email": "Saat vastauksen sähköpostilla viimeistään {date}.",
        "next_reply_post": "Saat vastauksen kirjeenä viimeistään {date}.",
        "next_no_reply": "Et pyytänyt vastausta. Yksikkö kertoo julkisesti, mitä palautteen "
                         "perusteella on tehty.",
        "new_feedback": "Anna uusi palaute",
        "kiosk_reset": "Lomake tyhjenee seuraavaa vastaajaa varten {seconds} sekunnin "
                       "kuluttua.",
        "not_found_title": "Yksikköä ei löydy",
        "not_found_text": "Osoitteessa ei ole tunnettua yksikköä. Tarkista osoite julisteesta "
                          "tai kysy henkilökunnalta.",
        "too_large_title": "Palaute on liian suuri",
        "too_large_text": "Lähettämäsi tiedot ovat suuremmat kuin lomake ottaa vastaan. "
                          "Lyhennä palautetta ja lähetä se uudelleen.",
        "unavailable_title": "Palautetta ei voitu lähettää",
        "unavailable_text": "Palvelu on juuri nyt tavoittamattomissa. Palautettasi ei "
                            "tallennettu. Yritä hetken kuluttua uudelleen.",
        "too_many_title": "Liian monta lähetystä",
        "too_many_text": "Tästä laitteesta tai verkosta on lähetetty juuri nyt paljon "
                         "palautteita. Palautettasi ei vielä tallennettu. Lähetä se uudelleen "
                         "hetken kuluttua.",
        "back_to_form": "Takaisin lomakkeelle",
        "poster_scan": "Skannaa koodi puhelimella tai kirjoita osoite selaimeen:",
        "poster_title": "Kerro meille",
    },
    "sv": {
        "language_name": "På svenska",
        "languages_label": "Språk",
        "title": "Ge respons",
        "unit_label": "Enhet",
        "question": "Hur lyckades vi i dag?",
        "question_hint": "Berätta med egna ord vad som gick bra och vad vi kunde göra bättre.",
        "required": "obligatorisk",
        "optional": "frivillig",
        "text_label": "Din respons",
        "text_hint": "Högst 10 000 tecken. Skriv inte din personbeteckning här.",
        "rating_legend": "Bedömning på skalan 1–5",
        "rating_none": "Jag vill inte ge någon bedömning",
        "rating_1": "1 – Mycket dåligt",
        "rating_2": "2 – Dåligt",
        "rating_3": "3 – Någorlunda",
        "rating_4": "4 – Bra",
        "rating_5": "5 – Mycket bra",
        "role_legend": "Vem svarar?",
        "role_client": "Jag är klient",
        "role_close_one": "Jag är klientens närstående, till exempel en anhörig",
        "reply_legend": "Vill du ha svar?",
        "reply_none": "Jag behöver inget svar",
        "reply_email": "Ja, per e-post",
        "reply_post": "Ja, som brev per post",
        "email_label": "E-postadress för svaret",
        "email_hint": "Fyll i om du valde svar per e-post.",
        "address_label": "Namn och postadress för svaret",
        "address_hint": "Fyll i om du valde svar som brev. Till exempel: Maja Modig, "
                        "Gatuadress 1 A 2, 65100 Vasa.",
        "channel_label": "Responsens kanal (personal)",
        "channel_electronic": "Elektronisk (klienten fyllde i blanketten)",
        "channel_oral": "Muntlig (jag antecknar vad klienten berättade)",
        "channel_written": "Skriftlig (jag antecknar respons som getts på papper)",
        "staff_recording": "Du antecknar respons för en klients räkning: {channel}.",
        "privacy_title": "Så behandlar vi dina uppgifter",
        "privacy_text": "Vi sparar din respons, din bedömning, enheten och språket. Enhetens "
                        "chef och vid behov serviceområdets ledning läser responsen. Om du "
                        "vill ha svar sparas dina kontaktuppgifter krypterade och används "
                        "endast för att skicka svaret. Vi frågar inte efter ditt namn om du "
                        "inte vill ha svaret som brev.",
        "submit": "Skicka respons",
        "errors_title": "Rätta dessa punkter",
        "errors_count": "Blanketten har {count} punkter att rätta.",
        "error_prefix": "Fel",
        "error_text_missing": "Skriv din respons.",
        "error_text_too_long": "Responsen är för lång: högst 10 000 tecken (nu {length}).",
        "error_rating": "Välj en bedömning 1–5 eller ”Jag vill inte ge någon bedömning”.",
        "error_role": "Välj om du är klient eller klientens närstående.",
        "error_reply": "Välj om du vill ha svar och hur.",
        "error_email_missing": "Skriv den e-postadress dit svaret ska skickas.",
        "error_email_invalid": "Skriv e-postadressen i formen namn@exempel.fi.",
        "error_email_too_long": "E-postadressen är för lång.",
        "error_address_missing": "Skriv ditt namn och den postadress dit brevet ska skickas.",
        "error_address_too_long": "Adressen är för lång: högst 300 tecken.",
        "thanks_title": "Tack för din respons",
        "thanks_lead": "Vi har tagit emot din respons och skickat den vidare till enheten "
                       "{unit}.",
        "reference": "Din respons har koden",
        "reference_hint": "Uppge koden om du senare frågar om din respons.",
        "next_title": "Vad händer härnäst",
        "next_acknowledge": "Enhetens chef tar upp din respons till behandling senast "
                            "{date} (inom {days} arbetsdagar).",
        "next_reply_email": "Du får svar per e-post senast {date}.",
        "next_reply_post": "Du får svar som brev senast {date}.",
        "next_no_reply": "Du bad inte om svar. Enheten berättar offentligt vad som har gjorts "
                         "utifrån responsen.",
        "new_feedback": "Ge ny respons",
        "kiosk_reset": "Blanketten töms för nästa person om {seconds} sekunder.",
        "not_found_title": "Enheten hittades inte",
        "not_found_text": "Adressen leder inte till någon känd enhet. Kontrollera adressen på "
                          "affischen eller fråga personalen.",
        "too_large_title": "Responsen är för stor",
        "too_large_text": "Uppgifterna du skickade är större än blanketten tar emot. Korta av "
                          "responsen och skicka den igen.",
        "unavailable_title": "Responsen kunde inte skickas",
        "unavailable_text": "Tjänsten kan inte nås just nu. Din respons sparades inte. Försök "
                            "igen om en stund.",
        "too_many_title": "För många på en gång",
        "too_many_text": "Just nu har mycket respons skickats från den här enheten eller det "
                         "här nätet. Din respons har ännu inte sparats. Skicka den igen om en "
                         "stund.",
        "back_to_form": "Tillbaka till blanketten",
        "poster_scan": "Skanna koden med telefonen eller skriv adressen i webbläsaren:",
        "poster_title": "Berätta för oss",
    },
    "en": {
        "language_name": "In English",
        "languages_label": "Language",
        "title": "Give feedback",
        "unit_label": "Unit",
        "question": "How did we do today?",
        "question_hint": "Tell us in your own words what went well and what we could do "
                         "better.",
        "required": "required",
        "optional": "optional",
        "text_label": "Your feedback",
        "text_hint": "At most 10,000 characters. Do not write your personal identity code "
                     "here.",
        "rating_legend": "Rating on a scale of 1–5",
        "rating_none": "I do not want to give a rating",
        "rating_1": "1 – Very poorly",
        "rating_2": "2 – Poorly",
        "rating_3": "3 – Fairly",
        "rating_4": "4 – Well",
        "rating_5": "5 – Very well",
        "role_legend": "Who is answering?",
        "role_client": "I am the client",
        "role_close_one": "I am close to the client, for example a relative",
        "reply_legend": "Would you like a reply?",
        "reply_none": "I do not need a reply",
        "reply_email": "Yes, by e-mail",
        "reply_post": "Yes, by letter",
        "email_label": "E-mail address for the reply",
        "email_hint": "Fill in if you chose a reply by e-mail.",
        "address_label": "Name and postal address for the reply",
        "address_hint": "Fill in if you chose a reply by letter. For example: Alex Example, "
                        "Street 1 A 2, 00100 Helsinki.",
        "channel_label": "Feedback channel (staff)",
        "channel_electronic": "Electronic (the client filled in the form)",
        "channel_oral": "Oral (I record what the client told)",
        "channel_written": "Written (I record feedback given on paper)",
        "staff_recording": "You are recording feedback on a client's behalf: {channel}.",
        "privacy_title": "How we handle your information",
        "privacy_text": "We store your feedback, your rating, the unit and the language. The "
                        "unit's manager and, where needed, the service area's leadership read "
                        "the feedback. If you ask for a reply, your contact details are stored "
                        "encrypted and used only to send the reply. We do not ask your name "
                        "unless you want the reply by letter.",
        "submit": "Send feedback",
        "errors_title": "Please correct these",
        "errors_count": "The form has {count} things to correct.",
        "error_prefix": "Error",
        "error_text_missing": "Write your feedback.",
        "error_text_too_long": "The feedback is too long: at most 10,000 characters "
                               "(now {length}).",
        "error_rating": "Choose a rating 1–5 or “I do not want to give a rating”.",
        "error_role": "Choose whether you are the client or close to the client.",
        "error_reply": "Choose whether you would like a reply and how.",
        "error_email_missing": "Write the e-mail address the reply should be sent to.",
        "error_email_invalid": "Write the e-mail address as name@example.fi.",
        "error_email_too_long": "The e-mail address is too long.",
        "error_address_missing": "Write your name and the postal address for the letter.",
        "error_address_too_long": "The address is too long: at most 300 characters.",
        "thanks_title": "Thank you for your feedback",
        "thanks_lead": "We have received your feedback and passed it on to {unit}.",
        "reference": "Your feedback's reference",
        "reference_hint": "Give this reference if you ask about your feedback later.",
        "next_title": "What happens next",
        "next_acknowledge": "The unit's manager will take up your feedback by {date} "
                            "(within {days} working days).",
        "next_reply_email": "You will get a reply by e-mail by {date}.",
        "next_reply_post": "You will get a reply by letter by {date}.",
        "next_no_reply": "You did not ask for a reply. The unit reports publicly what was done "
                         "because of the feedback.",
        "new_feedback": "Give new feedback",
        "kiosk_reset": "The form is emptied for the next person in {seconds} seconds.",
        "not_found_title": "Unit not found",
        "not_found_text": "The address does not lead to a known unit. Check the address on the "
                          "poster or ask the staff.",
        "too_large_title": "The feedback is too large",
        "too_large_text": "What you sent is larger than the form accepts. Shorten the feedback "
                          "and send it again.",
        "unavailable_title": "The feedback could not be sent",
        "unavailable_text": "The service cannot be reached right now. Your feedback was not "
                            "saved. Please try again in a moment.",
        "too_many_title": "Too many at once",
        "too_many_text": "A lot of feedback has just been sent from this device or network. "
                         "Your feedback was not saved yet. Please send it again in a moment.",
        "back_to_form": "Back to the form",
        "poster_scan": "Scan the code with your phone or type the address in your browser:",
        "poster_title": "Tell us",
    },
}
