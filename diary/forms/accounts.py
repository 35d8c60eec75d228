"""
Account forms: sign-up (username, password, optional e-mail and name, the time zone preset
from the browser, the language the page is in), the profile in Settings (name, time zone and
language) with the pickers they share, the password asked again before a step that changes
the account (deleting it, two-step login), the password-reset request whose mail goes out
after the response (in the page's language), and Django's login and new-password forms in
our wording.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from diary.forms.fields import LanguageChoiceField
from diary.lib import languages
from diary.lib.deferred import after_response
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.once import save_once
from diary.lib.throttle import too_many
from diary.models import Profile, available_timezones, validate_timezone
from diary.models.accounts import accounts_with_email


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "choices", lambda: [(z, z.replace("_", " ")) for z in sorted(available_timezones())]
        )
        kwargs.setdefault("validators", [validate_timezone])
        super().__init__(**kwargs)


LANGUAGE_HELP = _(
    "Pages, messages and your doctor summary are in this language. The Report page can make "
    "the summary in another one, for a doctor who reads it."
)


class ProfileForm(PlainMessagesMixin, forms.ModelForm):
    timezone = TimezoneField(
        label=_("Time zone"), help_text=_("Times and days are shown in this zone.")
    )
    # Not sent (a page from before languages): the language stays as it is.
    language = LanguageChoiceField(label=_("Language"), help_text=LANGUAGE_HELP, required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "timezone", "language"]
        labels = {"display_name": _("Display name")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not languages.supported(self.instance.language):
            # Not chosen yet (an account from before languages): the one this page is in.
            self.initial["language"] = languages.current()

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.instance.language


PASSWORD_RULES = _(
    "At least 8 characters. Not a common password, not only digits, and not close to your "
    "username. A few words strung together are easy to remember and hard to guess."
)


EMAIL_TAKEN = _(
    "Another account uses this address. Log in to that one (Forgot your password? lets you "
    "reset it), or leave the address empty."
)


class SignUpForm(PlainMessagesMixin, UserCreationForm):
    """
    A username and password; optional e-mail (for password reset) and name (for the report);
    the time zone comes preset from the browser.
    """

    display_name = forms.CharField(
        label=_("Your name for the report (optional)"),
        required=False,
        max_length=80,
        help_text=_("Printed on your doctor summary. You can change it later in Settings."),
    )
    timezone = TimezoneField(
        label=_("Time zone"),
        initial="UTC",
        help_text=_("Preset from this device. Days and weeks in your diary follow this zone."),
        widget=forms.Select(attrs={"data-autodetect-timezone": ""}),
    )
    language = LanguageChoiceField(
        label=_("Language"),
        help_text=_("Twitchlog speaks it from now on. You can change it later in Settings."),
        required=False,  # not sent: the language the page was in
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]
        labels = {"email": _("E-mail (optional)")}
        help_texts = {
            "username": _("You log in with it. Letters, digits and @ . + - _ only."),
            "email": _("Only used to reset a forgotten password. Leave it empty if you like."),
        }

        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    field_order = [
        "username",
        "password1",
        "password2",
        "email",
        "display_name",
        "timezone",
        "language",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = PASSWORD_RULES
        self.fields["password2"].help_text = _("The same password again, to be sure of it.")
        # Preset to the language this page is in: the browser's, or the one picked below it.
        self.fields["language"].initial = languages.current()

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "")
        if email and accounts_with_email(email).exists():
            raise ValidationError(EMAIL_TAKEN)
        return email

    def taken(self) -> tuple[str, str]:
        """The field and message for a save that lost a race: the e-mail, else the username."""
        email = self.cleaned_data.get("email", "")
        if email and accounts_with_email(email).exists():
            return "email", EMAIL_TAKEN
        return "username", _("That one is already taken. Please choose another.")

    def validate_password_for_user(self, user, **kwargs) -> None:
        # Next to the field the password was typed in, not under the confirmation.
        super().validate_password_for_user(user, password_field_name="password1")

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            # Replace the profile cached on `user` by the post_save signal (still on UTC).
            user.profile, _ = Profile.objects.update_or_create(
                user=user,
                defaults={
                    "timezone": self.cleaned_data["timezone"],
                    "display_name": self.cleaned_data["display_name"].strip(),
                    "language": self.cleaned_data["language"] or languages.current(),
                },
            )
        return user

    def save_once(self):
        """The new user, or None if a concurrent request took the username a moment ago."""
        return save_once(self.save, lambda: None)


class CurrentPasswordForm(PlainMessagesMixin, forms.Form):
    """The person's password asked again before a step that changes their account."""

    required_message = _("Please enter your password.")
    wrong_message = _("That is not your password. Nothing was changed.")

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].error_messages["required"] = self.required_message

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(self.wrong_message)
        return password


class DeleteAccountForm(CurrentPasswordForm):
    required_message = _("Enter your password to delete the account.")
    wrong_message = _("That is not your password. Nothing was deleted.")


class DeferredPasswordResetForm(PlainMessagesMixin, PasswordResetForm):
    """
    Finds the account, renders and sends the mail after the response (diary/lib/deferred.py), so
    the reply takes the same time whether an account has the address or not; at most
    RATE_PASSWORD_RESET_EMAIL mails an hour to one address, silently.
    """

    def get_users(self, email: str):
        """
        The one account this address belongs to. Where an older database still has an address
        on several accounts, only the most recently active one (see diary/models/accounts.py).
        """
        users = list(super().get_users(email))
        for user in accounts_with_email(email):
            if user in users:
                return [user]
        return []

    def save(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        rate = settings.RATE_PASSWORD_RESET_EMAIL
        if request is not None and too_many(request, "password-reset-email", rate, per_email=True):
            return
        send = super().save
        after_response(lambda: send(*args, request=request, **kwargs))


def could_be_a_username(username: str) -> bool:
    """Whether `username` fits an account's name: no NUL, no longer than the column."""
    User = get_user_model()
    return "\x00" not in username and len(username) <= User._meta.get_field("username").max_length


class LoginForm(PlainMessagesMixin, AuthenticationForm):
    """
    Django's login form, in our wording. A name no account can have is a wrong name: it never
    reaches the authentication backends, whose lockout table would fail to record it
    (PostgreSQL refuses NUL, and names longer than its column).
    """

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if not could_be_a_username(username):
            raise self.get_invalid_login_error()
        return username


class NewPasswordForm(PlainMessagesMixin, SetPasswordForm):
    """The new password from a reset mail's link, in our wording."""


class ChangePasswordForm(PlainMessagesMixin, PasswordChangeForm):
    """Changing the password in Settings, in our wording."""
