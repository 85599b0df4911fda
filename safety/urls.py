from django.urls import path

from . import group_views, views

app_name = "safety"

alerts = "people/<uuid:public_id>/alerts/"
alert = alerts + "<uuid:alert_id>/"

urlpatterns = [
    path(alerts, views.alert_list, name="alerts"),
    path(alerts + "new/", views.alert_create, name="alert_create"),
    path(alert + "edit/", views.alert_edit, name="alert_edit"),
    path(alert + "end/", views.alert_end, name="alert_end"),
    path("safety/", views.safety_overview, name="overview"),
    path("safety/check-ins/new/", views.check_in_start, name="check_in_start"),
    path("safety/check-ins/<uuid:check_in_id>/back/", views.check_in_back, name="check_in_back"),
    path("safety/teams/<uuid:team_id>/check-ins/", views.team_check_ins, name="team_check_ins"),
    path("group-sessions/new/", group_views.group_session_create, name="group_session_create"),
    path(
        "people/<uuid:public_id>/group-sessions/new/",
        group_views.group_session_create_for,
        name="group_session_create_for",
    ),
    path("group-sessions/<uuid:group_id>/", group_views.group_session_detail, name="group_session"),
    path(
        "group-sessions/<uuid:group_id>/edit/",
        group_views.group_session_edit,
        name="group_session_edit",
    ),
]
