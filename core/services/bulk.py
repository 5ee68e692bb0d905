"""Prepare rows and their historical rows for insertion in bulk (issue 8 throughput).

Django's ``bulk_create`` compiles every value of every row through the SQL
compiler; simple-history's bulk helpers build a model instance per historical
row first. At import sizes (tens of thousands of rows) that compile was most of
the write. Here values are prepared with the fields' own
``pre_save``/``get_db_prep_save`` (so fuzzy-date bounds, JSON and UUIDs are stored
exactly as a save stores them), once per field and batch, and sent by
``core.services.statements`` (``COPY`` on PostgreSQL, multi-row ``VALUES`` on SQLite).
Historical rows carry what simple-history's bulk helpers give them: the
tracked fields, history date, type, user, reason (per row where the row has
its own), the link to the record and the edit id (``core.edits``).
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any

from django.db import models
from django.db.models.base import ModelState
from django.utils import timezone

from core.edits import Edit
from core.services.statements import default_connection, insert_statements

# Fields whose Python values (validated rows: str, int, bool, None) go to the driver as they
# are; Django's get_db_prep_save would only hand them back. Dates, datetimes, UUIDs, JSON and
# floats keep their field's own preparation.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.AutoField,
    models.BigAutoField,
)


def _preparer(f: models.Field, db: Any) -> Callable[[Any], Any]:
    target = f.target_field if f.is_relation else f
    if isinstance(target, _AS_IS) and not isinstance(f, models.JSONField):
        return _same
    if type(target) is models.DateField:
        # A validated row's day is a date (or None): the backend's adaptation is all a
        # save does to it (get_db_prep_save's to_python would only hand it back).
        return _same if db.vendor == "postgresql" else db.ops.adapt_datefield_value
    if type(target) is models.DateTimeField:
        return _datetime(f, db)
    if type(f) is models.JSONField and f.encoder is None:
        return _json(f, db)
    return lambda value: f.get_db_prep_save(value, db)


# JSON's text as json.dumps writes it, from an encoder made once and without the cycle check (a
# row's values are plain data: no value holds itself). A record's baseline and its changes-log
# entry are a JSON value each: json.dumps' check was a fifth of their encoding (issue 25).
_JSON_TEXT = json.JSONEncoder(check_circular=False).encode


def _json(f: models.JSONField, db: Any) -> Callable[[Any], Any]:
    """A JSON field with Django's own encoder: a dict or list is written as ``get_db_prep_save``
    writes it, with the text from ``_JSON_TEXT``; anything else (None, an expression) takes the
    field's own path."""
    if db.vendor == "postgresql":
        from django.db.backends.postgresql.psycopg_any import Jsonb  # what Django adapts JSON to

        def adapt(value: Any) -> Any:
            return Jsonb(value, dumps=_JSON_TEXT)
    else:
        adapt = _JSON_TEXT

    def prepare(value: Any) -> Any:
        if type(value) is dict or type(value) is list:
            return adapt(value)
        return f.get_db_prep_save(value, db)

    return prepare


def _datetime(f: models.Field, db: Any) -> Callable[[Any], Any]:
    """An aware datetime (``auto_now``, ``timezone.now()``) needs only the backend's adaptation;
    anything else (naive, text) takes the field's own path, with its warning."""
    adapt = db.ops.adapt_datetimefield_value
    # SQLite stores a UTC connection's aware datetime as its naive text: Django's adaptation
    # (is_aware, settings, astimezone) was 7 µs a value, a datetime or two on every row.
    utc = db.vendor == "sqlite" and db.timezone is datetime.UTC
    # The last datetime prepared, and its form: a batch's rows mostly share one (the time of
    # a merge, of an insert's history), so it is prepared once. Held here, it is the same object
    # for as long as it is compared with.
    last: list[Any] = [None, None]

    def prepare(value: Any) -> Any:
        if value is None:
            return None
        if value is last[0]:
            return last[1]
        if type(value) is datetime.datetime and value.tzinfo is not None:
            if utc and value.tzinfo is datetime.UTC:
                prepared = str(value.replace(tzinfo=None))
            else:
                prepared = adapt(value)
            last[:] = value, prepared
            return prepared
        return f.get_db_prep_save(value, db)

    return prepare


def _same(value: Any) -> Any:
    return value


