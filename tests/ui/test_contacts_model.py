"""The lazily paged contacts model and the background worker, over a real SQLite file database."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThread

from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.search import ContactQuery
from smsjingling.errors import ValidationError
from ui.contacts_model import PAGE_SIZE, Column, ContactsModel
from ui.worker import Worker


@pytest.fixture
def worker(qtbot) -> Iterator[Worker]:
    w = Worker()
    yield w
    w.shutdown()
    w.deleteLater()


def make_model(qtbot, book: ContactBook, worker: Worker, query: ContactQuery | None = None) -> ContactsModel:
    model = ContactsModel(book, worker)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        if query is None:
            model.refresh()
        else:
            model.set_query(query)
    return model


def add_three(book: ContactBook) -> None:
    book.add("张三", "13800138000", fields={"部门": "办公室"}, groups=["领导"])
    book.add("李四", "13900139000", fields={"部门": "财务科"}, groups=["员工", "领导"])
    book.add("王五", "18612345678", fields={"部门": "办公室"}, groups=["员工"])


def cell(model: ContactsModel, row: int, column: int) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


# -- paging -----------------------------------------------------------------------------------------


def test_thousand_contacts_load_a_page_at_a_time(qtbot, book: ContactBook, worker: Worker) -> None:
    for i in range(1000):
        book.add(f"联系人{i:04d}", f"1380013{i:04d}")
    model = make_model(qtbot, book, worker)

    assert model.rowCount() == PAGE_SIZE == 200
    assert model.total == 1000
    assert model.canFetchMore(QModelIndex())

    with qtbot.waitSignal(model.page_loaded, timeout=10_000) as blocker:
        model.fetchMore(QModelIndex())
        # A second request while the page is on its way must not load the same offset twice.
        assert not model.canFetchMore(QModelIndex())
        model.fetchMore(QModelIndex())
    assert blocker.args == [400]
    assert model.rowCount() == 400
    assert cell(model, 200, Column.NAME) == "联系人0200"

    while model.canFetchMore(QModelIndex()):
        with qtbot.waitSignal(model.page_loaded, timeout=10_000):
            model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    assert not model.canFetchMore(QModelIndex())
    assert len({model.record(r).id for r in range(1000)}) == 1000


def test_columns_show_the_record(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    book.add_optout("13900139000", "manual")
    model = make_model(qtbot, book, worker)

    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["姓名", "手机号码", "运营商", "归属地", "分组", "部门", "退订"]
    names = [cell(model, r, Column.NAME) for r in range(model.rowCount())]
    lisi = names.index("李四")
    assert cell(model, lisi, Column.PHONE) == "13900139000"
    assert cell(model, lisi, Column.CARRIER) == "移动"
    assert cell(model, lisi, Column.GROUPS) == "员工、领导"
    assert cell(model, lisi, Column.DEPARTMENT) == "财务科"
    assert cell(model, lisi, Column.OPTED_OUT) == "已退订"
    assert model.data(model.index(lisi, Column.NAME), Qt.ItemDataRole.ForegroundRole) is not None
    wangwu = names.index("王五")
    assert cell(model, wangwu, Column.CARRIER) == "联通"
    assert cell(model, wangwu, Column.OPTED_OUT) == ""
    assert model.data(model.index(wangwu, Column.NAME), Qt.ItemDataRole.UserRole).phone == "+8618612345678"


def test_search_filters(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    by_name = make_model(qtbot, book, worker, ContactQuery(text="张"))
    assert [cell(by_name, r, Column.NAME) for r in range(by_name.rowCount())] == ["张三"]
    assert by_name.total == 1

    by_phone = make_model(qtbot, book, worker, ContactQuery(text="1861234"))
    assert [cell(by_phone, r, Column.NAME) for r in range(by_phone.rowCount())] == ["王五"]

    by_department = make_model(qtbot, book, worker, ContactQuery(text="办公室"))
    assert sorted(cell(by_department, r, Column.NAME) for r in range(by_department.rowCount())) == ["张三", "王五"]

    nothing = make_model(qtbot, book, worker, ContactQuery(text="赵六"))
    assert nothing.rowCount() == 0
    assert nothing.total == 0
    assert not nothing.canFetchMore(QModelIndex())


def test_group_filters(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    leaders = book.group("领导")
    model = make_model(qtbot, book, worker, ContactQuery(group_id=leaders.id))
    assert sorted(cell(model, r, Column.NAME) for r in range(model.rowCount())) == ["张三", "李四"]
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.set_query(ContactQuery(text="李", group_id=book.group("员工").id))
    assert [cell(model, r, Column.NAME) for r in range(model.rowCount())] == ["李四"]


def test_a_late_page_of_an_old_query_is_dropped(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = ContactsModel(book, worker)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000) as blocker:
        model.set_query(ContactQuery(text="张"))
        model.set_query(ContactQuery(text="王"))  # typed on before the first page came back
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)
    assert blocker.args == [1]
    assert [cell(model, r, Column.NAME) for r in range(model.rowCount())] == ["王五"]


def test_refresh_sees_new_contacts(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = make_model(qtbot, book, worker)
    assert model.rowCount() == 3
    book.add("赵六", "13700137000")
    with qtbot.waitSignal(model.total_changed, timeout=10_000) as blocker:
        model.refresh()
    assert blocker.args == [4]
    qtbot.waitUntil(lambda: model.rowCount() == 4)


# -- the worker -------------------------------------------------------------------------------------


def test_worker_delivers_result_and_progress_on_the_gui_thread(qtbot, worker: Worker) -> None:
    gui_thread = QThread.currentThread()
    seen: list[tuple[str, object, bool]] = []

    def job(cancel: threading.Event, progress) -> str:
        assert QThread.currentThread() != gui_thread
        progress(1, 2)
        progress(2, 2)
        return "fertig"

    with qtbot.waitSignal(worker.idle, timeout=10_000):
        worker.run(
            job,
            on_result=lambda value: seen.append(("result", value, QThread.currentThread() == gui_thread)),
            on_progress=lambda done, total: seen.append(
                ("progress", (done, total), QThread.currentThread() == gui_thread)
            ),
        )
    assert seen == [("progress", (1, 2), True), ("progress", (2, 2), True), ("result", "fertig", True)]
    assert not worker.busy


def test_worker_delivers_errors(qtbot, worker: Worker) -> None:
    errors: list[BaseException] = []

    def job(cancel: threading.Event, progress) -> None:
        raise ValidationError("group.empty_name")

    with qtbot.waitSignal(worker.idle, timeout=10_000):
        worker.run(job, on_result=lambda _v: pytest.fail("no result expected"), on_error=errors.append)
    assert len(errors) == 1
    assert errors[0].message("zh") == "分组名称不能为空。"


def test_worker_cancel_sets_the_event(qtbot, worker: Worker) -> None:
    started = threading.Event()
    results: list[bool] = []

    def job(cancel: threading.Event, progress) -> bool:
        started.set()
        return cancel.wait(10)

    with qtbot.waitSignal(worker.idle, timeout=10_000):
        task = worker.run(job, on_result=results.append)
        assert started.wait(5)
        task.cancel()
    assert results == [True]
    assert task.cancelled and task.done


def test_emitting_signals_keeps_the_reference_to_true(qtbot, worker: Worker) -> None:
    # PySide6 6.12.0 drops a reference to True on every emit (pyproject excludes it): guard against such a build.
    before = sys.getrefcount(True)
    for _ in range(1000):
        worker.idle.emit()
    assert sys.getrefcount(True) >= before
