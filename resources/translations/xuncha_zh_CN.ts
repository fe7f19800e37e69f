<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdvanceDialog</name>
    <message>
        <source>Round stage</source>
        <translation>轮次阶段</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Current stage</source>
        <translation>当前阶段</translation>
    </message>
    <message>
        <source>Move to</source>
        <translation>进入</translation>
    </message>
    <message>
        <source>Effective on</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Required when stages are skipped</source>
        <translation>跳过阶段时必须填写</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Skips: {0}</source>
        <translation>将跳过：{0}</translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Save the record first, then add photos, scans or PDFs.</source>
        <translation>请先保存记录，再添加照片、扫描件或 PDF。</translation>
    </message>
    <message>
        <source>Photos, scans and PDFs; drop files here. Location and camera data are removed from photos.</source>
        <translation>照片、扫描件和 PDF，可直接拖到这里；照片中的位置和相机信息会被清除。</translation>
    </message>
    <message>
        <source>{0}, {1}{2}</source>
        <translation>{0}，{1}{2}</translation>
    </message>
    <message>
        <source>, downscaled from {0}</source>
        <translation>，原文件 {0}，已缩小</translation>
    </message>
    <message>
        <source>Attachments ({0})</source>
        <translation>附件（{0}）</translation>
    </message>
    <message>
        <source>Attachments (after saving)</source>
        <translation>附件（保存记录后可添加）</translation>
    </message>
    <message>
        <source>Attachments (none)</source>
        <translation>附件（无）</translation>
    </message>
    <message>
        <source>Save the record first.</source>
        <translation>请先保存记录。</translation>
    </message>
    <message>
        <source>Select an attachment above first.</source>
        <translation>请先在上方选中一个附件。</translation>
    </message>
    <message>
        <source>Add attachments</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Photos, scans and PDFs (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.pdf);;All files (*)</source>
        <translation>照片、扫描件和 PDF (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Attachment not added</source>
        <translation>附件未添加</translation>
    </message>
    <message>
        <source>Adding attachments…</source>
        <translation>正在添加附件…</translation>
    </message>
    <message>
        <source>PDFs are kept encrypted in the vault and travel in bundles; they are not opened here, since another program would need a decrypted copy on disk.</source>
        <translation>PDF 以加密形式保存在保险库中，并随数据包移交；为避免在磁盘上留下解密副本，这里不打开 PDF。</translation>
    </message>
    <message>
        <source>Remove attachment</source>
        <translation>删除附件</translation>
    </message>
    <message>
        <source>Remove “{0}” from this record?</source>
        <translation>从这条记录中删除“{0}”？</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>经过</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Select a line to see the entry as it was logged.</source>
        <translation>选中一行，即可在此查看该条日志的原始记录（含对象编号、详情和哈希）。</translation>
    </message>
    <message>
        <source>Verify the chain</source>
        <translation>校验日志链</translation>
    </message>
    <message>
        <source>Every entry carries the hash of the one before: a changed, removed or reordered entry is found by the check.</source>
        <translation>每条记录都带有前一条记录的哈希值：任何一条被改动、删除或调换顺序，校验时都会被发现。</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Verifying the audit log…</source>
        <translation>正在校验操作日志…</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>The chain is intact: {0} entries checked.</source>
        <translation>日志链完整：已校验 {0} 条记录。</translation>
    </message>
    <message>
        <source>The chain is broken: {0} problems.</source>
        <translation>日志链已被破坏：发现 {0} 处问题。</translation>
    </message>
    <message>
        <source>Entry {0}: {1}</source>
        <translation>第 {0} 条：{1}</translation>
    </message>
</context>
<context>
    <name>BundlesPage</name>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Verify…</source>
        <translation>校验…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Import a receipt…</source>
        <translation>导入回执…</translation>
    </message>
    <message>
        <source>Purge the round…</source>
        <translation>清理本轮材料…</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>收发</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>With</source>
        <translation>对方</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Trusted because</source>
        <translation>信任依据</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Here</source>
        <translation>本机版本</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>导入版本</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Why it waits</source>
        <translation>待定原因</translation>
    </message>
    <message>
        <source>Write my card…</source>
        <translation>导出本机公钥卡片…</translation>
    </message>
    <message>
        <source>Add a card…</source>
        <translation>添加他人公钥卡片…</translation>
    </message>
    <message>
        <source>Keep this laptop&apos;s version</source>
        <translation>保留本机版本</translation>
    </message>
    <message>
        <source>Take the incoming version</source>
        <translation>采用导入版本</translation>
    </message>
    <message>
        <source>Sent and received</source>
        <translation>收发记录</translation>
    </message>
    <message>
        <source>Trusted keys</source>
        <translation>信任名单</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>修改冲突</translation>
    </message>
    <message>
        <source>Material leaves this laptop only as a sealed bundle: encrypted to its recipients, signed by you, checked whole before anything is imported.</source>
        <translation>材料只能以加密数据包的形式离开本机：数据包只有指定的接收人能打开，并带有您的签名；导入前会整体校验，任何一处不符都不会导入。</translation>
    </message>
    <message>
        <source>Bundles</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>This laptop&apos;s fingerprint (read it aloud when exchanging cards): {0}</source>
        <translation>本机指纹（交换公钥卡片时请向对方朗读）：{0}</translation>
    </message>
    <message>
        <source>{0} records, {1} attachments</source>
        <translation>记录 {0} 条，附件 {1} 个</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已回执</translation>
    </message>
    <message>
        <source>awaiting</source>
        <translation>待回执</translation>
    </message>
    <message>
        <source>{0} new, {1} updated, {2} conflicts</source>
        <translation>新增 {0} 条，更新 {1} 条，冲突 {2} 条</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到</translation>
    </message>
    <message>
        <source>fingerprint confirmed in person</source>
        <translation>当面核对指纹</translation>
    </message>
    <message>
        <source>on the roster signed by {0}</source>
        <translation>{0} 签发的名单</translation>
    </message>
    <message>
        <source>Proposal: {0}</source>
        <translation>修改建议：{0}</translation>
    </message>
    <message>
        <source>Edited on both laptops</source>
        <translation>两台电脑都改过</translation>
    </message>
    <message>
        <source>Conflicts ({0})</source>
        <translation>修改冲突（{0}）</translation>
    </message>
    <message>
        <source>First exchange cards: “Write my card…” under Trusted keys, give it to the others, add theirs with “Add a card…” and compare the fingerprints aloud. Then export or import.</source>
        <translation>请先交换公钥卡片：在“信任名单”中点“导出本机公钥卡片…”交给对方，再用“添加他人公钥卡片…”加入对方的卡片，并当面朗读核对指纹。之后即可导出或导入数据包。</translation>
    </message>
    <message>
        <source>Nothing sent yet: press Export…, choose the members and tick the round package for their first bundle.</source>
        <translation>还没有发出过数据包：点“导出…”，选择组员；给组员的第一个包请勾选轮次设置包。</translation>
    </message>
    <message>
        <source>Nothing received yet: press Import… and choose the round package the leader sent you.</source>
        <translation>还没有收到数据包：点“导入…”，选择组长发来的轮次设置包。</translation>
    </message>
    <message>
        <source>Folder on the USB stick</source>
        <translation>选择U盘上的文件夹</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Sealing the bundle…</source>
        <translation>正在生成加密数据包…</translation>
    </message>
    <message>
        <source>Bundle written and read back: {0}
Number {1}, {2} records, {3} attachments.</source>
        <translation>数据包已写入并回读校验：{0}
序号 {1}，记录 {2} 条，附件 {3} 个。</translation>
    </message>
    <message>
        <source>Open a bundle</source>
        <translation>打开数据包</translation>
    </message>
    <message>
        <source>Bundles (*.age)</source>
        <translation>数据包 (*.age)</translation>
    </message>
    <message>
        <source>The bundle cannot be used</source>
        <translation>数据包无法使用</translation>
    </message>
    <message>
        <source>Checking the bundle…</source>
        <translation>正在校验数据包…</translation>
    </message>
    <message>
        <source>Import refused</source>
        <translation>未予导入</translation>
    </message>
    <message>
        <source>Importing the bundle…</source>
        <translation>正在导入数据包…</translation>
    </message>
    <message>
        <source>Imported: {0} new and {1} updated records, {2} conflicts.</source>
        <translation>已导入：新增记录 {0} 条，更新 {1} 条，冲突 {2} 条。</translation>
    </message>
    <message>
        <source>{0} changes the sender may not make were not taken; see the audit log.</source>
        <translation>有 {0} 处发送人无权作出的修改未被采纳，详见操作日志。</translation>
    </message>
    <message>
        <source>Receipt written: {0}</source>
        <translation>回执已写入：{0}</translation>
    </message>
    <message>
        <source>Open a receipt</source>
        <translation>打开回执</translation>
    </message>
    <message>
        <source>Receipts (*.age)</source>
        <translation>回执 (*.age)</translation>
    </message>
    <message>
        <source>Receipt recorded.</source>
        <translation>回执已登记。</translation>
    </message>
    <message>
        <source>Receipt refused</source>
        <translation>回执无效</translation>
    </message>
    <message>
        <source>Card written: {0}
Read your fingerprint aloud to the person who adds it.</source>
        <translation>公钥卡片已写入：{0}
请向导入该卡片的人朗读本机指纹。</translation>
    </message>
    <message>
        <source>Open a public card</source>
        <translation>打开公钥卡片</translation>
    </message>
    <message>
        <source>Cards (*.json)</source>
        <translation>公钥卡片 (*.json)</translation>
    </message>
    <message>
        <source>Confirm the fingerprint</source>
        <translation>核对指纹</translation>
    </message>
    <message>
        <source>Type the 30 digits its owner reads aloud to you:</source>
        <translation>请输入卡片主人向您朗读的 30 位数字：</translation>
    </message>
    <message>
        <source>Trusted: {0}</source>
        <translation>已加入信任名单：{0}</translation>
    </message>
    <message>
        <source>Card not trusted</source>
        <translation>未加入信任名单</translation>
    </message>
    <message>
        <source>Select a conflict in the list first.</source>
        <translation>请先在列表中选中一条冲突。</translation>
    </message>
    <message>
        <source>No conflict waits to be settled.</source>
        <translation>没有待处理的修改冲突。</translation>
    </message>
    <message>
        <source>Conflict not settled</source>
        <translation>冲突未能处理</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>暂不能清理</translation>
    </message>
    <message>
        <source>The round was purged from this laptop.</source>
        <translation>本轮材料已从本机清理。</translation>
    </message>
    <message>
        <source>Not purged</source>
        <translation>未能清理</translation>
    </message>
    <message>
        <source>Purging and compacting…</source>
        <translation>正在清理并压缩保险库…</translation>
    </message>
</context>
<context>
    <name>CapturePages</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Interviewee</source>
        <translation>谈话对象</translation>
    </message>
    <message>
        <source>Unit and post</source>
        <translation>单位和职务</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>谈话时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>By</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Interviews</source>
        <translation>谈话</translation>
    </message>
    <message>
        <source>Person reported and matter</source>
        <translation>被反映人和事项</translation>
    </message>
    <message>
        <source>Channel and unit</source>
        <translation>渠道和单位</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Petitions</source>
        <translation>信访</translation>
    </message>
    <message>
        <source>What was examined</source>
        <translation>调阅或了解的内容</translation>
    </message>
    <message>
        <source>How and where</source>
        <translation>方式和地点</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Unit and amount</source>
        <translation>单位和金额</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <source>Working papers</source>
        <translation>问题底稿</translation>
    </message>
</context>
<context>
    <name>CompilePage</name>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Merge selected</source>
        <translation>合并所选</translation>
    </message>
    <message>
        <source>Select two issues: the second is merged into the first</source>
        <translation>选中两项问题：后一项并入前一项</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>取消合并</translation>
    </message>
    <message>
        <source>Make a lead</source>
        <translation>转为问题线索</translation>
    </message>
    <message>
        <source>Export document…</source>
        <translation>生成文书…</translation>
    </message>
    <message>
        <source>Feedback and rectification ledger…</source>
        <translation>生成反馈意见和整改台账…</translation>
    </message>
    <message>
        <source>Write the feedback to the unit (反馈意见) and make the rectification ledger: one item per problem in the report or for immediate fixing. Again later: only new problems are added.</source>
        <translation>写出给被巡察党组织的反馈意见，同时生成整改台账：纳入报告或立行立改的问题每个一项。以后再次生成，只增加新的问题。</translation>
    </message>
    <message>
        <source>Who is 某某…</source>
        <translation>查询“某某”…</translation>
    </message>
    <message>
        <source>Resolve the reference number of a masked name (logged)</source>
        <translation>按编号查询被隐去的姓名（记入操作日志）</translation>
    </message>
    <message>
        <source>Take into the report</source>
        <translation>纳入巡察报告</translation>
    </message>
    <message>
        <source>Immediate fix (立行立改)</source>
        <translation>立行立改</translation>
    </message>
    <message>
        <source>Papers merged into this issue (double-click opens):</source>
        <translation>并入本项的底稿（双击打开）：</translation>
    </message>
    <message>
        <source>Evidence (double-click opens):</source>
        <translation>证据材料（双击打开）：</translation>
    </message>
    <message>
        <source>Issues by category</source>
        <translation>问题分类编排</translation>
    </message>
    <message>
        <source>Problem leads</source>
        <translation>问题线索</translation>
    </message>
    <message>
        <source>Compilation</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Only the group leader arranges the issue list.</source>
        <translation>只有组长可以编排问题清单。</translation>
    </message>
    <message>
        <source>Without a category</source>
        <translation>未分类</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>{0} issues in {1} categories · {2} for the report · {3} immediate fixes</source>
        <translation>共 {0} 个问题，分属 {1} 个类别 · 纳入报告 {2} 个 · 立行立改 {3} 个</translation>
    </message>
    <message>
        <source>No working papers yet. Every 问题底稿 of the round is listed here by category: write them under Working papers (Ctrl+N there), or import the bundles your members send (Bundles → Import…). Then arrange, merge and mark them here, and export the documents.</source>
        <translation>还没有问题底稿。本轮的问题底稿会按类别列在这里：在“问题底稿”页面新建（Ctrl+N），或导入组员发来的数据包（数据包 → 导入…）。之后在这里排序、合并、标记，并生成文书。</translation>
    </message>
    <message>
        <source>No working papers yet. Every 问题底稿 of the round is listed here by category as soon as it is written under Working papers; the group leader arranges them into the issue list.</source>
        <translation>还没有问题底稿。在“问题底稿”页面登记的底稿会按类别列在这里，由组长编排成问题清单。</translation>
    </message>
    <message>
        <source>report</source>
        <translation>纳入报告</translation>
    </message>
    <message>
        <source>immediate fix</source>
        <translation>立行立改</translation>
    </message>
    <message>
        <source>+{0} merged</source>
        <translation>并入 {0} 份</translation>
    </message>
    <message>
        <source>Select one issue in the list first.</source>
        <translation>请先在列表中选中一项问题。</translation>
    </message>
    <message>
        <source>Select two issues (hold Ctrl): the second is merged into the first.</source>
        <translation>请按住 Ctrl 选中两项问题：后一项并入前一项。</translation>
    </message>
    <message>
        <source>Already a lead: {0}.</source>
        <translation>已转为问题线索：{0}。</translation>
    </message>
    <message>
        <source>Nothing is merged into this issue.</source>
        <translation>没有其他问题并入本项。</translation>
    </message>
    <message>
        <source>Select an issue to see its evidence; select two to merge them.</source>
        <translation>选中一项问题可查看证据材料；选中两项可以合并。</translation>
    </message>
    <message>
        <source>Taken into the report when the paper was signed off</source>
        <translation>该底稿已在审核流程中纳入报告</translation>
    </message>
    <message>
        <source>No evidence linked</source>
        <translation>尚未关联证据</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Merge issues</source>
        <translation>合并问题</translation>
    </message>
    <message>
        <source>Merge {0} “{1}” into {2} “{3}”? The papers stay as they are; the issue list shows them as one item.</source>
        <translation>将 {0}“{1}”并入 {2}“{3}”？底稿本身不作改动，问题清单中合为一项。</translation>
    </message>
    <message>
        <source>Cannot make a lead</source>
        <translation>无法转为问题线索</translation>
    </message>
    <message>
        <source> Protected names are masked.</source>
        <translation>受保护的姓名已隐去。</translation>
    </message>
    <message>
        <source>Document written</source>
        <translation>文书已生成</translation>
    </message>
    <message>
        <source>Document {0} written to {1}.{2}</source>
        <translation>文书 {0} 已保存到 {1}。{2}</translation>
    </message>
    <message>
        <source>Feedback written</source>
        <translation>已写出反馈意见</translation>
    </message>
    <message>
        <source>Feedback {0} written to {1}. The rectification ledger has {2} new items.{3}</source>
        <translation>反馈意见 {0} 已写入 {1}。整改台账新增 {2} 项。{3}</translation>
    </message>
    <message>
        <source>Who is 某某</source>
        <translation>查询“某某”</translation>
    </message>
    <message>
        <source>Reference number of the masked name (the number after 某某). Looking it up is logged.</source>
        <translation>请输入被隐去姓名的编号（“某某”后括号内的数字）。查询将记入操作日志。</translation>
    </message>
    <message>
        <source>Reference {0}: {1}</source>
        <translation>编号 {0}：{1}</translation>
    </message>
    <message>
        <source>Cannot resolve the reference</source>
        <translation>无法查询该编号</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Recusal</source>
        <translation>回避提示</translation>
    </message>
    <message>
        <source>This record assigns members who declared a tie to what it is about:</source>
        <translation>本记录指派的成员申报过与记录所涉对象存在回避关系：</translation>
    </message>
    <message>
        <source> (record&apos;s {0}: {1})</source>
        <translation>（记录中的{0}：{1}）</translation>
    </message>
    <message>
        <source>Why the member may still be assigned (kept in the audit log)</source>
        <translation>不回避的理由（记入操作日志）</translation>
    </message>
    <message>
        <source>As leader you may assign them all the same, with your reason:</source>
        <translation>组长可以写明理由后仍予指派：</translation>
    </message>
    <message>
        <source>Assign and log the reason</source>
        <translation>写明理由并指派</translation>
    </message>
    <message>
        <source>Nothing was saved. Change who is assigned, or ask the leader to assign them.</source>
        <translation>未保存。请改派其他成员，或请组长写明理由后指派。</translation>
    </message>
</context>
<context>
    <name>Context</name>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>New round…</source>
        <translation>新建轮次…</translation>
    </message>
    <message>
        <source>Issue categories…</source>
        <translation>问题分类…</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Inspection group</source>
        <translation>巡察组成员</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Home unit</source>
        <translation>原单位</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Recusal</source>
        <translation>回避申报</translation>
    </message>
    <message>
        <source>Show phone</source>
        <translation>显示电话</translation>
    </message>
    <message>
        <source>Shown for {0} seconds; every showing is logged.</source>
        <translation>显示 {0} 秒后自动隐藏；每次查看都记入操作日志。</translation>
    </message>
    <message>
        <source>Copy phone</source>
        <translation>复制电话</translation>
    </message>
    <message>
        <source>Leaves the clipboard after {0} seconds; logged.</source>
        <translation>{0} 秒后自动从剪贴板清除；记入操作日志。</translation>
    </message>
    <message>
        <source>Add member…</source>
        <translation>添加成员…</translation>
    </message>
    <message>
        <source>Recusal…</source>
        <translation>回避申报…</translation>
    </message>
    <message>
        <source>The member&apos;s declared ties to persons and units of the inspection</source>
        <translation>该成员申报的与被巡察单位或人员的回避关系</translation>
    </message>
    <message>
        <source>Most urgent in the work guide</source>
        <translation>工作指引：最紧迫的步骤</translation>
    </message>
    <message>
        <source>The guide shows its steps once there is a round.</source>
        <translation>建立巡察轮次后，这里显示工作指引的步骤。</translation>
    </message>
    <message>
        <source>The guide shows its steps once the round package is imported.</source>
        <translation>导入轮次设置包后，这里显示工作指引的步骤。</translation>
    </message>
    <message>
        <source>Nothing is due in this phase: every step so far is done.</source>
        <translation>本阶段没有待办步骤：目前各步均已完成。</translation>
    </message>
    <message>
        <source>Inspected units</source>
        <translation>被巡察党组织</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Add unit…</source>
        <translation>添加单位…</translation>
    </message>
    <message>
        <source>No inspection round yet</source>
        <translation>尚未建立巡察轮次</translation>
    </message>
    <message>
        <source>Round package not imported yet</source>
        <translation>尚未导入轮次设置包</translation>
    </message>
    <message>
        <source>The leader or the inspection office creates the round here; members receive it from the leader.</source>
        <translation>组长或巡察办可在此新建轮次；组员从组长下发的数据包中获得轮次信息。</translation>
    </message>
    <message>
        <source>Select a member in the list first.</source>
        <translation>请先在列表中选中一名成员。</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>状态：{0}</translation>
    </message>
    <message>
        <source>Round {0}</source>
        <translation>轮次编号 {0}</translation>
    </message>
    <message>
        <source>Import the round package the leader sent you (Bundles → Import…); until then there is nothing to show.</source>
        <translation>请先导入组长发来的轮次设置包（“数据包” → “导入…”），导入后这里显示本轮情况。</translation>
    </message>
    <message>
        <source>{0} handed-over lead(s) without feedback past the due date (the earliest was due {1}): {2}. See Compilation → Problem leads.</source>
        <translation>{0} 条已移交的问题线索逾期未反馈（最早应于 {1} 前反馈）：{2}。请到“汇总 → 问题线索”查看。</translation>
    </message>
    <message>
        <source>Authorised by {0}</source>
        <translation>授权文号：{0}</translation>
    </message>
    <message>
        <source>Only the leader, a deputy or the inspection office sets up the group.</source>
        <translation>只有组长、副组长或巡察办可以设置巡察组。</translation>
    </message>
    <message>
        <source>Create the inspection round first (New round… above).</source>
        <translation>请先新建巡察轮次（上方“新建轮次…”）。</translation>
    </message>
    <message>
        <source>(none recorded)</source>
        <translation>（未登记）</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>Choose a date</source>
        <translation>选择日期</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
</context>
<context>
    <name>DecisionsField</name>
    <message>
        <source>Decides on</source>
        <translation>决定对象</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定内容</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>[Problem lead] {0}  {1}</source>
        <translation>［问题线索］{0}  {1}</translation>
    </message>
    <message>
        <source>Decide on papers or leads</source>
        <translation>选择决定的问题底稿或问题线索</translation>
    </message>
</context>
<context>
    <name>DeclarationsDialog</name>
    <message>
        <source>Recusal of {0}</source>
        <translation>{0}的回避申报</translation>
    </message>
    <message>
        <source>Anything else the member declared, in words</source>
        <translation>其他需要说明的回避情况</translation>
    </message>
    <message>
        <source>Declarations</source>
        <translation>回避申报</translation>
    </message>
    <message>
        <source>Recusal note</source>
        <translation>回避说明</translation>
    </message>
</context>
<context>
    <name>DeclarationsField</name>
    <message>
        <source>Person or unit</source>
        <translation>对象（人员或单位）</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
</context>
<context>
    <name>DistributionTab</name>
    <message>
        <source>Handed to</source>
        <translation>发放对象</translation>
    </message>
    <message>
        <source>Handed out</source>
        <translation>发放份数</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>发放日期</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>收回份数</translation>
    </message>
    <message>
        <source>Response rate</source>
        <translation>回收率</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Record sheets handed out:</source>
        <translation>登记发放：</translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Distribution not recorded</source>
        <translation>发放情况未登记</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <source>Export document</source>
        <translation>生成文书</translation>
    </message>
    <message>
        <source>Report draft</source>
        <translation>巡察报告初稿</translation>
    </message>
    <message>
        <source>Issue list</source>
        <translation>问题清单</translation>
    </message>
    <message>
        <source>Issue list, drafts included (marked 草稿)</source>
        <translation>问题清单（含草稿，逐条注明）</translation>
    </message>
    <message>
        <source>Problem lead list (most restricted)</source>
        <translation>问题线索清单（最高知悉范围限制）</translation>
    </message>
    <message>
        <source>Immediate-fix notice (立行立改)</source>
        <translation>立行立改通知</translation>
    </message>
    <message>
        <source>Feedback to the unit (反馈意见) and the rectification ledger</source>
        <translation>反馈意见（同时生成整改台账）</translation>
    </message>
    <message>
        <source>Hand-over letter for problem leads (移交函)</source>
        <translation>问题线索移交函</translation>
    </message>
    <message>
        <source>Petition register</source>
        <translation>信访件登记表</translation>
    </message>
    <message>
        <source>Interview record for signature</source>
        <translation>个别谈话记录（供签字）</translation>
    </message>
    <message>
        <source>Working paper with its review trail</source>
        <translation>问题底稿（含审核流程）</translation>
    </message>
    <message>
        <source>Questionnaire or evaluation tally</source>
        <translation>问卷调查或民主测评统计结果</translation>
    </message>
    <message>
        <source>PDF (watermarked, fonts embedded)</source>
        <translation>PDF（带水印，内嵌字体）</translation>
    </message>
    <message>
        <source>Word (DOCX)</source>
        <translation>Word 文档（DOCX）</translation>
    </message>
    <message>
        <source>CSV (a spreadsheet of the tables; tallies only)</source>
        <translation>CSV（表格数据，仅用于问卷统计）</translation>
    </message>
    <message>
        <source>e.g. 组务会; empty: yourself</source>
        <translation>如：组务会；不填则为本人</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Feedback date</source>
        <translation>反馈日期</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>接收人</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>密级</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>Petitioners and persons named in leads are masked as 某某 for a recipient who is not allowed to see them. Every export is numbered and logged.</source>
        <translation>接收人无权知悉的，信访人和问题线索所涉人员的姓名一律以“某某”代替。每份文书均编号并记入操作日志。</translation>
    </message>
    <message>
        <source>Only a questionnaire tally is exported as CSV.</source>
        <translation>只有问卷测评汇总可以导出为 CSV。</translation>
    </message>
    <message>
        <source>Feedback and rectification ledger</source>
        <translation>生成反馈意见和整改台账</translation>
    </message>
    <message>
        <source>{0}, version {1}</source>
        <translation>{0}（第 {1} 版）</translation>
    </message>
    <message>
        <source>This document covers the whole round: there is no record to choose. Interview records, working papers and tallies are one record each.</source>
        <translation>这份文书涵盖整个轮次，无需选择记录。谈话记录、问题底稿和测评汇总才需要选择一条。</translation>
    </message>
    <message>
        <source>{0}: {1} lead(s) to {2}</source>
        <translation>{0} 移交{2} {1} 条</translation>
    </message>
    <message>
        <source>Save document as</source>
        <translation>文书保存为</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>{0} exists. Replace it?</source>
        <translation>{0} 已存在，是否替换？</translation>
    </message>
    <message>
        <source>Writing the document…</source>
        <translation>正在生成文书…</translation>
    </message>
</context>
<context>
    <name>EntryTab</name>
    <message>
        <source>Second entry (check against the first)</source>
        <translation>第二遍录入（核对）</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>题目</translation>
    </message>
    <message>
        <source>First entry</source>
        <translation>第一遍</translation>
    </message>
    <message>
        <source>Second entry</source>
        <translation>第二遍</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>采用</translation>
    </message>
    <message>
        <source>Settle the differences</source>
        <translation>确认处理结果</translation>
    </message>
    <message>
        <source>Sheets whose two entries differ, for example the same sheet entered on two laptops: look at the paper and settle them</source>
        <translation>两遍录入不一致的答卷（例如同一张答卷在两台电脑上都录入过）：请对照纸质答卷逐项核定</translation>
    </message>
    <message>
        <source>Handed to</source>
        <translation>发放对象</translation>
    </message>
    <message>
        <source>Delete a sheet entered by mistake…</source>
        <translation>删除录错的答卷…</translation>
    </message>
    <message>
        <source>Sheets to settle: {0}…</source>
        <translation>待核对的答卷：{0}…</translation>
    </message>
    <message>
        <source>(no group)</source>
        <translation>（不区分）</translation>
    </message>
    <message>
        <source>Second entry: type the number of a sheet already entered and enter it again; differences from the first entry are listed below.</source>
        <translation>第二遍录入：输入已录入答卷的编号，再录入一遍；与第一遍不一致之处列在下方。</translation>
    </message>
    <message>
        <source>Sheet not checked</source>
        <translation>未能核对</translation>
    </message>
    <message>
        <source>Sheet not saved</source>
        <translation>答卷未保存</translation>
    </message>
    <message>
        <source>Sheet {0} saved.</source>
        <translation>第 {0} 号答卷已保存。</translation>
    </message>
    <message>
        <source>Flagged: {0}</source>
        <translation>提示：{0}</translation>
    </message>
    <message>
        <source>Flagged “{0}”: {1}</source>
        <translation>标记“{0}”：{1}</translation>
    </message>
    <message>
        <source>Sheet {0}: both entries agree.</source>
        <translation>第 {0} 号答卷：两遍录入一致。</translation>
    </message>
    <message>
        <source>Sheet {0}: {1} differences. Look at the paper and keep the right answer for each.</source>
        <translation>第 {0} 号答卷：有 {1} 处不一致。请对照纸质答卷，逐项选定正确的答案。</translation>
    </message>
    <message>
        <source>Delete a sheet</source>
        <translation>删除答卷</translation>
    </message>
    <message>
        <source>Number of the sheet to delete (for a sheet entered twice or under a wrong number; to leave a sheet out of the tallies, exclude it instead):</source>
        <translation>要删除的答卷编号（用于重复录入或编号录错的答卷；如只是不计入统计，请改用“剔除”）：</translation>
    </message>
    <message>
        <source>Sheet {0} deleted.</source>
        <translation>第 {0} 号答卷已删除。</translation>
    </message>
    <message>
        <source>Sheet not deleted</source>
        <translation>答卷未删除</translation>
    </message>
    <message>
        <source>Sheet {0}: differences settled.</source>
        <translation>第 {0} 号答卷：不一致之处已处理。</translation>
    </message>
    <message>
        <source>Differences not settled</source>
        <translation>未能处理不一致之处</translation>
    </message>
</context>
<context>
    <name>ErrorBox</name>
    <message>
        <source>Unexpected internal error ({0}); the action did not complete. Please report it.</source>
        <translation>发生意外的内部错误（{0}），本次操作未完成。请向技术支持报告。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a bundle</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <source>Include the round set-up and the group&apos;s keys (round package)</source>
        <translation>附带轮次设置和组员公钥（轮次设置包）</translation>
    </message>
    <message>
        <source>Full bundle (everything of the round, not only what changed)</source>
        <translation>完整导出（本轮全部材料，而非仅导出有变化的部分）</translation>
    </message>
    <message>
        <source>The bundle holds only what every chosen recipient may see. It is encrypted to them and signed by you; a lost stick reveals nothing.</source>
        <translation>数据包只包含所选接收人都有权查看的内容，只有他们能打开，并带有您的签名；U盘丢失也不会泄露任何内容。</translation>
    </message>
    <message>
        <source>Choose folder and export…</source>
        <translation>选择文件夹并导出…</translation>
    </message>
    <message>
        <source>Recipients:</source>
        <translation>接收人：</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>Feedback on lead {0}</source>
        <translation>登记问题线索 {0} 的办理反馈</translation>
    </message>
    <message>
        <source>e.g. 已立案审查；给予党内严重警告处分</source>
        <translation>如：已立案审查；给予党内严重警告处分</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>问题线索</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>移交情况</translation>
    </message>
    <message>
        <source>{0} to {1}, feedback due by {2}</source>
        <translation>{0} 移交{1}，应于 {2} 前反馈</translation>
    </message>
    <message>
        <source>Received on</source>
        <translation>收到反馈日期</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈的办理情况</translation>
    </message>
</context>
<context>
    <name>FieldWidget</name>
    <message>
        <source>One item per line</source>
        <translation>每行一条</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>FormsPage</name>
    <message>
        <source>Import form…</source>
        <translation>导入表单…</translation>
    </message>
    <message>
        <source>Import a shipped form</source>
        <translation>导入内置表单</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>录入</translation>
    </message>
    <message>
        <source>Tally</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量检查</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>发放回收</translation>
    </message>
    <message>
        <source>No form yet: import one of the shipped forms, or a form file (.json or .xlsx).</source>
        <translation>尚无表单：请导入内置表单，或导入表单文件（.json 或 .xlsx）。</translation>
    </message>
    <message>
        <source>Questionnaires</source>
        <translation>问卷测评</translation>
    </message>
    <message>
        <source>{0} (v{1}, {2} sheets)</source>
        <translation>{0}（第 {1} 版，{2} 份）</translation>
    </message>
    <message>
        <source>{0} — older version</source>
        <translation>{0}——旧版</translation>
    </message>
    <message>
        <source>{0} sheets counted, {1} excluded, {2} flags</source>
        <translation>计入统计 {0} 份，剔除 {1} 份，质量提示 {2} 条</translation>
    </message>
    <message>
        <source>Import a form</source>
        <translation>导入表单</translation>
    </message>
    <message>
        <source>Form definitions (*.json *.xlsx)</source>
        <translation>表单定义 (*.json *.xlsx)</translation>
    </message>
    <message>
        <source>Form not imported</source>
        <translation>表单未导入</translation>
    </message>
</context>
<context>
    <name>GuidePage</name>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Done when</source>
        <translation>完成依据</translation>
    </message>
    <message>
        <source>Waiting for</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Only what is left</source>
        <translation>只看未完成</translation>
    </message>
    <message>
        <source>Mark done…</source>
        <translation>标记完成…</translation>
    </message>
    <message>
        <source>Take the mark back</source>
        <translation>取消勾选</translation>
    </message>
    <message>
        <source>Import a guide…</source>
        <translation>导入指引…</translation>
    </message>
    <message>
        <source>Use the shipped guide</source>
        <translation>恢复内置指引</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>必谈必查</translation>
    </message>
    <message>
        <source>Work guide</source>
        <translation>工作指引</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Interviews</source>
        <translation>五必谈</translation>
    </message>
    <message>
        <source>Not yet interviewed</source>
        <translation>尚未谈话</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>四必查</translation>
    </message>
    <message>
        <source>Checks not met</source>
        <translation>尚未查完</translation>
    </message>
    <message>
        <source>Select a unit to see who is still to be interviewed and what is still to be checked.</source>
        <translation>选中一个单位，查看尚未谈话的人员和尚未查完的事项。</translation>
    </message>
    <message>
        <source>Import a coverage plan…</source>
        <translation>导入必谈必查计划…</translation>
    </message>
    <message>
        <source>no records yet</source>
        <translation>暂无记录</translation>
    </message>
    <message>
        <source>no roster yet</source>
        <translation>尚无名单</translation>
    </message>
    <message>
        <source> (now {0})</source>
        <translation>（现有 {0}）</translation>
    </message>
    <message>
        <source>Ticked by {0}, done on {1}</source>
        <translation>{0} 勾选，{1} 完成</translation>
    </message>
    <message>
        <source>No inspection round yet</source>
        <translation>尚无巡察轮次</translation>
    </message>
    <message>
        <source>The guide lists the steps of a round once there is one.</source>
        <translation>建立巡察轮次后，这里列出本轮的工作步骤。</translation>
    </message>
    <message>
        <source>the office&apos;s own</source>
        <translation>本单位导入</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Phase: {0} · {1} of {2} steps done · {3} overdue · {4} due now · guide: {5} ({6})</source>
        <translation>当前阶段：{0} · 已完成 {1}/{2} 步 · 逾期 {3} 步 · 本阶段待办 {4} 步 · 指引：{5}（{6}）</translation>
    </message>
    <message>
        <source>Select a step to see what it asks and what it waits for.</source>
        <translation>选中一个步骤，查看它的要点和所等待的步骤。</translation>
    </message>
    <message>
        <source>Waiting for: {0}</source>
        <translation>等待：{0}</translation>
    </message>
    <message>
        <source>Only the leader, a deputy or the inspection office ticks the guide&apos;s steps.</source>
        <translation>只有组长、副组长或巡察办可以勾选指引步骤。</translation>
    </message>
    <message>
        <source>Select a step first.</source>
        <translation>请先选中一个步骤。</translation>
    </message>
    <message>
        <source>This step is done by what the round holds ({0}), not by hand.</source>
        <translation>这一步由本轮的材料显示完成（{0}），不用手动勾选。</translation>
    </message>
    <message>
        <source>This step is already ticked.</source>
        <translation>这一步已勾选完成。</translation>
    </message>
    <message>
        <source>This step is not ticked.</source>
        <translation>这一步尚未勾选。</translation>
    </message>
    <message>
        <source>Only the inspection office or the leader changes the guide.</source>
        <translation>只有巡察办或组长可以更换工作指引。</translation>
    </message>
    <message>
        <source>The shipped guide is already in use.</source>
        <translation>已在使用内置工作指引。</translation>
    </message>
    <message>
        <source>Coverage plan of the round</source>
        <translation>按本轮的必谈必查计划。</translation>
    </message>
    <message>
        <source>No coverage plan: every unit, the five categories of 五必谈 and the four checks of 四必查.</source>
        <translation>未设必谈必查计划：全部被巡察单位，五类必谈人员，四项必查。</translation>
    </message>
    <message>
        <source>Rosters naming no unit of the round: {0}</source>
        <translation>以下名单所列单位不是本轮的被巡察单位：{0}</translation>
    </message>
    <message>
        <source>Only the leader or the inspection office sets the coverage plan.</source>
        <translation>只有组长或巡察办可以制定必谈必查计划。</translation>
    </message>
    <message>
        <source>Create the inspection round first.</source>
        <translation>请先建立巡察轮次。</translation>
    </message>
    <message>
        <source>五必谈 {0}: {1} of {2} interviewed</source>
        <translation>{0} 五必谈：已谈 {1}/{2} 人</translation>
    </message>
    <message>
        <source>  No roster yet: add the unit&apos;s rosters to the 基本情况清单 (名单类别 and 名单).</source>
        <translation>  尚无名单：请在基本情况清单中录入本单位的名单（名单类别、名单）。</translation>
    </message>
    <message>
        <source>✗ not yet interviewed</source>
        <translation>✗ 尚未谈话</translation>
    </message>
    <message>
        <source>四必查: {0} of {1} met</source>
        <translation>四必查：已查完 {0}/{1} 项</translation>
    </message>
    <message>
        <source>nothing of this unit to check yet</source>
        <translation>暂无本单位的相关记录</translation>
    </message>
    <message>
        <source>✓ looked into: {0}</source>
        <translation>✓ 已查：{0}</translation>
    </message>
    <message>
        <source>✗ still open: {0}</source>
        <translation>✗ 尚未办结：{0}</translation>
    </message>
    <message>
        <source>Import a coverage plan</source>
        <translation>导入必谈必查计划</translation>
    </message>
    <message>
        <source>Coverage plans (*.json)</source>
        <translation>必谈必查计划 (*.json)</translation>
    </message>
    <message>
        <source>Coverage plan not set</source>
        <translation>未能设置必谈必查计划</translation>
    </message>
    <message>
        <source>Step not ticked</source>
        <translation>未能勾选步骤</translation>
    </message>
    <message>
        <source>Mark “{0}” as not done again?</source>
        <translation>将“{0}”改回未完成？</translation>
    </message>
    <message>
        <source>Import a guide</source>
        <translation>导入工作指引</translation>
    </message>
    <message>
        <source>Guides (*.json)</source>
        <translation>工作指引 (*.json)</translation>
    </message>
    <message>
        <source>Guide not imported</source>
        <translation>未导入工作指引</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Hand leads over</source>
        <translation>移交问题线索</translation>
    </message>
    <message>
        <source>e.g. 县委宣传部</source>
        <translation>如：县委宣传部</translation>
    </message>
    <message>
        <source>who signed for them (optional)</source>
        <translation>签收人（可不填）</translation>
    </message>
    <message>
        <source>Word (DOCX)</source>
        <translation>Word（DOCX）</translation>
    </message>
    <message>
        <source>PDF (watermarked, fonts embedded)</source>
        <translation>PDF（带水印，嵌入字体）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Let the receiving body see the leads: the letter names the persons (otherwise 某某（编号…）)</source>
        <translation>授权接收单位查阅这些线索：函中写明被反映人姓名（否则显示为 某某（编号…））</translation>
    </message>
    <message>
        <source>Leads (approved)</source>
        <translation>移交的线索（组长已审批）</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <source>Other receiver</source>
        <translation>其他接收单位</translation>
    </message>
    <message>
        <source>Handed over on</source>
        <translation>移交日期</translation>
    </message>
    <message>
        <source>Feedback due by</source>
        <translation>反馈期限</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>接收人</translation>
    </message>
    <message>
        <source>Letter format</source>
        <translation>移交函格式</translation>
    </message>
    <message>
        <source>Save letter as</source>
        <translation>移交函保存为</translation>
    </message>
    <message>
        <source>Feedback is due {0} months after the hand-over unless you set another day. The hand-over and the letter are logged.</source>
        <translation>反馈期限默认为移交后 {0} 个月，可另行设定。移交和移交函均记入操作日志。</translation>
    </message>
    <message>
        <source>Hand over and write the letter</source>
        <translation>移交并生成移交函</translation>
    </message>
    <message>
        <source>Save the hand-over letter as</source>
        <translation>移交函保存为</translation>
    </message>
    <message>
        <source> Protected names are masked.</source>
        <translation>受保护的姓名已隐去。</translation>
    </message>
    <message>
        <source>{0} lead(s) handed over to {1}; feedback due by {2}. Letter {3} written to {4}.{5}</source>
        <translation>已向{1}移交问题线索 {0} 条，应于 {2} 前反馈。移交函 {3} 已写入 {4}。{5}</translation>
    </message>
</context>
<context>
    <name>InterviewExtras</name>
    <message>
        <source>Outline…</source>
        <translation>选择谈话提纲…</translation>
    </message>
    <message>
        <source>Outline points</source>
        <translation>提纲要点</translation>
    </message>
    <message>
        <source>Finalise</source>
        <translation>定稿</translation>
    </message>
    <message>
        <source>Needs at least two group members: interviewers and recorder.</source>
        <translation>谈话人和记录人合计需不少于两名巡察组成员。</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>The leader, or the note&apos;s author, reopens a final note to correct it; the reason goes to the audit log.</source>
        <translation>已定稿的谈话记录如需更正，由组长或记录人重新打开；理由记入操作日志。</translation>
    </message>
    <message>
        <source>Save the note first.</source>
        <translation>请先保存谈话记录。</translation>
    </message>
    <message>
        <source>The note is final: reopen it first (leader or author, with a reason).</source>
        <translation>已定稿：请先由组长或记录人写明理由重新打开。</translation>
    </message>
    <message>
        <source>Outline points ({0} of {1} covered)</source>
        <translation>提纲要点（已谈到 {0}/{1}）</translation>
    </message>
    <message>
        <source>Save the changes first, then finalise.</source>
        <translation>请先保存修改，再定稿。</translation>
    </message>
    <message>
        <source>Reopen a final note</source>
        <translation>重新打开已定稿的谈话记录</translation>
    </message>
    <message>
        <source>Why must {0} be corrected? The reason goes to the audit log.</source>
        <translation>{0} 为什么需要更正？理由将记入操作日志。</translation>
    </message>
</context>
<context>
    <name>LeadDialog</name>
    <message>
        <source>Problem lead {0}</source>
        <translation>问题线索 {0}</translation>
    </message>
    <message>
        <source>New problem lead</source>
        <translation>登记问题线索</translation>
    </message>
    <message>
        <source>Person reported</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>线索来源</translation>
    </message>
    <message>
        <source>Main facts</source>
        <translation>主要问题</translation>
    </message>
    <message>
        <source>Proposed receiver</source>
        <translation>拟移交单位</translation>
    </message>
    <message>
        <source>Other receiver</source>
        <translation>其他移交单位</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Handed over on</source>
        <translation>移交时间</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>接收人</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈情况</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>组长审批</translation>
    </message>
    <message>
        <source>Feedback due by</source>
        <translation>反馈期限</translation>
    </message>
</context>
<context>
    <name>LeadsPanel</name>
    <message>
        <source>Problem leads are seen only by the leader and by the persons the leader names. Documents for anyone else show the persons as 某某.</source>
        <translation>问题线索仅限组长及组长指定的人员查看；发给其他人的文书中，所涉人员一律显示为“某某”。</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Person reported</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>移交单位</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>移交情况</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>New lead…</source>
        <translation>登记线索…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Allow someone to see…</source>
        <translation>授权查看…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤销授权…</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>移交…</translation>
    </message>
    <message>
        <source>Hand approved leads over to 纪委监委, 组织部 or another body and write the hand-over letter (移交函).</source>
        <translation>把组长已审批的线索移交纪委监委、组织部或其他单位，并生成移交函。</translation>
    </message>
    <message>
        <source>Record feedback…</source>
        <translation>登记反馈…</translation>
    </message>
    <message>
        <source>Only the group leader keeps the problem leads.</source>
        <translation>只有组长可以管理问题线索。</translation>
    </message>
    <message>
        <source>Problem leads are seen only by the group leader and the persons the leader names; you have not been named. Ask the group leader if your work needs them.</source>
        <translation>问题线索仅组长和组长指定的人员可以查看，您未被组长指定。工作需要时，请向组长申请。</translation>
    </message>
    <message>
        <source>The leader or the inspection office hands leads over.</source>
        <translation>问题线索由组长或巡察办移交。</translation>
    </message>
    <message>
        <source>Also allowed to see the leads: {0}</source>
        <translation>经组长授权可查看问题线索的人员：{0}</translation>
    </message>
    <message>
        <source>Nobody else is allowed to see the leads.</source>
        <translation>除组长外，尚未授权其他人员查看问题线索。</translation>
    </message>
    <message>
        <source>No problem leads yet. Select an issue under Issues by category and press Make a lead, or press New lead… to log one directly.</source>
        <translation>还没有问题线索。在“问题分类编排”中选中一项问题，点“转为问题线索”；或点“登记线索…”直接登记。</translation>
    </message>
    <message>
        <source>No problem leads yet. The group leader logs them; they are listed here once logged.</source>
        <translation>还没有问题线索。组长登记后会列在这里。</translation>
    </message>
    <message>
        <source>Select a lead in the list first.</source>
        <translation>请先在列表中选中一条线索。</translation>
    </message>
    <message>
        <source>No lead to edit yet.</source>
        <translation>还没有可编辑的线索。</translation>
    </message>
    <message>
        <source> (late)</source>
        <translation>（逾期）</translation>
    </message>
    <message>
        <source>Received {0}</source>
        <translation>{0} 已反馈</translation>
    </message>
    <message>
        <source>Overdue: no feedback, due {0}</source>
        <translation>逾期未反馈（应于 {0} 前）</translation>
    </message>
    <message>
        <source>Due by {0}</source>
        <translation>应于 {0} 前反馈</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>移交</translation>
    </message>
    <message>
        <source>No lead is approved by the leader (组长已审批) yet: only approved leads are handed over.</source>
        <translation>还没有“组长已审批”的问题线索：只有经组长审批的线索可以移交。</translation>
    </message>
    <message>
        <source>Hand-over letter written</source>
        <translation>已生成移交函</translation>
    </message>
    <message>
        <source>Record feedback</source>
        <translation>登记反馈</translation>
    </message>
    <message>
        <source>Select a lead that has been handed over (已移交) in the list first.</source>
        <translation>请先在列表中选中一条“已移交”的问题线索。</translation>
    </message>
    <message>
        <source>Allow someone to see the leads</source>
        <translation>授权查看问题线索</translation>
    </message>
    <message>
        <source>Group member or body (such as 组务会):</source>
        <translation>巡察组成员或会议（如：组务会）：</translation>
    </message>
    <message>
        <source>Withdraw permission</source>
        <translation>撤销授权</translation>
    </message>
    <message>
        <source>Who may no longer see the leads:</source>
        <translation>不再允许查看问题线索的人员：</translation>
    </message>
</context>
<context>
    <name>LedgerExtras</name>
    <message>
        <source>Close-out requested</source>
        <translation>申请销号</translation>
    </message>
    <message>
        <source>Record the unit&apos;s request to close this item out (申请销号).</source>
        <translation>登记被巡察单位的销号申请。</translation>
    </message>
    <message>
        <source>Close-out request</source>
        <translation>申请销号</translation>
    </message>
    <message>
        <source>What does the unit report? (optional)</source>
        <translation>单位报告的整改情况（可不填）：</translation>
    </message>
    <message>
        <source>Close out</source>
        <translation>销号</translation>
    </message>
    <message>
        <source>The office accepts the rectification (销号), dated today and signed.</source>
        <translation>巡察办验收整改并销号，以今天为销号日期，由巡察办署名。</translation>
    </message>
    <message>
        <source>Send back…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>退回销号申请</translation>
    </message>
    <message>
        <source>Why is the request sent back?</source>
        <translation>退回的理由：</translation>
    </message>
    <message>
        <source>Progress note…</source>
        <translation>记录进展…</translation>
    </message>
    <message>
        <source>Progress note</source>
        <translation>整改进展</translation>
    </message>
    <message>
        <source>What has the unit done? (dated today)</source>
        <translation>单位做了什么（以今天为日期）：</translation>
    </message>
    <message>
        <source>Save the item first.</source>
        <translation>请先保存该事项。</translation>
    </message>
    <message>
        <source>Only the office closes an item out or sends it back.</source>
        <translation>只有巡察办可以销号或退回。</translation>
    </message>
    <message>
        <source>Only an item being rectified can be put forward.</source>
        <translation>只有“整改中”的事项可以申请销号。</translation>
    </message>
    <message>
        <source>The leader or the office records the unit&apos;s request.</source>
        <translation>销号申请由组长或巡察办登记。</translation>
    </message>
    <message>
        <source>Only an item whose close-out was requested.</source>
        <translation>只有已申请销号的事项可以销号或退回。</translation>
    </message>
    <message>
        <source>The leader or the office keeps the ledger.</source>
        <translation>整改台账由组长或巡察办维护。</translation>
    </message>
    <message>
        <source>requested {0} ({1})</source>
        <translation>{0} 申请销号（{1}登记）</translation>
    </message>
    <message>
        <source>closed out {0} by {1}</source>
        <translation>{0} 由{1}销号</translation>
    </message>
    <message>
        <source>sent back {0}: {1}</source>
        <translation>{0} 退回：{1}</translation>
    </message>
    <message>
        <source>overdue since {0}</source>
        <translation>已超过整改时限 {0}</translation>
    </message>
    <message>
        <source>State: {0}</source>
        <translation>状态：{0}</translation>
    </message>
    <message>
        <source>Nothing was written: nothing done.</source>
        <translation>没有填写内容，未做任何操作。</translation>
    </message>
    <message>
        <source>Save the changes first.</source>
        <translation>请先保存修改。</translation>
    </message>
</context>
<context>
    <name>LedgerPage</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改时限</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Rectification ledger</source>
        <translation>整改台账</translation>
    </message>
</context>
<context>
    <name>LookbackExtras</name>
    <message>
        <source>Really rectified</source>
        <translation>真整改</translation>
    </message>
    <message>
        <source>真整改: the problem is rectified in fact (dated today).</source>
        <translation>真整改：问题确已整改（核查日期为今天）。</translation>
    </message>
    <message>
        <source>What did the group find? (optional)</source>
        <translation>核查情况（可不填）：</translation>
    </message>
    <message>
        <source>On paper only…</source>
        <translation>纸面整改…</translation>
    </message>
    <message>
        <source>纸面整改: rectified on paper only (表面整改、整改不实); say why.</source>
        <translation>纸面整改：表面整改、整改不实，须写明核查情况。</translation>
    </message>
    <message>
        <source>On paper only</source>
        <translation>纸面整改</translation>
    </message>
    <message>
        <source>Why is the rectification not real?</source>
        <translation>为什么认定整改不实？</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新整改…</translation>
    </message>
    <message>
        <source>重新整改: the problem goes back to work; it enters this round&apos;s ledger with its feedback.</source>
        <translation>重新整改：问题重新列入整改，本轮反馈时列入本轮整改台账。</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新整改</translation>
    </message>
    <message>
        <source>What did the group find?</source>
        <translation>核查发现了什么？</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>改回未查</translation>
    </message>
    <message>
        <source>Back to 未查: the date and the name are cleared, the note stays.</source>
        <translation>改回“未查”：清空核查日期和核查人，核查情况保留。</translation>
    </message>
    <message>
        <source>Save the check first.</source>
        <translation>请先保存核查事项。</translation>
    </message>
    <message>
        <source>A local member records no verdict.</source>
        <translation>本地人员不记录核查结论。</translation>
    </message>
    <message>
        <source>The check already has this verdict.</source>
        <translation>已经是这个核查结论。</translation>
    </message>
    <message>
        <source>closed out {0}</source>
        <translation>{0} 销号</translation>
    </message>
    <message>
        <source>deadline {0}</source>
        <translation>时限 {0}</translation>
    </message>
    <message>
        <source> ({0}, {1})</source>
        <translation>（{0}，{1}）</translation>
    </message>
    <message>
        <source>Earlier ledger: {0}
Verdict: {1}</source>
        <translation>上一轮台账：{0}
核查结论：{1}</translation>
    </message>
    <message>
        <source>Nothing was written: nothing done.</source>
        <translation>没有填写内容，未作改动。</translation>
    </message>
    <message>
        <source>Save the changes first.</source>
        <translation>请先保存修改。</translation>
    </message>
</context>
<context>
    <name>LookbackPage</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Earlier ledger</source>
        <translation>上一轮台账</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>核查结论</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>核查日期</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Look-back</source>
        <translation>回头看</translation>
    </message>
    <message>
        <source>Seed from earlier round…</source>
        <translation>从上一轮生成…</translation>
    </message>
    <message>
        <source>One check per item of the earlier round&apos;s rectification ledger (open and closed); again: new items only.</source>
        <translation>上一轮整改台账的每一项（含未销号和已销号的）生成一条核查事项；再次生成只增加新的事项。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>This round is a {0}: only a look-back (回头看) round starts from an earlier round&apos;s ledger.</source>
        <translation>本轮为“{0}”：只有“回头看”轮次才能从上一轮的整改台账生成核查事项。</translation>
    </message>
    <message>
        <source>The office or the leader seeds the checks; the group records the verdicts.</source>
        <translation>核查事项由巡察办或组长生成，组员可以记录核查结论。</translation>
    </message>
    <message>
        <source>This vault holds no earlier round of the same unit with a rectification ledger: import it first (the office holds it).</source>
        <translation>本机没有同一单位更早的、建有整改台账的巡察轮次：请先导入（巡察办保存有上一轮的台账）。</translation>
    </message>
    <message>
        <source>No checks yet. Press “Seed from earlier round…” to start from the earlier round&apos;s ledger.</source>
        <translation>还没有核查事项。点“从上一轮生成…”，从上一轮的整改台账开始核查。</translation>
    </message>
    <message>
        <source>Seed from earlier round</source>
        <translation>从上一轮生成</translation>
    </message>
    <message>
        <source>The earlier round of the same unit:</source>
        <translation>同一单位的上一轮巡察：</translation>
    </message>
    <message>
        <source>{0} checks added from {1}; {2} were there already.</source>
        <translation>已从 {1} 新增核查事项 {0} 项，原有 {2} 项。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <source>{0} has no area of its own to open it in.</source>
        <translation>“{0}”暂无单独页面，无法在此打开。</translation>
    </message>
    <message>
        <source>Unsaved work found</source>
        <translation>发现未保存的内容</translation>
    </message>
    <message>
        <source>{0} unsaved drafts were kept from the last session:
{1}

Open the newest now? The others stay and are offered again next time.</source>
        <translation>上次使用时留下了 {0} 份未保存的草稿：
{1}

现在打开最近的一份吗？其余的草稿会保留，下次解锁时再提示。</translation>
    </message>
    <message>
        <source>Open the newest</source>
        <translation>打开最近的一份</translation>
    </message>
    <message>
        <source>Discard all</source>
        <translation>全部丢弃</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>&amp;Vault</source>
        <translation>保险库(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Backup…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Search all records</source>
        <translation>全文搜索(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Verify audit log</source>
        <translation>校验操作日志(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Check vault file</source>
        <translation>校验保险库文件(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>使用说明(&amp;U)</translation>
    </message>
    <message>
        <source>A short guide to the area in front (F1)</source>
        <translation>当前页面的简要使用说明（F1）</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Encrypted backup</source>
        <translation>加密备份</translation>
    </message>
    <message>
        <source>Vaults (*.xuncha)</source>
        <translation>保险库 (*.xuncha)</translation>
    </message>
    <message>
        <source>Encrypted backup written: {0}</source>
        <translation>已写入加密备份：{0}</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Writing the encrypted backup…</source>
        <translation>正在写入加密备份…</translation>
    </message>
    <message>
        <source>Vault file check</source>
        <translation>校验保险库文件</translation>
    </message>
    <message>
        <source>Checking every page of the vault file…</source>
        <translation>正在逐页校验保险库文件…</translation>
    </message>
    <message>
        <source>The vault file is whole: {0} pages checked, no damage found.</source>
        <translation>保险库文件完整：已校验 {0} 页，未发现损坏。</translation>
    </message>
    <message>
        <source>Vault file damaged</source>
        <translation>保险库文件已损坏</translation>
    </message>
    <message>
        <source>The check of the vault file found {0} damaged places. The rest stays usable until a damaged part is read; after that nothing more can be saved until the vault is locked. No backup can be made of this file.

Lock the vault and restore your most recent backup (Restore from backup… in the unlock window); the damaged file is kept beside it.</source>
        <translation>校验发现保险库文件有 {0} 处损坏。在读到损坏部分之前，其余内容仍可使用；一旦读到损坏部分，锁定之前将无法再保存任何内容。此文件也不能再写备份。

请锁定保险库，在解锁窗口中选择“从备份恢复…”，恢复最近的一份备份；损坏的文件会保留在它旁边。</translation>
    </message>
    <message>
        <source>The vault file is damaged: restore your most recent backup.</source>
        <translation>保险库文件已损坏：请从最近的备份恢复。</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>&lt;b&gt;Inspection Field Workbench&lt;/b&gt; {0}&lt;br&gt;Offline and encrypted. Material leaves this computer only as sealed bundles.</source>
        <translation>&lt;b&gt;巡察外业工作台&lt;/b&gt; {0}&lt;br&gt;离线、加密。材料只以加密数据包的形式离开本机。</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <source>Add group member</source>
        <translation>添加巡察组成员</translation>
    </message>
    <message>
        <source>Where the member normally works</source>
        <translation>成员的原工作单位</translation>
    </message>
    <message>
        <source>Protected: hidden in lists, shown only on request, and every showing is logged.</source>
        <translation>受保护信息：列表中隐藏，仅在点击显示时出现，每次查看都记入操作日志。</translation>
    </message>
    <message>
        <source>Anything else the member declared, in words</source>
        <translation>其他需要说明的回避情况</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Home unit</source>
        <translation>原单位</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Recusal</source>
        <translation>回避申报</translation>
    </message>
    <message>
        <source>Recusal note</source>
        <translation>回避说明</translation>
    </message>
    <message>
        <source>Enter the member&apos;s name.</source>
        <translation>请填写成员姓名。</translation>
    </message>
    <message>
        <source>Persons and units of this inspection the member is tied to: a spouse, close kin, a post held or a direct superior in the last three years. A record about one of them cannot be given to the member without the leader&apos;s reason.</source>
        <translation>该成员与本次巡察所涉人员或单位的关系：配偶、近亲属、三年内曾任职或三年内的直接上级。涉及这些对象的记录，须组长写明理由后方可指派给该成员。</translation>
    </message>
</context>
<context>
    <name>MethodPages</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Briefing</source>
        <translation>通报</translation>
    </message>
    <message>
        <source>From and about</source>
        <translation>通报单位和涉及单位</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到日期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Briefings</source>
        <translation>巡前通报</translation>
    </message>
    <message>
        <source>Policy document</source>
        <translation>政策文件</translation>
    </message>
    <message>
        <source>Number and matters</source>
        <translation>文号和适用事项</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>印发日期</translation>
    </message>
    <message>
        <source>Policy list</source>
        <translation>政策清单</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Unit and source</source>
        <translation>涉及单位和来源</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>核实状态</translation>
    </message>
    <message>
        <source>By</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Problem list</source>
        <translation>问题清单</translation>
    </message>
    <message>
        <source>Unit and matter</source>
        <translation>单位和事项</translation>
    </message>
    <message>
        <source>Aspect</source>
        <translation>方面</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新日期</translation>
    </message>
    <message>
        <source>Unit profile</source>
        <translation>基本情况清单</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Place and agenda</source>
        <translation>地点和议题</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>会议时间</translation>
    </message>
    <message>
        <source>Group meetings</source>
        <translation>组务会</translation>
    </message>
    <message>
        <source>Appraisal</source>
        <translation>工作鉴定</translation>
    </message>
    <message>
        <source>Duties and grade</source>
        <translation>职责和等次</translation>
    </message>
    <message>
        <source>Appraised</source>
        <translation>鉴定日期</translation>
    </message>
    <message>
        <source>Appraisals</source>
        <translation>工作鉴定</translation>
    </message>
</context>
<context>
    <name>MoneyField</name>
    <message>
        <source>yuan, e.g. 126000</source>
        <translation>单位：元，如 126000</translation>
    </message>
</context>
<context>
    <name>PaperExtras</name>
    <message>
        <source>Submit for checking</source>
        <translation>提交复核</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>复核通过</translation>
    </message>
    <message>
        <source>Send back…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>审签</translation>
    </message>
    <message>
        <source>Unit confirmed</source>
        <translation>单位已确认</translation>
    </message>
    <message>
        <source>Into the report</source>
        <translation>纳入报告</translation>
    </message>
    <message>
        <source>Raise a note…</source>
        <translation>提出意见…</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Close note</source>
        <translation>关闭意见</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Review notes ({0}, {1} awaiting an answer)</source>
        <translation>审核意见（{0} 条，{1} 条待答复）</translation>
    </message>
    <message>
        <source>Review notes ({0})</source>
        <translation>审核意见（{0} 条）</translation>
    </message>
    <message>
        <source>Review notes (none)</source>
        <translation>审核意见（无）</translation>
    </message>
    <message>
        <source>Review notes</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <source>Save the paper first.</source>
        <translation>请先保存底稿。</translation>
    </message>
    <message>
        <source>Only when the paper is {0}; it is {1} now.</source>
        <translation>底稿处于“{0}”状态时才能操作，当前为“{1}”。</translation>
    </message>
    <message>
        <source>Select a review note in the list first.</source>
        <translation>请先在列表中选中一条审核意见。</translation>
    </message>
    <message>
        <source>This note is closed.</source>
        <translation>这条意见已关闭。</translation>
    </message>
    <message>
        <source>Only the reviewer who raised it, or the leader, closes a note.</source>
        <translation>只有提出意见的审核人或组长可以关闭意见。</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待答复</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Answer: {0}</source>
        <translation>答复：{0}</translation>
    </message>
    <message>
        <source>Save the changes first.</source>
        <translation>请先保存修改。</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Why does it go back?</source>
        <translation>退回的理由：</translation>
    </message>
    <message>
        <source>Review note</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <source>What should the author look at?</source>
        <translation>请写明需要承办人核实或修改的内容：</translation>
    </message>
    <message>
        <source>Answer the note</source>
        <translation>答复审核意见</translation>
    </message>
    <message>
        <source>What was changed, or why not?</source>
        <translation>作了哪些修改，或者为什么不改？</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Backups made earlier still open with the old password.</source>
        <translation>此前制作的备份仍使用原密码打开。</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Re-encrypting the vault…</source>
        <translation>正在重新加密保险库…</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Vault file</source>
        <translation>保险库文件</translation>
    </message>
    <message>
        <source>Vaults ({0})</source>
        <translation>保险库 ({0})</translation>
    </message>
</context>
<context>
    <name>PetitionExtras</name>
    <message>
        <source>Mark as repeat</source>
        <translation>标记为重复件</translation>
    </message>
    <message>
        <source>Select a likely repeat in the list first.</source>
        <translation>请先在列表中选中一条疑似重复件。</translation>
    </message>
    <message>
        <source>No likely repeat is suggested.</source>
        <translation>没有发现疑似重复件。</translation>
    </message>
    <message>
        <source>Repeat: {0} {1}</source>
        <translation>重复件：{0} {1}</translation>
    </message>
    <message>
        <source>same person reported</source>
        <translation>被反映人相同</translation>
    </message>
    <message>
        <source>similar wording</source>
        <translation>内容相似</translation>
    </message>
    <message>
        <source>Likely repeat ({0}, {1:.0%}): {2} {3}</source>
        <translation>疑似重复件（{0}，{1:.0%}）：{2} {3}</translation>
    </message>
    <message>
        <source>Repeats and likely repeats ({0})</source>
        <translation>重复件和疑似重复件（{0}）</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>重复件</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>This area arrives with a later version.</source>
        <translation>此功能将在后续版本中提供。</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Bundle check</source>
        <translation>数据包校验</translation>
    </message>
    <message>
        <source>From: {0}</source>
        <translation>发送人：{0}</translation>
    </message>
    <message>
        <source>To: {0}</source>
        <translation>接收人：{0}</translation>
    </message>
    <message>
        <source>Round {0}, number {1}, sealed {2}</source>
        <translation>轮次 {0}，序号 {1}，生成于 {2}</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>incremental</source>
        <translation>增量</translation>
    </message>
    <message>
        <source>Contents ({0}): {1} records, {2} attachments</source>
        <translation>内容（{0}）：记录 {1} 条，附件 {2} 个</translation>
    </message>
    <message>
        <source>Round material: {0} forms, {1} questionnaire sheets, {2} leads, {3} issue list entries</source>
        <translation>轮次材料：表单 {0} 份，问卷答卷 {1} 份，问题线索 {2} 条，问题清单编排 {3} 项</translation>
    </message>
    <message>
        <source>New records: {0}</source>
        <translation>新增记录：{0}</translation>
    </message>
    <message>
        <source>Updated records: {0}</source>
        <translation>更新记录：{0}</translation>
    </message>
    <message>
        <source>Unchanged or older: {0}</source>
        <translation>无变化或较旧：{0}</translation>
    </message>
    <message>
        <source>Conflicts for the leader to settle: {0}</source>
        <translation>待组长处理的修改冲突：{0}</translation>
    </message>
    <message>
        <source>New attachments: {0}</source>
        <translation>新增附件：{0}</translation>
    </message>
    <message>
        <source>New forms or form versions: {0}</source>
        <translation>新表单或新版本：{0}</translation>
    </message>
    <message>
        <source>New questionnaire sheets: {0}</source>
        <translation>新问卷答卷：{0}</translation>
    </message>
    <message>
        <source>Sheets entered differently on two laptops, to resolve as a double entry: {0}</source>
        <translation>两台电脑录入不一致的答卷（在问卷测评中按第二遍录入核对处理）：{0}</translation>
    </message>
    <message>
        <source>Sheet exclusions changed: {0}</source>
        <translation>答卷剔除情况变动：{0}</translation>
    </message>
    <message>
        <source>New or updated leads: {0}</source>
        <translation>新增或更新的问题线索：{0}</translation>
    </message>
    <message>
        <source>Lead states not taken (a lead&apos;s state does not move back): {0}</source>
        <translation>未采纳的线索状态（线索状态不能倒退）：{0}</translation>
    </message>
    <message>
        <source>Issue list entries arranged: {0}</source>
        <translation>问题清单编排：{0} 项</translation>
    </message>
    <message>
        <source>Marks for the report not taken (the paper is not signed here): {0}</source>
        <translation>未采纳的“纳入报告”标记（本机该底稿尚未审签）：{0}</translation>
    </message>
    <message>
        <source>Not taken: {0} {1}: {2}</source>
        <translation>未采纳：{0} {1}：{2}</translation>
    </message>
    <message>
        <source> (its content waits for the leader as a proposal)</source>
        <translation>（其内容留待组长决定是否采用）</translation>
    </message>
    <message>
        <source>Note: {0}</source>
        <translation>注意：{0}</translation>
    </message>
    <message>
        <source>Sheet exclusions not taken (the leader decides them): {0}</source>
        <translation>未采纳的剔除答卷决定（剔除由组长决定）：{0}</translation>
    </message>
    <message>
        <source>Not yet received from this sender: numbers {0}</source>
        <translation>尚未收到该发送人的序号：{0}</translation>
    </message>
    <message>
        <source>This bundle was imported before; importing it again changes nothing.</source>
        <translation>该数据包此前已导入，再次导入不会有任何改动。</translation>
    </message>
    <message>
        <source>Write a receipt for the sender next to the bundle</source>
        <translation>在数据包旁为发送人写一份回执</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>ProtectedField</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Shown for {0} seconds; every showing is logged.</source>
        <translation>显示 {0} 秒后自动隐藏；每次查看都记入操作日志。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copied for a few seconds only; logged.</source>
        <translation>只在剪贴板保留几秒；记入操作日志。</translation>
    </message>
    <message>
        <source>Recorded and hidden; type to replace</source>
        <translation>已登记（已隐藏）；输入新内容可替换</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>Recorded (no right to view)</source>
        <translation>已登记（无权查看）</translation>
    </message>
    <message>
        <source>Not recorded (no right to fill in)</source>
        <translation>未登记（无权填写）</translation>
    </message>
    <message>
        <source>Only the leader and the office hold a petitioner&apos;s name and contact; this record came from another laptop without them.</source>
        <translation>信访人姓名和联系方式只由组长和巡察办掌握；这条记录从其他电脑传来，不含这些信息。</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>PurgeDialog</name>
    <message>
        <source>Purge the round</source>
        <translation>清理本轮材料</translation>
    </message>
    <message>
        <source>A purge removes the round from this vault only. It cannot reach the copies this vault wrote outside itself: tick each one below once it is destroyed or handed over. A copy on a stick, on paper or on another computer that is not listed here is yours to account for too.</source>
        <translation>清理只删除本保险库中的本轮材料，删不到本机写到保险库之外的副本：请在下列每一份副本销毁或移交后逐一勾选。未列出的副本（U盘上另行复制的、打印的纸质件、其他电脑上的）同样须由您负责处置。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>写出时间</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>现状</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>This vault wrote no backups and exported no documents for this round.</source>
        <translation>本轮中本机未写过备份，也未导出文书。</translation>
    </message>
    <message>
        <source>How, or to whom (optional; goes to the audit log)</source>
        <translation>处置方式或移交对象（可选，记入操作日志）</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Round code {0}:</source>
        <translation>轮次编号 {0}：</translation>
    </message>
    <message>
        <source>Vault password:</source>
        <translation>保险库密码：</translation>
    </message>
    <message>
        <source>Purge</source>
        <translation>清理</translation>
    </message>
    <message>
        <source>Tick every copy first: {0} still to confirm.</source>
        <translation>请先逐项确认副本：尚有 {0} 份待确认。</translation>
    </message>
    <message>
        <source>Type the round code {0} to confirm.</source>
        <translation>请输入轮次编号 {0} 以确认。</translation>
    </message>
    <message>
        <source>Type the vault password.</source>
        <translation>请输入保险库密码。</translation>
    </message>
    <message>
        <source>{0} {1} for {2} ({3})</source>
        <translation>{0} {1}，送{2}（{3}）</translation>
    </message>
    <message>
        <source>{0} (written {1} times)</source>
        <translation>{0}（同一位置写过 {1} 次）</translation>
    </message>
    <message>
        <source>The file is still there: delete it before confirming it destroyed.</source>
        <translation>文件仍在原处：请先删除，再确认已销毁。</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>（未记录）</translation>
    </message>
    <message>
        <source>{0} of {1} copies still to confirm.</source>
        <translation>共 {1} 份副本，尚有 {0} 份待确认。</translation>
    </message>
</context>
<context>
    <name>QualityTab</name>
    <message>
        <source>All in one column</source>
        <translation>一勾到底</translation>
    </message>
    <message>
        <source>Mostly blank</source>
        <translation>大部分未答</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复答卷</translation>
    </message>
    <message>
        <source>Outside constraints</source>
        <translation>答案超出范围</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>答卷编号</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Excluded</source>
        <translation>已剔除（理由）</translation>
    </message>
    <message>
        <source>Exclude from tallies…</source>
        <translation>剔除，不计入统计…</translation>
    </message>
    <message>
        <source>Count again</source>
        <translation>恢复计入</translation>
    </message>
    <message>
        <source>{0} flags on {1} sheets; {2} sheets excluded.</source>
        <translation>{1} 份答卷有 {0} 条质量提示；已剔除 {2} 份。</translation>
    </message>
    <message>
        <source>Select a flagged sheet in the list first.</source>
        <translation>请先在列表中选中一份有提示的答卷。</translation>
    </message>
    <message>
        <source>This sheet is excluded already.</source>
        <translation>这份答卷已经剔除。</translation>
    </message>
    <message>
        <source>This sheet is counted already.</source>
        <translation>这份答卷已经计入统计。</translation>
    </message>
    <message>
        <source>All ticked in one column</source>
        <translation>一勾到底</translation>
    </message>
    <message>
        <source>Duplicate sheet</source>
        <translation>重复答卷</translation>
    </message>
    <message>
        <source>Exclude sheet {0}</source>
        <translation>剔除第 {0} 号答卷</translation>
    </message>
    <message>
        <source>Reason (recorded and logged):</source>
        <translation>剔除理由（将记录并写入操作日志）：</translation>
    </message>
    <message>
        <source>Sheet not excluded</source>
        <translation>未能剔除答卷</translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>历史版本…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Share…</source>
        <translation>共享…</translation>
    </message>
    <message>
        <source>Share this record with a local member</source>
        <translation>把这条记录共享给本地人员</translation>
    </message>
    <message>
        <source>This draft was started on revision {0}; the record has been saved since (revision {1}). Saving will be refused: compare and copy what you need.</source>
        <translation>这份草稿基于第 {0} 版，此后该记录已保存为第 {1} 版，因此无法直接保存：请对照后把需要的内容复制过去。</translation>
    </message>
    <message>
        <source>New {0}</source>
        <translation>新建{0}</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>It is final: reopen it first (leader or author, with a reason).</source>
        <translation>已定稿：请先由组长或记录人写明理由重新打开。</translation>
    </message>
    <message>
        <source>Save the record first.</source>
        <translation>请先保存记录。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Nothing changed since it was saved.</source>
        <translation>保存后没有修改。</translation>
    </message>
    <message>
        <source>{0} · revision {1} · by {2}</source>
        <translation>{0} · 第 {1} 版 · {2}</translation>
    </message>
    <message>
        <source>Final: read-only. To correct it, the leader or its author reopens it, with a reason.</source>
        <translation>已定稿，只读。如需更正，请组长或记录人写明理由后重新打开。</translation>
    </message>
    <message>
        <source>Edited after it was checked: it must be checked again.</source>
        <translation>复核后又被修改，需要重新复核。</translation>
    </message>
    <message>
        <source>Unsaved changes (autosaved as a draft)</source>
        <translation>有未保存的修改（已自动保存为草稿）</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete {0} “{1}”? It leaves the lists; its saved revisions stay in the vault for the audit trail.</source>
        <translation>删除 {0}“{1}”？删除后不再出现在列表中；已保存的各个版本仍留在保险库中备查。</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>RecordLinksField</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>(deleted record)</source>
        <translation>（已删除的记录）</translation>
    </message>
</context>
<context>
    <name>RecordListModel</name>
    <message>
        <source>Sent by {0}, who numbered it {1}; number on this laptop: {2}</source>
        <extracomment>The longest number of a block of rows holding records from other laptops (信-0051（王建国）): the list widens its number column to show it whole.</extracomment>
        <translation>由{0}发来，其编号为 {1}；本机编号 {2}</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Edited after it was checked: needs checking again</source>
        <translation>复核后又被修改，需要重新复核</translation>
    </message>
    <message>
        <source>Overdue {0} days</source>
        <translation>逾期 {0} 天</translation>
    </message>
    <message>
        <source>Edited after checking</source>
        <translation>复核后又修改</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>（已删除）</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Filter by number, title, unit…</source>
        <translation>按编号、标题、单位筛选…</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Open work</source>
        <translation>未办结</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <source>Choose a record on the left, or press New (Ctrl+N).</source>
        <translation>请在左侧选择一条记录，或点击“新建”（Ctrl+N）。</translation>
    </message>
    <message>
        <source>Create the inspection round first (Overview → New round…).</source>
        <extracomment>The guide&apos;s pages in the order its contents list shows them: resources/help/KEY.md.</extracomment>
        <translation>请先新建巡察轮次（“概览” → “新建轮次…”）。</translation>
    </message>
    <message>
        <source>Import the round package first: the bundle the leader sent you (Bundles → Import…).</source>
        <translation>请先导入轮次设置包：组长发来的数据包（“数据包” → “导入…”）。</translation>
    </message>
    <message>
        <source>No record matches the filters. Clear the filter box or choose “All states”.</source>
        <translation>没有符合筛选条件的记录。请清空筛选框，或选择“全部状态”。</translation>
    </message>
    <message>
        <source>No {0} yet. Press New (Ctrl+N) to record the first one.</source>
        <translation>还没有{0}记录。点击“新建”（Ctrl+N）登记第一条。</translation>
    </message>
    <message>
        <source>{0} records</source>
        <translation>共 {0} 条</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>Save the changes to the record being edited?</source>
        <translation>是否保存正在编辑的记录的修改？</translation>
    </message>
</context>
<context>
    <name>RecordPicker</name>
    <message>
        <source>Add evidence</source>
        <translation>添加证据</translation>
    </message>
    <message>
        <source>Type to narrow: number, title, unit…</source>
        <translation>输入关键词筛选：编号、标题、单位…</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>The password the backup was made with</source>
        <translation>制作备份时的密码</translation>
    </message>
    <message>
        <source>The backup is checked before anything changes. A vault already at the target is not deleted: it is kept, still encrypted, beside it.</source>
        <translation>恢复前会先校验备份文件。目标位置已有的保险库不会被删除，而是以加密形式保留在同一文件夹中。</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>Restore to</source>
        <translation>恢复到</translation>
    </message>
    <message>
        <source>Backup password</source>
        <translation>备份密码</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Vaults (*.xuncha);;All files (*)</source>
        <translation>保险库 (*.xuncha);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the backup file.</source>
        <translation>请选择备份文件。</translation>
    </message>
    <message>
        <source>Enter the backup&apos;s password.</source>
        <translation>请输入备份的密码。</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
</context>
<context>
    <name>RevisionsDialog</name>
    <message>
        <source>History of {0}</source>
        <translation>{0} 的历史版本</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>with</source>
        <translation>与</translation>
    </message>
    <message>
        <source>Revision {0} · {1}</source>
        <translation>第 {0} 版 · {1}</translation>
    </message>
    <message>
        <source>No differences.</source>
        <translation>两个版本没有差别。</translation>
    </message>
    <message>
        <source>{0} fields differ.</source>
        <translation>有 {0} 个字段不同。</translation>
    </message>
</context>
<context>
    <name>RoundBar</name>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>The round every list, search, tally and document works on</source>
        <translation>所有列表、检索、统计和文书所针对的轮次</translation>
    </message>
    <message>
        <source>Next stage…</source>
        <translation>下一阶段…</translation>
    </message>
    <message>
        <source>{0} · {1} records · {2}</source>
        <translation>{0} · {1} 条记录 · {2}</translation>
    </message>
    <message>
        <source>No round set up yet</source>
        <translation>尚未建立巡察轮次</translation>
    </message>
    <message>
        <source>Round package not imported yet</source>
        <translation>尚未导入轮次设置包</translation>
    </message>
    <message>
        <source>Stage: {0}</source>
        <translation>阶段：{0}</translation>
    </message>
    <message>
        <source>The round is at its last stage ({0}).</source>
        <translation>本轮已是最后阶段（{0}）。</translation>
    </message>
    <message>
        <source>Next: {0}</source>
        <translation>下一阶段：{0}</translation>
    </message>
    <message>
        <source>This vault holds one round only: there is none to switch to.</source>
        <translation>本保险库只有一个轮次，无需切换。</translation>
    </message>
    <message>
        <source>A record being edited is not saved yet. Save or discard it, then switch rounds.</source>
        <translation>正在编辑的记录尚未保存。请先保存或放弃，再切换轮次。</translation>
    </message>
    <message>
        <source>Switching rounds…</source>
        <translation>正在切换轮次…</translation>
    </message>
    <message>
        <source>Now working on round {0}</source>
        <translation>已切换到轮次 {0}</translation>
    </message>
</context>
<context>
    <name>RoundDialog</name>
    <message>
        <source>New inspection round</source>
        <translation>新建巡察轮次</translation>
    </message>
    <message>
        <source>e.g. 2026-3</source>
        <translation>例如：2026-3</translation>
    </message>
    <message>
        <source>e.g. 市委第二轮巡察</source>
        <translation>例如：市委第二轮巡察</translation>
    </message>
    <message>
        <source>e.g. 第二巡察组</source>
        <translation>例如：第二巡察组</translation>
    </message>
    <message>
        <source>e.g. 市巡办〔2026〕17号</source>
        <translation>例如：市巡办〔2026〕17号</translation>
    </message>
    <message>
        <source>Start with the standard issue categories (三大问题)</source>
        <translation>使用标准问题分类（三大问题）</translation>
    </message>
    <message>
        <source>Round code</source>
        <translation>轮次编号</translation>
    </message>
    <message>
        <source>Round name</source>
        <translation>轮次名称</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>巡察组</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>巡察类型</translation>
    </message>
    <message>
        <source>Authorisation no.</source>
        <translation>授权文号</translation>
    </message>
    <message>
        <source>On site from</source>
        <translation>进驻日期</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Round code, name and group are required.</source>
        <translation>轮次编号、名称和巡察组不能为空。</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <source>Search every record: 扶贫, 工程项目, a name, a number…</source>
        <translation>在所有记录中搜索：扶贫、工程项目、人名、编号……</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Dated from</source>
        <translation>日期从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部问题分类</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>全部填写人</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Choose a kind of record first: each kind has its own states.</source>
        <translation>请先选择记录类型：每类记录的状态各不相同。</translation>
    </message>
    <message>
        <source> (the first {0})</source>
        <translation>（仅显示前 {0} 条）</translation>
    </message>
    <message>
        <source>{0} found</source>
        <translation>找到 {0} 条</translation>
    </message>
    <message>
        <source>Type a word, or choose a filter.</source>
        <translation>输入要找的文字，或选择筛选条件。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Lock after no activity for</source>
        <translation>无操作自动锁定时间</translation>
    </message>
    <message>
        <source>Clear copied protected values after</source>
        <translation>复制的受保护信息清除时间</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>How long a receiver has to report back on a lead handed over (stored in this vault).</source>
        <translation>接收单位对移交的问题线索反馈办理情况的期限（保存在本保险库中）。</translation>
    </message>
    <message>
        <source>Feedback on handed-over leads due after</source>
        <translation>移交线索的反馈期限</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <source>Share with local members</source>
        <translation>共享给本地人员</translation>
    </message>
    <message>
        <source>“{0} {1}” travels in the next bundle to each member ticked here. A petitioner&apos;s name and contact never do. Unticking stops further copies; a copy already sent stays on that laptop until the round is purged.</source>
        <translation>“{0} {1}”将随下一个数据包发给这里勾选的人员；信访人姓名和联系方式永远不会随之发出。取消勾选后不再发送新副本，已发出的副本留在对方电脑上，直至本轮清理。</translation>
    </message>
    <message>
        <source>Reading who has it now…</source>
        <translation>正在读取已共享的人员…</translation>
    </message>
    <message>
        <source>The roster has no local member to share with.</source>
        <translation>信任名单中没有可共享的本地人员。</translation>
    </message>
</context>
<context>
    <name>SheetEntry</name>
    <message>
        <source>The number written on the paper sheet</source>
        <translation>纸质答卷上所写的编号</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>题目</translation>
    </message>
    <message>
        <source>Options (press the number)</source>
        <translation>选项（按数字键选择）</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Type the answer, then Enter</source>
        <translation>输入答案后按 Enter</translation>
    </message>
    <message>
        <source>Sheet No.</source>
        <translation>答卷编号</translation>
    </message>
    <message>
        <source>Typed answer</source>
        <translation>文字或数字答案</translation>
    </message>
    <message>
        <source>▶ Press Enter to save this sheet</source>
        <translation>▶ 按 Enter 保存本张答卷</translation>
    </message>
    <message>
        <source>  (type the numbers, then Enter)</source>
        <translation>  （输入选项序号后按 Enter）</translation>
    </message>
    <message>
        <source>  (tick several, Enter to go on)</source>
        <translation>  （可选多项，按 Enter 继续）</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>填写数字</translation>
    </message>
    <message>
        <source>a date, e.g. 2026-09-06</source>
        <translation>填写日期，如 2026-09-06</translation>
    </message>
    <message>
        <source>text</source>
        <translation>填写文字</translation>
    </message>
    <message>
        <source>This question is answered with a key: the option&apos;s number (0 or Space leaves it blank). The line is for numbers, dates and text.</source>
        <translation>本题按键作答：按选项编号（0 或空格表示空答）。此输入框用于填写数字、日期和文字。</translation>
    </message>
    <message>
        <source>Sheet {0}: press Enter to save it, Backspace to go back.</source>
        <translation>第 {0} 号答卷：按 Enter 保存，按退格键返回上一题。</translation>
    </message>
    <message>
        <source>Sheet {0}: question {1} of {2}.</source>
        <translation>第 {0} 号答卷：第 {1} 项，共 {2} 项。</translation>
    </message>
    <message>
        <source>There is no option {0} here.</source>
        <translation>本题没有第 {0} 个选项。</translation>
    </message>
    <message>
        <source>“{0}” is not a number.</source>
        <translation>“{0}”不是数字。</translation>
    </message>
    <message>
        <source>Type one option number.</source>
        <translation>请只输入一个选项的序号。</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>The written report (Word or PDF) or the tables (Excel)</source>
        <translation>巡察工作情况统计报告（Word 或 PDF），或统计表（Excel）</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>巡察组</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>By round</source>
        <translation>按轮次</translation>
    </message>
    <message>
        <source>By group</source>
        <translation>按巡察组</translation>
    </message>
    <message>
        <source>By unit</source>
        <translation>按被巡察单位</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>按问题类别</translation>
    </message>
    <message>
        <source>No inspection round yet: the statistics count the problems, leads and rectification of the rounds this vault holds.</source>
        <translation>还没有巡察轮次：统计的是本机保存的各轮次发现的问题、问题线索和整改情况。</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>Fixed at once</source>
        <translation>立行立改</translation>
    </message>
    <message>
        <source>Amount (10k yuan)</source>
        <translation>涉及金额（万元）</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>问题线索（件）</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <source>To discipline (leads/persons)</source>
        <translation>纪委监委（件/人）</translation>
    </message>
    <message>
        <source>To organisation (leads/persons)</source>
        <translation>组织部（件/人）</translation>
    </message>
    <message>
        <source>Other (leads/persons)</source>
        <translation>其他单位（件/人）</translation>
    </message>
    <message>
        <source>Ledger items</source>
        <translation>整改事项</translation>
    </message>
    <message>
        <source>Closed/due</source>
        <translation>已销号/应完成</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>整改完成率</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Recovered (10k yuan)</source>
        <translation>清退追缴（万元）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>问题类别</translation>
    </message>
    <message>
        <source>Choose &apos;All rounds&apos; to count a period or a group.</source>
        <translation>选择“全部轮次”后才能按期间或巡察组统计。</translation>
    </message>
    <message>
        <source>Tick &apos;Period&apos; to count the rounds that began in it.</source>
        <translation>勾选“期间”后，统计在此期间开始的轮次。</translation>
    </message>
    <message>
        <source>Only the office or the leader exports the statistics.</source>
        <translation>只有巡察办或组长可以导出统计。</translation>
    </message>
    <message>
        <source>Nothing counted yet.</source>
        <translation>尚未统计。</translation>
    </message>
    <message>
        <source>All rounds</source>
        <translation>全部轮次</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>全部巡察组</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>Statistics: {0}</source>
        <translation>巡察工作情况统计：{0}</translation>
    </message>
    <message>
        <source>Leads are counted where the leader or the office holds them.</source>
        <translation>问题线索只在组长和巡察办的保险库中统计。</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Export the statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>Word (*.docx);;PDF (*.pdf);;Excel (*.xlsx)</source>
        <translation>Word 文档 (*.docx);;PDF (*.pdf);;Excel 表格 (*.xlsx)</translation>
    </message>
    <message>
        <source>Written to {0} (number {1}).</source>
        <translation>已写入 {0}（编号 {1}）。</translation>
    </message>
    <message>
        <source>Could not export the statistics</source>
        <translation>无法导出统计</translation>
    </message>
    <message>
        <source>Writing the statistics…</source>
        <translation>正在写出统计…</translation>
    </message>
</context>
<context>
    <name>TallyTab</name>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export Word…</source>
        <translation>导出 Word…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>By respondent group:</source>
        <translation>按人员类别交叉统计：</translation>
    </message>
    <message>
        <source>{0}, version {1}: {2} sheets counted</source>
        <translation>{0}（第 {1} 版）：计入统计 {2} 份</translation>
    </message>
    <message>
        <source>{0}. {1} ({2} answered, {3} blank)</source>
        <translation>{0}. {1}（作答 {2} 份，未答 {3} 份）</translation>
    </message>
    <message>
        <source>Mean {0}, lowest {1}, highest {2}</source>
        <translation>平均 {0}，最小 {1}，最大 {2}</translation>
    </message>
    <message>
        <source>{0} written answers (in the exports)</source>
        <translation>共 {0} 条文字意见（见导出文件）</translation>
    </message>
    <message>
        <source>Average score {0:.2f}</source>
        <translation>平均分 {0:.2f}</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>人员类别</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Written: {0} (number {1})</source>
        <translation>已导出：{0}（编号 {1}）</translation>
    </message>
    <message>
        <source>Document written</source>
        <translation>文书已生成</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Writing the tally…</source>
        <translation>正在导出统计结果…</translation>
    </message>
</context>
<context>
    <name>TaxonomyDialog</name>
    <message>
        <source>Issue categories</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Add category</source>
        <translation>添加一级分类</translation>
    </message>
    <message>
        <source>Add sub-category</source>
        <translation>添加二级分类</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Double-click a name to change it. Codes are renumbered on saving; a category still used by a record cannot be removed.</source>
        <translation>双击名称可修改。保存时自动编号；仍有记录使用的分类不能删除。</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>新分类</translation>
    </message>
</context>
<context>
    <name>TickDialog</name>
    <message>
        <source>Mark a step done</source>
        <translation>标记步骤完成</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Done on</source>
        <translation>完成日期</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <source>Add inspected unit</source>
        <translation>添加被巡察单位</translation>
    </message>
    <message>
        <source>e.g. 东坪村党支部</source>
        <translation>例如：东坪村党支部</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Under</source>
        <translation>上级单位</translation>
    </message>
    <message>
        <source>Enter the unit&apos;s name.</source>
        <translation>请填写单位名称。</translation>
    </message>
</context>
<context>
    <name>UnlockWindow</name>
    <message>
        <source>Inspection Field Workbench</source>
        <translation>巡察外业工作台</translation>
    </message>
    <message>
        <source>Offline and encrypted: everything stays on this computer, locked with your password.</source>
        <translation>离线加密：所有材料只保存在本机，由您的密码加密保护。</translation>
    </message>
    <message>
        <source>Vault password</source>
        <translation>保险库密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>New vault…</source>
        <translation>新建保险库…</translation>
    </message>
    <message>
        <source>Restore from backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Vault</source>
        <translation>保险库</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>e.g. 王建国</source>
        <translation>例如：王建国</translation>
    </message>
    <message>
        <source>Create vault</source>
        <translation>创建保险库</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>使用人姓名</translation>
    </message>
    <message>
        <source>Role in the group</source>
        <translation>组内角色</translation>
    </message>
    <message>
        <source>Vault file</source>
        <translation>保险库文件</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The password cannot be recovered. Use at least 10 characters; several unrelated words work well. Keep an encrypted backup.</source>
        <translation>密码丢失后无法找回。请至少使用 10 个字符，几个互不相关的词组合效果较好；请另存一份加密备份。</translation>
    </message>
    <message>
        <source>Enter the vault password.</source>
        <translation>请输入保险库密码。</translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation>正在解锁…</translation>
    </message>
    <message>
        <source>Enter your name.</source>
        <translation>请填写使用人姓名。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>A file already exists there; choose another name.</source>
        <translation>该位置已有文件，请换一个文件名。</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
    <message>
        <source>Restored. Unlock it with the backup&apos;s password.</source>
        <translation>已恢复。请用备份的密码解锁。</translation>
    </message>
    <message>
        <source>The previous vault is kept, still encrypted, at {0}.</source>
        <translation>原保险库以加密形式保留在：{0}</translation>
    </message>
</context>
<context>
    <name>UserGuide</name>
    <message>
        <source>User guide</source>
        <translation>使用说明</translation>
    </message>
</context>
<context>
    <name>WrittenNotice</name>
    <message>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
</context>
</TS>
