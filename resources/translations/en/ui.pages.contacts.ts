<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ContactsPage</name>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="143"/>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="143"/>
        <source>从 Excel 或 CSV 文件导入联系人</source>
        <translation>Import contacts from an Excel or CSV file</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="147"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="148"/>
        <source>把当前列表中的联系人导出为 Excel 或 CSV 文件</source>
        <translation>Export the contacts in the list to an Excel or CSV file</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="153"/>
        <location filename="../../../ui/pages/contacts.py" line="626"/>
        <location filename="../../../ui/pages/contacts.py" line="691"/>
        <source>新建分组</source>
        <translation>New group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="153"/>
        <source>新建一个空分组</source>
        <translation>Create an empty group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="156"/>
        <source>重命名分组</source>
        <translation>Rename group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="156"/>
        <source>重命名选中的分组</source>
        <translation>Rename the selected group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="159"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="159"/>
        <source>删除选中的联系人或分组</source>
        <translation>Delete the selected contacts or group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="162"/>
        <source>退订…</source>
        <translation>Opt out…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="162"/>
        <source>选中的联系人不再收到短信</source>
        <translation>The selected contacts receive no more messages</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="165"/>
        <location filename="../../../ui/pages/contacts.py" line="592"/>
        <source>取消退订</source>
        <translation>Opt back in</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="165"/>
        <source>选中的联系人重新可以收到短信</source>
        <translation>The selected contacts may receive messages again</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="168"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="168"/>
        <source>重新读取通讯录</source>
        <translation>Read the book again</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="170"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="170"/>
        <source>搜索联系人</source>
        <translation>Search contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="173"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="208"/>
        <source>搜索姓名、手机号码或部门</source>
        <translation>Search name, mobile or department</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="262"/>
        <source>分组</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="282"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="427"/>
        <source>找到 %1 位联系人</source>
        <translation>%1 contacts found</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="429"/>
        <source>共 %1 位联系人</source>
        <translation>%1 contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="583"/>
        <source>已将 %1 位联系人退订</source>
        <translation>%1 contact(s) opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="591"/>
        <source>让选中的 %1 位联系人重新接收短信？请确认他们已同意。</source>
        <translation>Let the %1 selected contacts receive messages again? Make sure they have agreed.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="598"/>
        <source>已为 %1 位联系人取消退订</source>
        <translation>%1 contact(s) opted back in</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="649"/>
        <source>分组“%1”已改名为“%2”</source>
        <translation>Group “%1” renamed to “%2”</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="686"/>
        <source>已把 %1 位联系人加入“%2”</source>
        <translation>%1 contact(s) added to “%2”</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="701"/>
        <source>已把 %1 位联系人移出“%2”</source>
        <translation>%1 contact(s) taken out of “%2”</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="721"/>
        <source>通讯录.xlsx</source>
        <translation>contacts.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="723"/>
        <source>导出联系人</source>
        <translation>Export contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="723"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="728"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="732"/>
        <source>已导出 %1 位联系人到 %2</source>
        <translation>Exported %1 contacts to %2</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="626"/>
        <location filename="../../../ui/pages/contacts.py" line="691"/>
        <source>分组名称：</source>
        <translation>Group name:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="666"/>
        <source>删除分组“%1”？分组中的联系人仍保留在通讯录中。</source>
        <translation>Delete the group “%1”? Its contacts stay in the book.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="484"/>
        <location filename="../../../ui/pages/contacts.py" line="667"/>
        <source>删除分组</source>
        <translation>Delete group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="137"/>
        <source>新建联系人</source>
        <translation>New contact</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="137"/>
        <source>添加一位联系人</source>
        <translation>Add a contact</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="140"/>
        <source>编辑…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="140"/>
        <source>编辑选中的联系人（双击或回车也可）</source>
        <translation>Edit the selected contact (or double-click it, or press Enter)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="423"/>
        <source>已显示 %1 位，正在统计总数…</source>
        <translation>%1 shown, counting the rest…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="425"/>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="454"/>
        <source>加入分组</source>
        <translation>Add to group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="461"/>
        <source>新建分组…</source>
        <translation>New group…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="462"/>
        <source>移出分组</source>
        <translation>Remove from group</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="542"/>
        <source>已保存联系人“%1”</source>
        <translation>Contact “%1” saved</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="556"/>
        <source>删除选中的 %1 位联系人？此操作无法撤销。</source>
        <translation>Delete the %1 selected contacts? This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="557"/>
        <source>删除联系人</source>
        <translation>Delete contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/contacts.py" line="563"/>
        <source>已删除 %1 位联系人</source>
        <translation>Deleted %1 contacts</translation>
    </message>
</context>
</TS>
