from django.contrib import admin
from django.urls import include, path

from . import board_views, stage_views, views

admin.site.site_header = "Connecting People administration"
admin.site.site_title = "Connecting People"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("board/", board_views.board, name="board"),
    path("dashboard/", board_views.supervisor_dashboard, name="dashboard"),
    path("dashboard/people/", board_views.dashboard_people, name="dashboard_people"),
    path("dashboard/export.csv", board_views.dashboard_export, name="dashboard_export"),
    path("", include("accounts.urls")),
    path("toolkit/", include("toolkit.urls")),
    path("api/oruk/", include("toolkit.api_urls")),
    path("people/<uuid:public_id>/journey/", stage_views.journey, name="journey"),
    path("people/<uuid:public_id>/stage/", stage_views.move_stage, name="move_stage"),
    path("people/", include("caseload.urls")),
    path("people/<uuid:public_id>/network/", include("networks.urls")),
    path("people/<uuid:public_id>/goals/", include("goals.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "connecting_people.views.error_403"
handler404 = "connecting_people.views.error_404"
handler500 = "connecting_people.views.error_500"
