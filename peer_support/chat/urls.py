from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("<int:session_id>/", views.chat_room, name="room"),
    path("<int:session_id>/events/", views.chat_events, name="events"),
    path("<int:session_id>/post/", views.chat_post, name="post"),
    path("<int:session_id>/act/", views.chat_act, name="act"),
]
