"""The county: township projects merged and checked across their lines."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cli_county": ("合并全县各乡镇项目，逐个检查并检查乡镇之间的重叠、空隙和重复代码，写出只读的全县项目",
                   "merge the county's township projects, check each and across them (overlaps, gaps, repeated codes), "
                   "write a read-only county project"),
    "cli_county_sources": ("乡镇项目文件，或存放它们的文件夹", "township project files, or folders holding them"),
    "cli_county_out": ("写出的全县项目（GeoPackage，只读）", "the county project to write (GeoPackage, read-only)"),
    "cli_county_expect": ("应有的乡镇代码清单（文本文件，每行一个 9 位代码）",
                          "the townships expected (a text file, one 9-digit code a line)"),
    "cli_county_noise": ("小于此宽度（米）的乡镇界线偏差视为数字化误差，不报告（默认 0.5）",
                         "faults across township lines narrower than this (m) are digitising noise (default 0.5)"),
    "county_source_missing": ("找不到 {path}", "{path} does not exist"),
    "county_no_townships": ("{paths} 中没有乡镇项目（.gpkg）", "No township projects (.gpkg) in {paths}"),
    "county_out_exists": ("{path} 已存在且不是合并的全县项目，未覆盖", "{path} exists and is not a merged county project; not overwritten"),
    "county_expect_unreadable": ("无法读取乡镇清单 {path}：{reason}", "Cannot read the township list {path}: {reason}"),
    "county_expect_refused": ("乡镇清单 {path} 有不是 9 位代码的行：", "The township list {path} has lines without a 9-digit code:"),
    "county_expect_bad_line": ("“{text}”不是 9 位乡镇代码", "\"{text}\" is not a 9-digit township code"),
    "county_township": ("{code} {name}（{file}）：村/居 {villages}，普查小区 {small_areas}，建筑物 {buildings}，"
                        "人口 {population}，户 {households}；错误 {errors}，警告 {warnings}",
                        "{code} {name} ({file}): villages {villages}, small areas {small_areas}, buildings {buildings}, "
                        "population {population}, households {households}; errors {errors}, warnings {warnings}"),
    "county_totals": ("全县合计：乡镇 {townships}，村/居 {villages}，普查小区 {small_areas}，建筑物 {buildings}，人口 {population}，户 {households}",
                      "County: townships {townships}, villages {villages}, small areas {small_areas}, buildings {buildings}, "
                      "population {population}, households {households}"),
    "county_across": ("乡镇之间的问题 {n} 个：", "{n} problems across townships:"),
    "county_across_none": ("乡镇之间未发现重叠、空隙或重复代码", "No overlaps, gaps or repeated codes across townships"),
    "county_across_line": ("  [错误] {message}（{townships}）", "  [error] {message} ({townships})"),
    "county_missing": ("缺少乡镇项目：{codes}", "Townships with no project: {codes}"),
    "county_written": ("全县项目已写入 {path}（只读）", "County project written to {path} (read-only)"),
    "report_townships": ("分乡镇统计", "By township"),
    "report_col_township_code": ("乡镇代码", "Township code"),
    "report_col_township": ("乡镇", "Township"),
    "report_col_villages": ("村/居", "Villages"),
    "report_col_buildings": ("建筑物", "Buildings"),
    "county_read_only_title": ("（全县合并，只读）", " (merged county, read-only)"),
}
