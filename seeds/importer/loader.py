"""Find seed files, parse their YAML keeping line numbers, and check each record's shape."""

from __future__ import annotations

import errno
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from pydantic import BaseModel, ValidationError

from core import limits
from core.gcpause import gc_paused
from seeds.importer.problems import Msg, Problem, shorten
from seeds.importer.schema import Record
from seeds.importer.sections import RECORDS, SeedFile
from seeds.importer.yamlsafe import (
    SURPRISE_TAG,
    SeedYAMLLoader,
    UnsafeFile,
    read_bounded,
    yaml_problem,
)

Loc = tuple[str | int, ...]
SUFFIXES = (".yaml", ".yml")


def display_name(path: Path) -> str:
    """Name a file as messages and history reasons show it: relative to the project when inside it."""
    path = path.resolve()
    try:
        return str(path.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


@dataclass
class SeedDocument:
    """One parsed seed file: its raw data, where each value sits, and its valid records."""

    path: Path
    name: str
    raw: dict[str, Any] = field(default_factory=dict)
    lines: dict[Loc, int] = field(default_factory=dict)
    gazetteer: bool = False
    records: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    # Where YAML 1.1 would misread an unquoted value: (location, line, the text as written).
    surprises: list[tuple[Loc, int, str]] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return f"import_seeds: {self.name}"

    def release(self) -> None:
        """Let the parsed values and records go once the set is planned (issue 25, item 3).

        The plan holds every record to write and lets each go once written; messages after
        planning need only the file's name and ``lines``.
        """
        self.raw = {}
        self.records = {}

    def line(self, loc: Loc) -> int | None:
        """Line of the deepest part of ``loc`` the file has (an unknown key's own line included)."""
        for end in range(len(loc), -1, -1):
            if (found := self.lines.get(loc[:end])) is not None:
                return found
        return None

    def record_key(self, section: str, index: int) -> str:
        items = self.raw.get(section)
        item = items[index] if isinstance(items, list) and index < len(items) else None
        if isinstance(item, dict):
            for key in ("slug", "code", "iso_code"):
                if isinstance(item.get(key), str):
                    return item[key]
        return f"{section}[{index}]"

    def problem(self, section: str, index: int, loc: Loc, message: str) -> Problem:
        """A problem in record ``section[index]`` at ``loc`` below it."""
        return Problem(
            self.name,
            self.line((section, index, *loc)),
            self.record_key(section, index),
            field_path(loc),
            message,
        )


# Each distinct set of field names given, shared by every record that gave that set.
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def share_fields_sets(record: BaseModel) -> BaseModel:
    """Make ``record`` and the records inside it share one "fields given" set per distinct set.

    pydantic keeps, per instance, the set of the field names the input gave (a 6-name set is
    728 bytes): for a treaty party that was two thirds of its size, ~60 MB of the default
    import's 87,000 parties (issue 25, item 3). Equal sets are one object now. Only
    ``model_copy`` reads or grows them here, and it copies the set first; the importer never
    assigns to a validated record, which would add the name to the shared set.
    """
    given = record.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(given), given)
    if shared is not given:
        object.__setattr__(record, "__pydantic_fields_set__", shared)
    for value in record.__dict__.values():
        if isinstance(value, BaseModel):
            share_fields_sets(value)
        elif isinstance(value, list):
            for element in value:
                if isinstance(element, BaseModel):
                    share_fields_sets(element)
    return record


def field_path(loc: Loc) -> str:
    """Render a location inside a record: participants[0].person."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def find_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to the YAML files below them, sorted; name paths that give none."""
    found: list[Path] = []
    problems = []
    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
        else:
            candidates = [path] if path.suffix in SUFFIXES or path.is_symlink() else []
        files, unreadable = [], []
        for candidate in candidates:
            if (problem := _link_problem(candidate)) is not None:
                unreadable.append(Problem(display_name_unresolved(candidate), None, "", "", problem))
            elif candidate.is_file():
                files.append(candidate)
        problems.extend(unreadable)
        if not files and not unreadable:
            problems.append(Problem(str(path), None, "", "", Msg.NO_FILES.format(value=str(path))))
        found.extend(f for f in files if f.resolve() not in {p.resolve() for p in found})
    return found, problems


def _link_problem(path: Path) -> str | None:
    """Say why a symbolic link cannot be followed (a loop, a missing target), or None."""
    if not path.is_symlink():
        return None
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so; later versions as OSError(ELOOP)
        return Msg.SYMLINK_LOOP
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Msg.SYMLINK_LOOP
        return Msg.SYMLINK_BROKEN.format(problem=error.strerror or error)
    return None


def display_name_unresolved(path: Path) -> str:
    """Name a path that may not resolve (a link loop) without following it."""
    try:
        return str(path.absolute().relative_to(Path(settings.BASE_DIR).absolute()))
    except ValueError:
        return str(path)


