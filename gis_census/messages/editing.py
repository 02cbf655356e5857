"""Editing: names of edits for the Edit menu and undo, refusals, the tiling guard."""

MESSAGES: dict[str, tuple[str, str]] = {
    # editing (gis_census.editing): names of edits for the Edit menu and undo, and refusals
    "role_districts": ("普查区", "districts"),
    "edit_add_area": ("新增普查小区 {codes}", "Add small area {codes}"),
    "edit_split_area": ("拆分普查小区 {codes}", "Split small area {codes}"),
    "edit_merge_areas": ("合并普查小区 {codes}", "Merge small areas {codes}"),
    "edit_delete_areas": ("删除普查小区 {codes}", "Delete small area(s) {codes}"),
    "edit_lock_areas": ("锁定普查小区 {codes}", "Lock small area(s) {codes}"),
    "edit_unlock_areas": ("解锁普查小区 {codes}", "Unlock small area(s) {codes}"),
    "edit_set_fields": ("修改{layer} {codes} 的属性（{fields}）", "Change {fields} of {layer} {codes}"),
    "edit_assign_building": ("将建筑物 {building} 划入普查小区 {codes}", "Put building {building} into small area {codes}"),
    "edit_add_building": ("新增建筑物 {building}", "Add building {building}"),
    "edit_move_building": ("移动建筑物 {building}", "Move building {building}"),
    "edit_move_building_renamed": ("移动建筑物 {building}（现为 {now}）", "Move building {building} (now {now})"),
    "edit_reshape_building": ("修改建筑物 {building} 的轮廓", "Reshape building {building}"),
    "edit_reshape_building_renamed": ("修改建筑物 {building} 的轮廓（现为 {now}）", "Reshape building {building} (now {now})"),
    "edit_delete_buildings": ("删除建筑物 {building}", "Delete building(s) {building}"),
    "edit_merge_buildings": ("合并建筑物 {building}", "Merge buildings {building}"),
    "edit_split_building": ("拆分建筑物 {building}", "Split building {building}"),
    "edit_settle_register": ("将户籍地址“{address}”（{n} 行）对应到建筑物 {building}",
                             "Place register address “{address}” ({n} rows) in building {building}"),
    "edit_register_rows_repeated": (
        "户籍资料中有几行的类别、文件、工作表和行号都相同，无法作为可撤销的一步修改；请用 gis-census register import 重新导入该表",
        "Some register rows share their kind, file, sheet and row number, so the change could not be undone; "
        "import the table again with gis-census register import",
    ),
    "edit_register_import": ("导入{kind}资料（{rows} 行）", "Import the {kind} register ({rows} rows)"),
    # gis-census building: a building's fields from the command line
    "cli_building": ("修改一栋建筑物的属性（单元数、人口、户数、用途、地址、备注）",
                     "change a building's fields (stairwells, population, households, use, address, notes)"),
    "cli_building_name": ("建筑物名称：小区代码-编号（如 370481102001025-003，或唯一的简写 025-3）、#内部编号或地址",
                          "the building: area code-number (370481102001025-003, or a unique short form 025-3), #id or its address"),
    "cli_building_use": ("用途代码，如 residential（住宅）、school（学校）；填错时会列出全部可选值",
                         "use code, e.g. residential or school; a wrong one is answered with all the uses"),
    "building_nothing_to_set": (
        "未指定要修改的属性（可用 --units、--population、--households、--use、--address、--notes）",
        "Nothing to change (give --units, --population, --households, --use, --address or --notes)",
    ),
    "building_not_found": (
        "项目 {path} 中没有名为 {name} 的建筑物（或有多栋与之相符）；请用完整名称，如 370481102001025-003",
        "Project {path} has no building named {name} (or several match it); give its full name, e.g. 370481102001025-003",
    ),
    "building_saved": ("{edit}；已保存 {path}", "{edit}; saved {path}"),
    "edit_move_vertex": ("移动节点（普查小区 {codes}）", "Move vertex (small areas {codes})"),
    "edit_import_buildings": ("导入建筑物 {n} 栋（{file}）", "Import {n} buildings ({file})"),
    "edit_import_areas": ("导入普查小区 {n} 个（{file}）", "Import {n} small areas ({file})"),
    "edit_divide": ("自动划分普查区 {codes}", "Divide district {codes}"),
    "edit_renumber": ("重新编码普查区 {codes}", "Renumber district(s) {codes}"),
    "edit_renumber_all": ("重新编码全部普查区", "Renumber all districts"),
    "edit_unknown_area": ("没有代码为 {code} 的普查小区", "There is no small area {code}"),
    "edit_unknown_feature": ("图层 {role} 中没有要素 {feature}", "Layer {role} has no feature {feature}"),
    "edit_unknown_layer": ("图层 {layer} 不能编辑", "Layer {layer} cannot be edited"),
    "edit_unknown_field": (
        "图层 {role} 没有字段 {field}（要素 {feature}）；可改的字段：{fields}",
        "Layer {role} has no field {field} (feature {feature}); fields that can be changed: {fields}",
    ),
    "edit_key_field": (
        "图层 {role} 要素 {feature} 的字段 {field} 是标识，不能在此修改",
        "Field {field} of feature {feature} in layer {role} identifies the feature and cannot be changed here",
    ),
    "edit_wrong_type_int": (
        "图层 {role} 要素 {feature} 的字段 {field} 需要整数，不能是“{value}”",
        "Field {field} of feature {feature} in layer {role} needs a whole number, not '{value}'",
    ),
    "edit_wrong_type_str": (
        "图层 {role} 要素 {feature} 的字段 {field} 需要文字，不能是“{value}”",
        "Field {field} of feature {feature} in layer {role} needs text, not '{value}'",
    ),
    "edit_negative": (
        "图层 {role} 要素 {feature} 的字段 {field} 不能为负数（{value}）",
        "Field {field} of feature {feature} in layer {role} cannot be negative ({value})",
    ),
    "edit_outside_districts": ("所画区域不在任何普查区内", "The area drawn lies in no district"),
    "edit_no_free_space": (
        "所画区域在普查区 {district} 内没有空白（已全部划入其他普查小区）",
        "The area drawn leaves no free land in district {district}: other small areas cover all of it",
    ),
    "edit_no_seq_left": ("普查区 {district} 的小区编号 001–899 已用完", "District {district} has no small-area number left (001–899 are all used)"),
    "edit_split_no_cut": ("所画的线没有把普查小区 {code} 分成两块以上", "The line drawn does not cut small area {code} into two or more parts"),
    "edit_split_crosses_building": (
        "所画的线穿过普查小区 {code} 内的建筑物 {building}；建筑物不能被分割",
        "The line drawn crosses building {building} in small area {code}; a building is never divided",
    ),
    "edit_merge_too_few": ("合并至少需要两个普查小区（{codes}）", "Merging needs two or more small areas ({codes})"),
    "edit_merge_other_districts": (
        "普查小区 {codes} 属于不同的普查区，不能合并",
        "Small areas {codes} belong to different districts and cannot be merged",
    ),
    "edit_merge_not_adjacent": (
        "普查小区 {codes} 不相邻（没有共同边界），合并后不是一个整体",
        "Small areas {codes} do not share a boundary; merged they would not be one piece",
    ),
    "edit_unknown_building": ("没有编号为 {building} 的建筑物", "There is no building {building}"),
    "edit_building_outside_districts": ("建筑物 {building} 不在任何普查区内", "Building {building} lies in no district"),
    "edit_building_no_footprint": (
        "建筑物 {building} 的轮廓为空（需要点或面）",
        "Building {building} has no footprint (a point or a polygon is needed)",
    ),
    "edit_unknown_use": (
        "建筑物 {building} 的字段 use 不能是“{value}”；可选用途：{uses}",
        "Field use of building {building} cannot be '{value}'; the uses are: {uses}",
    ),
    "edit_merge_buildings_too_few": ("合并至少需要两栋建筑物（{building}）", "Merging needs two or more buildings ({building})"),
    "edit_merge_buildings_other_districts": (
        "建筑物 {building} 属于不同的普查区，不能合并",
        "Buildings {building} lie in different districts and cannot be merged",
    ),
    "edit_merge_buildings_apart": (
        "建筑物 {building} 互不相接，合并后不是一个整体",
        "Buildings {building} do not touch; merged they would not be one footprint",
    ),
    "edit_split_building_no_cut": (
        "所画的线没有把建筑物 {building} 分成两块以上",
        "The line drawn does not cut building {building} into two or more parts",
    ),
    "edit_building_not_touching": (
        "建筑物 {building} 与普查小区 {code} 不相接",
        "Building {building} does not touch small area {code}",
    ),
    "edit_building_other_district": (
        "建筑物 {building} 位于普查区 {district} 之外，不能划入普查小区 {code}",
        "Building {building} lies outside district {district} and cannot join small area {code}",
    ),
    "edit_area_would_vanish": (
        "划入建筑物 {building} 后普查小区 {code} 将没有面积",
        "Small area {code} would have no land left once building {building} joins another area",
    ),
    "edit_no_vertex": ("此处（{x}, {y}）没有普查小区的节点或边界", "No small-area vertex or boundary at ({x}, {y})"),
    "edit_vertex_on_district_boundary": (
        "节点位于普查区 {district} 的边界上；普查小区须铺满普查区，不能移动",
        "The vertex lies on the boundary of district {district}; small areas must fill their district, so it cannot move",
    ),
    "edit_invalid_result": (
        "移动后普查小区 {code} 的边界自相交（{reason}）",
        "The move makes the boundary of small area {code} cross itself ({reason})",
    ),
    "edit_overlap_result": (
        "移动后普查小区 {code} 与 {other} 重叠 {area} 平方米",
        "The move makes small area {code} overlap {other} by {area} m²",
    ),
    "edit_outside_district": (
        "移动后普查小区 {code} 超出普查区 {district} {area} 平方米",
        "The move takes small area {code} {area} m² outside district {district}",
    ),
    # editing guard (gis_census.editing.guard): an edit that would break a district's tiling is refused
    "edit_refused_gap": (
        "此编辑会在普查区 {district} 中留下 {area} 平方米不属于任何普查小区的空隙（相邻小区：{codes}），已拒绝",
        "Refused: the edit would leave {area} m² of district {district} in no small area (next to {codes})",
    ),
    "edit_refused_overlap": (
        "此编辑会使普查小区 {codes} 重叠 {area} 平方米，已拒绝",
        "Refused: the edit would make small areas {codes} overlap by {area} m²",
    ),
    "edit_refused_outside": (
        "此编辑会使普查小区 {code} 超出普查区 {district} {area} 平方米，已拒绝",
        "Refused: the edit would take small area {code} {area} m² outside district {district}",
    ),
    "edit_refused_building": (
        "此编辑会使住宅建筑物 {building}（原属普查小区 {code}）不再属于任何普查小区，已拒绝",
        "Refused: the edit would leave residential building {building} (in small area {code}) in no small area",
    ),
    "edit_refused_unmeasured": (
        "无法核实此编辑后普查小区是否仍然不重不漏（{reason}），已拒绝",
        "Refused: could not verify that the small areas still cover the district without gap or overlap after the edit ({reason})",
    ),
}
