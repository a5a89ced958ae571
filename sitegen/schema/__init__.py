"""JSON Schemas of the Homeward snapshot format (version 1) and the one function that applies them.

The schemas are the contract between the CMS export and the generator. They reject any field they
do not list (``additionalProperties: false``), so a private field that slips into an export fails
the build instead of being published. This module only validates; it never reads snapshot files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import jsonschema_rs
from referencing import Registry, Resource

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).parent
BASE_URI = "https://homeward.example/schema/snapshot/v1/"
RECORD_KINDS = ("snapshot", "site", "page", "case", "tombstone")


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def _inlined(kind: str) -> dict[str, Any]:
    """The schema of ``kind`` with every ``$ref`` replaced by its target.

    Resolving references on every record made validation ~7 times slower; the schemas have no
    recursion, so inlining them once is exact.
    """
    registry = _registry()

    def inline(node: Any, base: str) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                target, _, pointer = urljoin(base, node["$ref"]).partition("#")
                resolved: Any = registry.contents(target)
                for part in filter(None, pointer.split("/")):
                    resolved = resolved[part]
                rest = {k: inline(v, base) for k, v in node.items() if k != "$ref"}
                return {**inline(resolved, target), **rest}
            return {k: inline(v, base) for k, v in node.items() if k not in ("$id", "$defs")}
        if isinstance(node, list):
            return [inline(item, base) for item in node]
        return node

    uri = f"{BASE_URI}{kind}.json"
    schema: dict[str, Any] = inline(registry.contents(uri), uri)
    return schema


@cache
def validator(kind: str) -> Draft202012Validator:
    """The compiled validator for one record kind (cached for the life of the process)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    # Imported when a record must be explained or a caller asks: a build of valid records
    # checks them with jsonschema-rs only, and a command-line build starts 0.1 s sooner.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_inlined(kind))


@cache
def fast_check(kind: str) -> Callable[[Any], bool]:
    """A yes/no check of ``kind`` by jsonschema-rs (the schema compiled in Rust: ~5 µs a case
    record, where jsonschema takes ~100 times as long). Problems are always described by
    ``field_errors`` (jsonschema), which a failed check calls."""
    return jsonschema_rs.validator_for(_inlined(kind)).is_valid


def field_errors(kind: str, record: Any) -> Iterator[tuple[str, str]]:
    """Yield (field path, message) for every way ``record`` breaks the schema of ``kind``.

    The field path is dotted, with list positions as numbers: ``photos.0.media.sha256``; for a
    field the schema does not allow, it is that field's own path.
    """
    for error in sorted(validator(kind).iter_errors(record), key=lambda e: list(e.path)):
        error = _useful(error)
        path = [str(part) for part in error.absolute_path]
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            for name in sorted(set(error.instance) - set(allowed)):
                yield ".".join([*path, name]), "is not a public field of this record"
            continue
        message = error.message
        yield ".".join(path), message if len(message) <= 300 else message[:297] + "…"


def _useful(error: Any) -> Any:
    # A oneOf failure ("is not valid under any of the given schemas") hides the real reason in
    # its context; take the deepest one that is not about the null branch.
    while error.validator == "oneOf" and error.context:
        useful = [e for e in error.context if e.validator != "type" or e.validator_value != "null"]
        if not useful:
            break
        error = max(useful, key=lambda e: len(e.absolute_path))
    return error


def schema_fingerprint() -> str:
    """Digest of every schema file, so cached validation results expire when a schema changes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
