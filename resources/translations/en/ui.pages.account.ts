<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccountPage</name>
    <message>
        <location filename="../../../ui/pages/account.py" line="119"/>
        <source>立即对账</source>
        <translation>Reconcile now</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="121"/>
        <source>向网关查询余额，以网关的数字为准，记下差额 (Ctrl+R)</source>
        <translation>Ask the gateway for the balance, take its figure and record the difference (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="123"/>
        <source>导出对账单…</source>
        <translation>Export statement…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="125"/>
        <source>把所选账期的对账单导出为 Excel 文件 (Ctrl+S)</source>
        <translation>Export the chosen billing cycle&apos;s statement to Excel (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="127"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="136"/>
        <source>预付费账户（每个网关通道一个）</source>
        <translation>Prepaid account (one per gateway channel)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="139"/>
        <source>对账单的账期（每月 1 日 0 点到月底）</source>
        <translation>The statement&apos;s billing cycle (the 1st, 00:00, to the month&apos;s end)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="141"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="142"/>
        <source>账户：</source>
        <translation>Account:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="147"/>
        <source>账期：</source>
        <translation>Cycle:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="171"/>
        <source>账户里的钱（与网关对账后以网关为准）</source>
        <translation>The money in the account (after reconciling, the gateway&apos;s figure)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="172"/>
        <source>已排队、尚未扣费的短信预先留出的金额</source>
        <translation>Held for messages queued and not yet charged</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="171"/>
        <source>余额（元）</source>
        <translation>Balance (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="172"/>
        <source>预留（元）</source>
        <translation>Reserved (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="173"/>
        <source>余额减去预留：还能用来发送的金额</source>
        <translation>Balance less reserved: what is left to send with</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="173"/>
        <source>可用（元）</source>
        <translation>Available (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="193"/>
        <source>可用余额低于此数时提醒（元）；0 为不提醒</source>
        <translation>Warn when the available balance falls below this (yuan); 0 never warns</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="194"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="199"/>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="203"/>
        <source>套餐：</source>
        <translation>Plan:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="204"/>
        <source>上次对账：</source>
        <translation>Last reconciled:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="205"/>
        <source>余额提醒线：</source>
        <translation>Warning line:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="207"/>
        <source>账户概况</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="234"/>
        <source>账目明细（最新的在前）</source>
        <translation>Ledger (newest first)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="250"/>
        <source>还没有预付费账户。

预付费账户属于短信网关通道：在“设备与通道”中添加网关账户时可以一并开设，或者使用内置的模拟短信网关试用。</source>
        <translation>There is no prepaid account yet.

A prepaid account belongs to an SMS gateway channel: open it when you add a gateway account under “Devices”, or try the built-in simulated gateway.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="257"/>
        <source>转到设备与通道</source>
        <translation>Go to Devices</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="336"/>
        <source>未设套餐：按每条（每段）%1 元计价</source>
        <translation>No plan: %1 yuan per message (segment)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="341"/>
        <source>%1，网关余额 %2 元</source>
        <translation>%1, the gateway&apos;s balance %2 yuan</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="344"/>
        <source>尚未与网关对账</source>
        <translation>Never reconciled with the gateway</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="359"/>
        <source>共 %1 笔</source>
        <translation>%1 entries</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="383"/>
        <source>正在向网关查询余额…</source>
        <translation>Asking the gateway for the balance…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="392"/>
        <source>对账</source>
        <translation>Reconciliation</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="408"/>
        <source>对账完成：网关余额 %1 元，与本地账目一致。</source>
        <translation>Reconciled: the gateway&apos;s balance is %1 yuan, the same as ours.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="410"/>
        <source>对账完成：网关余额 %1 元，本地原为 %2 元，差额 %3 元已按网关的数字记入账目。</source>
        <translation>Reconciled: the gateway&apos;s balance is %1 yuan, ours was %2 yuan; the difference of %3 yuan is recorded, the gateway&apos;s figure wins.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="432"/>
        <source>余额提醒线已设为 %1 元</source>
        <translation>The warning line is now %1 yuan</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="444"/>
        <source>对账单 %1 %2.xlsx</source>
        <translation>Statement %1 %2.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="447"/>
        <source>导出对账单</source>
        <translation>Export statement</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="447"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="457"/>
        <source>正在导出对账单…</source>
        <translation>Exporting the statement…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/account.py" line="464"/>
        <source>已导出 %1 账期的对账单（%2 行）到 %3</source>
        <translation>Exported the %1 statement (%2 rows) to %3</translation>
    </message>
</context>
</TS>
