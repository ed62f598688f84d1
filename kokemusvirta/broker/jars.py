"""Java, Maven and the broker's jars: prerequisites, fetching from Maven Central, the JVM command.

The jars come from Maven Central (``pom.xml`` next to this file, fetched once with
``mvn dependency:copy-dependencies``); a marker in the lib folder names the hash of the pom they
were fetched for, so they are fetched again only when the pom changes.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from kokemusvirta.broker.errors import (
    BrokerError,
    PrerequisiteMissing,
    ProgressCallback,
    noop_progress,
)
from kokemusvirta.broker.files import TAIL_LINES, file_lock

log = logging.getLogger(__name__)

#: Exact Kafka release named in pom.xml (see the comment there for why it is pinned).
KAFKA_VERSION = "4.3.1"
#: Kafka 4.x brokers need Java 17 or newer.
MIN_JAVA_MAJOR = 17

_PACKAGE_DIR = Path(__file__).resolve().parent
_POM = _PACKAGE_DIR / "pom.xml"
_LOG4J2 = _PACKAGE_DIR / "log4j2.xml"
_INSTALL_HINT = (
    "On Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven "
    "(any JDK/JRE >= 17 and Maven >= 3.6 on PATH will do)."
)


def check_prerequisites(java: str, mvn: str, lib_dir: Path, *, need_mvn: bool = True) -> None:
    """Raise :class:`PrerequisiteMissing` unless ``java`` >= 17 (and ``mvn``) are usable."""
    problems: list[str] = []
    java_path = shutil.which(java)
    if java_path is None:
        problems.append(f"'{java}' (Java >= {MIN_JAVA_MAJOR}) is not on PATH")
    else:
        major, raw = java_major_version(java_path)
        if major is None:
            problems.append(f"could not determine the version of {java_path}: {raw!r}")
        elif major < MIN_JAVA_MAJOR:
            problems.append(
                f"{java_path} is Java {major}; Kafka {KAFKA_VERSION} needs Java >= {MIN_JAVA_MAJOR}"
            )
    if need_mvn and shutil.which(mvn) is None:
        problems.append(
            f"'{mvn}' (Apache Maven) is not on PATH; it is needed once to fetch the "
            f"Kafka jars from Maven Central into {lib_dir}"
        )
    if problems:
        raise PrerequisiteMissing(
            "Cannot run the local Kafka broker: " + "; ".join(problems) + ". " + _INSTALL_HINT
        )


def jars_ready(lib_dir: Path) -> bool:
    """True if ``lib_dir`` holds jars fetched for the current pom.xml."""
    return _jar_marker(lib_dir).is_file() and any(lib_dir.glob("kafka_2.13-*.jar"))


def ensure_jars(
    java: str, mvn: str, lib_dir: Path, on_progress: ProgressCallback | None = None
) -> Path:
    """Fetch the broker's runtime jars into ``lib_dir`` once; again only if pom.xml changed.

    Returns ``lib_dir``. Raises :class:`PrerequisiteMissing` if java/mvn are missing and
    :class:`BrokerError` if Maven fails.
    """
    progress = on_progress or noop_progress
    if jars_ready(lib_dir):
        check_prerequisites(java, mvn, lib_dir, need_mvn=False)
        progress(f"Kafka {KAFKA_VERSION} jars already in {lib_dir}")
        return lib_dir
    check_prerequisites(java, mvn, lib_dir, need_mvn=True)
    lib_dir.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(lib_dir.parent / f".{lib_dir.name}.lock"):
        if jars_ready(lib_dir):  # another process fetched them while we waited
            return lib_dir
        progress(f"Fetching Kafka {KAFKA_VERSION} jars from Maven Central into {lib_dir}")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(
            prefix=f".{lib_dir.name}-fetch-", dir=lib_dir.parent
        ) as tmp:
            tmp_path = Path(tmp)
            # Run Maven on a copy so nothing (target/ etc.) is written into the package.
            pom_copy = tmp_path / "pom.xml"
            shutil.copyfile(_POM, pom_copy)
            out_dir = tmp_path / "lib"
            cmd = [
                mvn, "-q", "-B", "-f", str(pom_copy),
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={out_dir}",
            ]  # fmt: skip
            log.info("running %s", " ".join(cmd))
            result = subprocess.run(
                cmd, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True
            )
            jars = sorted(out_dir.glob("*.jar")) if out_dir.is_dir() else []
            if result.returncode != 0 or not any(j.name.startswith("kafka_2.13-") for j in jars):
                output = (result.stdout + result.stderr).strip().splitlines()
                raise BrokerError(
                    f"Maven could not fetch the Kafka jars (exit {result.returncode}). "
                    "Is Maven Central reachable (proxy settings in ~/.m2/settings.xml)?\n"
                    + "\n".join(output[-TAIL_LINES:])
                )
            (out_dir / _jar_marker(lib_dir).name).write_text(
                f"{_pom_hash()}\nkafka {KAFKA_VERSION}\n", encoding="utf-8"
            )
            # Swap the new folder in; the old one (if any) goes away with the temp dir.
            if lib_dir.exists():
                lib_dir.rename(tmp_path / "old-lib")
            out_dir.rename(lib_dir)
        elapsed = time.monotonic() - started
        progress(f"Fetched {len(jars)} jars in {elapsed:.1f} s into {lib_dir}")
    return lib_dir


def java_cmd(
    java: str, lib_dir: Path, logs_dir: Path, *, heap: tuple[str, str] | None
) -> list[str]:
    """The JVM command line up to the main class: the broker's with ``heap=(min, max)``, a
    short-lived tool's with ``heap=None``."""
    cmd = [java]
    if heap is not None:
        heap_min, heap_max = heap
        cmd += [
            f"-Xms{heap_min}",
            f"-Xmx{heap_max}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
        ]
    else:  # short-lived tools
        cmd += ["-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    cmd += [
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={_LOG4J2}",
        f"-Dkafka.logs.dir={logs_dir}",
        "-cp",
        f"{lib_dir}/*",  # expanded by java itself, no shell involved
    ]
    return cmd


def java_major_version(java_path: str) -> tuple[int | None, str]:
    """Parse `java -version` ("17.0.15", "21", or old-style "1.8.0_392")."""
    try:
        result = subprocess.run(
            [java_path, "-version"], capture_output=True, text=True, timeout=30,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    raw = (result.stderr or result.stdout).strip()
    match = re.search(r'version "(\d+)(?:\.(\d+))?', raw)
    if not match:
        return None, raw.splitlines()[0] if raw else raw
    major = int(match.group(1))
    if major == 1 and match.group(2):
        major = int(match.group(2))
    return major, raw


def _jar_marker(lib_dir: Path) -> Path:
    return lib_dir / f".fetched-{_pom_hash()[:16]}"


def _pom_hash() -> str:
    return hashlib.sha256(_POM.read_bytes()).hexdigest()
