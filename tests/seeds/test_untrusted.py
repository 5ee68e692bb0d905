"""Seed files from anyone (issue 13): every hostile file is refused with a message naming it, nothing written.

The dangerous inputs (a billion-laughs file, deep nesting) are tried at full size only in a
child process whose address space is capped, so a regression fails the test instead of
exhausting the machine; in this process they run against small bounds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from core import limits
from core.errors import SeedError
from seeds.importer import seeds_import
from seeds.importer.problems import Msg
from seeds.importer.yamlsafe import SeedYAMLLoader
from tests.seeds.conftest import snapshot

pytestmark = pytest.mark.django_db

Write = Callable[[str, str], Path]

EVENT = """\
events:
  - slug: {slug}
    kind: OTHER
    title: A test event
    date: {date}
"""
SOURCE = """\
sources:
  - slug: hostile-source
    title: A source
    text_file: {text_file}
"""


def refused(*paths: Path, **options: str) -> list[str]:
    """The problems an import of ``paths`` reports; the database holds exactly what it held."""
    before = snapshot()
    with pytest.raises(SeedError) as error:
        seeds_import(paths=list(paths), **options)  # type: ignore[arg-type]
    assert snapshot() == before
    return error.value.problems


def laughs(levels: int, fanout: int = 10) -> str:
    """The billion-laughs document: each level an anchored list of ``fanout`` aliases of the last."""
    lines = ["a0: &a0 [lol]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * fanout)}]")
    return "\n".join(lines) + "\n"


# -- alias expansion, nesting, file size ------------------------------------------------------


def test_billion_laughs_is_refused_while_composing(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SeedYAMLLoader, "max_alias_nodes", 50)
    path = write("laughs.yaml", laughs(3))  # 1,000 values expanded: harmless even unbounded
    assert refused(path) == [
        f"{path}:3: "
        + Msg.YAML_INVALID.format(problem="aliases expand to more than 50 values; the limit is 50")
    ]


def test_too_many_aliases_are_refused(write: Write) -> None:
    text = "events: []\nx: &x 1\ny: [" + ", ".join(["*x"] * (limits.SEED_ALIASES + 1)) + "]\n"
    path = write("aliases.yaml", text)
    message = f"more than {limits.SEED_ALIASES} aliases (*name); the limit is {limits.SEED_ALIASES}"
    assert refused(path) == [f"{path}:3: " + Msg.YAML_INVALID.format(problem=message)]


def test_a_few_plain_aliases_are_still_read(write: Write) -> None:
    doc = "countries: []\nx: &shared [a, b]\n"
    loader = SeedYAMLLoader(doc + "y: [*shared, *shared]\n")
    try:
        assert loader.get_single_data()["y"] == [["a", "b"], ["a", "b"]]
    finally:
        loader.dispose()


def test_deep_nesting_is_refused_not_a_recursion_error(write: Write) -> None:
    depth = 5_000
    path = write("deep.yaml", "events: " + "[" * depth + "]" * depth + "\n")
    message = f"nested more than {limits.SEED_NESTING} levels deep; the limit is {limits.SEED_NESTING}"
    assert refused(path) == [f"{path}:1: " + Msg.YAML_INVALID.format(problem=message)]


def test_a_seed_file_over_the_size_limit_is_not_read(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SEED_FILE_BYTES", 100)
    path = write("big.yaml", EVENT.format(slug="big", date="2022") + "    summary: " + "x" * 200 + "\n")
    size = path.stat().st_size
    assert refused(path) == [
        f"{path}: " + Msg.SEED_FILE_REFUSED.format(problem=f"the file is {size:,} bytes; the limit is 100")
    ]


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
import django
django.setup()
from pathlib import Path
from seeds.importer.loader import load
for name in sys.argv[1:]:
    doc, problems = load(Path(name))
    print(" | ".join(map(str, problems)))
"""
BOMBS = {
    "laughs.yaml": (laughs(9), "aliases expand to more than 10,000 values"),
    "deep-list.yaml": ("events: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than 20 levels deep"),
    "deep-mapping.yaml": (
        "events:" + "".join(f"\n{' ' * i}k{i}:" for i in range(1, 3000)) + " x\n",
        "nested more than 20 levels deep",
    ),
}


def test_full_size_bombs_are_refused_within_a_memory_cap(tmp_path: Path) -> None:
    """The real attacks at full size, in a child limited to 1 GB: a regression fails, it cannot OOM us."""
    for name, (text, _) in BOMBS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(cap=1 << 30), *(str(tmp_path / name) for name in BOMBS)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=settings.BASE_DIR,
        env=env,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    reports = child.stdout.splitlines()
    assert len(reports) == len(BOMBS), child.stdout
    for report, (name, (_, expected)) in zip(reports, BOMBS.items(), strict=True):
        assert report.startswith(str(tmp_path / name)), report
        assert expected in report, report


# -- text_file --------------------------------------------------------------------------------


@pytest.mark.parametrize("text_file", ["/etc/passwd", "/dev/zero", "../outside.txt", "sub/../../outside.txt"])
def test_text_file_outside_the_folder_is_refused(write: Write, tmp_path: Path, text_file: str) -> None:
    (tmp_path.parent / "outside.txt").write_text("secret", encoding="utf-8")
    folder = tmp_path / "seeds"
    folder.mkdir()
    path = folder / "source.yaml"
    path.write_text(SOURCE.format(text_file=text_file), encoding="utf-8")
    assert refused(path) == [
        f"{path}:4: hostile-source: text_file: " + Msg.TEXT_FILE_OUTSIDE.format(value=text_file)
    ]


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "../outside.txt"])
def test_text_file_symlink_out_of_the_folder_is_refused(write: Write, tmp_path: Path, target: str) -> None:
    (tmp_path / "link.txt").symlink_to(target)
    path = write("source.yaml", SOURCE.format(text_file="link.txt"))
    assert refused(path) == [
        f"{path}:4: hostile-source: text_file: " + Msg.TEXT_FILE_OUTSIDE.format(value="link.txt")
    ]


