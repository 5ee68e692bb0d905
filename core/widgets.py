"""Form widgets for editors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.fuzzydates import FuzzyDate


def describe_edtf(value: str) -> dict[str, Any]:
    """Return what an EDTF value means, or why it is refused, for the live preview."""
    try:
        fuzzy = FuzzyDate.parse(value)
    except ValidationError as error:
        return {
            "value": value,
            "display": None,
            "earliest": None,
            "latest": None,
            "precision": None,
            "uncertain": None,
            "approximate": None,
            "preview": None,
            "error": error.messages[0],
        }
    earliest = fuzzy.earliest.isoformat() if fuzzy.earliest else None
    latest = fuzzy.latest.isoformat() if fuzzy.latest else None
    return {
        "value": fuzzy.edtf,
        "display": fuzzy.display,
        "earliest": earliest,
        "latest": latest,
        "precision": fuzzy.precision.value,
        "uncertain": fuzzy.uncertain,
        "approximate": fuzzy.approximate,
        "preview": f"{fuzzy.display} ({earliest or 'open'} to {latest or 'open'})",
        "error": None,
    }


class EDTFInput(forms.TextInput):
    """A text input for an EDTF date that shows the readable date as the editor types.

    The browser asks the server (``edtf-preview``) rather than parsing EDTF in
    JavaScript, so ``core.fuzzydates`` stays the one EDTF implementation.
    """

    template_name = "core/widgets/edtf_input.html"

    class Media:
        js = ("core/admin/edtf-preview.js",)
        css = {"all": ("core/admin/edtf-preview.css",)}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "edtf-input", "size": 20, "autocomplete": "off", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-edtf-preview-url"] = reverse("edtf-preview")
        # An invalid value gets no reading here: the form error above the field explains it.
        context["widget"]["preview"] = (describe_edtf(value)["preview"] or "") if value else ""
        return context
