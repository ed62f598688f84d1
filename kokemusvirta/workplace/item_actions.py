"""Which steps a signed-in person may ask for on an item now, and the forms that ask. Pure.

"Now" is judged as the worker judges it: the item's history (the store's, which may lag a few
seconds) is replayed through the lifecycle state machine (streams/lifecycle.py), and a probe
of each step is put to the guard's scope rule (streams/guard.py `authorise`) and to the state
machine. A step either refuses is not offered; the worker stays the authority, so a form the
store's lag let through is refused there (a dead letter), never the other way round.

A form's fields are checked here, before anything is published, so that a person reads what
is wrong next to the field (`validate`): the same limits as the contract (schemas/lifecycle.py),
in Finnish, Swedish and English. The fields come out as `WebActor.publish_step` takes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from managers.requests import REQUEST_EVENTS
from schemas.access import Requester
from schemas.lifecycle import LifecycleEvent, Outcome, ReturnedTo
from schemas.taxonomy import Severity, Stance, Theme
from streams.guard import authorise
from streams.lifecycle import IllegalTransition, ItemState, Stage, apply

# The order the item page offers them in: the handling, then a person's word on the labels.
ACTIONS: tuple[str, ...] = ("acknowledged", "escalated", "presented", "decided", "returned",
                            "closed", "severity_confirmed", "relabelled")

# A probe's fields: valid placeholders, so that only the role, scope and stage decide.
_PROBE_FIELDS: dict[str, dict[str, Any]] = {
    "acknowledged": {}, "escalated": {}, "closed": {},
    "presented": {"body": "x", "agenda_ref": "x"},
    "decided": {"outcome": Outcome.ADOPTED, "rationale": "x"},
    "returned": {"returned_to": ReturnedTo.CLIENT, "channel": "x", "no_decision_reason": "x"},
    "severity_confirmed": {"reason": "x"},
    "relabelled": {"reason": "x", "stance": Stance.PRAISE},
}

# Field errors a person can cause, in the languages of the staff's pages.
ERRORS: dict[str, dict[str, str]] = {
    "required": {"fi": "Täytä tämä kenttä.", "sv": "Fyll i det här fältet.",
                 "en": "Fill in this field."},
    "too_long": {"fi": "Enintään {n} merkkiä.", "sv": "Högst {n} tecken.",
                 "en": "At most {n} characters."},
    "choice": {"fi": "Valitse jokin vaihtoehdoista.", "sv": "Välj ett av alternativen.",
               "en": "Choose one of the options."},
    "no_label": {"fi": "Muuta vähintään yhtä: teemat, laatu tai vakavuus.",
                 "sv": "Ändra minst en: teman, karaktär eller allvarlighet.",
                 "en": "Change at least one: themes, stance or severity."},
    "not_critical": {"fi": "Alenna kriittistä lievemmäksi tai jätä tyhjäksi (vahvistaa).",
                     "sv": "Sänk till lägre än kritisk eller lämna tomt (bekräftar).",
                     "en": "Down-grade to below critical, or leave empty (confirms)."},
}


@dataclass(frozen=True)
class Checked:
    """A form's outcome: the fields to publish, or what is wrong with each field."""

    fields: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def guard_state(history: Sequence[LifecycleEvent]) -> ItemState | None:
    """The guard's state of the item after its history; None when the history does not replay
    (cut short, or not one the rules accept): nothing is offered then, the worker decides."""
    state: ItemState | None = None
    try:
        for event in history:
            state = apply(state, event)
    except IllegalTransition:
        return None
    return state


def _probe(step: str, state: ItemState, requester: Requester, now: datetime) -> LifecycleEvent:
    at = max(now, state.last_occurred_at)
    return REQUEST_EVENTS[step](
        event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county=state.county,
        unit=state.unit, item_id=state.item_id, actor_role=requester.actor_role,
        **_PROBE_FIELDS[step])


def allowed_now(history: Sequence[LifecycleEvent], requester: Requester | None,
                now: datetime | None = None) -> tuple[str, ...]:
    """The steps `requester` may ask for on the item now, in the order of ACTIONS; () for a
    person who may not act (auditor, analyst: no requester) or an item whose history does not
    replay."""
    if requester is None:
        return ()
    state = guard_state(history)
    if state is None:
        return ()
    now = now or datetime.now(UTC)
    out = []
    for step in ACTIONS:
        probe = _probe(step, state, requester, now)
        if authorise(requester, probe, state) is not None:
            continue
        try:
            apply(state, probe)
        except IllegalTransition:
            continue
        out.append(step)
    return tuple(out)


