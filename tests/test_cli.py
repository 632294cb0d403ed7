"""The ``libpresign`` command, run as a subprocess with an isolated HOME and environment.

Expected URLs come from the library's own API (``Presigner.get``, ``put``, ...) with the
same pinned time, and signatures from the independent checker in ``sigv4_reference``.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import select
import subprocess
import sys
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_TIME
from libpresign import Presigner, content_disposition
from sigv4_reference import expected_signature, signature_of

AT = "2013-05-24T00:00:00Z"  # AWS_EXAMPLE_TIME
CREDENTIALS = {"AWS_ACCESS_KEY_ID": AWS_EXAMPLE_ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": AWS_EXAMPLE_SECRET}
TOKEN = "FQoGZXIvYXdzEXAMPLETOKEN/with+chars=="
R2_ACCOUNT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / ".aws").mkdir()
    return tmp_path


def environment(home: Path, **env: str) -> dict[str, str]:
    """The parent's environment without AWS settings, HOME isolated, ``env`` added.

    PYTHONPATH passes through unchanged: the pure test run sets it to the checkout.
    """
    clean = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    clean.update(HOME=str(home), **env)
    return clean


def run(
    home: Path, *args: str, input: str | bytes | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    data = input.encode("utf-8") if isinstance(input, str) else input
    result = subprocess.run(
        [sys.executable, "-P", "-m", "libpresign", *args],
        input=data,
        capture_output=True,
        env=environment(home, **env),
        timeout=120,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    )


def presigner(**options: Any) -> Presigner:
    return Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, **options)


def lines(text: str) -> list[str]:
    return text.splitlines()


# --- one URL --------------------------------------------------------------------------


def test_prints_a_url_signed_with_environment_credentials(home: Path) -> None:
    result = run(home, "s3://my-bucket/a b/c.txt", "--expires", "600", **CREDENTIALS, AWS_REGION="eu-west-1")
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert result.stdout == url + "\n" and result.stderr == ""
    assert url.startswith("https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt?")
    assert "X-Amz-Expires=600&" in url
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE"])
def test_each_method(home: Path, method: str) -> None:
    result = run(home, "-X", method.lower(), "s3://my-bucket/dir/ключ+1.txt", "--at", AT, **CREDENTIALS)
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    signer = presigner()
    expected = {
        "GET": lambda: signer.get("dir/ключ+1.txt", bucket="my-bucket", at=AWS_EXAMPLE_TIME),
        "HEAD": lambda: signer.head("dir/ключ+1.txt", bucket="my-bucket", at=AWS_EXAMPLE_TIME),
        "PUT": lambda: signer.put("dir/ключ+1.txt", bucket="my-bucket", at=AWS_EXAMPLE_TIME).url,
        "DELETE": lambda: signer.delete("dir/ключ+1.txt", bucket="my-bucket", at=AWS_EXAMPLE_TIME),
    }[method]()
    assert url == expected
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET, method=method)


# Each row: command-line options, the Presigner's options, the call's options.
OPTION_CASES: list[tuple[list[str], dict[str, Any], dict[str, Any]]] = [
    (["--expires", "10m"], {}, {"expires": 600}),
    (["--expires", "2h"], {}, {"expires": 7200}),
    (["--region", "ap-southeast-2"], {"region": "ap-southeast-2"}, {}),
    (["--endpoint", "http://localhost:9000"], {"endpoint": "http://localhost:9000"}, {}),
    (["--endpoint-url", "https://gw.example:8443/s3", "--addressing", "virtual"],
     {"endpoint": "https://gw.example:8443/s3", "addressing": "virtual"}, {}),
    (["--addressing", "path"], {"addressing": "path"}, {}),
    (["--provider", "minio", "--endpoint", "http://127.0.0.1:9000"],
     {"provider": "minio", "endpoint": "http://127.0.0.1:9000"}, {}),
    (["--provider", "r2", "--account-id", R2_ACCOUNT], {"provider": "r2", "account_id": R2_ACCOUNT}, {}),
    (["--provider", "r2", "--provider-option", f"account_id={R2_ACCOUNT}", "--provider-option", "jurisdiction=eu"],
     {"provider": "r2", "account_id": R2_ACCOUNT, "jurisdiction": "eu"}, {}),
    (["--dualstack"], {"dualstack": True}, {}),
    (["--provider-option", "fips", "--region", "us-west-2"], {"fips": True, "region": "us-west-2"}, {}),
    (["--version-id", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"], {}, {"version_id": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"}),
    (["--content-type", "text/csv; charset=utf-8"], {}, {"response_content_type": "text/csv; charset=utf-8"}),
    (["--filename", "Résumé 2024.pdf"], {}, {"response_content_disposition": content_disposition("Résumé 2024.pdf")}),
    (["--filename", "chart.png", "--inline"], {},
     {"response_content_disposition": content_disposition("chart.png", disposition="inline")}),
    (["--query", "x-id=GetObject"], {}, {"query": [("x-id", "GetObject")]}),
    (["--window", "1h"], {"window": 3600}, {}),
]


@pytest.mark.parametrize(("args", "options", "call"), OPTION_CASES, ids=[" ".join(case[0]) for case in OPTION_CASES])
def test_each_option(home: Path, args: list[str], options: dict[str, Any], call: dict[str, Any]) -> None:
    result = run(home, "s3://my-bucket/k.txt", "--at", AT, *args, **CREDENTIALS)
    assert result.returncode == 0, result.stderr
    expected = presigner(**options).get("k.txt", bucket="my-bucket", at=AWS_EXAMPLE_TIME, **call)
    assert result.stdout == expected + "\n"


def test_posix_signing_time_and_key_with_bucket(home: Path) -> None:
    result = run(home, "--bucket", "my-bucket", "a/b", "--at", str(AWS_EXAMPLE_TIME), **CREDENTIALS)
    assert result.stdout == presigner().get("a/b", bucket="my-bucket", at=AWS_EXAMPLE_TIME) + "\n"


def test_put_json_carries_the_headers_to_send(home: Path) -> None:
    result = run(
        home, "-X", "PUT", "s3://uploads/in/report.pdf", "--at", AT, "--content-type", "application/pdf",
        "--filename", "Report é.pdf", "--metadata", "owner=ana", "--header", "x-amz-storage-class: STANDARD_IA",
        "--json", **CREDENTIALS,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    expected = presigner().put(
        "in/report.pdf",
        bucket="uploads",
        at=AWS_EXAMPLE_TIME,
        content_type="application/pdf",
        content_disposition=content_disposition("Report é.pdf"),
        metadata={"owner": "ana"},
        headers=[("x-amz-storage-class", "STANDARD_IA")],
    )
    assert document == {
        "bucket": "uploads",
        "key": "in/report.pdf",
        "method": "PUT",
        "url": expected.url,
        "headers": dict(expected.headers),
    }
    url = document["url"]
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET, document["headers"], method="PUT")
    assert result.stderr == ""  # JSON carries the headers: no note needed


def test_plain_put_names_the_headers_on_stderr_unless_quiet(home: Path) -> None:
    result = run(home, "-X", "PUT", "s3://uploads/a.txt", "--content-type", "text/plain", **CREDENTIALS)
    assert result.returncode == 0 and result.stdout.startswith("https://uploads.s3.us-east-1.amazonaws.com/a.txt?")
    assert "content-type: text/plain" in result.stderr and result.stderr.count("\n") == 1
    quiet = run(home, "-q", "-X", "PUT", "s3://uploads/a.txt", "--content-type", "text/plain", **CREDENTIALS)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_version_and_help(home: Path) -> None:
    result = run(home, "--version")
    assert result.returncode == 0 and result.stdout.startswith("libpresign ")
    assert ("compiled core" in result.stdout) is ("pure Python" not in result.stdout)
    helped = run(home, "--help")
    assert helped.returncode == 0
    assert "examples:" in helped.stdout and "libpresign --from keys.txt" in helped.stdout
    assert "r2 (Cloudflare R2): --account-id" in helped.stdout and "exit status:" in helped.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["s3://my-bucket"], "s3://bucket/key"),
        (["s3://my-bucket/k", "--expires", "0"], "expires must be between 1 and 604800"),
        (["s3://my-bucket/k", "--expires", "soon"], "--expires"),
        (["s3://my-bucket/k", "-X", "POST"], "GET, PUT, HEAD, DELETE"),
        (["s3://my-bucket/k", "--at", "2024-06-01T00:00:00"], "needs a zone"),
        (["s3://my-bucket/k", "--inline"], "--inline needs --filename"),
        (["s3://my-bucket/k", "-X", "PUT", "--version-id", "v1"], "--version-id applies to GET, HEAD and DELETE"),
        (["s3://my-bucket/k", "--metadata", "a=b"], "PUT only"),
        (["s3://my-bucket/k", "--from", "-"], "give one s3://BUCKET/KEY"),
        ([], "give one s3://BUCKET/KEY"),
        (["s3://my-bucket/k", "--provider", "nowhere"], "unknown provider 'nowhere'"),
        (["s3://my-bucket/k", "--account-id", R2_ACCOUNT], "add --provider r2"),
        (["s3://my-bucket/k", "--provider-option", "colour=red"], "has no option 'colour'"),
        (["--from", "no-such-file.txt", "--bucket", "b-1"], "cannot read --from no-such-file.txt"),
        (["--bucket", "b-1", "s3://b-1/k"], "give the key alone"),
        (["s3://bad bucket/k"], "not a valid Amazon S3 bucket name"),
    ],
)
def test_usage_errors_exit_2_with_one_line(home: Path, args: list[str], message: str) -> None:
    result = run(home, *args, **CREDENTIALS)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("libpresign: ") or result.stderr.startswith("usage: ")
    assert AWS_EXAMPLE_SECRET not in result.stderr


# --- credentials from files, and precedence -------------------------------------------

PROFILE_SECRET = "profile/secret+value+EXAMPLEKEY0000000000"


def write_profiles(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = AKIDDEFAULTPROFILE\naws_secret_access_key = {PROFILE_SECRET}\n"
        f"[dev]\naws_access_key_id = AKIDDEVPROFILE00000\naws_secret_access_key = {PROFILE_SECRET}\n"
        f"aws_session_token = {TOKEN}\n"
    )
    (home / ".aws" / "config").write_text(
        "[default]\nregion = eu-west-3\n"
        "[profile dev]\nregion = ap-south-1\ns3 =\n    addressing_style = path\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
    )


def credential_of(url: str) -> str:
    return url.split("X-Amz-Credential=", 1)[1].split("%2F", 1)[0]


def test_a_profile_from_the_shared_files(home: Path) -> None:
    write_profiles(home)
    result = run(home, "s3://my-bucket/k", "--profile", "dev", "--at", AT)
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith("https://s3.ap-south-1.amazonaws.com/my-bucket/k?")
    assert credential_of(url) == "AKIDDEVPROFILE00000"
    assert signature_of(url) == expected_signature(url, PROFILE_SECRET)
    assert "X-Amz-Security-Token=" in url
    assert url == Presigner(
        "AKIDDEVPROFILE00000", PROFILE_SECRET, session_token=TOKEN, region="ap-south-1", addressing="path"
    ).get("k", bucket="my-bucket", at=AWS_EXAMPLE_TIME)


def test_precedence_between_options_environment_and_files(home: Path) -> None:
    write_profiles(home)
    # The default profile alone.
    url = run(home, "s3://my-bucket/k").stdout
    assert credential_of(url) == "AKIDDEFAULTPROFILE" and ".eu-west-3." in url
    # Environment keys and region beat the files; AWS_PROFILE does not disable env keys.
    url = run(home, "s3://my-bucket/k", **CREDENTIALS, AWS_DEFAULT_REGION="us-west-1", AWS_PROFILE="dev").stdout
    assert credential_of(url) == AWS_EXAMPLE_ACCESS_KEY_ID and ".us-west-1." in url
    url = run(home, "s3://my-bucket/k", **CREDENTIALS, AWS_REGION="us-west-2", AWS_DEFAULT_REGION="us-west-1").stdout
    assert ".us-west-2." in url
    # --profile beats environment keys; --region beats everything.
    url = run(home, "s3://my-bucket/k", "--profile", "dev", "--region", "ca-central-1", **CREDENTIALS,
              AWS_REGION="us-west-2").stdout
    assert credential_of(url) == "AKIDDEVPROFILE00000" and ".ca-central-1." in url
    # Endpoints: the option beats AWS_ENDPOINT_URL_S3, which beats AWS_ENDPOINT_URL.
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL": "http://global:9000", "AWS_ENDPOINT_URL_S3": "http://s3only:9000"}
    assert run(home, "s3://my-bucket/k", **env).stdout.startswith("http://s3only:9000/my-bucket/k?")
    assert run(home, "s3://my-bucket/k", "--endpoint", "http://cli:9000", **env).stdout.startswith("http://cli:9000/")


def test_missing_credentials_is_one_line_naming_where_it_looked(home: Path) -> None:
    result = run(home, "s3://my-bucket/k")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("libpresign: no credentials found")
    assert "AWS_ACCESS_KEY_ID" in result.stderr and str(home / ".aws" / "credentials") in result.stderr


def test_unsupported_profile_says_so(home: Path) -> None:
    write_profiles(home)
    result = run(home, "s3://my-bucket/k", "--profile", "sso")
    assert result.returncode == 2 and result.stdout == ""
    assert "SSO" in result.stderr and "not support" in result.stderr and result.stderr.count("\n") == 1


def test_secrets_never_reach_stdout_or_stderr(home: Path) -> None:
    write_profiles(home)
    secret_env = {**CREDENTIALS, "AWS_SESSION_TOKEN": TOKEN}
    runs = [
        run(home, "s3://my-bucket/k", **secret_env),
        run(home, "-X", "PUT", "s3://my-bucket/k", "--content-type", "a/b", "--json", **secret_env),
        run(home, "s3://my-bucket/k", "--expires", "0", **secret_env),
        run(home, "s3://my-bucket/k", "--profile", "dev", "--region", "Bad Region"),
        run(home, "--from", "-", input="s3://my-bucket/ok\nbad line\n", **secret_env),
        run(home, "s3://my-bucket/k", **{**secret_env, "AWS_SECRET_ACCESS_KEY": AWS_EXAMPLE_SECRET + "\n"}),
        run(home, "s3://my-bucket/k", AWS_SECRET_ACCESS_KEY=AWS_EXAMPLE_SECRET),
    ]
    (home / ".aws" / "credentials").write_text(f"aws_secret_access_key = {PROFILE_SECRET}\n")
    runs.append(run(home, "s3://my-bucket/k"))
    (home / ".aws" / "credentials").write_text(f"[default]\naws_secret_access_key {PROFILE_SECRET}\n")
    runs.append(run(home, "s3://my-bucket/k"))
    assert [result.returncode for result in runs] == [0, 0, 2, 2, 1, 2, 2, 2, 2]
    for result in runs:
        for secret in (AWS_EXAMPLE_SECRET, PROFILE_SECRET):
            assert secret not in result.stdout and secret not in result.stderr
        # The token travels in the URL itself (X-Amz-Security-Token), nowhere else.
        assert TOKEN not in result.stderr


# --- bulk -----------------------------------------------------------------------------


def varied_keys(count: int) -> list[str]:
    shapes = ["photos/{i}.jpg", "dir with space/{i} + plus.txt", "ключ/{i}", "a//b/./{i}", "emoji 🚀 {i}", "q?x#{i}&y=1"]
    return [shapes[i % len(shapes)].format(i=i) for i in range(count)]


def test_bulk_100k_keys_match_get_many_and_show_no_progress_off_a_terminal(home: Path, tmp_path: Path) -> None:
    keys = varied_keys(100_000)
    source = tmp_path / "keys.txt"
    source.write_text("".join(key + "\n" for key in keys), encoding="utf-8")
    result = run(home, "--from", str(source), "--bucket", "bulk-bucket", "--at", AT, **CREDENTIALS,
                 AWS_REGION="eu-central-1")
    assert result.returncode == 0
    assert result.stderr == ""  # stderr is a pipe here: no progress display
    expected = presigner(region="eu-central-1").get_many(keys, bucket="bulk-bucket", at=AWS_EXAMPLE_TIME)
    assert lines(result.stdout) == expected


def test_bulk_s3_uris_across_buckets_keep_input_order(home: Path) -> None:
    keys = varied_keys(3000)
    buckets = ["b-one", "b-two", "b.dotted"]
    text = "".join(f"s3://{buckets[i % 3 if i % 500 else 0]}/{key}\r\n" for i, key in enumerate(keys))
    result = run(home, "--from", "-", "--at", AT, input=text.rstrip("\r\n"), **CREDENTIALS)  # no final newline
    assert result.returncode == 0, result.stderr
    signer = presigner()
    expected = [
        signer.get(key, bucket=buckets[i % 3 if i % 500 else 0], at=AWS_EXAMPLE_TIME) for i, key in enumerate(keys)
    ]
    assert lines(result.stdout) == expected


def test_bulk_formats(home: Path) -> None:
    uris = ["s3://b-one/plain.txt", 's3://b-one/comma, "quoted".txt', "s3://b-two/ü/é.txt"]
    signer = presigner()
    expected_rows = [
        ("b-one", "plain.txt", signer.get("plain.txt", bucket="b-one", at=AWS_EXAMPLE_TIME)),
        ("b-one", 'comma, "quoted".txt', signer.get('comma, "quoted".txt', bucket="b-one", at=AWS_EXAMPLE_TIME)),
        ("b-two", "ü/é.txt", signer.get("ü/é.txt", bucket="b-two", at=AWS_EXAMPLE_TIME)),
    ]
    text = "\n".join(uris) + "\n"
    plain = run(home, "--from", "-", "--at", AT, "--format", "plain", input=text, **CREDENTIALS)
    assert lines(plain.stdout) == [row[2] for row in expected_rows]
    as_csv = run(home, "--from", "-", "--at", AT, "--format", "csv", input=text, **CREDENTIALS)
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["bucket", "key", "url"], *map(list, expected_rows)]
    as_jsonl = run(home, "--from", "-", "--at", AT, "--format", "jsonl", input=text, **CREDENTIALS)
    assert [json.loads(line) for line in lines(as_jsonl.stdout)] == [
        {"bucket": bucket, "key": key, "method": "GET", "url": url, "headers": {}} for bucket, key, url in expected_rows
    ]
    # --json is --format jsonl, in bulk too.
    assert run(home, "--from", "-", "--at", AT, "--json", input=text, **CREDENTIALS).stdout == as_jsonl.stdout


def test_bulk_put_jsonl_has_headers_and_plain_notes_them_once(home: Path) -> None:
    text = "in/a.txt\nin/b.txt\n"
    args = ["-X", "PUT", "--from", "-", "--bucket", "uploads", "--at", AT, "--content-type", "text/plain"]
    result = run(home, *args, "--format", "jsonl", input=text, **CREDENTIALS)
    documents = [json.loads(line) for line in lines(result.stdout)]
    expected = [presigner().put(key, bucket="uploads", at=AWS_EXAMPLE_TIME, content_type="text/plain")
                for key in ("in/a.txt", "in/b.txt")]
    assert [(d["url"], d["headers"]) for d in documents] == [(e.url, dict(e.headers)) for e in expected]
    plain = run(home, *args, input=text, **CREDENTIALS)
    assert lines(plain.stdout) == [e.url for e in expected]
    assert plain.stderr.count("content-type: text/plain") == 1


BAD_INPUT = "s3://b-one/1\ns3://b-one/2\nnot a uri\ns3://bad bucket/4\ns3://b-one/5\n\ns3://b-one/7\n"


def test_a_bad_line_stops_the_run_with_its_number(home: Path) -> None:
    result = run(home, "--from", "-", "--at", AT, input=BAD_INPUT, **CREDENTIALS)
    assert result.returncode == 1
    signer = presigner()
    # Every line before the bad one was printed, nothing after it.
    assert lines(result.stdout) == [signer.get(k, bucket="b-one", at=AWS_EXAMPLE_TIME) for k in ("1", "2")]
    assert result.stderr == "libpresign: line 3: expected an s3://bucket/key URI (or pass --bucket to read keys)\n"
    # Another scheme is not an s3:// URI, even when the rest of its block is fine.
    other = run(home, "--from", "-", input="s3://b-one/1\ngs://b-one/2\n", **CREDENTIALS)
    assert other.returncode == 1 and len(lines(other.stdout)) == 1 and "line 2: expected an s3://" in other.stderr


def test_keep_going_reports_and_skips_bad_lines(home: Path) -> None:
    text = BAD_INPUT + "gs://b-one/8\ns3://b-one/\xff9\n"
    result = run(home, "--from", "-", "--at", AT, "--keep-going", input=text, **CREDENTIALS)
    assert result.returncode == 3
    signer = presigner()
    good = ["1", "2", "5", "7", "\xff9"]
    assert lines(result.stdout) == [signer.get(k, bucket="b-one", at=AWS_EXAMPLE_TIME) for k in good]
    reported = lines(result.stderr)
    assert [line.split(":")[1].strip() for line in reported[:-1]] == ["line 3", "line 4", "line 6", "line 8"]
    assert all(line.endswith("(skipped)") for line in reported[:-1])
    assert "bad bucket" in reported[1] and "empty line" in reported[2]
    assert reported[-1] == "libpresign: 4 of 9 lines failed and were skipped"


def test_invalid_utf8_lines_are_reported_not_fatal(home: Path) -> None:
    data = b"k1\n\xff\xfe broken\nk3\n"
    result = run(home, "--from", "-", "--bucket", "b-one", "--keep-going", "--at", AT, input=data, **CREDENTIALS)
    assert result.returncode == 3
    assert len(lines(result.stdout)) == 2
    assert "line 2: not valid UTF-8 (skipped)" in result.stderr


def test_an_overlong_line_is_reported_without_holding_it(home: Path) -> None:
    data = b"k1\n" + b"x" * 200_000 + b"\n" + "é".encode() * 5000 + b"\r\nk4\n"
    result = run(home, "--from", "-", "--bucket", "b-one", "--keep-going", "--at", AT, input=data, **CREDENTIALS)
    assert result.returncode == 3
    signer = presigner(bucket="b-one")
    assert lines(result.stdout) == [signer.get(k, at=AWS_EXAMPLE_TIME) for k in ("k1", "k4")]
    assert lines(result.stderr) == [
        "libpresign: line 2: longer than 8192 bytes (skipped)",
        "libpresign: line 3: longer than 8192 bytes (skipped)",
        "libpresign: 2 of 4 lines failed and were skipped",
    ]


class Pieces(io.RawIOBase):
    """A stream that hands out ``data`` at most ``size`` bytes per read, made as it goes."""

    def __init__(self, parts: Sequence[tuple[bytes, int]], size: int) -> None:
        self.parts = list(reversed(parts))  # (bytes, times repeated), consumed from the end
        self.size = size
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self.buffer and self.parts:
            data, times = self.parts.pop()
            if times > 1:
                self.parts.append((data, times - 1))
            self.buffer = data
        count = min(len(target), self.size, len(self.buffer))
        target[:count] = self.buffer[:count]
        self.buffer = self.buffer[count:]
        return count


def test_input_without_newlines_is_read_in_bounded_memory() -> None:
    from libpresign.cli import _lines

    # 64 MiB with no newline, then two short lines, never all in memory at once.
    stream = Pieces([(b"\0" * 65536, 1024), (b"\nlast\r\nend", 1)], 65536)
    tracemalloc.start()
    try:
        blocks = list(_lines(stream))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    flat = [line for block in blocks for line in block]
    assert len(flat) == 3 and flat[1:] == ["last", "end"]
    assert len(flat[0]) > 8192 and set(flat[0]) == {"\0"}


@pytest.mark.parametrize("size", [1, 7, 4096, 65536])
def test_lines_at_the_length_limit_whatever_the_reads(size: int) -> None:
    from libpresign.cli import _MAX_LINE_BYTES, _lines

    longest, overlong = b"a" * _MAX_LINE_BYTES, b"b" * (_MAX_LINE_BYTES + 1)
    data = longest + b"\r\n" + overlong + b"\r\n" + overlong + b"\n" + longest
    flat = [line for block in _lines(Pieces([(data, 1)], size)) for line in block]  # type: ignore[arg-type]
    assert flat[0] == flat[3] == longest.decode()
    assert all(len(line) > _MAX_LINE_BYTES and set(line) == {"b"} for line in flat[1:3])
    assert len(flat) == 4


def test_bulk_streams_before_its_input_ends(home: Path) -> None:
    if not hasattr(select, "poll"):
        pytest.skip("needs select.poll")
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "libpresign", "--from", "-", "--bucket", "b-one"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(home, **CREDENTIALS),
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"first\n")
        process.stdin.flush()
        poller = select.poll()
        poller.register(process.stdout, select.POLLIN)
        # A deadlock guard, not a timing assertion: the URL must come while stdin is open.
        assert poller.poll(60_000), "no output while the input was still open"
        assert process.stdout.readline().startswith(b"https://b-one.s3.us-east-1.amazonaws.com/first?")
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert process.returncode == 0


def test_a_closed_stdout_ends_quietly(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "keys.txt"
    source.write_text("".join(f"k{i}\n" for i in range(200_000)))
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "libpresign", "--from", str(source), "--bucket", "b-one"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(home, **CREDENTIALS),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert process.returncode == 141
    assert stderr == b""


# --- progress -------------------------------------------------------------------------

HAS_TQDM = importlib.util.find_spec("tqdm") is not None


def run_on_a_terminal(home: Path, args: Sequence[str], **env: str) -> str:
    """Run with stderr on a pseudo-terminal; return what the terminal showed."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "libpresign", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=environment(home, **env),
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux reports EIO once the other end is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return shown.decode("utf-8", "replace")