def new_instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """An unsaved ``model`` holding ``values`` (by field name or attname), every other field its default.

    What ``model(**values)`` gives, without ``Model.__init__``'s per-field descriptor work and
    signals (nothing in Chancery listens to ``pre_init``/``post_init``): for a row an import
    validated already and only inserts, ``__init__`` was a tenth of the write (issue 25). A
    related instance given by name goes in as its id, and is kept as the cached relation.
    What a row of these keys needs is worked out once per model and keys (``_template``).
    """
    constants, calls, attnames, related = _template(model, tuple(values))
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attrs = obj.__dict__
    attrs.update(constants)
    for attname, default in calls:
        attrs[attname] = default()
    if attnames is None:  # every key is its field's attname: the values go in as they are
        attrs.update(values)
    else:
        attrs.update(zip(attnames, values.values(), strict=True))
    for name, attname in related:
        if isinstance(value := values[name], models.Model):
            state.fields_cache[name] = value
            attrs[attname] = value.pk
    return obj


@functools.cache
def _template(
    model: type[models.Model], keys: tuple[str, ...]
) -> tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]], list[str] | None, list[tuple[str, str]]]:
    """For rows of ``model`` given ``keys``: the defaults that are constants (a field's own value,
    or its empty value), the defaults made anew for each row (a callable, ``list``), the attname
    each key sets, and the keys naming a relation (which may be given an instance)."""
    meta = model._meta
    constants: dict[str, Any] = {}
    calls: list[tuple[str, Callable[[], Any]]] = []
    for f in meta.concrete_fields:
        if f.name in keys or f.attname in keys:
            continue
        if _constant_default(f):
            constants[f.attname] = f.get_default()
        else:
            calls.append((f.attname, f.get_default))
    attnames, related = [], []
    for name in keys:
        f = meta.get_field(name)
        attnames.append(f.attname)
        if f.is_relation and f.name == name and f.attname != name:
            related.append((name, f.attname))
    # None where the keys are the attnames already (an import's child rows: ids by attname).
    return constants, calls, None if attnames == list(keys) else attnames, related


def _constant_default(f: models.Field) -> bool:
    """Whether ``f.get_default()`` gives the same object every time: a value given as the default
    (not a callable such as ``list``) or the field's empty value (None, "")."""
    plain = type(f).get_default in (models.Field.get_default, models.ForeignKey.get_default)
    return plain and not f.has_db_default() and not (f.has_default() and callable(f.default))


def _plain_pre_save(f: models.Field) -> bool:
    """Whether ``f.pre_save`` only reads the attribute: Django's own, or a date field's when it
    is not ``auto_now``/``auto_now_add`` (then it is Django's own)."""
    pre_save = type(f).pre_save
    if pre_save is models.Field.pre_save:
        return True
    dated = pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save)
    return dated and not f.auto_now and not f.auto_now_add


# _FROM_DICT: a model's field values are read from the instance's ``__dict__``, where Django keeps
# them. Read as attributes, a foreign key's id goes through Python code each time (its attname is
# a data descriptor on the class, ForeignKeyDeferredAttribute): 700,000 such reads were a tenth
# of the 20,000-event import's own write (issue 25, item 3). A field deferred by ``only()`` is not
# in ``__dict__``: that instance is read as attributes, which loads it.


def _column_values(
    fields: Sequence[models.Field], instances: Sequence[models.Model], db: Any
) -> list[list[Any]]:
    """Each instance's values for ``fields``, as a save stores them: ``pre_save`` then the driver's form.

    A field whose ``pre_save`` is Django's own only reads the attribute: those are read for
    all fields at once, from the instance's ``__dict__`` (``_FROM_DICT``). The others (a fuzzy
    date and its bounds, a search key, ``auto_now``) run their ``pre_save`` first, in field
    order, as a save does.
    """
    special = [(i, f) for i, f in enumerate(fields) if not _plain_pre_save(f)]
    preps = [(i, prep) for i, f in enumerate(fields) if (prep := _preparer(f, db)) is not _same]
    attnames = [f.attname for f in fields] * (2 if len(fields) == 1 else 1)  # a tuple even for one
    take, read = itemgetter(*attnames), attrgetter(*attnames)
    width = len(fields)
    rows = []
    for obj in instances:
        saved = [(i, f.pre_save(obj, True)) for i, f in special] if special else ()
        try:
            row = list(take(obj.__dict__))
        except KeyError:  # a deferred field: read as an attribute, which loads it
            row = list(read(obj))
        if len(row) != width:
            del row[width:]
        for i, value in saved:
            row[i] = value
        for i, prep in preps:
            row[i] = prep(row[i])
        rows.append(row)
    return rows