def decided(history: Sequence[LifecycleEvent]) -> bool:
    """Whether the item has a decision (a return without one must say why)."""
    state = guard_state(history)
    return bool(state and state.stage >= Stage.DECIDED and state.decided)


def _text(form: Mapping[str, str], name: str, limit: int, errors: dict[str, str], lang: str,
          required: bool = True) -> str | None:
    value = " ".join((form.get(name) or "").split()) if name != "rationale" else \
        (form.get(name) or "").strip()
    if not value:
        if required:
            errors[name] = ERRORS["required"][lang]
        return None
    if len(value) > limit:
        errors[name] = ERRORS["too_long"][lang].format(n=limit)
        return None
    return value


def _choice(form: Mapping[str, str], name: str, codes: Sequence[str], errors: dict[str, str],
            lang: str, required: bool = True) -> str | None:
    value = (form.get(name) or "").strip()
    if not value:
        if required:
            errors[name] = ERRORS["choice"][lang]
        return None
    if value not in codes:
        errors[name] = ERRORS["choice"][lang]
        return None
    return value


def validate(step: str, form: Mapping[str, str], lang: str, *, has_decision: bool = True,
             themes: Sequence[str] = ()) -> Checked:
    """The fields of a step's form, or each field's error in `lang`. `form` maps a field to its
    text (`themes` holds the ticked theme codes of a relabelling, a multi-valued field)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if step == "escalated":
        reason = _text(form, "reason", 1_000, errors, lang, required=False)
        if reason:
            out["reason"] = reason
    elif step == "presented":
        out["body"] = _text(form, "body", 200, errors, lang)
        out["agenda_ref"] = _text(form, "agenda_ref", 200, errors, lang)
    elif step == "decided":
        out["outcome"] = _choice(form, "outcome", [o.value for o in Outcome], errors, lang)
        out["rationale"] = _text(form, "rationale", 2_000, errors, lang)
        ref = _text(form, "decision_ref", 200, errors, lang, required=False)
        if ref:
            out["decision_ref"] = ref
    elif step == "returned":
        out["returned_to"] = _choice(form, "returned_to", [r.value for r in ReturnedTo],
                                     errors, lang)
        out["channel"] = _text(form, "channel", 100, errors, lang)
        reason = _text(form, "no_decision_reason", 1_000, errors, lang,
                       required=not has_decision)
        if reason:
            out["no_decision_reason"] = reason
    elif step == "severity_confirmed":
        lower = _choice(form, "downgraded_to", [s.value for s in Severity], errors, lang,
                        required=False)
        if lower == Severity.CRITICAL.value:
            errors["downgraded_to"] = ERRORS["not_critical"][lang]
        elif lower:
            out["downgraded_to"] = lower
        out["reason"] = _text(form, "reason", 1_000, errors, lang)
    elif step == "relabelled":
        _relabel(form, themes, errors, out, lang)
    elif step not in ("acknowledged", "closed"):
        raise ValueError(f"no form for step {step!r}")
    if errors:
        return Checked(errors=errors)
    return Checked(fields=out)


def _relabel(form: Mapping[str, str], themes: Sequence[str], errors: dict[str, str],
             out: dict[str, Any], lang: str) -> None:
    """Themes count as relabelled only when "change themes" is ticked (none ticked then means
    no theme at all); stance and severity when one is chosen."""
    if form.get("change_themes"):
        known = {t.value for t in Theme}
        if any(t not in known for t in themes) or len(set(themes)) != len(themes):
            errors["themes"] = ERRORS["choice"][lang]
        else:
            out["themes"] = [t for t in (th.value for th in Theme) if t in themes]
    stance = _choice(form, "stance", [s.value for s in Stance], errors, lang, required=False)
    severity = _choice(form, "severity", [s.value for s in Severity], errors, lang,
                       required=False)
    if stance:
        out["stance"] = stance
    if severity:
        out["severity"] = severity
    if not errors and not out:
        errors["change_themes"] = ERRORS["no_label"][lang]
    out["reason"] = _text(form, "reason", 1_000, errors, lang)
