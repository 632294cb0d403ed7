"""The ``libpresign`` command: presigned URLs from the shell, one or millions.

One URL: ``libpresign s3://bucket/key``. Bulk: ``libpresign --from FILE`` streams keys
or ``s3://`` URIs, one per line, in chunks signed with ``get_many``, so memory stays
flat whatever the input's length. Credentials and settings come from
:mod:`libpresign.aws_config` (options, environment, shared files; no network).
See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
from json.encoder import encode_basestring
from typing import IO, Any, BinaryIO, Final, NoReturn

from libpresign import COMPILED, __version__
from libpresign.aws_config import presigner_from_env
from libpresign.disposition import content_disposition
from libpresign.errors import PresignError, PresignTypeError
from libpresign.operations import DownloadOptions, UploadOptions
from libpresign.presigner import Presigner
from libpresign.profiles import Option, Profile
from libpresign.providers import get_provider, known_providers
from libpresign.results import PresignedRequest

__all__ = [
    "EXIT_BAD_LINE",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SKIPPED",
    "EXIT_USAGE",
    "main",
    "split_s3_uri",
]

EXIT_OK: Final = 0
EXIT_BAD_LINE: Final = 1
"""A bad input line stopped a bulk run (every line before it was printed), or reading
the input or writing the output failed."""
EXIT_USAGE: Final = 2
"""Bad options or arguments, an unreadable ``--from`` file, missing or unsupported
credentials, an invalid shared config file."""
EXIT_SKIPPED: Final = 3
"""``--keep-going`` skipped at least one bad line; every other line was printed."""
EXIT_INTERRUPTED: Final = 130
EXIT_BROKEN_PIPE: Final = 141
"""The reader of stdout went away (``| head``): stop quietly, as a SIGPIPE would."""

_METHODS: Final = ("GET", "PUT", "HEAD", "DELETE")
_FORMATS: Final = ("plain", "csv", "jsonl")
_ADDRESSING: Final = ("auto", "virtual", "path")
# Bytes read at a time in bulk mode: a few thousand lines per get_many call, which
# amortises the per-call cost while keeping memory flat.
_READ_SIZE: Final = 1 << 16
# No valid line comes near this (a key is at most 1024 bytes, a bucket at most 255): a
# longer one is kept only this far, so input without newlines cannot fill the memory.
_MAX_LINE_BYTES: Final = 8192
_ERRORS: Final = (PresignError, PresignTypeError)
_DURATION: Final = re.compile(r"(\d+)([smhd]?)")
_UNIT_SECONDS: Final = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# What makes the csv module quote a field (QUOTE_MINIMAL with ',' and '"').
_CSV_SPECIAL: Final = re.compile(r'[",\r\n]')
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})
_PROGRESS_EXTRA: Final = "pip install 'libpresign[progress]'"

_DESCRIPTION: Final = """\
Print presigned S3 URLs: one for s3://BUCKET/KEY, or one per input line with --from.
Nothing is sent over the network; credentials come from the AWS environment variables
or the shared ~/.aws files."""

_EXAMPLES: Final = """\
examples:
  libpresign s3://photos/2024/cat.jpg                 a GET URL valid for one hour
  libpresign s3://photos/cat.jpg --expires 10m --filename "Cat (2024).jpg"
  libpresign -X PUT s3://uploads/report.pdf --content-type application/pdf --json
  libpresign s3://photos/cat.jpg --profile dev --at 2024-06-01T00:00:00Z
  libpresign s3://data/file.bin --provider minio --endpoint http://localhost:9000
  libpresign s3://assets/logo.png --provider r2 --account-id 0123456789abcdef0123456789abcdef
  libpresign --from keys.txt --bucket photos --format csv > urls.csv
  aws s3api list-objects-v2 --bucket photos --query 'Contents[].[Key]' --output text \\
      | libpresign --from - --bucket photos --format jsonl

credentials, first found wins: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN; ignored with --profile); the profile (--profile, else AWS_PROFILE,
else default) in ~/.aws/credentials, then ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
AWS_CONFIG_FILE). Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
Endpoint: --endpoint, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url.

