"""The first window: unlock a vault, create a new one, or restore one from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.vault.paths import free_vault_path
from app.vault.unlock_throttle import TooManyAttempts, UnlockThrottle
from ui.error_box import describe
from ui.guidance import enable
from ui.operations import QueryOp
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.vault.session import KdfParams, Session

VAULT_FILTER = "*.xuncha"


def _sessions() -> type[Session]:
    # Imported when first needed (on the DB worker), not to show this window: it imports every service,
    # which would double the time to the first window (bench/bench_startup.py).
    from app.vault.session import Session

    return Session


class PathField(QWidget):
    """A vault path with a 选择… button; `save` picks a new file, otherwise an existing one."""

    changed = Signal(Path)

    def __init__(self, path: Path, save: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.edit = QLineEdit(str(path))
        self.edit.setMinimumWidth(360)
        self.edit.textChanged.connect(lambda text: self.changed.emit(Path(text)))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    @property
    def path(self) -> Path:
        return Path(self.edit.text().strip()).expanduser()

    def set_path(self, path: Path) -> None:
        self.edit.setText(str(path))

    def _browse(self) -> None:
        title = self.tr("Vault file")
        pattern = self.tr("Vaults ({0})").format(VAULT_FILTER)
        if self._save:
            chosen, _ = QFileDialog.getSaveFileName(self, title, str(self.path), pattern)
            if chosen and not chosen.endswith(".xuncha"):
                chosen += ".xuncha"
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, title, str(self.path.parent), pattern)
        if chosen:
            self.set_path(Path(chosen))


class UnlockWindow(QWidget):
    """Emits `unlocked(session)` once a vault is open. Holds no secret after that: fields are cleared."""

    unlocked = Signal(object)

    def __init__(
        self, runner: TaskRunner, vault_path: Path, kdf: KdfParams | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._kdf = kdf  # None: calibrate on this machine (tests pass cheap parameters)
        self.setWindowTitle(self.tr("Inspection Field Workbench"))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._unlock_page(vault_path))
        self._create: QWidget | None = None  # built when first shown: most starts only unlock
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._update_throttle)

        title = QLabel(self.tr("Inspection Field Workbench"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(self.tr("Offline and encrypted: everything stays on this computer, locked with "
                                  "your password."))
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 30, 36, 30)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        self.show_mode_for(vault_path)

    # ---- pages ---------------------------------------------------------------------------------------

    def _unlock_page(self, vault_path: Path) -> QWidget:
        page = QWidget()
        self.vault_field = PathField(vault_path, save=False)
        self.vault_field.changed.connect(lambda _p: self._update_throttle())
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Vault password"))
        self.password.returnPressed.connect(self.unlock)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.unlock_error = QLabel()
        self.unlock_error.setWordWrap(True)
        self.unlock_error.setStyleSheet("color: #b3261e;")
        create = QPushButton(self.tr("New vault…"))
        create.setFlat(True)
        create.clicked.connect(lambda: self.show_create())
        restore = QPushButton(self.tr("Restore from backup…"))
        restore.setFlat(True)
        restore.clicked.connect(self._restore)

        form = QFormLayout()
        form.addRow(self.tr("Vault"), self.vault_field)
        form.addRow(self.tr("Password"), self.password)
        links = QHBoxLayout()
        links.addWidget(create)
        links.addWidget(restore)
        links.addStretch(1)
        links.addWidget(self.unlock_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.unlock_error)
        layout.addLayout(links)
        layout.addStretch(1)
        return page

    def _create_page(self, vault_path: Path) -> QWidget:
        from app.core.domain import Role  # the domain model: not imported to show the unlock page

        page = QWidget()
        self.owner_name = QLineEdit()
        self.owner_name.setPlaceholderText(self.tr("e.g. 王建国"))
        self.role = QComboBox()
        for role in (Role.LEADER, Role.DEPUTY, Role.MEMBER, Role.LOCAL, Role.OFFICE):
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(2)
        self.new_vault_field = PathField(vault_path, save=True)
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.textChanged.connect(self._update_strength)
        self.repeat_password = QLineEdit()
        self.repeat_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_password.returnPressed.connect(self.create_vault)
        self.strength = QLabel()
        self.strength.setWordWrap(True)
        self.create_error = QLabel()
        self.create_error.setWordWrap(True)
        self.create_error.setStyleSheet("color: #b3261e;")
        self.create_button = QPushButton(self.tr("Create vault"))
        self.create_button.clicked.connect(self.create_vault)
        back = QPushButton(self.tr("Back"))
        back.setFlat(True)
        back.clicked.connect(self.show_unlock)

        form = QFormLayout()
        form.addRow(self.tr("Your name"), self.owner_name)
        form.addRow(self.tr("Role in the group"), self.role)
        form.addRow(self.tr("Vault file"), self.new_vault_field)
        form.addRow(self.tr("Password"), self.new_password)
        form.addRow(self.tr("Repeat password"), self.repeat_password)
        form.addRow("", self.strength)
        hint = QLabel(self.tr("The password cannot be recovered. Use at least 10 characters; several "
                              "unrelated words work well. Keep an encrypted backup."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.create_error)
        layout.addLayout(buttons)
        layout.addStretch(1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), page, self.show_unlock)
        return page

    # ---- modes ---------------------------------------------------------------------------------------

    def show_mode_for(self, vault_path: Path) -> None:
        if vault_path.exists():
            self.show_unlock()
        else:
            self.show_create(vault_path)

    def show_unlock(self) -> None:
        self.pages.setCurrentIndex(0)
        self._update_throttle()
        self.password.setFocus()

    def show_create(self, path: Path | None = None) -> None:
        proposed = path or free_vault_path(self.vault_field.path)  # never the vault already there
        if self._create is None:
            self._create = self._create_page(proposed)
            self.pages.addWidget(self._create)
        self.new_vault_field.set_path(proposed)
        self.pages.setCurrentWidget(self._create)
        self.owner_name.setFocus()

    def clear_secrets(self) -> None:
        fields = [self.password] if self._create is None else [self.password, self.new_password,
                                                                   self.repeat_password]
        for field in fields:
            field.clear()

    # ---- unlock ----------------------------------------------------------------------------------------

    def _update_throttle(self) -> None:
        wait = UnlockThrottle(self.vault_field.path).wait_seconds()
        if wait > 0:
            enable(self.unlock_button, False, TooManyAttempts(wait).zh)
            self.unlock_error.setText(TooManyAttempts(wait).zh)
            self._countdown.start()
        elif self._countdown.isActive():
            self._countdown.stop()
            enable(self.unlock_button, True)
            self.unlock_error.clear()

    def unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        path, password = self.vault_field.path, self.password.text()
        if not password:
            self.unlock_error.setText(self.tr("Enter the vault password."))
            return
        self._set_busy(self.unlock_button, self.tr("Unlocking…"))
        self.unlock_error.clear()
        QueryOp(self, lambda _job: _sessions().unlock(path, password), self._opened).failure(
            self._unlock_failed).run_in_background(self.runner)

    def _unlock_failed(self, exc: BaseException) -> None:
        self._set_idle(self.unlock_button, self.tr("Unlock"))
        self.unlock_error.setText(describe(exc))
        self.password.selectAll()
        self.password.setFocus()
        self._update_throttle()

    # ---- create ----------------------------------------------------------------------------------------

    def _update_strength(self, text: str) -> None:
        if not text:
            self.strength.clear()
            return
        from app.vault.passwords import assess  # zxcvbn's word lists: only once a new password is typed

        result = assess(text, [self.owner_name.text()])
        self.strength.setText(result.zh)
        self.strength.setStyleSheet("color: #1b6e3a;" if result.acceptable else "color: #9a5b00;")

    def create_vault(self) -> None:
        name, path = self.owner_name.text().strip(), self.new_vault_field.path
        password, repeat = self.new_password.text(), self.repeat_password.text()
        from app.core.domain import Role

        role = Role(self.role.currentData())  # Qt hands the enum back as a plain str
        if not name:
            self.create_error.setText(self.tr("Enter your name."))
            self.owner_name.setFocus()
            return
        if password != repeat:
            self.create_error.setText(self.tr("The two passwords differ."))
            self.repeat_password.selectAll()
            self.repeat_password.setFocus()
            return
        if path.exists() and not path.is_dir():  # a folder: the service says so (这是一个文件夹)
            self.create_error.setText(self.tr("A file already exists there; choose another name."))
            return
        self.create_error.clear()
        self._set_busy(self.create_button, self.tr("Creating…"))
        kdf = self._kdf
        QueryOp(self, lambda _job: _sessions().create(path, password, name, role, kdf), self._opened).failure(
            self._create_failed).run_in_background(self.runner)

    def _create_failed(self, exc: BaseException) -> None:
        self._set_idle(self.create_button, self.tr("Create vault"))
        self.create_error.setText(describe(exc))

    # ---- restore ---------------------------------------------------------------------------------------

    def _restore(self) -> None:
        from ui.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.runner, self.vault_field.path, self)
        dialog.restored.connect(self._restored)
        dialog.open()

    def _restored(self, target: Path, kept: object) -> None:
        self.vault_field.set_path(target)
        message = self.tr("Restored. Unlock it with the backup's password.")
        if kept:
            message += " " + self.tr("The previous vault is kept, still encrypted, at {0}.").format(kept)
        self.unlock_error.setStyleSheet("color: #1b6e3a;")
        self.unlock_error.setText(message)
        self.show_unlock()

    # ---- shared ----------------------------------------------------------------------------------------

    def _opened(self, session: Session) -> None:
        self._set_idle(self.unlock_button, self.tr("Unlock"))
        if self._create is not None:
            self._set_idle(self.create_button, self.tr("Create vault"))
        self.clear_secrets()
        self.unlock_error.clear()
        self.unlock_error.setStyleSheet("color: #b3261e;")
        self.vault_field.set_path(session.path)
        self.unlocked.emit(session)

    def _set_busy(self, button: QPushButton, text: str) -> None:
        button.setEnabled(False)
        button.setText(text)
        self.pages.setEnabled(False)

    def _set_idle(self, button: QPushButton, text: str) -> None:
        button.setText(text)
        button.setEnabled(True)
        self.pages.setEnabled(True)
