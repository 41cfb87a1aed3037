"""The main window: the console, the expert workstations and the supervisor, with a role switcher
(all three in one window for the demo), a language menu and a status bar with the session's stage."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common import PageStack, scrolled, stage_name
from ui.i18n import Languages, add_language_menu, tr

if TYPE_CHECKING:  # the pages load after the window's first paint (the console's others when first shown)
    from app.services.room_view import RoomView
    from ui.console.checkin_page import CheckinPage
    from ui.console.committee_page import CommitteePage
    from ui.console.import_page import ImportPage
    from ui.console.opening_page import OpeningPage
    from ui.console.recording_panel import RecordingPanel
    from ui.console.summary_page import SummaryPage
    from ui.console.venues_page import VenuesPage
    from ui.report.console_page import ReportConsolePage
    from ui.room_client import RoomClient
    from ui.workstation.station import Station

#: the roles' and the console pages' names: Chinese sources (the pages are found by them), shown through tr()
ROLES = (QT_TR_NOOP("主控台"), QT_TR_NOOP("专家工作站"), QT_TR_NOOP("监督"))
CONSOLE_PAGES = (QT_TR_NOOP("会话导入"), QT_TR_NOOP("开标"), QT_TR_NOOP("专家签到"), QT_TR_NOOP("评标委员会"),
                 QT_TR_NOOP("评审进度与汇总"), QT_TR_NOOP("录像监控"), QT_TR_NOOP("远程异地评标"),
                 QT_TR_NOOP("评标报告与归档"))


class _SyncMadeOnFirstPoll:
    """The console's ``ConsoleSync``, imported and made on the database thread at its first poll: its
    import (httpx, cryptography) would otherwise hold up the first paint by far the most."""

    def __init__(self) -> None:
        self._sync: Any = None

    def poll(self, room: Any) -> Any:
        if self._sync is None:
            from app.services.sync import ConsoleSync

            self._sync = ConsoleSync()
        return self._sync.poll(room)

    def stop(self) -> None:
        if self._sync is not None:
            self._sync.stop()


class ConsoleArea(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.nav = QListWidget()
        self.nav.addItems([tr(name) for name in CONSOLE_PAGES])
        self.nav.setStyleSheet("QListWidget { font-size: 16px; } QListWidget::item { padding: 10px 6px; }")
        self.nav.setFixedWidth(170)
        # a name longer than the list (English ones can be) wraps onto a second line instead of scrolling sideways
        from PySide6.QtCore import Qt  # not before the first paint: the namespace's enums take 30-40 ms to build

        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setWordWrap(True)
        self.stack = PageStack()  # sized by the page shown, which scrolls when longer than the screen
        self.client = client
        self._pages: dict[int, QWidget] = {}
        for _ in CONSOLE_PAGES:  # each page is built when first shown: the first paint waits for one page
            self.stack.addWidget(QWidget())
        self.nav.currentRowChanged.connect(self.show_page)
        self.nav.setCurrentRow(0)  # the first page, built now
        from ui.widgets.alarm_bar import AlarmBar

        self.alarm = AlarmBar(client)  # the recording alarms, above every console page
        pages = QVBoxLayout()
        pages.addWidget(self.alarm)
        pages.addWidget(scrolled(self.stack), 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.nav)
        layout.addLayout(pages, 1)

    # a class, or "module:Class" imported when the page is first shown (not before the first paint)
    _KINDS = ("ui.console.import_page:ImportPage", "ui.console.opening_page:OpeningPage",
              "ui.console.checkin_page:CheckinPage", "ui.console.committee_page:CommitteePage",
              "ui.console.summary_page:SummaryPage",
              "ui.console.recording_panel:RecordingPanel", "ui.console.venues_page:VenuesPage",
              "ui.report.console_page:ReportConsolePage")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            for row, name in enumerate(CONSOLE_PAGES):
                self.nav.item(row).setText(tr(name))
        super().changeEvent(event)

    def _page(self, index: int) -> QWidget:
        if index not in self._pages:
            module, name = self._KINDS[index].split(":")
            kind = getattr(import_module(module), name)
            page = kind(self.client)
            old = self.stack.widget(index)
            shown = self.stack.currentWidget() is old
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            if shown:  # the placeholder was on screen: its page takes its place (not a neighbour's blank)
                self.stack.setCurrentWidget(page)
            old.deleteLater()
            self._pages[index] = page
            if hasattr(page, "closed"):  # the page's stage has ended: the console moves on to the next page
                page.closed.connect(lambda i=index: self.show_page(i + 1))
        return self._pages[index]

    def show_page(self, index: int) -> None:
        self._page(index)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)

    @property
    def import_page(self) -> ImportPage:
        return self._page(0)  # type: ignore[return-value]

    @property
    def opening(self) -> OpeningPage:
        return self._page(1)  # type: ignore[return-value]

    @property
    def checkin(self) -> CheckinPage:
        return self._page(2)  # type: ignore[return-value]

    @property
    def committee(self) -> CommitteePage:
        return self._page(3)  # type: ignore[return-value]

    @property
    def summary(self) -> SummaryPage:
        return self._page(4)  # type: ignore[return-value]

    @property
    def report(self) -> ReportConsolePage:
        return self._page(self._KINDS.index("ui.report.console_page:ReportConsolePage"))  # type: ignore[return-value]

    @property
    def recording(self) -> RecordingPanel:
        return self._page(5)  # type: ignore[return-value]

    @property
    def venues(self) -> VenuesPage:
        return self._page(self._KINDS.index("ui.console.venues_page:VenuesPage"))  # type: ignore[return-value]


#: each console page's place in the list, by its class's name ("CheckinPage" …)
PAGE_INDEX = {kind.split(":")[1]: index for index, kind in enumerate(ConsoleArea._KINDS)}


class WorkstationArea(QWidget):
    """In the demo one window plays every workstation: pick the expert, or log a new one in."""

    def __init__(self, client: RoomClient, idle_minutes: float) -> None:
        from ui.workstation.login_page import LoginPage

        super().__init__()
        self.client, self.idle_minutes = client, idle_minutes
        self.picker = QComboBox()
        self.picker.addItem("", None)
        self.stack = PageStack()  # each station's steps scroll by themselves
        self.login = LoginPage(client)
        self.stack.addWidget(self.login)
        self.stations: dict[str, Station] = {}
        bar = QHBoxLayout()
        self.picker_label = QLabel()
        bar.addWidget(self.picker_label)
        bar.addWidget(self.picker)
        bar.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.login.logged_in.connect(self.add_station)
        self.picker.currentIndexChanged.connect(self._pick)
        self.retranslate()

    def retranslate(self) -> None:
        self.picker.setItemText(0, tr("＋ 新登录"))
        self.picker_label.setText(tr("工作站："))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def add_station(self, member: str) -> Station:
        from ui.workstation.station import Station

        station = Station(self.client, member, self.idle_minutes)
        old = self.stations.get(member)  # a login issued again: the new session key replaces the old station
        self.stations[member] = station
        self.stack.addWidget(station)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
            self.picker.setCurrentIndex(self.picker.findData(member))
            self.stack.setCurrentWidget(station)
        else:
            self.picker.addItem(member, member)
            self.picker.setCurrentIndex(self.picker.count() - 1)
        return station

    def _pick(self, index: int) -> None:
        member = self.picker.itemData(index)
        self.stack.setCurrentWidget(self.stations.get(member, self.login))

    def show_station(self, member: str) -> Station:
        self.picker.setCurrentIndex(self.picker.findData(member))
        return self.stations[member]


class _Opening(QLabel):
    """The window's content until its pages are built: its first paint starts the build."""

    def __init__(self, painted: Callable[[], None]) -> None:
        super().__init__(tr("正在打开评标室…"))
        self.setStyleSheet("QLabel { font-size: 20px; color: #555; qproperty-alignment: AlignCenter; }")
        self._painted: Callable[[], None] | None = painted

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self._painted is not None:
            painted, self._painted = self._painted, None
            QTimer.singleShot(0, painted)


