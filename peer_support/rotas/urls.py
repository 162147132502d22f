from django.urls import path

from . import views

app_name = "rotas"

urlpatterns = [
    path("", views.my_rota, name="my_rota"),
    path("shifts/<int:shift_id>/claim/", views.shift_claim, name="claim"),
    path("shifts/<int:shift_id>/offer/", views.swap_offer, name="offer"),
    path("offers/<int:swap_id>/accept/", views.swap_accept, name="accept"),
    path("offers/<int:swap_id>/withdraw/", views.swap_withdraw, name="withdraw"),
    path("availability/", views.availability, name="availability"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
