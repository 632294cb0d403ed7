"""Bulk throughput of the ``libpresign`` command beside ``Presigner.get_many`` and boto3.

Times ``libpresign --from FILE --bucket B > /dev/null`` end to end (interpreter start-up
included) on a file of keys, ``Presigner.get_many`` on the same keys in the same run,
and boto3's ``generate_presigned_url`` in a loop in this process (what ``aws s3
presign`` does per URL, without the AWS CLI's own start-up, so the fair comparison for
signing speed). It also reads the command's peak memory on a tenth of the lines and on
all of them: streaming keeps it flat. Run it against the installed compiled build::

    pip install '.[bench]'
    python -P benchmarks/bench_cli.py            # about a minute
    python -P benchmarks/bench_cli.py --quick    # smoke run, seconds; always exits 0

Targets (PASS/FAIL): the command reaches at least 60% of ``get_many``'s throughput and
50x boto3's; its peak memory grows by less than 10 MB from a tenth of the lines to all
of them. The full run exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Final

HERE: Final = Path(__file__).resolve().parent
CHECKOUT: Final = HERE.parent

# `python -P` leaves the script's directory off sys.path; the helper module lives there.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import _peers  # noqa: E402  (needs the line above)
from _peers import ACCESS_KEY_ID, BUCKET, EXPIRES, REGION, SECRET_ACCESS_KEY  # noqa: E402

BATCH: Final = 10_000
PINNED: Final = 1_700_000_000
MB: Final = 1_000_000
TARGET_VS_GET_MANY: Final = 0.60
TARGET_VS_BOTO3: Final = 50.0
TARGET_RSS_GROWTH: Final = 10 * MB


@dataclass(frozen=True)
class Settings:
    lines: int
    rounds: int
    boto3_calls: int


FULL: Final = Settings(lines=1_000_000, rounds=3, boto3_calls=3_000)
QUICK: Final = Settings(lines=20_000, rounds=1, boto3_calls=200)


def _is_checkout(entry: str) -> bool:
    return Path(entry or os.getcwd()).resolve() == CHECKOUT


def import_libpresign(*, allow_pure: bool) -> ModuleType:
    """The installed libpresign (the checkout's sources only with ``allow_pure``)."""
    sys.path[:] = [entry for entry in sys.path if not _is_checkout(entry)]
    try:
        libpresign = importlib.import_module("libpresign")
    except ImportError:
        if not allow_pure:
            raise SystemExit("libpresign is not installed: pip install '.[bench]'  (or pass --allow-pure)") from None
        sys.path.insert(0, str(CHECKOUT))
        libpresign = importlib.import_module("libpresign")
    if not libpresign.COMPILED and not allow_pure:
        raise SystemExit(
            f"libpresign at {libpresign.__file__} is not compiled; the targets are for the compiled build.\n"
            "Build and install the wheel: pip install '.[bench]'  (or pass --allow-pure)"
        )
    return libpresign


def command_environment(libpresign: ModuleType, home: Path) -> dict[str, str]:
    """Fake credentials, an empty HOME, and the very package imported here."""
    package_parent = str(Path(libpresign.__file__ or "").resolve().parent.parent)
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(
        HOME=str(home),
        AWS_ACCESS_KEY_ID=ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY=SECRET_ACCESS_KEY,
        AWS_REGION=REGION,
        PYTHONPATH=os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])),
    )
    return env


def key(index: int) -> str:
    return f"photos/2024/06/cat-{index:08d}.jpg"


def write_keys(path: Path, count: int, *, prefix: str = "") -> None:
    """Written a batch at a time: this process must stay small (see run_command)."""
    with path.open("w", encoding="utf-8") as file:
        for start in range(0, count, BATCH):
            file.write("".join(f"{prefix}{key(index)}\n" for index in range(start, min(start + BATCH, count))))


@dataclass(frozen=True)
class CommandRun:
    seconds: float
    peak_rss: int


def run_command(args: Sequence[str], env: dict[str, str], *, stdout: int | None = None) -> CommandRun:
    """Run ``python -P -m libpresign ARGS`` with stdout to /dev/null; wall time and peak RSS.

    Linux carries the parent's memory high-water mark into a child across fork and
    exec, so the peak is only meaningful while this process is smaller than the command.
    """
    with open(os.devnull, "wb") as devnull:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-P", "-m", "libpresign", *args], stdout=devnull if stdout is None else stdout, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"libpresign {' '.join(args)} exited with {process.returncode}")
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return CommandRun(seconds, usage.ru_maxrss * scale)


