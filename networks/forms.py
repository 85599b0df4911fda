import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from core.forms import VersionAndTokenMixin
from toolkit.models import Service

from .models import Direction, Frequency, Kind, NetworkMember, Quality, Ring, Sector, Support

PHONE_LIKE = re.compile(r"(?:\d[\s-]?){7,}")
CHOOSE = "Choose {} from the list."


def validate_no_contact_details(value):
    """Minimisation: phone numbers do not belong on a network map."""
    if value and PHONE_LIKE.search(value):
        raise ValidationError(
            "Do not record phone numbers here: a first name, initials or a role is enough.",
            code="phone_number",
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MemberForm(forms.ModelForm):
    kind = forms.ChoiceField(
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.PERSON,
        error_messages={"invalid_choice": CHOOSE.format("a kind"), "required": "Choose a kind."},
    )
    sector = forms.ChoiceField(
        label="Area of life",
        choices=[("", "Choose an area of life")] + Sector.choices,
        error_messages={
            "invalid_choice": CHOOSE.format("an area of life"),
            "required": "Choose an area of life.",
        },
    )
    ring = forms.TypedChoiceField(
        label="Closeness",
        coerce=int,
        choices=Ring.choices,
        initial=Ring.MIDDLE,
        widget=forms.RadioSelect,
        help_text="How close the person feels to them, in their own view.",
        error_messages={"invalid_choice": CHOOSE.format("a ring"), "required": "Choose a ring."},
    )
    frequency = forms.ChoiceField(
        label="How often they are in contact",
        choices=[("", "Choose how often")] + Frequency.choices,
        error_messages={
            "invalid_choice": CHOOSE.format("how often"),
            "required": "Choose how often they are in contact.",
        },
    )
    support = forms.MultipleChoiceField(
        label="Support they give the person",
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply, or none.",
        error_messages={"invalid_choice": CHOOSE.format("support types")},
    )
    direction = forms.ChoiceField(
        label="Direction of help",
        choices=Direction.choices,
        initial=Direction.BOTH_WAYS,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": CHOOSE.format("a direction"),
            "required": "Choose a direction of help.",
        },
    )
    quality = forms.ChoiceField(
        label="How the relationship feels",
        choices=Quality.choices,
        initial=Quality.POSITIVE,
        widget=forms.RadioSelect,
        help_text="Stressful relationships are drawn with a dashed line.",
        error_messages={
            "invalid_choice": CHOOSE.format("how it feels"),
            "required": "Choose how the relationship feels.",
        },
    )
    opportunity = ServiceChoiceField(
        label="Opportunity this came through (optional)",
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label="None",
        help_text="If this connection came about through a community opportunity in the directory.",
        error_messages={"invalid_choice": CHOOSE.format("an opportunity")},
    )

    class Meta:
        model = NetworkMember
        fields = [
            "label",
            "kind",
            "sector",
            "ring",
            "frequency",
            "support",
            "direction",
            "quality",
            "known_since",
            "opportunity",
            "added_on",
            "notes",
        ]
        widgets = {
            "added_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"added_on": "Added to the map on"}
        error_messages = {
            "label": {"required": "Enter a first name, initials or a role."},
            "known_since": {
                "invalid": "Enter a year, like 2019.",
                "min_value": "Enter a year after 1900.",
                "max_value": "Enter a year that is not in the future.",
            },
            "added_on": {"invalid": "Enter a real date, like 26 11 2026."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Withdrawn and closed listings are not offered, except the one this
        # member already came through (so saving does not drop the link).
        current = getattr(self.instance, "opportunity_id", None)
        self.fields["opportunity"].queryset = Service.objects.filter(
            Q(withdrawn_at__isnull=True, status=Service.Status.ACTIVE) | Q(pk=current)
        ).order_by("name")

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise ValidationError("Enter a first name, initials or a role.")
        validate_no_contact_details(label)
        return label

    def clean_notes(self):
        notes = self.cleaned_data.get("notes", "")
        validate_no_contact_details(notes)
        return notes

    def clean_known_since(self):
        year = self.cleaned_data.get("known_since")
        if year and year > timezone.localdate().year:
            raise ValidationError("Enter a year that is not in the future.")
        return year

    def clean_added_on(self):
        added_on = self.cleaned_data.get("added_on") or timezone.localdate()
        if added_on > timezone.localdate():
            raise ValidationError("The date added cannot be in the future.")
        if self.instance.ended_on and added_on > self.instance.ended_on:
            raise ValidationError("The date added must be before the date they were ended.")
        return added_on

    def cleaned_member_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberAddForm(VersionAndTokenMixin, MemberForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["added_on"] = timezone.localdate()


class MemberEditForm(VersionAndTokenMixin, MemberForm):
    pass


class MemberEndForm(forms.Form):
    ended_on = forms.DateField(
        label="Date it ended",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date it ended.",
            "invalid": "Enter a real date, like 26 11 2026.",
        },
    )
    reason = forms.CharField(
        label="Why it ended (optional)",
        max_length=200,
        required=False,
        help_text="For example “moved away” or “group stopped meeting”.",
    )

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["ended_on"] = timezone.localdate()

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > timezone.localdate():
            raise ValidationError("The end date cannot be in the future.")
        if ended_on < self.member.added_on:
            raise ValidationError(
                f"The end date must be on or after the date they were added "
                f"({self.member.added_on:%-d %B %Y})."
            )
        return ended_on

    def clean_reason(self):
        reason = self.cleaned_data.get("reason", "")
        validate_no_contact_details(reason)
        return reason


class TieForm(forms.Form):
    """Choose two current members of this person's map."""

    first = forms.ChoiceField(
        label="First member",
        error_messages={
            "invalid_choice": "Choose a current member of this person's map.",
            "required": "Choose the first member.",
        },
    )
    second = forms.ChoiceField(
        label="Second member",
        error_messages={
            "invalid_choice": "Choose a current member of this person's map.",
            "required": "Choose the second member.",
        },
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(member.public_id): member for member in members}
        choices = [("", "Choose a member")] + [
            (key, f"{member.label} ({member.get_sector_display().lower()})")
            for key, member in self.members.items()
        ]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and second and first == second:
            self.add_error(
                "second", "Choose two different members: a member cannot be linked to themselves."
            )
        return cleaned

    def chosen(self):
        return self.members[self.cleaned_data["first"]], self.members[self.cleaned_data["second"]]


class SnapshotForm(VersionAndTokenMixin, forms.Form):
    label = forms.CharField(
        label="Name for this snapshot",
        max_length=80,
        help_text="For example “Review 1” or “Baseline”.",
        error_messages={"required": "Enter a name for the snapshot."},
    )
    is_baseline = forms.BooleanField(
        label="This is the baseline (the map before the work began)",
        required=False,
    )

    def __init__(self, *args, has_baseline, **kwargs):
        super().__init__(*args, **kwargs)
        if has_baseline:
            del self.fields["is_baseline"]
        if not self.is_bound:
            today = timezone.localdate()
            if has_baseline:
                self.initial["label"] = f"Review, {today:%-d %B %Y}"
            else:
                self.initial["label"] = "Baseline"
                self.initial["is_baseline"] = True


class CompareForm(forms.Form):
    CURRENT = "current"

    before = forms.ChoiceField(
        label="Compare",
        error_messages={"invalid_choice": "Choose a snapshot from the list."},
    )
    after = forms.ChoiceField(
        label="with",
        error_messages={"invalid_choice": "Choose a snapshot from the list."},
    )

    def __init__(self, *args, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(self.CURRENT, "The map now")] + [
            (str(s.public_id), f"{s.label} ({s.taken_at:%-d %B %Y})") for s in snapshots
        ]
        self.fields["before"].choices = choices
        self.fields["after"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("before") and cleaned.get("before") == cleaned.get("after"):
            self.add_error("after", "Choose two different maps to compare.")
        return cleaned


class ExportForm(forms.Form):
    MEMBERS_CSV = "members_csv"
    TIES_CSV = "ties_csv"
    GRAPHML = "graphml"

    what = forms.ChoiceField(
        label="What to download",
        widget=forms.RadioSelect,
        initial=MEMBERS_CSV,
        choices=[
            (MEMBERS_CSV, "Members (CSV, for spreadsheets)"),
            (TIES_CSV, "Links between members (CSV)"),
            (GRAPHML, "The whole map (GraphML, for network analysis tools)"),
        ],
        error_messages={
            "invalid_choice": CHOOSE.format("a download"),
            "required": "Choose what to download.",
        },
    )
    real_labels = forms.BooleanField(
        label="Include the real names and roles (not pseudonyms)",
        required=False,
        help_text="Only if you need them. This is recorded in the audit log.",
    )


class MemberRemoveNameForm(forms.Form):
    """A third party asked to be removed from the person's map."""

    asked_by_them = forms.BooleanField(
        label="They asked to be removed from this map",
        error_messages={"required": "Confirm that they asked to be removed from this map."},
    )
    clear_notes = forms.BooleanField(
        label="Also remove the notes about them",
        required=False,
        help_text="Notes can name them too. Remove them unless they are needed for the work.",
    )
