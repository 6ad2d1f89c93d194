"""The ``advisor`` command line: one small module per command in this package.

Each module ``advisor/cli/<command>.py`` defines ``register(app: typer.Typer) -> None``; the
modules are discovered here, so adding a command touches no other file.

Exit codes of every command: 0 ok, 2 bad input or usage, 3 a batch finished with some failed
households, 1 an internal error. A user error prints one message, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from advisor.errors import AdvisorError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_PARTIAL = 3

app = typer.Typer(
    name="advisor",
    help="Energie-Advisor: household load curves, forecasts, PV and savings advice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True),
) -> None:
    """Energie-Advisor: household load curves, forecasts, PV and savings advice."""
    if version:
        from advisor import __version__

        typer.echo(f"energie-advisor {__version__}")
        raise typer.Exit(0)


def _register_commands() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def _error_language(argv: list[str] | None) -> str:
    """The ``--language`` given on the command line (``de``, ``en``, ``tr``), else English."""
    from advisor.formatting import LANGUAGES

    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--language" and i + 1 < len(args) else None
        if arg.startswith("--language="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return value if value in LANGUAGES else "en"
    return "en"


def _error_text(exc: AdvisorError, lang: str) -> str:
    """One error line: English by default; in the household's ``--language`` when one was given
    (a refusal of the meter file then reads ``Fehler: Datei x.csv, Zeile 3: …``)."""
    if lang == "en":
        return f"Error: {exc}"
    from advisor.texts import localize, render

    message = exc.text(lang) if hasattr(exc, "text") else localize(exc.args[0] if exc.args else str(exc), lang)
    return render("cli.error", lang, {"message": message})


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map errors to exit codes (2 user error, 1 internal) without tracebacks."""
    try:
        # with standalone_mode=False click returns a command's typer.Exit code instead of raising
        result = app(args=argv, standalone_mode=False)
    except AdvisorError as exc:
        typer.echo(_error_text(exc, _error_language(argv)), err=True)
        return EXIT_BAD_INPUT
    except typer.Exit as exc:
        return exc.exit_code
    except OSError as exc:
        # disk full, permissions, a vanished file: a clear message, not an "internal error"
        what = exc.strerror or type(exc).__name__
        where = f": {exc.filename}" if exc.filename else ""
        typer.echo(f"Error: {what}{where}", err=True)
        return EXIT_BAD_INPUT
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Aborted.", err=True)
        return EXIT_INTERNAL
    except Exception as exc:
        # click's (or typer's vendored click's) usage errors carry `show` and exit_code 2
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            return exc.exit_code
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        typer.echo(f"Internal error ({type(exc).__name__}): {exc}. Set ADVISOR_DEBUG=1 for details.", err=True)
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
