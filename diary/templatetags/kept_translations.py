"""
{% translate "…" %} with its output kept: a builtin after Django's i18n, so every template's
`translate` (and `trans`) is this one.

A page says a hundred fixed things ("Body sites", "Week of", …), and Django's tag works each
one out again on every render (the variable resolved, the catalogue looked up, the text
escaped): about 7 µs a tag, a tenth of the Trends page. A tag whose message and context are
plain strings, without filters, gives the same text every time for one language and
autoescape setting, so its output is worked out once per process for each. Any other use
(`{% translate variable %}`, a filter, a context from a variable) is Django's node as it is.

The kept outputs are forgotten when the languages or the translation files' place change (as
Django forgets its catalogues then): tests that override them see their own.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Node, Variable
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils import translation

register = template.Library()

# (message, context, noop, language, autoescape) -> the tag's output. Bounded by the templates'
# fixed messages times the languages: a few thousand short strings.
_outputs: dict[tuple, str] = {}


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _outputs.clear()


def _literal(expression) -> str | None:
    """The plain string of a filter expression without filters, else None."""
    if expression is None or expression.filters:
        return None
    var = expression.var  # a quoted string arrives resolved, or as a Variable of one
    literal = var.literal if isinstance(var, Variable) else var
    return literal if isinstance(literal, str) else None


class KeptTranslateNode(Node):
    """Django's TranslateNode for a fixed message: rendered once per language and escaping."""

    child_nodelists = ()

    def __init__(self, node: TranslateNode, message: str, message_context: str | None) -> None:
        # Django's node works the output out; `as name` is this node's to do.
        self.node, self.asvar, node.asvar = node, node.asvar, None
        self.key = (message, message_context, node.noop)

    def render(self, context) -> str:
        key = (*self.key, translation.get_language(), context.autoescape)
        try:
            value = _outputs[key]
        except KeyError:
            value = _outputs[key] = self.node.render(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def translate(parser, token) -> Node:
    node = do_translate(parser, token)
    message = _literal(node.filter_expression)
    message_context = _literal(node.message_context)
    if message is None or (node.message_context is not None and message_context is None):
        return node
    return KeptTranslateNode(node, message, message_context)
