"""`xuncha-gui`: the desktop app's entry point. Parses arguments before Qt starts, so --help needs no screen.

The shipped interface is Simplified Chinese; XUNCHA_LANG=en shows the English source strings instead
(for developers and reviewers).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.vault import hardening
from app.vault.paths import default_vault_path

if TYPE_CHECKING:  # Qt is imported late, after the environment is set up
    from PySide6.QtCore import QCoreApplication, QTranslator

APP_NAME = "xuncha"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="xuncha-gui", description="巡察外业工作台 (xuncha desktop app)")
    parser.add_argument("--vault", type=Path, default=None,
                        help="保险库文件 (vault file); default: the last one opened, else per-user")
    parser.add_argument("--version", action="version", version=f"xuncha {__version__}")
    return parser.parse_args(argv)


def install_translations(app: QCoreApplication) -> list[QTranslator]:
    """Load Qt's own Chinese strings and ours; returns the translators (they must stay alive)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if os.environ.get("XUNCHA_LANG", "zh_CN") == "en":
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translators: list[QTranslator] = []
    qt = QTranslator(app)
    if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt)
    # qt_extra: what PySide6's qtbase_zh_CN leaves in English (the file dialog's 查找范围, 文件类型, 文件夹).
    for name in ("qt_extra_zh_CN.qm", "xuncha_zh_CN.qm"):
        ours = QTranslator(app)
        qm = resources.files("resources").joinpath(f"translations/{name}")
        # A real file both from the source tree and in the frozen app, so as_file() makes no copy.
        with resources.as_file(qm) as path:
            if ours.load(str(path)):
                translators.append(ours)
    for translator in translators:
        app.installTranslator(translator)
    return translators


def chinese_dates(env: Mapping[str, str], platform: str) -> dict[str, str]:
    """What to add to the environment before Qt starts so the dates Qt formats with the *system* locale
    (the file dialog's 修改日期 column) read as Chinese: on Linux Qt takes that locale from LC_ALL, LC_TIME or
    LANG, and a desktop set to C or English gives "2 12 2026 09:49". Windows and macOS take it from the
    user's settings, which a Chinese system already has; a Chinese locale already set is left alone."""
    if not platform.startswith("linux") or env.get("XUNCHA_LANG", "zh_CN") == "en":
        return {}
    current = env.get("LC_ALL") or env.get("LC_TIME") or env.get("LANG") or ""
    if current.startswith("zh"):
        return {}
    return {"LC_TIME": "zh_CN.UTF-8"} if not env.get("LC_ALL") else {}


def input_method(env: Mapping[str, str], plugins: Iterable[str]) -> str | None:
    """The QT_IM_MODULE to set before Qt starts, or None to leave it alone. PySide6's Qt ships input-context
    plugins for ibus and compose only (the Linux release build adds fcitx5's, build.spec); without an fcitx
    plugin, a 信创 desktop (UOS, Kylin) running fcitx or fcitx5 asks Qt for one it cannot find, and then
    Chinese cannot be typed at all. fcitx5 also speaks the IBus protocol (its ibus frontend, on by
    default), so the app asks for ibus there (docs/platforms.md)."""
    wanted = env.get("QT_IM_MODULE", "") or ("fcitx" if "fcitx" in env.get("XMODIFIERS", "") else "")
    if wanted.startswith("fcitx") and not any("fcitx" in name for name in plugins):
        return "ibus"
    return None


def _input_context_plugins() -> list[str]:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    return [p.name for p in folder.iterdir()] if folder.is_dir() else []


def _set_icon(app: QCoreApplication) -> None:
    """The app's seal (resources/icons) on every window and in the taskbar."""
    from PySide6.QtGui import QGuiApplication, QIcon

    png = resources.files("resources").joinpath("icons/xuncha.png")
    with resources.as_file(png) as path:
        if path.is_file() and isinstance(app, QGuiApplication):
            app.setWindowIcon(QIcon(str(path)))


def main(argv: list[str] | None = None) -> int:
    hardening.disable_core_dumps()
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from PySide6.QtWidgets import QApplication

    os.environ.update(chinese_dates(os.environ, sys.platform))
    if sys.platform.startswith("linux"):
        module = input_method(os.environ, _input_context_plugins())
        if module is not None:
            os.environ["QT_IM_MODULE"] = module

    from ui.settings import LAST_VAULT, Settings
    from ui.shell import Shell

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName("巡察外业工作台")
    _set_icon(app)
    translators = install_translations(app)
    settings = Settings()
    vault = args.vault or (Path(str(settings.get(LAST_VAULT))) if settings.get(LAST_VAULT) else None)
    shell = Shell(vault or default_vault_path(), settings)
    shell.start()
    try:
        return int(app.exec())
    finally:
        shell.shutdown()
        del translators


if __name__ == "__main__":
    sys.exit(main())
