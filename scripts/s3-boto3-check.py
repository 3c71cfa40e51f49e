#!/usr/bin/env python3
"""Drives depin's S3 gateway with boto3 the way programs use S3, and checks each answer.

Reads the endpoint from S3_ENDPOINT and the key pair from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY. Prints one line per check and "N passed, N failed"; exits 1 on a failure.
"""
import hashlib
import io
import os
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

endpoint = os.environ["S3_ENDPOINT"]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(retries={"max_attempts": 1}, signature_version="s3v4"))
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


bucket = "boto-" + os.urandom(4).hex()
s3.create_bucket(Bucket=bucket)
check("create and list buckets", bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]])
check("creating it again", error_code(lambda: s3.create_bucket(Bucket=bucket)) == "BucketAlreadyOwnedByYou")
s3.head_bucket(Bucket=bucket)

body = os.urandom(300_000)
put = s3.put_object(Bucket=bucket, Key="docs/report.pdf", Body=body, ContentType="application/pdf",
                    Metadata={"author": "ada"})
check("put returns the MD5 as ETag", put["ETag"].strip('"') == hashlib.md5(body).hexdigest())
checked = s3.put_object(Bucket=bucket, Key="docs/checked.bin", Body=body, ChecksumAlgorithm="SHA256")
check("put with a SHA-256 checksum", checked["ResponseMetadata"]["HTTPStatusCode"] == 200)
check("a wrong CRC32 is refused", error_code(
    lambda: s3.put_object(Bucket=bucket, Key="docs/wrong.bin", Body=body, ChecksumCRC32="AAAAAA==")) == "BadDigest")
check("and stores nothing", error_code(lambda: s3.head_object(Bucket=bucket, Key="docs/wrong.bin")) == "404")
s3.delete_object(Bucket=bucket, Key="docs/checked.bin")
head = s3.head_object(Bucket=bucket, Key="docs/report.pdf")
check("head keeps type, length and metadata",
      head["ContentType"] == "application/pdf" and head["ContentLength"] == len(body)
      and head["Metadata"] == {"author": "ada"}, str(head))
check("get returns the bytes", s3.get_object(Bucket=bucket, Key="docs/report.pdf")["Body"].read() == body)
ranged = s3.get_object(Bucket=bucket, Key="docs/report.pdf", Range="bytes=100-199")
check("ranged get", ranged["Body"].read() == body[100:200] and ranged["ContentRange"] == f"bytes 100-199/{len(body)}")
suffix = s3.get_object(Bucket=bucket, Key="docs/report.pdf", Range="bytes=-10")["Body"].read()
check("suffix range", suffix == body[-10:])
check("range past the end", error_code(
    lambda: s3.get_object(Bucket=bucket, Key="docs/report.pdf", Range=f"bytes={len(body)}-")) == "InvalidRange")
check("if-none-match", error_code(
    lambda: s3.get_object(Bucket=bucket, Key="docs/report.pdf", IfNoneMatch=put["ETag"])) == "304")
check("if-match fails", error_code(
    lambda: s3.get_object(Bucket=bucket, Key="docs/report.pdf", IfMatch='"0000"')) == "PreconditionFailed")
check("missing key", error_code(lambda: s3.get_object(Bucket=bucket, Key="nope")) == "NoSuchKey")
check("head of a missing key", error_code(lambda: s3.head_object(Bucket=bucket, Key="nope")) == "404")

# Listing: prefixes, delimiters and pages.
for key in ["a/1", "a/2", "b/1", "c", "d", "e/x/y", "f"]:
    s3.put_object(Bucket=bucket, Key="list/" + key, Body=key.encode())
seen, prefixes, token, pages = [], [], None, 0
while True:
    args = dict(Bucket=bucket, Prefix="list/", Delimiter="/", MaxKeys=2)
    if token:
        args["ContinuationToken"] = token
    page = s3.list_objects_v2(**args)
    pages += 1
    seen += [c["Key"] for c in page.get("Contents", [])]
    prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    if not page["IsTruncated"]:
        break
    token = page["NextContinuationToken"]
check("paged listing with a delimiter",
      seen == ["list/c", "list/d", "list/f"] and prefixes == ["list/a/", "list/b/", "list/e/"] and pages == 3,
      f"{seen} {prefixes} {pages}")
flat = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, Prefix="list/a/")["Contents"]]
check("listing a prefix", flat == ["list/a/1", "list/a/2"], str(flat))
after = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, Prefix="list/", StartAfter="list/d")["Contents"]]
check("start after", after == ["list/e/x/y", "list/f"], str(after))
v1 = [c["Key"] for c in s3.list_objects(Bucket=bucket, Prefix="list/a")["Contents"]]
check("the original ListObjects", v1 == ["list/a/1", "list/a/2"], str(v1))

# Copies.
s3.copy_object(Bucket=bucket, Key="docs/copy.pdf", CopySource={"Bucket": bucket, "Key": "docs/report.pdf"},
               MetadataDirective="REPLACE", ContentType="text/plain", Metadata={"copied": "yes"})
copied = s3.head_object(Bucket=bucket, Key="docs/copy.pdf")
check("copy with new metadata", copied["ContentType"] == "text/plain" and copied["Metadata"] == {"copied": "yes"}
      and s3.get_object(Bucket=bucket, Key="docs/copy.pdf")["Body"].read() == body)
check("copy onto itself unchanged", error_code(lambda: s3.copy_object(
    Bucket=bucket, Key="docs/report.pdf", CopySource={"Bucket": bucket, "Key": "docs/report.pdf"})) == "InvalidRequest")
s3.delete_object(Bucket=bucket, Key="docs/report.pdf")
check("a copy outlives its source", s3.get_object(Bucket=bucket, Key="docs/copy.pdf")["Body"].read() == body)

# Multipart uploads.
part1, part2 = os.urandom(5 * 1024 * 1024), os.urandom(1_000)
upload = s3.create_multipart_upload(Bucket=bucket, Key="multi.bin", ContentType="video/mp4")["UploadId"]
etag1 = s3.upload_part(Bucket=bucket, Key="multi.bin", UploadId=upload, PartNumber=1, Body=part1)["ETag"]
etag2 = s3.upload_part(Bucket=bucket, Key="multi.bin", UploadId=upload, PartNumber=2, Body=part2)["ETag"]
listed = s3.list_parts(Bucket=bucket, Key="multi.bin", UploadId=upload)["Parts"]
check("list parts", [(p["PartNumber"], p["Size"]) for p in listed] == [(1, len(part1)), (2, len(part2))])
check("parts out of order", error_code(lambda: s3.complete_multipart_upload(
    Bucket=bucket, Key="multi.bin", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 2, "ETag": etag2}, {"PartNumber": 1, "ETag": etag1}]})) == "InvalidPartOrder")
check("a part with the wrong ETag", error_code(lambda: s3.complete_multipart_upload(
    Bucket=bucket, Key="multi.bin", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": etag2}]})) == "InvalidPart")
check("a small part before the last", error_code(lambda: s3.complete_multipart_upload(
    Bucket=bucket, Key="multi.bin", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 2, "ETag": etag2}, {"PartNumber": 3, "ETag": etag2}]})) in ("InvalidPart", "EntityTooSmall"))
check("part number out of range", error_code(lambda: s3.upload_part(
    Bucket=bucket, Key="multi.bin", UploadId=upload, PartNumber=10001, Body=b"x")) == "InvalidArgument")
done = s3.complete_multipart_upload(Bucket=bucket, Key="multi.bin", UploadId=upload, MultipartUpload={"Parts": [
    {"PartNumber": 1, "ETag": etag1}, {"PartNumber": 2, "ETag": etag2}]})
