"""Forms for person records, sessions, allocation and the caseload list.

Forms validate; :mod:`caseload.services` acts. Edit forms carry the record's
``version`` and create forms a ``submission_token``, both through
:class:`core.forms.VersionAndTokenMixin`.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Team, TeamMembership
from accounts.selectors import NAME_FIELDS
from core.forms import OneQueryChoiceIterator, VersionAndTokenMixin
from core.widgets import PlainSelect
from toolkit.models import Resource, ResourceStage

from .models import ClosureReason, ServiceUser, Session, SessionKind, Status
from .services import SESSION_FIELDS
from .stages import Stage

User = get_user_model()

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_SESSION_MINUTES = 12 * 60


class WorkerChoiceField(forms.ModelChoiceField):
    iterator = OneQueryChoiceIterator

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class WorkerMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = OneQueryChoiceIterator

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def workers_in(team_ids):
    """Users with a worker role in any of ``team_ids`` (each once: a subquery,
    not a join that needs DISTINCT over every column of the user)."""
    roles = TeamMembership.objects.filter(
        team_id__in=team_ids, role=TeamMembership.Role.WORKER
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=roles)


def is_worker_in(user, team):
    return TeamMembership.objects.filter(
        user=user, team=team, role=TeamMembership.Role.WORKER
    ).exists()


class FieldsetsMixin:
    """``fieldsets`` = [(legend, [field names])], rendered as <fieldset>s."""

    fieldsets = ()

    def fieldset_list(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]


PERSON_ERROR_MESSAGES = {
    "preferred_name": {"required": "Enter the name the person likes to be called."},
    "reference": {"unique": "Another record already has this reference. Check the number."},
    "email": {"invalid": "Enter an email address in the right format, like name@example.org."},
}


class PersonDetailsForm(VersionAndTokenMixin, FieldsetsMixin, forms.ModelForm):
    """Key details of an existing person (allocation is changed by reallocating)."""

    fieldsets = [
        ("Name", ["preferred_name", "full_name", "pronouns", "reference"]),
        ("Contact details", ["date_of_birth", "phone", "email", "postcode"]),
        ("Referral", ["referral_date", "referral_source", "referral_reason"]),
        ("Working with the person", ["status", "co_workers"]),
    ]

    co_workers = WorkerMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other workers in the team who work with this person and may see the record.",
    )
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Status if s != Status.CLOSED],
        help_text="A supervisor closes and reopens cases.",
    )

    class Meta:
        model = ServiceUser
        fields = [
            "preferred_name",
            "full_name",
            "pronouns",
            "reference",
            "date_of_birth",
            "phone",
            "email",
            "postcode",
            "referral_date",
            "referral_source",
            "referral_reason",
            "status",
            "co_workers",
        ]
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "referral_date": DATE_WIDGET,
            "referral_reason": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "off", "class": "w-auto"}),
        }
        error_messages = PERSON_ERROR_MESSAGES

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable model default (referral date = today) would otherwise add a
        # hidden "initial-" input and report the field as changed on every save.
        for field in self.fields.values():
            field.show_hidden_initial = False
        team_id = team.pk if team else self.instance.team_id
        self.fields["co_workers"].queryset = (
            workers_in([team_id]) if team_id else User.objects.none()
        )
        if self.instance.pk and self.instance.is_closed:
            del self.fields["status"]

    def clean_co_workers(self):
        co_workers = self.cleaned_data["co_workers"]
        allocated_id = self.instance.allocated_worker_id
        if allocated_id and any(user.pk == allocated_id for user in co_workers):
            raise forms.ValidationError(
                "The allocated worker cannot also be a co-worker. Untick them."
            )
        return co_workers


class PersonCreateForm(PersonDetailsForm):
    """A new person: details plus the team and allocated worker."""

    fieldsets = [
        ("Name", ["preferred_name", "full_name", "pronouns", "reference"]),
        ("Team and worker", ["team", "allocated_worker", "co_workers"]),
        ("Contact details", ["date_of_birth", "phone", "email", "postcode"]),
        ("Referral", ["referral_date", "referral_source", "referral_reason"]),
    ]

    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    allocated_worker = WorkerChoiceField(
        queryset=User.objects.none(),
        label="Allocated worker",
        help_text="Must be a worker in the person's team.",
    )
    co_workers = WorkerMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other workers in the same team who work with this person.",
    )

    class Meta(PersonDetailsForm.Meta):
        fields = [
            *PersonDetailsForm.Meta.fields[:-2],
            "team",
            "allocated_worker",
            "co_workers",
        ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields.pop("status", None)  # new people start as referred
        team_ids = user.worker_team_ids | user.supervised_team_ids
        self.fields["team"].queryset = Team.objects.filter(pk__in=team_ids)
        workers = workers_in(team_ids)
        self.fields["allocated_worker"].queryset = workers
        self.fields["co_workers"].queryset = workers
        if not self.is_bound and user.is_worker:
            self.initial.setdefault("allocated_worker", user.pk)
            self.initial.setdefault("team", sorted(user.worker_team_ids)[0])
        elif not self.is_bound and len(team_ids) == 1:
            self.initial.setdefault("team", next(iter(team_ids)))

    def clean_co_workers(self):
        return self.cleaned_data["co_workers"]

    def clean(self):
        cleaned = super().clean()
        team = cleaned.get("team")
        worker = cleaned.get("allocated_worker")
        co_workers = cleaned.get("co_workers") or []
        if not team:
            return cleaned
        if worker and not is_worker_in(worker, team):
            self.add_error(
                "allocated_worker",
                f"{worker.get_full_name() or worker} is not a worker in {team}. "
                "Choose a worker in the person's team.",
            )
        outsiders = [u for u in co_workers if not is_worker_in(u, team)]
        if outsiders:
            names = ", ".join(u.get_full_name() or u.username for u in outsiders)
            self.add_error("co_workers", f"Co-workers must be workers in {team}: {names} is not.")
        if worker and worker in co_workers:
            self.add_error(
                "co_workers", "The allocated worker cannot also be a co-worker. Untick them."
            )
        if (
            worker
            and team.pk not in self.user.supervised_team_ids
            and worker != self.user
            and self.user not in co_workers
        ):
            self.add_error(
                "allocated_worker",
                "Allocate the person to yourself or add yourself as a co-worker, "
                "otherwise you will not be able to see the record you create.",
            )
        return cleaned


class ConsentForm(VersionAndTokenMixin, forms.ModelForm):
    consent_to_take_part = forms.TypedChoiceField(
        label="Has the person agreed to take part?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not asked yet")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ServiceUser
        fields = ["consent_to_take_part", "consent_date", "sharing_agreement"]
        widgets = {
            "consent_date": DATE_WIDGET,
            "sharing_agreement": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"consent_date": "Date they answered"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            answer = self.instance.consent_to_take_part
            self.initial["consent_to_take_part"] = {True: "yes", False: "no"}.get(answer, "")

    def clean(self):
        cleaned = super().clean()
        answered = cleaned.get("consent_to_take_part") is not None
        if answered and not cleaned.get("consent_date") and "consent_date" not in self.errors:
            self.add_error("consent_date", "Enter the date the person gave their answer.")
        if not answered and cleaned.get("consent_date"):
            self.add_error(
                "consent_to_take_part",
                "Choose the person's answer, or clear the date if you have not asked yet.",
            )
        return cleaned


class WhatMattersForm(VersionAndTokenMixin, forms.ModelForm):
    class Meta:
        model = ServiceUser
        fields = ["what_matters"]
        widgets = {"what_matters": forms.Textarea(attrs={"rows": 8})}
        labels = {"what_matters": "What matters to me"}
        help_texts = {
            "what_matters": "Write it in the person's own words, as they said it.",
        }


class EndingSummaryForm(VersionAndTokenMixin, forms.ModelForm):
    class Meta:
        model = ServiceUser
        fields = ["ending_summary"]
        widgets = {"ending_summary": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "ending_summary": "Written together when moving on: what changed, which connections "
            "the person keeps, and who they can turn to without the worker.",
        }


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="Closure date", widget=DATE_WIDGET)
    reason = forms.ChoiceField(
        label="Why is the case closing?", choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    ending_summary = forms.CharField(
        label="Ending summary",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What changed, what connections the person keeps, and anything to know "
        "if they come back.",
    )

    def __init__(self, *args, service_user, **kwargs):
        self.service_user = service_user
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("closed_on", timezone.localdate())

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The closure date must be today or in the past.")
        referred = self.service_user.referral_date
        if referred and value < referred:
            raise forms.ValidationError(
                f"The closure date must be on or after the referral date, {referred:%-d %B %Y}."
            )
        return value


class ReopenForm(forms.Form):
    note = forms.CharField(
        label="Why is the case reopening?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReallocateForm(forms.Form):
    to_worker = WorkerChoiceField(
        queryset=User.objects.none(),
        label="New allocated worker",
        empty_label="Choose a worker",
        error_messages={
            "required": "Choose the worker to allocate the person to.",
            "invalid_choice": "Choose a worker in the person's team.",
        },
    )
    note = forms.CharField(
        label="Note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the person is moving to this worker, for the allocation history.",
        error_messages={"required": "Enter a note saying why you are reallocating."},
    )
    keep_as_co_worker = forms.BooleanField(
        label="Keep the current worker on as a co-worker", required=False
    )

    def __init__(self, *args, service_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = workers_in([service_user.team_id]).exclude(
            pk=service_user.allocated_worker_id
        )


class SessionForm(VersionAndTokenMixin, FieldsetsMixin, forms.ModelForm):
    fieldsets = [
        ("When", ["date", "start_time", "duration_minutes", "kind", "stage"]),
        ("What happened", ["what_we_did", "how_it_went", "next_steps", "resources_used"]),
        ("Next session", ["next_session_on"]),
    ]

    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        widget=forms.NumberInput(attrs={"class": "w-auto", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how long the session lasted, in minutes.",
            "invalid": "Enter the duration as a whole number of minutes, like 45.",
            "min_value": "The duration must be at least 1 minute.",
            "max_value": "The duration must be 12 hours (720 minutes) or less.",
        },
    )
    resources_used = forms.ModelMultipleChoiceField(
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Toolkit resources used",
    )

    class Meta:
        model = Session
        fields = [*SESSION_FIELDS, "resources_used"]
        widgets = {
            "date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "next_session_on": DATE_WIDGET,
            "what_we_did": forms.Textarea(attrs={"rows": 4}),
            "how_it_went": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"date": "Session date", "start_time": "Start time (optional)"}
        error_messages = {
            "date": {"required": "Enter the date of the session."},
            "kind": {"required": "Choose the type of session."},
            "stage": {"required": "Choose the stage you worked on."},
        }

    def __init__(self, *args, service_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (value, label) for value, label in Stage.choices if value != Stage.CLOSED
        ]
        self.fields["kind"].choices = [("", "Choose the type"), *SessionKind.choices]
        published = Q(status=Resource.Status.PUBLISHED)
        if self.instance.pk:
            # Keep resources already recorded even if they have since been archived.
            published |= Q(pk__in=self.instance.resources_used.values("pk"))
        published = Resource.objects.filter(published)
        # The person's current stage's resources come first; the rest sit behind
        # "more" (caseload/_resources_field.html). One query for the choices.
        stage_now = Stage.MOVING_ON if service_user.stage == Stage.CLOSED else service_user.stage
        published = published.annotate(
            for_stage=Exists(ResourceStage.objects.filter(resource=OuterRef("pk"), stage=stage_now))
        )
        self.fields["resources_used"].queryset = published.order_by("-for_stage", "title")
        self.stage_label = Stage(stage_now).label
        choices = list(self.fields["resources_used"].queryset)
        if not choices:
            del self.fields["resources_used"]
        self.stage_resource_ids = {str(r.pk) for r in choices if r.for_stage}
        if not self.is_bound and not self.instance.pk:
            stage = service_user.stage
            self.initial.setdefault("stage", Stage.MOVING_ON if stage == Stage.CLOSED else stage)
            self.initial.setdefault("date", timezone.localdate())

    def resource_choice_groups(self):
        """The resource checkboxes as (for the current stage, the others)."""
        if "resources_used" not in self.fields:
            return [], []
        widgets = list(self["resources_used"])
        ours = [w for w in widgets if str(w.data["value"]) in self.stage_resource_ids]
        others = [w for w in widgets if str(w.data["value"]) not in self.stage_resource_ids]
        return ours, others

    def clean(self):
        cleaned = super().clean()
        date, next_on = cleaned.get("date"), cleaned.get("next_session_on")
        if date and next_on and next_on < date:
            self.add_error(
                "next_session_on",
                "The next session date must be on or after the date of this session.",
            )
        return cleaned


class CaseloadFilterForm(forms.Form):
    """The caseload list's search, filters and sort (GET). Bad values are ignored."""

    SORTS = {
        "name": "Name",
        "stage": "Stage",
        "last_contact": "Last contact",
        "next_contact": "Next planned contact",
    }
    STATUS_CHOICES = [
        ("open", "Open cases"),
        *[(s.value, s.label) for s in Status],
        ("all", "All, including closed"),
    ]

    q = forms.CharField(label="Name or reference", required=False, max_length=100)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, widget=PlainSelect)
    stage = forms.ChoiceField(
        choices=[("", "Any stage"), *Stage.choices], required=False, widget=PlainSelect
    )
    worker = WorkerChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Any worker", widget=PlainSelect
    )
    no_contact = forms.BooleanField(required=False)
    sort = forms.CharField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "stage", "worker"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["worker"].queryset = (
            workers_in(user.worker_team_ids | user.supervised_team_ids)
            .only(*NAME_FIELDS)
            .order_by("first_name", "last_name", "username")
        )

    def values(self):
        """The valid filters as a dict (invalid ones dropped, defaults filled)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        values = {name: data.get(name) for name in self.fields if name not in self.errors}
        values["status"] = values.get("status") or "open"
        sort = values.get("sort") or "name"
        if sort.lstrip("-") not in self.SORTS:
            sort = "name"
        values["sort"] = sort
        values["q"] = (values.get("q") or "").strip()
        return values
