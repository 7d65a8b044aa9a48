<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="98"/>
        <source>选择文件</source>
        <translation>Choose the file</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="99"/>
        <source>选择要导入的通讯录表格：Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件。</source>
        <translation>Choose the contact sheet to import: Excel (.xlsx/.xls), WPS/LibreOffice (.ods) or CSV.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="102"/>
        <source>文件路径</source>
        <translation>File path</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="103"/>
        <source>浏览(&amp;W)…</source>
        <translation>Bro&amp;wse…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="113"/>
        <source>表格中应有一行表头，如“姓名、手机号码、部门、分组”；表头上方的标题行、说明行没有关系，下一步可以确认哪一行是表头。导入是整体进行的：出错或取消时通讯录不会改变。</source>
        <translation>The sheet needs a header row, such as “Name, Mobile, Department, Group”; title or note rows above it do no harm, and the next steps let you confirm which row is the header. The import is all or nothing: after an error or a cancel the book is unchanged.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="150"/>
        <source>正在读取 %1…</source>
        <translation>Reading %1…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="166"/>
        <source>“%1”：%2 个工作表；工作表“%3”约 %4 行。</source>
        <translation>“%1”: %2 sheet(s); sheet “%3” has about %4 rows.</translation>
    </message>
</context>
<context>
    <name>HeaderPage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="285"/>
        <source>确认表头行</source>
        <translation>Confirm the header row</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="286"/>
        <source>点选表头（“姓名、手机号码……”）所在的一行；它下面的各行将作为联系人导入。</source>
        <translation>Click the row that holds the header (“Name, Mobile …”); the rows below it are imported as contacts.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="318"/>
        <source>程序识别的表头在第 %1 行（已选中）。如果不对，请点选正确的一行。</source>
        <translation>The header was found in row %1 (selected). If that is wrong, click the right row.</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="352"/>
        <source>对应各列</source>
        <translation>Match the columns</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="353"/>
        <source>确认每一列导入为什么；下方预览显示前几行将被如何导入。</source>
        <translation>Confirm what each column is imported as; the preview below shows how the first rows will be imported.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="357"/>
        <location filename="../../../ui/import_wizard_pages.py" line="362"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="357"/>
        <source>表头</source>
        <translation>Header</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="357"/>
        <source>示例</source>
        <translation>Examples</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="357"/>
        <source>导入为</source>
        <translation>Import as</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="372"/>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="373"/>
        <location filename="../../../ui/import_wizard_pages.py" line="407"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="374"/>
        <location filename="../../../ui/import_wizard_pages.py" line="408"/>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="375"/>
        <location filename="../../../ui/import_wizard_pages.py" line="409"/>
        <source>分组</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="376"/>
        <source>其他字段</source>
        <translation>Other fields</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="377"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="387"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="410"/>
        <source>同意接收短信</source>
        <translation>Consent to messages</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="411"/>
        <source>不导入</source>
        <translation>Do not import</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="413"/>
        <source>字段：%1</source>
        <translation>Field: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="422"/>
        <source>正在识别各列…</source>
        <translation>Recognising the columns…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="450"/>
        <source>（无表头）</source>
        <translation>(no header)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="464"/>
        <source>没有表头的列不导入</source>
        <translation>Columns without a header are not imported</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="475"/>
        <source>正在更新预览…</source>
        <translation>Updating the preview…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="495"/>
        <source>不导入：%1</source>
        <translation>Not imported: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="497"/>
        <source>与第 %1 行号码相同，将合并为一人</source>
        <translation>Same number as row %1: merged into one contact</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="509"/>
        <source>预览前 %1 行：%2 行可以导入，%3 行有问题（导入后的报告会列出全部）。</source>
        <translation>Preview of the first %1 rows: %2 can be imported, %3 have problems (the report after the import lists them all).</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="531"/>
        <source>重复号码与分组</source>
        <translation>Repeated numbers and groups</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="532"/>
        <source>选择表格中的号码已在通讯录中时怎么办，以及导入的联系人加入哪些分组。</source>
        <translation>Choose what happens when a number is already in the book, and which groups the imported contacts join.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="539"/>
        <source>更新已有联系人</source>
        <translation>Update existing contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="540"/>
        <source>表格中有内容的栏目覆盖通讯录中的旧值；表格中空着的栏目不会清空已有内容。</source>
        <translation>Filled cells of the sheet replace the old values in the book; empty cells never erase anything.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="544"/>
        <source>跳过已有联系人</source>
        <translation>Skip existing contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="545"/>
        <source>通讯录中已有的号码保持原样，只添加新号码。</source>
        <translation>Numbers already in the book stay as they are; only new numbers are added.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="549"/>
        <source>已有联系人只加入分组</source>
        <translation>Only add existing contacts to groups</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="550"/>
        <source>已有的号码不改资料，只加入下面的分组和表格中写明的分组。</source>
        <translation>Existing contacts keep their details and only join the groups below and those named in the sheet.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="564"/>
        <source>同一文件中重复出现的号码合并为一人，报告中会列出。</source>
        <translation>A number repeated within the file is merged into one contact; the report lists the repeats.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="571"/>
        <source>可选；多个分组用逗号分隔，没有的分组会自动新建</source>
        <translation>Optional; separate several groups with commas; missing groups are created</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="572"/>
        <source>只检查，不写入通讯录（试运行）</source>
        <translation>Only check, do not change the book (dry run)</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="579"/>
        <source>号码已存在时：</source>
        <translation>Number already in the book:</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="580"/>
        <source>加入分组(&amp;G)：</source>
        <translation>Add to &amp;groups:</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="596"/>
        <source>将从“%1”的工作表“%2”第 %3 行以下导入约 %4 行。</source>
        <translation>About %4 rows below row %3 of sheet “%2” in “%1” will be imported.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="603"/>
        <source>开始导入(&amp;I)</source>
        <translation>&amp;Import</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="618"/>
        <source>正在导入</source>
        <translation>Importing</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="619"/>
        <source>可以随时取消：取消后通讯录不会有任何改变。</source>
        <translation>You may cancel at any time: the book is then left unchanged.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="626"/>
        <source>取消导入</source>
        <translation>Cancel the import</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="644"/>
        <source>正在导入 %1…</source>
        <translation>Importing %1…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="659"/>
        <source>正在取消，请稍候…</source>
        <translation>Cancelling, please wait…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="667"/>
        <source>已处理 %1 / %2 行…</source>
        <translation>%1 of %2 rows processed…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="678"/>
        <source>导入失败：%1</source>
        <translation>The import failed: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="682"/>
        <source>可以点“上一步”修改后重新导入。</source>
        <translation>Press “Back” to change something and import again.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="686"/>
        <source>导入完成。</source>
        <translation>Import finished.</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="702"/>
        <source>导入报告</source>
        <translation>Import report</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="710"/>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="710"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="710"/>
        <source>原值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="710"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="715"/>
        <source>导出未导入的行(&amp;E)…</source>
        <translation>&amp;Export the rows not imported…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="717"/>
        <source>保存为 Excel 表格，修改后可以重新导入</source>
        <translation>Save them as an Excel sheet to correct and import again</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="725"/>
        <source>未导入或合并的行：</source>
        <translation>Rows not imported or merged:</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="737"/>
        <source>新建分组：%1</source>
        <translation>Groups created: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="756"/>
        <source>未导入的行已保存到 %1</source>
        <translation>The rows not imported were saved to %1</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="761"/>
        <source>导入联系人</source>
        <translation>Import contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="761"/>
        <source>无法保存文件：%1</source>
        <translation>Cannot save the file: %1</translation>
    </message>
</context>
<context>
    <name>SheetPage</name>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="198"/>
        <source>选择工作表</source>
        <translation>Choose the sheet</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="199"/>
        <source>这个文件有多个工作表，请选择联系人所在的一个。</source>
        <translation>This file has several sheets; choose the one that holds the contacts.</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="239"/>
        <source>正在读取工作表“%1”…</source>
        <translation>Reading sheet “%1”…</translation>
    </message>
    <message>
        <location filename="../../../ui/import_wizard_pages.py" line="268"/>
        <source>工作表“%1”约 %2 行。</source>
        <translation>Sheet “%1” has about %2 rows.</translation>
    </message>
</context>
</TS>
