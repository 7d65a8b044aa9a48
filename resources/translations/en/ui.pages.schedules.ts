<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>SchedulesPage</name>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="100"/>
        <location filename="../../../ui/pages/schedules.py" line="290"/>
        <source>立即运行</source>
        <translation>Run now</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="100"/>
        <source>现在就发送一次（Ctrl+R）；重复的任务之后仍按规则发送</source>
        <translation>Send once now (Ctrl+R); a repeating schedule keeps to its rule afterwards</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="104"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="104"/>
        <source>暂停任务：到时不发送，直到继续</source>
        <translation>Pause the schedule: nothing is sent until it is resumed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="106"/>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="106"/>
        <source>继续已暂停的任务</source>
        <translation>Resume the paused schedule</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="108"/>
        <source>修改时间…</source>
        <translation>Change time…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="108"/>
        <source>修改首次发送时间和重复规则（F2）</source>
        <translation>Change the start time and how it repeats (F2)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="111"/>
        <location filename="../../../ui/pages/schedules.py" line="309"/>
        <source>取消任务</source>
        <translation>Cancel schedule</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="111"/>
        <source>取消任务：以后不再发送（已发出的不受影响）</source>
        <translation>Cancel the schedule: nothing more is sent (what was sent stays sent)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="115"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="115"/>
        <source>重新读取定时任务（F5）</source>
        <translation>Read the schedules again (F5)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="118"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="127"/>
        <source>显示已结束的</source>
        <translation>Show ended ones</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="128"/>
        <source>也列出已完成、已取消、已开始发送和较早错过的任务</source>
        <translation>Also list completed, cancelled and started schedules, and ones missed longer ago</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="204"/>
        <source>共 %1 个定时任务，%2 个等待发送</source>
        <translation>%1 schedules, %2 waiting to send</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="206"/>
        <source>；%1 个有错过的发送</source>
        <translation>; %1 with missed sends</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="233"/>
        <source>营销短信</source>
        <translation>marketing</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="233"/>
        <source>通知短信</source>
        <translation>notice</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="235"/>
        <source>“%1”（%2）：%3</source>
        <translation>“%1” (%2): %3</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="236"/>
        <source>接收人：%1</source>
        <translation>Recipients: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="239"/>
        <source>上次发送：%1</source>
        <translation>Last send: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="242"/>
        <source>错过 %1 次：到时程序未在运行，且超过了 %2 分钟的宽限时间。</source>
        <translation>Missed %1 time(s): the program was not running at the time and the grace period of %2 minutes had passed.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="286"/>
        <source>现在就发送“%1”？接收人：%2。</source>
        <translation>Send “%1” now? Recipients: %2.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="289"/>
        <source>这是额外的一次，之后仍按“%1”发送。</source>
        <translation> This is one extra send; the schedule stays “%1”.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="292"/>
        <source>“%1”已开始发送</source>
        <translation>“%1” is being sent</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="297"/>
        <source>“%1”已暂停</source>
        <translation>“%1” is paused</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="302"/>
        <source>“%1”已继续</source>
        <translation>“%1” is resumed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="308"/>
        <source>取消定时任务“%1”？取消后不再发送，也不能恢复。</source>
        <translation>Cancel the schedule “%1”? Nothing more will be sent, and it cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="311"/>
        <source>“%1”已取消</source>
        <translation>“%1” is cancelled</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/schedules.py" line="323"/>
        <source>“%1”的发送时间已修改</source>
        <translation>The time of “%1” was changed</translation>
    </message>
</context>
</TS>
