"""Form pieces shared by the editors' admin."""

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from core import limits
from core.services.versions import VERSION, has_version
from core.validators import text_problem


class CheckedTextForm(forms.ModelForm):
    """A model form refusing text the database should not hold: over its limit, NUL, lone surrogates.

    The same check as the services' (``core.validators``), so the admin and the API agree on
    what text is acceptable and say so in the same words.
    """

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if not isinstance(value, str):
                continue
            try:
                field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field (the change reason) has its own max_length
                field = None
            max_length = getattr(field, "max_length", None)
            limit = limits.text_limit(name, max_length) if isinstance(field, models.Field) else None
            if problem := text_problem(value, limit=limit):
                self.add_error(name, problem)
        return cleaned


NO_VERSION = (
    "This form carries no version, so it cannot tell whether someone saved since it was shown: "
    "nothing was saved. Reload the page and make your change again."
)


class ChangeReasonForm(CheckedTextForm):
    """A model form with the optional reason for change that the history keeps."""

    change_reason = forms.CharField(
        label="Reason for change",
        required=False,
        max_length=limits.REASON,
        strip=True,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=(
            "Optional: why you made this change, e.g. 'date corrected from the ministry's communiqué'. "
            "It is kept in the history with your name, for this record and every row changed below."
        ),
    )
    # The version the form was rendered from (issue 8): a save based on a stale read is refused.
    # Required on a change form: a POST without it would save unchecked (issue 19).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # The version the editor first read. A refused stale form comes back at the version stored
    # now (expected_version) but keeps this one, so a second save writes only the fields the
    # editor changed from what they read, never the stale values of the others (issue 19).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_version(self._meta.model):
            del self.fields["expected_version"]
            del self.fields["base_version"]
        elif self.instance.pk is not None:
            self.fields["expected_version"].initial = getattr(self.instance, VERSION)
            self.fields["base_version"].initial = getattr(self.instance, VERSION)
        else:
            del self.fields["base_version"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Checked here, not as a required field: a hidden field's error would not be shown.
        if (
            "expected_version" in self.fields
            and self.instance.pk is not None
            and data.get("expected_version") is None
            and "expected_version" not in self.errors
        ):
            self.add_error(None, NO_VERSION)
        return data


class AliasesField(forms.JSONField):
    """The aliases JSON list edited as one name a line, not as JSON text."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def __init__(self, **kwargs: Any) -> None:
        kwargs["help_text"] = " ".join(filter(None, [kwargs.get("help_text"), "One name a line."]))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if self.disabled or isinstance(value, list):
            return value
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial if self.disabled else self.to_python(data)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(str(name) for name in value)
        return "" if value is None else str(value)
