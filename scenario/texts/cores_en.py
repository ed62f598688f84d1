"""English text cores per theme and key (stance or complaint severity); format in __init__.py."""

from __future__ import annotations

CORES_EN: dict[str, dict[str, tuple[str, ...]]] = {
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
}