exit status: 0 done; 1 a bad input line stopped the run (lines before it were printed)
or an I/O error; 2 usage, configuration or credentials error; 3 --keep-going skipped
some lines; 130 interrupted.
"""


class _UsageError(Exception):
    """A problem with the command line itself; reported on one line, exit status 2."""


# --- argument parsing -----------------------------------------------------------------


def _duration(text: str) -> int:
    """``600``, ``90s``, ``10m``, ``12h`` or ``7d`` as seconds."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"expected seconds or a number with s, m, h or d (e.g. 10m), got {text!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _instant(text: str) -> float:
    """POSIX seconds, or an ISO 8601 time with a zone (``2024-06-01T12:00:00Z``)."""
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected POSIX seconds or an ISO 8601 time such as 2024-06-01T12:00:00Z, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"the time needs a zone, such as Z or +02:00: {text!r}")
    return moment.timestamp()


def _method(text: str) -> str:
    method = text.upper()
    if method not in _METHODS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(_METHODS)}, got {text!r}")
    return method


def _pair(text: str, separator: str, what: str) -> tuple[str, str]:
    name, found, value = text.partition(separator)
    if not found or not name.strip():
        raise _UsageError(f"{what} must look like NAME{separator}VALUE, got {text!r}")
    return name.strip(), value.strip() if separator == ":" else value


def _parser(profile: Profile, *, provider_help: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="libpresign",
        description=_DESCRIPTION,
        epilog=provider_help + _EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build = "compiled" if COMPILED else "pure Python"
    python = ".".join(str(part) for part in sys.version_info[:3])
    parser.add_argument(
        "--version", action="version", version=f"libpresign {__version__} ({build} core, Python {python})"
    )
    parser.add_argument(
        "target", nargs="?", metavar="s3://BUCKET/KEY", help="the object to sign for (or a KEY with --bucket)"
    )

    request = parser.add_argument_group("request")
    request.add_argument(
        "-X", "--method", type=_method, default="GET", help="GET (default), PUT, HEAD or DELETE"
    )
    request.add_argument(
        "-e", "--expires", type=_duration, default=3600, metavar="SECONDS",
        help="how long the URL stays valid: seconds, or 10m, 12h, 7d (default 1h; at most 7d)",
    )
    request.add_argument("--version-id", help="a specific object version (GET, HEAD, DELETE)")
    request.add_argument(
        "--content-type",
        help="PUT: the Content-Type the upload must send; GET/HEAD: the Content-Type the response gets",
    )
    request.add_argument(
        "--filename", metavar="NAME",
        help="download file name (GET/HEAD: response Content-Disposition; PUT: stored Content-Disposition)",
    )
    request.add_argument("--inline", action="store_true", help="with --filename: display in the browser, not save")
    request.add_argument(
        "--metadata", action="append", default=[], metavar="NAME=VALUE", help="PUT: x-amz-meta-NAME (repeatable)"
    )
    request.add_argument(
        "--header", action="append", default=[], metavar="'NAME: VALUE'",
        help="PUT: another header to sign; the upload must send it (repeatable)",
    )
    request.add_argument(
        "--query", action="append", default=[], metavar="NAME=VALUE",
        help="an extra query parameter such as uploadId or partNumber (repeatable)",
    )
    request.add_argument(
        "--at", type=_instant, metavar="TIME",
        help="sign at this time (ISO 8601 with a zone, or POSIX seconds) instead of now",
    )
    request.add_argument(
        "--window", type=_duration, metavar="SECONDS",
        help="round the signing time down to this window so URLs repeat (cacheable); expiry grows by it",
    )
    request.add_argument("--strict-keys", action="store_true", help="refuse keys HTTP clients rewrite (//, ., ..)")
    request.add_argument(
        "--clamp-to-credentials", action="store_true",
        help="cut a URL's lifetime to the expiry of temporary credentials instead of failing",
    )

    where = parser.add_argument_group("where")
    where.add_argument("--region", help="the bucket's region")
    where.add_argument("--endpoint", "--endpoint-url", dest="endpoint", metavar="URL",
                       help="an S3-compatible service, e.g. http://localhost:9000")
    where.add_argument(
        "--addressing", choices=_ADDRESSING, help="virtual-hosted or path-style URLs (default: the provider's)"
    )
    where.add_argument("--provider", default="aws", help="the provider profile (default aws; listed below with --help)")
    where.add_argument(
        "--provider-option", action="append", default=[], metavar="NAME=VALUE",
        help="an option of the provider (NAME alone turns a flag on; repeatable)",
    )
    where.add_argument("--profile", help="the profile in the shared AWS files (default AWS_PROFILE, else default)")

    bulk = parser.add_argument_group("bulk")
    bulk.add_argument("--from", dest="source", metavar="FILE", help="read one key or s3:// URI per line ('-': stdin)")
    bulk.add_argument("--bucket", help="the bucket: input lines (or the argument) are keys, not s3:// URIs")
    bulk.add_argument(
        "--keep-going", action="store_true", help="report bad lines on stderr, skip them, and exit with status 3"
    )

    output = parser.add_argument_group("output")
    output.add_argument(
        "--format", choices=_FORMATS, default=None,
        help="plain: URLs; csv: bucket,key,url; jsonl: one JSON object per line with the headers to send",
    )
    output.add_argument("--json", action="store_true", help="same as --format jsonl")
    output.add_argument("-q", "--quiet", action="store_true", help="no progress display and no notes on stderr")
    output.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="progress on stderr (default: when stderr is a terminal; needs the 'progress' extra)",
    )
    _add_provider_flags(parser, profile)
    return parser


