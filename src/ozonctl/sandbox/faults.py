"""Deterministic fault injection.

A fault is chosen per request by the header ``X-Sandbox-Fault: KIND`` or by a rule
``PATH=KIND[:COUNT]`` (``--fault``, ``SandboxServer(faults=...)``, ``add_fault``): the
first COUNT calls to PATH get the fault, every call when COUNT is left out. PATH ``*``
matches every API path.

Kinds: ``html502`` (proxy HTML page), ``empty503`` (no body), ``503`` (Ozon JSON),
``500`` (Ozon "Internal error"), ``410`` (retired method), ``429`` (rate limit body),
``302`` (a redirect elsewhere, as a captive portal or a misconfigured proxy sends),
``reset`` (close the connection without answering), ``slow:<ms>`` (answer normally,
late), ``after502`` (the request runs, then a proxy's 502 replaces the answer: a write
whose outcome the client cannot know).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

FAULT_HEADER = "X-Sandbox-Fault"
KINDS = ("html502", "empty503", "503", "500", "410", "429", "302", "reset", "after502")


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str
    """One of ``KINDS`` or ``"slow"``."""
    delay_ms: int = 0

    @property
    def label(self) -> str:
        return f"slow:{self.delay_ms}" if self.kind == "slow" else self.kind


def parse_fault(text: str) -> Fault:
    """``KIND`` or ``slow:<ms>``; ValueError names what is wrong."""
    kind = text.strip().lower()
    if kind.startswith("slow:"):
        ms = kind.partition(":")[2]
        if not ms.isdigit():
            raise ValueError(f"slow fault needs milliseconds, e.g. slow:250 (got {text!r})")
        return Fault("slow", int(ms))
    if kind not in KINDS:
        raise ValueError(f"unknown fault {text!r}; use one of {', '.join(KINDS)}, slow:<ms>")
    return Fault(kind)


@dataclass(slots=True)
class FaultRule:
    path: str
    fault: Fault
    remaining: int | None
    """Calls left to hit; None means every call."""


def parse_rule(text: str) -> FaultRule:
    """``PATH=KIND[:COUNT]``, e.g. ``/v3/product/list=503:2`` or ``*=slow:200:5``."""
    path, sep, spec = text.partition("=")
    path = path.strip()
    if not sep or not path or not spec:
        raise ValueError(f"fault rule must look like PATH=KIND[:COUNT], got {text!r}")
    parts = spec.strip().split(":")
    head = 2 if parts[0].lower() == "slow" else 1
    fault = parse_fault(":".join(parts[:head]))
    rest = parts[head:]
    if len(rest) > 1 or (rest and not rest[0].isdigit()):
        raise ValueError(f"fault count must be a whole number, got {text!r}")
    count = int(rest[0]) if rest else None
    return FaultRule(path, fault, count)


class FaultPlan:
    """The rules in force; thread-safe, counts calls per rule."""

    def __init__(self, rules: list[FaultRule] | None = None) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = list(rules or [])

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict[str, object]]:
        with self._lock:
            return [
                {"path": r.path, "fault": r.fault.label, "remaining": r.remaining}
                for r in self._rules
            ]

    def take(self, path: str) -> Fault | None:
        """The fault for this call to ``path``, using up one count of its rule."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.path not in (path, "*"):
                    continue
                if rule.remaining is None:
                    return rule.fault
                if rule.remaining > 0:
                    rule.remaining -= 1
                    return rule.fault
        return None
