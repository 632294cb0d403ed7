"""Time libpresign's URL signing against its pure-Python self and its peers.

One run prints the time per URL of ``Presigner.get``, ``Presigner.get_many``,
``libpresign.get``, the pure-Python ``Presigner.get`` (from this checkout's sources, in
a worker process), the original C++ libpresign 1.2.0, boto3, minio and obstore; the
resident-memory growth over many calls; and whether each target holds. Run it against
the installed compiled build (see ``benchmarks/README.md``)::

    pip install '.[bench]'
    python -P benchmarks/bench_core.py            # about a minute
    python -P benchmarks/bench_core.py --quick    # smoke run, seconds
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.abc
import importlib.machinery
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Final

HERE: Final = Path(__file__).resolve().parent
CHECKOUT: Final = HERE.parent
CACHE: Final = HERE / ".cache"

# `python -P` leaves the script's directory off sys.path; the helper module lives there.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import _peers  # noqa: E402  (needs the line above)
from _peers import ACCESS_KEY_ID, BUCKET, EXPIRES, KEY, REGION, SECRET_ACCESS_KEY, Contender, Missing  # noqa: E402

BATCH: Final = 1000
MB: Final = 1_000_000

GET: Final = "Presigner.get"
GET_MANY: Final = f"Presigner.get_many (per URL, {BATCH} keys)"
COMPAT_GET: Final = "libpresign.get"
PURE_GET: Final = "Presigner.get, pure Python"
CPP_GET: Final = f"C++ libpresign {_peers.CPP_VERSION} get"
BOTO3: Final = "boto3 generate_presigned_url (s3v4)"


@dataclass(frozen=True)
class Settings:
    """How long to measure: the full run or the ``--quick`` smoke run."""

    rounds: int
    round_seconds: float
    memory_calls: int
    memory_warmup: int


FULL: Final = Settings(rounds=11, round_seconds=0.25, memory_calls=1_000_000, memory_warmup=100_000)
QUICK: Final = Settings(rounds=2, round_seconds=0.01, memory_calls=20_000, memory_warmup=2_000)


# --- which libpresign ----------------------------------------------------------------


def _is_checkout(entry: str) -> bool:
    # "" on sys.path stands for the working directory.
    return Path(entry or os.getcwd()).resolve() == CHECKOUT


def _inside_checkout(path: str | None) -> bool:
    # The source package itself, not a virtualenv that happens to live in the checkout.
    return path is not None and Path(path).resolve().parent == CHECKOUT / "libpresign"


def import_installed(*, allow_pure: bool) -> ModuleType:
    """Import the installed libpresign rather than this checkout's source tree.

    With ``allow_pure``, any build will do, and the source tree if none is installed.

    :raises SystemExit: without ``allow_pure``, the package found is the source tree,
        is not compiled, or is missing.
    """
    sys.path[:] = [entry for entry in sys.path if not _is_checkout(entry)]
    try:
        libpresign = importlib.import_module("libpresign")
    except ImportError:
        if not allow_pure:
            raise SystemExit(
                f"libpresign is not installed for {sys.executable}.\n"
                "From the checkout: pip install '.[bench]'  (or pass --allow-pure to time the source tree)"
            ) from None
        sys.path.insert(0, str(CHECKOUT))
        libpresign = importlib.import_module("libpresign")
    if allow_pure:
        return libpresign
    if _inside_checkout(libpresign.__file__):
        raise SystemExit(
            f"libpresign was imported from the checkout ({libpresign.__file__}), an editable install?\n"
            "Install the compiled wheel: pip install '.[bench]'  (or pass --allow-pure)"
        )
    if not libpresign.COMPILED:
        raise SystemExit(
            f"the installed libpresign ({libpresign.__file__}) is not compiled; the targets are for the "
            "compiled build.\nBuild and install the wheel: pip install '.[bench]'  (or pass --allow-pure)"
        )
    return libpresign


def _source_only_hook(path: str) -> importlib.abc.PathEntryFinder:
    """Find only ``.py`` files inside the checkout, so stray ``.so`` builds there are ignored."""
    if not (_is_checkout(path) or _inside_checkout(path)):
        raise ImportError("outside the checkout")
    return importlib.machinery.FileFinder(
        path, (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES)
    )


def import_pure_source() -> tuple[ModuleType, dict[str, str]]:
    """Import this checkout's ``libpresign`` from its ``.py`` files only.

    :returns: the package and the files its signing modules came from.
    :raises RuntimeError: a signing module did not come from a ``.py`` file of the checkout.
    """
    sys.path_hooks.insert(0, _source_only_hook)
    sys.path_importer_cache.clear()
    sys.path[:] = [str(CHECKOUT)] + [entry for entry in sys.path if not _is_checkout(entry)]
    libpresign = importlib.import_module("libpresign")
    files = {
        name: str(importlib.import_module(name).__file__)
        for name in ("libpresign", "libpresign._signer", "libpresign._sigv4", "libpresign.presigner")
    }
    for name, file in files.items():
        if not (_inside_checkout(file) and file.endswith(".py")):
            raise RuntimeError(f"{name} came from {file}, not from a .py file under {CHECKOUT}")
    if libpresign.COMPILED:
        raise RuntimeError("libpresign.COMPILED is true in the pure worker")
    return libpresign, files


# --- contenders ----------------------------------------------------------------------


class Timed:
    """A contender ready to time: ``run(n)`` makes ``n`` calls and returns the seconds."""

    def __init__(self, name: str, origin: str, urls_per_call: int) -> None:
        self.name: Final = name
        self.origin: Final = origin
        self.urls_per_call: Final = urls_per_call
        self.per_url_us: list[float] = []

    def run(self, calls: int) -> float:
        raise NotImplementedError

    def one_url(self) -> str:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the contender holds (a worker process)."""


class LocalTimed(Timed):
    """A contender timed in this process with :mod:`timeit` (garbage collector paused)."""

    def __init__(self, contender: Contender) -> None:
        super().__init__(contender.name, contender.origin, contender.urls_per_call)
        self._namespace: Final = dict(contender.namespace)
        self._code: Final = compile(contender.call, f"<{contender.name}>", "eval")
        self._timer: Final = timeit.Timer(contender.call, globals=self._namespace)

    def run(self, calls: int) -> float:
        return self._timer.timeit(calls)

    def one_url(self) -> str:
        # The timed statement itself, so the sanity check sees what is timed.
        result = eval(self._code, self._namespace)  # noqa: S307  (our own fixed statement)
        return str(result[0] if isinstance(result, list) else result)


class PureWorkerTimed(Timed):
    """The pure-Python ``Presigner.get``, timed inside a worker process.

    The worker imports the checkout's sources (``PYTHONPATH`` = the checkout, ``.py``
    files only) while this process keeps the compiled build; each round asks it to time
    ``n`` calls, so its rounds interleave with everyone else's.
    """

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(CHECKOUT), PYTHONDONTWRITEBYTECODE="1")
        self._process: Final = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", "pure"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        hello = self._receive()
        if not hello.get("ok"):
            self.close()
            raise RuntimeError(str(hello.get("error")))
        self.files: Final[dict[str, str]] = hello["files"]
        self._url: Final = str(hello["url"])
        super().__init__(PURE_GET, f"{self.files['libpresign._signer']} (COMPILED={hello['compiled']})", 1)

    def _receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=10)
            assert self._process.stderr is not None
            tail = " | ".join(self._process.stderr.read().strip().splitlines()[-3:])
            raise RuntimeError(f"pure worker exited with {self._process.returncode}: {tail}")
        message: dict[str, Any] = json.loads(line)
        return message

    def run(self, calls: int) -> float:
        assert self._process.stdin is not None
        self._process.stdin.write(f"{calls}\n")
        self._process.stdin.flush()
        return float(str(self._receive()["seconds"]))

    def one_url(self) -> str:
        return self._url

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=10)


def our_contenders(libpresign: ModuleType) -> list[Contender]:
    """``Presigner.get``, ``Presigner.get_many`` and ``libpresign.get`` of the installed build."""
    presigner = libpresign.Presigner(ACCESS_KEY_ID, SECRET_ACCESS_KEY, region=REGION, bucket=BUCKET)
    # Keys as long as KEY (the first one is KEY), so a URL of the batch costs what a
    # single URL costs.
    keys = [f"photos/2024/06/cat-{index:04d}.jpg" for index in range(1, BATCH + 1)]
    origin = f"libpresign {libpresign.__version__}, {libpresign.__file__}, COMPILED={libpresign.COMPILED}"
    return [
        Contender(GET, "get(key)", {"get": presigner.get, "key": KEY}, origin),
        Contender(GET_MANY, "get_many(keys)", {"get_many": presigner.get_many, "keys": keys}, origin, BATCH),
        Contender(
            COMPAT_GET,
            "get(access_key_id, secret, region, bucket, key, expires)",
            {
                "get": libpresign.get,
                "access_key_id": ACCESS_KEY_ID,
                "secret": SECRET_ACCESS_KEY,
                "region": REGION,
                "bucket": BUCKET,
                "key": KEY,
                "expires": EXPIRES,
            },
            origin,
        ),
    ]


_SIGNATURE: Final = re.compile(r"[?&]X-Amz-Signature=[0-9a-f]{64}(?:&|$)")


def url_problem(url: str) -> str | None:
    """What is wrong with a contender's URL, or ``None`` if it looks like a presigned GET."""
    if not url.startswith("https://"):
        return "does not start with https://"
    if _SIGNATURE.search(url) is None:
        return "has no X-Amz-Signature of 64 hex digits"
    if f"X-Amz-Credential={ACCESS_KEY_ID}%2F" not in url:
        return "has no X-Amz-Credential for the access key"
    if f"/{KEY}?" not in url:
        return f"does not end its path with the key {KEY!r}"
    return None


def same_url(ours: Timed, other: Timed) -> bool | None:
    """Whether ``other`` signs the very URL ``ours`` does in the same second (``None``:
    the second kept changing)."""
    for _ in range(5):
        before = ours.one_url()
        theirs = other.one_url()
        if ours.one_url() == before:
            return theirs == before
    return None


# --- timing --------------------------------------------------------------------------


def calibrate(contender: Timed, seconds: float) -> int:
    """How many calls take about ``seconds``; the trial runs double as warm-up."""
    calls = 1
    while True:
        elapsed = contender.run(calls)
        if elapsed >= seconds / 4:
            return max(1, round(calls * seconds / elapsed))
        calls = max(calls * 2, min(calls * 100, round(calls * seconds / 4 / max(elapsed, 1e-9))))


def measure(contenders: Sequence[Timed], settings: Settings) -> None:
    """Time every contender in ``settings.rounds`` interleaved rounds.

    Round ``r`` starts with contender ``r``, so a burst of noise from the machine's
    other users lands on all contenders alike rather than always on the same one.
    """
    calls = {contender.name: calibrate(contender, settings.round_seconds) for contender in contenders}
    for round_index in range(settings.rounds):
        print(f"  round {round_index + 1}/{settings.rounds}", file=sys.stderr, flush=True)
        shift = round_index % len(contenders)
        for contender in [*contenders[shift:], *contenders[:shift]]:
            n = calls[contender.name]
            elapsed = contender.run(n)
            contender.per_url_us.append(elapsed / (n * contender.urls_per_call) * 1e6)


# --- memory --------------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryGrowth:
    """Resident memory before and after ``calls`` calls (after a warm-up) in a fresh process."""

    name: str
    calls: int
    growth_bytes: int
    source: str

    @property
    def bytes_per_call(self) -> float:
        return self.growth_bytes / self.calls


def rss_reader() -> tuple[Callable[[], int], str]:
    """A function returning this process's resident set size in bytes, and its source."""
    try:
        psutil = importlib.import_module("psutil")
    except ImportError:
        statm = Path("/proc/self/statm")
        if not statm.exists():
            raise RuntimeError("needs psutil (pip install psutil) or /proc/self/statm") from None
        page = os.sysconf("SC_PAGE_SIZE")
        return (lambda: int(statm.read_text().split()[1]) * page), "/proc/self/statm"
    process = psutil.Process()
    return (lambda: int(process.memory_info().rss)), "psutil"


def memory_growth(target: str, settings: Settings, *, allow_pure: bool) -> MemoryGrowth | str:
    """Run the memory worker for ``target``; its figures, or why there are none."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", "memory", target,
        "--calls", str(settings.memory_calls), "--warmup", str(settings.memory_warmup),
    ]  # fmt: skip
    if allow_pure:
        command.append("--allow-pure")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return "timed out"
    if done.returncode != 0:
        return " | ".join(done.stderr.strip().splitlines()[-3:])
    figures = json.loads(done.stdout)
    return MemoryGrowth(figures["name"], figures["calls"], figures["growth_bytes"], figures["source"])


def memory_worker(target: str, *, calls: int, warmup: int, allow_pure: bool) -> int:
    """Worker: print, as JSON, the RSS growth of ``calls`` calls of one signing function."""
    args: tuple[object, ...] = (ACCESS_KEY_ID, SECRET_ACCESS_KEY, REGION, BUCKET, KEY, EXPIRES)
    sign: Callable[..., object]
    if target == "cpp":
        name, sign = CPP_GET, _peers.load_cpp_extension(_peers.cpp_extension_path(CACHE)).get
    else:
        libpresign = import_installed(allow_pure=allow_pure)
        if target == "get":
            presigner = libpresign.Presigner(ACCESS_KEY_ID, SECRET_ACCESS_KEY, region=REGION, bucket=BUCKET)
            name, sign, args = GET, presigner.get, (KEY,)
        else:
            name, sign = COMPAT_GET, libpresign.get
    rss, source = rss_reader()
    for _ in range(warmup):
        sign(*args)
    gc.collect()
    before = rss()
    for _ in range(calls):
        sign(*args)
    gc.collect()
    after = rss()
    print(json.dumps({"name": name, "calls": calls, "growth_bytes": after - before, "source": source}))
    return 0


def pure_worker() -> int:
    """Worker: time the pure-Python ``Presigner.get`` on request (see PureWorkerTimed)."""
    try:
        libpresign, files = import_pure_source()
        presigner = libpresign.Presigner(ACCESS_KEY_ID, SECRET_ACCESS_KEY, region=REGION, bucket=BUCKET)
        url = presigner.get(KEY)
    except Exception as exc:  # reported to the parent, which shows it as a missing contender
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        return 1
    print(json.dumps({"ok": True, "files": files, "compiled": libpresign.COMPILED, "url": url}), flush=True)
    timer = timeit.Timer("get(key)", globals={"get": presigner.get, "key": KEY})
    for line in sys.stdin:
        print(json.dumps({"seconds": timer.timeit(int(line))}), flush=True)
    return 0


# --- report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One goal, what was measured, and whether it holds (``None``: not measured)."""

    goal: str
    needed: str
    measured: str
    passed: bool | None


