"""Network map pages under a person: /people/<public_id>/network/…

Every view gets the person through ``caseload.access`` (404 for outsiders) and
everything else through that person. Views validate, call ``services``, redirect.
"""

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.access import get_service_user_for, require_supervisor_of, supervises
from caseload.audit import Action, audit_record, audit_view
from caseload.kept import kept_part
from core.views import render_conflict, save_versioned

from . import exports, persondata, picture, presenters, selectors, services
from .forms import (
    CompareForm,
    ExportForm,
    MemberAddForm,
    MemberEditForm,
    MemberEndForm,
    MemberRemoveNameForm,
    SnapshotForm,
    TieForm,
)


def _map_url(person):
    return reverse("networks:map", kwargs={"public_id": person.public_id})


@require_http_methods(["GET", "HEAD"])
def network_map(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    if request.GET.get("ended") == "1":
        # With the ended members and their forms: worked out on each visit.
        context = {"part": None, **presenters.map_page(person, show_ended=True)}
    else:
        context = {"part": kept_part(request, person, "network_map")}
    return render(request, "networks/map.html", {"person": person, **context})


@require_http_methods(["GET", "POST"])
def member_add(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    if request.method == "POST":
        form = MemberAddForm(request.POST)
        if form.is_valid():
            member = services.member_create(
                service_user=person,
                data=form.cleaned_member_data(),
                by=request.user,
                submission_token=form.submission_token,
                request=request,
            )
            messages.success(request, f"{member.label} was added to the map.")
            if "add_another" in request.POST:
                return redirect("networks:member_add", public_id=person.public_id)
            return redirect(_map_url(person))
    else:
        audit_view(request, person)
        form = MemberAddForm()
    return render(
        request,
        "networks/member_form.html",
        {"person": person, "form": form, "heading": "Add someone to the map", "adding": True},
    )


@require_http_methods(["GET", "POST"])
def member_edit(request, public_id, member_id):
    person = get_service_user_for(request.user, public_id, write=True)
    member = selectors.get_member(person, member_id)
    if request.method == "POST":
        form = MemberEditForm(request.POST, instance=member)

        def save():
            services.member_update(
                member=member,
                data=form.cleaned_member_data(),
                expected_version=form.version,
                by=request.user,
                request=request,
            )
            messages.success(request, f"Changes to {member.label} were saved.")
            return redirect(_map_url(person))

        def conflict(saved):
            audit_view(request, person, saved)
            return render_conflict(
                request,
                form=form,
                saved=saved,
                what=saved.label,
                cancel_url=_map_url(person),
                context={
                    "person": person,
                    "breadcrumbs_template": "networks/_breadcrumbs.html",
                    "here": "Conflict",
                },
            )

        response = save_versioned(form=form, record=member, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        audit_view(request, person, member)
        form = MemberEditForm(instance=member)
    return render(
        request,
        "networks/member_form.html",
        {
            "person": person,
            "member": member,
            "form": form,
            "heading": f"Change {member.label}",
            "is_supervisor": supervises(request.user, person),
        },
    )


@require_http_methods(["GET", "POST"])
def member_remove_name(request, public_id, member_id):
    """A third party asked to be removed from the map (supervisors): their name
    is replaced by a pseudonym on the map and in every snapshot."""
    person = get_service_user_for(request.user, public_id, write=True)
    require_supervisor_of(request.user, person)
    member = selectors.get_member(person, member_id)
    if request.method == "POST":
        form = MemberRemoveNameForm(request.POST)
        if form.is_valid():
            pseudonym, changed = persondata.member_remove_name(
                member=member,
                by=request.user,
                clear_notes=form.cleaned_data["clear_notes"],
                request=request,
            )
            messages.success(
                request,
                f"Their name was replaced by “{pseudonym}” on the map and in "
                f"{changed} snapshot{'s' if changed != 1 else ''}.",
            )
            return redirect(_map_url(person))
    else:
        audit_view(request, person, member)
        form = MemberRemoveNameForm()
    return render(
        request,
        "networks/member_remove_name.html",
        {"person": person, "member": member, "form": form},
    )


@require_http_methods(["GET", "POST"])
def member_end(request, public_id, member_id):
    person = get_service_user_for(request.user, public_id, write=True)
    member = selectors.get_member(person, member_id)
    if not member.is_active:
        messages.info(request, f"{member.label} was already ended on {member.ended_on:%-d %B %Y}.")
        return redirect(_map_url(person) + "?ended=1")
    if request.method == "POST":
        form = MemberEndForm(request.POST, member=member)
        if form.is_valid():
            try:
                services.member_end(
                    member=member,
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    request=request,
                )
            except services.NetworkError as exc:
                messages.info(request, str(exc))
            else:
                messages.success(
                    request,
                    f"{member.label} was ended. They stay in the history and in snapshots.",
                )
            return redirect(_map_url(person))
    else:
        audit_view(request, person, member)
        form = MemberEndForm(member=member)
    return render(
        request, "networks/member_end.html", {"person": person, "member": member, "form": form}
    )


@require_http_methods(["POST"])
def member_restore(request, public_id, member_id):
    person = get_service_user_for(request.user, public_id, write=True)
    member = selectors.get_member(person, member_id)
    try:
        services.member_restore(member=member, by=request.user, request=request)
    except services.NetworkError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"{member.label} is back on the map.")
    return redirect(_map_url(person))


@require_http_methods(["GET", "POST"])
def ties(request, public_id):
    person = get_service_user_for(request.user, public_id, write=request.method == "POST")
    members = list(selectors.members_for(person).order_by("label", "id"))
    form = TieForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        first, second = form.chosen()
        try:
            services.tie_create(
                service_user=person, first=first, second=second, by=request.user, request=request
            )
        except services.NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{first.label} and {second.label} are now linked.")
            return redirect("networks:ties", public_id=person.public_id)
    if request.method == "GET":
        audit_view(request, person)
    return render(
        request,
        "networks/ties.html",
        {
            "person": person,
            "form": form,
            "ties": list(selectors.ties_for(person)),
            "members": members,
        },
    )


@require_http_methods(["GET", "POST"])
def tie_remove(request, public_id, tie_id):
    person = get_service_user_for(request.user, public_id, write=True)
    tie = selectors.get_tie(person, tie_id)
    if request.method == "POST":
        services.tie_remove(tie=tie, by=request.user, request=request)
        messages.success(
            request, f"The link between {tie.member_a.label} and {tie.member_b.label} was removed."
        )
        return redirect("networks:ties", public_id=person.public_id)
    audit_view(request, person, tie)
    return render(request, "networks/tie_remove.html", {"person": person, "tie": tie})


@require_http_methods(["GET", "POST"])
def snapshots(request, public_id):
    person = get_service_user_for(request.user, public_id, write=request.method == "POST")
    existing = list(selectors.snapshots_for(person).defer("data", "metrics"))
    has_baseline = any(s.is_baseline for s in existing)
    form = SnapshotForm(
        request.POST if request.method == "POST" else None, has_baseline=has_baseline
    )
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = services.snapshot_take(
                service_user=person,
                label=form.cleaned_data["label"],
                is_baseline=form.cleaned_data.get("is_baseline", False),
                by=request.user,
                submission_token=form.submission_token,
                request=request,
            )
        except services.NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Snapshot “{snapshot.label}” was taken.")
            return redirect(
                "networks:snapshot", public_id=person.public_id, snapshot_id=snapshot.public_id
            )
    if request.method == "GET":
        audit_view(request, person)
    return render(
        request,
        "networks/snapshots.html",
        {"person": person, "form": form, "snapshots": existing, "has_baseline": has_baseline},
    )


@require_http_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def snapshot_detail(request, public_id, snapshot_id):
    person = get_service_user_for(request.user, public_id, write=request.method != "GET")
    snapshot = selectors.get_snapshot(person, snapshot_id)
    if request.method not in ("GET", "HEAD"):
        response = render(
            request, "networks/snapshot_locked.html", {"person": person, "snapshot": snapshot}
        )
        response.status_code = 405
        response["Allow"] = "GET, HEAD"
        return response
    audit_view(request, person, snapshot)
    return render(
        request,
        "networks/snapshot_detail.html",
        {
            "person": person,
            "snapshot": snapshot,
            "svg": presenters.map_picture(
                snapshot.data,
                person,
                title=f"Network map snapshot: {snapshot.label}",
                table_caption="Members in this snapshot",
            ),
            "rows": presenters.member_rows(snapshot.data.get("members", [])),
            "metric_rows": presenters.metric_rows(snapshot.metrics),
            "breakdowns": presenters.breakdown_rows(snapshot.metrics),
        },
    )


@require_http_methods(["GET", "HEAD"])
def compare(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    # The choices need names only; the two maps compared are read in full below.
    existing = list(selectors.snapshots_for(person).defer("data", "metrics"))
    context = {"person": person, "snapshots": existing}
    if not existing:
        return render(request, "networks/compare.html", context)
    if "before" in request.GET or "after" in request.GET:
        form = CompareForm(request.GET, snapshots=existing)
    else:
        baseline = next((s for s in existing if s.is_baseline), existing[-1])
        form = CompareForm(
            {"before": str(baseline.public_id), "after": CompareForm.CURRENT}, snapshots=existing
        )
    context["form"] = form
    if form.is_valid():
        chosen = {form.cleaned_data["before"], form.cleaned_data["after"]}
        baseline_ids = [str(s.public_id) for s in existing if s.is_baseline]
        by_id = {
            str(s.public_id): s
            for s in selectors.snapshots_for(person).filter(
                public_id__in=(chosen - {CompareForm.CURRENT}) | set(baseline_ids)
            )
        }
        baseline = by_id.get(baseline_ids[0]) if baseline_ids else None

        def side(choice):
            if choice == CompareForm.CURRENT:
                data = selectors.map_data(person)
                return {
                    "name": "The map now",
                    "when": timezone.now(),
                    "data": data,
                    "metrics": selectors.compute_metrics(data, baseline),
                }
            snapshot = by_id[choice]
            return {
                "name": snapshot.label,
                "when": snapshot.taken_at,
                "data": snapshot.data,
                "metrics": snapshot.metrics,
                "snapshot": snapshot,
            }

        before, after = side(form.cleaned_data["before"]), side(form.cleaned_data["after"])
        changes = presenters.change_rows(before["data"], after["data"])
        metric_rows, breakdowns = presenters.compare_metric_rows(
            before["metrics"], after["metrics"]
        )
        for number, side_data in enumerate((before, after), start=1):
            count = len(side_data["data"].get("members", []))
            drawing = picture.layout(
                side_data["data"].get("members", []),
                side_data["data"].get("ties", []),
                person_label=person.preferred_name,
            )
            side_data["svg"] = picture.render_svg(
                drawing,
                title=f"Network map: {side_data['name']}",
                description=(
                    f"{count} member{'s' if count != 1 else ''}. The members are listed in a "
                    "table on the page linked below this picture."
                ),
                svg_id=f"compare-map-{number}",
            )
            side_data["table_url"] = (
                reverse(
                    "networks:snapshot",
                    args=[person.public_id, side_data["snapshot"].public_id],
                )
                if "snapshot" in side_data
                else _map_url(person) + "#members-table"
            )
        context.update(
            before=before,
            after=after,
            sides=(before, after),
            changes=changes,
            metric_rows=metric_rows,
            breakdowns=breakdowns,
        )
    return render(request, "networks/compare.html", context)


EXPORT_TYPES = {
    ExportForm.MEMBERS_CSV: ("text/csv; charset=utf-8", "csv", "members"),
    ExportForm.TIES_CSV: ("text/csv; charset=utf-8", "csv", "links"),
    ExportForm.GRAPHML: ("application/graphml+xml", "graphml", "map"),
}


def _file_reference(person):
    """Whose map a download holds, for its file name: the organisation's
    reference (letters, digits and dashes only), else the start of the record's
    id. Never the person's name, which would show in download lists."""
    reference = re.sub(r"[^A-Za-z0-9-]+", "-", person.reference or "").strip("-")[:40]
    return reference or f"record-{person.public_id.hex[:8]}"


@require_http_methods(["GET", "POST"])
def export(request, public_id):
    person = get_service_user_for(request.user, public_id)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        what, real_labels = form.cleaned_data["what"], form.cleaned_data["real_labels"]
        data = selectors.map_data(person)
        if what == ExportForm.MEMBERS_CSV:
            body = exports.members_csv(data, real_labels=real_labels)
        elif what == ExportForm.TIES_CSV:
            body = exports.ties_csv(data, real_labels=real_labels)
        else:
            body = exports.graphml(
                data, real_labels=real_labels, person_label=person.preferred_name
            )
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            service_user=person,
            fields=["label"] if real_labels else [],
            request=request,
            detail=f"{what}, {'real labels' if real_labels else 'pseudonymised labels'}",
        )
        content_type, extension, name = EXPORT_TYPES[what]
        response = HttpResponse(body, content_type=content_type)
        filename = f"network-{name}-{_file_reference(person)}-{timezone.localdate():%Y-%m-%d}"
        filename += f".{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    if request.method == "GET":
        audit_view(request, person)
    return render(request, "networks/export.html", {"person": person, "form": form})
