"""One editor on three surfaces: admin POSTs, GraphQL mutations and the seed importer (issue 8).

Each scenario of ``test_scenarios`` is run once per surface through ``Surfaces``, and asserts
the same rows and history whichever surface wrote them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from django.test import Client
from django.urls import reverse

from seeds.importer import seeds_import
from tests.admin.formdata import change_form_data
from tests.seeds.conftest import ARTICLE_TEXT, ARTICLE_YAML

EDITOR = "cross-editor"
IMPORTER = "import_seeds"


class Surfaces:
    """The three ways an editor's change reaches the services."""

    def __init__(self, client: Client, tmp_path: Path) -> None:
        self.client = client
        self.tmp_path = tmp_path

    # -- admin ---------------------------------------------------------------------------------

    def change_url(self, record: models.Model) -> str:
        meta = record._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])

    def admin_form(self, record: models.Model) -> tuple[dict[str, Any], Any]:
        response = self.client.get(self.change_url(record))
        assert response.status_code == 200
        return change_form_data(response), response

    def admin_post(self, record: models.Model, data: dict[str, Any]) -> Any:
        return self.client.post(self.change_url(record), data)

    # -- GraphQL -------------------------------------------------------------------------------

    def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables})
        response = self.client.post("/graphql/", body, content_type="application/json")
        assert response.status_code == 200, response.content
        payload = response.json()
        assert "errors" not in payload, payload
        return payload["data"]

    # -- importer ------------------------------------------------------------------------------

    def seed_copy(self) -> Path:
        """A copy of the seed article's YAML (and its text) in tmp, to edit and import."""
        shutil.copy(ARTICLE_TEXT, self.tmp_path / ARTICLE_TEXT.name)
        return Path(shutil.copy(ARTICLE_YAML, self.tmp_path / ARTICLE_YAML.name))

    def import_edited(self, old: str, new: str, *, after: str = "") -> Any:
        """Import the seed article with ``old`` replaced by ``new`` (the first time after ``after``)."""
        path = self.seed_copy()
        text = path.read_text(encoding="utf-8")
        start = text.index(after) if after else 0
        at = text.index(old, start)
        path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
        return seeds_import(paths=[path])


@pytest.fixture
def editor(db: Any) -> Any:
    """A staff editor holding every permission on the edited apps."""
    user = get_user_model().objects.create_user(EDITOR, password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=("places", "people", "events"))
    )
    return user


@pytest.fixture
def surfaces(client: Client, editor: Any, tmp_path: Path) -> Surfaces:
    client.force_login(editor)
    return Surfaces(client, tmp_path)
