<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>GroupTreeModel</name>
    <message>
        <location filename="../../../ui/group_tree_model.py" line="129"/>
        <source>全部联系人</source>
        <translation>All contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/group_tree_model.py" line="131"/>
        <source>已退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/group_tree_model.py" line="140"/>
        <source>退订的号码不会再收到短信</source>
        <translation>Numbers that opted out receive no more messages</translation>
    </message>
    <message>
        <location filename="../../../ui/group_tree_model.py" line="142"/>
        <source>把联系人拖到这里即可加入分组；按 F2 重命名</source>
        <translation>Drag contacts here to add them to the group; press F2 to rename it</translation>
    </message>
</context>
</TS>
