from django.urls import path

from . import views

app_name = "spaces"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("facilitate/", views.managed_spaces, name="managed"),
    path("<int:space_id>/join/", views.space_join, name="join"),
    path("<int:space_id>/leave/", views.space_leave, name="leave"),
    path("<int:space_id>/rules/", views.space_rules_accept, name="rules_accept"),
    path("<int:space_id>/manage/", views.space_manage, name="manage"),
    path("<int:space_id>/manage/invites/", views.invite_new, name="invite_new"),
    path(
        "<int:space_id>/manage/<int:membership_id>/history/",
        views.membership_history_view,
        name="history",
    ),
    path(
        "<int:space_id>/manage/<int:membership_id>/<slug:action>/",
        views.membership_decide,
        name="decide",
    ),
]
