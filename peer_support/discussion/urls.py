from django.urls import path

from . import views

app_name = "discussion"

urlpatterns = [
    path("space/<int:space_id>/", views.thread_list, name="threads"),
    path("space/<int:space_id>/new/", views.thread_new, name="thread_new"),
    path("space/<int:space_id>/rules/", views.rules_accept, name="rules_accept"),
    path("space/<int:space_id>/break/", views.space_break, name="space_break"),
    path("muted/", views.muted, name="muted"),
    path("member/<int:user_id>/mute/", views.mute_member, name="mute_member"),
    path("thread/<int:thread_id>/", views.thread_detail, name="thread"),
    path("thread/<int:thread_id>/reply/", views.post_reply, name="reply"),
    path("thread/<int:thread_id>/follow/", views.thread_follow, name="follow"),
    path(
        "thread/<int:thread_id>/settings/",
        views.thread_settings,
        name="thread_settings",
    ),
    path("post/<int:post_id>/", views.post_link, name="post"),
    path("post/<int:post_id>/edit/", views.post_edit, name="edit"),
    path("post/<int:post_id>/delete/", views.post_delete, name="delete"),
    path("post/<int:post_id>/helped/", views.post_helped, name="helped"),
    path("post/<int:post_id>/flag/", views.post_flag, name="flag"),
    path("decisions/", views.my_sanctions, name="my_sanctions"),
    path("decisions/<int:sanction_id>/appeal/", views.appeal, name="appeal"),
]
