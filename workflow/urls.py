from django.urls import path

from . import fidelity_views, referral_views, views

app_name = "workflow"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/week/", views.my_week, name="my_week"),
    path("dashboard/", views.supervisor_dashboard, name="dashboard"),
    path("dashboard/people/", views.dashboard_people, name="dashboard_people"),
    path("dashboard/export.csv", views.dashboard_export, name="dashboard_export"),
    path("people/<uuid:public_id>/journey/", views.journey, name="journey"),
    path(
        "people/<uuid:public_id>/fidelity/",
        fidelity_views.person_self_assessments,
        name="fidelity_person",
    ),
    path(
        "people/<uuid:public_id>/fidelity/new/",
        fidelity_views.self_assessment_create,
        name="self_assessment_create",
    ),
    path(
        "dashboard/fidelity/",
        fidelity_views.team_self_assessments,
        name="fidelity_self_assessments",
    ),
    path("reports/agencies/", fidelity_views.agency_report, name="agency_report"),
    path("reports/agencies/export.csv", fidelity_views.agency_export, name="agency_export"),
    path("reports/agencies/<uuid:agency_id>/", fidelity_views.agency_detail, name="agency_detail"),
    path("people/<uuid:public_id>/stage/", views.move_stage, name="move_stage"),
    path(
        "toolkit/directory/<uuid:public_id>/suggest/",
        referral_views.service_suggest,
        name="service_suggest",
    ),
    path(
        "people/<uuid:public_id>/suggest/<uuid:service_id>/",
        referral_views.suggest_to_person,
        name="suggest_to_person",
    ),
    path("people/<uuid:public_id>/suggestions/", referral_views.referral_list, name="referrals"),
    path(
        "people/<uuid:public_id>/suggestions/<uuid:referral_id>/",
        referral_views.referral_update,
        name="referral",
    ),
    path(
        "people/<uuid:public_id>/sessions/<uuid:session_id>/suggestions/",
        referral_views.session_referrals,
        name="session_referrals",
    ),
    path(
        "toolkit/curation/needs-checking/",
        referral_views.needs_checking,
        name="needs_checking",
    ),
    path("people/<uuid:public_id>/my-summary/", views.person_summary, name="person_summary"),
    path(
        "people/<uuid:public_id>/my-summary/print/",
        views.person_summary_print,
        name="person_summary_print",
    ),
]