def _flag_name(option: Option) -> str:
    return "--" + option.name.replace("_", "-")


def _add_provider_flags(parser: argparse.ArgumentParser, profile: Profile) -> None:
    """The provider's own options as flags (``--account-id`` for R2), read from its profile."""
    if not profile.options:
        return
    group = parser.add_argument_group(f"options of provider {profile.name!r} ({profile.title})")
    for option in profile.options:
        dest = f"provider_option_{option.name}"
        try:
            if option.flag:
                group.add_argument(_flag_name(option), dest=dest, action="store_true", default=None, help=option.help)
            else:
                choices = None if option.choices is None else sorted(option.choices)
                group.add_argument(
                    _flag_name(option), dest=dest, metavar=option.name.upper(), choices=choices, help=option.help
                )
        except argparse.ArgumentError:
            # The name clashes with one of the command's own options; --provider-option
            # still reaches it.
            continue


def _providers_help() -> str:
    lines = ["provider options (with --provider NAME: --OPTION, or --provider-option NAME=VALUE):"]
    for name in known_providers():
        try:
            profile = get_provider(name)
        except Exception:  # a broken plug-in must not break --help
            lines.append(f"  {name}: (could not be loaded)")
            continue
        flags = ", ".join(_flag_name(option) for option in profile.options) or "none"
        lines.append(f"  {name} ({profile.title}): {flags}")
    return "\n".join(lines) + "\n\n"


def _other_provider_hint(unknown: Sequence[str], current: Profile) -> str:
    """`` (an option of provider r2: add --provider r2)`` for another provider's flag."""
    flags = {text.partition("=")[0] for text in unknown if text.startswith("--")}
    for name in known_providers():
        if name == current.name:
            continue
        try:
            profile = get_provider(name)
        except Exception:  # a broken plug-in must not hide the usage error
            continue
        for option in profile.options:
            if _flag_name(option) in flags:
                return f" ({_flag_name(option)} is an option of provider {name!r}: add --provider {name})"
    return ""


