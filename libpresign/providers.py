"""The provider registry: built-in profiles from ``backends/``, runtime registrations and
entry points in the group ``libpresign.backends``.

Lookups happen when a :class:`~libpresign.Presigner` is built, never while signing; a
profile found once is remembered. Nothing here touches the network.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Final

from libpresign.errors import PresignError, PresignTypeError
from libpresign.profiles import Profile

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint


def entry_points(*, group: str, name: str | None = None) -> list[EntryPoint]:
    """Installed entry points of ``group``; importlib.metadata is imported only when a
    lookup needs it, which keeps ``import libpresign`` (and the CLI's start-up) quick."""
    from importlib import metadata

    found = metadata.entry_points(group=group)
    return [entry for entry in found if name is None or entry.name == name]

__all__ = ["ENTRY_POINT_GROUP", "backends_directory", "get_provider", "known_providers", "register_provider"]

ENTRY_POINT_GROUP: Final = "libpresign.backends"
_PROVIDER_NAME: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")

_lock: Final = threading.RLock()  # reentrant: a plugin may call register_provider while it is imported
_registered: dict[str, Profile] = {}


def backends_directory() -> Path:
    """Where the built-in profiles are: inside the installed package, or the checkout's
    top-level ``backends/`` for editable installs and source trees."""
    package = Path(__file__).resolve().parent
    installed = package / "backends"
    return installed if installed.is_dir() else package.parent / "backends"


def _builtin_names() -> list[str]:
    return sorted(
        path.stem for path in backends_directory().glob("*.py") if _PROVIDER_NAME.fullmatch(path.stem)
    )


def _load_builtin(name: str) -> Profile | None:
    path = backends_directory() / f"{name}.py"
    if not path.is_file():
        return None
    module_name = f"libpresign.backends.{name}"
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[module_name]
            raise
    profile = getattr(module, "PROFILE", None)
    if not isinstance(profile, Profile) or profile.name != name:
        raise PresignError(f"backends/{name}.py must define PROFILE = Profile(name={name!r}, ...)")
    return profile


def _entry_point_names() -> list[str]:
    return sorted({entry.name for entry in entry_points(group=ENTRY_POINT_GROUP)})


def _entry_point(name: str) -> EntryPoint | None:
    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP, name=name):
        # The same distribution seen twice on sys.path lists the same target twice;
        # only different targets conflict.
        found.setdefault(entry.value, entry)
    if len(found) > 1:
        raise PresignError(
            f"installed packages disagree on provider {name!r}: entry points in group {ENTRY_POINT_GROUP!r} "
            f"name {', '.join(sorted(found))}; uninstall one, or pick one with register_provider(..., replace=True)"
        )
    return next(iter(found.values()), None)


def _load_entry_point(name: str) -> Profile | None:
    entry = _entry_point(name)
    if entry is None:
        return None
    profile = entry.load()
    if not isinstance(profile, Profile) or profile.name != name:
        raise PresignError(
            f"entry point {name!r} in group {ENTRY_POINT_GROUP!r} ({entry.value}) must be a "
            f"libpresign.Profile named {name!r}"
        )
    return profile


def register_provider(profile: Profile, *, replace: bool = False) -> None:
    """Make ``profile`` available as ``provider=profile.name``.

    :param profile: the provider's :class:`~libpresign.Profile`.
    :param replace: allow replacing a provider of the same name (built-in, installed
        through an entry point, or registered before).
    :raises PresignError: the name is taken and ``replace`` is false.
    """
    if not isinstance(profile, Profile):
        raise PresignTypeError(f"profile must be a libpresign.Profile, not {type(profile).__name__}")
    if not isinstance(replace, bool):
        raise PresignTypeError(f"replace must be True or False, not {type(replace).__name__}")
    if _PROVIDER_NAME.fullmatch(profile.name) is None:
        raise PresignError(
            f"provider name must be lowercase letters, digits, '-' or '_' (up to 64), got {profile.name!r}"
        )
    with _lock:
        if not replace and _is_taken(profile.name):
            raise PresignError(
                f"provider {profile.name!r} is already registered; pass replace=True to replace it"
            )
        _registered[profile.name] = profile


def _is_taken(name: str) -> bool:
    if name in _registered or name in _builtin_names():
        return True
    return any(True for _ in entry_points(group=ENTRY_POINT_GROUP, name=name))


def get_provider(name: object) -> Profile:
    """The profile registered as ``name``: runtime registrations first, then the
    built-in ``backends/``, then installed entry points (which cannot shadow a
    built-in name; :func:`register_provider` with ``replace=True`` can).

    :raises PresignError: no provider has that name; the message lists the known ones.
    """
    if isinstance(name, Profile):
        return name
    if not isinstance(name, str):
        raise PresignTypeError(f"provider must be a str name or a Profile, not {type(name).__name__}")
    profile = _registered.get(name)
    if profile is not None:
        return profile
    if _PROVIDER_NAME.fullmatch(name) is not None:
        with _lock:
            profile = _registered.get(name) or _load_builtin(name) or _load_entry_point(name)
            if profile is not None:
                _registered[name] = profile
                return profile
    raise PresignError(f"unknown provider {name!r}; known providers: {', '.join(known_providers())}")


def known_providers() -> list[str]:
    """Every provider name available now, sorted."""
    return sorted(set(_registered) | set(_builtin_names()) | set(_entry_point_names()))
