from django.urls import path

from . import member_views

urlpatterns = [
    path("", member_views.safety_plan, name="safety_plan"),
]
