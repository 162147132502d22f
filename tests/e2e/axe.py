"""axe-core for the end-to-end tests: installed with npm into .ci/node (never copied
into the repository) and injected into the page by Playwright."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parents[2] / ".ci" / "node"
AXE_JS = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("critical", "serious")


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but axe-core is missing: {reason}")
    pytest.skip(f"needs axe-core: {reason}")


def axe_script() -> Path:
    """The path of axe.min.js, installing it with npm from the committed lock file
    the first time."""
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed (Debian package npm)")
    done = subprocess.run(
        [npm, "ci", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not AXE_JS.exists():
        _unavailable(f"`npm ci --prefix .ci/node` failed: {done.stderr[-500:]}")
    return AXE_JS


def axe_violations(page, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """Axe violations on the page as it is now: critical and serious ones, or every
    one with `impacts=None`."""
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        violation
        for violation in results["violations"]
        if impacts is None or violation["impact"] in impacts
    ]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )
