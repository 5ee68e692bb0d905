"""Admin-side endpoints."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from core.widgets import describe_edtf


@require_GET
@staff_member_required
def edtf_preview(request: HttpRequest) -> JsonResponse:
    """Return the readable form and bounds of ``?value=`` for the EDTF input's live preview."""
    return JsonResponse(describe_edtf(request.GET.get("value", "")))
