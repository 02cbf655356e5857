"""Dividing and numbering: the divide and code commands."""

MESSAGES: dict[str, tuple[str, str]] = {
    # code command
    "cli_code": ("编制普查小区代码、建筑物编号和普查指导员分组", "assign small-area codes, building numbers and supervisor groups"),
    "cli_code_district": ("只处理这些普查区", "only these districts"),
    "cli_code_groups": ("列出普查指导员分组", "list the supervisor groups"),
    "district_not_in_project": ("项目 {path} 中没有普查区 {code}", "Project {path} has no district {code}"),
    "code_done": (
        "已编码：{renamed} 个普查小区代码改变，{moved} 栋建筑物改属小区，{renumbered} 栋建筑物重新编号，普查指导员分组 {groups} 个；已保存 {path}",
        "Coded: {renamed} small-area codes changed, {moved} buildings moved, {renumbered} buildings renumbered, "
        "{groups} supervisor groups; saved {path}",
    ),
    "code_group_not_contiguous": (
        "普查区 {district} 的第 {group} 指导员组不连片",
        "supervisor group {group} of district {district} is not contiguous",
    ),
    "code_sequence_gaps": ("普查区 {district} 因锁定小区留空编号：{seqs}", "district {district} leaves numbers unused for locked areas: {seqs}"),
    "code_groups_header": ("普查指导员分组：普查区  组  人口  普查小区", "Supervisor groups: district  group  population  small areas"),
    # divide command
    "cli_divide": ("自动划分普查小区（约 300 人一个），随后编码", "divide districts into small areas of about 300 people, then code them"),
    "cli_divide_target": ("每个普查小区的目标人数（默认取项目设置 300）", "target per small area (default: the project's, 300)"),
    "cli_divide_unit": ("目标按人口或户数", "target in people or households"),
    "cli_divide_tolerance": ("允许偏差（默认 0.2，即 ±20%）", "tolerance (default 0.2, i.e. ±20 %)"),
    "cli_divide_lane_cost": ("沿楼间巷道切分的代价占其长度的比例（默认 0.25；越小越愿意沿巷道分界，1 为不偏好）",
                             "share of its length a cut down a lane between buildings costs (default 0.25; lower prefers "
                             "lanes more, 1 no preference)"),
    "cli_divide_settled": ("人口已在目标 ± 此比例内的小区不再互相调整（默认 0.05；越大界线越顺路，均衡略差）",
                           "areas within this share of the target are not evened further (default 0.05; higher keeps "
                           "lines on roads, at some cost in balance)"),
    "divide_option_range": ("{option} 的值 {value} 超出范围（应为 {range}）", "{option} {value} is out of range ({range})"),
    "cli_divide_count": ("指定每个普查区的小区个数", "number of small areas per district"),
    "cli_divide_keep_locked": ("保留锁定的普查小区（默认保留）", "keep locked small areas (default: keep)"),
    "divide_progress": ("划分中", "Dividing"),
    "divide_refused": ("无法划分：{reason}", "Cannot divide: {reason}"),
    "divide_header": (
        "普查区        小区数  单栋超标  ±20%内  ±12%内  最大偏差  紧凑度均值  最小  最大面积km²  最大跨度km  最长步行km",
        "district      areas  one-building  ±20%  ±12%  worst  Polsby-Popper mean  min  largest km²  widest km  longest walk km",
    ),
    "divide_footer": (
        "（各项比例计入全部小区，包括由单栋超标建筑物构成的小区；合计 {n} 个小区，±20% 内 {w20}，±12% 内 {w12}）",
        "(shares count every area, the single oversize buildings' areas included; in all {n} areas, {w20} within ±20 %, {w12} within ±12 %)",
    ),
    "divide_oversize": (
        "建筑物 {building}（普查区 {district}）人数超过上限，单独成为一个普查小区",
        "building {building} (district {district}) has more residents than the limit and forms a small area of its own",
    ),
    "divide_done": ("已划分 {n} 个普查小区并编码，已保存 {path}", "Divided into {n} small areas and coded; saved {path}"),
    # divide --update
    "cli_divide_update": (
        "只在必要处更新划分：重新划分超出人数范围的普查小区及其相邻小区，其余小区的代码和建筑物编号不变",
        "update the division only where it must change: re-divide the small areas outside the band and their "
        "neighbours; the other areas keep their codes and the buildings their numbers",
    ),
    "cli_divide_renumbered": ("把改号清单写入 FILE.csv 或 FILE.xlsx（与 --update 同用）",
                              "write the renumbering list to FILE.csv or FILE.xlsx (with --update)"),
    "divide_renumbered_needs_update": ("--renumbered 只能与 --update 同用", "--renumbered needs --update"),
    "divide_update_alone": ("--update 使用项目的目标人数设置，不能与 {option} 同用",
                            "--update uses the project's target settings and cannot be combined with {option}"),
    "update_nothing": ("无需更新：没有可以改善的超出人数范围的普查小区；项目未改动",
                       "Nothing to update: no small area outside the band that dividing again can improve; the project is unchanged"),
    "update_district": ("普查区 {district}：重新划分 {n} 个普查小区（{codes}）", "district {district}: {n} small areas divided again ({codes})"),
    "update_still_outside": (
        "普查区 {district} 仍有普查小区超出人数范围：{codes}（可能是被河流或农田隔开的居民点、锁定的相邻小区，重新划分也无法改善）",
        "district {district} still has small areas outside the band: {codes} (a hamlet cut off by a river or fields, "
        "or locked neighbours: dividing again did not do better)",
    ),
    "update_areas_header": ("普查小区变动（需重印地图）：", "Small areas changed (maps to print again):"),
    "update_buildings_header": ("建筑物改号（原编号 → 新编号）：", "Buildings renumbered (old name → new name):"),
    "update_area_new": ("新增", "new"),
    "update_area_gone": ("撤销", "gone"),
    "update_area_reshaped": ("边界改变", "boundary changed"),
    "update_building": ("建筑物", "building"),
    "update_done": (
        "已更新：{areas} 个普查小区变动，{buildings} 栋建筑物改号，其余不变；已保存 {path}",
        "Updated: {areas} small areas changed, {buildings} buildings renumbered, the rest unchanged; saved {path}",
    ),
    "update_repeated_keys": ("无法更新划分：图层 {layer} 中有重复的代码或编号 {values}；请先运行 check 并改正",
                             "Cannot update the division: layer {layer} repeats the codes or ids {values}; run check and correct them first"),
    "update_list_written": ("改号清单已写入 {path}", "Renumbering list written to {path}"),
    "renumbered_sheet": ("改号清单", "Renumbering"),
    "lists_col_change": ("变动", "Change"),
    "lists_col_building_id": ("建筑物ID", "Building id"),
    "lists_col_old_name": ("原代码/编号", "Old code/name"),
    "lists_col_new_name": ("新代码/编号", "New code/name"),
    "edit_update": ("更新划分 {codes}", "Update the division of {codes}"),
    # the previous division and compare
    "notice_previous_kept": (
        "划分前的 {n} 个普查小区已存为上次划分（图层 previous_small_areas），可用 compare 对照",
        "The {n} small areas as they were are kept as the previous division (layer previous_small_areas) for compare",
    ),
    "cli_compare": ("对照上次划分，列出保留、重划、拆分、合并、新增、撤销的普查小区",
                    "list the small areas kept, redrawn, split, merged, new or removed since the previous division"),
    "cli_compare_previous": (
        "上次划分：项目图层 previous_small_areas（默认）或项目文件中的其他图层，或普查小区文件（文件::图层）",
        "the previous division: the project's layer previous_small_areas (default) or another layer of the project "
        "file, or a file of small areas (FILE::LAYER)",
    ),
    "cli_compare_out": ("把变动清单写入 FILE.xlsx 或 FILE.csv（表头为中文）",
                        "write the list of changes to FILE.xlsx or FILE.csv (header in Chinese)"),
    "compare_no_previous": (
        "项目 {path} 没有上次划分：请先用 import-areas --previous 导入，或用 --previous 指定文件",
        "Project {path} holds no previous division: import one with import-areas --previous, or name a file with --previous",
    ),
    "compare_summary": (
        "上次划分 {old} 个普查小区，现有 {new} 个：保留 {kept}，改号 {recoded}，重划边界 {redrawn}，拆分 {split}，"
        "合并 {merged}，新增 {added}，撤销 {removed}",
        "previous division {old} small areas, now {new}: kept {kept}, recoded {recoded}, redrawn {redrawn}, split {split}, "
        "merged {merged}, new {added}, removed {removed}",
    ),
    "compare_buildings": ("仍在原普查小区的建筑物：{kept} / {total}（{share}）",
                          "buildings keeping their small area: {kept} of {total} ({share})"),
    "compare_written": ("变动清单已写入 {path}", "List of changes written to {path}"),
    "report_changes": ("与上次划分对比", "Against the previous division"),
    "compare_sheet": ("划分变动", "Changes"),
    "compare_kept": ("保留", "kept"),
    "compare_recoded": ("改号", "recoded"),
    "compare_redrawn": ("重划边界", "redrawn"),
    "compare_split": ("拆分", "split"),
    "compare_merged": ("合并", "merged"),
    "compare_new": ("新增", "new"),
    "compare_removed": ("撤销", "removed"),
    "lists_col_old_codes": ("原普查小区代码", "Previous small areas"),
    "lists_col_new_codes": ("现普查小区代码", "Current small areas"),
    "lists_col_buildings_before": ("原建筑物数", "Buildings before"),
    "lists_col_buildings_after": ("现建筑物数", "Buildings now"),
    "lists_col_buildings_moved": ("改属小区的建筑物数", "Buildings moved"),
    "lists_col_population_before": ("原人口", "People before"),
    "lists_col_population_after": ("现人口", "People now"),
    "lists_col_population_moved": ("改属小区的人口", "People moved"),
}
