from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include
from django.urls import path
from django.views.generic import TemplateView

from core.media import serve_media
from core.moderation_admin import moderation_queue_view
from core.page_cache import last_good_copy
from directory import urls as directory_urls
from dsi_hub import views
from dsi_hub import views_contact

# The admin logs in through allauth, so its log-in is rate limited like everyone else's.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = "DSI Hub administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include("dsi_hub.urls_api")),
    path("data/", include("dsi_hub.urls_data")),
    path("", include("dsi_hub.urls_discovery")),
    # Pages to frame on other sites (core.embeds), in the language the path names.
    path("embed/<str:lang>/", include("explore.urls_embed")),
]

urlpatterns += i18n_patterns(
    # Shown from its last rendering while the database is away (core.page_cache).
    path("", last_good_copy(views.HomeView.as_view()), name="home"),
    path("search/", views.search, name="search"),
    path("about/", TemplateView.as_view(template_name="dsi_hub/about.html"), name="about"),
    path("terms/", TemplateView.as_view(template_name="dsi_hub/terms.html"), name="terms"),
    path("privacy/", TemplateView.as_view(template_name="dsi_hub/privacy.html"), name="privacy"),
    path("cookies/", TemplateView.as_view(template_name="dsi_hub/cookies.html"), name="cookies"),
    path("contact/", views_contact.contact, name="contact"),
    path("contact/thanks/", views_contact.contact_thanks, name="contact_thanks"),
    path("", include("directory.urls")),
    path("", include("dsi_hub.urls_pages")),
    path("feeds/", include((directory_urls.feed_urlpatterns, "feeds"))),
    path("events/", include("events.urls")),
    path("funding/", include("funding.urls")),
    path("stories/", include("stories.urls")),
    path("explore/", include("explore.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path(
        "admin/moderation/",
        admin.site.admin_view(moderation_queue_view),
        name="moderation_queue",
    ),
    path("admin/", admin.site.urls),
)

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [path(f"{media_prefix}/<path:path>", serve_media, name="media")]

handler400 = "dsi_hub.views.bad_request"
handler403 = "dsi_hub.views.permission_denied"
handler404 = "dsi_hub.views.page_not_found"
handler500 = "dsi_hub.views.server_error"
