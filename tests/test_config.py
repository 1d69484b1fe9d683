"""Where the catalog is (SPEC §1): --catalog, DEALCHECK_CATALOG, dealcheck.yaml, pyproject, default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dealcheck.config import CatalogSource, find_catalog
from dealcheck.errors import InputError, Location


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory as the working directory, with no DEALCHECK_CATALOG set."""
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def with_every_source(root: Path) -> None:
    write(root / "dealcheck.yaml", "catalog: [from-yaml]\n")
    write(root / "pyproject.toml", '[tool.dealcheck]\ncatalog = ["from-pyproject"]\n')


def resolved(source: CatalogSource, cwd: Path) -> list[Path]:
    return [(cwd / p).resolve() for p in source.paths]


# -- precedence -------------------------------------------------------------------------------


def test_catalog_option_beats_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_every_source(project)
    monkeypatch.setenv("DEALCHECK_CATALOG", "from-env")
    source = find_catalog([Path("cli-a"), Path("cli-b")])
    assert source.paths == (Path("cli-a"), Path("cli-b"))
    assert source.origin == "--catalog"


def test_environment_beats_config_files(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_every_source(project)
    monkeypatch.setenv("DEALCHECK_CATALOG", os.pathsep.join(["env-a", "", "env-b"]))
    source = find_catalog(None)
    assert source.paths == (Path("env-a"), Path("env-b"))
    assert source.origin == "DEALCHECK_CATALOG"


def test_blank_environment_variable_is_ignored(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_every_source(project)
    monkeypatch.setenv("DEALCHECK_CATALOG", "  ")
    assert find_catalog(None).paths == (Path("from-yaml"),)


def test_dealcheck_yaml_beats_pyproject_in_the_same_directory(project: Path) -> None:
    with_every_source(project)
    source = find_catalog(None)
    assert source.paths == (Path("from-yaml"),)
    assert source.origin == "dealcheck.yaml"


def test_pyproject_tool_table_is_used_without_dealcheck_yaml(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dealcheck]\ncatalog = ["cat/products", "cat/rules"]\n')
    source = find_catalog(None)
    assert source.paths == (Path("cat/products"), Path("cat/rules"))
    assert source.origin == "pyproject.toml [tool.dealcheck]"


def test_default_is_products_and_rules(project: Path) -> None:
    source = find_catalog(None)
    assert source.paths == (Path("products"), Path("rules"))
    assert source.origin.startswith("default")


def test_an_empty_catalog_option_list_falls_through(project: Path) -> None:
    with_every_source(project)
    assert find_catalog([]).paths == (Path("from-yaml"),)


def test_explicit_arguments_override_the_process_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_every_source(project)
    monkeypatch.setenv("DEALCHECK_CATALOG", "from-process")
    elsewhere = project / "sub"
    elsewhere.mkdir()
    source = find_catalog(None, env={"DEALCHECK_CATALOG": "x"}, cwd=elsewhere)
    assert source.paths == (Path("x"),)
    source = find_catalog(None, env={}, cwd=elsewhere)
    assert resolved(source, elsewhere) == [(project / "from-yaml").resolve()]


# -- config files in parent directories, relative paths ---------------------------------------


def test_config_in_a_parent_directory_is_found_and_paths_are_relative_to_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "dealcheck.yaml", "catalog:\n  - catalog/products\n  - ../shared-rules\n")
    (project.parent / ".git").mkdir()  # the repository holds ../shared-rules too
    deep = project / "deals" / "2026"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)

    source = find_catalog(None)

    assert resolved(source, deep) == [
        (project / "catalog" / "products").resolve(),
        (project.parent / "shared-rules").resolve(),
    ]
    assert source.origin.endswith("dealcheck.yaml")


def test_paths_stay_short_when_the_config_is_in_the_working_directory(project: Path) -> None:
    write(project / "dealcheck.yaml", "catalog: catalog\n")  # one path as a plain string
    assert find_catalog(None).paths == (Path("catalog"),)


