"""Form pieces shared by the editors' admin."""

from typing import Any

from django import forms


class ChangeReasonForm(forms.ModelForm):
    """A model form with the optional reason for change that the history keeps."""

    change_reason = forms.CharField(
        label="Reason for change",
        required=False,
        max_length=500,
        strip=True,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=(
            "Optional: why you made this change, e.g. 'date corrected from the ministry's communiqué'. "
            "It is kept in the history with your name, for this record and every row changed below."
        ),
    )


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
