"""Build the release: the one-folder bundle, its smoke test, and the Windows installer where NSIS is present.

    python installer/build.py                  # build, smoke-test, installer if makensis is found
    python installer/build.py --skip-build     # smoke-test (and package) the bundle already in dist/
    python installer/build.py --no-installer   # no makensis step

Output in dist/: smsjingling/ (the bundle) and smsjingling-setup-VERSION.exe. The smoke test runs the frozen
program as a user would, in a fresh data folder (SMSJINGLING_HOME) with Qt's offscreen platform:
1. the window: `--smoke` starts the program, waits until the window is shown, prints the time and quits; run
   once in the new data folder (it creates the database) and then again, as every later start is;
2. the CLI: `--version` is pyproject's version (the bundled metadata, which the About box shows too); one
   message is sent through the simulated modem the way a newcomer sends (`send --wait` with no channel set
   up adds it), and the send record (`campaigns show`, `records export`) has it sent; `audit verify` passes;
   a 40,000-row CSV imports (read in a child process, the frozen program started again).
It exits non-zero when a step fails or the bundle is over its size target (150 MB, 10^6 bytes); the start time
is reported against its target (a busy CI machine makes it too noisy to fail on): the median of several starts
of the frozen program, each the wall time from spawning the process to the program's own line saying its window
is shown (exposed, so painted), with the CPU time the program says it used by then and the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import release  # noqa: E402

ROOT = release.ROOT
# The smoke test sets the signature through this source tree's core (set_signature), installed or not.
sys.path.insert(1, str(ROOT))
SPEC = HERE / "smsjingling.spec"
NSIS_SCRIPT = HERE / "smsjingling.nsi"
IS_WIN = sys.platform == "win32"
EXE = ".exe" if IS_WIN else ""

# The targets, on every platform. The size in MB of 10^6 bytes (150 MB is 143.1 MiB). A Linux bundle
# carries what Windows provides itself (ICU, cut to the items Qt uses by installer/icudata.py; the X11, D-Bus
# and GLib libraries; the cryptography library of the Secret Service keyring) and still fits.
SIZE_TARGET_MB = 150
START_TARGET_S = 3.0
WARM_STARTS = 5  # starts after the first (which creates the database): the start time is their median
SMOKE_NUMBER = "13800138000"
SMOKE_TEXT = "短信精灵安装包自检 smoke test"
SMOKE_SIGNATURE = "短信精灵"
BIG_IMPORT_ROWS = 40_000  # 1.3 MB of CSV: over the size the importer reads in a child process
# What the offscreen platform says whenever a window is shown (about the test platform, not the program).
QT_NOISE = ("This plugin does not support propagateSizeHints",)
# Lines that mean Qt could not load part of itself: a plugin or library the spec left out.
QT_TROUBLE = ("Cannot load library", "Could not load the Qt platform plugin", "Could not find the Qt platform plugin")


class SmokeError(Exception):
    pass


class Tally:
    """Smoke-test checks passed and failed, for the closing line."""

    passed = 0
    failed = 0

    @classmethod
    def ok(cls) -> None:
        cls.passed += 1


@dataclass(frozen=True)
class Start:
    """One start of the frozen window, as `--smoke` reports it."""

    wall: float  # seconds from spawning the process to its line "smoke: window shown"
    own: float  # seconds the program counts itself, from its first import of Qt (after the loader and Python)
    cpu: float  # CPU seconds the process had used by then (a figure a busy machine barely moves)


def median_start(starts: list[Start]) -> Start:
    return Start(*(statistics.median(getattr(s, f) for s in starts) for f in ("wall", "own", "cpu")))


def load_text() -> str:
    """The load averages (1, 5, 15 min) and the processors: what the wall times were measured under."""
    if not hasattr(os, "getloadavg"):
        return "load average not available here"
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} processors"


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def ensure_metadata() -> None:
    """The bundle copies the installed metadata (the version the program shows): make it match pyproject."""
    try:
        installed = metadata.version("smsjingling")
    except metadata.PackageNotFoundError:
        installed = None
    if installed != release.version():
        step(f"installing smsjingling {release.version()} metadata (found {installed})")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)], check=True)


def build_bundle(dist: Path, work: Path, clean: bool) -> Path:
    ensure_metadata()
    step(f"PyInstaller {SPEC.relative_to(ROOT)} -> {dist}")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work)]
    if clean:
        command.append("--clean")
    started = time.perf_counter()
    subprocess.run([*command, str(SPEC)], check=True, cwd=ROOT)
    print(f"    built in {time.perf_counter() - started:.0f} s")
    return dist / "smsjingling"


def bundle_size(bundle: Path) -> int:
    """Bytes in the folder (symbolic links count as themselves, not as what they point to)."""
    return sum(p.lstat().st_size for p in bundle.rglob("*") if p.is_symlink() or p.is_file())


def size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MiB ({size / 1e6:.1f} MB)"


def smoke_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMSJINGLING_", "QT_", "PYTHON"))}
    # No PYTHONIOENCODING: the frozen program writes UTF-8 by itself (the spec turns on Python's UTF-8 mode).
    env.update(SMSJINGLING_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def run(command: list[str], env: dict[str, str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout
    )
    shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))
    print(f"    $ {shown}  (exit {result.returncode})")
    for line in (result.stdout + result.stderr).splitlines():
        print(f"      {line}")
    trouble = [line for line in result.stderr.splitlines() if line.startswith(QT_TROUBLE) or "Traceback" in line]
    if result.returncode != 0 or trouble:
        raise SmokeError(f"{shown} failed (exit {result.returncode})")
    Tally.ok()
    return result


def child_cpu() -> float:
    """CPU seconds used by finished child processes (POSIX; 0 elsewhere): a figure a busy machine barely moves."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SMOKE_LINE = re.compile(r"smoke: window shown ([\d.]+) s after start, ([\d.]+) s of CPU")


