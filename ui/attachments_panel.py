"""A record's attachments: thumbnails, add files (or drop them here), view an image, remove.

Files are checked, stripped of their metadata and encrypted into the vault on the DB worker, with a
progress dialog that can cancel (all of a batch or none). Images are viewed inside the app from the
decrypted bytes in memory; nothing decrypted is ever written to a file, which is also why PDFs are listed
but not opened here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.domain import Attachment, Record
from ui.context import Context
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp

THUMB = 96


def human_size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, n // 1024)} KB"


class ImageViewer(QDialog):
    """An attachment's image, scaled to the window; the bytes live only in this dialog's memory."""

    def __init__(self, attachment: Attachment, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(attachment.filename)
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setPixmap(pixmap.scaled(1100, 800, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation))
        scroll = QScrollArea()
        scroll.setWidget(label)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        self.resize(min(1140, pixmap.width() + 40), min(860, pixmap.height() + 40))


class AttachmentsPanel(QWidget):
    changed = Signal()
    summary_changed = Signal(str)  # the heading of its section: 附件（3）

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record: Record | None = None
        self.setAcceptDrops(True)
        self.title = QLabel(self.tr("Attachments"))
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWrapping(False)
        self.list.setFixedHeight(THUMB + 48)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._view)
        self.list.currentItemChanged.connect(lambda _now, _before: self._update_remove())
        self.add_button = QPushButton(self.tr("Add files…"))
        self.add_button.clicked.connect(self._choose)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self._remove)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title.hide()  # its section's heading says it, with the count (summary_changed)
        layout.addWidget(self.hint)
        layout.addLayout(row)

    def summary(self) -> str:
        if self.record is None:
            return self.tr("Attachments (after saving)")
        count = self.list.count()
        return self.tr("Attachments ({0})").format(count) if count else self.tr("Attachments (none)")

    def _update_remove(self) -> None:
        enable(self.remove_button, self.record is not None and self.list.currentItem() is not None,
               self.tr("Save the record first.") if self.record is None
               else self.tr("Select an attachment above first."))

    def show_record(self, record: Record | None) -> None:
        self.record = record
        self.list.clear()
        self.list.setFixedHeight(2 * self.list.fontMetrics().height() + 12)
        enable(self.add_button, record is not None, self.tr("Save the record first, then add photos, scans or PDFs."))
        self._update_remove()
        self.summary_changed.emit(self.summary())
        if record is None:
            self.hint.setText(self.tr("Save the record first, then add photos, scans or PDFs."))
            return
        self.hint.setText(self.tr("Photos, scans and PDFs; drop files here. Location and camera data are "
                                  "removed from photos."))
        service = self.ctx.session.attachments
        record_id = record.id

        def task(_job: Job) -> list[tuple[Attachment, bytes | None]]:
            return [(a, service.thumbnail(a.id) if a.has_thumbnail else None) for a in service.for_record(record_id)]

        QueryOp(self, task, self._show).run_in_background(self.ctx)

    def _show(self, items: list[tuple[Attachment, bytes | None]]) -> None:
        self.list.clear()
        for attachment, thumb in items:
            item = QListWidgetItem(f"{attachment.filename}\n{human_size(attachment.byte_size)}")
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            if thumb:
                pixmap = QPixmap()
                pixmap.loadFromData(thumb)
                item.setIcon(QIcon(pixmap))
            else:
                item.setIcon(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
            item.setToolTip(self.tr("{0}, {1}{2}").format(
                attachment.media_type.value, human_size(attachment.byte_size),
                self.tr(", downscaled from {0}").format(human_size(attachment.original_size))
                if attachment.downscaled else ""))
            self.list.addItem(item)
        self.title.setText(self.tr("Attachments ({0})").format(len(items)) if items else self.tr("Attachments"))
        self.list.setFixedHeight(THUMB + 48 if items else 2 * self.list.fontMetrics().height() + 12)
        self._update_remove()
        self.summary_changed.emit(self.summary())

    # ---- adding ---------------------------------------------------------------------------------------

    def _choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add attachments"), "",
            self.tr("Photos, scans and PDFs (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.pdf);;All files (*)"))
        if files:
            self.add_paths([Path(f) for f in files])

    def add_paths(self, paths: list[Path]) -> None:
        record = self.record
        if record is None or not paths:
            return
        service = self.ctx.session.attachments
        CollectionOp(self, lambda job: service.add_files(paths, record.id, job.progress, job.cancelled)).success(
            lambda _added: self._changed(record)).failure_title(self.tr("Attachment not added")).with_progress(
            self.tr("Adding attachments…"), cancellable=True).run_in_background(self.ctx
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.record is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_paths(paths)

    # ---- viewing and removing -------------------------------------------------------------------------

    def _view(self, item: QListWidgetItem) -> None:
        attachment: Attachment = item.data(Qt.ItemDataRole.UserRole)
        if attachment.width is None:
            QMessageBox.information(self, attachment.filename, self.tr(
                "PDFs are kept encrypted in the vault and travel in bundles; they are not opened here, since "
                "another program would need a decrypted copy on disk."))
            return
        service = self.ctx.session.attachments
        QueryOp(self, lambda _job: service.read_all(attachment.id),
                lambda data: ImageViewer(attachment, data, self).open()).run_in_background(self.ctx)

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        attachment: Attachment = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(self, self.tr("Remove attachment"),
                                      self.tr("Remove “{0}” from this record?").format(attachment.filename))
        if answer != QMessageBox.StandardButton.Yes:
            return
        service, record = self.ctx.session.attachments, self.record
        CollectionOp(self, lambda _job: service.delete(attachment.id)).success(
            lambda _c: self._changed(record)).run_in_background(self.ctx)

    def _changed(self, record: Record | None) -> None:
        self.show_record(record)
        self.changed.emit()
