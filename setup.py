"""One build step pyproject.toml cannot declare: compile the Chinese translation into the package.

The .qm is not in git; building the package makes it from the .ts with lrelease (from pyside6-essentials,
a build requirement in pyproject.toml), so a wheel, and so `pip install .`, carries a working translation.
Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# The build backend runs this file without the project folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ui import translations_build  # no Qt import: it only runs pyside6-lrelease


class BuildPyWithTranslations(build_py):
    """build_py, then lrelease: resources/translations/NAME.ts becomes NAME.qm in the build folder."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # An editable install reads resources/ from the source tree: compile there, as the bootstrap does.
            translations_build.build()
            return
        for ts, qm in self._translations():
            # Always compiled afresh: a stale .qm lying in the source tree must not reach the wheel.
            qm.parent.mkdir(parents=True, exist_ok=True)
            translations_build.compile_ts(ts, qm)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return outputs + [str(qm) for _, qm in self._translations() if str(qm) not in outputs]

    def _translations(self) -> list[tuple[Path, Path]]:
        target = Path(self.build_lib, "resources", "translations")
        sources = sorted(translations_build.TRANSLATIONS.glob("*.ts"))
        return [(ts, target / ts.with_suffix(".qm").name) for ts in sources]


setup(cmdclass={"build_py": BuildPyWithTranslations})
