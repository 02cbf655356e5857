<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LayersPanel</name>
    <message>
        <location filename="../panels/layers.py" line="28"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../panels/layers.py" line="28"/>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="33"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="51"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="52"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="54"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="55"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="57"/>
        <source>Zoom to &amp;Full Extent</source>
        <translation>全图(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="68"/>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="68"/>
        <source>Census projects (*.gpkg);;All files (*)</source>
        <translation>普查项目 (*.gpkg);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="78"/>
        <source>Cannot Open Project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="98"/>
        <source>CRS: {crs}</source>
        <translation>坐标系：{crs}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="103"/>
        <source>E {x} m  N {y} m</source>
        <translation>东 {x} 米　北 {y} 米</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app.py" line="70"/>
        <source>The map was not drawn in time.</source>
        <translation>地图未能及时绘制完成。</translation>
    </message>
    <message>
        <location filename="../../app.py" line="73"/>
        <source>Cannot write the screenshot {path}</source>
        <translation>无法写入截图 {path}</translation>
    </message>
</context>
</TS>
