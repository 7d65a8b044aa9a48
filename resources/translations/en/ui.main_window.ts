<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../../ui/main_window.py" line="62"/>
        <location filename="../../../ui/main_window.py" line="185"/>
        <source>短信精灵</source>
        <translation>SMS Jingling</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="141"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="142"/>
        <source>打开数据文件夹</source>
        <translation>Open data folder</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="146"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="152"/>
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="156"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="157"/>
        <source>打开日志文件</source>
        <translation>Open log file</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="160"/>
        <location filename="../../../ui/main_window.py" line="178"/>
        <source>关于短信精灵</source>
        <translation>About SMS Jingling</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="172"/>
        <source>短信精灵 %1

通过短信猫或短信网关群发短信。
数据库：%2</source>
        <translation>SMS Jingling %1

Bulk SMS through GSM modems or an SMS gateway.
Database: %2</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="187"/>
        <source>显示主窗口</source>
        <translation>Show main window</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="208"/>
        <source>发送完成</source>
        <translation>Send complete</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="208"/>
        <source>“%1”已全部发送完毕</source>
        <translation>“%1” has been sent in full</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="215"/>
        <source>通道暂停使用</source>
        <translation>Channel paused</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="216"/>
        <source>%1 连续发送失败或已断开，暂停使用；其他通道会接手它的短信</source>
        <translation>%1 failed repeatedly or was disconnected and is resting; other channels take over its messages</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="237"/>
        <source>退出短信精灵</source>
        <translation>Quit SMS Jingling</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="238"/>
        <source>还有短信待发送或定时任务。退出后它们会暂停，下次启动程序时继续。仍要退出吗？</source>
        <translation>Messages are waiting to be sent or schedules are pending. They pause when you quit and continue the next time the program starts. Quit anyway?</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="254"/>
        <source>短信精灵仍在运行</source>
        <translation>SMS Jingling is still running</translation>
    </message>
    <message>
        <location filename="../../../ui/main_window.py" line="254"/>
        <source>还有短信待发送或定时任务，程序在托盘中继续运行。</source>
        <translation>Messages are waiting to be sent or schedules are pending, so the program keeps running in the tray.</translation>
    </message>
</context>
</TS>
