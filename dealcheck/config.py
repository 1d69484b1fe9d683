"""Where the catalog is: ``--catalog``, ``DEALCHECK_CATALOG``, a config file, or the default.

SPEC §1, first match wins: the repeatable ``--catalog PATH`` option; the
``DEALCHECK_CATALOG`` environment variable (``os.pathsep``-separated); a ``dealcheck.yaml``
(key ``catalog:``) or ``pyproject.toml`` (``[tool.dealcheck] catalog = [...]``) in the
current directory or a parent; else ``./products`` and ``./rules``. Paths from a config
file are relative to the file's directory.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dealcheck.catalog.files import is_inside, real_path, repository_root
from dealcheck.errors import InputError, Location
from dealcheck.yamlio import excerpt, load_file

DEFAULT_PATHS = ("products", "rules")
CONFIG_KEYS = ("catalog", "fail_on", "format", "today", "columns")
FAIL_ON_VALUES = ("blocker", "approval", "warning")


@dataclass(frozen=True)
class CatalogSource:
    """The catalog paths and where the choice came from (shown by ``validate``)."""

    paths: tuple[Path, ...]
    origin: str
    settings: Settings | None = None


@dataclass(frozen=True)
class Settings:
    """Defaults from ``dealcheck.yaml`` / ``[tool.dealcheck]``; options always win.

    ``today`` is never fixed unless a config file says so (a date, for reproducible CI).
    ``columns`` maps quote-line fields (sku, quantity, unit_price, discount) to CSV headers.
    """

    file: str | None = None
    fail_on: str | None = None
    format: str | None = None
    today: str | None = None
    columns: tuple[tuple[str, str], ...] = ()


def _settings(data: dict[str, Any], shown: str) -> Settings:
    fail_on = data.get("fail_on")
    if fail_on is not None and fail_on not in FAIL_ON_VALUES:
        raise InputError(
            Location(shown),
            f"fail_on: expected one of {', '.join(FAIL_ON_VALUES)}, got {fail_on!r}",
        )
    fmt = data.get("format")
    if fmt is not None and not isinstance(fmt, str):
        raise InputError(Location(shown), "format: expected a format name such as text or json")
    today = data.get("today")
    if today is not None:
        today = str(today)
        try:
            date.fromisoformat(today)
        except ValueError:
            raise InputError(
                Location(shown), f"today: '{today}' is not a date (YYYY-MM-DD)"
            ) from None
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise InputError(Location(shown), "columns: expected a mapping of field: CSV header")
    return Settings(shown, fail_on, fmt, today, tuple(sorted(columns.items())))


def find_catalog(
    cli_paths: Sequence[Path] | None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> CatalogSource:
    """Resolve the catalog paths; raises :class:`InputError` for a broken config file."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    configured: CatalogSource | None = None
    explicit = bool(cli_paths) or bool(env.get("DEALCHECK_CATALOG", "").strip())
    try:
        for directory in (cwd, *cwd.parents):
            configured = _from_config_dir(directory, cwd)
            if configured is not None:
                break
    except InputError:
        if not explicit:
            raise
        configured = None  # --catalog / the env variable win; a broken config cannot block them
    settings = configured.settings if configured else None
    if cli_paths:
        return CatalogSource(tuple(cli_paths), "--catalog", settings)
    from_env = env.get("DEALCHECK_CATALOG", "")
    if from_env.strip():
        parts = [p for p in from_env.split(os.pathsep) if p.strip()]
        return CatalogSource(tuple(Path(p) for p in parts), "DEALCHECK_CATALOG", settings)
    if configured is not None:
        return configured
    return CatalogSource(tuple(Path(p) for p in DEFAULT_PATHS), "default (./products, ./rules)")


def _from_config_dir(directory: Path, cwd: Path) -> CatalogSource | None:
    yaml_file = directory / "dealcheck.yaml"
    if yaml_file.is_file():
        shown = _shown(yaml_file, cwd)
        data, where = _read_dealcheck_yaml(yaml_file, cwd)
        paths = _paths(data.get("catalog"), directory, cwd, shown, where)
        return CatalogSource(paths or _defaults(directory, cwd), shown, _settings(data, shown))
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        shown = _shown(pyproject, cwd)
        try:
            raw = pyproject.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None  # not ours to judge: only a [tool.dealcheck] table concerns us
        if "tool.dealcheck" not in raw and "[tool]" not in raw:
            return None
        try:
            data = tomllib.loads(raw)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(Location(shown), f"cannot read pyproject.toml: {exc}") from None
        table = data.get("tool", {}).get("dealcheck")
        if isinstance(table, dict):
            unknown = sorted(set(table) - set(CONFIG_KEYS))
            if unknown:
                raise InputError(Location(shown), f"[tool.dealcheck]: unknown key '{unknown[0]}'")
            paths = _paths(table.get("catalog"), directory, cwd, shown)
            return CatalogSource(
                paths or _defaults(directory, cwd),
                f"{shown} [tool.dealcheck]",
                _settings(table, f"{shown} [tool.dealcheck]"),
            )
    return None


def _read_dealcheck_yaml(path: Path, cwd: Path) -> tuple[dict[str, Any], Callable[[int], Location]]:
    """The settings of a dealcheck.yaml, and where its ``catalog`` entry ``i`` is written."""
    shown = _shown(path, cwd)
    docs = load_file(path, shown)
    if not docs:
        return {}, lambda _: Location(shown)
    data = docs[0].data
    if not isinstance(data, dict):
        raise InputError(docs[0].source.locate(), "dealcheck.yaml must be a mapping")
    for key in data:
        if key not in CONFIG_KEYS:
            raise InputError(
                docs[0].source.locate_key((key,)),
                f"unknown key '{excerpt(key)}' in dealcheck.yaml (expected: {', '.join(CONFIG_KEYS)})",
            )
    source = docs[0].source

    def where(index: int) -> Location:
        if isinstance(data.get("catalog"), list):
            return source.locate(("catalog", index))
        return source.locate(("catalog",))

    return data, where


def _paths(
    value: Any,
    directory: Path,
    cwd: Path,
    shown: str,
    where: Callable[[int], Location] | None = None,
) -> tuple[Path, ...]:
    """The catalog paths a config file names, each inside the repository that holds the
    file (the nearest ancestor with ``.git``, else the file's own directory): a config
    file in a pull request must not point dealcheck at the rest of the file system.
    ``--catalog`` and ``DEALCHECK_CATALOG`` may point anywhere."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise InputError(Location(shown), "'catalog' must be a path or a list of paths")
    repository = repository_root(directory) or real_path(directory)
    for index, item in enumerate(items):
        if not is_inside(directory / item, [repository]):
            raise InputError(
                where(index) if where else Location(shown),
                f"catalog: '{excerpt(item)}' is outside the repository that holds {shown}; "
                "a config file may only name catalog paths inside it (use --catalog or "
                "DEALCHECK_CATALOG for others)",
            )
    return tuple(_relative(directory / item, cwd) for item in items)


def _defaults(directory: Path, cwd: Path) -> tuple[Path, ...]:
    return tuple(_relative(directory / p, cwd) for p in DEFAULT_PATHS)


def _relative(path: Path, cwd: Path) -> Path:
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path


def _shown(path: Path, cwd: Path) -> str:
    return str(_relative(path, cwd)).replace(os.sep, "/")
