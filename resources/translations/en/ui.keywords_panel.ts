<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>KeywordsPanel</name>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="92"/>
        <source>勾选的分类参与过滤；取消勾选则停用该分类的全部关键词（仍保留在列表中）</source>
        <translation>Ticked categories are filtered; untick one to switch off all its keywords (they stay on the list)</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="94"/>
        <source>导入词库…</source>
        <translation>Import list…</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="97"/>
        <source>导入服务商提供的词库（.txt、.xlsx、.xls、.csv）；文件中没有分类的词归入左侧选中的分类，选中“全部分类”时归入“服务商词库”</source>
        <translation>Import the vendor&apos;s keyword list (.txt, .xlsx, .xls, .csv); words the file gives no category go into the category chosen on the left, or into “Vendor&apos;s list” when “All categories” is chosen</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="102"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="103"/>
        <source>从列表中删除选中的关键词</source>
        <translation>Delete the selected keywords from the list</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="107"/>
        <source>启用</source>
        <translation>Switch on</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="108"/>
        <source>重新过滤选中的关键词</source>
        <translation>Filter the selected keywords again</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="110"/>
        <source>停用</source>
        <translation>Switch off</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="111"/>
        <source>保留选中的关键词，但不再过滤</source>
        <translation>Keep the selected keywords listed but stop filtering them</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="114"/>
        <source>词库工具栏</source>
        <translation>Keyword toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="125"/>
        <source>输入要添加的关键词</source>
        <translation>Type a keyword to add</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="132"/>
        <source>新词的分类；也可以输入新的分类名称</source>
        <translation>The new keyword&apos;s category; you may also type a new category name</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="135"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="139"/>
        <source>分类：</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="144"/>
        <source>在列表中查找</source>
        <translation>Find in the list</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="172"/>
        <source>分类</source>
        <translation>Categories</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="234"/>
        <source>全部分类 (%1)</source>
        <translation>All categories (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="259"/>
        <source>共 %1 个关键词，%2 个启用</source>
        <translation>%1 keywords, %2 switched on</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="269"/>
        <source>%1 (%2，启用 %3)</source>
        <translation>%1 (%2, %3 on)</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="321"/>
        <source>已添加“%1”（%2）</source>
        <translation>Added “%1” (%2)</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="335"/>
        <source>从词库中删除 %1 个关键词（%2）？</source>
        <translation>Delete %1 keyword(s) (%2) from the list?</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="336"/>
        <source>删除关键词</source>
        <translation>Delete keywords</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="361"/>
        <source>已启用“%1”的 %2 个关键词</source>
        <translation>Switched on %2 keyword(s) of “%1”</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="361"/>
        <source>已停用“%1”的 %2 个关键词</source>
        <translation>Switched off %2 keyword(s) of “%1”</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="369"/>
        <location filename="../../../ui/keywords_panel.py" line="385"/>
        <source>导入词库</source>
        <translation>Import keyword list</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="370"/>
        <source>词库文件 (*.txt *.xlsx *.xls *.csv *.ods);;所有文件 (*)</source>
        <translation>Keyword lists (*.txt *.xlsx *.xls *.csv *.ods);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_panel.py" line="384"/>
        <source>未导入的内容（行、列、内容、原因）：</source>
        <translation>Not imported (row, column, value, reason):</translation>
    </message>
</context>
</TS>