def _provider_name(argv: Sequence[str]) -> str:
    """``--provider`` alone, before the full parser (whose flags depend on it) is built."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--provider", default="aws")
    known, _ = early.parse_known_args(argv)
    return str(known.provider)


def _provider_options(args: argparse.Namespace, profile: Profile) -> dict[str, object]:
    by_name = {option.name: option for option in profile.options}
    options: dict[str, object] = {}
    for option in profile.options:
        value = getattr(args, f"provider_option_{option.name}", None)
        if value is not None:
            options[option.name] = value
    for text in args.provider_option:
        name, found, value = text.partition("=")
        name = name.strip().replace("-", "_")
        known = by_name.get(name)
        if known is None:
            accepted = ", ".join(sorted(by_name)) or "none"
            raise _UsageError(f"provider {profile.name!r} has no option {name!r}; it accepts: {accepted}")
        if known.flag:
            word = value.strip().lower() if found else "true"
            if word not in _TRUE | _FALSE:
                raise _UsageError(f"provider option {name} is a flag: give {name}, {name}=true or {name}=false")
            options[name] = word in _TRUE
        else:
            if not found:
                raise _UsageError(f"provider option {name} needs a value: {name}=VALUE")
            options[name] = value
    return options


# --- what to sign ---------------------------------------------------------------------


class _Signer:
    """Signs one request per key with the options of the command line."""

    def __init__(
        self,
        presigner: Presigner,
        *,
        method: str,
        expires: int,
        download: DownloadOptions,
        upload: UploadOptions,
        delete_query: list[tuple[str, str]],
    ) -> None:
        self.presigner = presigner
        self.method = method
        self.expires = expires
        self.download = download
        self.upload = upload
        self.delete_query = delete_query
        self.headers: dict[str, str] = {}

    def one(self, bucket: str | None, key: str) -> PresignedRequest:
        presigner, expires = self.presigner, self.expires
        if self.method == "GET":
            return PresignedRequest("GET", presigner.get(key, bucket=bucket, expires=expires, **self.download), {})
        if self.method == "HEAD":
            return PresignedRequest("HEAD", presigner.head(key, bucket=bucket, expires=expires, **self.download), {})
        if self.method == "DELETE":
            return presigner.presign("DELETE", key, bucket=bucket, expires=expires, query=self.delete_query)
        request = presigner.put(key, bucket=bucket, expires=expires, **self.upload)
        # The headers depend on the options only, never on the key.
        self.headers = dict(request.headers)
        return request

    def many(self, bucket: str | None, keys: list[str]) -> list[str]:
        """URLs for ``keys`` in order; raises on the first bad key, returning none."""
        if self.method == "GET":
            return self.presigner.get_many(keys, bucket=bucket, expires=self.expires, **self.download)
        return [self.one(bucket, key).url for key in keys]


def _request_options(args: argparse.Namespace) -> tuple[DownloadOptions, UploadOptions, list[tuple[str, str]]]:
    method = args.method
    query = [_pair(text, "=", "--query") for text in args.query]
    if args.inline and args.filename is None:
        raise _UsageError("--inline needs --filename")
    disposition = (
        None
        if args.filename is None
        else content_disposition(args.filename, disposition="inline" if args.inline else "attachment")
    )
    if method != "PUT" and (args.metadata or args.header):
        raise _UsageError("--metadata and --header apply to PUT only")
    download: DownloadOptions = {}
    upload: UploadOptions = {}
    delete_query: list[tuple[str, str]] = []
    if method in ("GET", "HEAD"):
        if args.version_id is not None:
            download["version_id"] = args.version_id
        if args.content_type is not None:
            download["response_content_type"] = args.content_type
        if disposition is not None:
            download["response_content_disposition"] = disposition
        if query:
            download["query"] = query
    elif method == "PUT":
        if args.version_id is not None:
            raise _UsageError("--version-id applies to GET, HEAD and DELETE, not PUT")
        if args.content_type is not None:
            upload["content_type"] = args.content_type
        if disposition is not None:
            upload["content_disposition"] = disposition
        if args.metadata:
            upload["metadata"] = dict(_pair(text, "=", "--metadata") for text in args.metadata)
        if args.header:
            upload["headers"] = [_pair(text, ":", "--header") for text in args.header]
        if query:
            upload["query"] = query
    else:
        if args.content_type is not None or disposition is not None:
            raise _UsageError("--content-type and --filename do not apply to DELETE")
        if args.version_id is not None:
            delete_query.append(("versionId", args.version_id))
        delete_query.extend(query)
    return download, upload, delete_query


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` → ``(bucket, key)``; the key is kept exactly, slashes and all."""
    if not uri.startswith("s3://"):
        raise PresignError(f"expected an s3://bucket/key URI, got {uri!r}")
    bucket, slash, key = uri[len("s3://") :].partition("/")
    if not bucket or not slash or not key:
        raise PresignError(f"expected an s3://bucket/key URI with a bucket and a key, got {uri!r}")
    return bucket, key


# --- output ---------------------------------------------------------------------------


class _Output:
    """Writes rows of (bucket, key, URL) to a binary stream in the chosen format."""

    def __init__(self, stream: BinaryIO, fmt: str, signer: _Signer) -> None:
        self.stream = stream
        self.format = fmt
        self.signer = signer
        if fmt == "csv":
            self._write_text("bucket,key,url\n")

    def _write_text(self, text: str) -> None:
        self.stream.write(text.encode("utf-8", "surrogateescape"))
        self.stream.flush()

    def rows(self, bucket: str | list[str], keys: list[str], urls: list[str]) -> None:
        if not urls:
            return
        buckets = repeat(bucket) if isinstance(bucket, str) else bucket
        if self.format == "plain":
            self._write_text("\n".join(urls) + "\n")
        elif self.format == "csv":
            names = [bucket] if isinstance(bucket, str) else bucket
            if any(_CSV_SPECIAL.search("".join(part)) for part in (names, keys, urls)):
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerows(zip(buckets, keys, urls))
                self._write_text(text.getvalue())
            else:
                # Nothing to quote: the csv module would produce the same text, 15x slower.
                self._write_text("".join(f"{b},{k},{u}\n" for b, k, u in zip(buckets, keys, urls)))
        else:
            method = encode_basestring(self.signer.method)
            headers = json.dumps(self.signer.headers, ensure_ascii=False)
            self._write_text(
                "".join(
                    f'{{"bucket": {encode_basestring(b)}, "key": {encode_basestring(k)}, "method": {method}, '
                    f'"url": {encode_basestring(u)}, "headers": {headers}}}\n'
                    for b, k, u in zip(buckets, keys, urls)
                )
            )


