"""Pages about the measures themselves and team figures (no one person's
record), under /outcomes/."""

from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<uuid:instrument_id>/", views.instrument_detail, name="instrument"),
    path("team/people/", views.team_people, name="team_people"),
    path("team/export.csv", views.team_export, name="team_export"),
]