def insert_rows(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert ``instances`` (new rows of ``model``) and give each its new id."""
    if not instances:
        return
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if not f.primary_key or f.attname is None]
    given = list(map(attrgetter(pk.attname), instances))
    if given.count(None) != len(given):  # an id given: written as given
        fields = list(meta.concrete_fields)
    auto = pk not in fields
    db = default_connection()
    rows = _column_values(fields, instances, db)
    ids = insert_statements(meta.db_table, fields, rows, pk.column if auto else None)
    for obj, new_id in zip(instances, ids if auto else [None] * len(instances), strict=True):
        if auto:
            setattr(obj, pk.attname, new_id)
        obj._state.adding = False
        obj._state.db = db.alias


def insert_history(
    model: type[models.Model], instances: Sequence[models.Model], *, edit: Edit, history_type: str
) -> None:
    """Write one historical row per instance (``+`` inserted, ``~`` changed), tagged with ``edit``."""
    if not instances:
        return
    history = historical_model(model)
    hmeta = history._meta
    user_id = edit.actor.pk if edit.actor is not None else None
    fields = [f for f in hmeta.concrete_fields if not f.primary_key]
    own = {f.attname for f in history.tracked_fields}
    db = default_connection()
    # What every row of the batch shares is prepared once, not once a row (at import sizes the
    # per-row preparation of the same datetime and edit id was a sixth of the history write).
    shared = {"history_date": timezone.now(), "history_type": history_type, "history_edit": edit.id}
    columns = [f.attname for f in fields]
    own_names = [n for n in columns if n in own and n not in shared]
    defaults = [f for f in fields if f.attname not in own | shared.keys() | _PER_ROW]
    # A default with no callable (history_valid_until's None) is the same object every row.
    made = [f for f in defaults if not _constant_default(f)]
    constants = {f.attname: f.get_default() for f in defaults if f not in made}
    constants.update(shared)
    # Each row's values go in one tuple laid out as ``names``: the record's own values, its
    # id, user and reason, the defaults made per row, then the batch's constants as they are and
    # as the driver takes them. The row written and the row the edit keeps are each read from
    # it by position (in C): no dict a row (that, and setting each column in turn, was half the
    # history write's own CPU at import sizes).
    made_names = [f.attname for f in made]
    const_names = list(constants)
    names = [*own_names, "history_relation_id", "history_user_id", "history_change_reason", *made_names]
    names += const_names
    prepared = [_preparer(hmeta.get_field(n), db)(constants[n]) for n in const_names]
    consts = (*constants.values(), *prepared)
    at_prepared = {n: len(names) + i for i, n in enumerate(const_names)}
    take = itemgetter(*[at_prepared.get(n, names.index(n)) for n in columns])
    preps = [
        (i, prep)
        for i, f in enumerate(fields)
        if f.attname not in at_prepared and (prep := _preparer(f, db)) is not _same
    ]
    # The record's own values and its id (own_names holds "id" too: a tuple either way), read as
    # _column_values reads them (_FROM_DICT).
    mine = [*own_names, model._meta.pk.attname]
    take_mine, read_mine = itemgetter(*mine), attrgetter(*mine)
    reason = edit.reason
    values_of: list[tuple[Any, ...]] = []
    rows = []
    for obj in instances:
        # _history_user and _change_reason are set by core.history.tag_revision where a row has its own.
        tags = obj.__dict__
        try:
            own_values = take_mine(tags)
        except KeyError:  # a deferred field: read as an attribute, which loads it
            own_values = read_mine(obj)
        user = tags.get("_history_user")
        values = (
            *own_values,
            user.pk if user is not None else user_id,
            tags.get("_change_reason") or reason,
        )
        if made:
            values = (*values, *[f.get_default() for f in made])
        values += consts
        values_of.append(values)
        row = list(take(values))
        for i, prep in preps:
            row[i] = prep(row[i])
        rows.append(row)
    # The edit keeps what it wrote, compactly: the changes log is made from it (core.changelog).
    edit.rows.add_many(history, names, values_of)
    insert_statements(hmeta.db_table, fields, rows, None)


@functools.cache
def historical_model(model: type[models.Model]) -> type[models.Model]:
    """``model``'s historical model, looked up once: ``model.history`` builds a new manager class
    on every access (simple-history's descriptor runs ``from_queryset``, which walks the queryset
    class's members), a few hundred µs each batch of every table an import writes."""
    return model.history.model  # type: ignore[attr-defined]


# The historical columns each row fills itself (the rest: its record's values, the batch's, defaults).
_PER_ROW = frozenset({"history_user_id", "history_change_reason", "history_relation_id"})
