<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>Inspector</name>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>确定</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>内部错误：{0}</source>
      <translation>Internal error: {0}</translation>
    </message>
    <message>
      <source>未保存：{0}</source>
      <translation>Not saved: {0}</translation>
    </message>
    <message>
      <source>第 {0} 次巡查 {1:%Y-%m-%d}（{2}）</source>
      <translation>Visit {0} {1:%Y-%m-%d} ({2})</translation>
    </message>
    <message>
      <source>检查要点</source>
      <translation>Check items</translation>
    </message>
    <message>
      <source>楼层，如 12F</source>
      <translation>Floor, e.g. 12F</translation>
    </message>
    <message>
      <source>部位，如 1201 卫生间</source>
      <translation>Location, e.g. bathroom of 1201</translation>
    </message>
    <message>
      <source>编号</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>结论</source>
      <translation>Result</translation>
    </message>
    <message>
      <source>实测值</source>
      <translation>Measured</translation>
    </message>
    <message>
      <source>备注</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>照片</source>
      <translation>Photo</translation>
    </message>
    <message>
      <source>问题</source>
      <translation>Finding</translation>
    </message>
    <message>
      <source>符合：要点要求的实测值须在范围内，要求照片的须附照片。不符合：保存时生成问题（预填分部、承保类别、依据条款）；之后改为符合或不适用不会删除该问题。</source>
      <translation>Conforms: a measured value the item asks for must be within its bounds, and a photo attached where one is needed. Does not conform: saving opens a finding (division, coverage category and clause filled in); marking the item conforming or not applicable later does not delete that finding.</translation>
    </message>
    <message>
      <source>保存更改</source>
      <translation>Save changes</translation>
    </message>
    <message>
      <source>关闭</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>待导入</source>
      <translation>To import</translation>
    </message>
    <message>
      <source>已附 ✓</source>
      <translation>Attached ✓</translation>
    </message>
    <message>
      <source>需照片…</source>
      <translation>Photo needed…</translation>
    </message>
    <message>
      <source>照片…</source>
      <translation>Photo…</translation>
    </message>
    <message>
      <source>巡查</source>
      <translation>Visit</translation>
    </message>
    <message>
      <source>不符合项生成问题于</source>
      <translation>Non-conforming items open findings in</translation>
    </message>
    <message>
      <source>本次巡查的节点没有检查要点</source>
      <translation>The nodes of this visit have no check items</translation>
    </message>
    <message>
      <source>符合</source>
      <translation>Conforms</translation>
    </message>
    <message>
      <source>不符合</source>
      <translation>Does not conform</translation>
    </message>
    <message>
      <source>不适用</source>
      <translation>Not applicable</translation>
    </message>
    <message>
      <source>可选</source>
      <translation>Optional</translation>
    </message>
    <message>
      <source>选择照片</source>
      <translation>Choose a photo</translation>
    </message>
    <message>
      <source>照片 (*.jpg *.jpeg *.png *.heic *.heif)</source>
      <translation>Photos (*.jpg *.jpeg *.png *.heic *.heif)</translation>
    </message>
    <message>
      <source>没有要保存的结论：请先为要点选择 符合 / 不符合 / 不适用</source>
      <translation>Nothing to save: mark the items Conforms / Does not conform / Not applicable first</translation>
    </message>
    <message>
      <source>依据：{0}</source>
      <translation>Basis: {0}</translation>
    </message>
    <message>
      <source>已生成问题：{0}</source>
      <translation>Findings opened: {0}</translation>
    </message>
    <message>
      <source>未保存 {0}：{1}</source>
      <translation>Not saved {0}: {1}</translation>
    </message>
    <message>
      <source>已保存 {0} 项</source>
      <translation>Saved {0} items</translation>
    </message>
    <message>
      <source>同步冲突</source>
      <translation>Sync conflicts</translation>
    </message>
    <message>
      <source>或填写另一个值</source>
      <translation>or type another value</translation>
    </message>
    <message>
      <source>两台电脑离线修改了同一字段。两个值都已保留，当前显示本机的值；请选择保留哪一个。</source>
      <translation>Two laptops changed the same field offline. Both values are kept and this laptop's is shown; choose which one to keep.</translation>
    </message>
    <message>
      <source>字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>本机的值</source>
      <translation>This laptop's value</translation>
    </message>
    <message>
      <source>对方的值</source>
      <translation>The other laptop's value</translation>
    </message>
    <message>
      <source>保留本机</source>
      <translation>Keep mine</translation>
    </message>
    <message>
      <source>采用对方</source>
      <translation>Take theirs</translation>
    </message>
    <message>
      <source>采用所填</source>
      <translation>Use the typed value</translation>
    </message>
    <message>
      <source>记录建设单位确认…</source>
      <translation>Record the developer's confirmation…</translation>
    </message>
    <message>
      <source>记录建设单位对风险评估实施方案的确认（日期、确认人）</source>
      <translation>Record the developer's confirmation of the risk assessment plan (date, who)</translation>
    </message>
    <message>
      <source>免检…</source>
      <translation>Waive…</translation>
    </message>
    <message>
      <source>未巡查的节点免检：须说明原因，并由本项目机构的检查人员署名</source>
      <translation>Waive a node no visit inspected: with a reason, named by an inspector of the project's agency</translation>
    </message>
    <message>
      <source>撤销免检</source>
      <translation>Undo waiver</translation>
    </message>
    <message>
      <source>建设单位通知日期…</source>
      <translation>Developer's notice…</translation>
    </message>
    <message>
      <source>记录建设单位对该节点的书面通知日期</source>
      <translation>Record the date of the developer's written notice of this node</translation>
    </message>
    <message>
      <source>无：所有严重缺陷均已验证整改</source>
      <translation>None: every serious defect has verified rectification</translation>
    </message>
    <message>
      <source>无逾期整改</source>
      <translation>No overdue rectification</translation>
    </message>
    <message>
      <source>尚无巡查</source>
      <translation>No visits yet</translation>
    </message>
    <message>
      <source>最终评估闸门：通过</source>
      <translation>Final assessment gate: passed</translation>
    </message>
    <message>
      <source>最终评估闸门：不通过</source>
      <translation>Final assessment gate: not passed</translation>
    </message>
    <message>
      <source>全部节点已巡查</source>
      <translation>All nodes inspected</translation>
    </message>
    <message>
      <source>问题总数</source>
      <translation>Findings</translation>
    </message>
    <message>
      <source>未关闭</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>逾期未整改</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>严重缺陷未验证</source>
      <translation>Serious, not verified</translation>
    </message>
    <message>
      <source>巡查次数</source>
      <translation>Visits</translation>
    </message>
    <message>
      <source>阻断最终评估的严重缺陷</source>
      <translation>Serious defects blocking the final evaluation</translation>
    </message>
    <message>
      <source>逾期整改</source>
      <translation>Overdue rectifications</translation>
    </message>
    <message>
      <source>后续计划节点</source>
      <translation>Next planned nodes</translation>
    </message>
    <message>
      <source>最近巡查</source>
      <translation>Recent visits</translation>
    </message>
    <message>
      <source>计划</source>
      <translation>Planned</translation>
    </message>
    <message>
      <source>按现评等级</source>
      <translation>By current grade</translation>
    </message>
    <message>
      <source>按状态</source>
      <translation>By status</translation>
    </message>
    <message>
      <source>按承保类别</source>
      <translation>By coverage category</translation>
    </message>
    <message>
      <source>按单体</source>
      <translation>By building</translation>
    </message>
    <message>
      <source>{0} {1} · 免检：{2}（{3}，{4}）</source>
      <translation>{0} {1} · waived: {2} ({3}, {4})</translation>
    </message>
    <message>
      <source>{0} 期限 {1}（已逾期 {2} 天）· {3}</source>
      <translation>{0} due {1} ({2} days overdue) · {3}</translation>
    </message>
    <message>
      <source>第 {0} 次 · {1} · {2} · 问题 {3} 项</source>
      <translation>Visit {0} · {1} · {2} · {3} findings</translation>
    </message>
    <message>
      <source>项目提示</source>
      <translation>Project warnings</translation>
    </message>
    <message>
      <source>建设单位通知 {0}</source>
      <translation>developer's notice {0}</translation>
    </message>
    <message>
      <source>资料</source>
      <translation>Document</translation>
    </message>
    <message>
      <source>检测报告</source>
      <translation>Test report</translation>
    </message>
    <message>
      <source>缺失</source>
      <translation>Missing</translation>
    </message>
    <message>
      <source>资料核查</source>
      <translation>Documents reviewed</translation>
    </message>
    <message>
      <source>删除所选</source>
      <translation>Remove selected</translation>
    </message>
    <message>
      <source>误录时删除（审计日志留存；关联的问题保留）</source>
      <translation>Remove one recorded by mistake (the audit log keeps it; the linked finding stays)</translation>
    </message>
    <message>
      <source>添加</source>
      <translation>Add</translation>
    </message>
    <message>
      <source>类型</source>
      <translation>Type</translation>
    </message>
    <message>
      <source>资料名称</source>
      <translation>Document</translation>
    </message>
    <message>
      <source>编号或日期</source>
      <translation>Number or date</translation>
    </message>
    <message>
      <source>新增核查记录</source>
      <translation>New review</translation>
    </message>
    <message>
      <source>如 钢筋原材复试报告</source>
      <translation>e.g. rebar re-test report</translation>
    </message>
    <message>
      <source>报告编号或日期</source>
      <translation>Report number or date</translation>
    </message>
    <message>
      <source>不符合或缺失时写入问题描述</source>
      <translation>Written into the finding when it fails or is missing</translation>
    </message>
    <message>
      <source>关联已有问题</source>
      <translation>Link a finding</translation>
    </message>
    <message>
      <source>生成新问题</source>
      <translation>Open a new finding</translation>
    </message>
    <message>
      <source>单体</source>
      <translation>Building</translation>
    </message>
    <message>
      <source>承保类别</source>
      <translation>Coverage</translation>
    </message>
    <message>
      <source>分部</source>
      <translation>Division</translation>
    </message>
    <message>
      <source>等级</source>
      <translation>Grade</translation>
    </message>
    <message>
      <source>已记录：{0}</source>
      <translation>Recorded: {0}</translation>
    </message>
    <message>
      <source>默认（缺失 E，检测不符合 C）</source>
      <translation>Default (missing E, failed test C)</translation>
    </message>
    <message>
      <source>；已生成问题 {0}</source>
      <translation>; finding {0} opened</translation>
    </message>
    <message>
      <source>删除核查记录</source>
      <translation>Remove review</translation>
    </message>
    <message>
      <source>已删除：{0}</source>
      <translation>Removed: {0}</translation>
    </message>
    <message>
      <source>删除“{0}”？关联的问题保留，审计日志留存。</source>
      <translation>Remove “{0}”? The linked finding stays; the audit log keeps the record.</translation>
    </message>
    <message>
      <source>保存修改</source>
      <translation>Save edit</translation>
    </message>
    <message>
      <source>已撤销：{0}</source>
      <translation>Undone: {0}</translation>
    </message>
    <message>
      <source>已重做：{0}</source>
      <translation>Redone: {0}</translation>
    </message>
    <message>
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
    <message>
      <source>无拍摄时间</source>
      <translation>no time taken</translation>
    </message>
    <message>
      <source>移除照片</source>
      <translation>Remove photo</translation>
    </message>
    <message>
      <source>移除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>开始巡查</source>
      <translation>Start visit</translation>
    </message>
    <message>
      <source>请先开始一次巡查，再记录问题</source>
      <translation>Start a visit before recording findings</translation>
    </message>
    <message>
      <source>重做</source>
      <translation>Redo</translation>
    </message>
    <message>
      <source>部分照片未导入</source>
      <translation>Some photos were not imported</translation>
    </message>
    <message>
      <source>已开始第 {0} 次巡查；需跟踪以往未关闭问题 {1} 项（逾期 {2} 项）</source>
      <translation>Visit {0} started; {1} open findings to follow up ({2} overdue)</translation>
    </message>
    <message>
      <source>记录问题</source>
      <translation>Record finding</translation>
    </message>
    <message>
      <source>导入 {0} 张照片</source>
      <translation>Importing {0} photos</translation>
    </message>
    <message>
      <source>移除照片“{0}”（{1}，{2}）？
移除记录在审计日志中，不能用“撤销”恢复。</source>
      <translation>Remove the photo “{0}” ({1}, {2})?
The removal is recorded in the audit log and cannot be reversed with Undo.</translation>
    </message>
    <message>
      <source>已导入 {0} 张，重复 {1} 张，拒绝 {2} 张</source>
      <translation>Imported {0}, duplicates {1}, rejected {2}</translation>
    </message>
    <message>
      <source>期限</source>
      <translation>due</translation>
    </message>
    <message>
      <source>保存 {0}</source>
      <translation>Save {0}</translation>
    </message>
    <message>
      <source>撤销（不能撤销：{0}）</source>
      <translation>Undo (cannot be undone: {0})</translation>
    </message>
    <message>
      <source>已移除照片“{0}”；删除记录留在审计日志中</source>
      <translation>Removed the photo “{0}”; the deletion is kept in the audit log</translation>
    </message>
    <message>
      <source>未移除照片“{0}”：{1}</source>
      <translation>The photo “{0}” was not removed: {1}</translation>
    </message>
    <message>
      <source>（逾期）</source>
      <translation> (overdue)</translation>
    </message>
    <message>
      <source>已保存 {0}</source>
      <translation>Saved {0}</translation>
    </message>
    <message>
      <source>撤销 {0}</source>
      <translation>Undo {0}</translation>
    </message>
    <message>
      <source>第 {0} 次巡查：需跟踪的问题</source>
      <translation>Visit {0}: findings to follow up</translation>
    </message>
    <message>
      <source>{0}：{1}</source>
      <translation>{0}: {1}</translation>
    </message>
    <message>
      <source>轴线/房间，如 ③~⑤/Ⓐ~Ⓑ轴、1201户卫生间</source>
      <translation>Axes / room, e.g. ③~⑤/Ⓐ~Ⓑ, flat 1201 bathroom</translation>
    </message>
    <message>
      <source>分部不在该承保类别对应的分部之内：说明为何如此标记</source>
      <translation>The division is not one of this coverage category's: say why it is tagged so</translation>
    </message>
    <message>
      <source>问题描述：部位、现象、实测数据</source>
      <translation>Description: where, what is seen, measured values</translation>
    </message>
    <message>
      <source>如 GB 50204-2015 第5.5.2条</source>
      <translation>e.g. GB 50204-2015 cl. 5.5.2</translation>
    </message>
    <message>
      <source>YYYY-MM-DD；留空则按等级默认期限</source>
      <translation>YYYY-MM-DD; empty: the grade's default</translation>
    </message>
    <message>
      <source>图纸位置</source>
      <translation>Position on the drawing</translation>
    </message>
    <message>
      <source>保存并继续（Ctrl+Enter）</source>
      <translation>Save and next (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>关闭（Esc）</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>放弃未保存的问题？</source>
      <translation>Discard the unsaved finding?</translation>
    </message>
    <message>
      <source>这条问题已填写的内容尚未保存。关闭将放弃这些内容。</source>
      <translation>What was typed for this finding is not saved. Closing discards it.</translation>
    </message>
    <message>
      <source>楼层</source>
      <translation>Floor</translation>
    </message>
    <message>
      <source>部位</source>
      <translation>Location</translation>
    </message>
    <message>
      <source>子分部</source>
      <translation>Sub-division</translation>
    </message>
    <message>
      <source>问题描述</source>
      <translation>Description</translation>
    </message>
    <message>
      <source>风险</source>
      <translation>Risk</translation>
    </message>
    <message>
      <source>依据条款</source>
      <translation>Clause</translation>
    </message>
    <message>
      <source>整改要求</source>
      <translation>Requirement</translation>
    </message>
    <message>
      <source>整改期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>责任单位</source>
      <translation>Responsible party</translation>
    </message>
    <message>
      <source>标记理由</source>
      <translation>Tag reason</translation>
    </message>
    <message>
      <source>记录问题 · {0}</source>
      <translation>Record finding · {0}</translation>
    </message>
    <message>
      <source>屋面</source>
      <translation>Roof</translation>
    </message>
    <message>
      <source>室外</source>
      <translation>Outdoors</translation>
    </message>
    <message>
      <source>{0} 对应的分部：{1}</source>
      <translation>Divisions of {0}: {1}</translation>
    </message>
    <message>
      <source>{0} {1} 平面图上的点 ({2:.0f}, {3:.0f})：保存时在此放置图钉</source>
      <translation>Point ({2:.0f}, {3:.0f}) on the {0} {1} floor plan: a pin is placed here on saving</translation>
    </message>
    <message>
      <source>已保存 {0}（本次共 {1} 项）。继续记录下一项。</source>
      <translation>Saved {0} ({1} this session). Go on with the next one.</translation>
    </message>
    <message>
      <source>第 {0} 次巡查 {1}</source>
      <translation>Visit {0} {1}</translation>
    </message>
    <message>
      <source>图钉已放在 {0} {1} 平面图上。</source>
      <translation>The pin is on the {0} {1} floor plan.</translation>
    </message>
    <message>
      <source>变更理由（调整等级时必填）</source>
      <translation>Reason for the change (required when the grade changes)</translation>
    </message>
    <message>
      <source>手动认定或排除的理由（必填）</source>
      <translation>Reason for marking or clearing it by hand (required)</translation>
    </message>
    <message>
      <source>已关闭的问题不能修改；如需修改请先重新打开</source>
      <translation>A closed finding cannot be edited; re-open it first</translation>
    </message>
    <message>
      <source>按等级认定</source>
      <translation>By grade</translation>
    </message>
    <message>
      <source>认定为严重缺陷</source>
      <translation>Mark as serious defect</translation>
    </message>
    <message>
      <source>排除严重缺陷</source>
      <translation>Not a serious defect</translation>
    </message>
    <message>
      <source>严重缺陷</source>
      <translation>Serious defect</translation>
    </message>
    <message>
      <source>搜索编号、部位、描述、规范条款、责任单位……（Ctrl+F）</source>
      <translation>Search number, location, description, clause, party… (Ctrl+F)</translation>
    </message>
    <message>
      <source>现评等级</source>
      <translation>Current grade</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>记录人</source>
      <translation>Recorded by</translation>
    </message>
    <message>
      <source>仅逾期</source>
      <translation>Overdue only</translation>
    </message>
    <message>
      <source>仅严重缺陷</source>
      <translation>Serious only</translation>
    </message>
    <message>
      <source>{0}：全部</source>
      <translation>{0}: all</translation>
    </message>
    <message>
      <source>显示 {0} / {1} 项</source>
      <translation>Showing {0} / {1}</translation>
    </message>
    <message>
      <source>选择左侧表格中的问题</source>
      <translation>Select a finding in the table</translation>
    </message>
    <message>
      <source>导入照片…</source>
      <translation>Import photos…</translation>
    </message>
    <message>
      <source>标注…</source>
      <translation>Mark up…</translation>
    </message>
    <message>
      <source>整改前后对比…</source>
      <translation>Before / after…</translation>
    </message>
    <message>
      <source>平面图定位</source>
      <translation>Show on floor plan</translation>
    </message>
    <message>
      <source>可将照片文件或整个相机文件夹拖放到此处；双击照片可标注</source>
      <translation>Drop photo files or a whole camera folder here; double-click a photo to mark it up</translation>
    </message>
    <message>
      <source>处理冲突…</source>
      <translation>Resolve conflicts…</translation>
    </message>
    <message>
      <source>导入照片</source>
      <translation>Import photos</translation>
    </message>
    <message>
      <source>照片 (*.jpg *.jpeg *.png *.heic *.heif);;所有文件 (*)</source>
      <translation>Photos (*.jpg *.jpeg *.png *.heic *.heif);;All files (*)</translation>
    </message>
    <message>
      <source>照片类型</source>
      <translation>Photo role</translation>
    </message>
    <message>
      <source>同步冲突（两台电脑离线改了同一字段）：</source>
      <translation>Sync conflict (two laptops changed one field offline): </translation>
    </message>
    <message>
      <source>非严重缺陷</source>
      <translation>Not serious</translation>
    </message>
    <message>
      <source>（已恢复原内容）</source>
      <translation> (the stored text is back)</translation>
    </message>
    <message>
      <source>承保类别 {0} · 分部 {1} · 等级 {2} → {3} · {4} · 责任单位：{5}</source>
      <translation>Coverage {0} · division {1} · grade {2} → {3} · {4} · responsible: {5}</translation>
    </message>
    <message>
      <source>{0}：本机「{1}」，另一台电脑「{2}」</source>
      <translation>{0}: here “{1}”, the other laptop “{2}”</translation>
    </message>
    <message>
      <source>照片证据</source>
      <translation>Photo evidence</translation>
    </message>
    <message>
      <source>处理记录</source>
      <translation>History</translation>
    </message>
    <message>
      <source>逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>{0} · 第 {1} 次巡查 {2}</source>
      <translation>{0} · visit {1} {2}</translation>
    </message>
    <message>
      <source>【{0}】</source>
      <translation>[{0}]</translation>
    </message>
    <message>
      <source>巡查记录</source>
      <translation>Visits</translation>
    </message>
    <message>
      <source>问题与照片</source>
      <translation>Findings and photos</translation>
    </message>
    <message>
      <source>平面图与标注</source>
      <translation>Floor plans and markup</translation>
    </message>
    <message>
      <source>载入数据文件夹</source>
      <translation>Loading the data folder</translation>
    </message>
    <message>
      <source>连接保险平台</source>
      <translation>Connect to the insurance platform</translation>
    </message>
    <message>
      <source>创建演示项目</source>
      <translation>Creating the demo project</translation>
    </message>
    <message>
      <source>已取消创建演示项目</source>
      <translation>Creating the demo project was cancelled</translation>
    </message>
    <message>
      <source>演示项目未能创建：{0}</source>
      <translation>The demo project could not be created: {0}</translation>
    </message>
    <message>
      <source>当前人员：{0}（可在“设置”中更改）</source>
      <translation>Current person: {0} (change it in Settings)</translation>
    </message>
    <message>
      <source>在此记录问题…</source>
      <translation>Record a finding here…</translation>
    </message>
    <message>
      <source>导入平面图…</source>
      <translation>Import floor plan…</translation>
    </message>
    <message>
      <source>在图上放置所选问题</source>
      <translation>Place the selected finding</translation>
    </message>
    <message>
      <source>记录问题模式</source>
      <translation>Record-finding mode</translation>
    </message>
    <message>
      <source>打开后，点击图纸上的位置即在该处记录问题（拖动仍可平移）；任何时候也可右键图纸选择“在此记录问题…”</source>
      <translation>When on, a click on the drawing records a finding at that spot (dragging still pans); at any time, right-click the drawing and choose “Record a finding here…”</translation>
    </message>
    <message>
      <source>点击图纸上的位置放置图钉</source>
      <translation>Click on the drawing to place the pin</translation>
    </message>
    <message>
      <source>导入平面图</source>
      <translation>Import floor plan</translation>
    </message>
    <message>
      <source>图纸：</source>
      <translation>Drawing:</translation>
    </message>
    <message>
      <source>适合窗口</source>
      <translation>Fit</translation>
    </message>
    <message>
      <source>放大</source>
      <translation>Zoom in</translation>
    </message>
    <message>
      <source>缩小</source>
      <translation>Zoom out</translation>
    </message>
    <message>
      <source>本项目尚无平面图：点“导入平面图…”选择 PDF 图纸或图片。</source>
      <translation>No floor plans yet: use “Import floor plan…” to pick a PDF drawing or an image.</translation>
    </message>
    <message>
      <source>{0} {1} · 来源 {2} · {3}×{4} 像素 · 图钉按等级着色，空心为已关闭</source>
      <translation>{0} {1} · from {2} · {3}×{4} px · pins coloured by grade, hollow when closed</translation>
    </message>
    <message>
      <source>记录问题模式：点击图纸上的位置，在该处记录问题；拖动平移，滚轮缩放</source>
      <translation>Record-finding mode: click a spot on the drawing to record a finding there; drag to pan, scroll to zoom</translation>
    </message>
    <message>
      <source>选择平面图</source>
      <translation>Choose a floor plan</translation>
    </message>
    <message>
      <source>图纸 (*.pdf *.png *.jpg *.jpeg)</source>
      <translation>Drawings (*.pdf *.png *.jpg *.jpeg)</translation>
    </message>
    <message>
      <source>PDF 页码</source>
      <translation>PDF page</translation>
    </message>
    <message>
      <source>将 {0} 放置在此</source>
      <translation>Place {0} here</translation>
    </message>
    <message>
      <source>{0} {1}（{2} 个图钉）</source>
      <translation>{0} {1} ({2} pins)</translation>
    </message>
    <message>
      <source>在图上放置 {0}</source>
      <translation>Place {0} on the plan</translation>
    </message>
    <message>
      <source>如 3F、B1、屋面</source>
      <translation>e.g. 3F, B1, roof</translation>
    </message>
    <message>
      <source>{0} 第{1}版</source>
      <translation>{0} rev. {1}</translation>
    </message>
    <message>
      <source>取消{0}</source>
      <translation>Cancel {0}</translation>
    </message>
    <message>
      <source>IDI Inspector · 住宅工程质量潜在缺陷保险风险管理</source>
      <translation>IDI Inspector · latent defect insurance risk management</translation>
    </message>
    <message>
      <source>概览</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <source>问题清单</source>
      <translation>Findings</translation>
    </message>
    <message>
      <source>开始巡查（Ctrl+Shift+N）</source>
      <translation>Start a visit (Ctrl+Shift+N)</translation>
    </message>
    <message>
      <source>记录问题（Ctrl+N）</source>
      <translation>Record finding (Ctrl+N)</translation>
    </message>
    <message>
      <source>导入巡查照片并按时间匹配…</source>
      <translation>Import visit photos, match by time…</translation>
    </message>
    <message>
      <source>检查要点…</source>
      <translation>Check items…</translation>
    </message>
    <message>
      <source>资料核查…</source>
      <translation>Documents reviewed…</translation>
    </message>
    <message>
      <source>设置…</source>
      <translation>Settings…</translation>
    </message>
    <message>
      <source>关于</source>
      <translation>About</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>操作</source>
      <translation>Actions</translation>
    </message>
    <message>
      <source>关于 IDI Inspector</source>
      <translation>About IDI Inspector</translation>
    </message>
    <message>
      <source>巡查计划</source>
      <translation>Inspection plan</translation>
    </message>
    <message>
      <source>平面图</source>
      <translation>Floor plans</translation>
    </message>
    <message>
      <source>报告中心</source>
      <translation>Reports</translation>
    </message>
    <message>
      <source>同步</source>
      <translation>Sync</translation>
    </message>
    <message>
      <source>尚未选择本人：请在“设置”中选择本机构的在册人员（修改记录与报告签字栏写入其姓名）</source>
      <translation>No current person chosen: choose yourself from the agency's staff in Settings (edits and report sign-offs carry that name)</translation>
    </message>
    <message>
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <source>编辑</source>
      <translation>Edit</translation>
    </message>
    <message>
      <source>帮助</source>
      <translation>Help</translation>
    </message>
    <message>
      <source>{0}
{1} · 问题 {2} · 未关闭 {3}</source>
      <translation>{0}
{1} · {2} findings · {3} open</translation>
    </message>
    <message>
      <source>（已归档）</source>
      <translation>(archived)</translation>
    </message>
    <message>
      <source>最终评估闸门：通过，所有严重缺陷均已验证整改</source>
      <translation>Final gate: passed, every serious defect has verified rectification</translation>
    </message>
    <message>
      <source>数据文件已损坏</source>
      <translation>The data file is damaged</translation>
    </message>
    <message>
      <source>界面语言将在重新启动后更改</source>
      <translation>The language changes after a restart</translation>
    </message>
    <message>
      <source>{0}
住宅工程质量潜在缺陷保险 风险管理检查工具
数据文件夹：{1}</source>
      <translation>{0}
Risk-management inspections for latent defect insurance
Data folder: {1}</translation>
    </message>
    <message>
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <source>缩略图</source>
      <translation>Thumbnails</translation>
    </message>
    <message>
      <source>演示</source>
      <translation>Demo</translation>
    </message>
    <message>
      <source>最终评估闸门：不通过，{0} 项严重缺陷未经验证整改：{1}（点击查看）</source>
      <translation>Final gate: NOT passed, {0} serious defects without verified rectification: {1} (click to see)</translation>
    </message>
    <message>
      <source>已处理 {0} 个冲突；下次同步时告知其他电脑</source>
      <translation>{0} conflicts resolved; the other laptops learn it at the next sync</translation>
    </message>
    <message>
      <source>操作未完成</source>
      <translation>Not done</translation>
    </message>
    <message>
      <source>{0}：完成</source>
      <translation>{0}: done</translation>
    </message>
    <message>
      <source>［{0}］</source>
      <translation> [{0}]</translation>
    </message>
    <message>
      <source>问题 {0} 项 · 未关闭 {1} · 逾期 {2} · 严重缺陷 {3} 项（已验证整改 {4}）</source>
      <translation>{0} findings · {1} open · {2} overdue · {3} serious ({4} verified)</translation>
    </message>
    <message>
      <source>最终评估闸门：不通过：{0}</source>
      <translation>Final assessment gate: not passed: {0}</translation>
    </message>
    <message>
      <source>{0} · 保单 {1} · 主承保 {2}</source>
      <translation>{0} · policy {1} · lead insurer {2}</translation>
    </message>
    <message>
      <source>关闭提示</source>
      <translation>Dismiss</translation>
    </message>
    <message>
      <source>按拍摄时间匹配照片</source>
      <translation>Match photos by time taken</translation>
    </message>
    <message>
      <source>按此分配</source>
      <translation>Assign</translation>
    </message>
    <message>
      <source>拍摄时间</source>
      <translation>Taken</translation>
    </message>
    <message>
      <source>张数</source>
      <translation>Count</translation>
    </message>
    <message>
      <source>归属问题</source>
      <translation>Finding</translation>
    </message>
    <message>
      <source>（暂不分配）</source>
      <translation>(leave unassigned)</translation>
    </message>
    <message>
      <source>移除照片…</source>
      <translation>Remove photo…</translation>
    </message>
    <message>
      <source>共 {0} 组照片（间隔超过 90 秒即分组）；无拍摄时间的照片 {1} 张留在本次巡查中。</source>
      <translation>{0} bursts (a gap over 90 s starts a new one); {1} photos without a time stay with the visit.</translation>
    </message>
    <message>
      <source>未完成：{0}</source>
      <translation>Not done: {0}</translation>
    </message>
    <message>
      <source>建议依据：{0}</source>
      <translation>Suggested by: {0}</translation>
    </message>
    <message>
      <source>标注单独保存，原始照片不被修改；每画一笔即自动保存。滚轮缩放，“平移”工具拖动查看。</source>
      <translation>Markup is stored apart; the original photo is never changed. Each stroke saves at once. Wheel zooms; drag with “Pan”.</translation>
    </message>
    <message>
      <source>这张照片已被移除：标注不能再保存，请关闭此窗口。</source>
      <translation>This photo has been removed: its markup can no longer be saved; please close this window.</translation>
    </message>
    <message>
      <source>照片文件已不存在（照片可能已被移除）</source>
      <translation>The photo file no longer exists (the photo may have been removed)</translation>
    </message>
    <message>
      <source>文字标注</source>
      <translation>Text label</translation>
    </message>
    <message>
      <source>标注文字：</source>
      <translation>Text:</translation>
    </message>
    <message>
      <source>清除标注</source>
      <translation>Clear markup</translation>
    </message>
    <message>
      <source>整改前</source>
      <translation>Before</translation>
    </message>
    <message>
      <source>整改后</source>
      <translation>After</translation>
    </message>
    <message>
      <source>尚无照片</source>
      <translation>No photos yet</translation>
    </message>
    <message>
      <source>（{0}）</source>
      <translation> ({0})</translation>
    </message>
    <message>
      <source>无此代码</source>
      <translation>no such code</translation>
    </message>
    <message>
      <source>未经现场检查的节点免检须说明原因，并由本项目风险管理机构的检查人员署名；最终评估闸门与报告将列明免检的节点。</source>
      <translation>A node waived without a site inspection needs a reason and the name of an inspector of the project's agency; the final gate and the reports list the waived nodes.</translation>
    </message>
    <message>
      <source>保存巡查计划</source>
      <translation>Save the inspection plan</translation>
    </message>
    <message>
      <source>免检原因</source>
      <translation>Reason for waiving</translation>
    </message>
    <message>
      <source>检查人员</source>
      <translation>Inspector</translation>
    </message>
    <message>
      <source>节点 {0} 免检</source>
      <translation>Waive node {0}</translation>
    </message>
    <message>
      <source>已保存巡查计划</source>
      <translation>Inspection plan saved</translation>
    </message>
    <message>
      <source>例如：本项目无地下室，该节点不适用</source>
      <translation>e.g. the project has no basement; the node does not apply</translation>
    </message>
    <message>
      <source>撤销节点 {0} 的免检</source>
      <translation>Undo the waiver of node {0}</translation>
    </message>
    <message>
      <source>{0} {1} 的免检（{2}）将撤销，该节点重新计入须巡查的节点；审计日志保留原记录。</source>
      <translation>The waiver of {0} {1} ({2}) is undone and the node must be inspected again; the audit log keeps the waiver.</translation>
    </message>
    <message>
      <source>风险评估实施方案：建设单位确认</source>
      <translation>Risk assessment plan: the developer's confirmation</translation>
    </message>
    <message>
      <source>通知日期</source>
      <translation>Notice date</translation>
    </message>
    <message>
      <source>节点 {0} 建设单位通知</source>
      <translation>Developer's notice of node {0}</translation>
    </message>
    <message>
      <source>确认日期</source>
      <translation>Confirmed on</translation>
    </message>
    <message>
      <source>建设单位确认人</source>
      <translation>Confirmed for the developer by</translation>
    </message>
    <message>
      <source>建设单位签字确认的人</source>
      <translation>Who signed for the developer</translation>
    </message>
    <message>
      <source>双击日期即可修改（格式 2025-06-30），修改立即保存。到达日期不能晚于明天。</source>
      <translation>Double-click a date to change it (2025-06-30); changes save at once. A reached date cannot be after tomorrow.</translation>
    </message>
    <message>
      <source>节点</source>
      <translation>Node</translation>
    </message>
    <message>
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>计划日期</source>
      <translation>Planned</translation>
    </message>
    <message>
      <source>到达日期</source>
      <translation>Reached</translation>
    </message>
    <message>
      <source>免检：{0}（{1}，{2}）</source>
      <translation>Waived: {0} ({1}, {2})</translation>
    </message>
    <message>
      <source>“{0}”不是日期，请按 2025-06-30 的格式填写</source>
      <translation>“{0}” is not a date; write it as 2025-06-30</translation>
    </message>
    <message>
      <source>新建项目</source>
      <translation>New project</translation>
    </message>
    <message>
      <source>与命令行 project create 使用同一规则检查；金额单位为元，日期格式 YYYY-MM-DD。检查节点按规则集模板自动生成。</source>
      <translation>Checked by the same rules as the command line’s project create; amounts in yuan, dates as YYYY-MM-DD. The inspection nodes come from the rule set’s template.</translation>
    </message>
    <message>
      <source>每行一人：姓名[, 证书编号]</source>
      <translation>One person per line: name[, certificate number]</translation>
    </message>
    <message>
      <source>施工单位（可不填）</source>
      <translation>Contractor (optional)</translation>
    </message>
    <message>
      <source>监理单位（可不填）</source>
      <translation>Supervisor (optional)</translation>
    </message>
    <message>
      <source>设计单位（可不填）</source>
      <translation>Designer (optional)</translation>
    </message>
    <message>
      <source>勘察单位（可不填）</source>
      <translation>Surveyor (optional)</translation>
    </message>
    <message>
      <source>创建项目</source>
      <translation>Create project</translation>
    </message>
    <message>
      <source>新建项目…</source>
      <translation>New project…</translation>
    </message>
    <message>
      <source>导入项目文件或数据包…</source>
      <translation>Import a project file or bundle…</translation>
    </message>
    <message>
      <source>导出项目数据包…</source>
      <translation>Export project bundle…</translation>
    </message>
    <message>
      <source>归档项目</source>
      <translation>Archive project</translation>
    </message>
    <message>
      <source>删除项目…</source>
      <translation>Delete project…</translation>
    </message>
    <message>
      <source>显示已归档项目</source>
      <translation>Show archived projects</translation>
    </message>
    <message>
      <source>导入项目说明文件或数据包</source>
      <translation>Import a project file or bundle</translation>
    </message>
    <message>
      <source>项目说明文件或数据包 (*.toml *.json *.zip)</source>
      <translation>Project file or bundle (*.toml *.json *.zip)</translation>
    </message>
    <message>
      <source>导出项目数据包</source>
      <translation>Export project bundle</translation>
    </message>
    <message>
      <source>项目数据包 (*.zip)</source>
      <translation>Project bundle (*.zip)</translation>
    </message>
    <message>
      <source>导出数据包</source>
      <translation>Exporting the bundle</translation>
    </message>
    <message>
      <source>撤销归档</source>
      <translation>Unarchive</translation>
    </message>
    <message>
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>项目</source>
      <translation>Project</translation>
    </message>
    <message>
      <source>保单</source>
      <translation>Policy</translation>
    </message>
    <message>
      <source>风险管理机构</source>
      <translation>Agency</translation>
    </message>
    <message>
      <source>建设单位（名称[, 统一社会信用代码]）</source>
      <translation>Developer (name[, unified social credit code])</translation>
    </message>
    <message>
      <source>参建单位</source>
      <translation>Participating parties</translation>
    </message>
    <message>
      <source>演示项目 · 不同步到平台</source>
      <translation>Demo project · never synced to the platform</translation>
    </message>
    <message>
      <source>导入数据包</source>
      <translation>Importing the bundle</translation>
    </message>
    <message>
      <source>导入项目说明文件</source>
      <translation>Importing the project file</translation>
    </message>
    <message>
      <source>不能删除</source>
      <translation>Cannot delete</translation>
    </message>
    <message>
      <source>将从本机删除项目 {0} {1} 的全部记录、照片和报告文件（其他项目使用的照片保留），不能撤销；审计日志保留删除记录。请输入项目编号 {0} 确认。</source>
      <translation>Every record, photo and report file of project {0} {1} will be deleted from this computer (photos other projects use are kept). This cannot be undone; the audit log keeps a record of the deletion. Type the project code {0} to confirm.</translation>
    </message>
    <message>
      <source>已创建项目 {0} {1}</source>
      <translation>Project {0} {1} created</translation>
    </message>
    <message>
      <source>删除项目 · {0}</source>
      <translation>Delete project · {0}</translation>
    </message>
    <message>
      <source>项目编号</source>
      <translation>Project code</translation>
    </message>
    <message>
      <source>删除项目</source>
      <translation>Delete project</translation>
    </message>
    <message>
      <source>已删除项目 {0} {1}（{2} 条记录）</source>
      <translation>Project {0} {1} deleted ({2} records)</translation>
    </message>
    <message>
      <source>项目名称</source>
      <translation>Project name</translation>
    </message>
    <message>
      <source>项目地址</source>
      <translation>Project address</translation>
    </message>
    <message>
      <source>所在区（可不填）</source>
      <translation>District (optional)</translation>
    </message>
    <message>
      <source>开工日期（可不填：按保单签发日排计划）</source>
      <translation>Start of works (optional: the plan then starts from the policy’s issue date)</translation>
    </message>
    <message>
      <source>保单号</source>
      <translation>Policy number</translation>
    </message>
    <message>
      <source>签发日期</source>
      <translation>Issue date</translation>
    </message>
    <message>
      <source>保险金额（元）</source>
      <translation>Sum insured (yuan)</translation>
    </message>
    <message>
      <source>建安工程总造价（元）</source>
      <translation>Construction cost (yuan)</translation>
    </message>
    <message>
      <source>保费（元）</source>
      <translation>Premium (yuan)</translation>
    </message>
    <message>
      <source>风险管理费（元，至多保费的 30%）</source>
      <translation>Risk management fee (yuan, at most 30% of the premium)</translation>
    </message>
    <message>
      <source>施工许可证号（可不填）</source>
      <translation>Construction permit number (optional)</translation>
    </message>
    <message>
      <source>施工许可证核发日（可不填）</source>
      <translation>Construction permit issue date (optional)</translation>
    </message>
    <message>
      <source>计划竣工验收日期（可不填）</source>
      <translation>Planned completion acceptance (optional)</translation>
    </message>
    <message>
      <source>共保体（每行一家：名称, 份额%[, 统一社会信用代码]；第一行为主承保）</source>
      <translation>Co-insurers (one per line: name, share %[, unified social credit code]; the first line is the lead insurer)</translation>
    </message>
    <message>
      <source>机构名称</source>
      <translation>Agency name</translation>
    </message>
    <message>
      <source>统一社会信用代码（可不填）</source>
      <translation>Unified social credit code (optional)</translation>
    </message>
    <message>
      <source>每行一栋：名称, 地上层数, 地下层数[, 结构类型]</source>
      <translation>One building per line: name, storeys above ground, storeys below[, structure type]</translation>
    </message>
    <message>
      <source>未创建：{0}</source>
      <translation>Not created: {0}</translation>
    </message>
    <message>
      <source>已导入项目 {0}</source>
      <translation>Project {0} imported</translation>
    </message>
    <message>
      <source>项目 {0} 已在本机：未重复导入</source>
      <translation>Project {0} is already on this computer: not imported again</translation>
    </message>
    <message>
      <source>已归档 {0} {1}：数据全部保留，勾选 文件 &gt; 显示已归档项目 可找回</source>
      <translation>{0} {1} archived: all its data is kept; tick File &gt; Show archived projects to see it again</translation>
    </message>
    <message>
      <source>已撤销归档 {0} {1}</source>
      <translation>{0} {1} is no longer archived</translation>
    </message>
    <message>
      <source>示例财产保险股份有限公司北京分公司, 40
示例联合财产保险股份有限公司北京分公司, 30
…</source>
      <translation>Example Property Insurance Co., Ltd. Beijing Branch, 40
Example United Property Insurance Co., Ltd. Beijing Branch, 30
…</translation>
    </message>
    <message>
      <source>1#楼, 28, 3, 剪力墙结构</source>
      <translation>Building 1, 28, 3, shear-wall structure</translation>
    </message>
    <message>
      <source>第 {0} 行缺少份额：{1}</source>
      <translation>Line {0} has no share: {1}</translation>
    </message>
    <message>
      <source>已导出 {0}（照片 {1} 张）</source>
      <translation>Exported {0} ({1} photos)</translation>
    </message>
    <message>
      <source>本机构的项目编号，如 BJ-CY-2025-003</source>
      <translation>Your agency’s project code, e.g. BJ-CY-2025-003</translation>
    </message>
    <message>
      <source>第 {0} 行的层数不是整数：{1}</source>
      <translation>The storeys on line {0} are not whole numbers: {1}</translation>
    </message>
    <message>
      <source>通过需要：在一次巡查中、由机构检查人员复查，并有发现（及整改回复）之后拍摄的整改后照片。</source>
      <translation>Accepting needs a re-check in a visit by an inspector of the agency, and an after-photo taken after the finding (and the reply).</translation>
    </message>
    <message>
      <source>回复日期</source>
      <translation>Reply date</translation>
    </message>
    <message>
      <source>整改回复</source>
      <translation>Contractor's reply</translation>
    </message>
    <message>
      <source>{0} 整改回复</source>
      <translation>{0} reply</translation>
    </message>
    <message>
      <source>施工单位的整改说明、做法与证据</source>
      <translation>What the contractor did, how, and the evidence</translation>
    </message>
    <message>
      <source>复查结论</source>
      <translation>Result</translation>
    </message>
    <message>
      <source>复查所在巡查</source>
      <translation>Re-check visit</translation>
    </message>
    <message>
      <source>复查人员</source>
      <translation>Checked by</translation>
    </message>
    <message>
      <source>复查后等级（剩余风险）</source>
      <translation>Grade now (residual risk)</translation>
    </message>
    <message>
      <source>复查说明</source>
      <translation>Notes</translation>
    </message>
    <message>
      <source>照片复用理由</source>
      <translation>Photo reuse reason</translation>
    </message>
    <message>
      <source>{0} 复查</source>
      <translation>{0} re-check</translation>
    </message>
    <message>
      <source>第 {0} 次巡查（{1}）</source>
      <translation>Visit {0} ({1})</translation>
    </message>
    <message>
      <source>（不变）</source>
      <translation>(unchanged)</translation>
    </message>
    <message>
      <source>现场复查情况</source>
      <translation>What was seen on site</translation>
    </message>
    <message>
      <source>仅当整改后照片已用于其他问题时填写</source>
      <translation>Only when the after-photo is already evidence for another finding</translation>
    </message>
    <message>
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>新的整改期限</source>
      <translation>New rectification deadline</translation>
    </message>
    <message>
      <source>重新打开</source>
      <translation>Re-open</translation>
    </message>
    <message>
      <source>必须说明原因，例如：雨后复现渗漏</source>
      <translation>A reason is required, e.g. the leak came back after rain</translation>
    </message>
    <message>
      <source>通过：已实质性整改</source>
      <translation>Accepted: substantively rectified</translation>
    </message>
    <message>
      <source>不通过：退回整改</source>
      <translation>Rejected: back to rectification</translation>
    </message>
    <message>
      <source>必须说明原因，例如：经设计单位书面确认不构成缺陷</source>
      <translation>A reason is required, e.g. the designer confirmed in writing it is not a defect</translation>
    </message>
    <message>
      <source>{0} 是严重缺陷：未经复查验证而关闭，它仍将阻止最终评估通过。如已整改，请改用「复查」并附整改后照片。</source>
      <translation>{0} is a serious defect: closed without a verified re-check it still blocks the final gate. If it was rectified, use Re-check with an after-photo instead.</translation>
    </message>
    <message>
      <source>用系统程序打开</source>
      <translation>Open in viewer</translation>
    </message>
    <message>
      <source>页面预览</source>
      <translation>Page preview</translation>
    </message>
    <message>
      <source>表格</source>
      <translation>spreadsheet</translation>
    </message>
    <message>
      <source>打开报告</source>
      <translation>Open report</translation>
    </message>
    <message>
      <source>版本</source>
      <translation>Rev.</translation>
    </message>
    <message>
      <source>报告</source>
      <translation>Report</translation>
    </message>
    <message>
      <source>签发时间</source>
      <translation>Issued</translation>
    </message>
    <message>
      <source>签发人</source>
      <translation>Issued by</translation>
    </message>
    <message>
      <source>页数</source>
      <translation>Pages</translation>
    </message>
    <message>
      <source>巡查：</source>
      <translation>Visit:</translation>
    </message>
    <message>
      <source>请先选择一次巡查</source>
      <translation>Choose a visit first</translation>
    </message>
    <message>
      <source>修订版</source>
      <translation>Revision</translation>
    </message>
    <message>
      <source>签发整改通知单</source>
      <translation>Issue rectification notice</translation>
    </message>
    <message>
      <source>签发本次巡查的整改通知单？签发后不能更改。</source>
      <translation>Issue this visit's rectification notice? Once issued it cannot be changed.</translation>
    </message>
    <message>
      <source>生成过程评估报告（所选巡查）</source>
      <translation>Process report (selected visit)</translation>
    </message>
    <message>
      <source>生成整改通知单（所选巡查）</source>
      <translation>Rectification notice (selected visit)</translation>
    </message>
    <message>
      <source>生成最终评估报告</source>
      <translation>Final evaluation report</translation>
    </message>
    <message>
      <source>导出缺陷台账 XLSX</source>
      <translation>Defect register XLSX</translation>
    </message>
    <message>
      <source>提交送审：过程评估报告…</source>
      <translation>Submit for review: process report…</translation>
    </message>
    <message>
      <source>签发整改通知单…</source>
      <translation>Issue rectification notice…</translation>
    </message>
    <message>
      <source>提交送审：最终评估报告…</source>
      <translation>Submit for review: final report…</translation>
    </message>
    <message>
      <source>生成{0}</source>
      <translation>Generating {0}</translation>
    </message>
    <message>
      <source>{0} 页</source>
      <translation>{0} pages</translation>
    </message>
    <message>
      <source>已生成 {0}（{1}，{2:.1f} MB）</source>
      <translation>Written {0} ({1}, {2:.1f} MB)</translation>
    </message>
    <message>
      <source>提交送审{0}</source>
      <translation>Submit {0} for review</translation>
    </message>
    <message>
      <source>签发{0}</source>
      <translation>Issuing {0}</translation>
    </message>
    <message>
      <source>已签发的报告</source>
      <translation>Issued reports</translation>
    </message>
    <message>
      <source>第 {0} 次 · {1} · 问题 {2} 项</source>
      <translation>Visit {0} · {1} · {2} findings</translation>
    </message>
    <message>
      <source>第 {0} 页</source>
      <translation>Page {0}</translation>
    </message>
    <message>
      <source>{0} 已签发，只能以修订版更正。修订原因（更正了什么）：</source>
      <translation>{0} is issued and can only be corrected by a revision. Reason for the revision (what was corrected):</translation>
    </message>
    <message>
      <source>已提交送审 {0}：待审核</source>
      <translation>Submitted {0}: awaiting review</translation>
    </message>
    <message>
      <source>已签发 {0}，SHA-256 {1}</source>
      <translation>Issued {0}, SHA-256 {1}</translation>
    </message>
    <message>
      <source>排版</source>
      <translation>Layout</translation>
    </message>
    <message>
      <source>最终评估条件未满足，确认照此签发（报告写明未验证整改的严重缺陷）</source>
      <translation>The final gate fails: confirm issuing it so (the report names the serious defects not verified as rectified)</translation>
    </message>
    <message>
      <source>意见</source>
      <translation>Comment</translation>
    </message>
    <message>
      <source>签发报告</source>
      <translation>Issue report</translation>
    </message>
    <message>
      <source>签发</source>
      <translation>Issue</translation>
    </message>
    <message>
      <source>审核</source>
      <translation>Review</translation>
    </message>
    <message>
      <source>批准</source>
      <translation>Approve</translation>
    </message>
    <message>
      <source>退回</source>
      <translation>Reject</translation>
    </message>
    <message>
      <source>退回时必填：退回的原因与要求</source>
      <translation>Required to reject: why, and what must change</translation>
    </message>
    <message>
      <source>审核意见（可选）</source>
      <translation>Review comment (optional)</translation>
    </message>
    <message>
      <source>审核人</source>
      <translation>Reviewer</translation>
    </message>
    <message>
      <source>批准人</source>
      <translation>Approver</translation>
    </message>
    <message>
      <source>编制</source>
      <translation>Prepared</translation>
    </message>
    <message>
      <source>审核…</source>
      <translation>Review…</translation>
    </message>
    <message>
      <source>批准…</source>
      <translation>Approve…</translation>
    </message>
    <message>
      <source>退回…</source>
      <translation>Reject…</translation>
    </message>
    <message>
      <source>签发…</source>
      <translation>Issue…</translation>
    </message>
    <message>
      <source>查看草稿</source>
      <translation>View draft</translation>
    </message>
    <message>
      <source>签发选中的已批准报告（Ctrl+Shift+I）</source>
      <translation>Issue the selected approved report (Ctrl+Shift+I)</translation>
    </message>
    <message>
      <source>本机构人员：{0}</source>
      <translation>Agency staff: {0}</translation>
    </message>
    <message>
      <source>签发 {0}？
编制 {1}，审核、批准 {2}。
签发后报告冻结、不能更改，并排队发送给保险公司；更正只能签发注明原因的修订版。</source>
      <translation>Issue {0}?
Prepared by {1}, reviewed and approved by {2}.
Once issued the report is frozen and cannot be changed, and it is queued for the insurer; a correction can only be a revision that states its reason.</translation>
    </message>
    <message>
      <source>签发 {0}</source>
      <translation>Issue {0}</translation>
    </message>
    <message>
      <source>编制：{0}，{1}</source>
      <translation>Prepared by {0}, {1}</translation>
    </message>
    <message>
      <source>本机构没有可{0}此报告的其他人员</source>
      <translation>Nobody else in the agency can {0} this report</translation>
    </message>
    <message>
      <source>送审中的报告（编制 → 审核 → 批准 → 签发）</source>
      <translation>Reports under review (prepare → review → approve → issue)</translation>
    </message>
    <message>
      <source>{0}（{1}）</source>
      <translation>{0} ({1})</translation>
    </message>
    <message>
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>本人（当前人员）</source>
      <translation>Me (current person)</translation>
    </message>
    <message>
      <source>联系电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>执业证书编号</source>
      <translation>Certificate no.</translation>
    </message>
    <message>
      <source>界面语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <source>数据文件夹</source>
      <translation>Data folder</translation>
    </message>
    <message>
      <source>本人：记录在每条修改和报告签字栏上的本机构人员</source>
      <translation>Me: the member of staff recorded on every edit and in report sign-offs</translation>
    </message>
    <message>
      <source>语言更改在重新启动后对全部窗口生效。</source>
      <translation>A language change applies to every window after a restart.</translation>
    </message>
    <message>
      <source>保存令牌…</source>
      <translation>Save token…</translation>
    </message>
    <message>
      <source>立即同步</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <source>令牌保存在系统密钥库中，不以明文保存；传输始终校验 TLS 证书。每个条目在核对平台回执的哈希后才标记为已送达。</source>
      <translation>The token is kept in the system keyring, never in plain text; TLS certificates are always verified. An item is marked delivered only after the platform's receipt matches the local hashes.</translation>
    </message>
    <message>
      <source>平台令牌</source>
      <translation>Platform token</translation>
    </message>
    <message>
      <source>粘贴风险管理机构或检查人员的令牌：</source>
      <translation>Paste the agency's or inspector's token:</translation>
    </message>
    <message>
      <source>令牌已存入系统密钥库</source>
      <translation>Token saved in the system keyring</translation>
    </message>
    <message>
      <source>同步到平台</source>
      <translation>Syncing with the platform</translation>
    </message>
    <message>
      <source>条目</source>
      <translation>Item</translation>
    </message>
    <message>
      <source>文件数</source>
      <translation>Files</translation>
    </message>
    <message>
      <source>尝试次数</source>
      <translation>Attempts</translation>
    </message>
    <message>
      <source>送达时间</source>
      <translation>Delivered</translation>
    </message>
    <message>
      <source>最近错误</source>
      <translation>Last error</translation>
    </message>
    <message>
      <source>平台地址：</source>
      <translation>Platform:</translation>
    </message>
    <message>
      <source>请先填写平台地址</source>
      <translation>Enter the platform's address first</translation>
    </message>
    <message>
      <source>同步完成：送达 {0} 项，平台已有 {1} 项，失败 {2} 项，上传 {3:.1f} MB</source>
      <translation>Sync done: {0} delivered, {1} already there, {2} failed, {3:.1f} MB sent</translation>
    </message>
    <message>
      <source>；团队：发出 {0} 条变更，收到 {1} 条</source>
      <translation>; team: {0} changes sent, {1} received</translation>
    </message>
    <message>
      <source>；新冲突 {0} 个，请在问题详情中处理</source>
      <translation>; {0} new conflicts: decide them in the finding's panel</translation>
    </message>
    <message>
      <source>；平台拒绝过 {0} 的团队变更，未再发送（核对后点“立即同步”再发送）</source>
      <translation>; the platform refused the team changes of {0} before; they were not sent again (check them, then press Sync now to send them)</translation>
    </message>
    <message>
      <source>巡查时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>巡查节点</source>
      <translation>Nodes</translation>
    </message>
    <message>
      <source>天气</source>
      <translation>Weather</translation>
    </message>
    <message>
      <source>气温 ℃</source>
      <translation>Temperature (°C)</translation>
    </message>
    <message>
      <source>巡查概况</source>
      <translation>Summary</translation>
    </message>
    <message>
      <source>形象进度，如 主体结构施工至18层</source>
      <translation>Progress, e.g. structure up to floor 18</translation>
    </message>
    <message>
      <source>至少选择一个节点</source>
      <translation>choose at least one node</translation>
    </message>
    <message>
      <source>开始巡查 · {0}</source>
      <translation>Start visit · {0}</translation>
    </message>
    <message>
      <source>晴 / 多云 / 雨</source>
      <translation>sunny / cloudy / rain</translation>
    </message>
    <message>
      <source>{0} 形象进度</source>
      <translation>{0} progress</translation>
    </message>
    <message>
      <source>{0} {1}（{2}，计划 {3}）</source>
      <translation>{0} {1} ({2}, planned {3})</translation>
    </message>
    <message>
      <source>不是有效时间（YYYY-MM-DD HH:MM）：{0}</source>
      <translation>not a valid time (YYYY-MM-DD HH:MM): {0}</translation>
    </message>
    <message>
      <source>不是数字：{0}</source>
      <translation>not a number: {0}</translation>
    </message>
    <message>
      <source>欢迎使用 IDI Inspector</source>
      <translation>Welcome to IDI Inspector</translation>
    </message>
    <message>
      <source>住宅工程质量潜在缺陷保险 风险管理检查：巡查、问题、整改复查、照片与报告。可先看演示项目，或建立自己的项目。</source>
      <translation>Risk inspections for residential latent defect insurance: visits, findings, rectification re-checks, photos and reports. Look at the demo project first, or set up your own.</translation>
    </message>
    <message>
      <source>打开演示项目</source>
      <translation>Open the demo project</translation>
    </message>
    <message>
      <source>一个北京住宅项目：多次巡查、各级问题、整改复查、照片、平面图与报告，可随意试用；演示项目标为“演示”，从不同步到平台。</source>
      <translation>A residential project in Beijing: many visits, findings of every grade, re-checks, photos, floor plans and reports, to try anything on. It is marked “Demo” and never synced to the platform.</translation>
    </message>
    <message>
      <source>填写项目、保单、参建单位与单体，校验与命令行 project create 相同。</source>
      <translation>Fill in the project, the policy, the parties and the buildings, checked as the command line’s project create checks them.</translation>
    </message>
    <message>
      <source>导入项目文件（project.toml）或数据包…</source>
      <translation>Import a project file (project.toml) or bundle…</translation>
    </message>
    <message>
      <source>项目文件建立一个新项目；数据包是另一台电脑导出的项目，带全部记录、照片与报告。</source>
      <translation>A project file sets up a new project; a bundle is a project exported on another computer, with all its records, photos and reports.</translation>
    </message>
    <message>
      <source>连接保险平台…</source>
      <translation>Connect to the insurance platform…</translation>
    </message>
    <message>
      <source>填写平台地址并保存本机的令牌（存于系统密钥库）；之后巡查记录在后台同步到平台（演示项目除外）。</source>
      <translation>Enter the platform address and save this computer’s token (kept in the system keyring); visit records are then synced to the platform in the background (never the demo project).</translation>
    </message>
    <message>
      <source>演示项目已就绪。</source>
      <translation>The demo project is ready.</translation>
    </message>
    <message>
      <source>重新创建演示项目</source>
      <translation>Create the demo project again</translation>
    </message>
    <message>
      <source>正在准备演示项目，约需半分钟；其间可以新建或导入项目。</source>
      <translation>Preparing the demo project, about half a minute; meanwhile you can create or import a project.</translation>
    </message>
    <message>
      <source>正在准备演示项目：{0}。约需半分钟，其间可以新建或导入项目。</source>
      <translation>Preparing the demo project: {0}. About half a minute; meanwhile you can create or import a project.</translation>
    </message>
    <message>
      <source>生成缩略图</source>
      <translation>Making thumbnail</translation>
    </message>
    <message>
      <source>保存标注</source>
      <translation>Save markup</translation>
    </message>
    <message>
      <source>请先开始一次巡查</source>
      <translation>Start a visit first</translation>
    </message>
    <message>
      <source>选择相机文件夹</source>
      <translation>Choose the camera folder</translation>
    </message>
    <message>
      <source>保存检查要点</source>
      <translation>Save check items</translation>
    </message>
    <message>
      <source>保存资料核查</source>
      <translation>Save documents reviewed</translation>
    </message>
    <message>
      <source>本次巡查没有待分配的照片</source>
      <translation>No unassigned photos in this visit</translation>
    </message>
    <message>
      <source>分配照片</source>
      <translation>Assign photos</translation>
    </message>
    <message>
      <source>保存节点 {0}</source>
      <translation>Save node {0}</translation>
    </message>
    <message>
      <source>标注 · {0}</source>
      <translation>Markup · {0}</translation>
    </message>
    <message>
      <source>{0} 整改前后对比</source>
      <translation>{0} before and after</translation>
    </message>
    <message>
      <source>已导入平面图 {0} {1}</source>
      <translation>Floor plan imported: {0} {1}</translation>
    </message>
    <message>
      <source>{0} 已定位在平面图上</source>
      <translation>{0} placed on the floor plan</translation>
    </message>
    <message>
      <source>{0} 已记录并定位在平面图上</source>
      <translation>{0} recorded and placed on the floor plan</translation>
    </message>
    <message>
      <source>已保存节点 {0}</source>
      <translation>Saved node {0}</translation>
    </message>
    <message>
      <source>{0} {1} 尚无平面图：请先导入</source>
      <translation>No floor plan for {0} {1}: import one first</translation>
    </message>
    <message>
      <source>已分配 {0} 张照片</source>
      <translation>{0} photos assigned</translation>
    </message>
    <message>
      <source>已到达</source>
      <translation>Reached</translation>
    </message>
    <message>
      <source>已巡查</source>
      <translation>Inspected</translation>
    </message>
    <message>
      <source>跳过</source>
      <translation>Skipped</translation>
    </message>
    <message>
      <source>免检</source>
      <translation>Waived</translation>
    </message>
    <message>
      <source>严重缺陷认定</source>
      <translation>Serious call</translation>
    </message>
    <message>
      <source>平移</source>
      <translation>Pan</translation>
    </message>
    <message>
      <source>箭头</source>
      <translation>Arrow</translation>
    </message>
    <message>
      <source>椭圆</source>
      <translation>Ellipse</translation>
    </message>
    <message>
      <source>矩形</source>
      <translation>Rectangle</translation>
    </message>
    <message>
      <source>画笔</source>
      <translation>Freehand</translation>
    </message>
    <message>
      <source>直线</source>
      <translation>Line</translation>
    </message>
    <message>
      <source>文字</source>
      <translation>Text</translation>
    </message>
    <message>
      <source>工程质量风险过程评估报告</source>
      <translation>process evaluation report</translation>
    </message>
    <message>
      <source>工程质量风险最终评估报告</source>
      <translation>final evaluation report</translation>
    </message>
    <message>
      <source>整改通知单</source>
      <translation>rectification notice</translation>
    </message>
    <message>
      <source>有效</source>
      <translation>Valid</translation>
    </message>
    <message>
      <source>已被替代</source>
      <translation>Superseded</translation>
    </message>
    <message>
      <source>过程评估报告</source>
      <translation>process report</translation>
    </message>
    <message>
      <source>最终评估报告</source>
      <translation>final report</translation>
    </message>
    <message>
      <source>待发送</source>
      <translation>Waiting</translation>
    </message>
    <message>
      <source>已送达（回执已核对）</source>
      <translation>Delivered (receipt checked)</translation>
    </message>
    <message>
      <source>失败</source>
      <translation>Failed</translation>
    </message>
    <message>
      <source>整改回复…</source>
      <translation>Reply…</translation>
    </message>
    <message>
      <source>复查…</source>
      <translation>Re-check…</translation>
    </message>
    <message>
      <source>关闭…</source>
      <translation>Close…</translation>
    </message>
    <message>
      <source>重新打开…</source>
      <translation>Re-open…</translation>
    </message>
    <message>
      <source>时间最近</source>
      <translation>nearest in time</translation>
    </message>
    <message>
      <source>按顺序</source>
      <translation>in order</translation>
    </message>
    <message>
      <source>初评</source>
      <translation>Found</translation>
    </message>
    <message>
      <source>现评</source>
      <translation>Now</translation>
    </message>
    <message>
      <source>检查员</source>
      <translation>Inspector</translation>
    </message>
    <message>
      <source>项目负责人</source>
      <translation>Project lead</translation>
    </message>
    <message>
      <source>技术负责人</source>
      <translation>Technical lead</translation>
    </message>
    <message>
      <source>待审核</source>
      <translation>Awaiting review</translation>
    </message>
    <message>
      <source>待批准</source>
      <translation>Awaiting approval</translation>
    </message>
    <message>
      <source>待签发</source>
      <translation>Approved, to issue</translation>
    </message>
    <message>
      <source>已退回</source>
      <translation>Rejected</translation>
    </message>
    <message>
      <source>已签发</source>
      <translation>Issued</translation>
    </message>
    <message>
      <source>条款</source>
      <translation>Clause</translation>
    </message>
    <message>
      <source>整条记录</source>
      <translation>Whole record</translation>
    </message>
  </context>
</TS>
