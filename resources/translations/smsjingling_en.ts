<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>ContactsModel</name>
    <message>
      <location filename="../../ui/contacts_model.py" line="58" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="59" />
      <source>手机号码</source>
      <translation>Mobile</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="60" />
      <source>运营商</source>
      <translation>Carrier</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="61" />
      <source>归属地</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="62" />
      <source>分组</source>
      <translation>Groups</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="63" />
      <source>部门</source>
      <translation>Department</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="64" />
      <source>退订</source>
      <translation>Opted out</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="191" />
      <source>座机</source>
      <translation>Landline</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="199" />
      <source>已退订</source>
      <translation>Opted out</translation>
    </message>
    <message>
      <location filename="../../ui/contacts_model.py" line="206" />
      <source>号段归属运营商；携号转网后可能已变更</source>
      <translation>Carrier the number range was allocated to; the number may have been ported since</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <location filename="../../ui/import_dialog.py" line="75" />
      <location filename="../../ui/import_dialog.py" line="202" />
      <location filename="../../ui/import_dialog.py" line="296" />
      <source>导入联系人</source>
      <translation>Import contacts</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="80" />
      <source>Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件</source>
      <translation>Excel (.xlsx/.xls), WPS/LibreOffice (.ods) or CSV file</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="81" />
      <source>浏览…</source>
      <translation>Browse…</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="88" />
      <source>可选；多个分组用逗号分隔</source>
      <translation>Optional; separate several groups with commas</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="91" />
      <source>更新已有联系人（只补充，不清空）</source>
      <translation>Update existing contacts (fill in, never erase)</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="92" />
      <source>跳过已有联系人</source>
      <translation>Skip existing contacts</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="93" />
      <source>已有联系人只加入分组</source>
      <translation>Only add existing contacts to the groups</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="97" />
      <source>文件：</source>
      <translation>File:</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="98" />
      <source>加入分组：</source>
      <translation>Add to groups:</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="99" />
      <source>号码已存在时：</source>
      <translation>If the number exists:</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="103" />
      <source>第一行应为表头，如“姓名、手机号码、部门、分组”；程序会自动识别各列。导入是整体进行的：出错或取消时通讯录不会改变。</source>
      <translation>The first row should be a header such as “姓名, 手机号码, 部门, 分组”; the columns are recognised automatically. The import is all or nothing: after an error or a cancel the book is unchanged.</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="112" />
      <source>导入结果将显示在这里。</source>
      <translation>The result of the import will be shown here.</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="116" />
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="119" />
      <source>保存未导入的行…</source>
      <translation>Save rejected rows…</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="122" />
      <source>关闭</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="160" />
      <source>选择要导入的文件</source>
      <translation>Choose the file to import</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="162" />
      <source>电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
      <translation>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="168" />
      <source>保存未导入的行</source>
      <translation>Save rejected rows</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="168" />
      <source>Excel 工作簿 (*.xlsx)</source>
      <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="199" />
      <location filename="../../ui/import_dialog.py" line="201" />
      <source>正在导入 %1…</source>
      <translation>Importing %1…</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="201" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="225" />
      <source>正在取消，请稍候…</source>
      <translation>Cancelling, please wait…</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="235" />
      <source>已处理 %1 / %2 行…</source>
      <translation>%1 of %2 rows processed…</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="252" />
      <source>新建分组：%1</source>
      <translation>New groups: %1</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="256" />
      <source>未导入的行（前 %1 条）：</source>
      <translation>Rejected rows (first %1):</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="257" />
      <source>第 %1 行：%2</source>
      <translation>Row %1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="269" />
      <source>导入失败：%1</source>
      <translation>The import failed: %1</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="276" />
      <source>%1-未导入.xlsx</source>
      <translation>%1-rejected.xlsx</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="287" />
      <source>未导入的行已保存到 %1</source>
      <translation>The rejected rows were saved to %1</translation>
    </message>
    <message>
      <location filename="../../ui/import_dialog.py" line="296" />
      <source>无法保存文件：%1</source>
      <translation>Cannot save the file: %1</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="78" />
      <source>短信精灵 — 通讯录</source>
      <translation>SMS Jingling — Contacts</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="107" />
      <source>导入…</source>
      <translation>Import…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="108" />
      <source>从 Excel 或 CSV 文件导入联系人</source>
      <translation>Import contacts from an Excel or CSV file</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="112" />
      <source>导出…</source>
      <translation>Export…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="113" />
      <source>把当前列表中的联系人导出为 Excel 或 CSV 文件</source>
      <translation>Export the contacts in the list to an Excel or CSV file</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="116" />
      <location filename="../../ui/main_window.py" line="346" />
      <source>新建分组</source>
      <translation>New group</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="119" />
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="123" />
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="127" />
      <source>工具栏</source>
      <translation>Toolbar</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="150" />
      <source>搜索姓名、手机号码或部门</source>
      <translation>Search name, mobile or department</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="197" />
      <source>分组</source>
      <translation>Groups</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="222" />
      <source>数据库：%1</source>
      <translation>Database: %1</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="264" />
      <source>全部联系人 (%1)</source>
      <translation>All contacts (%1)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="305" />
      <source>找到 %1 位联系人</source>
      <translation>%1 contacts found</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="307" />
      <source>共 %1 位联系人</source>
      <translation>%1 contacts</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="327" />
      <source>通讯录.xlsx</source>
      <translation>contacts.xlsx</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="329" />
      <source>导出联系人</source>
      <translation>Export contacts</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="329" />
      <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
      <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="334" />
      <source>正在导出…</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="338" />
      <source>已导出 %1 位联系人到 %2</source>
      <translation>Exported %1 contacts to %2</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="346" />
      <source>分组名称：</source>
      <translation>Group name:</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="369" />
      <source>删除分组“%1”？分组中的联系人仍保留在通讯录中。</source>
      <translation>Delete the group “%1”? Its contacts stay in the book.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="370" />
      <source>删除分组</source>
      <translation>Delete group</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="382" />
      <source>删除选中的 %1 位联系人？此操作无法撤销。</source>
      <translation>Delete the %1 selected contacts? This cannot be undone.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="383" />
      <source>删除联系人</source>
      <translation>Delete contacts</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="389" />
      <source>已删除 %1 位联系人</source>
      <translation>Deleted %1 contacts</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="411" />
      <source>发生意外错误：%1</source>
      <translation>Unexpected error: %1</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="413" />
      <source>短信精灵</source>
      <translation>SMS Jingling</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <location filename="../../ui/app.py" line="44" />
      <source>短信精灵 — 无法打开数据库</source>
      <translation>SMS Jingling — cannot open the database</translation>
    </message>
  </context>
</TS>
