"""{% translate %} with its output kept (diary/templatetags/kept_translations.py): what Django's
own tag gives, in every form, each language its own; anything but a fixed message left alone."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.test import override_settings
from django.utils import translation

from diary.templatetags.kept_translations import KeptTranslateNode

CASES = [
    '{% translate "Body sites" %}',
    '{% trans "Body sites" %}',
    '{% translate "Trends" context "navigation tab" %}',
    '{% translate "Body sites" noop %}',
    '{% translate "Choose any." as hint %}[{{ hint }}]{{ hint }}',
    '{% translate "A & B <i>" %}',  # escaped as Django escapes it
    '{% translate "100%% sure" %}',  # a doubled percent sign made single
    '{% autoescape off %}{% translate "A & B <i>" %}{% endautoescape %}',
    "{% translate message %}",
    '{% translate "Body sites"|upper %}',
    '{% translate "Trends" context tab %}',
]
CONTEXT = {"message": "Body sites", "tab": "navigation tab"}


def django_engine() -> Engine:
    """An engine with Django's i18n tags only: the output ours must equal."""
    return Engine(builtins=["django.templatetags.i18n"])


@pytest.mark.parametrize("language", ["en", "de", "fr", "en-xa", "ar-xb"])
@pytest.mark.parametrize("source", CASES)
def test_the_same_output_as_djangos_tag_in_every_language(source, language):
    ours = engines["django"].from_string(source)
    with translation.override(language):
        expected = django_engine().from_string(source).render(Context(CONTEXT))
        # Twice: worked out, then kept.
        assert ours.render(CONTEXT) == expected
        assert ours.render(CONTEXT) == expected


def test_languages_kept_apart():
    template = engines["django"].from_string('{% translate "Body sites" %}')
    with translation.override("de"):
        assert template.render({}) == "Körperstellen"
    with translation.override("en"):
        assert template.render({}) == "Body sites"
    with translation.override("de"):
        assert template.render({}) == "Körperstellen"


def test_only_fixed_messages_are_kept():
    def node(source):
        return engines["django"].from_string(source).template.nodelist[0]

    assert isinstance(node('{% translate "Body sites" %}'), KeptTranslateNode)
    assert isinstance(node('{% translate "Trends" context "navigation tab" %}'), KeptTranslateNode)
    for source in CASES[-3:]:
        assert type(node(source)) is TranslateNode


def test_a_new_place_for_translations_is_read_again(tmp_path):
    template = engines["django"].from_string('{% translate "Body sites" %}')
    with translation.override("de"):
        assert template.render({}) == "Körperstellen"
        with override_settings(LOCALE_PATHS=[tmp_path]):  # no catalogue there
            assert template.render({}) == "Body sites"
