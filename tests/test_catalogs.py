"""
The message catalogs (locale/<language>/LC_MESSAGES): every language offered is translated in
full, nothing fuzzy, placeholders kept (gettext's own `msgfmt --check` reads each one), every
catalog has every message, and no translation says what Twitchlog never says, in its language.

Only the languages in settings.LANGUAGES are held to being complete: a language is offered once
its translation has landed (settings.TRANSLATED_LANGUAGES). The other checks run on every
catalog in locale/, translated or not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from diary.lib import catalogs, languages, pseudo

LOCALE = Path(settings.LOCALE_PATHS[0])
CATALOGS = sorted(catalogs.sources("django") + catalogs.sources("djangojs"))
MSGFMT = shutil.which("msgfmt")

# Words no page, message or document may use, in each language: a risk or a chance, a score, a
# diagnosis (the disclaimer aside), the disease names, the twitching "spreading" or "progressing".
# The English list is the one tests/test_wording.py holds the pages to; the others say the same.
FORBIDDEN = {
    "en": r"risks?|risky|(?:un)?likel(?:y|ihood)|probab\w*|chances?|odds|scores?|scored"
    r"|scoring|diagnos\w*|ALS|MND|motor neurone? disease|amyotrophic|sclerosis"
    r"|spread(?:s|ing)?|progress(?:ion|ive|ing)",
    "de": r"Risik\w*|riskant\w*|(?:un)?wahrscheinlich\w*|Chancen?|Punktzahl\w*|Punktwert\w*"
    r"|Scores?|Diagnos\w*|diagnostiz\w*|ALS|Motoneuron\w*|amyotroph\w*|Sklerose|Ausbreitung|ausgebreitet"
    r"|(?:aus)?breite[nt]?\s+sich|sich\s+(?:aus)?breite[nt]?|ausbreite\w*|Fortschreiten\w*"
    r"|fortschreitend\w*|Progression|progredient\w*",
    "es": r"riesgos?|arriesgad\w*|probab\w*|improbab\w*|posibilidad(?:es)?|puntuaci[oó]n\w*"
    r"|diagn[oó]stic\w*|ELA|esclerosis|amiotr[oó]fic\w*|motoneurona\w*|propaga\w*|propag[oó]"
    r"|extendi[oó]|se\s+extiende\w*|extensi[oó]n|progresi[oó]n|progresiv\w*|empeora\w*",
    "fr": r"risques?|risqu[ée]\w*|probab\w*|(?:peu\s+)?vraisemblabl\w*|chances?|scores?"
    r"|diagnost\w*|SLA|scl[ée]rose|amyotrophi\w*|motoneurone\w*|maladie\s+de\s+Charcot"
    r"|propag\w*|[ée]tend(?:re|u|ue|ent)?\b|extension|progression|progressi\w*|aggrav\w*",
    "pt-br": r"riscos?|arriscad\w*|probab\w*|improv[aá]vel|chances?|pontua[cç][aã]o\w*"
    r"|diagn[oó]stic\w*|ELA|esclerose|amiotr[oó]fic\w*|neur[oô]nio\s+motor\w*|espalh\w*"
    r"|propaga\w*|alastr\w*|progress[aã]o|progressiv\w*|piora\w*",
}
# The one place "diagnosis" belongs: a disclaimer, saying the app does not diagnose (a clinician
# does). Its messages are known by the negation or the clinician, in each language.
DISCLAIMER = {
    "en": r"\bnot\b|clinician|doctor",
    "de": r"\bnicht\b|\bkeine\b|Ärzt|Arzt",
    "es": r"\bno\b|médic|profesional",
    "fr": r"\bpas\b|médecin|clinicien|soignant",
    "pt-br": r"\bnão\b|médic|profissional",
}


def forbidden(language: str, text: str) -> list[str]:
    return re.findall(rf"\b(?:{FORBIDDEN[language]})\b", text)


def language_of(path: Path) -> str:
    return path.parent.parent.name.lower().replace("_", "-")


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def untranslated(path: Path) -> list[str]:
    """The messages of a catalog a person would see in English: empty, partly empty or fuzzy."""
    missing = []
    for message in read(path):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def test_there_is_a_catalog_of_each_language_and_domain():
    have = {(language_of(path), path.stem) for path in CATALOGS}
    want = {(code, domain) for code, _ in settings.ALL_LANGUAGES[1:] for domain in catalogs.DOMAINS}
    assert have == want


@pytest.mark.parametrize("code", languages.codes())
def test_every_language_offered_is_translated_in_full(code):
    """English is the source (no catalog); every other language offered has every message."""
    if code == "en":
        assert not (LOCALE / "en").exists()
        return
    assert code in settings.TRANSLATED_LANGUAGES or code in languages.PSEUDO
    if code in languages.PSEUDO:
        return
    for domain in catalogs.DOMAINS:
        path = LOCALE / languages.catalog_dir(code) / "LC_MESSAGES" / f"{domain}.po"
        assert untranslated(path) == [], f"{path}: not translated"


def key(message) -> tuple[str, str | None]:
    text = message.id if isinstance(message.id, str) else message.id[0]
    return text, message.context


def test_untranslated_finds_empty_partial_and_fuzzy_messages(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr "Fertig"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "Unscharf"\n\n'
        'msgid "%(count)d day"\nmsgid_plural "%(count)d days"\n'
        'msgstr[0] "%(count)d Tag"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    assert untranslated(po) == ["Empty", "Fuzzy", "%(count)d day"]


@pytest.mark.skipif(MSGFMT is None, reason="gettext is installed by scripts/install-deps")
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_msgfmt_check_accepts_the_catalog(path):
    """gettext's own reader: the header, plural forms, and every placeholder of each message."""
    result = subprocess.run(
        [MSGFMT, "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_msgfmt_check_refuses_a_lost_placeholder(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "%(count)d episodes"\nmsgstr "Episoden"\n',
        encoding="utf-8",
    )
    result = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(po)], check=False)
    assert result.returncode != 0


