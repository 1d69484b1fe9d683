"""Every dependency of dealcheck, test extra included, installs from a wheel on every
CPython it supports, on Linux (glibc 2.28, as Debian 12 and RHEL 9 and newer have),
macOS (arm64) and Windows (x64): no user needs a compiler, RE2's C++ library or a Rust
toolchain. Run by ``.ci/run`` against PyPI as it is that day::

    python scripts/wheels_check.py

pip resolves for another Python with ``--python-version``, but it evaluates environment
markers against the Python running it. So this script evaluates dealcheck's own markers
for each target itself (with ``packaging``) and asks pip, in a dry run that takes wheels
only, for what is left. The markers of dependencies' own dependencies are still pip's
(for the running Python): a close reading, not an exact one.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib.metadata import requires

from packaging.requirements import Requirement

#: The CPythons dealcheck supports: ``requires-python`` up to the newest release.
PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")
LINUX = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)] + ["manylinux2014_x86_64"]
#: (name, pip --platform tags, marker environment, the Pythons to try there)
PLATFORMS = (
    ("Linux x86_64, glibc 2.28", LINUX, {"sys_platform": "linux", "platform_system": "Linux",
                                         "platform_machine": "x86_64", "os_name": "posix"},
     PYTHONS),
    ("macOS arm64", ["macosx_14_0_arm64"], {"sys_platform": "darwin", "platform_system": "Darwin",
                                            "platform_machine": "arm64", "os_name": "posix"},
     PYTHONS[-2:]),
    ("Windows x64", ["win_amd64"], {"sys_platform": "win32", "platform_system": "Windows",
                                    "platform_machine": "AMD64", "os_name": "nt"},
     PYTHONS[-2:]),
)  # fmt: skip
EXTRAS = ("", "test")


def wanted(python: str, environment: dict[str, str]) -> list[str]:
    """dealcheck's requirements (and its test extra's) on ``python`` there, markers dropped."""
    env = {
        **environment,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    out = []
    for line in requires("dealcheck") or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({**env, "extra": e}) for e in EXTRAS):
            requirement.marker = None
            out.append(str(requirement))
    return out


def main() -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as target:
        for name, tags, environment, pythons in PLATFORMS:
            for python in pythons:
                command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet"]
                command += ["--ignore-installed", "--only-binary=:all:", "--target", target]
                command += ["--python-version", python, "--implementation", "cp"]
                for tag in tags:
                    command += ["--platform", tag]
                proc = subprocess.run(
                    [*command, *wanted(python, environment)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if proc.returncode == 0:
                    print(f"ok    CPython {python}, {name}: every dependency from a wheel")
                    continue
                failures += 1
                errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERROR")]
                print(f"FAIL  CPython {python}, {name}: {'; '.join(errors) or proc.stderr}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
