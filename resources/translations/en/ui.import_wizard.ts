<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../../ui/import_wizard.py" line="105"/>
        <source>导入联系人</source>
        <translation>Import contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="109"/>
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="110"/>
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="111"/>
        <source>查看报告(&amp;R) &gt;</source>
        <translation>See the &amp;report &gt;</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="112"/>
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="113"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="140"/>
        <source>选择要导入的文件</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="142"/>
        <source>电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
        <translation>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="148"/>
        <source>保存未导入的行</source>
        <translation>Save the rows not imported</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="148"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard.py" line="307"/>
        <source>%1-未导入.xlsx</source>
        <translation>%1-not imported.xlsx</translation>
    </message>
</context>
</TS>
