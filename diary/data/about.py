"""
"About your twitching" in the JSON export and back: `profile.about` holds every answer as
plain JSON (unanswered: null, "" or [], never "no"; the medicines and the tests done outside
EMG and blood tests stay the profile's `medicines` and `tests_done`, as in files made before).
An import fills in only the questions this diary has not answered yet ("when it began" counts
as one question), like the profile's other blank fields.
"""

from __future__ import annotations

from diary.models import Profile

# Each group is answered or not as a whole.
QUESTIONS: tuple[tuple[str, ...], ...] = (
    ("started_year", "started_month", "started_not_sure"),
    ("onset_context",),
    ("onset_note",),
    ("better_with",),
    ("weight_change",),
    ("relatives",),
    ("relatives_note",),
    ("tests_emg",),
    ("tests_blood",),
)
FIELDS = tuple(name for group in QUESTIONS for name in group)
UNANSWERED = {"started_year": None, "started_month": None, "started_not_sure": False}
FILLED_IN = "about"  # how an import's preview lists them (importer.PROFILE_WORDS)


def about_dict(profile: Profile) -> dict:
    return {name: getattr(profile, name) for name in FIELDS}


def _blank(value: object) -> bool:
    return value in (None, "", [], False)


def about_fill(profile: Profile, about: dict) -> dict:
    """The answers of a file's `profile.about` for the questions this diary leaves open."""
    fill: dict = {}
    for group in QUESTIONS:
        mine = [getattr(profile, name) for name in group]
        theirs = {name: about.get(name, UNANSWERED.get(name, "")) for name in group}
        if all(_blank(v) for v in mine) and not all(_blank(v) for v in theirs.values()):
            fill |= theirs
    return fill