def start_window(program: Path, env: dict[str, str]) -> Start:
    """Start the window with --smoke: the wall time from spawning the process to its line saying the window is
    shown, beside the program's own figures on that line."""
    cpu = child_cpu()
    start = None
    # stderr to a file, not a pipe: nobody reads it until the program ends.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(program), "--smoke"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert process.stdout is not None
        for line in process.stdout:
            reported = SMOKE_LINE.match(line)
            if reported and start is None:
                start = Start(time.perf_counter() - started, float(reported.group(1)), float(reported.group(2)))
            print(f"      {line.rstrip()}")
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            raise SmokeError("the window did not close by itself") from None
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
    trouble = [line for line in err.splitlines() if line.startswith(QT_TROUBLE) or "Traceback" in line]
    for line in err.splitlines():
        if not line.startswith(QT_NOISE):
            print(f"      {line}")
    if process.returncode != 0 or start is None or trouble:
        raise SmokeError(f"the window smoke test failed (exit {process.returncode})")
    cpu = child_cpu() - cpu
    used = f"; the whole run used {cpu:.2f} s of CPU" if cpu else ""
    print(f"    window shown {start.wall:.2f} s after the process was spawned{used}; exit 0")
    Tally.ok()
    return start


def set_signature(home: Path) -> None:
    """The CLI has no command for settings, and a send needs the signature 【…】: set it as the settings page
    would, through the core of this source tree (the same code the bundle holds)."""
    env_home = os.environ.get("SMSJINGLING_HOME")
    os.environ["SMSJINGLING_HOME"] = str(home)
    try:
        from smsjingling.settings import SIGNATURE, Settings
        from smsjingling.storage.database import open_database

        db = open_database(None)
        try:
            Settings(db).set(SIGNATURE, SMOKE_SIGNATURE)
        finally:
            db.close()
    finally:
        if env_home is None:
            os.environ.pop("SMSJINGLING_HOME", None)
        else:
            os.environ["SMSJINGLING_HOME"] = env_home


def smoke_test(bundle: Path) -> dict[str, Start]:
    gui = bundle / f"{release.GUI_NAME}{EXE}"
    console = bundle / f"{release.CONSOLE_NAME}{EXE}" if IS_WIN else gui
    for program in {gui, console}:
        if not program.is_file():
            raise SmokeError(f"{program} is missing")
    home = Path(tempfile.mkdtemp(prefix="smsjingling-smoke-"))
    try:
        env = smoke_env(home)
        step(f"smoke test: the window (offscreen, data in {home})")
        first = start_window(console, env)
        warm = [start_window(console, env) for _ in range(WARM_STARTS)]
        if IS_WIN:
            # The windowed program has no console to print to: it must start, show and exit 0 all the same.
            step("smoke test: the windowed program")
            started = time.perf_counter()
            result = subprocess.run([str(gui), "--smoke"], env=env, timeout=120)
            if result.returncode != 0:
                raise SmokeError(f"{gui.name} --smoke exited {result.returncode}")
            print(f"    {gui.name} --smoke: exit 0 after {time.perf_counter() - started:.2f} s")
            Tally.ok()

        step("smoke test: the command line")
        cli = [str(console), "--cli", "--lang", "en"]
        version = run([*cli, "--version"], env).stdout.split()[-1]
        if version != release.version():
            raise SmokeError(f"the program says version {version}, pyproject.toml says {release.version()}")
        Tally.ok()
        set_signature(home)
        run([*cli, "send", "--to", SMOKE_NUMBER, "--text", SMOKE_TEXT, "--wait"], env)
        shown = run([*cli, "campaigns", "show", "1"], env).stdout
        rows = [line for line in shown.splitlines() if SMOKE_NUMBER in line]
        if len(rows) != 1 or not any(word in rows[0] for word in ("Sent", "Delivered")):
            raise SmokeError(f"campaign 1 does not show the message to {SMOKE_NUMBER} as sent")
        Tally.ok()
        export = home / "records.csv"
        run([*cli, "records", "export", "--from", "2000-01-01", "--to", "2100-01-01", str(export)], env)
        with export.open(encoding="utf-8-sig", newline="") as fh:
            records = list(csv.DictReader(fh))
        sent = [r for r in records if r["号码"].endswith(SMOKE_NUMBER) and r["状态"] in ("已发送", "已送达")]
        if len(records) != 1 or len(sent) != 1 or SMOKE_SIGNATURE not in sent[0]["内容"]:
            raise SmokeError(f"the exported send record is not the one message sent: {records}")
        print(f"    send record: {sent[0]['号码']} {sent[0]['状态']} via {sent[0]['通道']}: {sent[0]['内容']}")
        Tally.ok()
        run([*cli, "audit", "verify"], env)
        # What the uninstaller's /DELETEDATA runs: the command is there and reads the database (its channels name
        # the keyring entries). Against keyring's null backend, so that a build never touches the builder's own
        # keyring.
        forget = run(
            [*cli, "secrets", "forget-all"], {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
        )
        if "entries removed" not in forget.stdout or "database could not be read" in forget.stdout:
            raise SmokeError("secrets forget-all did not read the database")
        Tally.ok()
        # A file over 1 MiB is read in a child process: in the frozen program that child is the executable
        # started again (spawn on Windows), which multiprocessing.freeze_support() in main.py must catch.
        sheet = home / "big.csv"
        rows = [f"测试{i:05d},139{i:08d},部门{i % 7}" for i in range(BIG_IMPORT_ROWS)]
        sheet.write_text("姓名,手机,部门\n" + "\n".join(rows) + "\n", encoding="utf-8")
        imported = run([*cli, "contacts", "import", str(sheet), "--group", "导入测试"], env, timeout=600).stdout
        if f"{BIG_IMPORT_ROWS} added" not in imported:
            raise SmokeError(f"the import of {BIG_IMPORT_ROWS} rows did not add them all")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {"first": first, "warm": median_start(warm)}


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
            return str(Path(base) / "NSIS" / "makensis.exe")
    return None


def build_installer(makensis: str, bundle: Path, dist: Path, work: Path) -> Path:
    version = release.version()
    icon = work / "smsjingling" / "smsjingling.ico"  # where the spec drew it
    if not icon.is_file():
        subprocess.run([sys.executable, str(HERE / "release.py"), "icon", str(icon)], check=True)
    # Compiled from a Linux bundle, the result proves the script compiles; it is no installer to ship.
    suffix = "" if IS_WIN else "-scriptcheck"
    out = dist / f"smsjingling-setup-{version}{suffix}.exe"
    step(f"makensis {NSIS_SCRIPT.relative_to(ROOT)} -> {out.name}")
    defines = {
        "VERSION": version,
        "VERSION4": ".".join(map(str, release.version_tuple(version))),
        "BUNDLE": str(bundle),
        "OUTFILE": str(out),
        "ICON": str(icon),
    }
    if not IS_WIN:
        defines["NOCOMPRESS"] = "1"  # minutes of LZMA for an installer nobody ships
    # -WX: a warning fails the build, so the script stays clean.
    command = [makensis, "-V2", "-WX", "-INPUTCHARSET", "UTF8", *(f"-D{k}={v}" for k, v in defines.items())]
    subprocess.run([*command, str(NSIS_SCRIPT)], check=True)
    print(f"    {out} ({out.stat().st_size / 2**20:.1f} MiB)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "installer", help="PyInstaller's work folder")
    parser.add_argument("--skip-build", action="store_true", help="use the bundle already in --dist")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument("--no-smoke", action="store_true", help="do not run the smoke test")
    parser.add_argument("--no-installer", action="store_true", help="do not run makensis")
    parser.add_argument("--require-installer", action="store_true", help="fail when makensis is not found")
    args = parser.parse_args(argv)

    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = dist / "smsjingling" if args.skip_build else build_bundle(dist, work, args.clean)
    size = bundle_size(bundle)
    failures = []
    if size > SIZE_TARGET_MB * 10**6:
        failures.append(f"the bundle is {size_text(size)}, over its {SIZE_TARGET_MB} MB target")
    times = None
    if not args.no_smoke:
        try:
            times = smoke_test(bundle)
        except (SmokeError, subprocess.TimeoutExpired) as exc:
            Tally.failed += 1
            failures.append(f"smoke test: {exc}")
    installer = None
    makensis = None if args.no_installer else find_makensis()
    if makensis:
        installer = build_installer(makensis, bundle, dist, work)
    elif args.require_installer:
        failures.append("makensis was not found")

    step("summary")
    print(f"    version        {release.version()}")
    print(f"    bundle         {bundle}")
    verdict = "within" if size <= SIZE_TARGET_MB * 10**6 else "OVER"
    print(f"    bundle size    {size_text(size)}; {verdict} the {SIZE_TARGET_MB} MB target")
    if times:
        warm, first = times["warm"], times["first"]
        verdict = "within" if warm.wall <= START_TARGET_S else "OVER"
        print(
            f"    start time     {warm.wall:.2f} s from spawn to the shown window, median of {WARM_STARTS} starts; "
            f"{verdict} the {START_TARGET_S:.0f} s target"
        )
        print(
            f"                   of it {warm.own:.2f} s counted by the program from its Qt import; {warm.cpu:.2f} s of "
            f"CPU; first start (new data folder) {first.wall:.2f} s, {first.cpu:.2f} s of CPU"
        )
        print(f"                   measured under {load_text()}")
    if args.no_installer:
        print("    installer      skipped")
    else:
        print(f"    installer      {installer or 'not built: makensis was not found'}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    if not args.no_smoke:
        print(f"smoke: {Tally.passed} passed, {Tally.failed} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
