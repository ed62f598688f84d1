"""Northern Sámi (davvisámegiella) text cores: a handful of plain sentences, mostly about service
language. Format in __init__.py.
"""

from __future__ import annotations

CORES_SE: dict[str, dict[str, tuple[str, ...]]] = {
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
}
