"""Forms for community links. Forms validate; :mod:`community.services` acts."""

import uuid

from django import forms
from django.utils import timezone

from core.forms import VersionAndTokenMixin
from toolkit.models import Organization, Service

from .models import CommunityLink, LinkKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a real date, for example 26 November 2026."}


LINK_FIELDS = [
    "name",
    "service_name",
    "kind",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "last_contact_on",
    "next_contact_on",
    "notes",
]


class LinkForm(forms.ModelForm):
    """The fields of a link a team keeps up to date. When the link is to a directory
    entry the names come from the directory, so those fields are left out."""

    class Meta:
        model = CommunityLink
        fields = LINK_FIELDS
        labels = {
            "name": "Organisation name",
            "service_name": "Service or activity (optional)",
            "contact_name": "Contact person (optional)",
            "contact_role": "Their role (optional)",
            "contact_email": "Email (optional)",
            "contact_phone": "Telephone (optional)",
            "last_contact_on": "Last contact (optional)",
            "next_contact_on": "Next planned contact (optional)",
            "notes": "Notes (optional)",
        }
        help_texts = {
            "kind": "How the team works with them.",
            "contact_name": "Your contact at the organisation. Do not record anyone you support.",
            "last_contact_on": "When someone in the team was last in touch with them. "
            "Links with no contact for 6 months are flagged.",
            "notes": "What you do together and anything a colleague should know. "
            "No details of people you support.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "service_name": forms.TextInput(),
            "kind": forms.Select,
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "last_contact_on": DATE_WIDGET,
            "next_contact_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": "Enter the organisation’s name."},
            "kind": {
                "required": "Choose the kind of link.",
                "invalid_choice": "Choose one of the kinds of link listed.",
            },
            "contact_email": {"invalid": "Enter an email address like name@example.org."},
            "last_contact_on": DATE_ERRORS,
            "next_contact_on": DATE_ERRORS,
            "notes": {"max_length": "Notes can be at most 5,000 characters."},
        }

    def __init__(self, *args, linked_to_directory=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose the kind of link"), *LinkKind.choices]
        if linked_to_directory:
            del self.fields["name"]
            del self.fields["service_name"]

    def clean_last_contact_on(self):
        day = self.cleaned_data.get("last_contact_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError("The last contact must be today or in the past.")
        return day

    def clean(self):
        cleaned = super().clean()
        last, planned = cleaned.get("last_contact_on"), cleaned.get("next_contact_on")
        if last and planned and planned < last:
            self.add_error(
                "next_contact_on", "The next planned contact must be on or after the last contact."
            )
        return cleaned

    def model_values(self):
        return {name: self.cleaned_data[name] for name in LINK_FIELDS if name in self.fields}


class LinkCreateForm(VersionAndTokenMixin, LinkForm):
    """A new link, to the directory organisation or service picked on the add page
    (hidden ``organisation`` / ``service`` ids) or to one typed in by name."""

    organisation = forms.UUIDField(widget=forms.HiddenInput, required=False)
    service = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, picked=None, **kwargs):
        """``picked`` is ``{"organisation": uuid}`` or ``{"service": uuid}`` from the
        add page's query string (a blank form); a sent form carries its own."""
        source = data if data is not None else (picked or {})
        self.directory_organisation, self.directory_service = _resolve(
            source.get("organisation"), source.get("service")
        )
        self.pick_missing = bool(
            (source.get("organisation") or source.get("service"))
            and not (self.directory_organisation or self.directory_service)
        )
        linked = bool(self.directory_organisation or self.directory_service)
        super().__init__(data, linked_to_directory=linked, **kwargs)
        if data is None and linked:
            self.initial["organisation"] = getattr(self.directory_organisation, "public_id", None)
            self.initial["service"] = getattr(self.directory_service, "public_id", None)

    def clean(self):
        cleaned = super().clean()
        # Once they have typed the name, the link is saved as one entered by name.
        if self.pick_missing and not cleaned.get("name"):
            self.add_error(
                None,
                "The directory entry you chose is no longer listed. Search the directory "
                "again, or enter the organisation’s name below.",
            )
        return cleaned


class LinkEditForm(VersionAndTokenMixin, LinkForm):
    def __init__(self, *args, instance, **kwargs):
        super().__init__(
            *args, instance=instance, linked_to_directory=instance.was_listed, **kwargs
        )


def _resolve(organisation_id, service_id):
    """(organisation, service) for ids sent by the add page; a service brings its
    organisation. Unknown, malformed or no-longer-running entries give (None, None)."""
    try:
        service_id = uuid.UUID(str(service_id)) if service_id else None
        organisation_id = uuid.UUID(str(organisation_id)) if organisation_id else None
    except ValueError:
        return None, None
    if service_id:
        service = (
            Service.objects.select_related("organization")
            .exclude(status=Service.Status.DEFUNCT)
            .filter(public_id=service_id)
            .first()
        )
        return (service.organization, service) if service else (None, None)
    if organisation_id:
        return Organization.objects.filter(public_id=organisation_id).first(), None
    return None, None
