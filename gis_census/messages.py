"""Message catalog: key -> (Chinese, English). Keys are stable; texts may be reworded."""

MESSAGES: dict[str, tuple[str, str]] = {
    # locations
    "where_file": ("文件 {file}", "file {file}"),
    "where_layer": ("图层 {layer}", "layer {layer}"),
    "where_feature": ("要素 {feature}", "feature {feature}"),
    "where_field": ("字段 {field}", "field {field}"),
    "where_sep": ("，", ", "),
    "colon": ("：", ": "),
    "more_findings": ("……另有 {n} 处问题未列出", "... and {n} more not listed"),
    # project file
    "project_missing": ("找不到项目文件：{path}", "Project file not found: {path}"),
    "project_unreadable": (
        "无法读取项目文件 {path}：它不是 GeoPackage 文件，或已损坏",
        "Cannot read project file {path}: it is not a GeoPackage, or it is damaged",
    ),
    "project_layer_unreadable": (
        "项目文件 {path} 的图层 {layer} 已损坏，无法读取（{reason}）",
        "Layer {layer} of project file {path} is damaged and cannot be read ({reason})",
    ),
    "not_a_project": (
        "{path} 不是 gis-census 项目文件（缺少 census_meta 元数据表）",
        "{path} is not a gis-census project (it has no census_meta table)",
    ),
    "project_too_new": (
        "项目文件 {path} 的格式版本为 {version}，比本软件新，请升级 gis-census",
        "Project file {path} has format version {version}, newer than this gis-census: please upgrade",
    ),
    "project_layer_missing": (
        "项目文件 {path} 缺少图层：{layers}",
        "Project file {path} lacks the layer(s): {layers}",
    ),
    "save_no_path": ("项目尚未指定保存位置", "The project has no file to save to yet"),
    "save_failed": (
        "保存 {path} 失败，原文件未被改动：{reason}",
        "Saving {path} failed; the previous file is unchanged: {reason}",
    ),
    "project_exists": (
        "项目文件 {path} 已存在；如要覆盖请加 --overwrite",
        "Project file {path} already exists; add --overwrite to replace it",
    ),
    # reading inputs
    "input_missing": ("找不到{role}输入文件：{file}", "Input file for {role} not found: {file}"),
    "not_gis_file": (
        "{file} 不是可识别的 GIS 文件（支持 GeoPackage、Shapefile、GeoJSON、KML）",
        "{file} is not a GIS file that can be read (GeoPackage, Shapefile, GeoJSON, KML are supported)",
    ),
    "layer_not_found": ("文件 {file} 中没有图层 {layer}；现有图层：{layers}", "File {file} has no layer {layer}; its layers: {layers}"),
    "several_layers": (
        "文件 {file} 含多个图层（{layers}），请用 文件::图层 指明{role}所在的图层",
        "File {file} has several layers ({layers}); name the {role} layer as FILE::LAYER",
    ),
    "empty_layer": ("文件 {file} 的图层 {layer} 没有任何要素", "Layer {layer} of file {file} has no features"),
    "missing_crs": (
        "文件 {file} 的图层 {layer} 没有坐标参考系（如缺少 .prj 文件）；请补上，或用 --assume-crs EPSG:XXXX 指明",
        "Layer {layer} of file {file} has no coordinate reference system (e.g. no .prj file); add one, or state it with --assume-crs EPSG:XXXX",
    ),
    "bad_encoding": (
        "文件 {file} 的图层 {layer} 的文字不是 {encoding} 编码；请用 --encoding 指定正确编码（如 GBK）",
        "The text of layer {layer} in {file} is not {encoding}; give the right one with --encoding (e.g. GBK)",
    ),
    "no_geometry": (
        "文件 {file} 的图层 {layer} 没有几何（是一张属性表），不能作为{role}图层",
        "Layer {layer} of file {file} has no geometry (it is a table); it cannot be the {role} layer",
    ),
    "unknown_encoding": ("不认识的编码 {encoding}（文件 {file}）", "Unknown encoding {encoding} (file {file})"),
    "read_failed": ("读取文件 {file} 的图层 {layer} 失败：{reason}", "Reading layer {layer} of {file} failed: {reason}"),
    "notice_guessed_gbk": (
        "没有 .cpg 文件，文字不是 UTF-8，已按 GBK 读取；若中文显示不对，请用 --encoding 指定",
        "No .cpg file and the text is not UTF-8: read as GBK; if the Chinese text looks wrong, give --encoding",
    ),
    "notice_assumed_crs": ("按 --assume-crs 视为 {crs}", "Taken to be in {crs} as --assume-crs says"),
    # fields
    "field_not_found": (
        "文件 {file} 的图层 {layer} 没有字段 {field}；现有字段：{fields}",
        "Layer {layer} of {file} has no field {field}; its fields: {fields}",
    ),
    "field_missing": (
        "文件 {file} 的图层 {layer} 找不到{role}字段（试过 {candidates}）；现有字段：{fields}。请用相应的 --…-field 选项指明",
        "Layer {layer} of {file} has no {role} field (tried {candidates}); its fields: {fields}. Name it with the matching --...-field option",
    ),
    "field_wrong_type": (
        "文件 {file} 的图层 {layer} 的字段 {field} 类型为 {dtype}，应为整数",
        "Field {field} of layer {layer} in {file} is of type {dtype}; whole numbers are needed",
    ),
    "code_missing": ("缺少代码", "code is missing"),
    "code_malformed": ("代码“{code}”不是 {digits} 位数字", "code '{code}' is not {digits} digits"),
    "code_duplicate": ("代码 {code} 重复", "code {code} is used more than once"),
    "code_other_township": (
        "代码 {code} 不属于乡镇 {township}",
        "code {code} does not belong to township {township}",
    ),
    "township_code_malformed": ("乡镇代码“{code}”不是 9 位数字", "Township code '{code}' is not 9 digits"),
    "several_townships": (
        "文件 {file} 中的村代码属于多个乡镇（{codes}）；请用 --township-code 指明本乡镇",
        "The village codes in {file} belong to several townships ({codes}); choose one with --township-code",
    ),
    "count_not_number": ("值“{value}”不是数字", "value '{value}' is not a number"),
    "count_too_large": ("值 {value} 超过上限 {limit}", "value {value} exceeds the limit {limit}"),
    "count_negative": ("值 {value} 为负数", "value {value} is negative"),
    "count_not_whole": ("值 {value} 不是整数", "value {value} is not a whole number"),
    "id_missing": ("有 {n} 个要素缺少编号", "{n} features have no id"),
    "id_duplicate": ("编号 {id} 重复", "id {id} is used more than once"),
    "notice_empty_population": (
        "有 {n} 栋建筑物的人口为空，按 0 人计",
        "{n} buildings have no population value; counted as 0",
    ),
    # geometry
    "geometry_empty": ("几何为空", "geometry is empty"),
    "geometry_wrong_type": ("几何类型为 {found}，应为 {expected}", "geometry is a {found}; {expected} expected"),
    "geometry_invalid": (
        "几何无效（{reason}）；可加 --repair 自动修复并列出修改",
        "invalid geometry ({reason}); --repair fixes it and lists the change",
    ),
    "geometry_unrepairable": ("几何无效且无法修复（{reason}）", "invalid geometry that cannot be repaired ({reason})"),
    "notice_repaired": (
        "已修复无效几何（{reason}），面积 {before} → {after} 平方米",
        "repaired invalid geometry ({reason}), area {before} -> {after} m²",
    ),
    # import
    "input_refused": ("输入有 {n} 处问题，未创建任何文件：", "The input has {n} problem(s); nothing was written:"),
    "crs_unknown": ("不认识的坐标参考系：{crs}", "Unknown coordinate reference system: {crs}"),
    "crs_not_metric": (
        "{crs}（{name}）不是以米为单位的投影坐标系；项目需要米制投影坐标系",
        "{crs} ({name}) is not a projected CRS in metres, which the project needs",
    ),
    "notice_crs_chosen": (
        "输入坐标系为 {source}，项目采用 {crs}（可用 --crs 另行指定）",
        "The input is in {source}; the project uses {crs} (choose another with --crs)",
    ),
    "notice_crs_kept": ("项目沿用输入坐标系 {crs}", "The project keeps the input's CRS {crs}"),
    "notice_crs_given": ("项目采用指定的坐标系 {crs}", "The project uses the CRS given: {crs}"),
    "building_outside": (
        "建筑物不在任何村/居委会范围内（可加 --skip-outside-buildings 跳过并列出）",
        "building lies in no village (--skip-outside-buildings skips such buildings and lists them)",
    ),
    "notice_skipped_outside": (
        "跳过了 {n} 栋不在任何村/居委会内的建筑物：{fids}",
        "Skipped {n} buildings outside every village: {fids}",
    ),
    "small_areas_exist": (
        "项目已有 {n} 个普查小区；如要替换请加 --replace",
        "The project already has {n} small areas; add --replace to replace them",
    ),
    "district_unknown": ("项目中没有普查区 {district}", "the project has no district {district}"),
    # command line
    "cli_description": (
        "gis-census：人口普查区和普查小区划分与绘图工具",
        "gis-census: census district and small-area division and mapping",
    ),
    "cli_lang": ("界面语言（默认中文）", "language of messages (default Chinese)"),
    "cli_new": ("由村界、建筑物等文件新建项目", "build a new project from village, building and other files"),
    "cli_input_file": (
        "GeoPackage、Shapefile、GeoJSON 或 KML 文件；多图层文件写作 文件::图层",
        "a GeoPackage, Shapefile, GeoJSON or KML file; FILE::LAYER for a multi-layer file",
    ),
    "cli_crs": ("项目坐标系（默认自动选择 CGCS2000 高斯-克吕格 3 度带）", "project CRS (default: the CGCS2000 3-degree Gauss-Kruger zone of the data)"),
    "cli_skip_outside": ("跳过不在任何村内的建筑物（并列出）", "skip buildings outside every village (and list them)"),
    "cli_overwrite": ("覆盖已有的项目文件", "replace an existing project file"),
    "cli_import_areas": ("导入已有的普查小区划分", "load an existing small-area division"),
    "cli_replace": ("替换项目中已有的普查小区", "replace the project's existing small areas"),
    "cli_info": ("显示项目概况", "show a summary of a project"),
    "cli_demo": ("生成示例乡镇（输入文件与项目）", "generate the sample township (input files and project)"),
    "cli_demo_county": ("生成县级规模的项目（用于测试和性能测试）", "generate a county-size project (for tests and benchmarks)"),
    "cli_encoding": ("Shapefile 的文字编码，如 GBK（默认读 .cpg）", "text encoding of a Shapefile, e.g. GBK (default: its .cpg)"),
    "cli_assume_crs": ("为没有坐标系的输入指定坐标系", "CRS of inputs that have none"),
    "cli_repair": ("用 make_valid 修复无效几何，并列出修改", "repair invalid geometry with make_valid and list each change"),
    "error_prefix": ("错误：", "Error: "),
    "notice_prefix": ("提示：", "Note: "),
    "interrupted": ("已中断", "Interrupted"),
    "internal_error": (
        "内部错误，请将此信息报告给开发人员：{error}（加 --debug 查看详情）",
        "Internal error, please report it: {error} (--debug shows details)",
    ),
    "new_written": (
        "已创建项目 {path}：{villages} 个村/居委会，{buildings} 栋建筑物，{population} 人",
        "Created project {path}: {villages} villages, {buildings} buildings, {population} people",
    ),
    "imported_areas": ("已导入 {n} 个普查小区到 {path}", "Imported {n} small areas into {path}"),
    "demo_written": ("示例项目已写入 {path}", "Sample project written to {path}"),
    "info_township": ("乡镇：{name}（{code}）", "Township: {name} ({code})"),
    "info_crs": ("坐标系：{crs}", "CRS: {crs}"),
    "info_counts": (
        "村/居委会 {villages}，普查区 {districts}，普查小区 {small_areas}，建筑物 {buildings}，道路 {roads}，水系 {water}，地标 {landmarks}",
        "villages {villages}, districts {districts}, small areas {small_areas}, buildings {buildings}, roads {roads}, water {water}, landmarks {landmarks}",
    ),
    "info_totals": ("总人口 {population}，总户数 {households}", "population {population}, households {households}"),
    "info_unassigned": ("未划入普查小区的建筑物：{n}", "buildings not in a small area: {n}"),
    "info_village_header": (
        "各村/居委会：代码  名称  人口  户数  建筑物",
        "Villages: code  name  population  households  buildings",
    ),
    # roles named inside messages
    "role_villages": ("村/居委会", "villages"),
    "role_buildings": ("建筑物", "buildings"),
    "role_roads": ("道路", "roads"),
    "role_water": ("水系", "water"),
    "role_landmarks": ("地标", "landmarks"),
    "role_small_areas": ("普查小区", "small areas"),
    "role_code": ("代码", "code"),
    "role_name": ("名称", "name"),
    "role_population": ("人口", "population"),
    "role_households": ("户数", "households"),
    "role_address": ("地址", "address"),
    "role_id": ("编号", "id"),
    "role_use": ("用途", "use"),
    "role_kind": ("类型", "kind"),
}
