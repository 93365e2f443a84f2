"""Shell completion for bash and zsh, as docs/completion.md describes it.

Three levels: the completion protocol itself (the environment variables the generated
scripts set, answered by the real ``ozonctl`` process), the script ``--show-completion``
prints, sourced into a real bash (and zsh when installed) and called as the shell would,
and a real Tab typed into an interactive shell on a pseudo-terminal.
Lazily loaded command groups must complete like the others.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
OZONCTL = BIN / "ozonctl"
pytestmark = pytest.mark.skipif(
    not OZONCTL.exists(), reason=f"no ozonctl console script next to {sys.executable}"
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|\x07")


@pytest.fixture
def env(tmp_path: Path, ozonctl_home: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("_OZONCTL", "_TYPER"))}
    return {
        **keep,
        "HOME": str(home),
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "OZONCTL_HOME": str(ozonctl_home),
        "TERM": "xterm",
    }


def complete_bash(env: dict[str, str], line: str) -> list[str]:
    words = line.split(" ")
    out = subprocess.run(
        [str(OZONCTL)],
        env={
            **env,
            "_OZONCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def complete_zsh(env: dict[str, str], line: str) -> list[str]:
    out = subprocess.run(
        [str(OZONCTL)],
        env={**env, "_OZONCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("_arguments '*: :((") or not out.stdout.strip(), out.stdout
    return re.findall(r'(?:\(\(|\n)"((?:[^"\\]|\\.)*)":', out.stdout)


@pytest.mark.parametrize("complete", [complete_bash, complete_zsh], ids=["bash", "zsh"])
def test_protocol_completes_commands_subcommands_of_lazy_groups_and_options(
    env: dict[str, str], complete: object
) -> None:
    assert callable(complete)
    assert complete(env, "ozonctl pro") == ["promo"]
    assert complete(env, "ozonctl promo le") == ["leave"]  # a lazily loaded group
    assert complete(env, "ozonctl listing delist") == ["delist-stale"]
    assert "doctor" in complete(env, "ozonctl d")
    assert {"--below-min-price", "--no-auto-add"} <= set(complete(env, "ozonctl promo leave --"))
    assert complete(env, "ozonctl --js") == ["--json"]
    everything = complete(env, "ozonctl ")
    assert {"promo", "listing", "order", "payout", "doctor", "sandbox"} <= set(everything)


def test_zsh_protocol_carries_the_one_line_help(env: dict[str, str]) -> None:
    out = subprocess.run(
        [str(OZONCTL)],
        env={**env, "_OZONCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "ozonctl pro"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.startswith('_arguments \'*: :(("promo":"Promotions')


def show_completion(env: dict[str, str], shell: str) -> str:
    """The script ``ozonctl --show-completion`` prints when run from ``shell``."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    # `; true` keeps the shell as ozonctl's parent, where the shell detection looks
    out = subprocess.run(
        [shell, "-c", "ozonctl --show-completion; true"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_bash_script_run_by_a_real_bash(env: dict[str, str], tmp_path: Path) -> None:
    script = show_completion(env, "bash")
    assert "complete -o default -F _ozonctl_completion ozonctl" in script
    path = tmp_path / "ozonctl.bash"
    path.write_text(script)
    probe = (
        f"source {path}\n"
        "complete -p ozonctl\n"
        "for line in 'ozonctl pro' 'ozonctl promo le' 'ozonctl listing st'; do\n"
        '  read -r -a COMP_WORDS <<< "$line"\n'
        "  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        "  _ozonctl_completion ozonctl\n"
        '  echo "$line => ${COMPREPLY[*]}"\n'
        "done\n"
    )
    out = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "complete -o default -F _ozonctl_completion ozonctl",
        "ozonctl pro => promo",
        "ozonctl promo le => leave",
        "ozonctl listing st => stale stock",
    ]


def test_zsh_script_is_valid_zsh(env: dict[str, str], tmp_path: Path) -> None:
    script = show_completion(env, "zsh")
    assert script.startswith("#compdef ozonctl")
    path = tmp_path / "_ozonctl"
    path.write_text(script)
    out = subprocess.run(["zsh", "-n", str(path)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr


class Terminal:
    """An interactive shell on a pseudo-terminal: type, then read what the screen shows."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.screen = ""

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def wait_for(self, pattern: str, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, ANSI.sub("", self.screen)):
                return True
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:
                    break
        return bool(re.search(pattern, ANSI.sub("", self.screen)))

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self.master)


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_tab_in_an_interactive_shell(env: dict[str, str], tmp_path: Path, shell: str) -> None:
    script = tmp_path / f"ozonctl.{shell}"
    script.write_text(show_completion(env, shell))
    if shell == "bash":
        argv = ["bash", "--noprofile", "--norc", "-i"]
        setup = f"PS1='READY> '; source {script}\n"
    else:
        argv = ["zsh", "-f", "-i"]
        setup = f"PS1='READY> '; autoload -Uz compinit; compinit -u; source {script}\n"
    term = Terminal(argv, {**env, "PS1": "READY> "})
    try:
        term.type(setup)
        assert term.wait_for(r"READY> $"), term.screen[-500:]
        # Tab completes `pro` to `promo `, then `le` to `leave ` (a lazily loaded group);
        # running the completed line shows which command the shell now holds
        term.type("ozonctl pro\t")
        time.sleep(0.5)
        term.type("le\t")
        time.sleep(0.5)
        term.type("--help\n")
        assert term.wait_for(r"Usage: ozonctl promo leave \[OPTIONS\]"), ANSI.sub("", term.screen)[
            -800:
        ]
    finally:
        term.close()
