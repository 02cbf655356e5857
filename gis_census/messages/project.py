"""The project file: where a problem is, opening, saving in place, concurrent writers."""

MESSAGES: dict[str, tuple[str, str]] = {
    # what a building is used for (gis_census.rules.BUILDING_USES), and its one name
    "use_residential": ("住宅", "residential"),
    "use_mixed": ("商住", "shops and homes"),
    "use_school": ("学校", "school"),
    "use_construction": ("工地", "construction site"),
    "use_market": ("市场", "market"),
    "use_hospital": ("医院", "hospital"),
    "use_elderly_home": ("养老院", "home for the elderly"),
    "use_dormitory": ("宿舍", "dormitory"),
    "use_barracks": ("营区", "barracks"),
    "use_other": ("其他", "other"),
    "use_commercial": ("商业", "commercial"),
    "use_public": ("公共建筑", "public"),
    "use_factory": ("工厂", "factory"),
    "special_unit": ("特殊单位", "special unit"),
    "building_internal_id": ("内部编号", "internal id"),
    # locations
    "where_file": ("文件 {file}", "file {file}"),
    "where_layer": ("图层 {layer}", "layer {layer}"),
    "where_feature": ("要素 {feature}", "feature {feature}"),
    "where_field": ("字段 {field}", "field {field}"),
    "where_cell": ("工作表 {sheet}，第 {row} 行，「{column}」列：{problem}", "sheet {sheet}, row {row}, column \"{column}\": {problem}"),
    "where_row": ("工作表 {sheet}，第 {row} 行：{problem}", "sheet {sheet}, row {row}: {problem}"),
    "where_sep": ("，", ", "),
    "colon": ("：", ": "),
    "list_sep": ("、", ", "),
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
        "保存 {path} 失败，原文件未被改动：{reason}（磁盘剩余空间 {free}）",
        "Saving {path} failed; the previous file is unchanged: {reason} ({free} free on its disk)",
    ),
    # saving in place, concurrent writers (save-in-place)
    "save_failed_disk_full": (
        "保存 {path} 失败：{folder} 所在磁盘空间不足（剩余 {free}），原文件未被改动。请腾出空间后再保存",
        "Saving {path} failed: the disk of {folder} is full ({free} free); the previous file is unchanged. "
        "Free some space and save again",
    ),
    "project_read_only": ("{path} 是合并的全县项目，只供查看，不能保存；请在各乡镇的项目中修改",
                          "{path} is a merged county project, for viewing only, and cannot be saved; edit the township projects"),
    "project_changed_on_disk": (
        "{path} 在打开之后已被另一次保存修改（{when}，{by}，改动的图层：{layers}）；为免覆盖对方的工作，本次未保存任何内容。"
        "请重新打开该文件后再做本次修改",
        "{path} was saved by someone else after it was opened ({when}, {by}, layers changed: {layers}); "
        "nothing was saved so as not to overwrite that work. Open the file again and redo this change",
    ),
    "project_changed_while_reading": (
        "{path} 在打开之后已被另一次保存修改（{when}，{by}）；为免混用两个版本，未读取图层 {layer}。请重新打开该文件后再试",
        "{path} was saved by someone else after it was opened ({when}, {by}); layer {layer} was not read, so as not "
        "to mix two versions of it. Open the file again and retry",
    ),
    "project_replaced_on_disk": (
        "{path} 在打开之后已被另一个项目文件替换；本次未保存任何内容。请重新打开该文件，或另存为其他文件",
        "{path} was replaced by another project file after it was opened; nothing was saved. "
        "Open the file again, or save to another file",
    ),
    "project_locked": (
        "{path} 正被另一个程序保存，等待 {seconds} 秒后仍未完成；本次未保存任何内容，请稍后再试",
        "{path} is being saved by another program and was still locked after {seconds} s; nothing was saved. "
        "Try again in a moment",
    ),
    "project_exists": (
        "项目文件 {path} 已存在；如要覆盖请加 --overwrite",
        "Project file {path} already exists; add --overwrite to replace it",
    ),
}
