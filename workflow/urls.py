from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/week/", views.my_week, name="my_week"),
    path("dashboard/", views.supervisor_dashboard, name="dashboard"),
    path("dashboard/people/", views.dashboard_people, name="dashboard_people"),
    path("dashboard/export.csv", views.dashboard_export, name="dashboard_export"),
    path("people/<uuid:public_id>/journey/", views.journey, name="journey"),
    path("people/<uuid:public_id>/stage/", views.move_stage, name="move_stage"),
    path("people/<uuid:public_id>/my-summary/", views.person_summary, name="person_summary"),
    path(
        "people/<uuid:public_id>/my-summary/print/",
        views.person_summary_print,
        name="person_summary_print",
    ),
]
