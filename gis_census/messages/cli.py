"""The command line, and the layer and field roles named inside other messages."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "cli_crs": (
        "项目坐标系（默认自动选择 CGCS2000 高斯-克吕格 3 度带）",
        "project CRS (default: the CGCS2000 3-degree Gauss-Kruger zone of the data)",
    ),
    "cli_skip_outside": ("跳过不在任何村内的建筑物（并列出）", "skip buildings outside every village (and list them)"),
    "cli_merge_duplicates": ("合并完全重合的建筑物轮廓", "merge building footprints that exactly repeat another"),
    "cli_overwrite": ("覆盖已有的项目文件", "replace an existing project file"),
    "cli_import_areas": ("导入已有的普查小区划分", "load an existing small-area division"),
    "cli_replace": ("替换项目中已有的普查小区", "replace the project's existing small areas"),
    "cli_import_previous": (
        "作为上次划分导入（previous_small_areas 图层，供 compare 对照），不改动现有普查小区",
        "import as the previous division (layer previous_small_areas, for compare); the current small areas stay",
    ),
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
    "imported_previous_areas": (
        "已导入上次划分的 {n} 个普查小区到 {path}（供 compare 对照，现有划分不变）",
        "Imported {n} small areas of the previous division into {path} (for compare; the current division is unchanged)",
    ),
    "demo_written": ("示例项目已写入 {path}", "Sample project written to {path}"),
    "demo_register_written": (
        "示例户籍、暂住、境外人员资料表（虚构人员）已写入 {folder}；各行所属建筑物的真值另存于 {truth}",
        "Sample household register tables (residents, temporary residents, foreigners; fictional people) "
        "written to {folder}; "
        "the true building of each row is kept apart in {truth}",
    ),
    "info_township": ("乡镇：{name}（{code}）", "Township: {name} ({code})"),
    "info_crs": ("坐标系：{crs}", "CRS: {crs}"),
    "info_counts": (
        "村/居委会 {villages}，普查区 {districts}，普查小区 {small_areas}，建筑物 {buildings}，道路 {roads}，水系 {water}，地标 {landmarks}",
        "villages {villages}, districts {districts}, small areas {small_areas}, buildings {buildings}, "
        "roads {roads}, water {water}, landmarks {landmarks}",
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
    "role_units": ("单元数", "stairwells"),
    "role_address": ("地址", "address"),
    "role_id": ("编号", "id"),
    "role_use": ("用途", "use"),
    "role_kind": ("类型", "kind"),
    "role_urban_rural": ("城乡划分代码", "urban–rural class"),
    "cli_district_codes": ("村/居委会切分出的其他普查区如何编码：village+seq（保留村代码并加普查区序号，代码用600–999）、"
                           "village-like（用类似村级单位的400–599）",
                           "how a village's further districts are coded: village+seq (keep the village code and add a district "
                           "sequence; codes from 600–999), village-like (400–599, as village-like units)"),
}
