"""Import: reading an office's files, fields, geometry, villages in several parts, names, skipped buildings."""

MESSAGES: dict[str, tuple[str, str]] = {
    # reading inputs
    "input_missing": ("找不到{role}输入文件：{file}", "Input file for {role} not found: {file}"),
    "not_gis_file": (
        "{file} 不是可识别的 GIS 文件（支持 GeoPackage、Shapefile、GeoJSON、KML、OpenStreetMap .osm/.osm.pbf）",
        "{file} is not a GIS file that can be read (GeoPackage, Shapefile, GeoJSON, KML, OpenStreetMap .osm/.osm.pbf are supported)",
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
    "osm_role": ("OpenStreetMap 文件 {file} 只能用作道路或水系（--roads、--water），不能用作 {role}",
                 "OpenStreetMap file {file} can give roads or water (--roads, --water), not {role}"),
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
    "id_duplicate_many": (
        "编号 {id} 被 {n} 个要素共用（已列出前 10 个）；这一字段可能不是建筑物编号，可改名或删去后重新导入",
        "id {id} is shared by {n} features (the first 10 are named); the field may not be a building id: rename or drop it and import again",
    ),
    "notice_duplicates": (
        "有 {n} 个建筑物轮廓与另一个完全重合（如 {examples}）；划分时视为一栋。如要合并，请加 --merge-duplicates 重新创建项目",
        "{n} building footprints exactly repeat another (e.g. {examples}); they are divided as one. "
        "To merge them, create the project again with --merge-duplicates",
    ),
    "notice_duplicates_merged": (
        "已合并 {n} 个完全重合的建筑物轮廓（记录相同的只保留一条，不同的人数、户数相加）",
        "Merged {n} exactly repeated building footprints (identical records kept once, differing ones' people and households added)",
    ),
    "notice_overlapping_footprints": (
        "有 {n} 对建筑物轮廓相互重叠（其中 {nested} 对为一栋位于另一栋之内或完全重合），如 {examples}；"
        "划分时相互重叠的建筑物视为一栋，不会被小区界线分开。完整清单见项目的“问题”图层",
        "{n} pairs of building footprints overlap ({nested} of them one inside the other or identical), e.g. {examples}; "
        "overlapping buildings are divided as one and no boundary passes between them. The full list is in the project's problems layer",
    ),
    "notice_crosses_village": (
        "有 {n} 栋建筑物跨越村/居委会界线，已归入占其面积最多的村/居委会，如 {examples}；完整清单见项目的“问题”图层",
        "{n} buildings are cut by a village line and belong to the village holding most of each, e.g. {examples}; "
        "the full list is in the project's problems layer",
    ),
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
    # import: villages in several parts (飞地)
    "notice_exclave": (
        "村/居委会由 {n} 块互不相连的部分组成（各块面积 {areas} 平方米），已作为飞地标记（exclave = 1），村和普查区均不报“多块”错误",
        "the village is in {n} separate parts ({areas} m²); it is flagged as an exclave (exclave = 1), so neither "
        "the village nor its district is reported as in several pieces",
    ),
    # import: county and township names (map titles, lists, report)
    "county_code_malformed": ("县级代码 “{code}” 应为 6 位数字", "County code \"{code}\" should be 6 digits"),
    "county_code_mismatch": (
        "县级代码 {code} 与乡镇代码 {township} 的前 6 位不符",
        "County code {code} does not match the first 6 digits of the township code {township}",
    ),
    "notice_township_name_missing": (
        "未给出乡镇（街道）名称，地图标题、清单和报告中将缺少乡镇名；可用 gis-census set 项目 --township-name 名称 补上",
        "No township name was given, so map titles, lists and the report leave it out; "
        "add it with gis-census set PROJECT --township-name NAME",
    ),
    "cli_county_code": ("县级代码（6 位，默认取乡镇代码前 6 位）", "county code (6 digits; default the township code's first 6)"),
    "cli_county_name": ("县（市、区）名称，用于地图标题、清单和报告", "county name, used in map titles, lists and the report"),
    "cli_township_name": ("乡镇（街道）名称，用于地图标题、清单和报告", "township name, used in map titles, lists and the report"),
    "cli_set": ("修改项目的县、乡镇名称和县级代码", "change the project's county and township names and county code"),
    "set_nothing": ("未指定要修改的内容（可用 --county-name、--county-code、--township-name）",
                    "Nothing to change (give --county-name, --county-code or --township-name)"),
    "set_done": ("已保存 {path}：县 {county_name}（{county_code}），乡镇 {township_name}（{township_code}）",
                 "Saved {path}: county {county_name} ({county_code}), township {township_name} ({township_code})"),
    "info_county": ("县（市、区）：{name}（{code}）", "County: {name} ({code})"),
    # unreadable geometry, impossible coordinates, GDAL warnings, skipped buildings
    "no_geometries": (
        "文件 {file} 的图层 {layer} 的 {n} 个要素都没有几何",
        "None of the {n} features of layer {layer} in {file} has a geometry",
    ),
    "geometry_ring_not_closed": (
        "面的边界环首尾点不重合（未闭合）；可加 --repair 自动闭合并列出",
        "a polygon ring is not closed (its first and last points differ); --repair closes it and lists the change",
    ),
    "geometry_unreadable": (
        "几何无法读取（{reason}）；可加 --repair 尝试修复",
        "the geometry cannot be read ({reason}); --repair tries to fix it",
    ),
    "notice_ring_closed": ("已闭合未闭合的面边界环", "closed a polygon ring that was not closed"),
    "notice_geometry_fixed_on_read": (
        "已修复无法读取的几何（{reason}）",
        "fixed a geometry that could not be read ({reason})",
    ),
    "coords_not_finite": (
        "坐标 ({x}, {y}) 不是有限数值（无穷大或 NaN）",
        "coordinate ({x}, {y}) is not a finite number (infinity or NaN)",
    ),
    "coords_outside_geographic": (
        "坐标 ({x}, {y}) 不符合图层的坐标系 {crs}（经度应在 -180～180，纬度应在 -90～90）；"
        "可能是投影坐标数据被标成了地理坐标系：请修正 .prj，或删去 .prj 后用 --assume-crs 指明正确的坐标系",
        "coordinate ({x}, {y}) does not fit the layer's CRS {crs} (longitude must be within -180..180, latitude within "
        "-90..90); perhaps it is projected data labelled as geographic: fix the .prj, or remove it and give the right "
        "CRS with --assume-crs",
    ),
    "coords_too_large": (
        "坐标 ({x}, {y}) 超过 1 亿米，不可能是坐标系 {crs} 中的位置；请检查数据或其 .prj",
        "coordinate ({x}, {y}) is beyond 100,000 km and cannot be a place in CRS {crs}; check the data or its .prj",
    ),
    "crs_unreadable": (
        "文件 {file} 的图层 {layer} 的坐标系定义无法识别（{reason}），可能 .prj 文件已损坏；请修正它，或删去它后用 --assume-crs EPSG:XXXX 指明",
        "The coordinate reference system of layer {layer} in {file} cannot be understood ({reason}); the .prj file may "
        "be damaged: fix it, or remove it and give the CRS with --assume-crs EPSG:XXXX",
    ),
    "crs_undecidable": (
        "无法由数据（坐标系 {crs}）确定项目的米制坐标系（{reason}）；请用 --crs 指定",
        "Cannot choose a metric CRS for the project from the data (in {crs}): {reason}; give one with --crs",
    ),
    "notice_measures_dropped": (
        "几何带有 M 值（测量值），已忽略",
        "the geometries carry M (measure) values; they were dropped",
    ),
    "notice_skipped_outside_first": (
        "跳过了 {n} 栋不在任何村/居委会内的建筑物，前 {shown} 栋：{fids}；另有 {more} 栋未列出",
        "Skipped {n} buildings outside every village, the first {shown}: {fids}; {more} more not listed",
    ),
    "notice_skipped_list_written": (
        "跳过的 {n} 栋建筑物的完整清单（FID、地址）已写入 {path}",
        "The full list of the {n} skipped buildings (FID, address) is in {path}",
    ),
    "notice_skipped_list_failed": (
        "跳过的建筑物清单未能写入 {path}（{reason}）；项目已保存",
        "The list of skipped buildings could not be written to {path} ({reason}); the project was saved",
    ),
    "notice_read_warning": ("读取时 GDAL 提示：{text}", "GDAL warned while reading: {text}"),
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
    "urban_rural_bad": ("城乡划分代码 {value} 无效，应为 {classes} 之一或空白", "urban–rural class {value} is not one of {classes} (or empty)"),
    "district_unknown": ("项目中没有普查区 {district}", "the project has no district {district}"),
    "previous_areas_exist": (
        "项目已有 {n} 个上次划分的普查小区；如要替换请加 --replace",
        "The project already holds {n} small areas of the previous division; add --replace to replace them",
    ),
}
