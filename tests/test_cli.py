"""``python -m libpresign``: one URL from the shell, credentials from the environment."""

from __future__ import annotations

import os
import subprocess
import sys

from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET
from sigv4_reference import expected_signature, signature_of


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-P", "-m", "libpresign", *args], capture_output=True, text=True, env=clean, timeout=60
    )


CREDENTIALS = {"AWS_ACCESS_KEY_ID": AWS_EXAMPLE_ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": AWS_EXAMPLE_SECRET}


def test_prints_a_url_signed_with_environment_credentials() -> None:
    result = run("s3://my-bucket/a b/c.txt", "--expires", "600", **CREDENTIALS, AWS_REGION="eu-west-1")
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith("https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt?")
    assert "X-Amz-Expires=600&" in url
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)
    assert AWS_EXAMPLE_SECRET not in result.stdout + result.stderr


def test_region_option_beats_environment_and_default_region_is_used() -> None:
    url = run("s3://my-bucket/k", "--region", "ap-south-1", **CREDENTIALS, AWS_REGION="eu-west-1").stdout
    assert "s3.ap-south-1.amazonaws.com" in url
    url = run("s3://my-bucket/k", **CREDENTIALS, AWS_DEFAULT_REGION="us-west-2").stdout
    assert "s3.us-west-2.amazonaws.com" in url


def test_session_token_and_endpoint() -> None:
    result = run("s3://data/k", "--endpoint", "http://localhost:9000", **CREDENTIALS, AWS_SESSION_TOKEN="tok/en")
    assert result.stdout.startswith("http://localhost:9000/data/k?")
    assert "X-Amz-Security-Token=tok%2Fen&" in result.stdout


def test_missing_credentials_is_one_line_and_status_2() -> None:
    result = run("s3://my-bucket/k")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "AWS_ACCESS_KEY_ID" in result.stderr


def test_bad_input_is_one_line_and_status_2() -> None:
    result = run("s3://my-bucket", **CREDENTIALS)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "s3://bucket/key" in result.stderr
    result = run("s3://my-bucket/k", "--expires", "0", **CREDENTIALS)
    assert result.returncode == 2 and "expires must be between 1 and 604800" in result.stderr


def test_version_says_whether_compiled() -> None:
    result = run("--version")
    assert result.returncode == 0 and "libpresign" in result.stdout
    assert ("compiled" in result.stdout) or ("pure Python" in result.stdout)
