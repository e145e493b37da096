"""``make dist``: the offline bundle an intranet installs from (no network, no npm, no build step there).

    .venv/bin/python deploy/build_dist.py [--python 3.11] [--out dist]

Writes ``OUT/duban-VERSION-linux-x86_64-pyXY.tar.gz`` holding the duban wheel (the built web app inside),
a wheelhouse with every runtime dependency for Linux x86_64 and that Python, pinned to the versions this
checkout runs and tests with (``requirements.lock``), ``install.sh``, the OS packages it relies on, the
production configuration of ``deploy/``, and ``MANIFEST.sha256`` (``sha256sum -c`` format). Downloaded
wheels are kept in ``build/wheel-cache`` so a second build needs no network at all.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
CACHE = REPO / "build" / "wheel-cache"
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "linux_x86_64")
# Some pinned packages need a later patch release than 3.X.0 (soupsieve 4.1 needs 3.11.5): pip resolves
# for the oldest interpreter install.sh accepts.
# No 3.13: rapidocr-onnxruntime 1.4.4 (pinned) requires Python < 3.13, so duban cannot install there at all.
MIN_PATCH = {"3.11": "3.11.5", "3.12": "3.12.0"}


def runtime_lock() -> list[str]:
    """``name==version`` of every package duban needs at run time (no dev extras), as installed here."""
    seen: dict[str, str] = {}

    def walk(name: str, extras: frozenset[str]) -> None:
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            return
        key = canonicalize_name(dist.metadata["Name"])
        if key in seen and not extras:
            return
        seen[key] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            wanted = req.marker is None or any(req.marker.evaluate({"extra": e}) for e in ("", *extras))
            if wanted:
                walk(req.name, frozenset(req.extras))

    walk("duban", frozenset())
    seen.pop("duban", None)
    return [f"{name}=={version}" for name, version in sorted(seen.items())]


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def build_wheel(into: Path) -> Path:
    """The duban wheel, refusing one without the web app (``make setup`` builds it first)."""
    into.mkdir(parents=True, exist_ok=True)
    pip("wheel", "--no-deps", "-q", "-w", str(into), str(REPO))
    wheel = max(into.glob("duban-*.whl"), key=lambda p: p.stat().st_mtime)
    with zipfile.ZipFile(wheel) as z:
        if "duban/web/static/app/index.html" not in z.namelist():
            raise SystemExit("duban 安装包中缺少网页界面：请先运行 make setup 构建 frontend/")
    return wheel


def fetch_wheels(lock: list[str], python: str, into: Path) -> list[Path]:
    """Binary wheels for the target, exactly the locked versions (cached under build/)."""
    cache = CACHE / f"py{python.replace('.', '')}"
    cache.mkdir(parents=True, exist_ok=True)
    wanted = {canonicalize_name(line.split("==")[0]): line.split("==")[1] for line in lock}
    missing = [line for line in lock if not _cached(cache, line)]
    if missing:
        requirements = cache / "missing.txt"
        requirements.write_text("\n".join(missing) + "\n")
        abi = f"cp{python.replace('.', '')}"
        platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
        pip(
            "download", "-q", "--no-deps", "--only-binary=:all:", *platforms,
            "--python-version", MIN_PATCH[python], "--implementation", "cp",
            "--abi", abi, "--abi", "abi3", "--abi", "none", "-r", str(requirements), "-d", str(cache),
        )  # fmt: skip
    into.mkdir(parents=True, exist_ok=True)
    found = []
    for wheel in sorted(cache.glob("*.whl")):
        name, version = _name_version(wheel)
        if wanted.get(name) == version:
            found.append(Path(shutil.copy2(wheel, into / wheel.name)))
    if len(found) != len(lock):
        raise SystemExit(f"wheelhouse incomplete: {len(found)} of {len(lock)} wheels")
    return found


def _name_version(wheel: Path) -> tuple[str, str]:
    name, version = wheel.name.split("-")[:2]
    return canonicalize_name(name), version


def _cached(cache: Path, line: str) -> bool:
    name, version = line.split("==")
    return any(_name_version(w) == (canonicalize_name(name), version) for w in cache.glob("*.whl"))


def write_manifest(root: Path) -> None:
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(root).as_posix()}")
    (root / "MANIFEST.sha256").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--python", default="3.11", choices=sorted(MIN_PATCH), help="target Python")
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    args = parser.parse_args()
    from duban import __version__

    tag = f"py{args.python.replace('.', '')}"
    name = f"duban-{__version__}-linux-x86_64-{tag}"
    stage = args.out / name
    shutil.rmtree(stage, ignore_errors=True)
    wheelhouse = stage / "wheelhouse"
    build_wheel(wheelhouse)
    lock = runtime_lock()
    fetch_wheels(lock, args.python, wheelhouse)
    (stage / "requirements.lock").write_text("\n".join(lock) + "\n")
    for item in ("install.sh", "OS-PACKAGES.txt", "README.txt"):
        shutil.copy2(DEPLOY / "bundle" / item, stage / item)
    (stage / "install.sh").chmod(0o755)
    (stage / "PYTHON").write_text(MIN_PATCH[args.python] + "\n")
    shutil.copytree(DEPLOY / "nginx", stage / "deploy" / "nginx")
    shutil.copytree(DEPLOY / "systemd", stage / "deploy" / "systemd")
    shutil.copy2(DEPLOY / "duban.env.example", stage / "deploy" / "duban.env.example")
    write_manifest(stage)
    tarball = args.out / f"{name}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(stage, arcname=name)
    shutil.rmtree(stage)
    print(tarball)


if __name__ == "__main__":
    main()
