"""What the admin refuses before a form or a query sees it (issue 19, item 11).

An id in the address that the primary key cannot hold is a 404, not a 500; text sent as
bytes that are not UTF-8 is a form error, as the API's 400 is, not U+FFFD or mojibake stored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest

NOT_UTF8 = (
    "This text was sent as bytes that are not UTF-8, so it cannot be read as sent; "
    "nothing was saved. Type or paste it again."
)


def id_or_404(model: type[models.Model], object_id: str | None) -> None:
    """Raise Http404 unless ``object_id`` (from an admin address) is a value ``model``'s key can hold.

    Django's ``<path:object_id>`` takes ``7155/change`` too (``…/7155/change/history/`` is the
    history page of that "id"), and an id the column cannot hold failed in the queries.
    """
    if object_id is None:
        return
    field = model._meta.pk
    try:
        field.run_validators(field.to_python(unquote(object_id)))
    except (ValidationError, ValueError, TypeError):
        raise Http404(f"{object_id!r} is not a {model._meta.verbose_name} id.") from None


def undecodable_fields(request: HttpRequest) -> list[str]:
    """Name the POSTed fields whose bytes are not UTF-8.

    Django reads such bytes leniently: a urlencoded body that is not UTF-8 is decoded whole as
    Latin-1, and a multipart part with ``errors="replace"`` (U+FFFD). So a urlencoded body is
    checked in its raw bytes (Django keeps them), a multipart one by the U+FFFD it holds.
    """
    if request.method != "POST":
        return []
    if request.content_type == "application/x-www-form-urlencoded":
        names = []
        for pair in request.body.split(b"&"):
            name, _, value = pair.partition(b"=")
            try:
                unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                names.append(unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace"))
        return names
    return [name for name, values in request.POST.lists() if any("\ufffd" in v for v in values)]


def refusing_undecodable(form_class: type[BaseForm], names: list[str]) -> type[BaseForm]:
    """``form_class`` with an error on each of ``names`` (an inline's field: on the form itself)."""

    class Refusing(form_class):  # type: ignore[valid-type,misc]
        def clean(self) -> Any:
            cleaned = super().clean()
            for name in names:
                if name in self.fields:
                    self.add_error(name, NOT_UTF8)
                else:
                    self.add_error(None, f"{name}: {NOT_UTF8}")
            return cleaned

    Refusing.__name__ = form_class.__name__
    return Refusing


class IdsChecked:
    """Admin views that take an id from the address answer 404 for one the key cannot hold."""

    model: type[models.Model]

    def change_view(self, request: Any, object_id: str, *args: Any, **kwargs: Any) -> Any:
        id_or_404(self.model, object_id)
        return super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc]

    def history_view(self, request: Any, object_id: str, *args: Any, **kwargs: Any) -> Any:
        id_or_404(self.model, object_id)
        return super().history_view(request, object_id, *args, **kwargs)  # type: ignore[misc]

    def delete_view(self, request: Any, object_id: str, *args: Any, **kwargs: Any) -> Any:
        id_or_404(self.model, object_id)
        return super().delete_view(request, object_id, *args, **kwargs)  # type: ignore[misc]
