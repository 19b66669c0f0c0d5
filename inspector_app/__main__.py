"""``python -m inspector_app`` / ``inspector-app``: the GUI, or the CLI when given a subcommand."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .cli import build_parser, safe_console, wants_gui
    from .cli import main as cli_main

    safe_console()  # before argparse prints its Chinese help or errors
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if not wants_gui(args):
        return cli_main(args)
    from .launch import prepare_gui

    refusal = prepare_gui(args.data_dir)
    if refusal is not None:
        return refusal
    from .ui.main_window import run

    return run(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
