"""Fidelity self-assessments: loading questionnaires, recording answers, and the
supervisor's comparison of the worker's report, the person's report and the
practice fidelity from the records (``workflow.fidelity``)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.audit import Action, audit_record
from core.idempotency import create_once

from . import self_assessment
from .fidelity import COMPONENTS_BY_CODE, fidelity_for
from .models import FidelityQuestionnaire, FidelitySelfAssessment, Respondent

# Services --------------------------------------------------------------------------


@transaction.atomic
def questionnaire_load(*, data, source="", by=None):
    """Store a definition (decoded JSON) as a questionnaire: new, its next
    version when changed, or unchanged. Returns ``(questionnaire, status)``.
    Raises :class:`workflow.self_assessment.QuestionnaireError` with every
    problem; nothing is stored then."""
    parsed = self_assessment.parse(data, source=source)
    digest = self_assessment.checksum(data)
    existing = FidelityQuestionnaire.objects.select_for_update().filter(code=parsed.code).first()
    if existing is None:
        questionnaire = FidelityQuestionnaire.objects.create(
            code=parsed.code, name=parsed.name, definition=data, checksum=digest, loaded_by=by
        )
        return questionnaire, "loaded"
    if existing.checksum == digest:
        return existing, "unchanged"
    existing.name = parsed.name
    existing.definition = data
    existing.checksum = digest
    existing.version += 1
    existing.loaded_at = timezone.now()
    existing.loaded_by = by
    existing.save()
    return existing, "new version"


def questionnaire_load_file(path, *, by=None):
    data, _parsed = self_assessment.read_file(path)
    return questionnaire_load(data=data, source=str(path), by=by)


def self_assessment_record(
    *,
    service_user,
    questionnaire,
    respondent,
    completed_on,
    answers,
    by,
    submission_token=None,
    request=None,
):
    """Record one self-assessment (once per form: a second submission of the same
    form returns the first). ``answers``: ``{item id: value or None}``; a value
    outside an item's options is refused (ValidationError naming the item)."""
    parsed = questionnaire.parsed
    problems = {}
    for item_id, value in answers.items():
        item = parsed.item_by_id.get(item_id)
        if item is None:
            problems[item_id] = ["There is no such question."]
        elif value is not None and value not in item.values:
            problems[item_id] = ["Choose one of the answers given."]
    if respondent not in Respondent.values:
        problems["respondent"] = ["Choose who answered."]
    if problems:
        raise ValidationError(problems)

    def build(token):
        with transaction.atomic():
            assessment = FidelitySelfAssessment.objects.create(
                service_user=service_user,
                questionnaire=questionnaire,
                questionnaire_version=questionnaire.version,
                respondent=respondent,
                completed_on=completed_on,
                answers={item.id: answers.get(item.id) for item in parsed.items},
                worker=service_user.allocated_worker,
                recorded_by=by,
                submission_token=token,
            )
            audit_record(
                actor=by,
                action=Action.CREATE,
                service_user=service_user,
                obj=assessment,
                fields=["answers"],
                request=request,
            )
            return assessment

    return create_once(
        FidelitySelfAssessment,
        submission_token=submission_token,
        build=build,
        belongs=lambda record: record.service_user_id == service_user.pk,
    )


# Selectors -------------------------------------------------------------------------


def offered_questionnaires():
    return FidelityQuestionnaire.objects.filter(active=True).order_by("name", "id")


def questionnaire_by_code(code):
    return offered_questionnaires().filter(code=code).first() if code else None


def assessments_for(service_user):
    """The person's self-assessments, newest first, with their questionnaire."""
    return FidelitySelfAssessment.objects.filter(service_user=service_user).select_related(
        "questionnaire", "recorded_by"
    )


def _latest(assessments):
    """``{(person id, questionnaire id, respondent): assessment}``: the newest of each."""
    latest = {}
    for assessment in assessments:  # newest first
        latest.setdefault(
            (assessment.service_user_id, assessment.questionnaire_id, assessment.respondent),
            assessment,
        )
    return latest


@dataclass
class ItemComparison:
    item: object
    worker: int | None
    person: int | None
    records: bool | None  # the component in place in the records (None: no component)

    @property
    def worker_label(self):
        return "–" if self.worker is None else self.item.label_for(self.worker)

    @property
    def person_label(self):
        return "–" if self.person is None else self.item.label_for(self.person)

    @property
    def compared(self):
        return self.worker is not None and self.person is not None

    @property
    def agree(self):
        """The two reports give the same answer (None: not both answered)."""
        return self.worker == self.person if self.compared else None

    def _matches(self, value):
        said = self.item.says_in_place(value)
        if said is None or self.records is None:
            return None
        return said == self.records

    @property
    def worker_matches_records(self):
        return self._matches(self.worker)

    @property
    def person_matches_records(self):
        return self._matches(self.person)

    @property
    def component_label(self):
        component = COMPONENTS_BY_CODE.get(self.item.component)
        return component.label if component else ""


