from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Sign-in form whose error never says whether the username exists."""

    error_messages = {
        "invalid_login": (
            "The username or password is not right. Check both and try again "
            "(the password is case-sensitive)."
        ),
        "inactive": (
            "The username or password is not right. Check both and try again "
            "(the password is case-sensitive)."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."