def test_text_file_symlink_inside_the_folder_is_read(write: Write, tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "real.txt").write_text("The words.", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("texts/real.txt")
    path = write("source.yaml", SOURCE.format(text_file="link.txt"))
    seeds_import(paths=[path], dry_run=True)


def test_text_file_that_is_no_regular_file_is_refused(write: Write, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would wait for a writer forever
    path = write("source.yaml", SOURCE.format(text_file="pipe.txt"))
    problem = "not a regular file (a device, a FIFO or a socket)"
    assert refused(path) == [
        f"{path}:4: hostile-source: text_file: "
        + Msg.TEXT_FILE_MISSING.format(value="pipe.txt", problem=problem)
    ]


def test_text_file_over_the_size_limit_is_refused(
    write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "SEED_TEXT_FILE_BYTES", 10)
    (tmp_path / "long.txt").write_text("x" * 11, encoding="utf-8")
    path = write("source.yaml", SOURCE.format(text_file="long.txt"))
    problem = "the file is 11 bytes; the limit is 10"
    assert refused(path) == [
        f"{path}:4: hostile-source: text_file: "
        + Msg.TEXT_FILE_MISSING.format(value="long.txt", problem=problem)
    ]


# -- values YAML misreads, coordinates, lengths ----------------------------------------------


@pytest.mark.parametrize("written", ["0700", "0000", "1:30", "1_000", "0x1F"])
def test_yaml_11_numbers_are_reported_as_quote_this_value(write: Write, written: str) -> None:
    path = write("dates.yaml", EVENT.format(slug="odd-date", date=written))
    message = Msg.QUOTE_THIS_VALUE.format(value=written)
    found = refused(path)
    assert found[0] == f"{path}:5: odd-date: date: {message}"
    assert all(written in line for line in found)  # never '448' or '0'


def test_norway_is_not_false(write: Write) -> None:
    path = write("no.yaml", EVENT.format(slug="oslo", date="2022") + "    countries: [NO]\n")
    assert refused(path) == [f"{path}:6: oslo: countries[0]: " + Msg.QUOTE_THIS_VALUE.format(value="NO")]


def test_quoted_values_and_plain_numbers_are_fine() -> None:
    loader = SeedYAMLLoader("a: '0700'\nb: 2022\nc: 1.5\nd: 09:30\ne: 0\nf: true\n")
    try:
        assert loader.get_single_data() == {"a": "0700", "b": 2022, "c": 1.5, "d": "09:30", "e": 0, "f": True}
    finally:
        loader.dispose()


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_nan_and_infinite_coordinates_are_refused(write: Write, value: str) -> None:
    region = "regions:\n  - slug: nowhere\n    name: Nowhere\n    kind: town\n    country: UA\n"
    region += f"    latitude: {value}\n"
    path = write("nan.yaml", region)
    found = refused(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:6: nowhere: latitude: Input should be a finite number")


def test_summary_over_its_limit_is_refused_naming_the_limit(write: Write) -> None:
    summary = "x" * (limits.TEXT_LIMITS["summary"] + 1)
    path = write("long.yaml", EVENT.format(slug="long", date="2022") + f"    summary: {summary}\n")
    found = refused(path)
    assert len(found) == 1
    assert found[0].startswith(
        f"{path}:6: long: summary: Text is 20,001 characters long; the limit is 20,000."
    )


def test_nul_in_a_seed_value_is_refused(write: Write) -> None:
    path = write("nul.yaml", EVENT.format(slug="nul", date="2022").replace("A test event", '"A \\0 event"'))
    found = refused(path)
    assert found == [
        f"{path}:4: nul: title: Text may not contain a NUL character (U+0000); found at character 3. "
        "(value 'A \\x00 event')"
    ]


def test_an_over_long_reason_is_refused(write: Write) -> None:
    path = write("ok.yaml", EVENT.format(slug="fine", date="2022"))
    found = refused(path, file_wins=["fine"], file_wins_reason="r" * (limits.REASON + 1))  # type: ignore[arg-type]
    assert found == ["--reason: Text is 1,001 characters long; the limit is 1,000."]


# -- symbolic links ---------------------------------------------------------------------------


def test_a_symlink_loop_is_reported_as_a_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    found = refused(tmp_path)
    assert found == [
        f"{tmp_path / 'a.yaml'}: " + Msg.SYMLINK_LOOP,
        f"{tmp_path / 'b.yaml'}: " + Msg.SYMLINK_LOOP,
    ]
    assert not any("no seed files" in line for line in found)


def test_a_dangling_symlink_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gone.yaml").symlink_to("nothing-here.yaml")
    assert refused(tmp_path) == [
        f"{tmp_path / 'gone.yaml'}: " + Msg.SYMLINK_BROKEN.format(problem="No such file or directory")
    ]


def test_an_empty_folder_still_says_no_seed_files(tmp_path: Path) -> None:
    assert refused(tmp_path) == [f"{tmp_path}: " + Msg.NO_FILES.format(value=str(tmp_path))]
