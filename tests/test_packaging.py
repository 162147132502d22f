"""Every Python package on disk is installed by `pyproject.toml`.

setuptools lists the packages by hand (the `peer_site` package lives in `site/`, a
rename `packages.find` cannot express), so a new subpackage that is not added to the
list works in the editable install of a checkout and is missing from a built wheel.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setuptools_config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as config:
        return tomllib.load(config)["tool"]["setuptools"]


def packages_on_disk(package_dir: dict[str, str]) -> set[str]:
    found = set()
    for name, folder in package_dir.items():
        base = ROOT / folder
        for module in base.rglob("*.py"):
            relative = module.parent.relative_to(base)
            if "__pycache__" in relative.parts:
                continue
            found.add(".".join((name, *relative.parts)))
    return found


def test_every_package_on_disk_is_listed_in_pyproject():
    config = setuptools_config()
    listed = set(config["packages"])

    missing = packages_on_disk(config["package-dir"]) - listed

    assert not missing, (
        "these packages are on disk but not in [tool.setuptools] packages in "
        f"pyproject.toml, so a built wheel leaves them out: {sorted(missing)}"
    )


def test_every_listed_package_exists_with_an_init_module():
    config = setuptools_config()
    package_dir = config["package-dir"]

    def folder(package: str) -> Path:
        top, *rest = package.split(".")
        return ROOT / package_dir[top] / Path(*rest)

    stale = [
        package
        for package in config["packages"]
        if not (folder(package) / "__init__.py").is_file()
    ]

    assert not stale, f"listed in pyproject.toml but not a package on disk: {stale}"


def test_every_top_level_package_has_a_directory_mapping():
    config = setuptools_config()
    tops = {package.split(".")[0] for package in config["packages"]}

    assert tops == set(config["package-dir"])