def check_same_urls(libpresign: ModuleType, env: dict[str, str]) -> None:
    """The command's URLs equal get_many's at a pinned time, before anything is timed."""
    sample = [key(index) for index in range(1000)]
    result = subprocess.run(
        [sys.executable, "-P", "-m", "libpresign", "--from", "-", "--bucket", BUCKET, "--at", str(PINNED)],
        input="".join(key + "\n" for key in sample).encode(),
        capture_output=True,
        env=env,
        check=True,
    )
    pinned = libpresign.Presigner(ACCESS_KEY_ID, SECRET_ACCESS_KEY, region=REGION, clock=lambda: float(PINNED))
    if result.stdout.decode().splitlines() != pinned.get_many(sample, bucket=BUCKET):
        raise SystemExit("the command's URLs differ from get_many's: not timing a broken command")
    version = subprocess.run(
        [sys.executable, "-P", "-m", "libpresign", "--version"], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    if ("compiled core" in version) != libpresign.COMPILED:
        raise SystemExit(f"the command runs another build ({version}) than this process imported")
    print(f"command: {version}")


def time_get_many(libpresign: ModuleType, keys: list[str]) -> float:
    presigner = libpresign.Presigner(ACCESS_KEY_ID, SECRET_ACCESS_KEY, region=REGION, bucket=BUCKET)
    started = time.perf_counter()
    for start in range(0, len(keys), BATCH):
        presigner.get_many(keys[start : start + BATCH], expires=EXPIRES)
    return time.perf_counter() - started


def time_boto3(calls: int) -> float | None:
    """Seconds per URL of boto3's generate_presigned_url (s3v4), or None if missing."""
    peer = _peers.boto3_peer()
    if isinstance(peer, _peers.Missing):
        print(f"boto3: {peer.reason}; {peer.hint}")
        return None
    timer = timeit.Timer(peer.call, globals=peer.namespace)
    timer.timeit(20)  # warm up: first calls load endpoint rules
    return min(timer.repeat(repeat=3, number=calls)) / calls


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def benchmark(settings: Settings, *, quick: bool, allow_pure: bool) -> int:
    libpresign = import_libpresign(allow_pure=allow_pure)
    build = "compiled" if libpresign.COMPILED else "PURE PYTHON (figures are not the compiled build's)"
    print(f"libpresign {libpresign.__version__}, {build}, from {Path(libpresign.__file__ or '?').parent}")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}")
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as work:
        work_dir = Path(work)
        env = command_environment(libpresign, work_dir)
        keys_file, tenth_file, uri_file = work_dir / "keys.txt", work_dir / "tenth.txt", work_dir / "uris.txt"
        write_keys(keys_file, settings.lines)
        write_keys(tenth_file, settings.lines // 10)
        write_keys(uri_file, settings.lines, prefix=f"s3://{BUCKET}/")
        check_same_urls(libpresign, env)
        bulk = ["--from", str(keys_file), "--bucket", BUCKET, "--expires", str(EXPIRES)]
        # Memory first, while this process holds no keys.
        small_peak = run_command(["--from", str(tenth_file), "--bucket", BUCKET], env).peak_rss
        peak = run_command(bulk, env).peak_rss
        startup = min(run_command(["--version"], env).seconds for _ in range(3))
        uris = min(run_command(["--from", str(uri_file)], env).seconds for _ in range(settings.rounds))
        jsonl = run_command(["--from", str(uri_file), "--format", "jsonl"], env).seconds
        keys = [key(index) for index in range(settings.lines)]
        command_times: list[float] = []
        get_many_times: list[float] = []
        # Interleaved rounds: the machine's noise hits both alike.
        for _ in range(settings.rounds):
            command_times.append(run_command(bulk, env).seconds)
            get_many_times.append(time_get_many(libpresign, keys))
    boto3_per_url = time_boto3(settings.boto3_calls)

    lines = settings.lines
    command_rate = lines / min(command_times)
    get_many_rate = lines / min(get_many_times)
    print()
    print(f"| {lines:,} keys, best of {settings.rounds} | URLs/s | µs per URL |")
    print("|---|---:|---:|")
    rows = [
        ("`libpresign --from FILE --bucket B` (end to end)", command_rate),
        ("`libpresign --from FILE` with s3:// URIs", lines / uris),
        ("`libpresign --from FILE --format jsonl`", lines / jsonl),
        (f"`Presigner.get_many` in batches of {BATCH:,}", get_many_rate),
    ]
    if boto3_per_url is not None:
        rows.append(("boto3 `generate_presigned_url` (in-process loop)", 1 / boto3_per_url))
    for name, rate in rows:
        print(f"| {name} | {rate:,.0f} | {1e6 / rate:.2f} |")
    print(f"\ninterpreter start-up (`libpresign --version`): {startup * 1000:.0f} ms, included above")
    print(f"peak RSS: {small_peak / MB:.1f} MB for {lines // 10:,} lines, {peak / MB:.1f} MB for {lines:,} lines")

    versus_get_many = command_rate / get_many_rate
    growth = peak - small_peak
    results = [
        (f"command vs get_many ≥ {TARGET_VS_GET_MANY:.0%}", f"{versus_get_many:.0%}", versus_get_many >= TARGET_VS_GET_MANY),
        (f"peak RSS growth over 10x the lines < {TARGET_RSS_GROWTH // MB} MB", f"{growth / MB:+.1f} MB",
         growth < TARGET_RSS_GROWTH),
    ]
    if boto3_per_url is not None:
        versus_boto3 = command_rate * boto3_per_url
        results.insert(1, (f"command vs boto3 ≥ {TARGET_VS_BOTO3:.0f}x", f"{versus_boto3:.0f}x",
                           versus_boto3 >= TARGET_VS_BOTO3))
    print("\n| target | measured | |\n|---|---:|---|")
    for name, measured, ok in results:
        print(f"| {name} | {measured} | {verdict(ok)} |")
    if quick:
        print("\n--quick: a smoke run; its figures prove nothing about the targets (exit status 0)")
        return 0
    return 0 if all(ok for _, _, ok in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run for CI; always exits 0")
    parser.add_argument("--lines", type=int, help=f"keys in the file (default {FULL.lines:,}; {QUICK.lines:,} quick)")
    parser.add_argument("--allow-pure", action="store_true", help="run even if libpresign is not compiled")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.lines is not None:
        settings = Settings(lines=max(args.lines, 1000), rounds=settings.rounds, boto3_calls=settings.boto3_calls)
    return benchmark(settings, quick=args.quick, allow_pure=args.allow_pure)


if __name__ == "__main__":
    sys.exit(main())
