"""Chancery URLs: public pages for readers, the admin for editors and the GraphQL API for frontends."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from config.schema import schema
from config.view import ChanceryGraphQLView
from core.outage import healthz
from core.views import edtf_preview, favicon

# An unreachable database answers 503 with Retry-After instead of a 500 page (core/outage.py).
handler500 = "core.outage.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # Before admin.site.urls, whose catch-all would otherwise answer it.
    path("admin/edtf-preview/", edtf_preview, name="edtf-preview"),
    path("admin/", admin.site.urls),
    # GraphiQL in a browser. The view checks CSRF itself, for signed-in users only, with the
    # cookie set here (docs/api.md).
    path(
        "graphql/",
        csrf_exempt(ensure_csrf_cookie(ChanceryGraphQLView.as_view(schema=schema, graphql_ide="graphiql"))),
        name="graphql",
    ),
    # Public, read-only pages: the explorer at "/", then each record's page.
    path("", include("events.urls")),
    path("", include("people.urls")),
    path("", include("places.urls")),
]
