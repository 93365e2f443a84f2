"""Ozon's OpenAPI documents as request validators.

The sandbox checks each request body against the schema the real API publishes, and
the contract tests reuse this module. Two documents live in ``../shared/ozon-seller-api``
(next to the repository): the official OpenAPI 3.0 file and a derived 3.1 file for the
paths Ozon added after it. A path's schema comes from the official file when the path
is there, else from the derived one.

Schemas are turned into plain JSON Schema (2020-12): ``$ref`` inlined (a recursive
reference accepts anything below it), OpenAPI 3.0 ``nullable`` made a ``null`` type,
boolean ``exclusiveMinimum``/``exclusiveMaximum`` made numeric, annotations dropped, and
Ozon's slips mended: ``pattern`` (always a placeholder such as ``" YYYY-MM-DD"``, never a
regex), malformed ``required``/``enum``, required names with no property, and a
``oneOf`` branch that requires a field of an object it does not require.
Formats are not checked except the integer ones on strings (``int64`` and friends): a
``"string"`` with format ``int64`` must hold digits. A number sent where the spec says
``string`` is a type error, which is the point: Ozon documents many int64 ids as strings.

Public API: ``find_spec_dir()``, ``load_documents()``, ``request_schema()``,
``request_validator()``, ``response_schema()``, ``response_validator()``,
``validation_available()``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ENV_VAR = "OZON_OPENAPI"
OFFICIAL_GLOB = "ozon-seller-openapi-*.json"
DERIVED_GLOB = "ozon-seller-paths-*derived*.json"
_DIR_NAME = ("shared", "ozon-seller-api")
_OFF_VALUES = {"", "0", "off", "none", "no", "false"}
_INT_FORMATS = ("int32", "int64", "uint32", "uint64")
_INT_TEXT = re.compile(r"-?[0-9]+")
# Keys that only annotate a schema; dropped so they cannot confuse the validator.
_ANNOTATIONS = frozenset(
    {
        "description",
        "example",
        "examples",
        "title",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "xml",
        "externalDocs",
        "discriminator",
        "nullable",
        "$schema",
        "$id",
    }
)

Validator = Callable[[object], list[str]]
"""Takes a decoded JSON body, returns the problems found (empty when it is valid)."""


def find_spec_dir() -> Path | None:
    """The folder with Ozon's OpenAPI documents, or None.

    ``$OZON_OPENAPI`` wins when set (a folder or one of the files in it; ``off`` or empty
    disables validation). Otherwise ``../shared/ozon-seller-api`` relative to the
    repository this package lives in, then relative to the working directory and its
    parents.
    """
    env = os.environ.get(ENV_VAR)
    if env is not None:
        if env.strip().lower() in _OFF_VALUES:
            return None
        given = Path(env).expanduser()
        folder = given.parent if given.is_file() else given
        return folder if _has_documents(folder) else None
    for folder in _candidates():
        if _has_documents(folder):
            return folder.resolve()
    return None


def _candidates() -> list[Path]:
    here = Path(__file__).resolve()
    found = [here.parents[3].parent.joinpath(*_DIR_NAME)] if len(here.parents) > 3 else []
    cwd = Path.cwd()
    for base in (cwd, *cwd.parents):
        found.append(base.joinpath(*_DIR_NAME))
        found.append(base.parent.joinpath(*_DIR_NAME))
    return found


def _has_documents(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.glob(OFFICIAL_GLOB))
    except OSError:
        return False


@dataclass(frozen=True)
class SpecDocuments:
    directory: Path
    official: dict[str, Any] | None
    derived: dict[str, Any] | None

    def operation(self, path: str, method: str = "post") -> tuple[str, dict[str, Any]] | None:
        """(``"official"`` | ``"derived"``, the document) holding ``method path``."""
        for name, doc in (("official", self.official), ("derived", self.derived)):
            if doc is not None and isinstance(doc.get("paths", {}).get(path, {}).get(method), dict):
                return name, doc
        return None


_load_lock = threading.Lock()
_loaded: dict[Path, SpecDocuments] = {}


def load_documents(directory: Path | None = None) -> SpecDocuments | None:
    """Both documents of ``directory`` (default ``find_spec_dir()``), parsed once."""
    folder = directory if directory is not None else find_spec_dir()
    if folder is None:
        return None
    with _load_lock:
        cached = _loaded.get(folder)
        if cached is None:
            cached = SpecDocuments(
                folder, _read_newest(folder, OFFICIAL_GLOB), _read_newest(folder, DERIVED_GLOB)
            )
            _loaded[folder] = cached
        return cached


def _read_newest(folder: Path, pattern: str) -> dict[str, Any] | None:
    files = sorted(folder.glob(pattern))
    if not files:
        return None
    with files[-1].open(encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


def request_schema(
    path: str, method: str = "post", directory: Path | None = None
) -> tuple[str, dict[str, Any]] | None:
    """(source, JSON Schema of the request body) for ``method path``, or None."""
    docs = load_documents(directory)
    if docs is None:
        return None
    return _schema_for(docs.directory, path, method.lower())


def response_schema(
    path: str, method: str = "post", directory: Path | None = None
) -> tuple[str, dict[str, Any]] | None:
    """(source, JSON Schema of the 200 answer) for ``method path``, or None."""
    docs = load_documents(directory)
    if docs is None:
        return None
    return _schema_for(docs.directory, path, method.lower(), "response")


@lru_cache(maxsize=1024)
def _schema_for(
    directory: Path, path: str, method: str, part: str = "request"
) -> tuple[str, dict[str, Any]] | None:
    docs = load_documents(directory)
    found = docs.operation(path, method) if docs is not None else None
    if found is None:
        return None
    source, doc = found
    operation = doc["paths"][path][method]
    if part == "request":
        body = operation.get("requestBody")
    else:
        body = (operation.get("responses") or {}).get("200")
    if isinstance(body, dict) and "$ref" in body:
        body = _pointer(doc, body["$ref"])
    raw = (body or {}).get("content", {}).get("application/json", {}).get("schema")
    if not isinstance(raw, dict):
        return None
    oas30 = str(doc.get("openapi", "")).startswith("3.0")
    schema = _convert(doc, raw, oas30, ())
    return source, schema if isinstance(schema, dict) else {}


def _pointer(doc: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref is supported, got {ref!r}")
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _convert(doc: dict[str, Any], node: Any, oas30: bool, stack: tuple[str, ...]) -> Any:
    """OpenAPI schema object to self-contained JSON Schema 2020-12."""
    if isinstance(node, list):
        return [_convert(doc, x, oas30, stack) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in stack:
            return {}
        target = _convert(doc, _pointer(doc, ref), oas30, (*stack, ref))
        rest = {k: v for k, v in node.items() if k != "$ref" and k not in _ANNOTATIONS}
        if oas30 or not rest:
            return target
        return {"allOf": [target, _convert(doc, rest, oas30, stack)]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        if key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = {name: _convert(doc, sub, oas30, stack) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = _convert(doc, value, oas30, stack)
        elif not _well_formed(key, value):
            continue  # e.g. Swagger 2 style ``required: true``, ``enum: null``
        else:
            out[key] = value
    if isinstance(out.get("oneOf"), list):
        out["oneOf"] = [_branch_requires_its_object(b) for b in out["oneOf"]]
    props = out.get("properties")
    if isinstance(props, dict) and isinstance(out.get("required"), list):
        # A required name with no property is a leftover of a removed field (for example
        # ``quant_size`` in /v2/products/stocks): the API does not demand it.
        out["required"] = [name for name in out["required"] if name in props]
    if oas30:
        _fix_oas30(node, out)
    return out


def _branch_requires_its_object(branch: Any) -> Any:
    """A ``oneOf`` branch that demands a field inside an object (``filter.sku`` of
    /v1/review/comment/list) demands the object too: as written, a body without the
    object matches that branch and the other one, and ``oneOf`` refuses it."""
    props = branch.get("properties") if isinstance(branch, dict) else None
    if not isinstance(props, dict) or "required" in branch:
        return branch
    needed = [name for name, sub in props.items() if isinstance(sub, dict) and sub.get("required")]
    return {**branch, "required": needed} if needed else branch


_JSON_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})


def _well_formed(key: str, value: Any) -> bool:
    """Whether a keyword's value is one JSON Schema allows (Ozon's documents have slips)."""
    if key in ("required", "enum"):
        return isinstance(value, list)
    if key == "type":
        kinds = [value] if isinstance(value, str) else value
        return isinstance(kinds, list) and all(k in _JSON_TYPES for k in kinds)
    if key in ("minimum", "maximum"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if key in ("minItems", "maxItems", "minLength", "maxLength"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    # ``pattern``: Ozon writes placeholders there (" YYYY-MM-DD", "+7(XXX)…"), not regexes.
    return key != "pattern"


def _fix_oas30(node: dict[str, Any], out: dict[str, Any]) -> None:
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(bound)
        if isinstance(flag, bool):
            del out[bound]
            if flag and limit in out:
                out[bound] = out.pop(limit)
    if node.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif kind is None and out:
            inner = dict(out)
            out.clear()
            out["anyOf"] = [inner, {"type": "null"}]


def validation_available() -> bool:
    """True when ``jsonschema`` imports (a dev dependency; optional at run time)."""
    return _jsonschema() is not None


@lru_cache(maxsize=1)
def _jsonschema() -> Any:
    try:
        return importlib.import_module("jsonschema")
    except ImportError:
        return None


@lru_cache(maxsize=1)
def _format_checker() -> Any:
    module = _jsonschema()
    checker = module.FormatChecker(formats=())

    def integer_text(value: object) -> bool:
        return not isinstance(value, str) or _INT_TEXT.fullmatch(value) is not None

    for name in _INT_FORMATS:
        checker.checks(name)(integer_text)
    return checker


def request_validator(
    path: str, method: str = "post", directory: Path | None = None
) -> Validator | None:
    """A checker of request bodies for ``method path``, or None.

    None when the documents are not found, ``jsonschema`` does not import, or the
    operation takes no JSON body.
    """
    module = _jsonschema()
    found = request_schema(path, method, directory) if module is not None else None
    return _validator_for(found[1], module) if found is not None else None


def response_validator(
    path: str, method: str = "post", directory: Path | None = None
) -> Validator | None:
    """A checker of 200 answers for ``method path`` (what the sandbox's tests use)."""
    module = _jsonschema()
    found = response_schema(path, method, directory) if module is not None else None
    return _validator_for(found[1], module) if found is not None else None


def _validator_for(schema: dict[str, Any], module: Any) -> Validator:
    key = json.dumps(schema, sort_keys=True)
    cached = _compiled.get(key)
    if cached is not None:
        return cached
    compiled = module.Draft202012Validator(schema, format_checker=_format_checker())
    quick = _predicate(schema)

    def validate(body: object) -> list[str]:
        if quick is not None and quick(body):
            return []
        errors = sorted(compiled.iter_errors(body), key=lambda e: list(map(str, e.path)))
        return [_describe(module.exceptions.best_match([e])) for e in errors[:5]]

    _compiled[key] = validate
    return validate


_compiled: dict[str, Validator] = {}


def _describe(error: Any) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = str(error.message)
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{where.lstrip('.') or 'body'}: {message}"


# --- a fast "is it valid?" check --------------------------------------------------------------
#
# jsonschema is thorough but costs ~100 µs a request, too much for a server meant to do
# thousands a second. ``_predicate`` compiles the keywords Ozon's schemas use into plain
# closures; it answers only "valid", and a body it does not accept (or a schema with a
# keyword it does not know) goes through jsonschema, which has the final word and the
# error messages. So it must never accept what jsonschema rejects; it may be stricter.

Predicate = Callable[[Any], bool]
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}
# Validation keywords this fast path does not implement (others it does not know are
# not JSON Schema keywords, which jsonschema ignores too).
_UNSUPPORTED = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "const",
        "uniqueItems",
        "multipleOf",
        "patternProperties",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
        "contains",
        "minContains",
        "maxContains",
        "minProperties",
        "maxProperties",
        "prefixItems",
        "unevaluatedItems",
        "unevaluatedProperties",
        "$ref",
        "$dynamicRef",
    }
)


