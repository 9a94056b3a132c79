"""The lines of the "security: cases tried" section at the end of pytest's output, also kept in
``var/security/access-matrix.txt`` (one run after another, with the time)."""

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "var" / "security" / "access-matrix.txt"
SUMMARY = pytest.StashKey[list]()


def report(config, line: str) -> None:
    config.stash.setdefault(SUMMARY, []).append(line)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as out:
        out.write(f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ} {line}\n")