def test_pyproject_in_a_parent_directory_with_relative_paths(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "pyproject.toml", '[tool.dealcheck]\ncatalog = ["products"]\n')
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert resolved(find_catalog(None), sub) == [(project / "products").resolve()]


def test_a_pyproject_without_a_dealcheck_table_does_not_stop_the_search(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "dealcheck.yaml", "catalog: [catalog]\n")
    sub = project / "service"
    write(sub / "pyproject.toml", '[project]\nname = "service"\n')
    monkeypatch.chdir(sub)
    assert resolved(find_catalog(None), sub) == [(project / "catalog").resolve()]


def test_the_nearest_config_wins(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "dealcheck.yaml", "catalog: [outer]\n")
    sub = project / "team"
    write(sub / "pyproject.toml", '[tool.dealcheck]\ncatalog = ["inner"]\n')
    monkeypatch.chdir(sub)
    assert find_catalog(None).paths == (Path("inner"),)


def test_a_config_without_catalog_means_the_default_dirs_next_to_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "dealcheck.yaml", "# nothing configured yet\n")
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert resolved(find_catalog(None), sub) == [
        (project / "products").resolve(),
        (project / "rules").resolve(),
    ]


# -- broken configuration is a located input error ---------------------------------------------


def test_unknown_key_in_dealcheck_yaml(project: Path) -> None:
    write(project / "dealcheck.yaml", "catalog: [a]\ncatalogue: [b]\n")
    with pytest.raises(InputError) as info:
        find_catalog(None)
    assert info.value.location == Location("dealcheck.yaml", 2, 1)
    assert "unknown key 'catalogue'" in info.value.message


def test_malformed_dealcheck_yaml(project: Path) -> None:
    write(project / "dealcheck.yaml", "catalog: [a\n")
    with pytest.raises(InputError) as info:
        find_catalog(None)
    assert info.value.location.file == "dealcheck.yaml"
    assert info.value.location.line == 2
    assert "invalid YAML" in info.value.message


@pytest.mark.parametrize("value", ["catalog: {a: b}\n", "catalog: [a, 3]\n", "- a\n"])
def test_catalog_must_be_paths(project: Path, value: str) -> None:
    write(project / "dealcheck.yaml", value)
    with pytest.raises(InputError) as info:
        find_catalog(None)
    assert info.value.location.file == "dealcheck.yaml"


def test_unknown_key_in_tool_dealcheck(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dealcheck]\ncatalogs = ["a"]\n')
    with pytest.raises(InputError, match=r"\[tool.dealcheck\]: unknown key 'catalogs'"):
        find_catalog(None)


def test_broken_pyproject(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.dealcheck\n")
    with pytest.raises(InputError) as info:
        find_catalog(None)
    assert info.value.location == Location("pyproject.toml")
    assert "cannot read pyproject.toml" in info.value.message


@pytest.mark.parametrize("entry", ["/", "..", "../../etc", "catalog/../../elsewhere"])
def test_config_file_catalog_paths_stay_inside_its_repository(
    project: Path, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    # no .git above: the repository is the config file's own directory
    write(project / "dealcheck.yaml", f"fail_on: blocker\ncatalog:\n  - products\n  - {entry}\n")
    with pytest.raises(InputError) as caught:
        find_catalog(None)
    assert str(caught.value.location) == "dealcheck.yaml:4:5"
    assert "is outside the repository that holds dealcheck.yaml" in caught.value.message


def test_config_file_catalog_paths_inside_the_repository_are_kept(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".git").mkdir()
    write(project / "sub" / "dealcheck.yaml", "catalog: [../products, ../rules]\n")
    monkeypatch.chdir(project / "sub")
    assert resolved(find_catalog(None), project / "sub") == [
        (project / "products").resolve(),
        (project / "rules").resolve(),
    ]


def test_the_command_line_and_environment_may_point_anywhere(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "dealcheck.yaml", "catalog: [/]\n")  # ignored: an explicit choice wins
    assert find_catalog([Path("/elsewhere")]).paths == (Path("/elsewhere"),)
    assert find_catalog(None, {"DEALCHECK_CATALOG": "/elsewhere"}).paths == (Path("/elsewhere"),)
