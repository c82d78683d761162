"""The project's set-up: environment.yml mirrors pyproject.toml; nothing reads the shared folder."""

import re
import tomllib

from conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_name(r): r.replace(" ", "") for r in requirements}


def _environment_requirements() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.\-]+[<>=!~][^#]*?)\s*(?:#.*)?$", line)
        if match and not match.group(1).startswith("python"):
            entries[_name(match.group(1))] = match.group(1).replace(" ", "")
    return entries


def test_environment_yml_lists_the_same_dependencies_and_bounds_as_pyproject():
    assert _environment_requirements() == _pyproject_requirements()


def test_every_dependency_has_a_lower_bound():
    assert all(">=" in requirement for requirement in _pyproject_requirements().values())


def test_nothing_reads_the_shared_folder():
    shared = "../" + "shared"  # spelled in two parts so that this file does not match itself
    offenders = [path for folder in ("src", "tests", "notebooks") for path in (ROOT / folder).rglob("*")
                 if path.suffix in {".py", ".ipynb", ".toml", ".yml"} and shared in path.read_text()]
    assert offenders == []
