from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.goal_list, name="list"),
    path("new/", views.goal_create, name="create"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<uuid:review_id>/", views.review_detail, name="review"),
    path("sessions/<uuid:session_id>/", views.session_goals, name="session_goals"),
    path("<uuid:goal_id>/", views.goal_detail, name="goal"),
    path("<uuid:goal_id>/edit/", views.goal_edit, name="edit"),
    path("<uuid:goal_id>/steps/new/", views.step_create, name="step_create"),
    path("<uuid:goal_id>/steps/<uuid:step_id>/edit/", views.step_edit, name="step_edit"),
    path("<uuid:goal_id>/steps/<uuid:step_id>/done/", views.step_done, name="step_done"),
    path("<uuid:goal_id>/steps/<uuid:step_id>/delete/", views.step_delete, name="step_delete"),
]
