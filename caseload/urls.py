from django.urls import path

from . import views

app_name = "caseload"

urlpatterns = [
    path("<uuid:public_id>/", views.person_detail, name="person"),
]
