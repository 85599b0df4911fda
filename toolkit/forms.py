from django import forms
from django.core.exceptions import ValidationError

from core.forms import VersionAndTokenMixin

from .files import check_upload
from .models import (
    DAY_CHOICES,
    STAGE_CHOICES,
    Contact,
    CostOption,
    FeedSubscription,
    Location,
    Organization,
    PracticeArea,
    Resource,
    Schedule,
    Service,
    TaxonomyTerm,
)
from .services import STATUS_ACTIONS

MAX_IMPORT_SIZE = 20 * 1024 * 1024


class PracticeAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.question}"


class ResourceForm(VersionAndTokenMixin, forms.ModelForm):
    stages = forms.MultipleChoiceField(
        choices=STAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The stages of the cycle this resource helps with.",
    )
    practice_areas = PracticeAreaChoiceField(
        queryset=PracticeArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg"}),
        label="Attach a file (optional)",
        help_text="A PDF, Word document (DOCX), PNG or JPEG, up to 10 MB.",
    )
    remove_file = forms.BooleanField(required=False, label="Remove the attached file")
    external_url = forms.URLField(
        label="External link", required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "kind",
            "body",
            "stages",
            "practice_areas",
            "tags",
            "external_url",
            "file",
            "review_by",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "review_by": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"summary": "One or two sentences shown in search results."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("stages", self.instance.stage_codes)
        if not (self.instance.pk and self.instance.file):
            del self.fields["remove_file"]

    def conflict_value(self, record, name):
        if name == "stages":
            return record.stage_codes
        if name == "file":
            return record.file_name
        return super().conflict_value(record, name)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            self.cleaned_data["file_type"] = check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in (Resource.Kind.FILM, Resource.Kind.LINK) and not cleaned.get(
            "external_url"
        ):
            self.add_error("external_url", "Enter the link for a film or an external link.")
        return cleaned


# Each status action, shown as the status it leads to.
STATUS_CHOICES = [(action, status.label) for action, (status, _done) in STATUS_ACTIONS.items()]
ACTION_FOR_STATUS = {status: action for action, (status, _done) in STATUS_ACTIONS.items()}


class ResourceStatusForm(VersionAndTokenMixin, forms.Form):
    """Publish, archive or return to draft (the buttons on the resource page),
    made on the version the curator saw: ``ResourceStatusForm(data, record=resource)``."""

    action = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose publish, archive or return to draft.",
            "invalid_choice": "Choose publish, archive or return to draft.",
        },
    )

    def conflict_value(self, record, name):
        if name == "action":
            return ACTION_FOR_STATUS.get(record.status, record.status)
        return super().conflict_value(record, name)


class ImportForm(forms.Form):
    feed = forms.FileField(
        label="Open Referral UK JSON file",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        help_text=(
            "A single service, a paginated list with 'contents', an organisation with its "
            "services, or a service at a location. Up to 20 MB."
        ),
    )

    def clean_feed(self):
        upload = self.cleaned_data["feed"]
        if upload.size > MAX_IMPORT_SIZE:
            raise ValidationError("The selected file must be smaller than 20 MB.")
        return upload


class ServiceForm(VersionAndTokenMixin, forms.ModelForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        required=False,
        label="Organisation",
        help_text="Leave empty and fill in 'New organisation' if it is not listed.",
    )
    new_organization = forms.CharField(max_length=255, required=False, label="New organisation")
    categories = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    locations = forms.ModelMultipleChoiceField(
        queryset=Location.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Where it happens",
    )
    url = forms.URLField(label="Website", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Service
        fields = [
            "name",
            "organization",
            "new_organization",
            "description",
            "status",
            "categories",
            "locations",
            "is_free",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "url",
            "email",
            "phone",
            "assured_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
            "assured_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("locations", list(self.instance.locations.all()))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organization") and not cleaned.get("new_organization", "").strip():
            self.add_error("organization", "Choose the organisation or enter a new one.")
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age", "The maximum age must be the same as or above the minimum."
            )
        return cleaned


class LocationForm(forms.ModelForm):
    """An optional new location added while editing an opportunity."""

    accessibility = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Accessibility"
    )

    class Meta:
        model = Location
        fields = ["name", "address_1", "city", "postal_code", "location_type", "accessibility"]
        labels = {"name": "Name of the place"}

    def has_content(self):
        return any(self.cleaned_data.get(f) for f in ["name", "address_1", "postal_code"])


class ScheduleForm(forms.ModelForm):
    days = forms.MultipleChoiceField(
        choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Schedule
        fields = ["freq", "days", "opens_at", "closes_at", "description"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("days", self.instance.day_codes)

    def save(self, commit=True):
        days = self.cleaned_data.get("days") or []
        self.instance.byday = ",".join(code for code, _ in DAY_CHOICES if code in days)
        return super().save(commit=commit)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email"]


class CostOptionForm(forms.ModelForm):
    class Meta:
        model = CostOption
        fields = ["option", "amount", "amount_description"]


def service_formsets(data=None, *, instance=None):
    """Inline formsets for a service's schedules, contacts and costs (one blank row each)."""
    specs = [
        ("schedules", Schedule, ScheduleForm),
        ("contacts", Contact, ContactForm),
        ("costs", CostOption, CostOptionForm),
    ]
    formsets = {}
    for prefix, model, form in specs:
        factory = forms.inlineformset_factory(
            Service, model, form=form, extra=1, can_delete=True, max_num=20, validate_max=True
        )
        formsets[prefix] = factory(data, instance=instance or Service(), prefix=prefix)
    return formsets


class FeedForm(forms.ModelForm):
    """Register an ORUK feed by its address (https only, outside development)."""

    url = forms.URLField(
        label="Feed address",
        max_length=1000,
        assume_scheme="https",
        help_text="The address of the feed's services list, for example "
        "https://example.org/api/services. It must start with https://.",
        error_messages={"invalid": "Enter the feed's full web address, starting with https://."},
    )

    class Meta:
        model = FeedSubscription
        fields = ["name", "url"]
        labels = {"name": "Name of the feed"}
        help_texts = {"name": "Who publishes it, for example “Northfield Council directory”."}
        error_messages = {
            "name": {"required": "Enter a name for the feed."},
            "url": {"unique": "This feed is already registered."},
        }

    def clean_url(self):
        from .feeds import check_feed_url

        url = self.cleaned_data["url"]
        check_feed_url(url)
        return url
