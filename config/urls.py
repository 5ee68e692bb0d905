"""Chancery URLs: the admin for editors and the GraphQL API for frontends."""

from django.contrib import admin
from django.urls import path
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.generic import RedirectView

from config.schema import ChanceryGraphQLView, schema
from core.views import edtf_preview

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
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
]