@dataclass
class Comparison:
    """One person's latest worker and person reports on one questionnaire, beside
    the practice fidelity from the records."""

    person: object
    questionnaire: object
    worker_report: object = None
    person_report: object = None
    fidelity: object = None
    items: list = field(default_factory=list)

    @property
    def agreed(self):
        return sum(1 for row in self.items if row.agree)

    @property
    def compared(self):
        return sum(1 for row in self.items if row.compared)

    @property
    def disagreed(self):
        return self.compared - self.agreed

    def _against_records(self, name):
        checked = [getattr(row, name) for row in self.items if getattr(row, name) is not None]
        return sum(1 for match in checked if match), len(checked)

    @property
    def worker_vs_records(self):
        """(answers matching the records, answers that could be checked) for the worker."""
        return self._against_records("worker_matches_records")

    @property
    def person_vs_records(self):
        return self._against_records("person_matches_records")

    def _score(self, report):
        if report is None:
            return None
        score = self.questionnaire.parsed.score(report.answers)
        return None if score is None else round(score * 100)

    @property
    def worker_percent(self):
        return self._score(self.worker_report)

    @property
    def person_percent(self):
        return self._score(self.person_report)


def _comparison(person, questionnaire, latest, fidelity):
    parsed = questionnaire.parsed
    worker = latest.get((person.pk, questionnaire.pk, Respondent.WORKER))
    own = latest.get((person.pk, questionnaire.pk, Respondent.PERSON))
    in_records = {}
    if fidelity is not None:
        in_records = {result.code: result.present for result in fidelity.results}
    items = [
        ItemComparison(
            item=item,
            worker=worker.answers.get(item.id) if worker else None,
            person=own.answers.get(item.id) if own else None,
            records=in_records.get(item.component) if item.component else None,
        )
        for item in parsed.items
    ]
    return Comparison(person, questionnaire, worker, own, fidelity, items)


def person_comparisons(service_user):
    """A :class:`Comparison` per questionnaire the person has answers on."""
    from caseload.selectors import as_queryset

    assessments = list(assessments_for(service_user))
    latest = _latest(assessments)
    fidelity = fidelity_for(as_queryset([service_user]), few=True).get(service_user.pk)
    questionnaires = {a.questionnaire_id: a.questionnaire for a in assessments}
    return [
        _comparison(service_user, questionnaire, latest, fidelity)
        for questionnaire in sorted(questionnaires.values(), key=lambda q: (q.name, q.pk))
    ]


def team_comparisons(people):
    """A :class:`Comparison` per person in ``people`` (a ServiceUser queryset
    within the access rules) and questionnaire they have answers on, with the
    practice fidelity from the records: two queries plus fidelity's fixed number."""
    people_by_id = {person.pk: person for person in people.select_related("allocated_worker")}
    assessments = list(
        FidelitySelfAssessment.objects.filter(service_user__in=list(people_by_id))
        .select_related("questionnaire")
        .order_by("-completed_on", "-id")
    )
    latest = _latest(assessments)
    fidelities = fidelity_for(people)
    pairs = sorted(
        {(a.service_user_id, a.questionnaire_id): a.questionnaire for a in assessments}.items(),
        key=lambda entry: (people_by_id[entry[0][0]].preferred_name, entry[0]),
    )
    return [
        _comparison(people_by_id[pk], questionnaire, latest, fidelities.get(pk))
        for (pk, _qid), questionnaire in pairs
    ]


# Person data -----------------------------------------------------------------------


def export_person(service_user, reveal_third_parties=False):
    """The person's self-assessments, answers with their wording, as plain JSON."""
    rows = []
    for assessment in assessments_for(service_user).order_by("completed_on", "id"):
        parsed = assessment.questionnaire.parsed
        rows.append(
            {
                "id": str(assessment.public_id),
                "questionnaire": assessment.questionnaire.name,
                "respondent": assessment.get_respondent_display(),
                "completed_on": assessment.completed_on.isoformat(),
                "answers": [
                    {
                        "question": item.text_for(assessment.respondent),
                        "answer": item.label_for(assessment.answers.get(item.id)),
                    }
                    for item in parsed.items
                ],
            }
        )
    return rows


def erase_person(service_user):
    FidelitySelfAssessment.objects.filter(service_user=service_user).delete()


def register_person_data():
    from caseload import persondata

    persondata.register(
        "fidelity_self_assessments",
        models=[FidelitySelfAssessment],
        export=export_person,
        erase=erase_person,
        label="Fidelity self-assessments",
    )