# --- stderr: notes, errors, progress --------------------------------------------------


class _Stderr:
    """Messages on stderr, drawn around the progress bar when there is one."""

    def __init__(self, stream: IO[str], *, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.bar: Any = None

    def error(self, message: str) -> None:
        for python_words, flag in _CLI_WORDING.items():
            message = message.replace(python_words, flag)
        self._write(f"libpresign: {message}")

    def note(self, message: str) -> None:
        if not self.quiet:
            self._write(f"libpresign: {message}")

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def start_progress(self, wanted: bool | None) -> None:
        """A progress bar when asked (``--progress``) or when stderr is a terminal."""
        show = wanted if wanted is not None else self.stream.isatty()
        if self.quiet or not show:
            return
        try:
            tqdm = importlib.import_module("tqdm")
        except ImportError:
            if wanted:
                self.error(f"no progress display: it needs the 'progress' extra ({_PROGRESS_EXTRA})")
            return
        self.bar = tqdm.tqdm(
            **self._unsized(),
            desc="signed",
            unit=" URLs",
            unit_scale=True,
            bar_format="{desc}: {n:,} URLs [{elapsed}, {rate_fmt}]",
            file=self.stream,
            mininterval=0.25,
        )

    def _unsized(self) -> dict[str, int]:
        """A size for a terminal that reports 0 columns or rows (a pseudo-terminal
        nobody sized), where the bar would otherwise hide itself."""
        try:
            size = os.get_terminal_size(self.stream.fileno())
        except (OSError, ValueError):
            return {}
        return {"ncols": size.columns or 80, "nrows": size.lines or 24} if 0 in size else {}

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


# --- bulk mode ------------------------------------------------------------------------


_BOM: Final = b"\xef\xbb\xbf"
# The library's messages name keyword arguments; on the command line, name the flags.
_CLI_WORDING: Final = {
    "pass clamp_to_credentials=True": "pass --clamp-to-credentials",
    "sign with strict_keys=False": "sign without --strict-keys",
    "strict_keys=True refuses": "--strict-keys refuses",
}


def _lines(stream: BinaryIO) -> Iterator[list[str]]:
    """The stream's lines, a block at a time, without their ``\\n`` or ``\\r\\n``.

    Bytes that are not UTF-8 survive as lone surrogates, which signing refuses, so the
    line is reported rather than the whole run failing to decode. A line longer than
    :data:`_MAX_LINE_BYTES` is cut short, just past that length, which marks it as too long.
    """
    read: Callable[[int], bytes] = stream.read1 if isinstance(stream, io.BufferedIOBase) else stream.read
    pending = b""  # the start of a line whose newline has not been read yet
    head = read(_READ_SIZE)
    while head and len(head) < len(_BOM) and _BOM.startswith(head):
        more = read(_READ_SIZE)
        if not more:
            break
        head += more
    # Windows tools start UTF-8 files with a byte-order mark: it is not part of the key.
    head = head.removeprefix(_BOM)
    for block in itertools.chain([head] if head else [], iter(lambda: read(_READ_SIZE), b"")):
        if len(pending) > _MAX_LINE_BYTES:
            # The rest of a line already too long is dropped, up to its newline.
            end = block.find(b"\n")
            if end < 0:
                continue
            block = block[end:]
        cut = block.rfind(b"\n")
        if cut < 0:
            pending = _kept(pending + block)
            continue
        text = (pending + block[: cut + 1]).decode("utf-8", "surrogateescape")
        pending = _kept(block[cut + 1 :])
        lines = text.split("\n")
        lines.pop()  # the text ends with "\n": the last piece is empty
        if "\r" in text:
            lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        yield lines
    if pending:
        last = pending.decode("utf-8", "surrogateescape")
        yield [last[:-1] if last.endswith("\r") else last]


def _kept(start: bytes) -> bytes:
    """What is kept of a line's first bytes: all, or past :data:`_MAX_LINE_BYTES` just
    enough to show it is too long (even once a ``\\r`` is taken off)."""
    return start if len(start) <= _MAX_LINE_BYTES else start[: _MAX_LINE_BYTES + 2]


class _LineError(Exception):
    """A line that is not what the mode expects (an s3:// URI, a key)."""


def _problem(line: str, error: Exception) -> str:
    if not line:
        return "empty line"
    if len(line.encode("utf-8", "surrogateescape")) > _MAX_LINE_BYTES:
        return f"longer than {_MAX_LINE_BYTES} bytes"
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid UTF-8"
    return str(error)


class _Bulk:
    """Streams lines to URLs: each block of lines is signed with one ``get_many`` call
    per bucket, and written before the next block is read."""

    def __init__(self, signer: _Signer, output: _Output, stderr: _Stderr, *, bucket: str | None, keep_going: bool):
        self.signer = signer
        self.output = output
        self.stderr = stderr
        self.bucket = bucket
        self.keep_going = keep_going
        self.failed = 0
        self.total = 0

    def run(self, stream: BinaryIO) -> int:
        first = 1
        for lines in _lines(stream):
            ok = self._block(lines, first)
            first += len(lines)
            self.total += len(lines)
            self.stderr.advance(len(lines))
            if not ok:
                return EXIT_BAD_LINE
        if self.failed:
            self.stderr.error(f"{self.failed} of {self.total} lines failed and were skipped")
            return EXIT_SKIPPED
        return EXIT_OK

    def _block(self, lines: list[str], first: int) -> bool:
        if self.bucket is not None:
            try:
                urls = self.signer.many(None, lines)
            except _ERRORS:
                return self._one_by_one(lines, first)
            self.output.rows(self.bucket, lines, urls)
            return True
        buckets: list[str] = []
        keys: list[str] = []
        for line in lines:
            bucket, slash, key = line[5:].partition("/")
            if not line.startswith("s3://") or not bucket or not slash or not key:
                return self._one_by_one(lines, first)
            buckets.append(bucket)
            keys.append(key)
        try:
            urls = self._grouped(buckets, keys)
        except _ERRORS:
            return self._one_by_one(lines, first)
        self.output.rows(buckets, keys, urls)
        return True

    def _grouped(self, buckets: list[str], keys: list[str]) -> list[str]:
        """URLs in input order, with one batch per bucket."""
        if buckets.count(buckets[0]) == len(buckets):
            return self.signer.many(buckets[0], keys)
        positions: dict[str, list[int]] = {}
        for index, bucket in enumerate(buckets):
            positions.setdefault(bucket, []).append(index)
        urls = [""] * len(keys)
        for bucket, indexes in positions.items():
            for index, url in zip(indexes, self.signer.many(bucket, [keys[i] for i in indexes])):
                urls[index] = url
        return urls

    def _split(self, line: str) -> tuple[str, str]:
        if self.bucket is not None:
            return self.bucket, line
        if not line.startswith("s3://"):
            raise _LineError("expected an s3://bucket/key URI (or pass --bucket to read keys)")
        return split_s3_uri(line)

    def _one_by_one(self, lines: list[str], first: int) -> bool:
        """The slow path for a block with a bad line: find it, and keep what precedes it."""
        buckets: list[str] = []
        keys: list[str] = []
        urls: list[str] = []
        for offset, line in enumerate(lines):
            try:
                bucket, key = self._split(line)
                # With --bucket the Presigner's own bucket (checked once) is used.
                url = self.signer.one(None if self.bucket is not None else bucket, key).url
            except (_LineError, *_ERRORS) as error:
                problem = f"line {first + offset}: {_problem(line, error)}"
                if not self.keep_going:
                    self.output.rows(buckets, keys, urls)
                    self.stderr.error(problem)
                    return False
                self.stderr.error(problem + " (skipped)")
                self.failed += 1
                continue
            buckets.append(bucket)
            keys.append(key)
            urls.append(url)
        self.output.rows(buckets, keys, urls)
        return True


# --- main -----------------------------------------------------------------------------


def _open_source(source: str) -> BinaryIO:
    if source == "-":
        if sys.stdin is None:
            raise _UsageError("--from -: there is no stdin")
        return sys.stdin.buffer
    try:
        return open(source, "rb")
    except OSError as exc:
        raise _UsageError(f"cannot read --from {source}: {exc.strerror or type(exc).__name__}") from None


def _settings(args: argparse.Namespace, environ: Mapping[str, str], profile: Profile) -> Presigner:
    options: dict[str, Any] = dict(_provider_options(args, profile))
    if args.at is not None:
        at = float(args.at)
        # A pinned clock keeps the batch fast path (an at= per call would not).
        options["clock"] = lambda: at
    if args.window is not None:
        options["window"] = args.window
    return presigner_from_env(
        profile=args.profile,
        region=args.region,
        endpoint=args.endpoint,
        addressing=args.addressing,
        environ=environ,
        bucket=args.bucket,
        provider=profile,
        strict_keys=args.strict_keys,
        clamp_to_credentials=args.clamp_to_credentials,
        **options,
    )


def _run(argv: Sequence[str], environ: Mapping[str, str], stderr: _Stderr) -> int:
    try:
        profile = get_provider(_provider_name(argv))
    except _ERRORS as error:
        stderr.error(str(error))
        return EXIT_USAGE
    wants_help = any(arg in ("-h", "--help") for arg in argv)
    parser = _parser(profile, provider_help=_providers_help() if wants_help else "")
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}{_other_provider_hint(unknown, profile)}")
    stderr.quiet = args.quiet
    fmt = "jsonl" if args.json else (args.format or "plain")
    if args.json and args.format not in (None, "jsonl"):
        raise _UsageError("--json means --format jsonl; pass one of them")
    if (args.target is None) == (args.source is None):
        raise _UsageError("give one s3://BUCKET/KEY (or KEY with --bucket), or --from FILE")
    download, upload, delete_query = _request_options(args)
    presigner = _settings(args, environ, profile)
    signer = _Signer(
        presigner, method=args.method, expires=args.expires, download=download, upload=upload,
        delete_query=delete_query,
    )
    sys.stdout.flush()
    if args.target is not None:
        if args.bucket is not None:
            if args.target.startswith("s3://"):
                raise _UsageError("with --bucket, give the key alone, not an s3:// URI")
            bucket, key = args.bucket, args.target
        else:
            bucket, key = split_s3_uri(args.target)
        request = signer.one(None if args.bucket is not None else bucket, key)
        _Output(sys.stdout.buffer, fmt, signer).rows(bucket, [key], [request.url])
        _note_headers(stderr, request.headers, fmt)
        return EXIT_OK
    stream = _open_source(args.source)
    stderr.start_progress(args.progress)
    try:
        output = _Output(sys.stdout.buffer, fmt, signer)
        status = _Bulk(signer, output, stderr, bucket=args.bucket, keep_going=args.keep_going).run(stream)
    finally:
        stderr.close()
        if args.source != "-":
            stream.close()
    _note_headers(stderr, signer.headers, fmt)
    return status


