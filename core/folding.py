"""Names folded for search: one ASCII, lower-case form of every way a name is written (issue 20).

A record's search key is every form of its name (the name, its aliases and, for people,
given + family name without the middle ones) folded the same way a reader's query is, so
"Walesa" meets "Wałęsa", "Зеленський" meets "Zelenskyy" and "John Kerry" meets "John Forbes
Kerry" with a plain word-prefix match, identical on SQLite and PostgreSQL. The key is stored
(:class:`SearchKeyField`) and kept by the field's ``pre_save``, so every write path — model
``save()``, the services' bulk inserts and grouped updates — fills it in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from anyascii import anyascii
from django.db import models
from nameparser import HumanName
from rapidfuzz import fuzz

# Between forms in a stored key; never produced by fold(), so a form never spans two.
SEPARATOR = "|"
# Apostrophes (a Ukrainian soft sign transliterates as one) join; everything else separates.
_JOINERS = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Transliterations disagree on a Slavic "-ий/-ій/-ый" ending: Zelenskyy, Zelenskyi, Zelenskiy,
# Zelensky are one name. After three letters, such an ending folds to a plain "y".
_SLAVIC_ENDING = re.compile(r"(?<=[a-z]{3})(?:iy|yy|yi|ij|ii|yj)\b")


def fold(text: str) -> str:
    """Return ``text`` in ASCII, lower case, words separated by one space (the searched form)."""
    ascii_text = _JOINERS.sub("", anyascii(text).lower())
    words = _NON_WORD.sub(" ", ascii_text).split()
    return _SLAVIC_ENDING.sub("y", " ".join(words))


def new_names(names: Iterable[str], *, known: Iterable[str] = ()) -> list[str]:
    """Return each of ``names`` once, the first spelling of each, less those in ``known`` and empty ones.

    Names are compared without case ("NATO" is "Nato"), as aliases are.
    """
    seen = {name.casefold() for name in known}
    first: dict[str, str] = {}
    for name in names:
        if name:
            first.setdefault(name.casefold(), name)
    return [name for folded, name in first.items() if folded not in seen]


def given_and_family(folded: str) -> str | None:
    """Return the first and last name of a folded full name without its middle names, if it has any."""
    if len(folded.split()) < 3:
        return None
    parsed = HumanName(folded)
    short = " ".join(part for part in (parsed.first, parsed.last) if part)
    return short if short and short != folded and len(short.split()) == 2 else None


def search_key(forms: Iterable[str], *, short_forms: bool = False) -> str:
    """Return the stored key of ``forms``: each folded once, as ``| form | form |``.

    With ``short_forms`` a full name also stands as given + family ("john kerry").
    """
    folded: list[str] = []
    for form in forms:
        if not isinstance(form, str) or not (text := fold(form)):
            continue
        folded.append(text)
        if short_forms and (short := given_and_family(text)):
            folded.append(short)
    unique = list(dict.fromkeys(folded))
    return f"{SEPARATOR} {f' {SEPARATOR} '.join(unique)} {SEPARATOR}" if unique else ""


def key_forms(key: str) -> list[str]:
    """Return the folded forms a stored key holds."""
    return [form.strip() for form in key.split(SEPARATOR) if form.strip()]


def word_prefix(token: str) -> str:
    """The key substring meaning "a word starts with ``token``" (every word follows a space)."""
    return f" {token}"


def exact_form(folded: str) -> str:
    """The key substring meaning "one form is exactly ``folded``"."""
    return f"{SEPARATOR} {folded} {SEPARATOR}"


def similarity(query_tokens: Sequence[str], key: str) -> float:
    """Score 0-100 how closely the best form of ``key`` spells the query, word by word.

    Each query word is compared with the form's closest word (rapidfuzz's ratio) and the
    form scores its worst word: "kery" against "john forbes kerry" scores as "kery" against
    "kerry", and "donetska oblast" is not near "odeska oblast" for sharing "oblast".
    """
    best = 0.0
    for form in key_forms(key):
        words = form.split()
        best = max(best, min(max(fuzz.ratio(token, word) for word in words) for token in query_tokens))
    return best


class SearchKeyField(models.TextField):
    """The folded forms of a record's names, computed on every save from its ``derived_from`` fields.

    Each of those fields holds a name or a list of names (aliases); with ``short_forms`` a full
    name also stands as given + family name. The services' grouped updates recompute the key
    when one of them changes (core.services.rows), so no write path can leave it stale.
    """

    description = "Folded search key"

    def __init__(
        self,
        *args: Any,
        derived_from: Sequence[str] = ("name", "aliases"),
        short_forms: bool = False,
        **kwargs: Any,
    ) -> None:
        self.derived_from = tuple(derived_from)
        self.short_forms = short_forms
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["derived_from"] = list(self.derived_from)
        if self.short_forms:
            kwargs["short_forms"] = True
        for key, default in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def key_of(self, instance: models.Model) -> str:
        """Return the key ``instance``'s names give."""
        forms: list[str] = []
        for name in self.derived_from:
            value = getattr(instance, name)
            forms.extend(value if isinstance(value, list) else [value or ""])
        return search_key(forms, short_forms=self.short_forms)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.key_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def _register_trigram_lookup() -> None:
    # django.contrib.postgres is not an installed app (SQLite is the default database), so its
    # trigram lookups are registered on this field alone: `%>` is what the GIN index serves.
    from django.contrib.postgres.lookups import TrigramWordSimilar

    SearchKeyField.register_lookup(TrigramWordSimilar)


_register_trigram_lookup()
