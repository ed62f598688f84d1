"""The words of the inbox, the item page, the queue and the agenda, in Finnish, Swedish and
English. Codes' words (themes, severities, steps, outcomes) come from schemas/vocabulary.py, so
they read as in the terminal's inbox, the digest and the dashboards."""

from __future__ import annotations

from schemas.lifecycle import ActorRole, ReturnedTo

_TEXTS: dict[str, tuple[str, str, str]] = {
    # key: (fi, sv, en)
    "inbox_title": ("Saapuneet", "Inkorg", "Inbox"),
    "inbox_intro": ("Avoimet asiat: kriittiset ensin, sitten lähin määräaika. Määräajat "
                    "työpäivinä.", "Öppna ärenden: kritiska först, sedan närmaste tidsfrist. "
                    "Tidsfrister i arbetsdagar.", "Open items: critical first, then the nearest "
                    "deadline. Deadlines in working days."),
    "queue_title": ("Johdon jono", "Ledningens kö", "Leadership's queue"),
    "queue_intro": ("Palvelualueelle eskaloidut asiat ja viikkosignaalit, jotka odottavat "
                    "johdon kuittausta.", "Ärenden som överförts till serviceområdet och "
                    "veckosignaler som väntar på ledningens kvittering.", "Items escalated to "
                    "the service area and weekly signals waiting for leadership's "
                    "acknowledgement."),
    "agenda_title": ("Esityslista", "Föredragningslista", "Agenda"),
    "agenda_intro": ("Päättäjille esitetyt asiat, jotka odottavat päätöstä.",
                     "Ärenden som föredragits för beslutsfattarna och väntar på beslut.",
                     "Items presented to the decision-makers, waiting for a decision."),
    "item_title": ("Asia", "Ärende", "Item"),
    "severity": ("Vakavuus", "Allvarlighet", "Severity"),
    "received": ("Saapui", "Inkommen", "Received"),
    "item": ("Tunnus", "Ärende", "Reference"),
    "status": ("Tila", "Status", "Status"),
    "deadline": ("Seuraava määräaika", "Nästa tidsfrist", "Next deadline"),
    "themes": ("Teemat", "Teman", "Themes"),
    "stance": ("Laatu", "Karaktär", "Stance"),
    "unit": ("Yksikkö", "Enhet", "Unit"),
    "since": ("Odottanut alkaen", "Väntat sedan", "Waiting since"),
    "escalation_reason": ("Eskaloinnin syy", "Orsak till eskaleringen", "Why escalated"),
    "body": ("Toimielin", "Organ", "Body"),
    "agenda_ref": ("Esityslistan kohta", "Punkt på föredragningslistan", "Agenda reference"),
    "filters": ("Rajaa", "Avgränsa", "Filter"),
    "any": ("kaikki", "alla", "any"),
    "overdue_only": ("Vain myöhässä olevat", "Endast försenade", "Overdue only"),
    "apply": ("Näytä", "Visa", "Show"),
    "sort_by": ("Järjestä: {what}", "Sortera: {what}", "Sort by: {what}"),
    "sorted": ("järjestetty", "sorterad", "sorted"),
    "order_kiireellisyys": ("kiireellisyys", "brådska", "urgency"),
    "store_missing": ("Varastossa ei ole vielä tietoja (käsittelijä ei ole kirjoittanut sitä).",
                      "Lagret har inga uppgifter ännu (mottagaren har inte skrivit det).",
                      "The store has no data yet (the sink has not written it)."),
    "no_items": ("Ei avoimia asioita näillä rajauksilla.", "Inga öppna ärenden med dessa "
                 "avgränsningar.", "No open items with these filters."),
    "shown": ("{n} asiaa", "{n} ärenden", "{n} items"),
    "chain_intact": ("Polku on sinetöity ja ehjä: sama, joka kirjattiin.",
                     "Vägen är förseglad och intakt: densamma som registrerades.",
                     "The path is sealed and intact: the one that was recorded."),
    "chain_partly_sealed": ("Polku on osin sinetöity ja ehjä.",
                            "Vägen är delvis förseglad och intakt.",
                            "The path is partly sealed and intact."),
    "chain_unsealed": ("Polkua ei ole sinetöity (kirjattu ennen sinetöintiä); sen rivit "
                       "vastaavat tapahtumia.", "Vägen är inte förseglad (registrerad före "
                       "förseglingen); dess rader stämmer med händelserna.", "The path is not "
                       "sealed (recorded before sealing); its rows agree with the events."),
    "chain_altered": ("MUUTETTU: tämän asian historia ei ole se, joka sinetöitiin. Kerro "
                      "tietoturvasta vastaavalle (kokemusvirta verify).",
                      "ÄNDRAD: ärendets historia är inte den som förseglades. Meddela den "
                      "som ansvarar för informationssäkerheten (kokemusvirta verify).",
                      "ALTERED: this item's history is not the one that was sealed. Tell "
                      "the person responsible for security (kokemusvirta verify)."),
    "pager": ("Sivut", "Sidor", "Pages"),
    "page_of": ("Sivu {n}/{pages}: asiat {first}–{last}, yhteensä {total} asiaa",
                "Sida {n} av {pages}: ärenden {first}–{last} av totalt {total}",
                "Page {n} of {pages}: items {first}–{last} of {total} in all"),
    "previous_page": ("Edellinen sivu", "Föregående sida", "Previous page"),
    "next_page": ("Seuraava sivu", "Nästa sida", "Next page"),
    "first_page": ("Ensimmäinen sivu", "Första sidan", "First page"),
    "last_page": ("Viimeinen sivu", "Sista sidan", "Last page"),
    "ignored": ("Osoitteessa oli tuntematon arvo, jota ei käytetty: {names}.",
                "Adressen hade ett okänt värde som inte användes: {names}.",
                "The address had a value the page does not know, not used: {names}."),
    "text": ("Teksti (tunnistetiedot poistettu)", "Text (identifierande uppgifter borttagna)",
             "Text (identifying details removed)"),
    "why_labels": ("Miksi nämä luokat", "Varför dessa klasser", "Why these labels"),
    "classifier_said": ("Luokittelija:", "Klassificeraren:", "The classifier:"),
    "person_labels": ("Henkilön korjaamat luokat ovat voimassa.",
                      "En persons rättade klasser gäller.", "A person's labels count."),
    "critical_waiting": ("Kriittinen osittaisen näytön perusteella: odottaa, että henkilö "
                         "vahvistaa tai alentaa vakavuuden.", "Kritisk på delvisa belägg: "
                         "väntar på att en person bekräftar eller sänker allvarligheten.",
                         "Critical on partial evidence: waiting for a person to confirm or "
                         "down-grade the severity."),
    "triggers": ("Kriittisyyden sanat", "Ord som gjorde det kritiskt", "Words that made it "
                 "critical"),
    "path": ("Asian polku", "Ärendets väg", "The item's path"),
    "step": ("Vaihe", "Steg", "Step"),
    "who": ("Kuka", "Vem", "Who"),
    "when": ("Milloin", "När", "When"),
    "details": ("Tiedot", "Uppgifter", "Details"),
    "deadlines": ("Määräajat", "Tidsfrister", "Deadlines"),
    "no_deadline": ("Ei avointa määräaikaa.", "Ingen öppen tidsfrist.", "No open deadline."),
    "actions": ("Toimenpiteet", "Åtgärder", "Actions"),
    "no_actions": ("Roolisi ei salli toimenpiteitä tälle asialle nyt.",
                   "Din roll tillåter inga åtgärder för det här ärendet nu.",
                   "Your role allows no action on this item now."),
    "sent": ("Pyyntö lähetetty – käsittelijä tarkistaa sen.",
             "Begäran skickad – behandlaren kontrollerar den.",
             "Request sent – the handler checks it."),
    "step_seen": ("Vaihe on nyt asian polulla.", "Steget finns nu på ärendets väg.",
                  "The step is now on the item's path."),
    "form_errors": ("Lomakkeessa on virheitä: katso kentät alla.",
                    "Formuläret har fel: se fälten nedan.",
                    "The form has errors: see the fields below."),
    "not_now": ("Tätä toimenpidettä ei voi tehdä tälle asialle nyt.",
                "Den här åtgärden kan inte göras för ärendet nu.",
                "This action cannot be taken on this item now."),
    "send": ("Lähetä", "Skicka", "Send"),
    "optional": ("(vapaaehtoinen)", "(frivilligt)", "(optional)"),
    "forbidden": ("Sinulla ei ole oikeutta tähän sivuun tai asiaan.",
                  "Du har inte behörighet till den här sidan eller ärendet.",
                  "You may not see this page or item."),
    "back_to_inbox": ("Takaisin saapuneisiin", "Tillbaka till inkorgen", "Back to the inbox"),
    # the actions (buttons and headings)
    "act_acknowledged": ("Kuittaa", "Kvittera", "Acknowledge"),
    "act_escalated": ("Eskaloi palvelualueen johdolle", "Överför till serviceområdets ledning",
                      "Escalate to leadership"),
    "act_presented": ("Esitä päättäjille", "Föredra för beslutsfattarna",
                      "Present to decision-makers"),
    "act_decided": ("Päätä", "Besluta", "Decide"),
    "act_returned": ("Palauta vastaus", "Återkoppla", "Return the answer"),
    "act_closed": ("Sulje", "Stäng", "Close"),
    "act_severity_confirmed": ("Vahvista tai alenna vakavuus", "Bekräfta eller sänk "
                               "allvarligheten", "Confirm or down-grade the severity"),
    "act_relabelled": ("Korjaa luokitus", "Rätta klassificeringen", "Relabel"),
    # the fields
    "f_reason": ("Perustelu", "Motivering", "Reason"),
    "f_body": ("Toimielin (esim. aluehallitus)", "Organ (t.ex. välfärdsområdesstyrelsen)",
               "Body (e.g. the county board)"),
    "f_agenda_ref": ("Esityslistan kohta", "Punkt på föredragningslistan", "Agenda reference"),
    "f_outcome": ("Ratkaisu", "Avgörande", "Outcome"),
    "f_rationale": ("Perustelut", "Motivering", "Rationale"),
    "f_decision_ref": ("Päätöksen viite", "Beslutets referens", "Decision reference"),
    "f_returned_to": ("Kenelle", "Till vem", "To whom"),
    "f_channel": ("Kanava (esim. sähköposti, kirje)", "Kanal (t.ex. e-post, brev)",
                  "Channel (e.g. e-mail, letter)"),
    "f_no_decision_reason": ("Miksi ilman päätöstä", "Varför utan beslut",
                             "Why without a decision"),
    "f_downgraded_to": ("Alenna vakavuus (tyhjä: vahvistaa kriittisen)",
                        "Sänk allvarligheten (tomt: bekräftar kritisk)",
                        "Down-grade to (empty: confirms critical)"),
    "f_change_themes": ("Korjaa teemat", "Rätta teman", "Change the themes"),
    "f_themes": ("Teemat", "Teman", "Themes"),
    "f_stance": ("Laatu", "Karaktär", "Stance"),
    "f_severity": ("Vakavuus", "Allvarlighet", "Severity"),
    "unchanged": ("ei muutosta", "ingen ändring", "unchanged"),
    "choose": ("valitse", "välj", "choose"),
    "actor_system": ("järjestelmä", "systemet", "the system"),
    "actor_unit_manager": ("yksikön esihenkilö", "enhetens chef", "unit manager"),
    "actor_leadership": ("palvelualuejohto", "serviceområdets ledning", "leadership"),
    "actor_decision_maker": ("päättäjät", "beslutsfattarna", "decision-makers"),
    "actor_participation_coordinator": ("osallisuuskoordinaattori", "delaktighetskoordinator",
                                        "participation coordinator"),
    "rt_client": ("asiakkaalle", "till klienten", "to the client"),
    "rt_developer_client_group": ("kehittäjäasiakasryhmälle", "till utvecklarklientgruppen",
                                  "to the developer-client group"),
    "rt_expert": ("kokemusasiantuntijalle", "till erfarenhetsexperten",
                  "to the expert by experience"),
    "rt_public_digest": ("julkiseen koosteeseen (te sanoitte, me teimme)",
                         "till den offentliga sammanställningen", "to the public digest"),
}
LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}
# The message pages' texts (kokemusvirta/workplace/app.py message_page, by key).
MESSAGE_TEXTS: dict[str, dict[str, str]] = {
    "store_missing_title": {"fi": "Ei vielä tietoja", "sv": "Inga uppgifter ännu",
                            "en": "No data yet"},
    "store_missing_text": {
        "fi": "Varastossa ei ole vielä tietoja: käsittelijä (sink) ei ole kirjoittanut sitä.",
        "sv": "Lagret har inga uppgifter ännu: mottagaren (sink) har inte skrivit det.",
        "en": "The store has no data yet: the sink has not written it."},
}
assert all(f"rt_{r.value}" in _TEXTS for r in ReturnedTo)
assert all(f"actor_{r.value}" in _TEXTS for r in ActorRole)


def words(lang: str) -> dict[str, str]:
    """All the words in one language, for a template (`w.inbox_title`)."""
    i = LANG_INDEX.get(lang, 0)
    return {key: texts[i] for key, texts in _TEXTS.items()}