expected = hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(part2).digest()).hexdigest() + "-2"
check("complete: S3's multipart ETag", done["ETag"].strip('"') == expected, done["ETag"])
got = s3.get_object(Bucket=bucket, Key="multi.bin")
check("the joined object", got["Body"].read() == part1 + part2 and got["ContentType"] == "video/mp4")
check("a completed upload is gone", error_code(
    lambda: s3.list_parts(Bucket=bucket, Key="multi.bin", UploadId=upload)) == "NoSuchUpload")
aborted = s3.create_multipart_upload(Bucket=bucket, Key="never.bin")["UploadId"]
s3.upload_part(Bucket=bucket, Key="never.bin", UploadId=aborted, PartNumber=1, Body=b"abc")
check("uploads in progress", [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])] == [aborted])
s3.abort_multipart_upload(Bucket=bucket, Key="never.bin", UploadId=aborted)
check("an aborted upload is gone", error_code(
    lambda: s3.upload_part(Bucket=bucket, Key="never.bin", UploadId=aborted, PartNumber=2, Body=b"x")) == "NoSuchUpload")
check("nothing of it remains", error_code(lambda: s3.head_object(Bucket=bucket, Key="never.bin")) == "404")

# s3transfer's managed upload and download (multipart, concurrent, ranged).
large = os.urandom(21 * 1024 * 1024 + 17)
s3.upload_fileobj(io.BytesIO(large), bucket, "transfer.bin")
sink = io.BytesIO()
s3.download_fileobj(bucket, "transfer.bin", sink)
check("managed transfer round trip", sink.getvalue() == large)

# Presigned URLs work without a client; a tampered one does not.
url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "docs/copy.pdf"}, ExpiresIn=300)
check("presigned GET", urllib.request.urlopen(url).read() == body)
try:
    urllib.request.urlopen(url.replace("docs/copy.pdf", "multi.bin"))
    check("tampered presigned GET refused", False)
except urllib.error.HTTPError as error:
    check("tampered presigned GET refused", error.code == 403 and b"SignatureDoesNotMatch" in error.read())
try:
    urllib.request.urlopen(f"{endpoint}/{bucket}/docs/copy.pdf")
    check("anonymous GET refused", False)
except urllib.error.HTTPError as error:
    check("anonymous GET refused", error.code == 403 and b"AccessDenied" in error.read())

# A body shorter than its Content-Length: the upload is refused and nothing is stored.
def short_put(key, declared, sent):
    """A signed PUT that declares `declared` bytes, sends `sent`, and closes its side."""
    parsed = urllib.parse.urlparse(endpoint)
    body = os.urandom(declared)
    request = AWSRequest(method="PUT", url=f"{endpoint}/{bucket}/{key}", data=body,
                         headers={"Content-Length": str(declared)})
    credentials = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
    request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"
    SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
    head = f"PUT /{bucket}/{key} HTTP/1.1\r\nHost: {parsed.netloc}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in request.headers.items())
    with socket.create_connection((parsed.hostname, parsed.port), timeout=30) as connection:
        connection.sendall(head.encode() + b"\r\n" + body[:sent])
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


answer = short_put("short.bin", 100_000, 40_000)
check("a body shorter than its Content-Length is refused",
      b"IncompleteBody" in answer, answer[-400:])
check("and nothing is stored", error_code(lambda: s3.head_object(Bucket=bucket, Key="short.bin")) == "404")

# Deleting many, then the bucket.
check("a bucket with objects stays", error_code(lambda: s3.delete_bucket(Bucket=bucket)) == "BucketNotEmpty")
keys = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket)["Contents"]]
deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
check("delete objects", sorted(d["Key"] for d in deleted["Deleted"]) == sorted(keys))
check("empty after", s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0)
s3.delete_bucket(Bucket=bucket)
check("bucket deleted", error_code(lambda: s3.head_bucket(Bucket=bucket)) == "404")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