def _predicate(schema: Any) -> Predicate | None:
    """A closure that returns True only for instances ``schema`` accepts; None if unsure."""
    if schema is True or schema == {}:
        return lambda v: True
    if not isinstance(schema, dict) or not _UNSUPPORTED.isdisjoint(schema):
        return None
    checks: list[Predicate] = []
    kind = schema.get("type")
    if kind is not None:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        if not all(k in _TYPES for k in kinds):
            return None
        tests = [_TYPES[k] for k in kinds]
        checks.append(lambda v: any(t(v) for t in tests))
    for make in (_object_checks, _array_checks, _scalar_checks, _combinators):
        extra = make(schema)
        if extra is None:
            return None
        checks.extend(extra)
    return lambda v: all(c(v) for c in checks)


def _object_checks(schema: dict[str, Any]) -> list[Predicate] | None:
    checks: list[Predicate] = []
    props: dict[str, Predicate] = {}
    for name, sub in (schema.get("properties") or {}).items():
        compiled = _predicate(sub)
        if compiled is None:
            return None
        props[name] = compiled
    if props:
        checks.append(
            lambda v: not isinstance(v, dict) or all(t(v[k]) for k, t in props.items() if k in v)
        )
    required = list(schema.get("required") or [])
    if required:
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
    extra = schema.get("additionalProperties", True)
    if extra is not True:
        others = _predicate(extra) if extra is not False else (lambda v: False)
        if others is None:
            return None
        checks.append(
            lambda v: (
                not isinstance(v, dict) or all(others(x) for k, x in v.items() if k not in props)
            )
        )
    return checks


