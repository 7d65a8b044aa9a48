<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../../ui/pages/settings.py" line="74"/>
        <source>常规</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="76"/>
        <source>违禁词库</source>
        <translation>Banned words</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="92"/>
        <location filename="../../../ui/pages/settings.py" line="167"/>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="113"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="118"/>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="119"/>
        <source>保存所有修改（Ctrl+S）</source>
        <translation>Save every change (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="122"/>
        <source>还原(&amp;R)</source>
        <translation>&amp;Revert</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="123"/>
        <source>放弃未保存的修改，恢复为已保存的设置</source>
        <translation>Drop the unsaved changes and go back to the saved settings</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="175"/>
        <source>清理过期记录…</source>
        <translation>Purge old records…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="176"/>
        <source>删除超过保留期限的发送记录（只删除已有结果的短信）</source>
        <translation>Delete send records older than the retention period (only messages with a final result)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="264"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="266"/>
        <source>有 %1 项修改尚未保存</source>
        <translation>%1 change(s) not saved yet</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="273"/>
        <source>已恢复为保存的设置</source>
        <translation>Back to the saved settings</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="288"/>
        <source>有 %1 项设置无效，未保存。请按提示修改。</source>
        <translation>%1 setting(s) are not valid; nothing was saved. Correct them as shown.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="314"/>
        <source>设置已保存。界面语言将在重新启动程序后生效。</source>
        <translation>Settings saved. The language changes when the program is started again.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="316"/>
        <source>设置已保存</source>
        <translation>Settings saved</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="347"/>
        <source>没有超过保留期限（%1 个月）的发送记录</source>
        <translation>No send records are older than the retention period (%1 months)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="350"/>
        <source>删除 %1 之前的 %2 条发送记录？记录保留 %3 个月，此操作不能撤销，删除情况会写入操作日志。</source>
        <translation>Delete the %2 send records from before %1? Records are kept %3 months; this cannot be undone, and the purge is written to the audit log.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="355"/>
        <source>清理过期记录</source>
        <translation>Purge old records</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="359"/>
        <source>正在清理过期记录…</source>
        <translation>Purging old records…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/settings.py" line="370"/>
        <source>已删除 %1 条过期发送记录</source>
        <translation>Deleted %1 old send records</translation>
    </message>
</context>
</TS>
