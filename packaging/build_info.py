"""Write build_info.json (version, commit, build time, platform) for the standalone build.

Run by `make dist` before PyInstaller; the spec bundles the file and the app shows it in
About and `--version`."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspector_app import __version__  # noqa: E402


def main() -> None:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    info = {"version": __version__, "commit": commit, "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "platform": f"{platform.system()} {platform.machine()}", "python": platform.python_version()}
    out = ROOT / "build" / "build_info.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(info, ensure_ascii=False, indent=2), "utf-8")
    print(f"{out}: {info}")


if __name__ == "__main__":
    main()
