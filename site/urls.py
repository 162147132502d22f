from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

from . import page_routes

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("peer_support.accounts.urls")),
    path("search/", home_views.search, name="search"),
    path("spaces/", include("peer_support.spaces.urls")),
    path("my/", include("peer_support.my_spaces.urls")),
    path("rota/", include("peer_support.rotas.urls")),
    path("discussion/", include("peer_support.discussion.urls")),
    path("live/", include("peer_support.chat.urls")),
    path("safety-plan/", include("safeguarding.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's catch-all page serving comes last, routed from cache where it can be.
urlpatterns += [
    *(p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, page_routes.serve, name="wagtail_serve"),
]
