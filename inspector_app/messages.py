"""The message catalogue: every sentence the core says to a person, in Chinese and English.

An error carries a stable key (``finding.text_too_long``) and plain parameters; this module
turns them into a sentence in the reader's language. The Chinese sentence an error stores as
``message`` is rendered from here too, so the key and the sentence cannot drift apart.

Parameters named in ``LABELLED`` are names of things (a field, a noun, a status) and are shown
through ``NAMES`` in the reader's language; a value not listed there is shown as it is (a spec
path such as ``policy.riders``, a file name). A list is joined ("、" / ", "); a parameter that
is itself ``phrase(key, ...)`` is rendered in the same language (a cause inside a sentence).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any, Protocol

ZH, EN = 0, 1

# key: (Chinese, English). Placeholders are str.format fields named after the error's params.
MESSAGES: dict[str, tuple[str, str]] = {
    # frames: how an error class wraps its reason
    "invalid": ("{field}: {reason}", "{field}: {reason}"),
    "photo.rejected": ("{path}: {reason}", "{path}: {reason}"),
    "not_found": ("找不到{what}: {id}", "Cannot find {what} {id}"),
    "cancelled": ("操作已取消", "Cancelled"),
    "database.too_new": ("数据库 {path} 由更新版本的 IDI Inspector 创建（结构版本 {revision}），请升级软件后再打开。",
                         "The database {path} was made by a newer IDI Inspector (schema {revision}); "
                         "update the software before opening it."),
    "storage.write_failed": ("无法保存 {path}：{reason}。已保存的内容不受影响，请释放磁盘空间后重试。",
                             "Cannot save {path}: {reason}. What was saved is unaffected; free some disk space "
                             "and try again."),
    "database.damaged": ("数据库文件 {path} 已损坏（{detail}）。请不要继续使用这个文件：关闭软件，把它移出数据目录另存，然后{restore}",
                         "The database file {path} is damaged ({detail}). Stop using this file: close the "
                         "app, move it out of the data folder and keep it, then {restore}"),
    "database.restore_backup": ("用自动备份 {backup} 替换它（复制到原位置并命名为 inspector.sqlite3）；备份之后的改动须重新录入，"
                                "或从导出的项目数据包导入。",
                                "put the automatic backup {backup} in its place (copy it there, named "
                                "inspector.sqlite3); changes made after the backup must be entered again or "
                                "imported from exported project bundles."),
    "database.restore_no_backup": ("用你另存的数据目录副本替换它，或在新的数据目录中导入各项目导出的数据包"
                                   "（本机没有自动备份：{folder} 中的备份只在软件升级数据库结构前生成）。",
                                   "put a copy of the data folder you kept in its place, or import each project's "
                                   "exported bundle into a new data folder (there is no automatic backup here: "
                                   "{folder} gets one only before a schema upgrade)."),
    "database.records_unreadable": ("表 {table} 第 {row} 行 {column} 列无法读取（{detail}）",
                                    "table {table}, row {row}, column {column} cannot be read ({detail})"),
    "database.wrong_type": ("表 {table} 第 {row} 行 {column} 列的值类型为 {found}（应为 {expected}）",
                            "table {table}, row {row}, column {column} holds a {found} value (it should be "
                            "{expected})"),
    "storage.failed": ("存储错误：{reason}（已保存的内容不受影响）", "Storage error: {reason} (what was saved is unaffected)"),
    "verify.damaged": ("数据库文件损坏：{detail}", "the database file is damaged: {detail}"),
    "verify.unreadable": ("数据库内容无法读取：{detail}", "the database content cannot be read: {detail}"),
    "verify.pdf_missing": ("{what} {number} 的 PDF 缺失：{path}", "the PDF of {what} {number} is missing: {path}"),
    "verify.pdf_altered": ("{what} {number} 的 PDF 已被改动：{path}（SHA-256 为 {digest}，记录为 {recorded}）",
                           "the PDF of {what} {number} was altered: {path} (SHA-256 {digest}, recorded "
                           "{recorded})"),
    "verify.ok": ("完好：审计日志 {audit} 条，照片原件 {photos} 个、报告 PDF {pdfs} 份均与哈希一致",
                  "Sound: {audit} audit entries; {photos} photo originals and {pdfs} report PDFs match their hashes"),
    "verify.problems": ("发现问题：", "Problems found:"),
    "verify.undecodable": ("照片原件 {sha}… 无法解码（{reason}），使用它的照片：{photos}。移除：{commands}",
                           "the photo original {sha}… cannot be decoded ({reason}); photos using it: {photos}. "
                           "To remove: {commands}"),
    "verify.undecodable_unused": ("照片原件 {sha}… 无法解码（{reason}），没有照片使用它：可删除文件 {path}",
                                  "the photo original {sha}… cannot be decoded ({reason}); no photo uses it: the "
                                  "file {path} can be deleted"),
    "verify.photo_of_finding": ("照片 {id}（项目 {project} 问题 F{number:03d}，{name}）",
                                "photo {id} (project {project}, finding F{number:03d}, {name})"),
    "verify.photo_of_visit": ("照片 {id}（项目 {project} 第 {number} 次巡查，{name}）",
                              "photo {id} (project {project}, visit {number}, {name})"),
    "verify.photo_of_project": ("照片 {id}（项目 {project}，{name}）", "photo {id} (project {project}, {name})"),
    "verify.floor_plan": ("平面图 {id}（项目 {project} {floor}）", "floor plan {id} (project {project}, {floor})"),
    # values in general
    "value.required": ("必填", "required"),
    "value.required_not_empty": ("必填，不能为空", "required; cannot be empty"),
    "value.not_a_date": ("{value!r} 不是日期", "{value!r} is not a date"),
    "value.too_long": ("过长（上限 {limit} 字）", "too long (at most {limit} characters)"),
    "value.unknown_type": ("未知类型 {value}（可选：{choices}）", "unknown type {value} (choose from: {choices})"),
    "date.invalid": ("不是有效日期（YYYY-MM-DD）：{value}", "not a valid date (YYYY-MM-DD): {value}"),
    "date.in_future": ("{day} 在未来", "{day} is in the future"),
    "money.not_amount": ("不是金额：{value!r}", "not an amount: {value!r}"),
    "money.too_many_decimals": ("金额最多两位小数：{value}", "an amount has at most two decimals: {value}"),
    "money.not_positive": ("金额必须大于 0：{value}", "the amount must be greater than 0: {value}"),
    "money.over_limit": ("金额超出上限 {limit:,} 元：{value}", "the amount is over the limit of {limit:,} yuan: {value}"),
    "percent.invalid": ("不是百分比：{value!r}", "not a percentage: {value!r}"),
    "percent.too_many_decimals": ("份额最多两位小数：{value}", "a share has at most two decimals: {value}"),
    "file.unreadable": ("无法读取 {name}：{detail}", "cannot read {name}: {detail}"),
    # project specs, policies, parties
    "spec.unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "spec.malformed": ("格式错误：{detail}", "malformed: {detail}"),
    "credit_code.length": ("应为 18 位，实际 {length} 位：{value}", "must have 18 characters, has {length}: {value}"),
    "credit_code.bad_chars": ("含有不允许的字符 {chars}：{value}", "has characters that are not allowed ({chars}): {value}"),
    "credit_code.check_char": ("校验位错误：{value}（应为 {expected}）",
                               "wrong check character: {value} (it should be {expected})"),
    "coinsurance.lead_count": ("必须有且只有一家主承保公司，当前 {count} 家",
                               "there must be exactly one lead insurer; there are {count}"),
    "coinsurance.too_few": ("除主承保公司外至少 {minimum} 家共保公司，当前 {count} 家",
                            "besides the lead insurer at least {minimum} co-insurers are needed; there are {count}"),
    "coinsurance.share_range": ("{name} 的份额必须在 0 到 100% 之间", "the share of {name} must be between 0 and 100%"),
    "coinsurance.share_total": ("各家份额合计应为 100%，当前 {total:g}%",
                                "the shares must add up to 100%; they add up to {total:g}%"),
    "coinsurance.duplicate": ("同一保险公司出现多次", "the same insurer appears more than once"),
    "risk_fee.over_share": ("不得超过保费的 {share:.0%}：保费 {premium} 元，上限 {limit} 元，填写 {value} 元",
                            "may not exceed {share:.0%} of the premium: premium {premium} yuan, limit {limit} yuan, "
                            "entered {value} yuan"),
    "policy.date_before_issue": ("{day} 早于保单签发日期 {issued_on}", "{day} is before the policy was issued ({issued_on})"),
    "policy.unknown_rider": ("规则集 {ruleset} 中没有附加险 {rider}", "the rule set {ruleset} has no rider {rider}"),
    "policy.cover_ends_before_start": ("保险期间结束日期早于开始日期", "the cover ends before it starts"),
    "policy.coverage_not_insured": ("保单未承保：{codes}", "not insured by the policy: {codes}"),
    "policy.number_taken": ("保单号 {number} 已存在", "the policy number {number} already exists"),
    "project.code_taken": ("项目编号 {code} 已存在", "the project code {code} already exists"),
    "project.no_such_party": ("项目中没有参建单位 {party}", "the project has no participating party {party}"),
    "project.already_archived": ("项目 {code} 已于 {on} 归档", "the project {code} was archived on {on}"),
    "project.not_archived": ("项目 {code} 未归档", "the project {code} is not archived"),
    "project.delete_confirm_mismatch": ("输入的「{typed}」与项目编号 {code} 不符：删除项目须完整输入其编号",
                                        "“{typed}” is not the project code {code}: type the whole code to delete "
                                        "the project"),
    "project.delete_synced": ("项目 {code} 已同步到平台：平台与其他电脑仍有其记录，本机只能归档，不能删除",
                              "the project {code} has been synced with the platform: the platform and other "
                              "laptops still hold it, so here it can only be archived, not deleted"),
    "project.delete_reports": ("项目 {code} 有 {count} 份已送审或已签发的报告：报告及其审核记录是正式文件，"
                               "项目只能归档，不能删除",
                               "the project {code} has {count} reports submitted or issued: reports and their "
                               "reviews are formal documents, so the project can only be archived, not deleted"),
    "sync.demo_project": ("{code} 是演示项目：演示项目从不同步到平台", "{code} is the demo project: the demo is never "
                          "sent to the platform"),
    "parties.developer_missing": ("缺少建设单位（role = developer）", "the developer is missing (role = developer)"),
    "parties.unknown_role": ("未知角色 {role}（可选：{choices}）", "unknown role {role} (choose from: {choices})"),
    "buildings.none": ("至少需要一栋单体", "at least one building is needed"),
    "buildings.implausible_storeys": ("层数不合理：地上 {above} 层，地下 {below} 层",
                                      "implausible storeys: {above} above ground, {below} below"),
    "node.unknown_status": ("未知节点状态 {status}（可选：{choices}）", "unknown node status {status} (choose from: {choices})"),
    # visits
    "visit.before_policy": ("{day} 早于保单签发日期 {issued_on}，不可能有巡查",
                            "{day} is before the policy was issued ({issued_on}); no visit can have taken place"),
    "visit.unknown_inspectors": ("未登记的检查人员 {names}（已登记：{known}）",
                                 "inspectors not registered: {names} (registered: {known})"),
    "visit.attendee_name_required": ("姓名必填", "the name is required"),
    "visit.implausible_temperature": ("{value} ℃ 不合理（北京 -45 ℃ 至 50 ℃）",
                                      "{value} °C is implausible (Beijing: -45 °C to 50 °C)"),
    "visit.unknown_nodes": ("项目计划中没有节点 {codes}", "the project plan has no node {codes}"),
    "visit.unknown_building": ("项目中没有单体 {name}（有：{buildings}）",
                               "the project has no building {name} (it has: {buildings})"),
    "visit.not_in_project": ("巡查 {visit} 不属于本项目", "visit {visit} does not belong to this project"),
    "visit.not_in_named_project": ("巡查 {visit} 不属于项目 {project}", "visit {visit} does not belong to project {project}"),
    "inspector.unknown": ("未登记的检查人员 {name}", "inspector not registered: {name}"),
    # findings
    "finding.text_too_long": ("过长：{value} 字，上限 {limit} 字", "too long: {value} characters, at most {limit}"),
    "finding.unknown_grade": ("未知等级 {grade}（可选：{choices}）", "unknown grade {grade} (choose from: {choices})"),
    "finding.unknown_building": ("项目中没有 {building}（有：{buildings}）",
                                 "the project has no {building} (it has: {buildings})"),
    "finding.unknown_coverage": ("未知类别 {coverage}（可选：{choices}）",
                                 "unknown category {coverage} (choose from: {choices})"),
    "finding.unknown_division": ("GB 50300 中没有分部 {division}", "GB 50300 has no division {division}"),
    "finding.not_a_subdivision": ("{subdivision} 不是分部 {division} 的子分部",
                                  "{subdivision} is not a subdivision of division {division}"),
    "finding.deadline_before_found": ("{deadline} 早于发现日期 {found_on}",
                                      "{deadline} is before the date it was found ({found_on})"),
    "finding.serious_override_needs_reason": ("检查人员手动认定或排除严重缺陷时必须说明理由",
                                              "marking or clearing a serious defect by hand needs a reason"),
    "finding.serious_change_needs_reason": ("认定或排除严重缺陷必须说明理由",
                                            "marking or clearing a serious defect needs a reason"),
    "finding.regrade_needs_reason": ("调整等级必须说明原因", "changing the grade needs a reason"),
    "finding.grade_change_needs_reason": ("由 {old} 改为 {new} 必须说明原因（填写变更理由）",
                                          "changing it from {old} to {new} needs a reason (fill in the reason)"),
    "finding.serious_not_a_choice": ("{value!r} 不是可选的认定（严重 / 非严重 / 按等级）",
                                     "{value!r} is not a choice (serious / not serious / by grade)"),
    "finding.reopen_deadline_required": ("重新打开须给出新的整改期限", "re-opening needs a new rectification deadline"),
    "finding.reopen_deadline_past": ("新的整改期限 {deadline} 早于今天 {today}",
                                     "the new deadline {deadline} is before today ({today})"),
    "undo.not_undoable": ("「{step}」不能撤销：其前的修改也无法再撤销", "“{step}” cannot be undone, nor the edits before it"),
    "finding.date_before_found": ("{day} 早于问题发现日期 {found_on}", "{day} is before the finding was found ({found_on})"),
    "finding.not_editable_here": ("不能在此修改：{fields}", "cannot be changed here: {fields}"),
    "finding.closed": ("F{number:03d} 已关闭，不能修改；如需修改请先重新打开",
                       "F{number:03d} is closed and cannot be changed; reopen it first"),
    "finding.transition_not_allowed": ("不允许从「{current}」变为「{target}」", "cannot change from “{current}” to “{target}”"),
    "finding.transition_needs_reason": ("变为「{target}」必须记录原因", "changing to “{target}” needs a recorded reason"),
    "reply.text_required": ("回复内容必填", "the reply text is required"),
    "verification.unknown_result": ("应为 accepted 或 rejected，而不是 {result}", "must be accepted or rejected, not {result}"),
    "verification.before_reply": ("{day} 早于整改回复日期 {reply_day}", "{day} is before the rectification reply ({reply_day})"),
    "verification.needs_after_photo": ("问题 F{number:03d} 没有整改后照片：验证通过需要至少一张整改后照片，"
                                       "或以「关闭并说明原因」结案",
                                       "finding F{number:03d} has no photo after rectification: accepting it needs "
                                       "at least one, or close it with a reason"),
    "verification.not_visit_day": ("复查日期 {day} 与第 {visit} 次巡查日期 {visit_day} 不符：复查须在巡查中进行",
                                   "the re-check date {day} is not the day of visit {visit} ({visit_day}): a re-check "
                                   "is made in a visit"),
    "verification.visit_required": ("复查须在一次巡查中进行：{day} 没有巡查记录，请指定巡查（--visit）或先开始巡查",
                                    "a re-check is made in a visit: there is no visit on {day}; name the visit "
                                    "(--visit) or start one"),
    "verification.inspector_required": ("复查须由风险管理机构的检查人员完成：请指定检查人员（已登记：{known}）",
                                        "a re-check is made by an inspector of the agency: name one (registered: "
                                        "{known})"),
    "verification.not_agency_inspector": ("{name} 不是本项目风险管理机构的在册检查人员（已登记：{known}）",
                                          "{name} is not a registered inspector of this project's agency "
                                          "(registered: {known})"),
    "verification.after_photo_too_early": ("问题 F{number:03d} 的整改后照片拍摄于 {taken}，早于 {since}（发现或整改回复之日）："
                                           "不能证明整改，请补拍整改后照片",
                                           "the after-photo of finding F{number:03d} was taken {taken}, before "
                                           "{since} (the day it was found or replied to): it cannot prove the "
                                           "rectification; take a new after-photo"),
    "verification.photo_reused": ("问题 F{number:03d} 的整改后照片已作为 {others} 的证据：同一照片用于多个问题须说明原因确认",
                                  "the after-photo of finding F{number:03d} is already evidence for {others}: using "
                                  "one photo on several findings needs a confirming reason"),
    "finding.rider_not_in_policy": ("保单未投保附加险 {coverage}（已投保：{riders}）",
                                    "the policy did not buy the rider {coverage} (bought: {riders})"),
    "finding.division_outside_coverage": ("分部 {division} 不在承保类别 {coverage} 对应的分部（{allowed}）之内："
                                          "如确需如此标记，请说明理由",
                                          "division {division} is not one of the divisions of coverage category "
                                          "{coverage} ({allowed}); give a reason to tag it so"),
    "visit.inspector_required": ("巡查须至少有一名风险管理机构的检查人员（已登记：{known}）",
                                 "a visit needs at least one inspector of the agency (registered: {known})"),
    "checklist.finding_not_linkable": ("问题 {finding} 不能关联到 {item}：须为本项目的问题，且结论为不符合",
                                       "finding {finding} cannot be linked to {item}: it must be a finding of this "
                                       "project and the item marked as not conforming"),
    # reasons the core writes into a finding's history itself (the other reasons are the inspector's
    # own words); stored in Chinese, read back by ``history_reason`` in the reader's language
    "history.found": ("发现问题", "Finding recorded"),
    "history.replied": ("整改回复：{text}", "Rectification reply: {text}"),
    "history.recheck_passed": ("复查通过", "Re-check passed"),
    "history.recheck_failed": ("复查未通过", "Re-check failed"),
    "history.regraded_after_recheck": ("复查后评级", "Graded after the re-check"),
    "history.serious_by_grade": ("恢复按等级认定", "Back to the grade's own rule"),
    "history.undo_edit": ("撤销修改", "Edit undone"),
    "history.undo_reason": ("撤销：{reason}", "Undone: {reason}"),
    # steps of the undo history (services/undo.py), read back like the history reasons
    "undo.edit": ("修改 {finding} {finding_fields}", "Edit of {finding}: {finding_fields}"),
    "undo.markup": ("修改照片标注", "Edit of the photo markup"),
    # what the outbox lists (services/outbox.py), read back the same way
    "outbox.report": ("{report_kind} {number} 第{revision}版", "{report_kind} {number}, revision {revision}"),
    # steps the window cannot undo (services/undo.record_step): Ctrl+Z names them instead
    "undo.step.record": ("记录问题 {finding}", "Recording of {finding}"),
    "undo.step.reply": ("整改回复 {finding}", "Rectification reply to {finding}"),
    "undo.step.verify": ("复查 {finding}", "Re-check of {finding}"),
    "undo.step.close": ("关闭 {finding}", "Closing of {finding}"),
    "undo.step.reopen": ("重新打开 {finding}", "Re-opening of {finding}"),
    "undo.step.remove_photo": ("移除照片 {name}", "Removal of the photo {name}"),
    # the final gate and its preconditions (services/gate.py, rules.final_gate)
    "gate.passed": ("最终评估闸门：通过，计划节点均已巡查或说明豁免，严重缺陷均已验证整改并有证据",
                    "Final gate: passed; every planned node inspected or waived, every serious defect verified "
                    "with proof"),
    "gate.failed": ("最终评估闸门：不通过", "Final gate: not passed"),
    "gate.no_visit": ("项目尚无任何巡查记录：未经现场检查不能给出通过结论",
                      "the project has no visit at all: nothing was inspected, so it cannot pass"),
    "gate.nodes_not_inspected": ("{count} 个计划节点既未巡查也未说明理由豁免：{nodes}",
                                 "{count} planned nodes were neither inspected nor waived with a reason: {nodes}"),
    "gate.serious_unverified": ("{count} 项严重缺陷未经复查验证整改：{items}",
                                "{count} serious defects not verified as rectified by a re-check: {items}"),
    "gate.serious_unproven": ("{count} 项严重缺陷的复查缺少整改证据：{items}",
                              "{count} serious defects were verified without proof: {items}"),
    "gate.unproven_item": ("{label}（{problems}）", "{label} ({problems})"),
    "gate.evidence_pending": ("{count} 项技术风险保留（待补证据）：{items}",
                              "{count} items with evidence still pending: {items}"),
    "gate.behaviour_risks": ("{count} 项严重质量行为风险未关闭（未认定为严重缺陷，不阻止通过）：{items}",
                             "{count} serious quality-behaviour risks still open (not marked serious; they do not "
                             "block): {items}"),
    "gate.visits_without_report": ("第 {visits} 次巡查尚无已签发的过程评估报告",
                                   "no issued process report covers visit(s) {visits}"),
    "proof.no_recheck": ("无通过的复查记录", "no accepted re-check on record"),
    "proof.no_visit": ("复查未记录巡查", "the re-check names no visit"),
    "proof.no_inspector": ("复查人不是机构在册检查人员", "the re-check names no inspector of the agency"),
    "proof.no_after_photo": ("无整改后照片", "no after-photo"),
    "proof.after_photo_too_early": ("整改后照片早于发现或回复日期", "the after-photo predates the finding or the reply"),
    "proof.photo_reused": ("整改后照片与其他问题重复且未说明理由", "the after-photo is another finding's, with no reason"),
    # photos
    "photo.owner_required": ("必须指定一个问题（--finding）或一次巡查（--visit）",
                             "name either a finding (--finding) or a visit (--visit)"),
    "photo.link_not_of_finding": ("{field} {id} 不属于问题 {finding}", "{field} {id} does not belong to finding {finding}"),
    "photo.other_project": ("{name} 属于另一个项目", "{name} belongs to another project"),
    "photo.other_finding": ("{name} 已属于另一问题", "{name} already belongs to another finding"),
    "photo.in_report": ("照片 {id}（{name}）出现在已签发或送审中的报告 {reports} 中：报告是正式文件，其证据不能移除",
                        "photo {id} ({name}) is shown in the issued or submitted report {reports}: a report is "
                        "a formal document and its evidence cannot be removed"),
    "photo.in_checklist": ("照片 {id}（{name}）是检查要点 {items} 的照片：先为该要点另附照片或改判结论，再移除",
                           "photo {id} ({name}) is the photo of check item {items}: give that item another photo "
                           "or another result first, then remove it"),
    "photo.is_folder": ("这是一个文件夹，其中没有照片文件（JPEG、PNG、HEIC/HEIF）",
                        "this is a folder with no photo files in it (JPEG, PNG, HEIC/HEIF)"),
    "photo.empty": ("文件为空（0 字节）", "the file is empty (0 bytes)"),
    "photo.too_large": ("文件过大（{size_mb:.0f} MB，上限 {limit_mb} MB）", "the file is too large ({size_mb:.0f} MB, at most {limit_mb} MB)"),
    "photo.missing": ("文件不存在", "the file does not exist"),
    "photo.dangling_link": ("符号链接指向的文件不存在（{target}）", "the symbolic link points to a file that does not exist ({target})"),
    "photo.not_a_file": ("不是普通文件：这是一个{content}，没有读取", "not a regular file: this is {content}, not read"),
    "photo.no_permission": ("没有读取权限", "no permission to read it"),
    "photo.decoder_crashed": ("解码这个文件时解码程序异常退出（文件可能被恶意构造或严重损坏）；其余照片照常导入",
                              "the decoder stopped abnormally on this file (it may be crafted or badly damaged); "
                              "the other photos are imported as usual"),
    "photo.unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "photo.decode_crashed": ("解码这个文件时解码程序异常退出（文件可能被恶意构造或严重损坏）",
                             "the decoder stopped abnormally on this file (it may be crafted or badly damaged)"),
    "photo.unsupported_format": ("不支持的图片格式：{kind}（仅接受 JPEG、PNG、HEIC/HEIF）",
                                 "unsupported image format: {kind} (only JPEG, PNG and HEIC/HEIF are accepted)"),
    "photo.not_an_image": ("不是图片：文件内容是 {content}", "not an image: the file holds {content}"),
    "photo.bad_size": ("图片尺寸无效：{width}×{height}", "invalid image size: {width}×{height}"),
    "photo.too_many_pixels": ("图片像素过大（{width}×{height} = {megapixels:.0f} 百万像素，上限 {limit} 百万像素）",
                              "too many pixels ({width}×{height} = {megapixels:.0f} megapixels, at most {limit})"),
    "photo.too_many_pixels_bomb": ("图片像素过大（{width}×{height} = {megapixels:.0f} 百万像素，上限 {limit} 百万像素），"
                                   "文件仅 {kb} KB，疑似解压炸弹",
                                   "too many pixels ({width}×{height} = {megapixels:.0f} megapixels, at most {limit}); "
                                   "the file is only {kb} KB, likely a decompression bomb"),
    "photo.bomb": ("疑似解压炸弹：{width}×{height} 像素却只有 {kb} KB",
                   "likely a decompression bomb: {width}×{height} pixels in only {kb} KB"),
    "photo.bomb_detail": ("疑似解压炸弹：{detail}", "likely a decompression bomb: {detail}"),
    "photo.truncated": ("文件被截断：{kind} 数据不完整", "the file is truncated: the {kind} data is incomplete"),
    "photo.jpeg_truncated": ("文件被截断：JPEG 缺少结束标记", "the file is truncated: the JPEG end marker is missing"),
    "photo.text_too_large": ("PNG 文本或色彩配置块过大（单块解压后上限 {chunk_kb} KB，合计上限 {total_mb} MB），疑似解压炸弹",
                             "a PNG text or colour-profile chunk is too large (at most {chunk_kb} KB each once "
                             "decompressed, {total_mb} MB in all): likely a decompression bomb"),
    "photo.original_undecodable": ("照片原件 {sha}… 无法解码（{detail}）：用 photos list 查到这张照片，"
                                   "photos remove 将其移除后重新导入",
                                   "the photo original {sha}… cannot be decoded ({detail}): find the photo with "
                                   "photos list, remove it with photos remove and import it again"),
    "photo.corrupt": ("图片已损坏，无法解码（{kind}：{detail}）", "the image is damaged and cannot be decoded ({kind}: {detail})"),
    # floor plans and markup
    "plan.unreadable_pdf": ("{name} 不是可读的 PDF：{detail}", "{name} is not a readable PDF: {detail}"),
    "plan.no_such_page": ("{name} 共 {pages} 页，没有第 {page} 页", "{name} has {pages} pages; there is no page {page}"),
    "plan.unknown_building": ("项目中没有楼栋“{name}”", "the project has no building “{name}”"),
    "plan.floor_required": ("请填写楼层，例如 3F、B1、屋面", "fill in the floor, e.g. 3F, B1, roof"),
    "plan.bad_image": ("{name}：{reason}（可用 PDF、JPEG 或 PNG）", "{name}: {reason} (PDF, JPEG or PNG can be used)"),
    "plan.exists": ("{building} {floor} 已有平面图；如需更换请选择“替换”",
                    "{building} {floor} already has a floor plan; choose “Replace” to change it"),
    "plan.pin_outside": ("({x:.0f}, {y:.0f}) 不在图纸内（{width}×{height}）",
                         "({x:.0f}, {y:.0f}) is outside the drawing ({width}×{height})"),
    "plan.pin_other_building": ("“{building}”不是图钉所在图纸的单体：图纸为 {plan_building} {plan_floor}，"
                                "在图上记录的问题须属于 {plan_building}",
                                "“{building}” is not the building of the drawing the pin is on: the drawing is "
                                "{plan_building} {plan_floor}, and a finding recorded on it belongs to {plan_building}"),
    "markup.unknown_kind": ("类型“{kind}”未知（可用：{choices}）", "unknown kind “{kind}” (available: {choices})"),
    "markup.point_count": ("{kind} 需要至少 {minimum} 个点（至多 {maximum} 个）",
                           "{kind} needs at least {minimum} points (at most {maximum})"),
    "markup.bad_point": ("点 {point} 不是一对数字", "the point {point} is not a pair of numbers"),
    "markup.point_outside": ("点 ({x:.3f}, {y:.3f}) 超出照片范围", "the point ({x:.3f}, {y:.3f}) is outside the photo"),
    "markup.bad_color": ("颜色“{color}”应为 #RRGGBB", "the colour “{color}” should be #RRGGBB"),
    "markup.bad_width": ("线宽 {width} 超出范围（0.0005–0.05，按照片宽度计）",
                         "the line width {width} is out of range (0.0005–0.05 of the photo width)"),
    "markup.text_empty": ("文字标注不能为空", "a text label cannot be empty"),
    "markup.text_too_long": ("文字过长（{length} 字，上限 {limit}）", "the text is too long ({length} characters, at most {limit})"),
    "markup.too_many_shapes": ("图形过多（{count} 个，上限 {limit}）", "too many shapes ({count}, at most {limit})"),
    # reports
    "report.unknown_kind": ("未知类型 {kind}（可选：{choices}）", "unknown type {kind} (choose from: {choices})"),
    "report.revision_kind_mismatch": ("{number} 是{previous_kind}，不是{report_kind}",
                                      "{number} is a {previous_kind}, not a {report_kind}"),
    "report.revision_reason_required": ("签发修订版必须说明更正的内容和原因",
                                        "issuing a revision needs what was corrected and why"),
    "report.superseded": ("{number} 第{revision}版已被替代，请修订最新版本",
                          "{number} revision {revision} has been superseded; revise the latest revision"),
    "report.pdf_missing": ("已签发报告的 PDF 缺失：{path}", "the PDF of the issued report is missing: {path}"),
    "report.pdf_altered": ("已签发报告的 PDF 已被改动（SHA-256 {digest} ≠ 记录的 {recorded}）",
                           "the PDF of the issued report has been altered (SHA-256 {digest} ≠ recorded {recorded})"),
    "report.period_required": ("需要 --visit，或 --from 与 --to（结束不早于开始）",
                               "needs --visit, or --from and --to (the end not before the start)"),
    "report.period_required_cli": ("需要 --visit，或 --from 与 --to", "needs --visit, or --from and --to"),
    "report.no_visits_in_period": ("所选期间内没有巡查记录", "there are no visits in the chosen period"),
    "report.notice_needs_visit": ("整改通知单需要指定一次巡查（--visit）", "a rectification notice needs one visit (--visit)"),
    # the review chain before issue (编制 / 审核 / 批准, issue 12)
    "report.project_required": ("需要 --project", "needs --project"),
    "report.review_required": ("{report_kind}须经审核、批准后签发：先 report submit，再由他人 report approve（审核、批准）",
                               "a {report_kind} is issued only after review and approval: report submit, then "
                               "report approve by others (review, then approval)"),
    "report.already_issued": ("本范围已签发 {number} 第{revision}版：如需更正，请提交修订版（--replaces {number} --reason …）",
                              "{number} revision {revision} is already issued for this scope: to correct it, submit "
                              "a revision (--replaces {number} --reason …)"),
    "report.number_busy": ("报告编号 {number} 在签发时被同时签发的其他报告占用，已重新编号 {attempts} 次仍冲突；"
                           "未签发，请稍后重试",
                           "the report number {number} was taken by other reports issued at the same time, "
                           "{attempts} times in a row; nothing was issued: try again in a moment"),
    "report.not_staff": ("{person} 不是本项目风险管理机构的在册人员（在册：{staff}）；请在设置中选择本人，或用 --as 指定",
                         "{person} is not active staff of this project's agency (staff: {staff}); choose yourself in "
                         "the settings, or give --as"),
    "report.draft_pending": ("本范围已有报告 {number} {status}：请先完成或退回它",
                             "report {number} is already {status} for this scope: finish or reject it first"),
    "report.draft_closed": ("报告 {number} {status}，不能再审核、批准或签发",
                            "report {number} is {status}: it can no longer be reviewed, approved or issued"),
    "report.unknown_step": ("未知审核步骤 {step}（可选：review 审核、approve 批准）",
                            "unknown step {step} (choose review or approve)"),
    "report.step_out_of_order": ("报告 {number} {status}，现在不能{step}：先审核，后批准",
                                 "report {number} is {status}: it cannot take the step {step} now (review comes "
                                 "before approval)"),
    "report.self_review": ("{person} 编制了报告 {number}，不能由本人审核、批准或退回",
                           "{person} prepared report {number} and cannot review, approve or reject it"),
    "report.same_reviewer": ("{person} 已审核报告 {number}，批准须由另一人完成",
                             "{person} reviewed report {number}; another person must approve it"),
    "report.approver_role": ("{person} 的岗位是{role}：批准须由项目负责人或技术负责人完成",
                             "{person} is a {role}: approval needs the project lead or the technical lead"),
    "report.gate_not_confirmed": ("报告 {number} 的最终评估条件未满足（尚未验证整改的严重缺陷：{blocking}）："
                                  "批准人须确认照此签发（--confirm-gate）",
                                  "the final gate of report {number} fails (serious defects not verified as "
                                  "rectified: {blocking}): the approver must confirm issuing it so (--confirm-gate)"),
    "report.reject_comment_required": ("退回须写明意见（--comment）", "a rejection needs a comment (--comment)"),
    "report.not_approved": ("报告 {number} {status}：只有经审核、批准的报告才能签发",
                            "report {number} is {status}: only a reviewed and approved report can be issued"),
    "staff.unknown_role": ("岗位 {role} 不认识（可选：{choices}）", "unknown staff role {role} (choose from {choices})"),
    "register.bad_suffix": ("登记表应为 .xlsx 或 .csv，而不是 {name}", "the register should be .xlsx or .csv, not {name}"),
    # data bundles
    "bundle.photo_missing": ("照片原件缺失：{sha256}", "a photo original is missing: {sha256}"),
    "bundle.report_pdf_missing": ("已签发报告的 PDF 缺失：{number} 第{revision}版",
                                  "the PDF of an issued report is missing: {number} revision {revision}"),
    "bundle.not_a_bundle": ("{path} 不是有效的数据包：{detail}", "{path} is not a valid data bundle: {detail}"),
    "bundle.bad_manifest": ("{path} 缺少或损坏 manifest.json：{detail}", "{path} lacks manifest.json or it is damaged: {detail}"),
    "bundle.wrong_format": ("{path} 不是本软件的数据包（格式 {format} {version}）",
                            "{path} is not a bundle of this software (format {format} {version})"),
    "bundle.schema_mismatch": ("数据包的结构版本 {schema} 与本软件（{expected}）不同，请用相同版本导出",
                               "the bundle's schema {schema} differs from this software's ({expected}); "
                               "export it with the same version"),
    "bundle.file_missing": ("数据包缺少文件 {file}", "the bundle lacks the file {file}"),
    "bundle.hash_mismatch": ("数据包中 {file} 的哈希不符：已损坏或被改动",
                             "the hash of {file} in the bundle does not match: damaged or altered"),
    "bundle.photos_missing": ("数据包缺少 {count} 张照片原件", "the bundle lacks {count} photo originals"),
    "bundle.project_mismatch": ("数据包中的项目与清单不符", "the project in the bundle does not match its manifest"),
    "bundle.code_taken": ("本机已有编号为 {code} 的另一个项目，未导入",
                          "another project with the code {code} is already here; not imported"),
    # hostile or damaged bundles (issue 15): refused before anything is written
    "bundle.too_many_entries": ("数据包含有 {count} 个文件，超过上限 {limit} 个，未导入",
                                "the bundle holds {count} files, more than the limit of {limit}; not imported"),
    "bundle.duplicate_entry": ("数据包中文件 {file} 出现不止一次，未导入",
                               "the file {file} appears more than once in the bundle; not imported"),
    "bundle.entry_too_large": ("数据包中的 {file} 过大（{size_mb} MB，上限 {limit_mb} MB），未导入",
                               "{file} in the bundle is too large ({size_mb} MB, at most {limit_mb} MB); not imported"),
    "bundle.entry_ratio": ("数据包中的 {file} 压缩比 {ratio}:1 超过上限 {limit}:1（压缩炸弹），未导入",
                           "{file} in the bundle expands {ratio} times, more than {limit} (a zip bomb); not imported"),
    "bundle.too_large": ("数据包要导入的内容共 {size_mb} MB，超过上限 {limit_mb} MB，未导入",
                         "what the bundle would bring in is {size_mb} MB, more than the limit of {limit_mb} MB; "
                         "not imported"),
    "bundle.entry_damaged": ("数据包中的 {file} 已损坏（{detail}），未导入",
                             "{file} in the bundle is damaged ({detail}); not imported"),
    "bundle.manifest_field": ("数据包清单中的 {field} 无效：{value}，未导入",
                              "{field} in the bundle's manifest is not valid: {value}; not imported"),
    "bundle.bad_entry_name": ("数据包清单列出的文件名 {file} 不是本软件导出的名称（只允许 data.json、"
                              "photos/<SHA-256>.<扩展名>、reports/<SHA-256>.pdf），未导入",
                              "the bundle's manifest lists the name {file}, which this software never writes (only "
                              "data.json, photos/<SHA-256>.<ext> and reports/<SHA-256>.pdf); not imported"),
    "bundle.name_not_hash": ("数据包中 {file} 的名称与其哈希不符，未导入",
                             "the name of {file} in the bundle does not match its hash; not imported"),
    "bundle.bad_data": ("数据包的记录无效（表 {table}，记录 {row}）：{detail}，未导入",
                        "a record of the bundle is not valid (table {table}, record {row}): {detail}; not imported"),
    "bundle.bad_value": ("数据包的记录无效（表 {table}，记录 {row}，字段 {column} = {value}）：{detail}，未导入",
                         "a record of the bundle is not valid (table {table}, record {row}, field {column} = "
                         "{value}): {detail}; not imported"),
    "bundle.dangling_reference": ("数据包的记录指向不存在的记录（表 {table}，记录 {row}，{column} = {value}，"
                                  "在 {target} 中找不到），未导入",
                                  "a record of the bundle points to a record that is not in it (table {table}, "
                                  "record {row}, {column} = {value}, not found in {target}); not imported"),
    "bundle.rows_refused": ("数据库拒绝了数据包的记录（{detail}），未导入，本机数据未改动",
                            "the database refused the bundle's records ({detail}); not imported, nothing here changed"),
    "bundle.photo_rejected": ("数据包中的照片 {file} 不是可用的照片原件：{reason}，未导入",
                              "the photo {file} in the bundle is not a usable original: {reason}; not imported"),
    "bundle.differs": ("本机已有项目 {code}，但数据包中有本机没有的或与本机不同的记录：问题 新 {findings_new} 条、"
                       "不同 {findings_changed} 条；问题记录 新 {events_new} 条、不同 {events_changed} 条；照片 新 "
                       "{photos_new} 张、不同 {photos_changed} 张；其他记录 新 {other_new} 条、不同 {other_changed} 条。"
                       "未导入，本机数据未改动。要合并两台电脑的记录，请两台电脑都同步到保险公司平台（sync）；"
                       "要以数据包为准，先导出本机项目留作备份，再删除本机项目（project delete）后重新导入。",
                       "project {code} is already here, but the bundle holds records this laptop lacks or holds "
                       "differently: findings {findings_new} new, {findings_changed} different; finding records "
                       "{events_new} new, {events_changed} different; photos {photos_new} new, {photos_changed} "
                       "different; other records {other_new} new, {other_changed} different. Not imported; nothing "
                       "here was changed. To merge the two laptops' records, sync both with the insurer's platform "
                       "(sync); to take the bundle's version, export this project as a backup, delete it here "
                       "(project delete) and import the bundle again."),
    # settings
    "settings.unsupported_language": ("不支持 {language}（可选：{choices}）", "{language} is not supported (choose from: {choices})"),
    "settings.server_not_https": ("“{server}”应以 https:// 开头（数据经加密传输）",
                                  "“{server}” should start with https:// (data travels encrypted)"),
    # sync with the insurer platform
    "sync.server_required": ("需要平台地址", "the platform address is required"),
    "sync.not_https": ("同步地址必须使用 https://（仅本机测试可用 http://127.0.0.1）",
                       "the sync address must use https:// (http://127.0.0.1 only for local tests)"),
    "sync.unavailable": ("网络或平台暂时不可用：{detail}", "the network or the platform is unavailable for now: {detail}"),
    "sync.busy": ("另一个同步正在进行", "another sync is running"),
    "sync.token_refused": ("平台拒绝了令牌（过期、吊销或错误）：{detail}",
                           "the platform refused the token (expired, revoked or wrong): {detail}"),
    "sync.refused": ("平台拒绝（{status} {error}）：{detail}", "the platform refused ({status} {error}): {detail}"),
    "sync.refused_for_good": ("平台拒绝（{status} {error}）：{detail}。此条目不再自动重试：请核对后点“立即同步”再试，或联系平台管理员",
                              "the platform refused ({status} {error}): {detail}. This item is not retried "
                              "automatically: check it, then press Sync now to try again, or contact the "
                              "platform's administrator"),
    "sync.team_refused_for_good": (
        "团队变更被平台拒绝（{status} {error}）：{detail}。本项目的变更不再自动发送（仍接收他人的变更）："
        "请核对后点“立即同步”或运行 sync --retry-refused 再试，或联系平台管理员",
        "the platform refused the team changes ({status} {error}): {detail}. This project's changes are not "
        "sent automatically any more (the others' are still received): check them, then press Sync now or run "
        "sync --retry-refused to try again, or contact the platform's administrator"),
    "sync.team_label": ("团队变更：项目 {code}，{count} 条（审计序号 {first}–{last}）",
                        "team changes: project {code}, {count} of them (audit entries {first}–{last})"),
    "sync.upload_hash_mismatch": ("平台校验 {sha}… 的哈希不符，未保存",
                                  "the platform found the hash of {sha}… wrong and did not keep it"),
    "sync.photo_missing": ("照片原件缺失：{sha256}（运行 verify 查看）", "a photo original is missing: {sha256} (run verify)"),
    "sync.receipt_mismatch": ("回执未通过核对：{detail}", "the receipt did not check out: {detail}"),
    "sync.receipt.idempotency_key": ("回执的幂等键与本地不同", "its idempotency key differs from ours"),
    "sync.receipt.manifest_hash": ("回执的清单哈希 {theirs} ≠ 本地 {ours}", "its manifest hash {theirs} ≠ ours {ours}"),
    "sync.receipt.photos_missing": ("回执缺少 {count} 张照片", "it lacks {count} photos"),
    "sync.receipt.blob": ("回执中文件 {sha}… 缺失或大小不符", "the file {sha}… is missing or has the wrong size"),
    "sync.receipt.report_hash": ("回执中的报告 PDF 哈希与本地不同", "its report PDF hash differs from ours"),
    "sync.receipt.audit_head": ("回执中的审计链头与本地不同", "its audit chain head differs from ours"),
    "sync.no_keyring": ("本机没有可用的系统密钥库（如 Windows 凭据管理器、GNOME 密钥环），无法安全保存令牌；"
                        "令牌不会以明文保存。可在本次运行中用环境变量 {env} 提供令牌。",
                        "This computer has no system keyring (such as Windows Credential Manager or GNOME Keyring), "
                        "so the token cannot be kept safely; it is never saved as plain text. The environment "
                        "variable {env} can provide it for this run."),
    "sync.keyring_save_failed": ("无法保存到系统密钥库：{detail}", "cannot save to the system keyring: {detail}"),
    "sync.keyring_read_failed": ("无法读取系统密钥库：{detail}", "cannot read the system keyring: {detail}"),
    "sync.token_empty": ("令牌为空", "the token is empty"),
    "sync.no_token": ("尚未保存 {server} 的令牌：请先运行 `sync token --server {server}` 或在设置中填写",
                      "no token saved for {server}: run `sync token --server {server}` or fill it in the settings"),
    "sync.device_restored": ("平台发现本机 {device} 的审计记录与已上传的不同（数据从备份恢复或复制）：已换用新的设备标识重新发送",
                             "the platform holds other records under {device} (a restored or copied data folder): "
                             "a new device name was taken and the changes sent again"),
    "sync.download_hash_mismatch": ("从平台下载的文件 {sha}… 哈希不符，未保存", "a file downloaded from the platform "
                                    "({sha}…) does not match its hash: not kept"),
    # team sync (issue 13): conflicts between laptops
    "conflict.open_on_project": ("团队同步有 {count} 个冲突待处理（两台电脑离线改了同一字段）：在问题详情中处理，或运行 conflict list",
                                 "{count} sync conflicts to decide (two laptops changed one field offline): "
                                 "decide in the finding's panel, or run conflict list"),
    "conflict.keep_unknown": ("--keep 只能是 mine（本机）、theirs（对方）或 value（另填），不是 {keep}",
                              "--keep is mine, theirs or value, not {keep}"),
    "conflict.already_resolved": ("冲突 {id} 已由 {by} 处理", "conflict {id} was already resolved by {by}"),
    "conflict.number_taken": ("编号 {number} 已被本项目的另一条记录使用", "number {number} is used by another record of the project"),
    "conflict.bad_value": ("{column} 的值 {value} 类型不符", "{value} is not a valid value for {column}"),
    # the project file, the policy and the plan as the regulation reads (issue 11): refusals and warnings
    "spec.unknown_keys": ("含有本软件不认识的键 {keys}：请删除或更正（拼写错误的条款不会被悄悄忽略）",
                          "has keys this software does not know: {keys}; remove or correct them (a misspelt term "
                          "is never silently dropped)"),
    "spec.not_a_table": ("应为表（键 = 值），而不是 {kind}", "should be a table (key = value), not a {kind}"),
    "spec.not_a_list": ("应为列表，而不是 {kind}", "should be a list, not a {kind}"),
    # values of a project file of the wrong type or range (issue 15)
    "spec.expect_text": ("应为文字，而不是 {kind} {value}", "should be text, not the {kind} {value}"),
    "spec.expect_date": ("应为日期（YYYY-MM-DD），而不是 {kind} {value}",
                         "should be a date (YYYY-MM-DD), not the {kind} {value}"),
    "spec.expect_bool": ("应为 true 或 false，而不是 {kind} {value}", "should be true or false, not the {kind} {value}"),
    "spec.expect_integer": ("应为整数，而不是 {kind} {value}", "should be a whole number, not the {kind} {value}"),
    "spec.expect_number": ("应为数字，而不是 {kind} {value}", "should be a number, not the {kind} {value}"),
    "spec.expect_amount": ("应为金额（数字或文字），而不是 {kind} {value}",
                           "should be an amount (a number or text), not the {kind} {value}"),
    "spec.expect_lines": ("应为文字的列表，而不是 {kind} {value}", "should be a list of texts, not the {kind} {value}"),
    "spec.out_of_range": ("{value} 超出范围：应在 {low} 至 {high} 之间", "{value} is out of range: from {low} to {high}"),
    "spec.out_of_range_open": ("{value} 超出范围：应大于 {low}、不超过 {high}",
                               "{value} is out of range: more than {low} and at most {high}"),
    "spec.date_out_of_range": ("{value} 不是可用的日期：应在 {earliest} 至 {latest} 之间",
                               "{value} is not a usable date: it should be from {earliest} to {latest}"),
    "spec.not_an_object": ("项目说明文件的顶层应为表（键 = 值），而不是 {kind}",
                           "the top of a project file should be a table (key = value), not a {kind}"),
    "value.not_finite": ("{value} 不是有限的数（不接受 NaN 与无穷大）",
                         "{value} is not a finite number (NaN and infinity are not accepted)"),
    "value.too_long_given": ("过长：{length} 字，上限 {limit} 字（{value}）",
                             "too long: {length} characters, at most {limit} ({value})"),
    "agency.required": ("缺少风险管理机构 [agency]：第十八条要求保险公司委托风险管理机构实施风险管理",
                        "the risk management agency [agency] is missing: Art. 18 has the insurer appoint one"),
    "agency.no_inspectors": ("风险管理机构 {agency} 没有在册检查人员：请在 [[agency.inspectors]] 中至少列出一人",
                             "the agency {agency} has no active inspector: list at least one in "
                             "[[agency.inspectors]]"),
    "agency.not_independent": ("风险管理机构 {agency} 的统一社会信用代码 {code} 与{party_role} {party} 相同："
                               "第十八条要求风险管理机构不得与项目参建各方存在关联",
                               "the agency {agency} has the same credit code {code} as the {party_role} {party}: "
                               "Art. 18 requires the agency to be independent of every party of the project"),
    "agency.same_name_as_party": ("风险管理机构 {agency} 与{party_role} {party} 是同一单位：第十八条要求风险管理机构"
                                  "不得与项目参建各方存在关联",
                                  "the agency {agency} is the same firm as the {party_role} {party}: Art. 18 requires "
                                  "the agency to be independent of every party of the project"),
    "policy.issued_after_permit": ("保单签发日 {issued_on} 晚于施工许可证核发日 {permit_date}：第十条要求建设单位在办理"
                                   "施工许可证前投保",
                                   "the policy was issued on {issued_on}, after the construction permit "
                                   "({permit_date}): Art. 10 has the developer insure before the permit"),
    "ruleset.basis": ("依据{regulation}（有效期至{valid_until}）", "Under {regulation} (valid until {valid_until})"),
    "ruleset.basis_open": ("依据{regulation}", "Under {regulation}"),
    "ruleset.policy_after_validity": ("依据{regulation}（有效期至{valid_until}）：保单签发日 {issued_on} 在有效期外",
                                      "Under {regulation} (valid until {valid_until}): the policy was issued on "
                                      "{issued_on}, outside its validity"),
    "ruleset.policy_before_validity": ("依据{regulation}（自 {valid_from} 起施行）：保单签发日 {issued_on} 在有效期外",
                                       "Under {regulation} (in force from {valid_from}): the policy was issued on "
                                       "{issued_on}, outside its validity"),
    "policy.rule_window": ("自竣工验收合格之日 {acceptance} 起 {offset} 年起算，保险期间 {years} 年，应为 "
                           "{expected_start} 至 {expected_end}",
                           "starting {offset} years after completion acceptance ({acceptance}), {years} years: "
                           "{expected_start} to {expected_end}"),
    "policy.rule_length": ("保险期间 {years} 年，自 {starts_on} 起应至 {expected_end} 止",
                           "{years} years: from {starts_on} it ends on {expected_end}"),
    "policy.period_contradicts": ("{cover} 载明的保险期间 {starts_on} 至 {ends_on} 与{article}不符（{rule}）；"
                                  "如保单确实如此约定，请在该 [[policy.coverage]] 条目中以 reason 说明原因",
                                  "{cover}: the stated period {starts_on} to {ends_on} contradicts {article} "
                                  "({rule}); if the policy really says so, give a reason in that "
                                  "[[policy.coverage]] entry"),
    "policy.period_with_reason": ("{cover} 载明的保险期间 {starts_on} 至 {ends_on} 与{article}不符（{rule}）；"
                                  "原因：{reason}",
                                  "{cover}: the stated period {starts_on} to {ends_on} differs from {article} "
                                  "({rule}); reason: {reason}"),
    "policy.period_unexplained": ("{cover} 载明的保险期间 {starts_on} 至 {ends_on} 与{article}不符（{rule}），未说明原因",
                                  "{cover}: the stated period {starts_on} to {ends_on} differs from {article} "
                                  "({rule}), with no reason given"),
    "plan.not_confirmed": ("风险评估实施方案尚未记录建设单位确认（第十条：方案经建设单位确认后作为保单附件）",
                           "the developer's confirmation of the risk assessment plan is not recorded (Art. 10: the "
                           "plan is confirmed by the developer and annexed to the policy)"),
    "plan.confirmation_incomplete": ("确认日期（confirmed_on）与确认人（confirmed_by）须同时填写",
                                     "the confirmation date (confirmed_on) and who confirmed (confirmed_by) go "
                                     "together"),
    "plan.key_process_too_long": ("重点工序过长（{length} 字，上限 {limit}）：{text}",
                                  "a key process is too long ({length} characters, at most {limit}): {text}"),
    "node.waive_needs_reason": ("免检必须说明原因", "waiving a node needs a reason"),
    "node.waive_inspected": ("节点 {node} 已在第 {visits} 次巡查中检查，不能免检",
                             "node {node} was inspected in visit {visits}; it cannot be waived"),
    "node.waiver_not_inspector": ("{name} 不是本项目风险管理机构的在册检查人员（在册：{known}）",
                                  "{name} is not an active inspector of the project's agency (registered: {known})"),
    "node.not_waived": ("节点 {node} 没有免检", "node {node} is not waived"),
    "node.waive_with_reason": ("免检须说明原因并由检查人员署名（“免检”操作或 plan waive）",
                               "a node is waived with a reason and an inspector's name (“Waive” or plan waive)"),
    "node.waived_unwaive_first": ("节点 {node} 已免检：请先撤销免检", "node {node} is waived: undo the waiver first"),
    # checklists
    "checklist.unknown_result": ("应为 ok（符合）、fail（不符合）或 na（不适用），而不是 {result}",
                                 "must be ok (conforms), fail (does not conform) or na (not applicable), not {result}"),
    "checklist.unknown_item": ("规则集 {ruleset} 中没有检查要点 {item}", "the rule set {ruleset} has no check item {item}"),
    "checklist.node_not_visited": ("检查要点 {item} 属于节点 {node}，第 {visit} 次巡查未检查该节点（本次节点：{nodes}）",
                                   "check item {item} belongs to node {node}, which visit {visit} did not inspect "
                                   "(its nodes: {nodes})"),
    "checklist.value_required": ("检查要点 {item} 判为符合须填写实测值", "check item {item} needs a measured value to conform"),
    "checklist.value_not_number": ("检查要点 {item}：{value!r} 不是数字", "check item {item}: {value!r} is not a number"),
    "checklist.value_below_min": ("检查要点 {item}：实测值 {value}{unit} 小于最小值 {min}{unit}，不能判为符合",
                                  "check item {item}: the measured {value}{unit} is below the minimum of {min}{unit}; "
                                  "it cannot conform"),
    "checklist.value_above_max": ("检查要点 {item}：实测值 {value}{unit} 大于最大值 {max}{unit}，不能判为符合",
                                  "check item {item}: the measured {value}{unit} is above the maximum of {max}{unit}; "
                                  "it cannot conform"),
    "checklist.photo_required": ("检查要点 {item} 判为符合须附照片", "check item {item} needs a photo to conform"),
    "checklist.photo_not_of_project": ("照片 {photo} 不属于项目 {project}", "photo {photo} does not belong to project {project}"),
    "checklist.photo_rejected": ("{name}：{reason}", "{name}: {reason}"),
    "checklist.building_required": ("检查要点 {item} 不符合将生成问题：项目有多个单体，须指定单体（{buildings}）",
                                    "check item {item} does not conform and opens a finding: the project has several "
                                    "buildings, name one ({buildings})"),
    # documents and tests reviewed (资料核查)
    "document_review.unknown_result": ("应为 ok（符合）、fail（不符合）或 missing（缺失），而不是 {result}",
                                       "must be ok (conforms), fail (does not conform) or missing, not {result}"),
    "document_review.unknown_kind": ("应为 document（资料）或 test（检测报告），而不是 {kind}",
                                     "must be document or test (a test report), not {kind}"),
    "document_review.finding_other_project": ("问题 {finding} 不存在或不属于项目 {project}：只能关联本项目的问题",
                                              "finding {finding} does not exist or is not of project {project}: "
                                              "only a finding of this project can be linked"),
    "document_review.finding_needs_failure": ("结论为{doc_result}的资料不关联问题（{finding}）：仅不符合或缺失时关联",
                                              "a review whose result is {doc_result} takes no finding ({finding}): "
                                              "only one that does not conform or is missing does"),
    "document_review.building_required": ("资料「{name}」{doc_result}将生成问题：项目有多个单体，须指定单体（{buildings}），"
                                          "或关联已记录的问题",
                                          "“{name}” is {doc_result} and opens a finding: the project has several "
                                          "buildings, name one ({buildings}) or link a finding already recorded"),
    "document_review.tags_required": ("资料「{name}」{doc_result}将生成问题：须指定承保类别与分部工程，或关联已记录的问题",
                                      "“{name}” is {doc_result} and opens a finding: name its coverage category and "
                                      "division, or link a finding already recorded"),
}

# Names of things shown inside sentences: "<kind>.<key>": (Chinese, English). May use the error's params.
NAMES: dict[str, tuple[str, str]] = {
    "field.visit": ("巡查", "Visit"),
    "field.visit.date": ("巡查日期", "Visit date"),
    "field.visit.time": ("巡查时间", "Visit time"),
    "field.visit.inspectors": ("巡查人员", "Inspectors"),
    "field.visit.attendees": ("参加人员", "Attendees"),
    "field.visit.temperature": ("气温", "Temperature"),
    "field.visit.nodes": ("节点", "Nodes"),
    "field.visit.progress": ("形象进度", "Progress"),
    "field.finding.description": ("问题描述", "Description"),
    "field.finding.floor": ("楼层", "Floor"),
    "field.finding.location": ("部位", "Location"),
    "field.finding.risk": ("风险说明", "Risk"),
    "field.finding.clause": ("依据条款", "Clause"),
    "field.finding.requirement": ("整改要求", "Requirement"),
    "field.finding.deadline": ("整改期限", "Rectification deadline"),
    "field.finding.grade": ("等级", "Grade"),
    "field.finding.responsible": ("责任单位", "Responsible party"),
    "field.finding.building": ("单体", "Building"),
    "field.finding.coverage": ("承保类别", "Coverage category"),
    "field.finding.division": ("分部工程", "Division"),
    "field.finding.subdivision": ("子分部工程", "Subdivision"),
    "field.finding.serious": ("严重缺陷标记", "Serious-defect flag"),
    "field.finding.serious_reason": ("严重缺陷认定理由", "Reason for the serious-defect call"),
    "field.finding.tag_reason": ("标记理由", "Reason for the tagging"),
    "field.finding.fields": ("字段", "Fields"),
    "field.reason": ("原因", "Reason"),
    "field.reply": ("整改回复", "Rectification reply"),
    "field.reply.date": ("回复日期", "Reply date"),
    "field.verification": ("复查", "Re-inspection"),
    "field.verification.result": ("复查结论", "Re-inspection result"),
    "field.verification.date": ("复查日期", "Re-inspection date"),
    "field.verification.inspector": ("复查人员", "Re-inspector"),
    "field.photo": ("照片", "Photo"),
    "field.photo.owner": ("照片归属", "Photo belongs to"),
    "field.photo.role": ("照片类型", "Photo type"),
    "field.plan.file": ("平面图文件", "Floor-plan file"),
    "field.plan.page": ("平面图页码", "Floor-plan page"),
    "field.plan.building": ("楼栋", "Building"),
    "field.plan.floor": ("楼层", "Floor"),
    "field.plan.pin": ("图钉位置", "Pin position"),
    "field.markup": ("标注", "Markup"),
    "field.markup.shape": ("标注第 {shape} 个图形", "Markup shape {shape}"),
    "field.report.kind": ("报告类型", "Report type"),
    "field.report.preparer": ("编制人", "Prepared by"),
    "field.report.approver": ("审核/批准人", "Reviewer or approver"),
    "field.report.issuer": ("签发人", "Issued by"),
    "field.report.step": ("审核步骤", "Review step"),
    "field.report.comment": ("审核意见", "Review comment"),
    "field.report.revision": ("修订", "Revision"),
    "field.report.revision_reason": ("修订原因", "Reason for the revision"),
    "field.report.period": ("评估期间", "Assessment period"),
    "field.report.output": ("输出文件", "Output file"),
    "field.coinsurance": ("共保体", "Co-insurers"),
    "field.coinsurance.share": ("共保份额", "Co-insurance share"),
    "field.risk_fee": ("风险管理费", "Risk management fee"),
    "field.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "field.party.credit_code": ("{owner} 的统一社会信用代码", "Unified social credit code of {owner}"),
    "field.settings.language": ("语言", "Language"),
    "field.settings.sync_server": ("平台地址", "Platform address"),
    "field.settings.inspector_name": ("检查人员姓名", "Inspector's name"),
    "field.settings.agency": ("风险管理机构", "Risk management agency"),
    "field.settings.phone": ("电话", "Phone"),
    "field.settings.certificate_no": ("证书编号", "Certificate number"),
    "field.checklist.result": ("检查结论", "Check result"),
    "field.checklist.item": ("检查要点", "Check item"),
    "field.checklist.value": ("实测值", "Measured value"),
    "field.checklist.note": ("备注", "Note"),
    "field.checklist.photo": ("照片", "Photo"),
    "field.checklist.building": ("单体", "Building"),
    "field.document_review.name": ("资料名称", "Document"),
    "field.document_review.reference": ("编号或日期", "Number or date"),
    "field.document_review.kind": ("资料类型", "Document type"),
    "field.document_review.result": ("核查结论", "Review result"),
    "field.document_review.note": ("备注", "Note"),
    "field.document_review.finding": ("关联问题", "Linked finding"),
    "field.document_review.building": ("单体", "Building"),
    "field.document_review.coverage": ("承保类别", "Coverage category"),
    "field.document_review.division": ("分部工程", "Division"),
    "field.project_file": ("项目说明文件", "Project file"),
    "field.project": ("项目", "Project"),
    "field.project.confirm_code": ("确认删除所输入的项目编号", "Project code typed to confirm the deletion"),
    "field.node": ("节点", "Node"),
    "field.node.waived_reason": ("免检原因", "Reason for waiving"),
    "field.node.waived_by": ("免检检查人员", "Inspector waiving"),
    "field.node.notified_on": ("建设单位通知日期", "Developer's notice date"),
    "field.inspection_plan.confirmed_on": ("方案确认日期", "Plan confirmed on"),
    "field.inspection_plan.confirmed_by": ("建设单位确认人", "Confirmed for the developer by"),
    "field.inspection_plan.key_processes": ("重点工序", "Key processes"),
    "article.第五条": ("第五条", "Art. 5"),
    "article.第六条": ("第六条", "Art. 6"),
    "article.第十条": ("第十条", "Art. 10"),
    "article.第二十八条": ("第二十八条", "Art. 28"),
    "regulation.《北京市住宅工程质量潜在缺陷保险暂行管理办法》": ("《北京市住宅工程质量潜在缺陷保险暂行管理办法》",
                                                   "the Beijing interim measures for residential latent defect "
                                                   "insurance"),
    "party_role.developer": ("建设单位", "developer"),
    "party_role.survey": ("勘察单位", "survey firm"),
    "party_role.design": ("设计单位", "design firm"),
    "party_role.construction": ("施工单位", "contractor"),
    "party_role.supervision": ("监理单位", "supervision firm"),
    "party_role.supplier": ("供应单位", "supplier"),
    "noun.project": ("项目", "project"),
    "noun.visit": ("巡查", "visit"),
    "noun.finding": ("问题", "finding"),
    "noun.photo": ("照片", "photo"),
    "noun.plan": ("平面图", "floor plan"),
    "noun.node": ("节点", "node"),
    "noun.issued_report": ("已签发报告", "issued report"),
    "noun.report_draft": ("待签发报告", "report under review"),
    "noun.conflict": ("同步冲突", "sync conflict"),
    "noun.ruleset": ("规则集", "rule set"),
    "noun.document_review": ("资料核查记录", "document review"),
    "document_result.ok": ("符合", "conforming"),
    "document_result.fail": ("不符合", "not conforming"),
    "document_result.missing": ("缺失", "missing"),
    "status.open": ("待整改", "Open"),
    "status.replied": ("已回复", "Replied"),
    "status.verified": ("已验证关闭", "Verified and closed"),
    "status.closed": ("已关闭", "Closed"),
    "report_kind.process": ("工程质量风险过程评估报告", "process assessment report"),
    "report_kind.final": ("工程质量风险最终评估报告", "final assessment report"),
    "report_kind.notice": ("整改通知单", "rectification notice"),
    "content.MP4/MOV 视频": ("MP4/MOV 视频", "an MP4/MOV video"),
    "content.HTML 网页": ("HTML 网页", "an HTML page"),
    "content.XML/SVG 文本": ("XML/SVG 文本", "XML/SVG text"),
    "content.文本文件": ("文本文件", "text"),
    "content.未知格式": ("未知格式", "an unknown format"),
    "content.命名管道": ("命名管道（FIFO）", "a named pipe (FIFO)"),
    "content.设备文件": ("设备文件", "a device file"),
    "content.套接字": ("套接字", "a socket"),
    "content.特殊文件": ("特殊文件", "a special file"),
}

# Parameters that name a thing, and where NAMES lists them.
LABELLED = {"field": "field.", "what": "noun.", "current": "status.", "target": "status.",
            "report_kind": "report_kind.", "previous_kind": "report_kind.", "content": "content.",
            "party_role": "party_role.", "article": "article.", "regulation": "regulation.",
            "doc_result": "document_result.", "finding_fields": "field.finding."}

_JOIN = ("、", ", ")
_NONE = ("无", "none")


class Keyed(Protocol):
    """What ``describe`` reads of an error (``errors.InspectorError``; errors sit above this module)."""

    key: str
    params: dict[str, Any]
    message: str

    @property
    def frame(self) -> str | None: ...


def phrase(key: str, **params: Any) -> dict[str, Any]:
    """A message used as a parameter of another (a cause inside a sentence), rendered in its language."""
    return {"key": key, "params": params}


def language_index(lang: str) -> int:
    """0 for Chinese, 1 for English; accepts "zh", "zh_CN", "en", "en_US"."""
    return EN if lang.lower().startswith("en") else ZH


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def label(name: str, value: Any, lang: str = "zh", params: Mapping[str, Any] | None = None) -> str:
    """How the parameter ``name`` holding ``value`` reads in ``lang`` (a known name, else the value itself)."""
    entry = NAMES.get(f"{LABELLED[name]}{value}") if name in LABELLED else None
    if entry is None:
        return str(value)
    return entry[language_index(lang)].format_map(_Shown(params or {}, lang))


def text(key: str, params: Mapping[str, Any] | None = None, lang: str = "zh") -> str:
    """The sentence of ``key`` in ``lang`` with ``params`` filled in. KeyError for an unknown key or a
    missing parameter: the core's keys are all here (tests/core/test_messages.py makes sure)."""
    return MESSAGES[key][language_index(lang)].format_map(_Shown(params or {}, lang))


