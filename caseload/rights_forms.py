"""Forms for the person's data rights: subject access, legal holds and erasure."""

from django import forms
from django.utils import timezone

from core.forms import VersionAndTokenMixin

from .forms import DATE_WIDGET
from .models import LegalBasis, LegalHoldChange, SubjectAccessRequest

SHOW_NAMES = "show"
PSEUDONYMISE = "pseudonymise"


class AccessRequestForm(VersionAndTokenMixin, forms.ModelForm):
    class Meta:
        model = SubjectAccessRequest
        fields = ["received_on", "requested_by", "identity_check"]
        widgets = {
            "received_on": DATE_WIDGET,
            "identity_check": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "received_on": {
                "required": "Enter the date the request was received.",
                "invalid": "Enter a real date, for example 26 November 2026.",
            },
            "requested_by": {"required": "Enter who asked for the copy."},
            "identity_check": {"required": "Enter how you checked their identity."},
        }

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past.")
        return value


class PrepareCopyForm(forms.Form):
    names = forms.ChoiceField(
        label="Other people in the network map",
        choices=[
            (PSEUDONYMISE, "Pseudonymise them (for example “Friend 1”)"),
            (SHOW_NAMES, "Show their names"),
        ],
        initial=PSEUDONYMISE,
        widget=forms.RadioSelect,
        help_text="Names are pseudonymised unless you decide, with a reason, to show them.",
    )
    reason = forms.CharField(
        label="Why their names are shown",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when showing names, for example: each person named agreed.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("names") == SHOW_NAMES and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why other people's names are shown in this copy.")
        return cleaned

    @property
    def show_names(self):
        return self.cleaned_data.get("names") == SHOW_NAMES


class AnsweredForm(forms.Form):
    answered_on = forms.DateField(
        label="Date the copy was sent",
        widget=DATE_WIDGET,
        error_messages={
            "required": "Enter the date the copy was sent.",
            "invalid": "Enter a real date, for example 26 November 2026.",
        },
    )

    def __init__(self, *args, access_request, **kwargs):
        self.access_request = access_request
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("answered_on", timezone.localdate())

    def clean_answered_on(self):
        value = self.cleaned_data["answered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date sent must be today or in the past.")
        received = self.access_request.received_on
        if value < received:
            raise forms.ValidationError(
                f"The date sent must be on or after the date received, {received:%-d %B %Y}."
            )
        return value


class LegalHoldForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the hold is for",
        choices=LegalHoldChange.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the hold is for."},
    )
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why."},
    )

    def __init__(self, *args, clearing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.clearing = clearing
        if clearing:
            del self.fields["kind"]
            self.fields["reason"].label = "Why the hold can be cleared"
            self.fields["reason"].error_messages["required"] = "Enter why the hold can be cleared."
        else:
            self.fields["reason"].label = "Why the record must not be destroyed"
            self.fields["reason"].error_messages["required"] = (
                "Enter why the record must not be destroyed."
            )


class ErasureRequestForm(VersionAndTokenMixin, forms.Form):
    legal_basis = forms.ChoiceField(
        label="Legal basis for erasure",
        choices=[(value, text) for value, text in LegalBasis.choices if value != "retention"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis for erasure."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who asked, what was decided and why. The reason stays after the record is "
        "erased, so do not include details from the record.",
        error_messages={"required": "Enter the reason for erasure."},
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the erasure"), ("refuse", "Refuse it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the erasure."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when refusing: say why.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter why you are refusing the erasure.")
        return cleaned

    @property
    def approve(self):
        return self.cleaned_data.get("decision") == "approve"


class ErasureConfirmForm(forms.Form):
    reference = forms.CharField(
        label="Type the record's reference to confirm",
        max_length=40,
        error_messages={"required": "Type the record's reference to confirm the erasure."},
    )

    def __init__(self, *args, expected, **kwargs):
        self.expected = expected
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = f"The reference is {expected}."

    def clean_reference(self):
        value = self.cleaned_data["reference"].strip()
        if value.casefold() != self.expected.casefold():
            raise forms.ValidationError(
                f"The reference you typed does not match. Type {self.expected} exactly."
            )
        return value
