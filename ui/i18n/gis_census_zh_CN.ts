<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttributesPanel</name>
    <message>
        <location filename="../panels/attributes.py" line="88" />
        <source>Code</source>
        <extracomment>Fields the user may edit, by layer: "text" (a line edit), "check" (a check box, stored 0/1), "count" (a whole number ≥ 0) or "use" (a building's use, one of rules.BUILDING_USES). Fields not shown, by layer: a building's internal id (its one name heads the form). The largest count a spin box takes (people, households or stairwells of one building). The field that identifies a feature of each layer; other layers use the row's index label. (layer, feature key, {field: new value}) when the user changes an editable field the editable fields' widgets by field name (QLineEdit or QCheckBox) the read-only values shown, by field name (for tests and tooltips)</extracomment>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="89" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="90" />
        <source>Village</source>
        <translation>村/居委会</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="91" />
        <source>District</source>
        <translation>普查区</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="92" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="93" />
        <source>Population</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="94" />
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="95" />
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="96" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="97" />
        <source>Exclave</source>
        <translation>飞地</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="98" />
        <source>Supervisor group</source>
        <translation>指导员组</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="99" />
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="100" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="101" />
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="102" />
        <source>Small area</source>
        <translation>普查小区</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="103" />
        <source>Building number</source>
        <translation>建筑物编号</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="104" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="105" />
        <source>Stairwells</source>
        <translation>单元数</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="124" />
        <source>No feature selected</source>
        <translation>未选择要素</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="129" />
        <source>{layer} {key}</source>
        <translation>{layer} {key}</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="192" />
        <source>{count} features selected ({layer})</source>
        <translation>已选择 {count} 个要素（{layer}）</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="193" />
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="194" />
        <source>Total population</source>
        <translation>总人口</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="194" />
        <source>Total households</source>
        <translation>总户数</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="231" />
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="231" />
        <source>{value} m²</source>
        <translation>{value} 平方米</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="233" />
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../panels/attributes.py" line="233" />
        <source>{value} m</source>
        <translation>{value} 米</translation>
    </message>
    <message>
        <source>Urban–rural class</source>
        <translation>城乡划分代码</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未填）</translation>
    </message>
    <message>
        <source>111 main urban area</source>
        <translation>111 主城区</translation>
    </message>
    <message>
        <source>112 urban fringe</source>
        <translation>112 城乡结合区</translation>
    </message>
    <message>
        <source>121 town centre</source>
        <translation>121 镇中心区</translation>
    </message>
    <message>
        <source>122 town fringe</source>
        <translation>122 镇乡结合区</translation>
    </message>
    <message>
        <source>123 special area</source>
        <translation>123 特殊区域</translation>
    </message>
    <message>
        <source>210 rural centre</source>
        <translation>210 乡中心区</translation>
    </message>
    <message>
        <source>220 village</source>
        <translation>220 村庄</translation>
    </message>
</context>
<context>
    <name>BuildingTools</name>
    <message>
        <location filename="../canvas/building_tools.py" line="164" />
        <source>Draw the line across one building, or select the building to split first.</source>
        <translation>请让线穿过一栋建筑物，或先选中要分割的建筑物。</translation>
    </message>
    <message>
        <location filename="../canvas/building_tools.py" line="184" />
        <source>Select the one small area first, then click the building that should join it.</source>
        <translation>请先选中一个普查小区，再点击要划入该小区的建筑物。</translation>
    </message>
    <message>
        <source>Choose an address in the Register panel first, then click the building it belongs to.</source>
        <translation>请先在户籍资料面板中选中一个地址，再点击它所属的建筑物。</translation>
    </message>
</context>
<context>
    <name>BuildingsPanel</name>
    <message>
        <location filename="../panels/buildings.py" line="45" />
        <source>No.</source>
        <extracomment>Role giving a row's building id (any column). Columns: (field, numeric). The name is the building's one name (rules.building_name). The user selected rows: the ids of their buildings.</extracomment>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="45" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="45" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="45" />
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="45" />
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="46" />
        <source>People</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="46" />
        <source>Stairwells</source>
        <translation>单元数</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="82" />
        <source>Select a small area to list its buildings</source>
        <translation>选中一个普查小区以列出其建筑物</translation>
    </message>
    <message>
        <location filename="../panels/buildings.py" line="84" />
        <source>Small area {code}: {n} buildings, {people} people</source>
        <translation>普查小区 {code}：{n} 栋建筑物，{people} 人</translation>
    </message>
</context>
<context>
    <name>FileFlows</name>
    <message>
        <location filename="../file_flows.py" line="51" />
        <source>Open Project</source>
        <extracomment>Unsaved work is copied beside the project this often (milliseconds). Save refusals that mean another program saved the file since it was opened.</extracomment>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="51" />
        <source>Census projects (*.gpkg);;All files (*)</source>
        <translation>普查项目 (*.gpkg);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="98" />
        <source>Save Project As</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="99" />
        <source>Census projects (*.gpkg)</source>
        <translation>普查项目 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="67" />
        <source>Recover Unsaved Work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="128" />
        <source>Reload Project</source>
        <translation>重新载入项目</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="75" />
        <source>Cannot Open Project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="112" />
        <location filename="../file_flows.py" line="115" />
        <source>Cannot Save Project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="119" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="68" />
        <source>{name} has changes that were not saved when gis-census last closed. Recover them? (No discards them.)</source>
        <translation>{name} 上次关闭时有未保存的修改。是否恢复？（选“否”将丢弃这些修改。）</translation>
    </message>
    <message>
        <location filename="../file_flows.py" line="129" />
        <source>Reload {name} as it is on disk? The changes made here since it was opened will be lost.</source>
        <translation>按磁盘上的文件重新载入 {name}？打开以来在这里做的修改将会丢失。</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <location filename="../tasks.py" line="61" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>JobFlows</name>
    <message>
        <source>Creating the project…</source>
        <translation>正在创建项目…</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>Dividing {n} districts…</source>
        <translation>正在划分 {n} 个普查区…</translation>
    </message>
    <message>
        <source>{d} districts: {n} small areas, {w20} within ±20 % of the target</source>
        <translation>{d} 个普查区：{n} 个普查小区，{w20} 在目标 ±20% 以内</translation>
    </message>
    <message>
        <source>Created {path}</source>
        <translation>已创建 {path}</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="70" />
        <source>Renumbering…</source>
        <translation>正在重新编码…</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="78" />
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="86" />
        <source>Export Area Lists</source>
        <translation>导出名单</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="87" />
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="96" />
        <source>Export Maps To</source>
        <translation>导出地图到</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="106" />
        <source>Drawing maps…</source>
        <translation>正在制图…</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="115" />
        <source>Writing the lists…</source>
        <translation>正在导出名单…</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="37" />
        <location filename="../job_flows.py" line="51" />
        <source>Auto-Divide</source>
        <translation>自动划分</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="37" />
        <source>Select a small area of the district to divide first.</source>
        <translation>请先选择要划分的普查区中的一个普查小区。</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="56" />
        <source>Dividing district {code}…</source>
        <translation>正在划分普查区 {code}…</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="47" />
        <source>District {code}: {n} small areas, {w20} within ±20 % of the target, longest walk {walk} km</source>
        <translation>普查区 {code}：{n} 个普查小区，{w20} 在目标 ±20% 以内，最长步行 {walk} 千米</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="133" />
        <source>The data changed while the job ran; run it again.</source>
        <translation>运行期间数据已被修改，请重新运行。</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="52" />
        <source>Buildings {ids} have more residents than a small area may hold; each is an area of its own. Divide them by stairwell or have the county approve them.</source>
        <translation>建筑物 {ids} 的居住人数超过一个普查小区的上限，已各自单独成为一个小区。请按单元划分，或报县普查办批准。</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="110" />
        <source>Wrote {n} PDF files to {folder}</source>
        <translation>已写入 {n} 个 PDF 文件到 {folder}</translation>
    </message>
    <message>
        <location filename="../job_flows.py" line="117" />
        <source>Wrote {files}</source>
        <translation>已写入 {files}</translation>
    </message>
    <message>
        <source>Division updated: {areas} small areas changed, {buildings} buildings renumbered, the rest as it was</source>
        <translation>划分已更新：{areas} 个普查小区变动，{buildings} 栋建筑物改号，其余不变</translation>
    </message>
    <message>
        <source>Update Division</source>
        <translation>更新划分</translation>
    </message>
    <message>
        <source>Small areas still outside the population band (no division of the land free to change does better; lock or edit by hand): {codes}</source>
        <translation>仍超出人口范围的普查小区（可调整的土地无法划分得更好；请锁定或手工编辑）：{codes}</translation>
    </message>
    <message>
        <source>Updating the division…</source>
        <translation>正在更新划分…</translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <location filename="../panels/layers.py" line="28" />
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../panels/layers.py" line="28" />
        <source>Features</source>
        <translation>要素数</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Imagery Basemap</source>
        <translation>影像底图</translation>
    </message>
    <message>
        <source>Rasters (*.tif *.tiff *.jp2 *.img *.vrt);;All files (*)</source>
        <translation>栅格 (*.tif *.tiff *.jp2 *.img *.vrt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Auto-Divide</source>
        <translation>自动划分</translation>
    </message>
    <message>
        <source>{n} of the chosen districts have small areas already. Update them, keeping every valid small area and its code, or divide them afresh?</source>
        <translation>所选普查区中有 {n} 个已有普查小区。是更新（保留每个有效的普查小区及其代码，只重划需要的），还是全部重新划分？</translation>
    </message>
    <message>
        <source>Update (keep valid areas)</source>
        <translation>更新（保留有效的普查小区）</translation>
    </message>
    <message>
        <source>Divide Afresh</source>
        <translation>重新划分</translation>
    </message>
    <message>
        <source>District {name} {code}</source>
        <translation>普查区 {name} {code}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="70" />
        <source>Layers</source>
        <extracomment>Windows opened by a language switch, kept alive here (the app holds only the first).</extracomment>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="71" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="73" />
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="75" />
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="77" />
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="233" />
        <source>Building (its name, e.g. 370481102001025-003 or 025-3, or its address):</source>
        <translation>建筑物（名称，如 370481102001025-003 或 025-3，或其地址）：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="241" />
        <source>No building is named {text}.</source>
        <translation>没有名为 {text} 的建筑物。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="315" />
        <source>{n} buildings selected</source>
        <translation>已选 {n} 栋建筑物</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="391" />
        <source>Project Changed on Disk</source>
        <translation>项目文件已被其他程序修改</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="393" />
        <source>Reload from Disk…</source>
        <translation>从磁盘重新载入…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="394" />
        <source>Save As Copy…</source>
        <translation>另存为副本…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403" />
        <source>Unsaved Changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403" />
        <source>Save the changes to {name} before closing?</source>
        <translation>关闭前是否保存对 {name} 的修改？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="404" />
        <source>the project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="159" />
        <location filename="../main_window.py" line="230" />
        <location filename="../main_window.py" line="241" />
        <source>Cannot Edit</source>
        <translation>无法编辑</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="230" />
        <source>Select the one small area the building should join.</source>
        <translation>请先选择建筑物要划入的那一个普查小区。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="232" />
        <source>Assign Building</source>
        <translation>指定建筑物</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="319" />
        <source>{n} selected, {people} people</source>
        <translation>已选 {n} 个小区，共 {people} 人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="344" />
        <source>Nothing is coded or named {text}</source>
        <translation>没有代码或名称为 {text} 的对象</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="361" />
        <source>CRS: {crs}</source>
        <translation>坐标系：{crs}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="375" />
        <source>E {x} m  N {y} m</source>
        <translation>东 {x} 米　北 {y} 米</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="378" />
        <source>Scale 1:{n}</source>
        <translation>比例尺 1:{n}</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>户籍资料</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <location filename="../panels/problems.py" line="173" />
        <source>Error</source>
        <extracomment>Role giving a row's Problem (any column). Role giving a row's severity, "error" or "warning" (any column). the Problem double-clicked</extracomment>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="173" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="174" />
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="174" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="174" />
        <source>Features</source>
        <translation>要素</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="174" />
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="174" />
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="182" />
        <source>All problems</source>
        <translation>全部问题</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="183" />
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="256" />
        <source>No problems</source>
        <translation>没有问题</translation>
    </message>
    <message>
        <location filename="../panels/problems.py" line="258" />
        <source>{errors} errors, {warnings} warnings</source>
        <translation>{errors} 个错误，{warnings} 个警告</translation>
    </message>
</context>
<context>
    <name>ProjectDocument</name>
    <message>
        <location filename="../document.py" line="95" />
        <source>Draw the line across one small area, or select the area to split first.</source>
        <extracomment>census_meta keys of an autosave copy: the project revision its work is based on, that file's id, its edits. An edit was applied (pushed, undone or redone): the views update from its diffs. The problems list changed; the argument is the district re-checked, or "" after a whole check. True when there are changes not saved. An edit was refused; the message says why.</extracomment>
        <translation>请让线穿过一个普查小区，或先选择要拆分的小区。</translation>
    </message>
    <message>
        <source>Draw the line across one district, or select a small area of the district to cut first.</source>
        <translation>请画一条穿过一个普查区的线，或先选中要切分的普查区中的一个普查小区。</translation>
    </message>
</context>
<context>
    <name>StatisticsPanel</name>
    <message>
        <location filename="../panels/statistics.py" line="256" />
        <source>Code</source>
        <extracomment>Role giving a row's small-area code (any column). Role giving a cell's raw value (number or text) to sort by. Role giving a row's deviation class: -1 under, 0 on target, 1 over. code of the small area double-clicked codes of the small areas the user selected (not emitted for select_codes or refresh)</extracomment>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="257" />
        <source>District</source>
        <translation>普查区</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="258" />
        <source>Population</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="259" />
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="260" />
        <source>Deviation</source>
        <translation>偏差</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="261" />
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="262" />
        <source>Supervisor group</source>
        <translation>指导员组</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="274" />
        <source>Filter by code…</source>
        <translation>按代码筛选…</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="390" />
        <source>No small areas</source>
        <translation>没有普查小区</translation>
    </message>
    <message>
        <location filename="../panels/statistics.py" line="393" />
        <source>{n} small areas · {share} within ±{tolerance} of target · population {population}</source>
        <translation>{n} 个普查小区 · {share} 在目标 ±{tolerance} 以内 · 人口 {population}</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>Imagery &amp;Basemap…</source>
        <translation>影像底图(&amp;B)…</translation>
    </message>
    <message>
        <source>Draw an orthophoto or imagery raster (GeoTIFF, any raster GDAL reads) under the map</source>
        <translation>在地图下方显示正射影像或其他影像栅格（GeoTIFF 等 GDAL 可读的栅格）</translation>
    </message>
    <message>
        <source>No Basemap</source>
        <translation>不显示底图</translation>
    </message>
    <message>
        <source>Stop drawing the imagery under the map</source>
        <translation>不再在地图下方显示影像</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Previous Division…</source>
        <translation>上次普查小区划分(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Buildings…</source>
        <translation>建筑物(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Previous Division Outline</source>
        <translation>上次划分轮廓(&amp;P)</translation>
    </message>
    <message>
        <source>Build a project from the village, building, road, water and landmark files</source>
        <translation>由村/居委会、建筑物、道路、水系和地标文件建立项目</translation>
    </message>
    <message>
        <source>Read a previous census&apos;s small areas as the reference the division is compared with and drawn beside (one undo step)</source>
        <translation>读入上次普查的普查小区，作为与本次划分对照、并排显示的参照（一步可撤销）</translation>
    </message>
    <message>
        <source>&amp;Small Areas…</source>
        <translation>普查小区(&amp;S)…</translation>
    </message>
    <message>
        <source>Read small areas from a file as this project&apos;s own, to start from (one undo step)</source>
        <translation>从文件读入普查小区，作为本项目的普查小区（一步可撤销）</translation>
    </message>
    <message>
        <source>Add the buildings of a file to the project, read as a new project reads them (one undo step)</source>
        <translation>把文件中的建筑物加入项目，按新建项目的规则读取（一步可撤销）</translation>
    </message>
    <message>
        <source>Divide the selected area's district, the district clicked on the map, or the township or a village chosen from a list, into small areas of about the target</source>
        <translation>把所选小区所在的普查区、地图上点选的普查区，或从列表中选择的全乡镇或某个村/居委会，划分为接近目标规模的普查小区</translation>
    </message>
    <message>
        <source>Draw the previous census's small areas as a dashed outline over the current division</source>
        <translation>在当前划分之上以虚线轮廓显示上次普查的普查小区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="49" />
        <source>&amp;Open…</source>
        <extracomment>Tools listed in the Edit menu; the others (select, pan) are in the View menu. Building tools, listed in the Edit menu's Buildings submenu and on the Buildings toolbar.</extracomment>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="50" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="51" />
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="52" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="64" />
        <source>Area &amp;Lists (Excel/CSV)…</source>
        <translation>普查区域名单（Excel/CSV）(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="66" />
        <location filename="../actions.py" line="217" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="67" />
        <location filename="../actions.py" line="219" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="68" />
        <location filename="../actions.py" line="204" />
        <source>&amp;Delete Small Area</source>
        <translation>删除普查小区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="70" />
        <location filename="../actions.py" line="205" />
        <source>&amp;Merge Small Areas</source>
        <translation>合并普查小区(&amp;M)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="72" />
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="74" />
        <source>U&amp;nlock</source>
        <translation>解除锁定(&amp;N)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="75" />
        <source>Assign &amp;Building…</source>
        <translation>指定建筑物(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="77" />
        <source>Auto-&amp;Divide District</source>
        <translation>自动划分普查区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="80" />
        <source>&amp;Renumber Codes</source>
        <translation>重新编码(&amp;R)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="82" />
        <source>&amp;Check Everything</source>
        <translation>全面检查(&amp;C)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="84" />
        <source>Zoom to &amp;Full Extent</source>
        <translation>全图(&amp;F)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="86" />
        <source>Zoom to &amp;Selection</source>
        <translation>缩放到所选(&amp;S)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="89" />
        <location filename="../actions.py" line="204" />
        <source>&amp;Demolish Buildings</source>
        <translation>拆除建筑物(&amp;D)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="90" />
        <source>Remove the selected buildings (demolished); the others keep their numbers (Del)</source>
        <translation>拆除所选建筑物；其他建筑物编号不变（Del）</translation>
    </message>
    <message>
        <location filename="../actions.py" line="92" />
        <location filename="../actions.py" line="205" />
        <source>Mer&amp;ge Buildings</source>
        <translation>合并建筑物(&amp;G)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="93" />
        <source>Make the selected buildings one (Shift+click selects several; Ctrl+M)</source>
        <translation>把所选建筑物合并为一栋（Shift+单击可多选；Ctrl+M）</translation>
    </message>
    <message>
        <location filename="../actions.py" line="98" />
        <source>Click a small area, or a building when zoomed in, to select it; Shift+click adds; drag pans</source>
        <translation>单击选择普查小区（放大后单击选择建筑物）；Shift+单击加选；拖动平移地图</translation>
    </message>
    <message>
        <location filename="../actions.py" line="105" />
        <source>&amp;Add Building (Point)</source>
        <translation>新增建筑物（点）(&amp;A)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="106" />
        <source>Click where a new building stands; it is numbered next in its small area</source>
        <translation>单击新建筑物所在位置；它按所在普查小区的下一个编号</translation>
    </message>
    <message>
        <location filename="../actions.py" line="107" />
        <source>Draw Building &amp;Footprint</source>
        <translation>绘制建筑物轮廓(&amp;F)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="108" />
        <source>Click the corners of a new building (they snap to nearby boundaries); double-click to finish</source>
        <translation>逐点单击新建筑物的拐点（自动捕捉附近边界）；双击结束</translation>
    </message>
    <message>
        <location filename="../actions.py" line="109" />
        <source>&amp;Move Building</source>
        <translation>移动建筑物(&amp;M)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="109" />
        <source>Drag a building to where it stands</source>
        <translation>把建筑物拖到它实际所在的位置</translation>
    </message>
    <message>
        <location filename="../actions.py" line="110" />
        <source>&amp;Reshape Building</source>
        <translation>修改建筑物轮廓(&amp;R)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="110" />
        <source>Drag a corner of the selected building</source>
        <translation>拖动所选建筑物的拐点</translation>
    </message>
    <message>
        <location filename="../actions.py" line="111" />
        <source>&amp;Split Building</source>
        <translation>分割建筑物(&amp;S)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="112" />
        <source>Draw a line across a building; double-click to split it in two</source>
        <translation>画一条穿过建筑物的线；双击把它分为两栋</translation>
    </message>
    <message>
        <location filename="../actions.py" line="113" />
        <source>Assign Building by &amp;Click</source>
        <translation>点选划入建筑物(&amp;C)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="114" />
        <source>With a small area selected, click a building to move it into that area</source>
        <translation>先选中一个普查小区，再点击建筑物，把它划入该小区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="125" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="127" />
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="131" />
        <source>&amp;Export</source>
        <translation>导出(&amp;X)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="138" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="145" />
        <source>B&amp;uildings</source>
        <translation>建筑物(&amp;U)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="150" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="158" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="161" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="172" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../actions.py" line="175" />
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../actions.py" line="185" />
        <source>Go to code or name…</source>
        <translation>定位代码或名称…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="186" />
        <source>Type a small area, district or village code (or its last digits) or a name, then Enter</source>
        <translation>输入普查小区、普查区或村的代码（或末几位）或名称，按回车定位</translation>
    </message>
    <message>
        <location filename="../actions.py" line="65" />
        <source>Write the list of census areas and the building lists</source>
        <translation>导出普查区域名单和建筑物清单</translation>
    </message>
    <message>
        <location filename="../actions.py" line="69" />
        <source>Delete the selected small areas; their land becomes a gap</source>
        <translation>删除所选普查小区；其范围成为空隙</translation>
    </message>
    <message>
        <location filename="../actions.py" line="71" />
        <source>Merge the selected adjacent small areas into one</source>
        <translation>把所选相邻普查小区合并为一个</translation>
    </message>
    <message>
        <location filename="../actions.py" line="73" />
        <source>Lock the selected small areas: division keeps them as they are</source>
        <translation>锁定所选普查小区：自动划分时保持不变</translation>
    </message>
    <message>
        <location filename="../actions.py" line="76" />
        <source>Move a building into the selected small area</source>
        <translation>把一栋建筑物划入所选普查小区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="79" />
        <source>Divide the selected area's district into small areas of about the target</source>
        <translation>把所选小区所在的普查区自动划分为接近目标人数的普查小区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="81" />
        <source>Number small areas and buildings in walking order</source>
        <translation>按走访顺序为普查小区和建筑物编号</translation>
    </message>
    <message>
        <location filename="../actions.py" line="83" />
        <source>Check the whole township for gaps, overlaps and other problems</source>
        <translation>检查全乡镇的空隙、重叠等问题</translation>
    </message>
    <message>
        <location filename="../actions.py" line="97" />
        <source>&amp;Select</source>
        <translation>选择(&amp;S)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="99" />
        <source>&amp;Pan</source>
        <translation>平移(&amp;P)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="99" />
        <source>Drag to move the map</source>
        <translation>拖动以移动地图</translation>
    </message>
    <message>
        <location filename="../actions.py" line="100" />
        <source>&amp;Draw Small Area</source>
        <translation>绘制普查小区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="101" />
        <source>Click the corners of a new small area (they snap to nearby boundaries); double-click to finish</source>
        <translation>逐点单击新普查小区的拐点（自动捕捉附近边界）；双击结束</translation>
    </message>
    <message>
        <location filename="../actions.py" line="102" />
        <source>S&amp;plit Small Area</source>
        <translation>拆分普查小区(&amp;P)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="102" />
        <source>Draw a line across a small area; double-click to split it</source>
        <translation>画一条穿过普查小区的线；双击完成拆分</translation>
    </message>
    <message>
        <location filename="../actions.py" line="103" />
        <source>Edit &amp;Vertices</source>
        <translation>编辑节点(&amp;V)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="104" />
        <source>Drag a corner or a point of a boundary; the neighbouring areas move with it</source>
        <translation>拖动拐点或边界上的点；相邻小区随之一起改变</translation>
    </message>
    <message>
        <location filename="../actions.py" line="56" />
        <source>&amp;Small-Area Maps (PDF)…</source>
        <translation>普查小区图（PDF）(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="57" />
        <source>The selected small area's map, or every small area's, for the enumerators</source>
        <translation>所选普查小区的地图，未选择时为全部普查小区，供普查员使用</translation>
    </message>
    <message>
        <location filename="../actions.py" line="58" />
        <source>&amp;District Maps (PDF)…</source>
        <translation>普查区图（PDF）(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="58" />
        <source>The selected area's district map, or every district's</source>
        <translation>所选小区所在普查区的地图，未选择时为全部普查区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="59" />
        <source>&amp;Township Index Map (PDF)…</source>
        <translation>乡镇普查区分布图（PDF）(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="59" />
        <source>The index map of the township's districts</source>
        <translation>全乡镇普查区分布索引图</translation>
    </message>
    <message>
        <location filename="../actions.py" line="60" />
        <source>&amp;Atlas (one PDF)…</source>
        <translation>图集（单个 PDF）(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="61" />
        <source>The selected area's district, or the whole township, in one PDF with bookmarks</source>
        <translation>所选小区所在普查区（或全乡镇）的全部地图合为一个带书签的 PDF</translation>
    </message>
    <message>
        <location filename="../actions.py" line="191" />
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../actions.py" line="216" />
        <source>&amp;Undo {what}</source>
        <translation>撤销 {what}(&amp;U)</translation>
    </message>
    <message>
        <location filename="../actions.py" line="218" />
        <source>&amp;Redo {what}</source>
        <translation>重做 {what}(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export Packages…</source>
        <translation>导出摸底材料(&amp;E)…</translation>
    </message>
    <message>
        <source>For the pre-count walk: each small area&apos;s map, map files for phone apps and household register (the selected area, else its district, else all)</source>
        <translation>供摸底使用：每个普查小区的地图、手机地图文件和户主姓名底册（选中的小区，否则其普查区，否则全部）</translation>
    </message>
    <message>
        <source>&amp;Import Results…</source>
        <translation>导入摸底结果(&amp;I)…</translation>
    </message>
    <message>
        <source>Read the filled registers and edited map files back; review the changes, then apply them as one step</source>
        <translation>读回填好的底册和改过的地图文件；核对变更后作为一步应用</translation>
    </message>
    <message>
        <source>&amp;Field Work</source>
        <translation>摸底(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Update Division</source>
        <translation>更新划分(&amp;U)</translation>
    </message>
    <message>
        <source>After the walk: bring areas outside the population band back in, changing as few areas and building numbers as possible (the selected area&apos;s district, else all)</source>
        <translation>摸底之后：把超出人口范围的普查小区调回范围内，尽量少改动小区和建筑物编号（选中小区所在的普查区，否则全部）</translation>
    </message>
    <message>
        <source>&amp;Place Register Address by Click</source>
        <translation>点选对应户籍地址(&amp;P)</translation>
    </message>
    <message>
        <source>With an address chosen in the Register panel, click the building its rows belong to</source>
        <translation>在户籍资料面板中选中地址后，点击这些记录所属的建筑物</translation>
    </message>
    <message>
        <source>&amp;Register…</source>
        <translation>户籍资料(&amp;R)…</translation>
    </message>
    <message>
        <source>Read the police station's household-register table and match its addresses to the buildings (one undo step; importing a kind again replaces its rows)</source>
        <translation>读取派出所的户籍资料核对表，并将其地址匹配到建筑物（一步操作，可撤销；再次导入同一类别会替换该类别的全部记录）</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Merge &amp;Districts</source>
        <translation>合并普查区(&amp;D)</translation>
    </message>
    <message>
        <source>Merge the districts of the selected small areas (of one village) into one; their small areas are recoded</source>
        <translation>将所选普查小区所在的（同一村/居委会的）普查区合并为一个，其普查小区重新编码</translation>
    </message>
    <message>
        <source>New &amp;Virtual Small Area…</source>
        <translation>新增虚拟普查小区(&amp;V)…</translation>
    </message>
    <message>
        <source>A small area without land (空挂户, collective quarters), numbered from 900, with its reason, people and households</source>
        <translation>没有地域范围的普查小区（空挂户、集体户），从900起编号，需填写原因、人数和户数</translation>
    </message>
    <message>
        <source>Delete V&amp;irtual Small Area…</source>
        <translation>删除虚拟普查小区(&amp;I)…</translation>
    </message>
    <message>
        <source>Choose a virtual small area and delete it</source>
        <translation>选择一个虚拟普查小区并删除</translation>
    </message>
    <message>
        <source>&amp;Cut Village into Districts</source>
        <translation>切分村/居委会为多个普查区(&amp;C)</translation>
    </message>
    <message>
        <source>Draw a line across a district; double-click to cut it into districts of its village (their small areas are recoded)</source>
        <translation>画一条穿过普查区的线，双击完成，将其切分为同一村/居委会的多个普查区（其普查小区重新编码）</translation>
    </message>
    <message>
        <source>New &amp;Special District…</source>
        <translation>新增特殊普查区(&amp;S)…</translation>
    </message>
    <message>
        <source>Draw a special district (school, barracks, large enterprise …) inside a village; its land is taken from the districts it lies in</source>
        <translation>在村/居委会内画出特殊普查区（学校、营区、大型企业等），其范围从所在的普查区中划出</translation>
    </message>
    <message>
        <source>Dis&amp;tricts</source>
        <translation>普查区(&amp;T)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app.py" line="85" />
        <source>The map was not drawn in time.</source>
        <translation>地图未能及时绘制完成。</translation>
    </message>
    <message>
        <location filename="../../app.py" line="93" />
        <source>Cannot write the screenshot {path}</source>
        <translation>无法写入截图 {path}</translation>
    </message>
</context>
<context>
    <name>ChangeReportDialog</name>
    <message>
        <source>Field Work: Changes</source>
        <translation>摸底结果：变更</translation>
    </message>
    <message>
        <source>Apply these corrections as one step (Edit → Undo takes them back).</source>
        <translation>这些改正将作为一步应用（可用“编辑 → 撤销”整体撤回）。</translation>
    </message>
    <message>
        <source>Small areas that leave the population band after the walk: {n}. Re-divide their districts afterwards (Tools → Auto-Divide District).</source>
        <translation>摸底后超出人口范围的普查小区：{n} 个。应用后请重新划分其普查区（工具 → 自动划分普查区）。</translation>
    </message>
</context>
<context>
    <name>FieldworkFlows</name>
    <message>
        <source>Export Field Work To</source>
        <translation>摸底材料导出到</translation>
    </message>
    <message>
        <source>Export Field Work</source>
        <translation>导出摸底材料</translation>
    </message>
    <message>
        <source>Also put each small area&apos;s household register rows in its folder?

They hold names and ID numbers: hand each folder to its enumerator only.</source>
        <translation>是否同时在每个普查小区的文件夹中放入其户籍资料？

户籍资料含姓名和身份证号：每个文件夹只交给对应的普查员。</translation>
    </message>
    <message>
        <source>Writing the field-work packages…</source>
        <translation>正在生成摸底材料…</translation>
    </message>
    <message>
        <source>Wrote the field-work packages of {n} small areas to {folder}</source>
        <translation>已将 {n} 个普查小区的摸底材料写入 {folder}</translation>
    </message>
    <message>
        <source>Import Field Work</source>
        <translation>导入摸底结果</translation>
    </message>
    <message>
        <source>Registers and map files (*.xlsx *.geojson *.json *.gpkg *.kml);;All files (*)</source>
        <translation>底册和地图文件 (*.xlsx *.geojson *.json *.gpkg *.kml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The files change nothing in the project.</source>
        <translation>这些文件没有改动项目中的任何内容。</translation>
    </message>
</context>
<context>
    <name>RegisterPanel</name>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村/居委会</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation>候选建筑物</translation>
    </message>
    <message>
        <source>Choose an address, then click its building on the map (zoomed in to a village): all its rows go there, and the next import remembers the choice. Edit → Undo takes it back.</source>
        <translation>选中地址，再在地图上（放大到村庄）点击它所在的建筑物：该地址的全部记录归入该建筑物，下次导入沿用此选择；可撤销。</translation>
    </message>
    <message>
        <source>Several buildings</source>
        <translation>多个建筑物</translation>
    </message>
    <message>
        <source>No building</source>
        <translation>无对应建筑物</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>未打开项目</translation>
    </message>
    <message>
        <source>Every register row is placed in a building ({n} rows).</source>
        <translation>户籍资料已全部对应到建筑物（{n} 行）。</translation>
    </message>
    <message>
        <source>No register imported (File → Import → Register…).</source>
        <translation>尚未导入户籍资料（文件 → 导入 → 户籍资料…）。</translation>
    </message>
    <message>
        <source>{n} addresses ({rows} rows, {persons} persons) are in no building yet.</source>
        <translation>还有 {n} 个地址（{rows} 行，{persons} 人）未对应到建筑物。</translation>
    </message>
</context>
<context>
    <name>RegisterFlows</name>
    <message>
        <source>Registered residents (户籍)</source>
        <translation>户籍人口</translation>
    </message>
    <message>
        <source>Temporary residents (暂住)</source>
        <translation>暂住人口</translation>
    </message>
    <message>
        <source>People from abroad (境外)</source>
        <translation>境外人员</translation>
    </message>
    <message>
        <source>Import Register</source>
        <translation>导入户籍资料</translation>
    </message>
    <message>
        <source>Imported {rows} register rows: {matched} placed in a building, {ambiguous} with several candidates, {unmatched} with none (Register panel)</source>
        <translation>已导入户籍资料 {rows} 行：{matched} 行对应到建筑物，{ambiguous} 行有多个候选，{unmatched} 行无对应（见户籍资料面板）</translation>
    </message>
    <message>
        <source>; the stairwells of {n} blocks recorded from the stairwell numbers in their addresses</source>
        <translation>；已按地址中的单元号记录 {n} 栋楼的单元数</translation>
    </message>
    <message>
        <source>Zoom in to a village, then click the building of {address}</source>
        <translation>请放大到村庄范围，再点击 {address} 所在的建筑物</translation>
    </message>
    <message>
        <source>Register tables (*.xlsx *.xlsm *.csv);;All files (*)</source>
        <translation>户籍资料表 (*.xlsx *.xlsm *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Kind of register:</source>
        <translation>资料类别：</translation>
    </message>
    <message>
        <source>Street Renamings (optional; Cancel if none)</source>
        <translation>街路巷更名表（可选；没有请点“取消”）</translation>
    </message>
    <message>
        <source>Renamings, columns 旧名 and 现名 (*.xlsx *.csv);;All files (*)</source>
        <translation>更名表，含“旧名”“现名”两列 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>InputPage</name>
    <message>
        <source>In the wizard: choose the field in the list above.</source>
        <translation>在向导中：请在上方的列表中选择该字段。</translation>
    </message>
    <message>
        <source>In the wizard: give it in “CRS of files without one” on the villages page.</source>
        <translation>在向导中：请在“村/居委会”页的“无坐标系文件的坐标系”中填写。</translation>
    </message>
    <message>
        <source>In the wizard: give the CRS on the last page.</source>
        <translation>在向导中：请在最后一页填写坐标系。</translation>
    </message>
    <message>
        <source>e.g. EPSG:4490; only for files without a CRS</source>
        <translation>如 EPSG:4490；仅用于没有坐标系的文件</translation>
    </message>
    <message>
        <source>CRS of files without one:</source>
        <translation>无坐标系文件的坐标系：</translation>
    </message>
    <message>
        <source>(automatic)</source>
        <translation>（自动识别）</translation>
    </message>
    <message>
        <source>{role} field:</source>
        <translation>{role}字段：</translation>
    </message>
    <message>
        <source>{role}: {field}</source>
        <translation>{role}：{field}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>GeoPackage, Shapefile, GeoJSON or KML (FILE or FILE::LAYER)</source>
        <translation>GeoPackage、Shapefile、GeoJSON 或 KML（文件 或 文件::图层）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>村/居委会</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水系</translation>
    </message>
    <message>
        <source>Landmarks</source>
        <translation>地标</translation>
    </message>
    <message>
        <source>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.zip);;All files (*)</source>
        <translation>GIS 文件 (*.gpkg *.shp *.geojson *.json *.kml *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>population</source>
        <translation>人口</translation>
    </message>
    <message>
        <source>households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Required: the township's villages (居委会/村委会) with their 12-digit codes.</source>
        <translation>必填：本乡镇（街道）的居委会/村委会，带 12 位统计用区划代码。</translation>
    </message>
    <message>
        <source>Optional: leave empty to go without.</source>
        <translation>可选：留空则不导入。</translation>
    </message>
    <message>
        <source>Layer {layer}, {n} features. Fields recognised — {fields}</source>
        <translation>图层 {layer}，{n} 个要素。识别出的字段——{fields}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Township and Coordinate System</source>
        <translation>乡镇与坐标系</translation>
    </message>
    <message>
        <source>Check what the tool found; Finish asks where to save the project.</source>
        <translation>请核对识别结果；点“完成”后选择项目的保存位置。</translation>
    </message>
    <message>
        <source>empty: chosen by the tool</source>
        <translation>留空：由本工具选择</translation>
    </message>
    <message>
        <source>Township code:</source>
        <translation>乡镇代码：</translation>
    </message>
    <message>
        <source>Township name:</source>
        <translation>乡镇名称：</translation>
    </message>
    <message>
        <source>County name:</source>
        <translation>县（区）名称：</translation>
    </message>
    <message>
        <source>CRS (EPSG):</source>
        <translation>坐标系（EPSG）：</translation>
    </message>
    <message>
        <source>Coordinate system: {crs}</source>
        <translation>项目坐标系：{crs}</translation>
    </message>
</context>
<context>
    <name>NewProjectWizard</name>
    <message>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>Save New Project As</source>
        <translation>新项目保存为</translation>
    </message>
    <message>
        <source>Census projects (*.gpkg)</source>
        <translation>普查项目 (*.gpkg)</translation>
    </message>
</context>
<context>
    <name>DivisionScopeDialog</name>
    <message>
        <source>Auto-Divide</source>
        <translation>自动划分</translation>
    </message>
    <message>
        <source>Whole township {name} ({n} districts)</source>
        <translation>全乡镇 {name}（{n} 个普查区）</translation>
    </message>
    <message>
        <source>Village {name} ({n} districts)</source>
        <translation>{name}（{n} 个普查区）</translation>
    </message>
    <message>
        <source>District {name}</source>
        <translation>普查区 {name}</translation>
    </message>
    <message>
        <source>Divide into small areas (or click a district on the map first):</source>
        <translation>选择要划分为普查小区的范围（也可先在地图上点选一个普查区）：</translation>
    </message>
</context>
<context>
    <name>ImportFlows</name>
    <message>
        <source>Import Previous Division</source>
        <translation>导入上次普查小区划分</translation>
    </message>
    <message>
        <source>Import Small Areas</source>
        <translation>导入普查小区</translation>
    </message>
    <message>
        <source>Importing small areas…</source>
        <translation>正在导入普查小区…</translation>
    </message>
    <message>
        <source>The project holds a previous division of {n} small areas. Replace it? (Undo brings it back.)</source>
        <translation>项目已有上次普查的 {n} 个普查小区。要替换吗？（可撤销恢复。）</translation>
    </message>
    <message>
        <source>Import Buildings</source>
        <translation>导入建筑物</translation>
    </message>
    <message>
        <source>Importing buildings…</source>
        <translation>正在导入建筑物…</translation>
    </message>
    <message>
        <source>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.zip);;All files (*)</source>
        <translation>GIS 文件 (*.gpkg *.shp *.geojson *.json *.kml *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The project has {n} small areas. Replace them by those of the file? (Undo brings them back.)</source>
        <translation>项目已有 {n} 个普查小区。用文件中的普查小区替换它们吗？（可撤销恢复。）</translation>
    </message>
</context>
<context>
    <name>DistrictFlows</name>
    <message>
        <source>Cannot Edit</source>
        <translation>无法编辑</translation>
    </message>
    <message>
        <source>Select small areas in two or more districts of one village.</source>
        <translation>请选择同一村/居委会中两个以上普查区的普查小区。</translation>
    </message>
    <message>
        <source>The project has no virtual small area.</source>
        <translation>项目中没有虚拟普查小区。</translation>
    </message>
    <message>
        <source>New Special District</source>
        <translation>新增特殊普查区</translation>
    </message>
    <message>
        <source>Kind (学校, 营区, 大型企业 …):</source>
        <translation>类别（学校、营区、大型企业等）：</translation>
    </message>
    <message>
        <source>Name (e.g. 第一中学):</source>
        <translation>名称（如 第一中学）：</translation>
    </message>
    <message>
        <source>Delete Virtual Small Area</source>
        <translation>删除虚拟普查小区</translation>
    </message>
    <message>
        <source>Virtual small area:</source>
        <translation>虚拟普查小区：</translation>
    </message>
</context>
<context>
    <name>VirtualAreaDialog</name>
    <message>
        <source>New Virtual Small Area</source>
        <translation>新增虚拟普查小区</translation>
    </message>
    <message>
        <source>e.g. registered at a demolished address (空挂户), collective quarters</source>
        <translation>如：拆迁后户口仍挂原址（空挂户）、集体户</translation>
    </message>
    <message>
        <source>District</source>
        <translation>普查区</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
</context>
</TS>