"""How the console script ends: tuned garbage collection, and an ordinary exit that
keeps the output, the exit code and every thread's last write."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from ozonctl._entry import GC_THRESHOLD0, tune_gc


def script(
    body: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``body`` as the console script would, with ``sys.argv = ['ozonctl', *args]``."""
    code = f"import sys\nsys.argv = ['ozonctl', *{list(args)!r}]\n" + textwrap.dedent(body)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_tune_gc_freezes_start_up_and_collects_the_young_generation_less_often() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.isenabled()
        assert gc.get_threshold() == (GC_THRESHOLD0, before[1], before[2])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_console_script_output_is_flushed_and_exit_codes_kept() -> None:
    # a large output through a pipe, written by Python's buffered stdout, arrives whole
    big = script(
        """
        import atexit
        atexit.register(lambda: print('ATEXIT RAN'))  # the teardown the script skips
        from ozonctl._entry import main
        main()
        """,
        "--help",
    )
    assert big.returncode == 0, big.stderr
    assert big.stdout.startswith("Usage: ozonctl") and "promo" in big.stdout
    assert big.stdout.rstrip().endswith("ATEXIT RAN")  # the interpreter ends as usual
    # a usage error keeps its exit code (2) and its one line on stderr
    bad = script("from ozonctl._entry import main\nmain()\n", "--no-such-option")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: No such option") and bad.stdout == ""


def test_a_thread_still_writing_when_the_command_returns_finishes_its_write(
    tmp_path: Path,
) -> None:
    target = tmp_path / "written.txt"
    done = script(
        f"""
        import threading, time
        from pathlib import Path
        def late_write():
            time.sleep(0.3)
            Path({str(target)!r}).write_text("all of it", encoding="utf-8")
        threading.Thread(target=late_write).start()
        from ozonctl._entry import main
        main()
        """,
        "--help",
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == "all of it"


def test_main_with_argv_still_raises_system_exit() -> None:
    out = script(
        """
        from ozonctl._entry import main
        try:
            main(['--no-such-option'])
        except SystemExit as exc:
            print('EXIT', exc.code)
        """
    )
    assert "EXIT 2" in out.stdout


def test_under_a_profiler_the_script_exits_normally_so_the_profile_is_written(
    tmp_path: Path,
) -> None:
    prof = tmp_path / "out.prof"
    code = "import sys\nsys.argv = ['ozonctl', '--help']\nfrom ozonctl._entry import main\nmain()\n"
    script_file = tmp_path / "run.py"
    script_file.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(prof), str(script_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert prof.stat().st_size > 0


def test_what_the_command_leaves_alive_is_frozen_before_the_interpreter_shuts_down() -> None:
    # was: the shutdown's collections walked every object still alive (typer's command
    # tree, pydantic's schemas, the command's rows) for cycles: 70-120 ms of every run
    out = script(
        """
        import atexit, gc
        import ozonctl.cli.run as cli_run
        kept = []
        def command(args):
            kept.append(gc.get_freeze_count())
            kept.append([[i] for i in range(20_000)])  # what a command leaves alive
            return 3
        cli_run.run = command
        atexit.register(lambda: print('FROZEN SINCE THE COMMAND', gc.get_freeze_count() - kept[0]))
        from ozonctl._entry import main
        main()
        """,
        "listing",
        "list",
    )
    assert out.returncode == 3, out.stderr  # the command's exit code is kept
    frozen = int(out.stdout.split("FROZEN SINCE THE COMMAND")[1])
    assert frozen >= 10_000