@pytest.mark.skipif(not HAS_TQDM, reason="the 'progress' extra (tqdm) is not installed")
def test_progress_on_a_terminal_and_never_with_quiet(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "keys.txt"
    source.write_text("".join(f"k{i}\n" for i in range(20_000)))
    args = ["--from", str(source), "--bucket", "b-one"]
    shown = run_on_a_terminal(home, args, **CREDENTIALS)
    assert "20,000 URLs" in shown and "URLs/s" in shown
    assert run_on_a_terminal(home, [*args, "--quiet"], **CREDENTIALS) == ""
    assert run_on_a_terminal(home, [*args, "--no-progress"], **CREDENTIALS) == ""


@pytest.mark.skipif(not HAS_TQDM, reason="the 'progress' extra (tqdm) is not installed")
def test_progress_can_be_forced_off_a_terminal(home: Path) -> None:
    result = run(home, "--from", "-", "--bucket", "b-one", "--progress", input="a\nb\n", **CREDENTIALS)
    assert result.returncode == 0 and "2 URLs" in result.stderr


def test_progress_without_the_extra_says_so_once_when_asked(home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker" / "tqdm"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('tqdm hidden for this test')\n")
    path = os.pathsep.join(filter(None, [str(blocker.parent), os.environ.get("PYTHONPATH")]))
    asked = run(home, "--from", "-", "--bucket", "b-one", "--progress", input="a\nb\n", **CREDENTIALS,
                PYTHONPATH=path)
    assert asked.returncode == 0 and len(lines(asked.stdout)) == 2
    assert asked.stderr.count("\n") == 1 and "libpresign[progress]" in asked.stderr
    unasked = run(home, "--from", "-", "--bucket", "b-one", input="a\nb\n", **CREDENTIALS, PYTHONPATH=path)
    assert unasked.stderr == ""


@pytest.mark.parametrize("variable", ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
def test_credentials_with_bytes_that_are_not_utf8_are_a_one_line_error(home: Path, variable: str) -> None:
    bad = "abc\udcffdef"  # the environment held the byte 0xff: os.fsencode gives it back as is
    result = run(home, "s3://my-bucket/k", **{**CREDENTIALS, variable: bad})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert "abc" not in result.stderr


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_key(home: Path) -> None:
    result = run(home, "--from", "-", "--bucket", "my-bucket", "--at", "1369353600", input=b"\xef\xbb\xbfa\nb\n", **CREDENTIALS)
    assert result.returncode == 0, result.stderr
    expected = presigner(bucket="my-bucket").get_many(["a", "b"], at=1369353600)
    assert lines(result.stdout) == expected
    uris = run(home, "--from", "-", input=b"\xef\xbb\xbfs3://my-bucket/a\n", **CREDENTIALS)
    assert uris.returncode == 0, uris.stderr


def test_errors_name_the_command_line_flag_not_the_keyword(home: Path) -> None:
    soon = "2013-05-24T00:10:00Z"
    result = run(home, "s3://my-bucket/k", "--at", "1369353600", **CREDENTIALS, AWS_CREDENTIAL_EXPIRATION=soon)
    assert result.returncode == 2
    assert "--clamp-to-credentials" in result.stderr and "clamp_to_credentials" not in result.stderr
    clamped = run(home, "s3://my-bucket/k", "--at", "1369353600", "--clamp-to-credentials", **CREDENTIALS,
                  AWS_CREDENTIAL_EXPIRATION=soon)
    assert clamped.returncode == 0 and "X-Amz-Expires=600&" in clamped.stdout
