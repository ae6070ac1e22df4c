"""Why the program works: the article's seven causes of leg cramps and its two prevention measures, in coach's own
words, and what each routine does about them. Shown by `coach why` and the app's Why screen."""

from __future__ import annotations

from msgspec import Struct


class Cause(Struct, frozen=True):
    """One cause from the article, with a short key used by the cramp diary's "what may have set it off"."""

    key: str
    title: str
    text: str
    advice: str


CAUSES: tuple[Cause, ...] = (
    Cause(
        "cold",
        "Cold",
        "Muscles that get cold can seize up: exercising in the cold without warming up, swimming in cold water, "
        "or sleeping with the legs uncovered.",
        "Keep your legs warm at night, and warm up before exercise in the cold. The bedtime foot soak warms the "
        "feet and calves before you sleep.",
    ),
    Cause(
        "effort",
        "Hard or sustained effort",
        "Muscles worked hard and fast without enough time to relax build up waste products and stop coordinating "
        "contraction and relaxation.",
        "Give muscles time to relax between efforts. The rests between heel raises are part of the exercise.",
    ),
    Cause(
        "sweating",
        "Heavy sweating without replacing salts",
        "Long or intense exercise with heavy sweating loses fluid and salts, and the muscles' blood supply suffers.",
        "Drink, and replace salts, during and after long or sweaty exercise.",
    ),
    Cause(
        "fatigue",
        "Fatigue",
        "On long walks, hikes or climbs each step lifts the whole body on one calf; tired calves cramp.",
        "Rest tired legs; the toe exercises build calf strength over weeks.",
    ),
    Cause(
        "calcium",
        "Low calcium",
        "Calcium takes part in every muscle contraction; with too little in the blood, muscles are easily set off "
        "(notably in teenagers growing fast).",
        "Eat calcium-rich food; ask a doctor before taking supplements.",
    ),
    Cause(
        "posture",
        "Sleeping posture",
        "Lying for long with the blankets pressing the feet down, or face-down with the feet pressed into the bed, "
        "keeps the calf muscles shortened.",
        "Keep the blankets loose over your feet, and avoid lying with your feet pointed for long.",
    ),
    Cause(
        "vessels",
        "Blood vessel disease",
        "Cramps that come often may be linked to a problem with the blood vessels.",
        "Frequent cramps deserve a visit to a doctor.",
    ),
)

MEASURES: tuple[tuple[str, str], ...] = (
    (
        "Toe exercises, morning and evening",
        "Shoes off, standing and holding something stable, rise onto your toes and hold for 10 seconds, lower, rest "
        "a few seconds, and repeat for 10 to 15 minutes; add ankle rotations. It gets the blood moving, warms the "
        "skin, strengthens the calves and eases their spasms. coach's routine: toe-exercises.",
    ),
    (
        "A foot soak at bedtime",
        "Feet in warm water, about 40 °C, up to the ankles, for 15 to 20 minutes, adding hot water as it cools. It "
        "helps circulation in the feet and relaxes the muscles before sleep. coach's routine: foot-soak.",
    ),
)

CAUSE_KEYS: tuple[str, ...] = tuple(cause.key for cause in CAUSES) + ("unknown",)


def cause(key: str) -> Cause | None:
    """The cause with this key, or None (for "unknown")."""
    return next((item for item in CAUSES if item.key == key), None)