def _array_checks(schema: dict[str, Any]) -> list[Predicate] | None:
    checks: list[Predicate] = []
    if "items" in schema:
        item = _predicate(schema["items"])
        if item is None:
            return None
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low is not None or high is not None:
        lo, hi = low or 0, high if high is not None else float("inf")
        checks.append(lambda v: not isinstance(v, list) or lo <= len(v) <= hi)
    return checks


def _scalar_checks(schema: dict[str, Any]) -> list[Predicate] | None:
    checks: list[Predicate] = []
    if "enum" in schema:
        options = [(type(x) is bool, x) for x in schema["enum"]]
        checks.append(lambda v: any((type(v) is bool) == b and v == x for b, x in options))
    fmt = schema.get("format")
    if fmt in _INT_FORMATS:
        checks.append(lambda v: not isinstance(v, str) or _INT_TEXT.fullmatch(v) is not None)
    bounds = [
        (k, schema[k])
        for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        if k in schema
    ]
    if bounds:
        number = _TYPES["number"]
        ops = {
            "minimum": lambda v, b: v >= b,
            "maximum": lambda v, b: v <= b,
            "exclusiveMinimum": lambda v, b: v > b,
            "exclusiveMaximum": lambda v, b: v < b,
        }
        checks.append(lambda v: not number(v) or all(ops[k](v, b) for k, b in bounds))
    if "pattern" in schema:
        try:
            pattern = re.compile(schema["pattern"])
        except re.error:
            return None
        checks.append(lambda v: not isinstance(v, str) or pattern.search(v) is not None)
    if "minLength" in schema or "maxLength" in schema:
        lo, hi = schema.get("minLength", 0), schema.get("maxLength", float("inf"))
        checks.append(lambda v: not isinstance(v, str) or lo <= len(v) <= hi)
    return checks


def _combinators(schema: dict[str, Any]) -> list[Predicate] | None:
    checks: list[Predicate] = []
    for word in ("anyOf", "oneOf", "allOf"):
        if word not in schema:
            continue
        parts = [_predicate(sub) for sub in schema[word]]
        if any(p is None for p in parts):
            return None
        checks.append(_combine(word, [p for p in parts if p is not None]))
    return checks


def _combine(word: str, subs: list[Predicate]) -> Predicate:
    if word == "anyOf":
        return lambda v: any(p(v) for p in subs)
    if word == "allOf":
        return lambda v: all(p(v) for p in subs)
    return lambda v: sum(1 for p in subs if p(v)) == 1