def machine() -> dict[str, object]:
    """The CPU, cores, Python and date the figures belong to."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "load_average": [round(value, 2) for value in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def best(timed: dict[str, Timed], name: str) -> float | None:
    contender = timed.get(name)
    return min(contender.per_url_us) if contender is not None and contender.per_url_us else None


def speedup_target(timed: dict[str, Timed], goal: str, fast: str, slow: str, needed: float) -> Target:
    fast_us, slow_us = best(timed, fast), best(timed, slow)
    if fast_us is None or slow_us is None:
        missing = fast if fast_us is None else slow
        return Target(goal, f"≥ {needed}×", f"n/a ({missing} not measured)", None)
    ratio = slow_us / fast_us
    return Target(goal, f"≥ {needed}×", f"{ratio:.2f}× ({slow_us:.2f} / {fast_us:.2f} µs)", ratio >= needed)


def targets(timed: dict[str, Timed], memory: dict[str, MemoryGrowth | str]) -> list[Target]:
    """The project's speed and memory goals, checked against this run's figures."""
    found = [
        speedup_target(timed, f"{GET} vs {CPP_GET}", GET, CPP_GET, 4),
        speedup_target(timed, f"{COMPAT_GET} vs {CPP_GET}", COMPAT_GET, CPP_GET, 2.5),
        speedup_target(timed, f"{GET_MANY} vs {CPP_GET}", GET_MANY, CPP_GET, 5),
        speedup_target(timed, f"{GET} vs boto3", GET, BOTO3, 50),
        speedup_target(timed, f"{GET} compiled vs pure Python", GET, PURE_GET, 1.2),
    ]
    growth = memory.get(GET)
    goal, needed = f"RSS growth of {GET}", "< 2 MB over 1,000,000 calls"
    if isinstance(growth, MemoryGrowth):
        measured = f"{growth.growth_bytes / MB:.2f} MB over {growth.calls:,} calls"
        found.append(Target(goal, needed, measured, growth.growth_bytes < 2 * MB))
    else:
        found.append(Target(goal, needed, f"n/a ({growth})", None))
    return found


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else "PASS" if passed else "**FAIL**"


def report(
    *,
    about: dict[str, object],
    timed: dict[str, Timed],
    missing: Sequence[Missing],
    memory: dict[str, MemoryGrowth | str],
    goals: Sequence[Target],
    quick: bool,
    out: IO[str],
) -> None:
    """Print the Markdown tables: time per URL, memory growth, targets."""
    reference = best(timed, GET)
    rows = []
    for contender in sorted(timed.values(), key=lambda c: min(c.per_url_us)):
        fastest = min(contender.per_url_us)
        ratio = "" if reference is None else f"{fastest / reference:.2f}×"
        rows.append([contender.name, f"{fastest:.2f}", f"{statistics.median(contender.per_url_us):.2f}", ratio])
    rows += [[peer.name, "missing", "", ""] for peer in missing]
    print("\n## Time per URL\n", file=out)
    print(markdown_table(["Contender", "µs/URL (best)", "µs/URL (median)", f"time ÷ {GET}"], rows), file=out)
    print(
        f"\n{about['cpu']}, {about['usable_cores']} usable cores, {about['python']}, {about['date']}; "
        f"best and median of {len(next(iter(timed.values())).per_url_us)} interleaved rounds.",
        file=out,
    )
    print("\n## Resident memory growth\n", file=out)
    memory_rows = []
    for name, growth in memory.items():
        if isinstance(growth, MemoryGrowth):
            memory_rows.append(
                [name, f"{growth.calls:,}", f"{growth.growth_bytes / MB:.2f}", f"{growth.bytes_per_call:.1f}"]
            )
        else:
            memory_rows.append([name, "n/a", growth, ""])
    print(markdown_table(["Function", "calls", "RSS growth (MB)", "bytes/call"], memory_rows), file=out)
    print("\n## Targets\n", file=out)
    goal_rows = [[goal.goal, goal.needed, goal.measured, verdict(goal.passed)] for goal in goals]
    print(markdown_table(["Target", "needed", "measured", "result"], goal_rows), file=out)
    if quick:
        print("\n(--quick: a smoke run; these figures prove the script works, not the targets.)", file=out)


def loud(message: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n!!! {message}\n{bar}\n", flush=True)


# --- main ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds (for CI)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the figures as JSON")
    parser.add_argument(
        "--allow-pure",
        action="store_true",
        help="run even if libpresign is not compiled, or only this checkout's sources are importable",
    )
    parser.add_argument("--worker", choices=["pure", "memory"], help=argparse.SUPPRESS)
    parser.add_argument("target", nargs="?", choices=["get", "compat", "cpp"], help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=FULL.memory_calls, help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=int, default=FULL.memory_warmup, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def gather(libpresign: ModuleType) -> tuple[dict[str, Timed], list[Missing], dict[str, str] | None]:
    """Every contender that could be set up, the missing ones, and the pure worker's files."""
    timed: dict[str, Timed] = {}
    missing: list[Missing] = []
    pure_files: dict[str, str] | None = None
    for contender in our_contenders(libpresign):
        timed[contender.name] = LocalTimed(contender)
    try:
        pure = PureWorkerTimed()
    except RuntimeError as exc:
        missing.append(Missing(PURE_GET, str(exc), f"needs this checkout's sources under {CHECKOUT}"))
    else:
        timed[PURE_GET] = pure
        pure_files = pure.files
    for peer in (_peers.cpp_peer(CACHE), _peers.boto3_peer(), _peers.minio_peer(), _peers.obstore_peer()):
        if isinstance(peer, Missing):
            missing.append(peer)
        else:
            timed[peer.name] = LocalTimed(peer)
    return timed, missing, pure_files


