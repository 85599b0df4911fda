from django.urls import path

from . import rights_views, views

app_name = "caseload"

person = "<uuid:public_id>/"
session = person + "sessions/<uuid:session_id>/"
rights = person + "data-rights/"
sar = rights + "access-requests/<uuid:sar_id>/"
erasure = rights + "erasure/<uuid:erasure_id>/"

urlpatterns = [
    path("", views.caseload_list, name="list"),
    path("new/", views.person_create, name="person_create"),
    path(person, views.person_detail, name="person"),
    path(person + "edit/", views.person_edit, name="person_edit"),
    path(person + "consent/", views.person_consent, name="person_consent"),
    path(person + "what-matters/", views.person_what_matters, name="person_what_matters"),
    path(person + "ending-summary/", views.person_ending_summary, name="ending_summary"),
    path(person + "close/", views.person_close, name="person_close"),
    path(person + "reopen/", views.person_reopen, name="person_reopen"),
    path(person + "reallocate/", views.person_reallocate, name="reallocate"),
    path(person + "access-log/", views.person_audit_log, name="audit_log"),
    path(person + "sessions/", views.session_list, name="sessions"),
    path(person + "sessions/new/", views.session_create, name="session_create"),
    path(session, views.session_detail, name="session"),
    path(session + "edit/", views.session_edit, name="session_edit"),
    path(session + "delete/", views.session_delete, name="session_delete"),
    # Data rights (supervisors of the person's team; erasures also administrators)
    path("erasures/", rights_views.erasure_list, name="erasure_list"),
    path(rights, rights_views.data_rights, name="data_rights"),
    path(rights + "access-requests/new/", rights_views.sar_create, name="sar_create"),
    path(sar, rights_views.sar_detail, name="sar"),
    path(sar + "prepare/", rights_views.sar_prepare, name="sar_prepare"),
    path(sar + "answered/", rights_views.sar_answered, name="sar_answered"),
    path(sar + "copies/<uuid:copy_id>/", rights_views.sar_download, name="sar_download"),
    path(rights + "legal-hold/", rights_views.legal_hold, name="legal_hold"),
    path(rights + "erasure/new/", rights_views.erasure_create, name="erasure_create"),
    path(erasure, rights_views.erasure_detail, name="erasure"),
    path(erasure + "erase/", rights_views.erasure_carry_out, name="erasure_carry_out"),
]
