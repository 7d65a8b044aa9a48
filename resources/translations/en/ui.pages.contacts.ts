<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ContactsPage</name>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="108"/>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="109"/>
        <source>从 Excel 或 CSV 文件导入联系人</source>
        <translation>Import contacts from an Excel or CSV file</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="113"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="114"/>
        <source>把当前列表中的联系人导出为 Excel 或 CSV 文件</source>
        <translation>Export the contacts in the list to an Excel or CSV file</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="117"/>
        <location filename="../../../ui/pages/contacts.py" line="350"/>
        <source>新建分组</source>
        <translation>New group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="120"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="124"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="128"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="150"/>
        <source>搜索姓名、手机号码或部门</source>
        <translation>Search name, mobile or department</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="201"/>
        <source>分组</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="219"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="268"/>
        <source>全部联系人 (%1)</source>
        <translation>All contacts (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="309"/>
        <source>找到 %1 位联系人</source>
        <translation>%1 contacts found</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="311"/>
        <source>共 %1 位联系人</source>
        <translation>%1 contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="331"/>
        <source>通讯录.xlsx</source>
        <translation>contacts.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="333"/>
        <source>导出联系人</source>
        <translation>Export contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="333"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="338"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="342"/>
        <source>已导出 %1 位联系人到 %2</source>
        <translation>Exported %1 contacts to %2</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="350"/>
        <source>分组名称：</source>
        <translation>Group name:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="373"/>
        <source>删除分组“%1”？分组中的联系人仍保留在通讯录中。</source>
        <translation>Delete the group “%1”? Its contacts stay in the book.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="374"/>
        <source>删除分组</source>
        <translation>Delete group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="386"/>
        <source>删除选中的 %1 位联系人？此操作无法撤销。</source>
        <translation>Delete the %1 selected contacts? This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="387"/>
        <source>删除联系人</source>
        <translation>Delete contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="393"/>
        <source>已删除 %1 位联系人</source>
        <translation>Deleted %1 contacts</translation>
    </message>
</context>
</TS>
