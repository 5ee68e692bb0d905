"""The YAML reader for seed files, which may come from anyone: bounded, and without YAML 1.1 surprises.

Bounds are enforced while the document is composed, before anything is built from it, so a
hostile file costs at most its own size: a file over ``limits.SEED_FILE_BYTES`` is not read;
nesting deeper than ``limits.SEED_NESTING`` stops composition (PyYAML's composer recurses
once per level, and 5,000 levels was a RecursionError); more than ``limits.SEED_ALIASES``
aliases, or aliases that would stand for more than ``limits.SEED_ALIAS_NODES`` nodes in all,
stop it too (a 505-byte "billion laughs" file expands to 10^9 nodes in whatever walks the data).

YAML 1.1, which PyYAML implements, reads some unquoted values as numbers or booleans nobody
meant: ``0700`` is the octal 448, ``0000`` is 0, ``1:30`` is the sexagesimal 90, ``1_000`` is
1000, and ``NO`` (Norway) is false. Those are resolved to a tag of their own that keeps the
text as written, and the loader reports each as "quote this value".
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser
from yaml.resolver import Resolver

from core import limits

# Plain scalars YAML 1.1 turns into something other than what they read as.
SURPRISE_TAG = "tag:chancery.invalid,2026:yaml11-surprise"
_SURPRISE = re.compile(
    r"""^(?:[-+]?0b[0-1_]+ | [-+]?0x[0-9a-fA-F_]+ | [-+]?0[0-7_]+
    | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    | (?=[^_]*_)[-+]?[1-9][0-9_]*
    | (?=[^_]*_)[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
    | yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$""",
    re.X,
)
_FIRST_CHARACTERS = "+-0123456789yYnNoO"


class BoundExceeded(yaml.MarkedYAMLError):
    """A seed file over one of the reader's bounds; the message names the bound."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)


class SeedYAMLLoader(Composer, CParser, SafeConstructor, Resolver):
    """Safe YAML without implicit timestamps, surprises kept as text, aliases and depth bounded.

    libyaml's parser (PyYAML's pure-Python scanner reads a 100,000-event file ten times
    slower) feeds PyYAML's Python composer, whose ``compose_node`` is where the bounds are
    counted. Timestamps stay text for the EDTF check: PyYAML would turn 2022-02-24 into a
    date and fail outright on 2022-13-45, with a message that names neither the field nor
    the rule.
    """

    max_aliases = limits.SEED_ALIASES
    max_alias_nodes = limits.SEED_ALIAS_NODES
    max_nesting = limits.SEED_NESTING

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._depth = 0
        self._aliases = 0
        self._alias_nodes = 0
        # Node id -> how many nodes it stands for once its aliases are expanded.
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            self._aliases += 1
            if self._aliases > self.max_aliases:
                raise BoundExceeded(
                    f"more than {self.max_aliases} aliases (*name); the limit is {self.max_aliases}",
                    event.start_mark,
                )
            # An alias of an alias-laden node is where the exponential growth comes from: count
            # what the alias stands for, not the one node it is.
            self._alias_nodes += self._sizes.get(id(node), 1)
            if self._alias_nodes > self.max_alias_nodes:
                raise BoundExceeded(
                    f"aliases expand to more than {self.max_alias_nodes:,} values; the limit is "
                    f"{self.max_alias_nodes:,}",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > self.max_nesting:
            raise BoundExceeded(
                f"nested more than {self.max_nesting} levels deep; the limit is {self.max_nesting}",
                self.peek_event().start_mark,
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        if size > 1:
            self._sizes[id(node)] = size
        return node


def yaml_problem(error: yaml.MarkedYAMLError) -> str:
    """The problem of a YAML error, libyaml's own nesting limit said as ours is."""
    if error.problem == "exceeded maximum nesting depth":
        # libyaml reads flow collections ([[[...) ahead of the composer and stops at its own bound.
        return _NESTING.format(limit=SeedYAMLLoader.max_nesting)
    return str(error.problem)


_NESTING = "nested more than {limit} levels deep; the limit is {limit}"


SeedYAMLLoader.yaml_implicit_resolvers = {
    first: [
        *([(SURPRISE_TAG, _SURPRISE)] if first in _FIRST_CHARACTERS else []),
        *[(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"],
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in _FIRST_CHARACTERS:
    SeedYAMLLoader.yaml_implicit_resolvers.setdefault(_first, [(SURPRISE_TAG, _SURPRISE)])
SeedYAMLLoader.add_constructor(SURPRISE_TAG, lambda loader, node: node.value)


class UnsafeFile(Exception):
    """A file that is not read: over its size limit, or not a regular file (a device, a FIFO)."""


def read_bounded(path: Path, limit: int, *, newline: str | None = None) -> str:
    """Read a regular file's UTF-8 text, refusing one over ``limit`` bytes before reading it.

    Checked before opening (opening a FIFO would wait for a writer forever), and the read
    itself stops past the limit, so a file that grows meanwhile still costs at most that.
    ``newline=None`` reads universal newlines, ``""`` keeps line endings as they are.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile("not a regular file (a device, a FIFO or a socket)")
    if info.st_size > limit:
        raise UnsafeFile(f"the file is {info.st_size:,} bytes; the limit is {limit:,}")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(f"the file is over {limit:,} bytes, the limit")
    text = data.decode("utf-8")
    if newline is None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