def load(path: Path) -> tuple[SeedDocument, list[Problem]]:
    """Parse one file and validate each record against its section's model."""
    with gc_paused():  # more than half the time of a large file otherwise (see gc_paused)
        return _load(path)


def _load(path: Path) -> tuple[SeedDocument, list[Problem]]:
    doc = SeedDocument(path=path, name=display_name(path))
    try:
        text = read_bounded(path, limits.SEED_FILE_BYTES)
        loader = SeedYAMLLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except UnsafeFile as error:
        return doc, [Problem(doc.name, None, "", "", Msg.SEED_FILE_REFUSED.format(problem=error))]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        return doc, [Problem(doc.name, line, "", "", Msg.YAML_INVALID.format(problem=yaml_problem(error)))]
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as error:
        return doc, [Problem(doc.name, None, "", "", Msg.YAML_INVALID.format(problem=error))]
    problems: list[Problem] = []
    if node is not None:
        _index_lines(node, (), doc.lines, doc, problems)
    if data is None:
        return doc, problems
    if not isinstance(data, dict):
        return doc, [
            *problems,
            Problem(doc.name, 1, "", "", Msg.NOT_A_MAPPING.format(value=type(data).__name__)),
        ]
    doc.raw = data
    problems.extend(_surprises(doc))
    for key, value in data.items():
        if key == "gazetteer":
            try:
                doc.gazetteer = SeedFile.model_validate({"gazetteer": value}).gazetteer is not None
            except ValidationError as error:
                problems.append(
                    Problem(
                        doc.name, doc.line((key,)), "", key, _pydantic_message(SeedFile, error.errors()[0])
                    )
                )
        elif key not in RECORDS:
            allowed = ", ".join(["gazetteer", *RECORDS])
            problems.append(
                Problem(
                    doc.name, doc.line((key,)), "", "", Msg.UNKNOWN_SECTION.format(value=key, allowed=allowed)
                )
            )
        elif value is not None and not isinstance(value, list):
            problems.append(Problem(doc.name, doc.line((key,)), "", "", Msg.NOT_A_LIST.format(value=key)))
        else:
            problems.extend(_load_section(doc, key, value or []))
    return doc, problems


def _surprises(doc: SeedDocument) -> list[Problem]:
    """One "quote this value" problem per value YAML 1.1 would have misread."""
    found = []
    for loc, line, text in doc.surprises:
        message = Msg.QUOTE_THIS_VALUE.format(value=text)
        if len(loc) >= 2 and loc[0] in RECORDS and isinstance(loc[1], int):
            problem = doc.problem(str(loc[0]), loc[1], loc[2:], message)
            found.append(Problem(problem.file, line, problem.record, problem.field, message))
        else:
            found.append(Problem(doc.name, line, "", field_path(loc), message))
    return found


def _load_section(doc: SeedDocument, section: str, items: list[Any]) -> list[Problem]:
    model = RECORDS[section]
    valid = doc.records.setdefault(section, [])
    problems = []
    for index, item in enumerate(items):
        try:
            valid.append((index, share_fields_sets(model.model_validate(item))))
        except ValidationError as error:
            for detail in error.errors():
                loc = tuple(detail["loc"])
                problems.append(doc.problem(section, index, loc, _pydantic_message(model, detail)))
    return problems


def _pydantic_message(model: type[BaseModel], detail: Any) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        allowed = ", ".join(_model_at(model, tuple(detail["loc"])[:-1]).model_fields)
        return Msg.UNKNOWN_FIELD.format(value=shorten(detail["input"]), allowed=allowed)
    if kind == "missing":
        return Msg.MISSING_FIELD
    problem = detail["msg"].removeprefix("Value error, ")
    return Msg.INVALID_VALUE.format(problem=problem, value=shorten(detail["input"]))


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    """The nested record model found by following ``loc`` from ``model``."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        nested = _record_in(info.annotation) if info else None
        if nested is None:
            break
        model = nested
    return model


def _record_in(annotation: Any) -> type[Record] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            if found := _record_in(arg):
                return found
    return None


def _index_lines(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], doc: SeedDocument, problems: list[Problem]
) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if node.tag == SURPRISE_TAG:
        doc.surprises.append((loc, node.start_mark.line + 1, node.value))
    elif isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            where = (*loc, key)
            if key in seen:
                problems.append(
                    Problem(
                        doc.name,
                        key_node.start_mark.line + 1,
                        "",
                        field_path(where),
                        Msg.DUPLICATE_YAML_KEY.format(value=key),
                    )
                )
            seen.add(key)
            lines.setdefault(where, key_node.start_mark.line + 1)
            _index_lines(value_node, where, lines, doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), lines, doc, problems)
