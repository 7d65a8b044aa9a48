<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../../ui/log_model.py" line="42"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="43"/>
        <source>操作人</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="44"/>
        <source>计算机</source>
        <translation>Computer</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="45"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="46"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="47"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="50"/>
        <source>这一行在写入后被修改过（内容与其哈希不符）</source>
        <translation>This row was changed after it was written (its content does not match its hash)</translation>
    </message>
    <message>
        <location filename="../../../ui/log_model.py" line="51"/>
        <source>与前一条不相连：前一条被删除或修改过</source>
        <translation>Does not follow from the row before: that one was deleted or changed</translation>
    </message>
</context>
</TS>
