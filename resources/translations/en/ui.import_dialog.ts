<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../../ui/import_dialog.py" line="75"/>
        <location filename="../../../ui/import_dialog.py" line="202"/>
        <location filename="../../../ui/import_dialog.py" line="296"/>
        <source>导入联系人</source>
        <translation>Import contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="80"/>
        <source>Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件</source>
        <translation>Excel (.xlsx/.xls), WPS/LibreOffice (.ods) or CSV file</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="81"/>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="88"/>
        <source>可选；多个分组用逗号分隔</source>
        <translation>Optional; separate several groups with commas</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="91"/>
        <source>更新已有联系人（只补充，不清空）</source>
        <translation>Update existing contacts (fill in, never erase)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="92"/>
        <source>跳过已有联系人</source>
        <translation>Skip existing contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="93"/>
        <source>已有联系人只加入分组</source>
        <translation>Only add existing contacts to the groups</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="97"/>
        <source>文件：</source>
        <translation>File:</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="98"/>
        <source>加入分组：</source>
        <translation>Add to groups:</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="99"/>
        <source>号码已存在时：</source>
        <translation>If the number exists:</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="103"/>
        <source>第一行应为表头，如“姓名、手机号码、部门、分组”；程序会自动识别各列。导入是整体进行的：出错或取消时通讯录不会改变。</source>
        <translation>The first row should be a header such as “姓名, 手机号码, 部门, 分组”; the columns are recognised automatically. The import is all or nothing: after an error or a cancel the book is unchanged.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="112"/>
        <source>导入结果将显示在这里。</source>
        <translation>The result of the import will be shown here.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="116"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="119"/>
        <source>保存未导入的行…</source>
        <translation>Save rejected rows…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="122"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="160"/>
        <source>选择要导入的文件</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="162"/>
        <source>电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
        <translation>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="168"/>
        <source>保存未导入的行</source>
        <translation>Save rejected rows</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="168"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="199"/>
        <location filename="../../../ui/import_dialog.py" line="201"/>
        <source>正在导入 %1…</source>
        <translation>Importing %1…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="201"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="225"/>
        <source>正在取消，请稍候…</source>
        <translation>Cancelling, please wait…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="235"/>
        <source>已处理 %1 / %2 行…</source>
        <translation>%1 of %2 rows processed…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="252"/>
        <source>新建分组：%1</source>
        <translation>New groups: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="256"/>
        <source>未导入的行（前 %1 条）：</source>
        <translation>Rejected rows (first %1):</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="257"/>
        <source>第 %1 行：%2</source>
        <translation>Row %1: %2</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="269"/>
        <source>导入失败：%1</source>
        <translation>The import failed: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="276"/>
        <source>%1-未导入.xlsx</source>
        <translation>%1-rejected.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="287"/>
        <source>未导入的行已保存到 %1</source>
        <translation>The rejected rows were saved to %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_dialog.py" line="296"/>
        <source>无法保存文件：%1</source>
        <translation>Cannot save the file: %1</translation>
    </message>
</context>
</TS>