def _note_headers(stderr: _Stderr, headers: Mapping[str, str], fmt: str) -> None:
    """Plain and CSV output cannot carry the signed headers: say which to send."""
    if headers and fmt != "jsonl":
        listed = "; ".join(f"{name}: {value}" for name, value in headers.items())
        stderr.note(f"each request must send these headers (or fails with SignatureDoesNotMatch): {listed}")


def _broken_pipe() -> NoReturn:
    # Point stdout at /dev/null so the interpreter's final flush does not fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(EXIT_BROKEN_PIPE)


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; returns the exit status (see ``docs/cli.md``).

    :param argv: the arguments, without the program name; default ``sys.argv[1:]``.
    :param environ: the environment to read credentials from; default ``os.environ``.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    stderr = _Stderr(sys.stderr, quiet=False)
    try:
        return _run(arguments, os.environ if environ is None else environ, stderr)
    except (_UsageError, *_ERRORS) as error:  # ConfigurationError included
        stderr.error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        _broken_pipe()
    except OSError as error:
        stderr.error(f"I/O error: {error.strerror or type(error).__name__}")
        return EXIT_BAD_LINE
    except KeyboardInterrupt:
        stderr.close()
        stderr.error("interrupted")
        return EXIT_INTERRUPTED
    except SystemExit as exit_:
        # argparse exits for --help, --version and usage errors.
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