class _FirstPaint(QObject):
    """Calls ``painted`` on the next turn of the event loop after ``widget``'s first paint (once)."""

    def __init__(self, widget: QWidget, painted: Callable[[], None]) -> None:
        super().__init__(widget)
        self._painted = painted
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._painted)
        return False


class MainWindow(QMainWindow):
    """The window paints its frame first (title, menus' place, an "opening" line) and builds the roles'
    pages right after that first paint, so the room sees a window at once. Asking for any part of the
    full window before then (``window.console``, ``select_role`` ...) builds it on the spot. Work that
    would compete with the pages for the interpreter (the demo opening its session on the database thread)
    waits for them: :meth:`after_pages`."""

    def __init__(self, client: RoomClient, languages: Languages, idle_minutes: float = 10) -> None:
        super().__init__()
        self.client, self.languages = client, languages
        self.setWindowTitle(tr("EvalRoom 评标室"))
        self.resize(1280, 800)
        self.idle_minutes = idle_minutes
        #: called with the language code after the menu switch (the start screen saves it in the settings)
        self.on_language: Callable[[str], None] | None = None
        self._built = False
        self._after_pages: list[Callable[[], None]] | None = []  # None: the built pages have been painted
        self.setCentralWidget(_Opening(self.build))

    def after_pages(self, work: Callable[[], None], latest_ms: int = 500) -> None:
        """Run ``work`` (on the GUI thread) once the built pages have been painted, or after ``latest_ms`` at
        the latest (a window never shown, or minimised, paints nothing); at once if they have been painted."""
        pending = self._after_pages
        if pending is None:
            QTimer.singleShot(0, work)
            return
        once: list[Callable[[], None]] = [work]

        def run() -> None:
            if once:
                once.pop()()

        pending.append(run)
        QTimer.singleShot(latest_ms, self, run)

    def _pages_painted(self) -> None:
        pending, self._after_pages = self._after_pages, None
        for run in pending or ():
            run()

    def __getattr__(self, name: str) -> Any:
        # only reached for an attribute not set yet: one of the full window's, before it was built
        if name.startswith("__") or self.__dict__.get("_built", True):
            raise AttributeError(name)
        self.build()
        return getattr(self, name)

    def build(self) -> None:
        """Build the roles, the menus and the status bar (once)."""
        if self._built:
            return
        self._built = True
        from ui.widgets.sync_status import SyncStatusLabel, SyncStatusPoller

        client = self.client
        self.console = ConsoleArea(client)
        self._workstations: WorkstationArea | None = None
        self._supervisor: QWidget | None = None
        self.areas = PageStack()  # the console, the workstations, the supervisor: sized by the one shown
        self.areas.addWidget(self.console)
        for _ in range(2):  # the workstation and supervisor areas are built when first shown
            self.areas.addWidget(QWidget())
        self.role_buttons = QButtonGroup(self)
        roles = QHBoxLayout()
        self.roles_label = QLabel()
        roles.addWidget(self.roles_label)
        for index in range(len(ROLES)):
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(34)
            self.role_buttons.addButton(button, index)
            roles.addWidget(button)
        roles.addStretch()
        self.role_buttons.idClicked.connect(self.select_role)
        self.role_buttons.button(0).setChecked(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(roles)
        layout.addWidget(self.areas, 1)
        self.setCentralWidget(body)
        _FirstPaint(body, self._pages_painted)
        self._menus()
        self.stage = QLabel()
        self.clock = QLabel()
        self.busy = QProgressBar()  # shown while an action is being written (the GUI never waits for it)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        self.statusBar().addWidget(self.stage, 1)
        self.sync_status = SyncStatusLabel()  # last sync with the center, pending, last error (read off the GUI thread)
        self.statusBar().addPermanentWidget(self.sync_status)
        SyncStatusPoller(client, self.sync_status, sync=_SyncMadeOnFirstPoll())  # type: ignore[arg-type]
        self.hub: Any = None  # ui.console.hub_poller.HubPoller when this console runs the room hub
        if client.hub_listen:
            from ui.console.hub_poller import HubPoller
            from ui.widgets.hub_status import HubStatusLabel

            self.hub = HubPoller(client, client.hub_listen, self)
            self.hub_status = HubStatusLabel(self.hub)
            self.statusBar().addPermanentWidget(self.hub_status)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.clock)
        timer = QTimer(self)
        timer.timeout.connect(self._tick)
        timer.start(1000)
        self._tick()
        client.changed.connect(self.show_view)
        self.retranslate()
        from ui.console.venues_page import LinkWatcher

        LinkWatcher.of(client)  # remote venues' links are watched whichever page is shown
        if client.view is not None:
            self.show_view(client.view)

    def _menus(self) -> None:
        from ui.widgets.system_menu import add_system_menu

        self.system_menu, self.quit_action = add_system_menu(self)  # 系统 → 退出 (Ctrl+Q; kiosk mode: 授权退出)
        self.language_actions = add_language_menu(self, self.languages, self.set_language)
        self.help_menu = self.menuBar().addMenu("")
        self.about = QAction(self)
        self.about.triggered.connect(lambda: self.statusBar().showMessage(
            tr("EvalRoom 评标室：开标、签到、评审、汇总，全程签名留痕。"), 8000))
        self.help_menu.addAction(self.about)

    def retranslate(self) -> None:
        """The window's own texts in the current language (its pages set theirs in their own ``retranslate``)."""
        from ui.widgets.system_menu import retranslate_system_menu

        self.setWindowTitle(tr("EvalRoom 评标室"))
        if not self.__dict__.get("_built"):
            return
        self.roles_label.setText(tr("角色："))
        for index, name in enumerate(ROLES):
            self.role_buttons.button(index).setText(tr(name))
        retranslate_system_menu(self.system_menu, self.quit_action)
        self.help_menu.setTitle(tr("帮助"))
        self.about.setText(tr("关于 EvalRoom"))
        if self.client.view is not None:
            self.show_view(self.client.view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, code: str) -> None:
        self.languages.switch(code)
        self.language_actions[code].setChecked(True)
        self.client.redraw()  # tables and messages are drawn again in the new language, before this returns
        if self.on_language is not None:
            self.on_language(code)

    @property
    def workstations(self) -> WorkstationArea:
        if self._workstations is None:
            self._workstations = WorkstationArea(self.client, self.idle_minutes)
            self._place(1, self._workstations)
        return self._workstations

    @property
    def supervisor(self):  # type: ignore[no-untyped-def]
        if self._supervisor is None:
            from ui.supervisor.supervisor_page import SupervisorPage

            self._supervisor = SupervisorPage(self.client)
            self._place(2, self._supervisor, scrolled(self._supervisor))  # a long page scrolls
        return self._supervisor

    def _place(self, index: int, area: QWidget, shown: QWidget | None = None) -> None:
        """Put ``area`` in the role's place (``shown``: the widget that holds it there, as a scroll area)."""
        current = self.areas.currentIndex()
        old = self.areas.widget(index)
        self.areas.insertWidget(index, shown or area)
        self.areas.removeWidget(old)
        old.deleteLater()
        self.areas.setCurrentIndex(current)
        if self.client.view is not None and hasattr(area, "show_view"):
            area.show_view(self.client.view)

    def select_role(self, index: int) -> None:
        _ = self.workstations if index == 1 else self.supervisor if index == 2 else self.console  # built on first use
        self.role_buttons.button(index).setChecked(True)
        self.areas.setCurrentIndex(index)

    def _tick(self) -> None:
        from datetime import datetime

        self.clock.setText(datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
        self.busy.setVisible(self.client.pending > 0)

    def show_view(self, view: RoomView) -> None:
        paused = tr("　【已中止】") if view.paused else ""
        stage = stage_name(view)
        self.stage.setText(tr("{project} · 标段 {lot}　当前环节：{stage}").format(
            project=view.case.project.name, lot=view.case.lot.code, stage=stage) + paused)
