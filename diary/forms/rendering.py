"""
How every form's fields name their messages: one place for the ids a screen reader follows.

A field's error messages sit in `<auto_id>-errors` and its hint in `<auto_id>-hint`; the field
(or its fieldset) points `aria-describedby` at both while they are shown. Templates use
`field.errors_id`, `field.hint_id` and `field.aria_describedby` rather than spelling an id, and
Django's widgets take the same `aria_describedby` when they render themselves. The renderer
below (settings.FORM_RENDERER) gives every form these bound fields.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates


class BoundField(forms.BoundField):
    @property
    def errors_id(self) -> str:
        return f"{self.auto_id}-errors" if self.auto_id else ""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint" if self.auto_id else ""

    @property
    def aria_describedby(self) -> str:
        """
        The hint (when the field has one), the errors (while there are any), after any
        description the widget names itself. Django's own version would point at ids of its
        own spelling (`_helptext`, `_error`) and drop the errors when the widget names one.
        """
        ids = self.field.widget.attrs.get("aria-describedby", "").split()
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.errors_id)
        return " ".join(ids)


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField
