"""The admin index's count of what imports left for editors (seeds/templates/admin/index.html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from core.permissions import may
from people.models import CandidateStatus, PersonCandidate
from seeds.models import ConflictStatus, ImportConflict

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_work(context: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(label, open count, list URL) of each list an import fills for editors, that the user may see."""
    user = context["request"].user
    work = []
    if may(user, "view", ImportConflict) or may(user, "change", ImportConflict):
        count = ImportConflict.objects.filter(status=ConflictStatus.OPEN).count()
        work.append(("Import conflicts to decide", count, reverse("admin:seeds_importconflict_changelist")))
    if may(user, "view", PersonCandidate) or may(user, "change", PersonCandidate):
        count = PersonCandidate.objects.filter(status=CandidateStatus.OPEN).count()
        work.append(("Possible duplicate people", count, reverse("admin:people_personcandidate_changelist")))
    return work
