<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>KeywordsModel</name>
    <message>
        <location filename="../../../ui/keywords_model.py" line="33"/>
        <source>关键词</source>
        <translation>Keyword</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="34"/>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="35"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="36"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="73"/>
        <source>启用</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="73"/>
        <source>停用</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="82"/>
        <source>内置词库</source>
        <translation>Built-in list</translation>
    </message>
    <message>
        <location filename="../../../ui/keywords_model.py" line="84"/>
        <source>手工添加</source>
        <translation>Added by hand</translation>
    </message>
</context>
</TS>
