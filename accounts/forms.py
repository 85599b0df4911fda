import re

from allauth.account.forms import LoginForm
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.webauthn import forms as webauthn_forms
from django import forms


class SignInForm(LoginForm):
    """Username and password; the error never says whether the username exists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username"
        login.widget.attrs.pop("placeholder", None)
        login.error_messages["required"] = "Enter your username."
        password = self.fields["password"]
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)
        password.error_messages["required"] = "Enter your password."


class SecondFactorForm(AuthenticateForm):
    """The code from an authenticator app, or a recovery code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "Code from your authenticator app, or a recovery code"
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})
        code.error_messages["required"] = "Enter the code from your authenticator app."


# allauth parses the browser's WebAuthn answer with fido2, which raises KeyError
# (and the like) on a malformed one: a 500. Here it is the same clear error as a
# wrong key.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _refuse_malformed(clean):
    def wrapped(self, *args, **kwargs):
        try:
            return clean(self, *args, **kwargs)
        except MALFORMED as exc:
            raise get_adapter().validation_error("incorrect_code") from exc

    return wrapped


class SecurityKeyForm(webauthn_forms.AuthenticateWebAuthnForm):
    clean_credential = _refuse_malformed(webauthn_forms.AuthenticateWebAuthnForm.clean_credential)


class PasskeySignInForm(webauthn_forms.LoginWebAuthnForm):
    clean_credential = _refuse_malformed(webauthn_forms.LoginWebAuthnForm.clean_credential)


class SecurityKeyConfirmForm(webauthn_forms.ReauthenticateWebAuthnForm):
    clean_credential = _refuse_malformed(webauthn_forms.ReauthenticateWebAuthnForm.clean_credential)


class AddSecurityKeyForm(webauthn_forms.AddWebAuthnForm):
    clean = _refuse_malformed(webauthn_forms.AddWebAuthnForm.clean)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name for this key"
        self.fields["name"].help_text = 'For example, "Work laptop" or "Blue USB key".'
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = "Also use it to sign in without a password"
            self.fields[
                "passwordless"
            ].help_text = "Your device will then ask for your fingerprint, face or PIN each time."


class PhoneForm(forms.Form):
    """A user's own work phone, shown to their supervisors when a lone-working
    check-in is overdue."""

    phone = forms.CharField(
        label="Work phone",
        max_length=20,
        required=False,
        help_text="A mobile you carry on visits, like 07700 900 982. Leave empty to remove it.",
    )

    def clean_phone(self):
        value = " ".join(self.cleaned_data["phone"].split())
        digits = value.replace(" ", "")
        if digits and not re.fullmatch(r"\+?[0-9]{10,14}", digits):
            raise forms.ValidationError(
                "Enter a phone number, like 07700 900 982 or +44 7700 900 982.",
                code="invalid_phone",
            )
        return value
