from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm


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
