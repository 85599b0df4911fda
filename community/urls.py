from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/<uuid:agency_id>/", views.agency_detail, name="agency"),
    path("teams/<uuid:team_id>/", views.team_register, name="team"),
    path("teams/<uuid:team_id>/print/", views.team_print, name="team_print"),
    path("teams/<uuid:team_id>/links/add/", views.link_add, name="link_add"),
    path("teams/<uuid:team_id>/links/<uuid:link_id>/", views.link_detail, name="link"),
    path("teams/<uuid:team_id>/links/<uuid:link_id>/edit/", views.link_edit, name="link_edit"),
    path(
        "teams/<uuid:team_id>/links/<uuid:link_id>/contact/",
        views.link_contact,
        name="link_contact",
    ),
    path(
        "teams/<uuid:team_id>/links/<uuid:link_id>/remove/",
        views.link_delete,
        name="link_delete",
    ),
]
