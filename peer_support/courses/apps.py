from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "peer_support.courses"
    label = "courses"
    verbose_name = "Courses"
