"""The AWS documentation's example credentials and time, shared by the tests."""

from __future__ import annotations

AWS_EXAMPLE_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
# 2013-05-24T00:00:00Z, the time of the presigned URL example in
# https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
AWS_EXAMPLE_TIME = 1369353600
AWS_EXAMPLE_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
