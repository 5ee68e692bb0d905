"""The compiled read path: queries answered from value rows by plans derived from the types.

A query document (with its operation name and the values of the variables its ``@skip`` and
``@include`` read) is compiled once into root answers (:mod:`.root`): per selection on a model
type an :class:`~.plan.ObjectPlan` whose columns, joins, to-many statements and JSON getters
come from the strawberry declarations (:mod:`.plan`, :mod:`.types`); :mod:`.sql` reads the
rows, :mod:`.connection` pages keyset connections as ``KeysetConnection`` does. Compiled plans
are kept in an LRU keyed by the document text (:mod:`.extension`), like parse and validation.

A timeline ``asOf`` a moment pages itself from history (events.asof_connection); the compiled
path asks it for its page and builds the JSON from the records it rebuilt (:mod:`.instances`).
Whatever it cannot plan — mutations, introspection, a single record ``asOf``, ``node``, a resolver it cannot
map, backward paging, any argument or variable the executor would refuse — is answered by the
normal executor, which then gives its usual answer or error. Each response says which path
answered in ``X-Chancery-Read-Path`` (``compiled`` or ``executor; reason=…``) and
:data:`.extension.READ_PATHS` counts them. ``tests/api/test_compiled_reads.py`` proves the
two paths give the same JSON, for generated queries too.
"""
