"""Site-wide endpoints: the admin's EDTF preview and the favicon browsers ask for."""

from functools import cache
from pathlib import Path

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from core.widgets import describe_edtf


@require_GET
@staff_member_required
def edtf_preview(request: HttpRequest) -> JsonResponse:
    """Return the readable form and bounds of ``?value=`` for the EDTF input's live preview."""
    return JsonResponse(describe_edtf(request.GET.get("value", "")))


FAVICON = Path(__file__).resolve().parent / "static" / "core" / "public" / "favicon.svg"


@cache
def _favicon() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon at /favicon.ico, where browsers and feed readers look without being told.

    The pages name the same SVG in ``<link rel="icon">``; every browser that asks for
    /favicon.ico reads an SVG served there by its content type.
    """
    return HttpResponse(_favicon(), content_type="image/svg+xml")