def sanity_check(timed: dict[str, Timed], missing: list[Missing]) -> None:
    """Drop (into ``missing``) every peer whose URL looks wrong, so no error path is timed.

    :raises SystemExit: one of our own contenders returned a bad URL.
    """
    for name, contender in list(timed.items()):
        try:
            problem = url_problem(contender.one_url())
        except Exception as exc:  # a broken peer is reported, never timed
            problem = f"raised {type(exc).__name__}: {exc}"
        if problem is None:
            print(f"- ok       {name}: {contender.origin}")
            continue
        if name in (GET, GET_MANY, COMPAT_GET):
            raise SystemExit(f"{name} returned a bad URL ({problem}): {contender.one_url()}")
        missing.append(Missing(name, f"bad URL: {problem}", "check the peer's version"))
        timed.pop(name).close()
    for peer in missing:
        print(f"- MISSING  {peer.name}: {peer.reason}\n           to get it: {peer.hint}")
    # These sign for the same host as Presigner.get, so their URLs must match ours byte for byte.
    for name in (COMPAT_GET, "minio presigned_get_object", "obstore sign"):
        if name in timed:
            same = same_url(timed[GET], timed[name])
            text = {True: "yes", False: "NO, the URLs differ", None: "not compared (the clock kept ticking)"}[same]
            print(f"- same URL as {GET}: {name}: {text}")


def benchmark(settings: Settings, *, quick: bool, allow_pure: bool, json_path: Path | None) -> int:
    """The whole run: set up, check, time, measure memory, report."""
    started = time.perf_counter()
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # keep stdout in step with the progress on stderr
    libpresign = import_installed(allow_pure=allow_pure)
    about = machine()
    print("# libpresign benchmark" + (" (--quick)" if quick else ""))
    print(
        f"\n{about['date']}  {about['cpu']}  cores: {about['cores']} (usable {about['usable_cores']})  "
        f"load: {about['load_average']}\n{about['python']} on {about['platform']}"
    )
    print(f"libpresign {libpresign.__version__} from {libpresign.__file__}  COMPILED={libpresign.COMPILED}")
    if not libpresign.COMPILED:
        loud("libpresign is NOT compiled: the targets are meant for the compiled build")

    timed, missing, pure_files = gather(libpresign)
    try:
        if pure_files is not None:
            print("pure Python from: " + ", ".join(pure_files.values()))
        print("\n## Contenders and sanity check\n")
        sanity_check(timed, missing)
        print(
            f"\ntiming {len(timed)} contenders: {settings.rounds} rounds of ~{settings.round_seconds} s each",
            file=sys.stderr,
        )
        measure(list(timed.values()), settings)
    finally:
        for contender in timed.values():
            contender.close()

    print("measuring memory growth in fresh processes", file=sys.stderr)
    memory: dict[str, MemoryGrowth | str] = {}
    for target, name in (("get", GET), ("compat", COMPAT_GET), ("cpp", CPP_GET)):
        if name in timed:
            memory[name] = memory_growth(target, settings, allow_pure=allow_pure)
        else:
            memory[name] = "not available"

    goals = targets(timed, memory)
    report(about=about, timed=timed, missing=missing, memory=memory, goals=goals, quick=quick, out=sys.stdout)
    if not libpresign.COMPILED:
        loud("libpresign is NOT compiled: these figures are for the pure-Python build")
    print(f"\ntotal time {time.perf_counter() - started:.0f} s")

    if json_path is not None:
        figures = {
            "about": about,
            "quick": quick,
            "settings": asdict(settings),
            "libpresign": {
                "version": libpresign.__version__,
                "file": libpresign.__file__,
                "compiled": libpresign.COMPILED,
            },
            "pure_files": pure_files,
            "contenders": [
                {
                    "name": contender.name,
                    "origin": contender.origin,
                    "best_us": min(contender.per_url_us),
                    "median_us": statistics.median(contender.per_url_us),
                    "rounds_us": contender.per_url_us,
                }
                for contender in timed.values()
            ],
            "missing": [asdict(peer) for peer in missing],
            "memory": {
                name: asdict(growth) if isinstance(growth, MemoryGrowth) else {"error": growth}
                for name, growth in memory.items()
            },
            "targets": [asdict(goal) for goal in goals],
        }
        json_path.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"figures saved to {json_path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker == "pure":
        return pure_worker()
    if args.worker == "memory":
        return memory_worker(args.target, calls=args.calls, warmup=args.warmup, allow_pure=args.allow_pure)
    settings = QUICK if args.quick else FULL
    return benchmark(settings, quick=args.quick, allow_pure=args.allow_pure, json_path=args.json)


if __name__ == "__main__":
    sys.exit(main())