def test_every_catalog_has_the_same_messages():
    """`make messages` updates all of them at once: no language misses a message the others have."""
    for domain in catalogs.DOMAINS:
        ids = {
            language_of(path): {(m.id if isinstance(m.id, str) else m.id[0]) for m in read(path)}
            for path in catalogs.sources(domain)
        }
        first = next(iter(ids.values()))
        assert all(these == first for these in ids.values()), domain


def test_the_english_messages_follow_the_wording_rules():
    """Every English message: the disclaimer alone may speak of a diagnosis."""
    found = {}
    for path in catalogs.sources("django")[:1] + catalogs.sources("djangojs")[:1]:
        for message in read(path):
            for text in message.id if isinstance(message.id, tuple) else (message.id,):
                words = forbidden("en", text)
                if re.search(DISCLAIMER["en"], text, re.I):
                    words = [w for w in words if not w.lower().startswith("diagnos")]
                if words:
                    found[text] = words
    assert found == {}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_translation_follows_the_wording_rules_in_its_language(path):
    language = language_of(path)
    found = {}
    for message in read(path):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in filter(None, strings):
            words = forbidden(language, text)
            if re.search(DISCLAIMER[language], text, re.I):
                words = [w for w in words if not w.lower().startswith("diagn")]
            if words:
                found[text] = words
    assert found == {}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The twitching has spread to the left arm"),
        ("de", "Das Zucken hat sich auf den Arm ausgebreitet"),
        ("de", "Ihr Risiko ist gering"),
        ("de", "Hinweise auf ALS"),
        ("es", "Las fasciculaciones se propagaron al brazo"),
        ("es", "Riesgo bajo de ELA"),
        ("fr", "Les fasciculations se sont propagées au bras"),
        ("fr", "Aucun diagnostic de SLA"),
        ("pt-br", "Os tremores se espalharam para o braço"),
        ("pt-br", "Baixo risco de ELA"),
    ],
)
def test_the_word_lists_catch_what_they_are_for(language, text):
    assert forbidden(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Zucken in der linken Wade, vor allem abends"),
        ("es", "Contracciones en la pantorrilla izquierda, sobre todo por la noche"),
        ("fr", "Contractions au mollet gauche, surtout le soir"),
        ("pt-br", "Contrações na panturrilha esquerda, principalmente à noite"),
    ],
)
def test_the_word_lists_leave_calm_wording_alone(language, text):
    assert forbidden(language, text) == []


@pytest.mark.parametrize("domain", catalogs.DOMAINS)
def test_the_pseudo_locales_carry_every_message(domain):
    """Made from the catalogs, so a page in them shows every marked message transformed."""
    inputs = catalogs.sources(domain)
    english = {key(m) for path in inputs for m in read(path) if m.id}
    for code in languages.PSEUDO:
        made = catalogs.pseudo_catalog(code, domain, inputs)
        # One message id in two contexts ("daily check-in") is two messages.
        assert {key(m) for m in made if m.id} == english
        assert all(m.string and m.string != m.id for m in made if m.id)
    assert pseudo.accented("%(count)d episodes").startswith("[%(count)d ")


def test_the_catalogs_hold_every_message_marked_in_the_code(tmp_path):
    """
    `make messages` was run after the last change to a marked message. makemessages runs in a
    folder of links to the code, so it writes its catalogs there, never into locale/.
    """
    root = Path(settings.BASE_DIR)
    for folder in ("diary", "templates", "static"):
        (tmp_path / folder).symlink_to(root / folder)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "twitchlog.settings"}
    for domain in catalogs.DOMAINS:
        command = [sys.executable, "-m", "django", "makemessages", "-l", "de", "-d", domain]
        command += ["--no-obsolete", "--add-location", "file", "--symlinks", "-v", "0"]
        subprocess.run(
            [*command, "--ignore", "static/vendor/*"],
            cwd=tmp_path,
            env=env,
            check=True,
        )
        fresh = {key(m) for m in read(tmp_path / "locale/de/LC_MESSAGES" / f"{domain}.po") if m.id}
        kept = {key(m) for m in read(LOCALE / "de/LC_MESSAGES" / f"{domain}.po") if m.id}
        assert len(fresh) > 40, domain  # it read the code
        assert fresh - kept == set(), f"{domain}: marked but not in the catalogs (make messages)"
        assert kept - fresh == set(), f"{domain}: in the catalogs but no longer marked"
