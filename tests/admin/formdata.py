"""Turn a rendered admin change form back into the POST data a browser would send."""

from __future__ import annotations

from typing import Any

from django import forms


def form_values(form: forms.BaseForm) -> dict[str, Any]:
    """Return one form's current values as POST data."""
    values = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if isinstance(field, forms.BooleanField):
            if value:
                values[form.add_prefix(name)] = "on"
            continue
        values[form.add_prefix(name)] = "" if value is None else value
    return values


def change_form_data(response: Any) -> dict[str, Any]:
    """Return the main form's and every inline formset's current values, management forms included."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def add_inline_row(data: dict[str, Any], prefix: str, **values: Any) -> None:
    """Append one new row to the inline formset ``prefix`` (e.g. 'participants')."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
