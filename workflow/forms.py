from django import forms

from caseload.stages import Stage

from .rules import allowed_moves


class MoveStageForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the stage to move to.",
            "invalid_choice": "Choose one of the stages listed.",
        },
    )
    reason = forms.CharField(
        label="Reason or note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when evidence is missing or when going back a stage. "
        "It is kept in the stage history.",
        error_messages={"max_length": "Keep the reason to 2,000 characters or fewer."},
    )

    def __init__(self, *args, service_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (code, Stage(code).label) for code in allowed_moves(service_user.stage)
        ]