def sentence(key: str, params: Mapping[str, Any], frame: str | None = None, lang: str = "zh") -> str:
    """The reason of ``key``, wrapped in ``frame`` when the error class has one. A ``key`` that is not
    in the catalogue is taken as the reason's own text (the UI's, already in the reader's language)."""
    reason = text(key, params, lang) if key in MESSAGES else key
    return text(frame, {**params, "reason": reason}, lang) if frame else reason


def describe(exc: Keyed, lang: str = "zh") -> str:
    """What the reader of ``lang`` ("zh", "en", or a settings language such as "zh_CN") is told about
    ``exc``; falls back to its stored Chinese sentence if the sentence cannot be rendered."""
    try:
        return sentence(exc.key, exc.params, exc.frame, lang)
    except (KeyError, IndexError, ValueError, AttributeError):
        return exc.message


# sentences the core keeps as text (a history reason, an undo step, an outbox row), said again from their key
READ_BACK = ("history.", "undo.edit", "undo.markup", "undo.step.", "outbox.report", "sync.")


def _history_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each history and undo key with a pattern of its Chinese sentence (placeholders catch any text)."""
    out = []
    for key, (zh, _en) in MESSAGES.items():
        if key.startswith(READ_BACK):
            parts, named = [], set()
            for lit, name, _spec, _conv in string.Formatter().parse(zh):
                parts.append(re.escape(lit))
                if name:  # a parameter used twice matches the same text twice
                    parts.append(f"(?P={name})" if name in named else f"(?P<{name}>.*)")
                    named.add(name)
            out.append((key, re.compile("".join(parts), re.DOTALL)))
    return out


_HISTORY = _history_patterns()


def history_reason(stored: str | None, lang: str = "zh") -> str:
    """A finding-history reason or an undo step's label in ``lang``: one the core wrote (``history.*``,
    ``undo.*``, kept as its Chinese sentence) is said again from its key; the inspector's own words
    are shown as typed."""
    if not stored:
        return ""
    for key, pattern in _HISTORY:
        match = pattern.fullmatch(stored)
        if match:
            params: dict[str, Any] = match.groupdict()
            for name in set(params) - set(LABELLED):  # a part may itself be one the core wrote
                params[name] = history_reason(params[name], lang)
            for name in set(params) & set(LABELLED):  # names of things back to their codes
                codes = {zh: k.removeprefix(LABELLED[name]) for k, (zh, _en) in NAMES.items()
                         if k.startswith(LABELLED[name])}
                shown = params[name].split(_JOIN[ZH]) if name == "finding_fields" else [params[name]]
                if not all(n in codes for n in shown):
                    return stored
                params[name] = [codes[n] for n in shown] if name == "finding_fields" else codes[shown[0]]
            return text(key, params, lang)
    return stored


class _Shown(dict[str, Any]):
    """Parameters as a sentence shows them: names labelled, lists joined, nested phrases rendered."""

    def __init__(self, params: Mapping[str, Any], lang: str) -> None:
        super().__init__(params)
        self.params, self.lang = params, lang

    def __getitem__(self, name: str) -> Any:
        value = super().__getitem__(name)
        i = language_index(self.lang)
        if name in LABELLED and isinstance(value, (list, tuple)):
            return _JOIN[i].join(label(name, v, self.lang, self.params) for v in value)
        if name in LABELLED:
            return label(name, value, self.lang, self.params)
        if isinstance(value, dict) and set(value) == {"key", "params"}:
            return text(value["key"], value["params"], self.lang)
        if isinstance(value, (list, tuple)):
            shown = (text(v["key"], v["params"], self.lang) if isinstance(v, dict) and set(v) == {"key", "params"}
                     else str(v) for v in value)
            return _JOIN[i].join(shown) or _NONE[i]
        return value
