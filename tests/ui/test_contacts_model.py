"""The lazily paged contacts model, the group tree model and the background worker, over a real SQLite file
database. Both models pass Qt's model tester."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt, QThread

from smsjingling.contacts import search
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.search import ContactQuery
from smsjingling.errors import ValidationError
from tests.core.test_contacts_substring import scan_only
from ui.contact_mime import CONTACT_IDS_MIME, contact_ids
from ui.contacts_model import PAGE_SIZE, Column, ContactsModel
from ui.group_tree_model import GROUP_ID_ROLE, GroupTreeModel, Node
from ui.worker import Worker


@pytest.fixture
def worker(qtbot) -> Iterator[Worker]:
    w = Worker()
    yield w
    w.shutdown()
    w.deleteLater()


def settled(qtbot, model: ContactsModel, worker: Worker) -> None:
    qtbot.waitUntil(lambda: not model.loading and not model.counting and not worker.busy, timeout=10_000)


def make_model(qtbot, book: ContactBook, worker: Worker, query: ContactQuery | None = None) -> ContactsModel:
    model = ContactsModel(book, worker)
    with qtbot.waitSignal(model.first_page, timeout=10_000):
        if query is None:
            model.refresh()
        else:
            model.set_query(query)
    settled(qtbot, model, worker)
    return model


def add_three(book: ContactBook) -> None:
    book.add("张三", "13800138000", fields={"部门": "办公室"}, groups=["领导"])
    book.add("李四", "13900139000", fields={"部门": "财务科"}, groups=["员工", "领导"])
    book.add("王五", "18612345678", fields={"部门": "办公室"}, groups=["员工"])


def cell(model: ContactsModel, row: int, column: int) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def names(model: ContactsModel) -> list[str]:
    return [cell(model, r, Column.NAME) for r in range(model.rowCount())]


# -- paging -----------------------------------------------------------------------------------------


def test_thousand_contacts_load_a_page_at_a_time(qtbot, book: ContactBook, worker: Worker) -> None:
    for i in range(1000):
        book.add(f"联系人{i:04d}", f"1380013{i:04d}")
    model = make_model(qtbot, book, worker)

    assert model.rowCount() == PAGE_SIZE == 200
    assert model.total == 1000  # counted after the first page
    assert model.canFetchMore(QModelIndex())

    with qtbot.waitSignal(model.page_loaded, timeout=10_000) as blocker:
        model.fetchMore(QModelIndex())
        # A second request while the page is on its way must not read the same page twice.
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
    assert names(model) == sorted(names(model))


def test_a_short_list_is_counted_by_its_only_page(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = make_model(qtbot, book, worker)
    assert model.total == 3 and not model.counting
    assert not model.canFetchMore(QModelIndex())


def test_a_scan_reads_on_until_its_first_page_is_full(
    qtbot, book: ContactBook, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(30):
        book.add(f"员工{i:02d}", f"1380013{i:04d}", fields={"部门": "财务科" if i % 3 == 0 else "办公室"})
    scan_only(book)  # the table read span by span, as without the substring index
    monkeypatch.setattr(search, "SCAN_SPAN", 4)
    monkeypatch.setattr(search, "SCAN_BUDGET_S", 0.0)  # every read hands back after four ids
    model = ContactsModel(book, worker)
    pages: list[int] = []
    model.page_loaded.connect(pages.append)
    with qtbot.waitSignal(model.first_page, timeout=10_000) as first:
        model.set_query(ContactQuery(text="财务科"))
    assert first.args == [10]
    assert len(pages) > 3  # the rows came in as the scan went on
    settled(qtbot, model, worker)
    assert model.total == 10 and not model.canFetchMore(QModelIndex())


def test_columns_show_the_record(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    book.add_optout("13900139000", "manual")
    model = make_model(qtbot, book, worker)

    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["姓名", "手机号码", "运营商", "归属地", "分组", "部门", "退订"]
    lisi = names(model).index("李四")
    assert cell(model, lisi, Column.PHONE) == "13900139000"
    assert cell(model, lisi, Column.CARRIER) == "移动"
    assert cell(model, lisi, Column.GROUPS) == "员工、领导"
    assert cell(model, lisi, Column.DEPARTMENT) == "财务科"
    assert cell(model, lisi, Column.OPTED_OUT) == "已退订"
    assert model.data(model.index(lisi, Column.NAME), Qt.ItemDataRole.ForegroundRole) is not None
    wangwu = names(model).index("王五")
    assert cell(model, wangwu, Column.CARRIER) == "联通"
    assert cell(model, wangwu, Column.OPTED_OUT) == ""
    assert model.data(model.index(wangwu, Column.NAME), Qt.ItemDataRole.UserRole).phone == "+8618612345678"


def test_search_filters(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    by_name = make_model(qtbot, book, worker, ContactQuery(text="张"))
    assert names(by_name) == ["张三"]
    assert by_name.total == 1

    by_phone = make_model(qtbot, book, worker, ContactQuery(text="1861234"))
    assert names(by_phone) == ["王五"]

    by_department = make_model(qtbot, book, worker, ContactQuery(text="办公室"))
    assert sorted(names(by_department)) == ["张三", "王五"]

    nothing = make_model(qtbot, book, worker, ContactQuery(text="赵六"))
    assert nothing.rowCount() == 0
    assert nothing.total == 0
    assert not nothing.canFetchMore(QModelIndex())


def test_typing_on_after_nothing_was_found_asks_no_one(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = make_model(qtbot, book, worker, ContactQuery(text="赵"))
    assert model.total == 0
    with qtbot.waitSignal(model.first_page, timeout=1_000) as blocker:
        model.set_query(ContactQuery(text="赵六"))
        assert not model.loading and not worker.busy  # answered on the spot
    assert blocker.args == [0] and model.total == 0
    # A query that does not extend the empty one goes to the database again.
    with qtbot.waitSignal(model.first_page, timeout=10_000):
        model.set_query(ContactQuery(text="王"))
        assert model.loading
    assert names(model) == ["王五"]


def test_group_filters(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    leaders = book.group("领导")
    model = make_model(qtbot, book, worker, ContactQuery(group_id=leaders.id))
    assert sorted(names(model)) == ["张三", "李四"]
    with qtbot.waitSignal(model.first_page, timeout=10_000):
        model.set_query(ContactQuery(text="李", group_id=book.group("员工").id))
    assert names(model) == ["李四"]


def test_a_late_page_of_an_old_query_is_dropped(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = ContactsModel(book, worker)
    with qtbot.waitSignal(model.first_page, timeout=10_000) as blocker:
        model.set_query(ContactQuery(text="张"))
        model.set_query(ContactQuery(text="王"))  # typed on before the first page came back
    settled(qtbot, model, worker)
    assert blocker.args == [1]
    assert names(model) == ["王五"]


def test_a_new_query_cancels_the_reads_of_the_old_one(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    gate, started = threading.Event(), threading.Event()
    seen: list[bool] = []
    original = book.page

    def slow_page(*args, **kwargs):
        if not started.is_set():
            started.set()
            gate.wait(5)
            seen.append(kwargs["cancel"].is_set())
        return original(*args, **kwargs)

    book.page = slow_page  # type: ignore[method-assign]
    model = ContactsModel(book, worker)
    model.set_query(ContactQuery(text="张"))
    assert started.wait(5)
    with qtbot.waitSignal(model.first_page, timeout=10_000):
        model.set_query(ContactQuery(text="李"))
        gate.set()
    settled(qtbot, model, worker)
    assert seen == [True]  # the first read was told to stop
    assert names(model) == ["李四"]


def test_refresh_sees_new_contacts(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = make_model(qtbot, book, worker)
    assert model.rowCount() == 3
    book.add("赵六", "13700137000")
    with qtbot.waitSignal(model.total_changed, timeout=10_000) as blocker:
        model.refresh()
    assert blocker.args == [4]
    qtbot.waitUntil(lambda: model.rowCount() == 4)


def test_changed_contacts_are_redrawn_in_place(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = make_model(qtbot, book, worker)
    zhang = model.record(names(model).index("张三"))
    book.add_to_group([zhang.id], "全体")
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.update_records(book.records([zhang.id])) == 1
    row = names(model).index("张三")
    assert blocker.args[0].row() == row and cell(model, row, Column.GROUPS) == "全体、领导"
    assert model.update_records(book.records([zhang.id])) == 0  # nothing new


def test_rows_drag_out_as_contact_ids_and_text(qtbot, book: ContactBook, worker: Worker) -> None:
    add_three(book)
    model = make_model(qtbot, book, worker)
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    mime = model.mimeData([model.index(0, Column.NAME), model.index(0, Column.PHONE), model.index(2, 0)])
    assert contact_ids(mime) == [model.record(0).id, model.record(2).id]
    assert mime.text().splitlines()[0] == f"{model.record(0).name}\t{cell(model, 0, Column.PHONE)}"
    assert model.mimeTypes() == [CONTACT_IDS_MIME, "text/plain"]
    junk = QMimeData()
    junk.setData(CONTACT_IDS_MIME, b'["1", 2]')
    assert contact_ids(junk) == [] and contact_ids(QMimeData()) == []


def test_the_contacts_model_passes_the_model_tester(qtbot, qtmodeltester, book: ContactBook, worker: Worker) -> None:
    for i in range(250):
        book.add(f"联系人{i:03d}", f"1390013{i:04d}", groups=["全体"] if i % 2 else [])
    model = make_model(qtbot, book, worker)
    qtmodeltester.check(model)
    settled(qtbot, model, worker)  # the tester may have asked for the next page
    qtmodeltester.check(model)


# -- the group tree -----------------------------------------------------------------------------------


def tree_with_groups(book: ContactBook) -> GroupTreeModel:
    add_three(book)
    book.add_optout("13900139000", "manual")
    model = GroupTreeModel()
    model.set_groups(book.groups(), book.count(), book.count(ContactQuery(opted_out=True)))
    return model


def test_the_group_tree_shows_counts_under_all_contacts(qtbot, book: ContactBook) -> None:
    model = tree_with_groups(book)
    top = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert top == ["全部联系人 (3)", "已退订 (1)"]
    under = model.all_index()
    assert [model.data(model.index(r, 0, under)) for r in range(model.rowCount(under))] == ["员工 (2)", "领导 (2)"]
    leaders = model.group_index(book.group("领导").id)
    assert model.data(leaders, GROUP_ID_ROLE) == book.group("领导").id
    assert model.data(leaders, Qt.ItemDataRole.EditRole) == "领导"
    assert model.kind(leaders) is Node.GROUP and model.kind(model.opted_out_index()) is Node.OPTED_OUT
    assert model.flags(leaders) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.all_index()) & Qt.ItemFlag.ItemIsEditable


def test_contacts_drop_onto_groups_only(qtbot, book: ContactBook) -> None:
    model = tree_with_groups(book)
    mime = QMimeData()
    mime.setData(CONTACT_IDS_MIME, b"[1, 3]")
    leaders = model.group_index(book.group("领导").id)
    copy = Qt.DropAction.CopyAction
    assert model.canDropMimeData(mime, copy, -1, -1, leaders)
    assert not model.canDropMimeData(mime, copy, -1, -1, model.all_index())
    assert not model.canDropMimeData(mime, copy, -1, -1, model.opted_out_index())
    assert not model.canDropMimeData(mime, copy, 0, 0, model.all_index())  # between items
    text = QMimeData()
    text.setText("张三")
    assert not model.canDropMimeData(text, copy, -1, -1, leaders)
    with qtbot.waitSignal(model.contacts_dropped) as blocker:
        assert model.dropMimeData(mime, copy, -1, -1, leaders)
    assert blocker.args == [[1, 3], "领导"]


def test_renaming_in_the_tree_asks_the_page(qtbot, book: ContactBook) -> None:
    model = tree_with_groups(book)
    staff = model.group_index(book.group("员工").id)
    with qtbot.waitSignal(model.rename_requested) as blocker:
        assert model.setData(staff, " 职工 ")
    assert blocker.args == ["员工", "职工"]
    assert model.data(staff) == "职工 (2)"
    assert not model.setData(staff, "  ")  # a name is needed
    assert not model.setData(model.all_index(), "所有人")


def test_the_group_tree_passes_the_model_tester(qtbot, qtmodeltester, book: ContactBook) -> None:
    model = tree_with_groups(book)
    qtmodeltester.check(model)
    model.set_groups([], None, None)
    qtmodeltester.check(model)
    assert model.data(model.all_index()) == "全部联系人"


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
