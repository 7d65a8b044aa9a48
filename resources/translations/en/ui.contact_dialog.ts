<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="83"/>
        <source>编辑联系人</source>
        <translation>Edit contact</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="83"/>
        <source>新建联系人</source>
        <translation>New contact</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="91"/>
        <source>如 13800138000 或 010-88886666</source>
        <translation>e.g. 13800138000 or 010-88886666</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="105"/>
        <source>新分组名称</source>
        <translation>New group name</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="106"/>
        <source>添加分组</source>
        <translation>Add group</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="107"/>
        <source>新建一个分组并把此联系人加入其中</source>
        <translation>Create a group and put this contact in it</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="116"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="116"/>
        <source>内容</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="126"/>
        <source>添加字段</source>
        <translation>Add field</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="128"/>
        <source>删除字段</source>
        <translation>Remove field</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="143"/>
        <source>已同意接收短信</source>
        <translation>Agreed to receive messages</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="149"/>
        <source>方式，如 纸质回执、短信回复</source>
        <translation>How, e.g. signed form, SMS reply</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="160"/>
        <source>已退订，不再发送短信</source>
        <translation>Opted out: send no more messages</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="167"/>
        <source>说明（可选）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="177"/>
        <source>登记于 %1</source>
        <translation>Recorded on %1</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="186"/>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="187"/>
        <source>手机号码(&amp;P)：</source>
        <translation>&amp;Phone:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="189"/>
        <source>分组(&amp;G)：</source>
        <translation>&amp;Groups:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="191"/>
        <source>其他字段：</source>
        <translation>Other fields:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="192"/>
        <source>备注(&amp;M)：</source>
        <translation>Re&amp;mark:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="193"/>
        <source>同意：</source>
        <translation>Consent:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="194"/>
        <source>退订：</source>
        <translation>Opt-out:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="208"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="210"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="279"/>
        <location filename="../../../ui/contact_dialog.py" line="281"/>
        <source>字段%1</source>
        <translation>Field %1</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="321"/>
        <source>固定电话，不能接收短信</source>
        <translation>landline, cannot receive SMS</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_dialog.py" line="329"/>
        <source>手机号码为 11 位；座机请带区号</source>
        <translation>Mobile numbers have 11 digits; give landlines with their area code</translation>
    </message>
</context>
</TS>
