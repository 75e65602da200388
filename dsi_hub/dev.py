"""The two commands behind `make run` and `make test`.

    python -m dsi_hub.dev run    # migrate, demo content, then web + Celery worker + beat
    python -m dsi_hub.dev test   # the test suite (extra arguments go to pytest)

Where DATABASE_URL or REDIS_URL is unset, the embedded Postgres and Redis are started here and
held for as long as this process lives; every child process attaches to the same ones.
"""

import os
import signal
import subprocess
import sys
import time

from dsi_hub import embedded
from dsi_hub import vendor


def _vendor() -> None:
    """The front-end packages (`make install` fetched them; a plain call of this module too)."""
    if not vendor.installed() and vendor.main() != 0:
        raise SystemExit("The front-end packages could not be fetched from the npm registry.")


def _start_services() -> None:
    if not os.environ.get("DATABASE_URL"):
        print("Starting the embedded Postgres (data in .data/postgres) ...", flush=True)
        os.environ["DATABASE_URL"] = embedded.database_url()
    if not os.environ.get("REDIS_URL"):
        print("Starting the embedded Redis ...", flush=True)
        os.environ["REDIS_URL"] = embedded.redis_url()


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True)


def run(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_DEBUG", "true")
    dotenv = embedded.BASE_DIR / ".env"
    if not dotenv.exists():
        # So that plain `python manage.py ...` finds the development settings too.
        dotenv.write_text("# Written by `make run`: development settings.\nDJANGO_DEBUG=true\n")
    _vendor()
    _start_services()
    _manage("migrate", "--no-input")
    _manage("setup_demo")
    python = sys.executable
    processes = {
        "web": subprocess.Popen([python, "manage.py", "runserver", "127.0.0.1:8000"]),
        "worker": subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "dsi_hub",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
            ]
        ),
        "beat": subprocess.Popen(
            [python, "-m", "celery", "-A", "dsi_hub", "beat", "--loglevel=INFO"]
        ),
    }
    print(
        "\nThe hub runs on http://127.0.0.1:8000/ (web, worker and beat). Ctrl-C stops all.\n",
        flush=True,
    )
    code = 0
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"The {name} process stopped (exit {process.returncode}).", flush=True)
                    code = process.returncode or 1
                    raise KeyboardInterrupt
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping the web server, the worker and beat ...", flush=True)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        embedded.stop_all()
    return code


def test(argv: list[str]) -> int:
    _vendor()
    _start_services()
    try:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest.ini names the test settings
        return subprocess.run([sys.executable, "-m", "pytest", *argv], env=env).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        embedded.stop_all()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """A SIGTERM (a process manager, `timeout`, `kill`) stops the launcher as Ctrl-C does, so its
    `finally` stops the web server, the worker, beat and the embedded Postgres and Redis, which
    would otherwise outlive it."""
    signal.signal(signal.SIGTERM, _interrupt)


def main() -> int:
    stop_on_sigterm()
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
