from django.urls import path

from . import views

app_name = "my_spaces"

urlpatterns = [
    path("", views.my_spaces, name="home"),
    path(
        "withdraw/<int:membership_id>/",
        views.membership_withdraw,
        name="withdraw",
    ),
]
