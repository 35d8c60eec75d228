"""The code fields of two-step login: the first code when setting up, and the one at login."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice

from diary.lib.form_wording import PlainMessagesMixin
from diary.twostep import devices


def code_field(label, *, numeric: bool, autofocus: bool = False) -> forms.CharField:
    attrs = {
        "autocomplete": "one-time-code",
        "autocapitalize": "none",
        "spellcheck": "false",
        "enterkeyhint": "done",
        "class": "code-input",
    }
    if numeric:
        attrs |= {"inputmode": "numeric", "pattern": "[0-9 ]*"}
    if autofocus:
        attrs["autofocus"] = True
    return forms.CharField(
        label=label,
        max_length=20,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": gettext_lazy("Please type the code.")},
    )


class SetupCodeForm(PlainMessagesMixin, forms.Form):
    """The first code from the app proves it holds the secret; only then is the step on."""

    code = code_field(gettext_lazy("The 6-digit code your app shows"), numeric=True)

    def __init__(self, *args, device, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = devices.normalise(self.cleaned_data["code"])
        if devices.kind_of(code) != "app":
            raise ValidationError(_("Type the 6 digits your authenticator app shows, e.g. 123456."))
        error = devices.check(self.device, code, devices.WRONG_APP)
        if error:
            raise ValidationError(error)
        return code


class LoginCodeForm(PlainMessagesMixin, forms.Form):
    """The second step of logging in: a code from the app, or a recovery code (used up)."""

    code = code_field(
        gettext_lazy("The 6-digit code from your authenticator app"), numeric=True, autofocus=True
    )

    def __init__(self, *args, user, recovery: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None
        self.missed = False  # a code was checked and did not match (a failed login)
        if recovery:
            self.fields["code"] = code_field(
                _("One of your recovery codes"), numeric=False, autofocus=True
            )

    def clean_code(self) -> str:
        code = devices.normalise(self.cleaned_data["code"])
        self.device, error = devices.check_login_code(self.user, code)
        if self.device is None:
            self.missed = error in (str(devices.WRONG_APP), str(devices.WRONG_RECOVERY))
            raise ValidationError(error)
        return code

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)
