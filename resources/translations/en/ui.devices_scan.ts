<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ScanDialog</name>
    <message>
        <location filename="../../../ui/devices_scan.py" line="55"/>
        <source>扫描端口</source>
        <translation>Scan ports</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="60"/>
        <source>扫描这台电脑的串口，找出可以收发短信的短信猫。每个端口只会被短暂打开；已添加为通道的端口不会被打扰。</source>
        <translation>Scans this computer&apos;s serial ports for modems that send SMS. Each port is opened only briefly; ports that are channels already are left alone.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="66"/>
        <source>可不填；例如 COM9，多个用逗号分隔</source>
        <translation>Optional; e.g. COM9, several separated by commas</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="67"/>
        <source>系统没有列出的端口，或其他串口地址，也一并扫描</source>
        <translation>Ports the system does not list, or other serial addresses, are scanned too</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="68"/>
        <source>开始扫描</source>
        <translation>Scan</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="71"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="78"/>
        <source>%v / %m 个端口</source>
        <translation>%v / %m ports</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="80"/>
        <source>其他端口或地址：</source>
        <translation>Other ports or addresses:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="88"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="88"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="88"/>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="100"/>
        <source>不限</source>
        <translation>No cap</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="101"/>
        <source>这张 SIM 卡每天最多发送的短信条数（运营商常有限制）；0 为不限</source>
        <translation>The most messages this SIM sends a day (operators often limit it); 0 for no cap</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="102"/>
        <source>添加为通道</source>
        <translation>Add as channel</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="106"/>
        <source>通道名称：</source>
        <translation>Channel name:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="107"/>
        <source>每日上限：</source>
        <translation>Daily cap:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="151"/>
        <source>正在扫描…</source>
        <translation>Scanning…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="171"/>
        <source>正在停止（正在打开的端口扫描完即停）…</source>
        <translation>Stopping (after the ports being probed now)…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="201"/>
        <source>扫描已停止。</source>
        <translation>The scan was stopped.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="203"/>
        <source>这台电脑上没有找到串口。请检查短信猫是否插好、驱动是否已安装。</source>
        <translation>This computer has no serial ports. Check the modem is plugged in and its driver installed.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="205"/>
        <source>找到 %1 个可用的短信猫。选中一个，填好名称后点“添加为通道”。</source>
        <translation>Found %1 usable modem(s). Pick one, name it, and click “Add as channel”.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="209"/>
        <source>没有找到可以收发短信的短信猫。被占用的端口请先关闭占用它的程序再扫描。</source>
        <translation>No modem that sends SMS was found. For a port in use, close the program using it and scan again.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_scan.py" line="263"/>
        <source>已添加通道“%1”。</source>
        <translation>Added the channel “%1”.</translation>
    </message>
</context>
</TS>
