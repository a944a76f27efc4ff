"""Cache directories: matched by pattern, sized, bounded by depth and by the time budget."""

from __future__ import annotations

import time
from pathlib import Path

from aim.config.model import ScanSettings
from aim.scanner import scan
from tests.scanner.scanutil import make_file

PATTERNS = (".ruff_cache", "__pycache__", "node_modules\\.cache")


def settings(*roots: Path | str, **more: object) -> ScanSettings:
    return ScanSettings(roots=tuple(str(r) for r in roots), cache_patterns=PATTERNS,
                        **more)  # type: ignore[arg-type]


def caches(root: Path, **more: object) -> dict[str, tuple[int, int]]:
    """``{relative path: (size, files)}`` of the caches found under ``root``."""
    report = scan(settings(root, **more), path_env="")
    assert not report.truncated, report.notes
    return {str(Path(c.path).relative_to(root)): (c.size, c.files) for c in report.caches}


def test_cache_tree_with_sizes(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    make_file(proj / ".ruff_cache" / "a", 1000)
    make_file(proj / ".ruff_cache" / "0.5" / "b", 2000)
    make_file(proj / ".ruff_cache" / "__pycache__" / "c", 500)  # inside a cache: not separate
    make_file(proj / "web" / "node_modules" / ".cache" / "babel" / "d", 4096)
    make_file(proj / "web" / ".cache" / "e", 100)  # '.cache' alone is not a pattern
    make_file(proj / "pkg" / "__pycache__" / "m.pyc", 300)
    make_file(proj / ".git" / "__pycache__" / "x.pyc", 999)  # .git is never searched
    make_file(proj / "src" / "main.py", 50)
    (proj / "pkg" / "__pycache__" / "link").symlink_to(proj / "src" / "main.py")
    assert caches(proj) == {".ruff_cache": (3500, 3), "web/node_modules/.cache": (4096, 1),
                            "pkg/__pycache__": (300, 1)}


def test_caches_are_listed_largest_first_with_their_pattern(tmp_path: Path) -> None:
    make_file(tmp_path / "small" / "__pycache__" / "a", 10)
    make_file(tmp_path / "big" / ".ruff_cache" / "a", 10_000)
    report = scan(settings(tmp_path), path_env="")
    assert [(Path(c.path).parent.name, c.pattern) for c in report.caches] == [
        ("big", ".ruff_cache"), ("small", "__pycache__")]
    assert report.findings == 2 and report.cache_bytes == 10_010


def test_min_size_kb_drops_small_caches(tmp_path: Path) -> None:
    make_file(tmp_path / "a" / "__pycache__" / "x", 1023)
    make_file(tmp_path / "b" / "__pycache__" / "x", 1024)
    assert caches(tmp_path, min_size_kb=1) == {"b/__pycache__": (1024, 1)}


def test_max_depth_is_honoured(tmp_path: Path) -> None:
    make_file(tmp_path / "a" / "b" / ".ruff_cache" / "x", 10)  # the cache is 3 levels down
    assert caches(tmp_path, max_depth=3) == {"a/b/.ruff_cache": (10, 1)}
    assert caches(tmp_path, max_depth=2) == {}


def test_a_symlink_loop_does_not_hang_and_is_not_followed(tmp_path: Path) -> None:
    make_file(tmp_path / "a" / "__pycache__" / "x", 10)
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a")
    (tmp_path / "linked-cache").symlink_to(tmp_path / "a" / "__pycache__")
    report = scan(settings(tmp_path, max_depth=50, time_budget=5), path_env="")
    assert not report.truncated and report.duration < 5
    assert [c.path for c in report.caches] == [str(tmp_path / "a" / "__pycache__")]
    assert any("3 directory symlink(s) not followed" in note for note in report.notes)


def test_overlapping_roots_count_a_cache_once(tmp_path: Path) -> None:
    make_file(tmp_path / "sub" / "__pycache__" / "x", 10)
    report = scan(settings(tmp_path, tmp_path / "sub"), path_env="")
    assert len(report.caches) == 1
    assert report.notes == (f"scan root {tmp_path / 'sub'} was already scanned under another "
                            "root",)


def test_roots_expand_home_and_variables(tmp_path: Path, isolated_home: Path) -> None:
    make_file(isolated_home / "Projects" / "__pycache__" / "x", 10)
    make_file(tmp_path / "work" / "__pycache__" / "y", 20)
    env = {"HOME": str(isolated_home), "WORK": str(tmp_path / "work")}
    report = scan(settings("~/Projects", "$WORK"), env=env, path_env="")
    assert sorted(c.size for c in report.caches) == [10, 20]


def test_a_missing_root_is_a_note_not_an_error(tmp_path: Path) -> None:
    make_file(tmp_path / "here" / "__pycache__" / "x", 10)
    report = scan(settings(tmp_path / "gone", tmp_path / "here"), path_env="")
    assert len(report.caches) == 1 and not report.truncated
    assert report.notes == (f"scan root {tmp_path / 'gone'} does not exist or is not a "
                            "directory",)


def test_a_tiny_time_budget_truncates_with_a_note(tmp_path: Path) -> None:
    for i in range(20):
        make_file(tmp_path / f"d{i}" / "__pycache__" / "x", 10)
    report = scan(settings(tmp_path, time_budget=1e-9), path_env="")
    assert report.truncated and len(report.caches) < 20
    assert any("time budget" in note and "results are partial" in note
               for note in report.notes)
    assert report.to_dict()["truncated"] is True


def test_a_passed_deadline_truncates_even_with_a_generous_budget(tmp_path: Path) -> None:
    make_file(tmp_path / "d" / "__pycache__" / "x", 10)
    report = scan(settings(tmp_path, time_budget=60), path_env="",
                  deadline=time.monotonic() - 1)
    assert report.truncated and report.caches == ()


def test_roots_read_like_the_config_reads_them(tmp_path: Path, isolated_home: Path) -> None:
    """%USERPROFILE% and %LOCALAPPDATA% roots mean on POSIX what config.show says they mean."""
    from aim.config.expand import expand

    make_file(isolated_home / "Projects" / "__pycache__" / "x", 10)
    make_file(isolated_home / ".local" / "share" / "tools" / "__pycache__" / "y", 20)
    env = {"HOME": str(isolated_home)}
    roots = ("%USERPROFILE%\\Projects", "%LOCALAPPDATA%\\tools")
    report = scan(settings(*roots), env=env, path_env="")
    assert sorted(c.size for c in report.caches) == [10, 20]
    assert sorted(c.path for c in report.caches) == sorted(
        f"{expand(root, env, posix=True)}/__pycache__" for root in roots)
