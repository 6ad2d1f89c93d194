"""``advisor model sign|verify|pin DIR``: make a model folder trustworthy before it is used.

A model folder from elsewhere is loaded only when signed (HMAC-SHA256 over every file, key from
``--key-file``); the shipped default model is trusted by digests pinned in the package.
"""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    model_app = typer.Typer(help="Sign, check or pin model folders (HMAC-SHA256 over every file).", no_args_is_help=True)
    app.add_typer(model_app, name="model")

    @model_app.command("sign")
    def sign(
        folder: Path = typer.Argument(..., metavar="DIR", help="Model folder (model*.txt + meta.json)."),
        key_file: Path = typer.Option(..., "--key-file", help="File with the signing key (>= 16 random bytes)."),
    ) -> None:
        """Write DIR/signature.json: HMAC-SHA256 with the key over the name and sha256 of every file."""
        from advisor.registry import check_meta, read_key, read_meta, sign_model

        check_meta(read_meta(folder), folder)
        path = sign_model(folder, read_key(key_file))
        typer.echo(f"signed {folder} -> {path.name}")

    @model_app.command("verify")
    def verify(
        folder: Path = typer.Argument(..., metavar="DIR", help="Model folder."),
        model_key_file: Path | None = typer.Option(
            None, "--model-key-file", help="Key of a signed folder (else $ADVISOR_MODEL_KEY_FILE)."
        ),
    ) -> None:
        """Check that DIR would be loaded: pinned (shipped) or validly signed, and well-formed."""
        from advisor.forecast import load_forecaster

        model = load_forecaster(folder, key_file=model_key_file)
        typer.echo(f"{folder}: ok ({model.info_['trust']})")

    @model_app.command("pin")
    def pin(folder: Path = typer.Argument(..., metavar="DIR", help="Model folder to ship.")) -> None:
        """Pin DIR's digest in advisor/model_pins.py (release step for a shipped model)."""
        from advisor.registry import check_meta, pin_model, read_meta

        check_meta(read_meta(folder), folder)
        digest = pin_model(folder)
        typer.echo(f"pinned {folder}: {digest}")
