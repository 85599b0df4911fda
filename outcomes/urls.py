"""A person's outcome measures, under /people/<uuid>/outcomes/."""

from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.outcome_list, name="list"),
    path("new/", views.result_create, name="result_create"),
    path("<uuid:result_id>/", views.result_detail, name="result"),
    path("<uuid:result_id>/edit/", views.result_edit, name="result_edit"),
    path("<uuid:result_id>/delete/", views.result_delete, name="result_delete"),
]
