<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>评审专家</source>
        <translation>Evaluation expert</translation>
    </message>
    <message>
        <source>采购人/招标人代表</source>
        <translation>Purchaser/tenderer representative</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>身份核验</source>
        <translation>Identity</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>承诺书</source>
        <translation>Letter</translation>
    </message>
    <message>
        <source>回避声明</source>
        <translation>Conflict declaration</translation>
    </message>
    <message>
        <source>已检测到一张人脸，照片可用。</source>
        <translation>One face detected: the photo can be used.</translation>
    </message>
    <message>
        <source>未检测到人脸，请正对摄像头重新拍照。</source>
        <translation>No face detected: face the camera and take the photo again.</translation>
    </message>
    <message>
        <source>检测到{n}张人脸，请确保画面中只有签到专家本人。</source>
        <translation>{n} faces detected: only the expert checking in may be in the picture.</translation>
    </message>
    <message>
        <source>评标室服务器正在启动…</source>
        <translation>The room server is starting…</translation>
    </message>
    <message>
        <source>在专家评审终端输入此码</source>
        <translation>Enter this code on the expert&apos;s workstation</translation>
    </message>
    <message>
        <source>评标室服务器：</source>
        <translation>Room server: </translation>
    </message>
    <message>
        <source>评标室根证书指纹：</source>
        <translation>Room CA fingerprint: </translation>
    </message>
    <message>
        <source>拍照</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <source>核验身份并发放登录码</source>
        <translation>Verify identity and issue login code</translation>
    </message>
    <message>
        <source>签到结束，组建评标委员会</source>
        <translation>Close check-in, form the committee</translation>
    </message>
    <message>
        <source>重新发放登录码</source>
        <translation>Issue the code again</translation>
    </message>
    <message>
        <source>监督人员姓名</source>
        <translation>Supervisor&apos;s name</translation>
    </message>
    <message>
        <source>发放监督终端配对码</source>
        <translation>Issue a supervisor pairing code</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <source>工作站一次性登录码：</source>
        <translation>One-time workstation code:</translation>
    </message>
    <message>
        <source>重新发放登录码（已签到专家的工作站登录丢失时）</source>
        <translation>Issue a login code again (a checked-in expert&apos;s workstation login was lost)</translation>
    </message>
    <message>
        <source>监督人员终端配对（监督人员在本人的监督终端输入此码）</source>
        <translation>Supervisor terminal pairing (the supervisor types this code on their own terminal)</translation>
    </message>
    <message>
        <source>{member} 身份核验通过，请在专家工作站输入登录码。</source>
        <translation>{member}: identity verified; enter the login code on the expert&apos;s workstation.</translation>
    </message>
    <message>
        <source>为以下专家重新发放工作站一次性登录码：</source>
        <translation>A new one-time workstation login code for: </translation>
    </message>
    <message>
        <source>请先核对专家本人身份。此前发放的登录码随即作废；专家用新登录码登录后，原工作站的签名密钥作废（记入账本），已记录的评审内容不受影响。</source>
        <translation>Check the expert&apos;s identity first. The code issued before stops working; once the expert logs in with the new code, the old workstation&apos;s signing key is revoked (recorded in the ledger). What was recorded stays.</translation>
    </message>
    <message>
        <source>重新发放登录码？</source>
        <translation>Issue a new login code?</translation>
    </message>
    <message>
        <source>重新发放</source>
        <translation>Issue again</translation>
    </message>
    <message>
        <source>的新登录码已发放（30 分钟内有效），原登录码已作废；请在专家工作站输入新登录码。</source>
        <translation>&apos;s new login code is issued (valid for 30 minutes) and the old one no longer works: enter it at the expert workstation.</translation>
    </message>
    <message>
        <source>：监督终端配对码已发放，30 分钟内有效（一次性）。</source>
        <translation>: the supervisor terminal&apos;s pairing code is issued, valid for 30 minutes (once).</translation>
    </message>
    <message>
        <source>已完成签到、承诺书和回避声明：</source>
        <translation>Checked in, letter signed and declared: </translation>
    </message>
    <message>
        <source>人。</source>
        <translation> members.</translation>
    </message>
    <message>
        <source>现在结束签到，评标委员会组成检查将不通过：</source>
        <translation>If check-in ends now, the committee fails the composition check:</translation>
    </message>
    <message>
        <source>已回避：</source>
        <translation>Withdrawn: </translation>
    </message>
    <message>
        <source>在补足之前不能开始初步评审。</source>
        <translation>Preliminary review cannot start until the committee is complete.</translation>
    </message>
    <message>
        <source>结束签到后，可在“评标委员会”页从候补专家中补充（R-SUS-2），并在签到台为候补专家办理签到。</source>
        <translation>After check-in ends, fill the seat from the reserves on the “Committee” page (R-SUS-2) and check the reserve in at the desk.</translation>
    </message>
    <message>
        <source>本项目已无候补专家：不能补足时，应停止评标、封存资料并重新组建评标委员会（R-SUS-2）。</source>
        <translation>No reserve expert is left: if the committee cannot be completed, stop the evaluation, seal the materials and form a new committee (R-SUS-2).</translation>
    </message>
    <message>
        <source>结束签到？</source>
        <translation>End check-in?</translation>
    </message>
    <message>
        <source>仍然结束签到</source>
        <translation>End check-in anyway</translation>
    </message>
    <message>
        <source>返回签到</source>
        <translation>Back to check-in</translation>
    </message>
    <message>
        <source>申请回避</source>
        <translation>Withdraws</translation>
    </message>
    <message>
        <source>{yes}（证书 {name}）</source>
        <translation>{yes} (certificate {name})</translation>
    </message>
    <message>
        <source>按现有人数，评标委员会组成检查将不通过：</source>
        <translation>With the members present, the committee fails the composition check: </translation>
    </message>
    <message>
        <source>补充</source>
        <translation>replaces</translation>
    </message>
    <message>
        <source>已核验身份</source>
        <translation>identity checked</translation>
    </message>
    <message>
        <source>签到已结束；请为补充席位的候补专家办理签到：</source>
        <translation>Check-in has ended; check in the reserve who fills the seat: </translation>
    </message>
    <message>
        <source>核验身份并发放登录码后，候补专家须在工作站签署承诺书并作出回避声明。</source>
        <translation>After the identity check and login code, the reserve signs the commitment letter and declares conflicts at the workstation.</translation>
    </message>
    <message>
        <source>签到已结束。</source>
        <translation>Check-in has ended.</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>确定组长</source>
        <translation>Confirm chair</translation>
    </message>
    <message>
        <source>开始初步评审</source>
        <translation>Start preliminary review</translation>
    </message>
    <message>
        <source>从候补专家中补充</source>
        <translation>Seat a reserve</translation>
    </message>
    <message>
        <source>前往签到台办理签到</source>
        <translation>Go to the check-in desk</translation>
    </message>
    <message>
        <source>推选组长：</source>
        <translation>Elect the chair:</translation>
    </message>
    <message>
        <source>回避成员：</source>
        <translation>Withdrawn member:</translation>
    </message>
    <message>
        <source>候补专家：</source>
        <translation>Reserve expert:</translation>
    </message>
    <message>
        <source>已确定 {member} 为评标委员会组长。</source>
        <translation>{member} is the committee&apos;s chair.</translation>
    </message>
    <message>
        <source>已由候补专家 {reserve} 补充 {withdrawn} 的席位，请在签到台为其办理签到。</source>
        <translation>Reserve expert {reserve} takes {withdrawn}&apos;s seat: check the reserve in at the desk.</translation>
    </message>
    <message>
        <source>已回避</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>已签到</source>
        <translation>Checked in ✓</translation>
    </message>
    <message>
        <source>未签到</source>
        <translation>Not checked in</translation>
    </message>
    <message>
        <source>组长</source>
        <translation>Chair</translation>
    </message>
    <message>
        <source>{member}（{role}）</source>
        <translation>{member} ({role})</translation>
    </message>
    <message>
        <source>{rule}：{message}</source>
        <translation>{rule}: {message}</translation>
    </message>
    <message>
        <source>组成检查未通过：</source>
        <translation>Composition check failed:</translation>
    </message>
    <message>
        <source>尚未完成签到、承诺书或回避声明：</source>
        <translation>Not yet checked in, signed or declared:</translation>
    </message>
    <message>
        <source>组成检查通过：{n} 人，其中专家 {experts} 人；组长 {chair}。</source>
        <translation>Make-up check passed: {n} members, {experts} of them experts; chair {chair}.</translation>
    </message>
    <message>
        <source>候补专家待签到：</source>
        <translation>Reserve to check in: </translation>
    </message>
    <message>
        <source>回避成员的席位已无候补专家可补充：不能补足时，应停止评标、封存资料并重新组建评标委员会（R-SUS-2）。</source>
        <translation>No reserve is left for the withdrawn member&apos;s seat: if the committee cannot be completed, stop the evaluation, seal the materials and form a new committee (R-SUS-2).</translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>not connected</translation>
    </message>
    <message>
        <source>待同步 {n}</source>
        <translation>to sync {n}</translation>
    </message>
    <message>
        <source>在线 {time}</source>
        <translation>online {time}</translation>
    </message>
    <message>
        <source>离线 {time}</source>
        <translation>offline {time}</translation>
    </message>
    <message>
        <source>投标报价（元）</source>
        <translation>Bid price (CNY)</translation>
    </message>
    <message>
        <source>递交时间</source>
        <translation>Submitted at</translation>
    </message>
    <message>
        <source>代表确认</source>
        <translation>Confirmed by</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>开标 · 唱标</source>
        <translation>Open and read the bids</translation>
    </message>
    <message>
        <source>开标结束，进入专家签到</source>
        <translation>Close the opening, go to check-in</translation>
    </message>
    <message>
        <source>异议内容</source>
        <translation>Objection text</translation>
    </message>
    <message>
        <source>当场答复</source>
        <translation>Answer given on the spot</translation>
    </message>
    <message>
        <source>记录异议及答复</source>
        <translation>Record objection and answer</translation>
    </message>
    <message>
        <source>投标人代表姓名</source>
        <translation>Representative&apos;s name</translation>
    </message>
    <message>
        <source>代表确认开标记录</source>
        <translation>Representative confirms the record</translation>
    </message>
    <message>
        <source>开标异议（当场提出、当场答复并记录，R-OPEN-6）</source>
        <translation>Objections at the opening (raised, answered and recorded on the spot, R-OPEN-6)</translation>
    </message>
    <message>
        <source>投标人代表确认</source>
        <translation>Bidder representatives&apos; confirmation</translation>
    </message>
    <message>
        <source>代表</source>
        <translation>Representative</translation>
    </message>
    <message>
        <source>（全体/未指明）</source>
        <translation>(all / not named)</translation>
    </message>
    <message>
        <source>开标 · 投标人解密</source>
        <translation>Open: bidders decrypt</translation>
    </message>
    <message>
        <source>唱标（待解密）</source>
        <translation>Read the bids (decryption pending)</translation>
    </message>
    <message>
        <source>以下投标人的代表尚未确认开标记录：</source>
        <translation>These bidders&apos; representatives have not confirmed the opening record: </translation>
    </message>
    <message>
        <source>开标记录的“投标人代表确认”只列出已确认的代表。</source>
        <translation>The opening record&apos;s &quot;Representatives&apos; confirmations&quot; lists only those who confirmed.</translation>
    </message>
    <message>
        <source>全部投标人代表已确认开标记录。</source>
        <translation>Every bidder&apos;s representative has confirmed the opening record.</translation>
    </message>
    <message>
        <source>开标结束后不能再记录开标异议和代表确认，评标室将进入专家签到。</source>
        <translation>After the opening ends, no objection or confirmation can be recorded; the room moves on to the experts&apos; check-in.</translation>
    </message>
    <message>
        <source>结束开标？</source>
        <translation>End the bid opening?</translation>
    </message>
    <message>
        <source>结束开标，进入专家签到</source>
        <translation>End the opening, go to check-in</translation>
    </message>
    <message>
        <source>返回开标</source>
        <translation>Back to the opening</translation>
    </message>
    <message>
        <source>迟交，拒收（R-OPEN-2）</source>
        <translation>Late, refused (R-OPEN-2)</translation>
    </message>
    <message>
        <source>已唱标</source>
        <translation>Read out</translation>
    </message>
    <message>
        <source>待开标</source>
        <translation>Not opened yet</translation>
    </message>
    <message>
        <source>视为撤销（解密失败，R-OPEN-10）</source>
        <translation>Deemed revoked (decryption failed, R-OPEN-10)</translation>
    </message>
    <message>
        <source>视为撤回（解密失败，R-OPEN-10）</source>
        <translation>Deemed withdrawn (decryption failed, R-OPEN-10)</translation>
    </message>
    <message>
        <source>（密封）</source>
        <translation>(sealed)</translation>
    </message>
    <message>
        <source>解密已结束，请唱标（解密失败的投标不唱标、不参加评标）。</source>
        <translation>Decryption is over: read the bids (a bid whose decryption failed is neither read nor evaluated).</translation>
    </message>
    <message>
        <source>开标进行中：投标人正在解密投标文件，解密完成（或时限届满）后唱标。</source>
        <translation>Opening in progress: the bidders are decrypting their bid files; the bids are read once decryption is done (or the time limit has passed).</translation>
    </message>
    <message>
        <source>投标截止时间 {deadline}，截止后开标。</source>
        <translation>Bid deadline {deadline}; the bids are opened after it.</translation>
    </message>
    <message>
        <source>截止时递交投标文件的投标人仅 {n} 家，不足 3 家，不得开标，应依法重新招标（R-OPEN-3）。</source>
        <translation>Only {n} bidders submitted by the deadline, fewer than 3: the bids may not be opened and the tender must be repeated (R-OPEN-3).</translation>
    </message>
    <message>
        <source>；迟交 {n} 家已拒收（R-OPEN-2）</source>
        <translation>; {n} late bids refused (R-OPEN-2)</translation>
    </message>
    <message>
        <source>；解密失败 {n} 家不参加评标（R-OPEN-10）</source>
        <translation>; {n} excluded after a failed decryption (R-OPEN-10)</translation>
    </message>
    <message>
        <source>有效递交 {n} 家，已唱标{refused}。</source>
        <translation>{n} bids submitted on time and read out{refused}.</translation>
    </message>
    <message>
        <source>录像进程</source>
        <translation>Recorder process</translation>
    </message>
    <message>
        <source>已链入会话的片段</source>
        <translation>Segments chained into the session</translation>
    </message>
    <message>
        <source>最后片段结束</source>
        <translation>Last segment ended</translation>
    </message>
    <message>
        <source>录像状态</source>
        <translation>Recording status</translation>
    </message>
    <message>
        <source>告警记录</source>
        <translation>Alarm log</translation>
    </message>
    <message>
        <source>本会话未启用录像</source>
        <translation>This session is not recorded</translation>
    </message>
    <message>
        <source>已重新连接</source>
        <translation>Re-attached</translation>
    </message>
    <message>
        <source>运行中</source>
        <translation>Running</translation>
    </message>
    <message>
        <source>录像进程无响应</source>
        <translation>Recorder not responding</translation>
    </message>
    <message>
        <source>未运行</source>
        <translation>Not running</translation>
    </message>
    <message>
        <source>{time} 告警：{alarm}</source>
        <translation>{time} alarm: {alarm}</translation>
    </message>
    <message>
        <source>{time} 已恢复：{alarm}</source>
        <translation>{time} cleared: {alarm}</translation>
    </message>
    <message>
        <source>远程异地评标</source>
        <translation>Remote evaluation</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 · 演示</source>
        <translation>EvalRoom · demo</translation>
    </message>
    <message>
        <source>上次演示的数据保存在：</source>
        <translation>The last demo&apos;s data is in: </translation>
    </message>
    <message>
        <source>会话</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>最后修改于</source>
        <translation>last written</translation>
    </message>
    <message>
        <source>继续上次演示：打开这份会话，从上次的环节继续。</source>
        <translation>Continue the last demo: open this session where it stopped.</translation>
    </message>
    <message>
        <source>新的演示：清除上次演示的数据（会话、录像、日志），从头开始。</source>
        <translation>New demo: clear the last demo&apos;s data (session, recording, logs) and start from the beginning.</translation>
    </message>
    <message>
        <source>继续上次演示</source>
        <translation>Continue the last demo</translation>
    </message>
    <message>
        <source>新的演示</source>
        <translation>New demo</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>演示数据保存在</source>
        <translation>The demo&apos;s data is in</translation>
    </message>
    <message>
        <source>；下次启动演示时可继续，或选择新的演示。</source>
        <translation>; the next demo can continue it, or start a new one.</translation>
    </message>
    <message>
        <source>无法清除上次演示的数据：{error}</source>
        <translation>Cannot clear the last demo&apos;s data: {error}</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 · 演示 — {folder}</source>
        <translation>EvalRoom · demo — {folder}</translation>
    </message>
    <message>
        <source>设置文件有误，请修改后重新启动。</source>
        <translation>The settings file is not right: correct it and start again.</translation>
    </message>
    <message>
        <source>待签</source>
        <translation>Not yet signed</translation>
    </message>
    <message>
        <source>已签字（同意）</source>
        <translation>Signed (agrees)</translation>
    </message>
    <message>
        <source>已签字，有不同意见</source>
        <translation>Signed with a dissent</translation>
    </message>
    <message>
        <source>拒绝签字，视为同意（R-SIG-3）</source>
        <translation>Refused to sign: counts as agreement (R-SIG-3)</translation>
    </message>
    <message>
        <source>该成员拒绝在评标报告上签字且未说明理由，评标委员会记录在案，视为同意评标结论。</source>
        <translation>This member refused to sign the evaluation report without giving reasons; the committee records it, and the refusal counts as agreement with the conclusion.</translation>
    </message>
    <message>
        <source>签字情况</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>不同意见理由 / 拒签说明</source>
        <translation>Dissent reasons or refusal note</translation>
    </message>
    <message>
        <source>记录拒签</source>
        <translation>Record the refusal</translation>
    </message>
    <message>
        <source>全部成员已签：定稿并加盖电子印章</source>
        <translation>All members have acted: finalize and seal</translation>
    </message>
    <message>
        <source>关闭会话并生成归档包</source>
        <translation>Close the session and build the archive</translation>
    </message>
    <message>
        <source>成员拒绝签字且不说明理由（R-SIG-3，由评标委员会记录说明）</source>
        <translation>A member refuses to sign without reasons (R-SIG-3: the committee records a note)</translation>
    </message>
    <message>
        <source>归档（BagIt 归档包，房间密钥签名，生成后立即校验）</source>
        <translation>Archive (a BagIt bag signed by the room key, verified as soon as it is built)</translation>
    </message>
    <message>
        <source>重新生成报告草稿</source>
        <translation>Draft the report again</translation>
    </message>
    <message>
        <source>生成评标报告草稿</source>
        <translation>Draft the evaluation report</translation>
    </message>
    <message>
        <source>已有成员签署当前草稿。重新生成后，全部成员须重新审阅并签字。是否继续？</source>
        <translation>Members have signed the current draft. A new draft must be reviewed and signed by everyone again. Go on?</translation>
    </message>
    <message>
        <source>正在由账本生成评标报告草稿……</source>
        <translation>Drafting the report from the ledger…</translation>
    </message>
    <message>
        <source>正在生成定稿（含签字页）……</source>
        <translation>Rendering the final report with the signature page…</translation>
    </message>
    <message>
        <source>正在生成归档包……</source>
        <translation>Building the archive…</translation>
    </message>
    <message>
        <source>归档包已生成：{bag}</source>
        <translation>Archive built: {bag}</translation>
    </message>
    <message>
        <source>校验未通过：</source>
        <translation>Verification failed:</translation>
    </message>
    <message>
        <source>注意：{warning}</source>
        <translation>Note: {warning}</translation>
    </message>
    <message>
        <source>已加盖可信时间戳（RFC 3161）：报告电子印章为 PAdES B-T。</source>
        <translation>Trusted timestamp (RFC 3161) applied: the report&apos;s electronic seal is PAdES B-T.</translation>
    </message>
    <message>
        <source>未取得可信时间戳（{reason}），已记入归档包；交易中心接收时加盖。</source>
        <translation>No trusted timestamp was obtained ({reason}); this is recorded in the archive, and the trading center stamps it on receipt.</translation>
    </message>
    <message>
        <source>共 {n} 个文件，保存至 {until}。</source>
        <translation>{n} files, kept until {until}.</translation>
    </message>
    <message>
        <source>校验通过（固定性、签名、账本、检查点、电子印章、报告数字）。</source>
        <translation>Verified (fixity, signatures, ledger, checkpoints, electronic seal, report figures).</translation>
    </message>
    <message>
        <source>当前环节：{stage}。汇总完成后在此生成评标报告。</source>
        <translation>Current stage: {stage}. The evaluation report is drafted here once the summary is done.</translation>
    </message>
    <message>
        <source>汇总结果未形成排序，不能生成评标报告。</source>
        <translation>The summary has no ranking: no report can be drafted.</translation>
    </message>
    <message>
        <source>汇总已完成：生成评标报告草稿，各成员在工作站审阅并签字。</source>
        <translation>The summary is done: draft the report; each member reviews and signs it at the workstation.</translation>
    </message>
    <message>
        <source>会话已关闭并归档。</source>
        <translation>The session is closed and archived.</translation>
    </message>
    <message>
        <source>评标报告已定稿并加盖评标室电子印章（SHA-256 {sha}…）。可生成归档包。</source>
        <translation>The evaluation report is final and carries the room&apos;s electronic seal (SHA-256 {sha}…). The archive can be built.</translation>
    </message>
    <message>
        <source>报告草稿 {sha}…：{acted}/{members} 名成员已签字或记录，待签：{waiting}。</source>
        <translation>Report draft {sha}…: {acted}/{members} members signed or recorded; not yet signed: {waiting}.</translation>
    </message>
    <message>
        <source>全部成员已签字或记录，可以定稿。</source>
        <translation>Every member has acted: the report can be finalized.</translation>
    </message>
    <message>
        <source>正在生成预览……</source>
        <translation>Rendering the preview…</translation>
    </message>
    <message>
        <source>预览失败：{error}</source>
        <translation>Preview failed: {error}</translation>
    </message>
    <message>
        <source>尚无报告草稿</source>
        <translation>No report draft yet</translation>
    </message>
    <message>
        <source>（摄像头画面）</source>
        <translation>(camera picture)</translation>
    </message>
    <message>
        <source>身份证</source>
        <translation>Identity card</translation>
    </message>
    <message>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>其他有效证件</source>
        <translation>Other valid document</translation>
    </message>
    <message>
        <source>本副场</source>
        <translation>This venue</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>标段（包）</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>当前环节</source>
        <translation>Current stage</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 · 副场主控台</source>
        <extracomment>called with the language code after the menu switch (the launcher keeps it in the settings)</extracomment>
        <translation>EvalRoom · Remote venue console</translation>
    </message>
    <message>
        <source>加入所选会话</source>
        <translation>Join the chosen session</translation>
    </message>
    <message>
        <source>从文件选择照片</source>
        <translation>Photo from a file</translation>
    </message>
    <message>
        <source>证件</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>本副场专家签到</source>
        <translation>Check-in of the experts at this venue</translation>
    </message>
    <message>
        <source>发往主场的文字消息</source>
        <translation>Text message to the main venue</translation>
    </message>
    <message>
        <source>与交易中心的链路</source>
        <translation>Link to the center</translation>
    </message>
    <message>
        <source>副场主控台 · 远程异地评标</source>
        <translation>Remote venue console · Remote evaluation</translation>
    </message>
    <message>
        <source>选择签到照片</source>
        <translation>Choose the check-in photo</translation>
    </message>
    <message>
        <source>照片 (*.jpg *.jpeg *.png)</source>
        <translation>Photos (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>{member} 身份核验通过，请在专家本人的评审终端输入登录码完成签到（30 分钟内有效）。</source>
        <translation>{member}&apos;s identity is verified: enter the login code on the expert&apos;s own PC to check in (valid for 30 minutes).</translation>
    </message>
    <message>
        <source>{member} 的新登录码已发放（30 分钟内有效），原登录码已作废；专家在本人评审终端用新登录码配对后，原终端的密钥即被替换。</source>
        <translation>A new login code for {member} is issued (valid for 30 minutes) and the earlier one no longer works; once the expert pairs his own PC with it, the earlier PC&apos;s key is replaced.</translation>
    </message>
    <message>
        <source>消息已记入账本，经交易中心发往主场。</source>
        <translation>The message is in the ledger, on its way to the main venue through the center.</translation>
    </message>
    <message>
        <source>上次同步 {time} UTC</source>
        <translation>last sync {time} UTC</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>never synced</translation>
    </message>
    <message>
        <source>{last}，待发送 {n}</source>
        <translation>{last}, pending {n}</translation>
    </message>
    <message>
        <source>本副场评标室服务器：{error}</source>
        <translation>This venue&apos;s room hub: {error}</translation>
    </message>
    <message>
        <source>中断期间的签到和消息保存在本机，链路恢复后自动发送；主场按 R-SUS-6/R-SUS-7 计时。</source>
        <translation>Check-ins and messages are kept on this PC while the link is down and sent once it is back; the main venue times the outage by R-SUS-6/R-SUS-7.</translation>
    </message>
    <message>
        <source>链路中断：{error}</source>
        <translation>Link down: {error}</translation>
    </message>
    <message>
        <source>链路正常（{center}）</source>
        <translation>Link up ({center})</translation>
    </message>
    <message>
        <source>主场记录的本副场链路无中断。</source>
        <translation>The main venue has recorded no outage of this venue&apos;s link.</translation>
    </message>
    <message>
        <source>主场记录本副场链路中断（{rule}，自 {start} UTC）：剩余 {left}</source>
        <translation>The main venue recorded this venue&apos;s link as down ({rule}, since {start} UTC): {left} left</translation>
    </message>
    <message>
        <source>计时中</source>
        <translation>Counting down</translation>
    </message>
    <message>
        <source>已在时限内恢复</source>
        <translation>Restored within the limit</translation>
    </message>
    <message>
        <source>超时：由招标人决定</source>
        <translation>Over the limit: the tenderer decides</translation>
    </message>
    <message>
        <source>超时：停止评标，重新组建评标委员会</source>
        <translation>Over the limit: evaluation stopped, a new committee is formed</translation>
    </message>
    <message>
        <source>未知（副场未上报）</source>
        <extracomment>what the ledger says of a venue&apos;s recording (app.services.venues.VenueRow.camera)</extracomment>
        <translation>Unknown (not reported)</translation>
    </message>
    <message>
        <source>未知（未接入录像机）</source>
        <translation>Unknown (no recorder)</translation>
    </message>
    <message>
        <source>录像故障</source>
        <translation>Recording fault</translation>
    </message>
    <message>
        <source>录像正常</source>
        <translation>Recording normally</translation>
    </message>
    <message>
        <source>场地</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Venue kind</translation>
    </message>
    <message>
        <source>就座专家</source>
        <translation>Experts seated</translation>
    </message>
    <message>
        <source>签到进度</source>
        <translation>Check-in progress</translation>
    </message>
    <message>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>链路</source>
        <translation>Link</translation>
    </message>
    <message>
        <source>中断计时</source>
        <translation>Outage timer</translation>
    </message>
    <message>
        <source>时间（UTC）</source>
        <translation>Time (UTC)</translation>
    </message>
    <message>
        <source>发自</source>
        <translation>From</translation>
    </message>
    <message>
        <source>发往</source>
        <translation>To</translation>
    </message>
    <message>
        <source>作出决定的招标人（采购人）代表</source>
        <translation>The tenderer&apos;s (purchaser&apos;s) representative who decides</translation>
    </message>
    <message>
        <source>决定理由</source>
        <translation>Reasons for the decision</translation>
    </message>
    <message>
        <source>继续组织评标</source>
        <translation>Go on with the evaluation</translation>
    </message>
    <message>
        <source>推迟评标：封存资料，重新组建评标委员会</source>
        <translation>Postpone: seal the materials, form a new committee</translation>
    </message>
    <message>
        <source>招标人决定（R-SUS-6：计划开始后超过时限仍未排除故障）</source>
        <translation>The tenderer decides (R-SUS-6: not fixed in time after the scheduled start)</translation>
    </message>
    <message>
        <source>副场编号，如 county-1</source>
        <translation>Remote venue id, e.g. county-1</translation>
    </message>
    <message>
        <source>如 县公共资源交易中心副场</source>
        <translation>e.g. County trading centre remote venue</translation>
    </message>
    <message>
        <source>副场公钥 room.pub.pem</source>
        <translation>The remote console&apos;s room.pub.pem</translation>
    </message>
    <message>
        <source>投标文件</source>
        <translation>Bid file</translation>
    </message>
    <message>
        <source>加密方式</source>
        <translation>Encryption</translation>
    </message>
    <message>
        <source>解密状态</source>
        <translation>Decryption</translation>
    </message>
    <message>
        <source>原因 / 明文 SHA-256</source>
        <translation>Cause / plaintext SHA-256</translation>
    </message>
    <message>
        <source>数字证书（CMS）</source>
        <translation>Certificate (CMS)</translation>
    </message>
    <message>
        <source>口令错误</source>
        <translation>wrong passphrase</translation>
    </message>
    <message>
        <source>密钥（证书）不符</source>
        <translation>key (certificate) does not match</translation>
    </message>
    <message>
        <source>密钥文件无法读取</source>
        <translation>unreadable key file</translation>
    </message>
    <message>
        <source>解密时限内未出示密钥</source>
        <translation>no key presented within the time limit</translation>
    </message>
    <message>
        <source>解密所得文件与申报的哈希不符</source>
        <translation>decrypted file differs from the declared hash</translation>
    </message>
    <message>
        <source>解密所得文件不是 PDF</source>
        <translation>decrypted file is not a PDF</translation>
    </message>
    <message>
        <source>平台保管的密文与登记的哈希不符</source>
        <translation>ciphertext kept by the platform differs from its registered hash</translation>
    </message>
    <message>
        <source>密文结构损坏</source>
        <translation>ciphertext structure damaged</translation>
    </message>
    <message>
        <source>平台保管的密文缺失</source>
        <translation>ciphertext kept by the platform is missing</translation>
    </message>
    <message>
        <source>视为撤销投标（投标人原因）</source>
        <translation>bid deemed revoked (the bidder&apos;s cause)</translation>
    </message>
    <message>
        <source>视为撤回投标（非投标人原因）</source>
        <translation>bid deemed withdrawn (not the bidder&apos;s cause)</translation>
    </message>
    <message>
        <source>证书文件（PKCS#12）+ 口令</source>
        <translation>Certificate file (PKCS#12) + passphrase</translation>
    </message>
    <message>
        <source>USB 密钥（证书在 U 盾/USB Key 中）</source>
        <translation>USB key (the certificate on the bidder&apos;s USB token)</translation>
    </message>
    <message>
        <source>失败：视为撤销</source>
        <translation>Failed: deemed revoked</translation>
    </message>
    <message>
        <source>失败：视为撤回</source>
        <translation>Failed: deemed withdrawn</translation>
    </message>
    <message>
        <source>已解密</source>
        <translation>Decrypted</translation>
    </message>
    <message>
        <source>未解密（已排除）</source>
        <translation>Not decrypted (bid excluded)</translation>
    </message>
    <message>
        <source>迟交，不解密</source>
        <translation>Late, not decrypted</translation>
    </message>
    <message>
        <source>待解密</source>
        <translation>Waiting for the key</translation>
    </message>
    <message>
        <source>投标文件解密（投标人在解密时限内各自解密，R-OPEN-10）</source>
        <translation>Decryption of the bid files (each bidder within the time limit, R-OPEN-10)</translation>
    </message>
    <message>
        <source>密钥</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>PIN 码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>U 盾的 PIN 码，在本机输入，不会保存</source>
        <translation>The USB key&apos;s PIN, typed here, never stored</translation>
    </message>
    <message>
        <source>证书文件（PKCS#12）</source>
        <translation>Certificate file (PKCS#12)</translation>
    </message>
    <message>
        <source>数字证书加密的投标文件：选择投标人的 .p12 / .pfx 文件</source>
        <translation>For a certificate-encrypted file: choose the bidder&apos;s .p12 / .pfx file</translation>
    </message>
    <message>
        <source>证书文件的口令，或口令加密文件的口令</source>
        <translation>The certificate file&apos;s passphrase, or the bid file&apos;s passphrase</translation>
    </message>
    <message>
        <source>数字证书（可选）</source>
        <translation>Digital certificate (optional)</translation>
    </message>
    <message>
        <source>不使用数字证书（仅本机签名密钥）</source>
        <translation>No certificate (this PC&apos;s signing key only)</translation>
    </message>
    <message>
        <source>证书文件（PKCS#12：.p12 / .pfx）</source>
        <translation>Certificate file (PKCS#12: .p12 / .pfx)</translation>
    </message>
    <message>
        <source>USB Key（PKCS#11）</source>
        <translation>USB key (PKCS#11)</translation>
    </message>
    <message>
        <source>证书来源</source>
        <translation>Certificate from</translation>
    </message>
    <message>
        <source>证书文件</source>
        <translation>Certificate file</translation>
    </message>
    <message>
        <source>证书口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>USB Key</source>
        <translation>USB key</translation>
    </message>
    <message>
        <source>USB Key 的 PIN</source>
        <translation>USB key PIN</translation>
    </message>
    <message>
        <source>证书主题</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>颁发者</source>
        <translation>Issuer</translation>
    </message>
    <message>
        <source>有效期</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>证书文件的路径</source>
        <translation>Path of the certificate file</translation>
    </message>
    <message>
        <source>证书文件的口令</source>
        <translation>The certificate file&apos;s passphrase</translation>
    </message>
    <message>
        <source>在本机输入，不会保存</source>
        <translation>Typed here, never stored</translation>
    </message>
    <message>
        <source>读取证书</source>
        <translation>Read the certificate</translation>
    </message>
    <message>
        <source>本机未设置 USB Key 模块（设置文件的 pkcs11_module）</source>
        <translation>No USB key module is set on this PC (pkcs11_module in the settings)</translation>
    </message>
    <message>
        <source>第一个插入的 USB Key</source>
        <translation>the first USB key inserted</translation>
    </message>
    <message>
        <source>槽位 {slot}</source>
        <translation>slot {slot}</translation>
    </message>
    <message>
        <source>选择证书文件</source>
        <translation>Choose the certificate file</translation>
    </message>
    <message>
        <source>请选择证书文件。</source>
        <translation>Choose the certificate file.</translation>
    </message>
    <message>
        <source>正在读取证书…</source>
        <translation>Reading the certificate…</translation>
    </message>
    <message>
        <source>{issuer}（序列号 {serial}，{key} 密钥）</source>
        <translation>{issuer} (serial {serial}, {key} key)</translation>
    </message>
    <message>
        <source>{start} 至 {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <source>此证书不在有效期内，签到时将被拒绝。</source>
        <translation>This certificate is not within its validity period: check-in will refuse it.</translation>
    </message>
    <message>
        <source>证书已读取：签到时由主控台核验，并用于签署承诺书、提交评分和签署评标报告。</source>
        <translation>Certificate read: the console checks it at check-in; it signs the commitment letter, the scores&apos; submission and the report.</translation>
    </message>
    <message>
        <source>已选择数字证书：请先“读取证书”，或选择“不使用数字证书”。</source>
        <translation>A certificate is chosen: read it first (“Read the certificate”), or choose “No certificate”.</translation>
    </message>
    <message>
        <source>解密</source>
        <translation>Decrypt</translation>
    </message>
    <message>
        <source>未出示密钥</source>
        <translation>No key presented</translation>
    </message>
    <message>
        <source>选择投标人的证书文件</source>
        <translation>Choose the bidder&apos;s certificate file</translation>
    </message>
    <message>
        <source>PKCS#12 证书 (*.p12 *.pfx);;所有文件 (*)</source>
        <translation>PKCS#12 certificates (*.p12 *.pfx);;All files (*)</translation>
    </message>
    <message>
        <source>正在解密 {bidder} 的投标文件…</source>
        <translation>Decrypting {bidder}&apos;s bid files…</translation>
    </message>
    <message>
        <source>{bidder} 解密失败：{cause}；{outcome}。</source>
        <translation>{bidder}: decryption failed: {cause}; {outcome}.</translation>
    </message>
    <message>
        <source>{bidder} 的 {n} 份投标文件已解密，哈希已记入账本。</source>
        <translation>{bidder}: {n} bid file(s) decrypted, their hashes recorded in the ledger.</translation>
    </message>
    <message>
        <source>未记录 {bidder} 的解密结果，可再次出示密钥。</source>
        <translation>Nothing recorded for {bidder}: its key may be presented again.</translation>
    </message>
    <message>
        <source>投标人 {bidder} 的代表未在解密时限内出示密钥（或表示无法出示）。</source>
        <translation>Bidder {bidder}&apos;s representative presented no key within the time limit (or says it cannot).</translation>
    </message>
    <message>
        <source>记录后该投标视为撤销（投标人原因，R-OPEN-10），不再解密、不参加评标；开标继续。</source>
        <translation>Once recorded, the bid is deemed revoked (the bidder&apos;s cause, R-OPEN-10): it is not decrypted or evaluated; the opening continues.</translation>
    </message>
    <message>
        <source>记录未出示密钥？</source>
        <translation>Record that no key was presented?</translation>
    </message>
    <message>
        <source>记录，视为撤销</source>
        <translation>Record: deemed revoked</translation>
    </message>
    <message>
        <source>已记录：{bidder} 未出示密钥，视为撤销投标。</source>
        <translation>Recorded: {bidder} presented no key; its bid is deemed revoked.</translation>
    </message>
    <message>
        <source>开标开始后，投标人须在 {m} 分钟内各自解密投标文件。</source>
        <translation>Once the opening starts, each bidder has {m} minutes to decrypt its bid files.</translation>
    </message>
    <message>
        <source>解密时限（{time}）已过：唱标时尚未解密的投标视为撤销（未出示密钥）。</source>
        <translation>The decryption time limit ({time}) has passed: a bid not decrypted when the bids are read is deemed revoked (no key presented).</translation>
    </message>
    <message>
        <source>解密时限至 {time}；待解密：{bidders}。全部解密或记录失败后唱标。</source>
        <translation>Decryption time limit {time}; waiting: {bidders}. The bids are read once every one is decrypted or its failure recorded.</translation>
    </message>
    <message>
        <source>解密完成：已解密 {ok} 份，失败 {bad} 份（失败的投标不参加评标）。</source>
        <translation>Decryption done: {ok} decrypted, {bad} failed (a failed bid is not evaluated).</translation>
    </message>
    <message>
        <source>就座专家编号，逗号分隔（可不填）</source>
        <translation>Ids of the experts seated there, comma-separated (optional)</translation>
    </message>
    <message>
        <source>添加副场</source>
        <translation>Add remote venue</translation>
    </message>
    <message>
        <source>添加副场（评标开始前）</source>
        <translation>Add a remote venue (before the evaluation starts)</translation>
    </message>
    <message>
        <source>场地名称</source>
        <translation>Venue name</translation>
    </message>
    <message>
        <source>公钥</source>
        <translation>Public key</translation>
    </message>
    <message>
        <source>发往该场地的文字消息</source>
        <translation>Text message to that venue</translation>
    </message>
    <message>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>场地间消息（记入账本）</source>
        <translation>Messages between venues (kept in the ledger)</translation>
    </message>
    <message>
        <source>请选择副场主控台公钥文件。</source>
        <translation>Choose the remote venue console&apos;s public key file.</translation>
    </message>
    <message>
        <source>已添加副场 {venue}。</source>
        <translation>Remote venue {venue} added.</translation>
    </message>
    <message>
        <source>尚无副场，无法发送消息。</source>
        <translation>No remote venue to write to.</translation>
    </message>
    <message>
        <source>消息已发往 {venue}。</source>
        <translation>Message sent to {venue}.</translation>
    </message>
    <message>
        <source>已记录招标人的决定（R-SUS-6）。</source>
        <translation>The tenderer&apos;s decision is recorded (R-SUS-6).</translation>
    </message>
    <message>
        <source>选择副场主控台公钥</source>
        <translation>Choose the remote venue console&apos;s public key</translation>
    </message>
    <message>
        <source>{rule} 剩余 {left}</source>
        <translation>{rule} {left} left</translation>
    </message>
    <message>
        <source>已恢复</source>
        <translation>Cleared</translation>
    </message>
    <message>
        <source>未恢复</source>
        <translation>not restored</translation>
    </message>
    <message>
        <source>{rule} {outcome}（{state}）</source>
        <translation>{rule} {outcome} ({state})</translation>
    </message>
    <message>
        <source>未知（未配置交易中心）</source>
        <translation>Unknown (no center configured)</translation>
    </message>
    <message>
        <source>未知（交易中心无应答）</source>
        <translation>Unknown (the center does not answer)</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Up</translation>
    </message>
    <message>
        <source>中断</source>
        <translation>Down</translation>
    </message>
    <message>
        <source>{venue}（{room}）</source>
        <translation>{venue} ({room})</translation>
    </message>
    <message>
        <source>主场</source>
        <translation>Main venue</translation>
    </message>
    <message>
        <source>副场</source>
        <translation>Remote venue</translation>
    </message>
    <message>
        <source>签到 {checked}/{n}</source>
        <translation>Checked in {checked}/{n}</translation>
    </message>
    <message>
        <source>承诺书与回避 {done}/{n}</source>
        <translation>Letter and declaration {done}/{n}</translation>
    </message>
    <message>
        <source>剩余 {left}</source>
        <translation>{left} left</translation>
    </message>
    <message>
        <source>已超过时限</source>
        <translation>past the time limit</translation>
    </message>
    <message>
        <source>{venue}（{room}）链路中断，自 {start} UTC 起计时，时限 {deadline} UTC，{status}。</source>
        <translation>{venue} ({room}) link down: timed from {start} UTC, limit {deadline} UTC, {status}.</translation>
    </message>
    <message>
        <source>本会话尚未添加副场。添加副场后，各场专家、签到、摄像头和链路状态在此显示。</source>
        <translation>No remote venue has been added. Once one is, each venue&apos;s experts, check-in, camera and link are shown here.</translation>
    </message>
    <message>
        <source>各场链路正常。副场中断时按 R-SUS-6（评标开始前，计划开始后 {before} 小时）或 R-SUS-7（评标中，{during} 小时）计时。</source>
        <translation>Every venue&apos;s link is up. An outage at a remote venue is timed under R-SUS-6 (before evaluation, {before} h after the scheduled start) or R-SUS-7 (during evaluation, {during} h).</translation>
    </message>
    <message>
        <source>评标已停止（{rule}，{at} UTC）：各场封存资料，须重新组建评标委员会。</source>
        <translation>Evaluation stopped ({rule}, {at} UTC): every venue seals its materials; a new committee must be formed.</translation>
    </message>
    <message>
        <source>未配置交易中心地址：链路状态未知，中断须人工记录。</source>
        <translation>No center address configured: the link status is unknown; record outages by hand.</translation>
    </message>
    <message>
        <source>交易中心 {center} 无应答：{error}</source>
        <translation>The center {center} does not answer: {error}</translation>
    </message>
    <message>
        <source>链路状态来自交易中心 {center}。</source>
        <translation>Link status from the center {center}.</translation>
    </message>
    <message>
        <source>本副场未启动评标室服务器（设置 hub_listen），专家评审终端无法配对</source>
        <translation>This venue runs no room hub (settings: hub_listen): the experts&apos; own PCs cannot pair</translation>
    </message>
    <message>
        <source>录像启动中</source>
        <translation>Recorder starting</translation>
    </message>
    <message>
        <source>录像中</source>
        <translation>Recording</translation>
    </message>
    <message>
        <source>摄像头故障</source>
        <translation>Camera fault</translation>
    </message>
    <message>
        <source>磁盘空间不足</source>
        <translation>Low disk space</translation>
    </message>
    <message>
        <source>视频源结束</source>
        <translation>Source ended</translation>
    </message>
    <message>
        <source>录像已停止</source>
        <translation>Recording stopped</translation>
    </message>
    <message>
        <source>声音启动中</source>
        <extracomment>the microphone&apos;s health, shown beside the picture&apos;s for the camera whose segments carry the sound</extracomment>
        <translation>sound starting</translation>
    </message>
    <message>
        <source>有声音</source>
        <translation>sound OK</translation>
    </message>
    <message>
        <source>无声音（麦克风故障）</source>
        <translation>no sound (microphone fault)</translation>
    </message>
    <message>
        <source>录音已停止</source>
        <translation>sound stopped</translation>
    </message>
    <message>
        <source>录像由主控台进行；本机不显示监控画面</source>
        <translation>The console records the room; this PC shows no video</translation>
    </message>
    <message>
        <source>（监控画面）</source>
        <translation>(monitoring picture)</translation>
    </message>
    <message>
        <source>评标室服务器：正在启动…</source>
        <translation>Room server: starting…</translation>
    </message>
    <message>
        <source>评标室服务器已停止，正在重启</source>
        <translation>The room server stopped; restarting</translation>
    </message>
    <message>
        <source>评标室服务器</source>
        <translation>Room server</translation>
    </message>
    <message>
        <source>根证书指纹</source>
        <translation>CA fingerprint</translation>
    </message>
    <message>
        <source>评标室服务器未能启动</source>
        <translation>The room server did not start</translation>
    </message>
    <message>
        <source>正在连接评标室服务器…</source>
        <translation>Connecting to the room server…</translation>
    </message>
    <message>
        <source>同步发现异常（已记录为事件）：</source>
        <translation>Sync found a problem (recorded as an event): </translation>
    </message>
    <message>
        <source>已连接评标室服务器</source>
        <translation>Connected to the room server</translation>
    </message>
    <message>
        <source>最后同步 {time}</source>
        <translation>last synced {time}</translation>
    </message>
    <message>
        <source>待同步 {n} 条</source>
        <translation>{n} entries to sync</translation>
    </message>
    <message>
        <source>评分和签名先保存在本机，再同步到评标室服务器。</source>
        <translation>Scores and signatures are saved on this PC first, then synced to the room server.</translation>
    </message>
    <message>
        <source>离线：评分保存在本机，恢复连接后自动同步（待同步 {n} 条）</source>
        <translation>Offline: scores are saved on this PC and sync by themselves when the link is back ({n} entries to sync)</translation>
    </message>
    <message>
        <source>本机与评标室服务器的连接中断。可以继续评审：每一步都已签名保存在本机，恢复连接后自动同步。</source>
        <translation>The link with the room server is down. Go on evaluating: every step is signed and saved on this PC and syncs when the link is back.</translation>
    </message>
    <message>
        <source>交易中心拒绝 {code}</source>
        <translation>center refused {code}</translation>
    </message>
    <message>
        <source>证书错误</source>
        <translation>certificate error</translation>
    </message>
    <message>
        <source>无法连接交易中心</source>
        <translation>center unreachable</translation>
    </message>
    <message>
        <source>同步失败</source>
        <translation>sync failed</translation>
    </message>
    <message>
        <source>同步：{state}</source>
        <translation>Sync: {state}</translation>
    </message>
    <message>
        <source>未配置交易中心</source>
        <translation>no center configured</translation>
    </message>
    <message>
        <source>未配置交易中心：会话只保存在本机，之后手动同步。</source>
        <translation>No center configured: the session is kept on this computer only; sync it by hand later.</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>last sync {time}</translation>
    </message>
    <message>
        <source>待发送 {n}</source>
        <translation>pending {n}</translation>
    </message>
    <message>
        <source>待发送：{events} 条事件，{archives} 个归档</source>
        <translation>pending: {events} events, {archives} archives</translation>
    </message>
    <message>
        <source>错误：{error}</source>
        <translation>error: {error}</translation>
    </message>
    <message>
        <source>状态读取失败</source>
        <translation>status unavailable</translation>
    </message>
    <message>
        <source>与投标人或其主要负责人为近亲属</source>
        <translation>Close relative of a bidder or its principal</translation>
    </message>
    <message>
        <source>近三年内与投标人存在劳动关系</source>
        <translation>Employed by a bidder within the last 3 years</translation>
    </message>
    <message>
        <source>近三年内担任投标人的董事、监事</source>
        <translation>Director or supervisor of a bidder within the last 3 years</translation>
    </message>
    <message>
        <source>近三年内是投标人的控股股东或实际控制人</source>
        <translation>Controlling shareholder or actual controller of a bidder within 3 years</translation>
    </message>
    <message>
        <source>项目主管部门或行政监督部门人员</source>
        <translation>Staff of the competent or supervising department</translation>
    </message>
    <message>
        <source>与投标人有其他经济利益关系</source>
        <translation>Other economic interest in a bidder</translation>
    </message>
    <message>
        <source>曾因违法行为受过行政处罚或刑事处罚</source>
        <translation>Previously punished for illegal acts in tendering</translation>
    </message>
    <message>
        <source>其他可能影响公正评审的情形</source>
        <translation>Other circumstances that may affect fairness</translation>
    </message>
    <message>
        <source>存在利害关系</source>
        <translation>Conflict with</translation>
    </message>
    <message>
        <source>本人与上述投标人均无利害关系，不需回避</source>
        <translation>I have no interest relation with these bidders; no withdrawal needed</translation>
    </message>
    <message>
        <source>本人存在以下情形，申请回避</source>
        <translation>The following applies to me; I withdraw</translation>
    </message>
    <message>
        <source>说明（申请回避时必填，例如“两年前曾任投标人B2董事”）</source>
        <translation>Statement (required when withdrawing, e.g. “director of bidder B2 two years ago”)</translation>
    </message>
    <message>
        <source>提交回避声明</source>
        <translation>Submit declaration</translation>
    </message>
    <message>
        <source>回避情形</source>
        <translation>Grounds for withdrawal</translation>
    </message>
    <message>
        <source>请逐家核对投标人名单，选择是否存在利害关系；申请回避时，在“存在利害关系”一列勾选相关投标人。</source>
        <translation>Check the bidders one by one and choose whether a conflict of interest exists; when withdrawing, tick the bidders concerned in the “Conflict with” column.</translation>
    </message>
    <message>
        <source>申请回避时，请勾选回避情形和相关投标人，并填写说明。</source>
        <translation>To withdraw, tick the grounds and the bidders concerned, and write a statement.</translation>
    </message>
    <message>
        <source>申请回避时，请勾选回避情形。</source>
        <translation>To withdraw, tick at least one ground.</translation>
    </message>
    <message>
        <source>申请回避时，请在投标人名单中勾选与您存在利害关系的投标人。</source>
        <translation>To withdraw, tick in the bidder list the bidder(s) the conflict is with.</translation>
    </message>
    <message>
        <source>申请回避时，请填写说明。</source>
        <translation>To withdraw, write a statement.</translation>
    </message>
    <message>
        <source>请先选择：不需回避，或申请回避。</source>
        <translation>Choose first: no conflict, or withdraw.</translation>
    </message>
    <message>
        <source>您申请回避。</source>
        <translation>You are withdrawing.</translation>
    </message>
    <message>
        <source>存在利害关系的投标人：</source>
        <translation>Conflict with: </translation>
    </message>
    <message>
        <source>回避情形：</source>
        <translation>Grounds: </translation>
    </message>
    <message>
        <source>说明：</source>
        <translation>Statement: </translation>
    </message>
    <message>
        <source>提交后您将退出本项目的评审，此操作不能撤销；您的席位由候补专家补充。</source>
        <translation>Once submitted you leave the evaluation of this project. This cannot be undone; a reserve expert takes your seat.</translation>
    </message>
    <message>
        <source>确认回避（不可撤销）</source>
        <translation>Withdraw (cannot be undone)</translation>
    </message>
    <message>
        <source>确认申请回避</source>
        <translation>Confirm withdrawal</translation>
    </message>
    <message>
        <source>您声明：本人与上述投标人均无利害关系，不需回避。</source>
        <translation>You declare: I have no conflict of interest with any of these bidders and need not withdraw.</translation>
    </message>
    <message>
        <source>投标人名单：</source>
        <translation>Bidders: </translation>
    </message>
    <message>
        <source>声明提交后记入账本，不能修改；评审中如发现利害关系，应立即告知现场工作人员。</source>
        <translation>The declaration goes into the ledger and cannot be changed; if a conflict appears during the evaluation, tell the staff at once.</translation>
    </message>
    <message>
        <source>确认提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>确认回避声明</source>
        <translation>Confirm the declaration</translation>
    </message>
    <message>
        <source>您已申请回避，不再参加本项目评审。请告知现场工作人员。</source>
        <translation>You have withdrawn and take no further part in this evaluation. Please tell the staff.</translation>
    </message>
    <message>
        <source>回避声明已提交：不需回避。</source>
        <translation>Declaration submitted: no conflict.</translation>
    </message>
    <message>
        <source>请先签署承诺书。</source>
        <translation>Sign the commitment letter first.</translation>
    </message>
    <message>
        <source>请选择：本人与上述投标人均无利害关系，或申请回避。</source>
        <translation>Choose: no conflict of interest with these bidders, or withdraw.</translation>
    </message>
    <message>
        <source>专家评审终端 · 与评标室配对</source>
        <translation>Expert workstation · pair with the room</translation>
    </message>
    <message>
        <source>监督终端 · 与评标室配对</source>
        <translation>Supervisor&apos;s PC · pair with the room</translation>
    </message>
    <message>
        <source>已发出配对请求，等待主控台确认…</source>
        <translation>Pairing request sent, waiting for the console…</translation>
    </message>
    <message>
        <source>主控台已确认，本机正在签署身份绑定…</source>
        <translation>The console answered; this PC is signing the binding…</translation>
    </message>
    <message>
        <source>身份绑定已签署，等待主控台记录签到…</source>
        <translation>Binding signed; waiting for the console to record the check-in…</translation>
    </message>
    <message>
        <source>主控台正在记录签到…</source>
        <translation>The console is recording the check-in…</translation>
    </message>
    <message>
        <source>签到已记录。</source>
        <translation>Check-in recorded.</translation>
    </message>
    <message>
        <source>评标室根证书指纹</source>
        <translation>Room CA fingerprint</translation>
    </message>
    <message>
        <source>再次输入 PIN</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <source>无法打开本机的密钥（口令不符或文件损坏）：{error}</source>
        <translation>cannot open this PC&apos;s key (wrong passphrase or damaged file): {error}</translation>
    </message>
    <message>
        <source>无法写入本机的数据目录：{error}</source>
        <translation>cannot write this PC&apos;s data folder: {error}</translation>
    </message>
    <message>
        <source>配对未完成：{error}</source>
        <translation>the pairing did not complete: {error}</translation>
    </message>
    <message>
        <source>https://评标室服务器地址:端口（主控台签到页上显示）</source>
        <translation>https://room-server-address:port (shown on the console&apos;s check-in page)</translation>
    </message>
    <message>
        <source>在本机网络上查找</source>
        <translation>Find on this network</translation>
    </message>
    <message>
        <source>请与主控台签到页上显示的“评标室根证书指纹”逐组核对，一致后再配对。</source>
        <translation>Compare it group by group with the room CA fingerprint on the console&apos;s check-in page; pair only if they match.</translation>
    </message>
    <message>
        <source>再输入一次</source>
        <translation>Type it again</translation>
    </message>
    <message>
        <source>配对并签到</source>
        <translation>Pair and check in</translation>
    </message>
    <message>
        <source>专家本人在签到台核验身份后，签到台屏幕显示一次性登录码。在此输入登录码：本机生成自己的签名密钥（私钥不离开本机），主控台记录签到并绑定此密钥。</source>
        <translation>The expert has the identity checked at the desk, whose screen then shows a one-time code. Type it here: this PC makes its own signing key (the private key never leaves it) and the console records the check-in bound to that key.</translation>
    </message>
    <message>
        <source>监督人员在签到台核验身份后，签到台屏幕显示一次性登录码。在此输入登录码：本机生成自己的签名密钥（私钥不离开本机），主控台记录签到并绑定此密钥。</source>
        <translation>The supervisor has the identity checked at the desk, whose screen then shows a one-time code. Type it here: this PC makes its own signing key (the private key never leaves it) and the console records the check-in bound to that key.</translation>
    </message>
    <message>
        <source>正在本机网络上查找评标室服务器…</source>
        <translation>Looking for the room server on this network…</translation>
    </message>
    <message>
        <source>未在本机网络上找到评标室服务器：请确认主控台已开启评标室服务器，或填写主控台签到页上显示的地址。</source>
        <translation>Searched this network, but no room hub answered: check that the console runs its hub, or type the address its check-in page shows.</translation>
    </message>
    <message>
        <source>{url}（{room}）</source>
        <translation>{url} ({room})</translation>
    </message>
    <message>
        <source>找到评标室服务器：</source>
        <translation>Room server found: </translation>
    </message>
    <message>
        <source>（明文连接，无证书：仅供本机测试）</source>
        <translation>(plain connection, no certificate: for local tests only)</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>无法连接评标室服务器 {url}：请检查网络和服务器地址（{error}）。</source>
        <translation>This PC cannot reach the room hub at {url}: check the network and the address ({error}).</translation>
    </message>
    <message>
        <source>请填写评标室服务器地址（主控台签到页上显示）。</source>
        <translation>Type the room hub&apos;s address (shown on the console&apos;s check-in page).</translation>
    </message>
    <message>
        <source>请输入签到台发放的登录码。</source>
        <translation>Type the login code the check-in desk gave.</translation>
    </message>
    <message>
        <source>配对成功：签到已记录，正在打开评审界面。</source>
        <translation>Paired: the check-in is recorded; opening the evaluation screen.</translation>
    </message>
    <message>
        <source>① 承诺书</source>
        <translation>① Commitment letter</translation>
    </message>
    <message>
        <source>② 回避声明</source>
        <translation>② Conflict declaration</translation>
    </message>
    <message>
        <source>③ 初步评审</source>
        <translation>③ Preliminary review</translation>
    </message>
    <message>
        <source>④ 详细评审</source>
        <translation>④ Detailed scoring</translation>
    </message>
    <message>
        <source>投标文件完全相同（SHA-256 一致）</source>
        <extracomment>the collusion screen&apos;s kinds of warning (app/domain/collusion.py) as the chair reads them</extracomment>
        <translation>Identical bid files (same SHA-256)</translation>
    </message>
    <message>
        <source>文件作者相同</source>
        <translation>Same document author</translation>
    </message>
    <message>
        <source>文件制作工具相同</source>
        <translation>Same authoring tool</translation>
    </message>
    <message>
        <source>文件创建时间相同</source>
        <translation>Same creation time</translation>
    </message>
    <message>
        <source>文件 XMP 文档标识相同</source>
        <translation>Same XMP document ID</translation>
    </message>
    <message>
        <source>页面内容相同</source>
        <translation>Identical page text</translation>
    </message>
    <message>
        <source>段落文字相同</source>
        <translation>Identical sentences</translation>
    </message>
    <message>
        <source>投标报价相同</source>
        <translation>Identical bid prices</translation>
    </message>
    <message>
        <source>投标报价呈等差排列</source>
        <translation>Bid prices equally spaced</translation>
    </message>
    <message>
        <source>投标报价呈固定比例排列</source>
        <translation>Bid prices in a fixed ratio</translation>
    </message>
    <message>
        <source>退回理由（如：客观评审因素评分不一致，须更正）</source>
        <translation>Reason (e.g. objective item scores differ and must be corrected)</translation>
    </message>
    <message>
        <source>退回该成员评分</source>
        <translation>Reopen this member&apos;s sheet</translation>
    </message>
    <message>
        <source>说明合理，接受报价</source>
        <translation>Justified: accept the price</translation>
    </message>
    <message>
        <source>不能证明合理，投标无效</source>
        <translation>Not justified: bid invalid</translation>
    </message>
    <message>
        <source>退回评分更正（R-SCR-2）</source>
        <translation>Reopen a sheet for correction (R-SCR-2)</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>异常低价处理（书面说明后由评标委员会认定）</source>
        <translation>Abnormally low price (committee decision after the written explanation)</translation>
    </message>
    <message>
        <source>组长事项</source>
        <translation>Chair&apos;s matters</translation>
    </message>
    <message>
        <source>围标串标预警（办法第二十一条：预警不等于否决，由评标委员会认定）</source>
        <translation>Collusion warnings (Measures Art. 21: a warning is not a rejection; the committee decides)</translation>
    </message>
    <message>
        <source>评标委员会的认定理由（必填）</source>
        <translation>The committee&apos;s reasons (required)</translation>
    </message>
    <message>
        <source>认定构成串通投标（按 R-PRE-1(7) 否决）</source>
        <translation>Collusion found (reject under R-PRE-1(7))</translation>
    </message>
    <message>
        <source>认定不构成串通投标</source>
        <translation>No collusion found</translation>
    </message>
    <message>
        <source>已退回 {member} 的评分。</source>
        <translation>{member}&apos;s sheet was reopened.</translation>
    </message>
    <message>
        <source>已记录评标委员会的认定。</source>
        <translation>The committee&apos;s decision was recorded.</translation>
    </message>
    <message>
        <source>已记录评标委员会对该预警的认定。</source>
        <translation>The committee&apos;s decision on this warning is recorded.</translation>
    </message>
    <message>
        <source>尚未认定</source>
        <translation>not decided yet</translation>
    </message>
    <message>
        <source>已认定：构成串通投标</source>
        <translation>decided: collusion</translation>
    </message>
    <message>
        <source>已认定：不构成串通投标</source>
        <translation>decided: no collusion</translation>
    </message>
    <message>
        <source>{kind}（{state}）</source>
        <translation>{kind} ({state})</translation>
    </message>
    <message>
        <source>本项目无电子投标文件，开标时未进行围标串标筛查。</source>
        <translation>This project has no electronic bid files: no collusion screen was run at the opening.</translation>
    </message>
    <message>
        <source>开标时筛查了 {n} 份投标文件及投标报价，未发现预警情形。</source>
        <translation>At the opening {n} bid files and the bid prices were screened: no warning.</translation>
    </message>
    <message>
        <source>评审完成，已排序</source>
        <translation>Evaluation complete, ranked</translation>
    </message>
    <message>
        <source>不得开标</source>
        <translation>The bids may not be opened</translation>
    </message>
    <message>
        <source>评标委员会组成不合法</source>
        <translation>The committee&apos;s make-up is not lawful</translation>
    </message>
    <message>
        <source>有效投标人不足三家，不得评标</source>
        <translation>Fewer than three valid bidders: no evaluation</translation>
    </message>
    <message>
        <source>汇总受阻，待更正</source>
        <translation>Summary blocked until corrected</translation>
    </message>
    <message>
        <source>详细评分</source>
        <translation>Scores</translation>
    </message>
    <message>
        <source>提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>终端链路</source>
        <translation>PC link</translation>
    </message>
    <message>
        <source>排名</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>有效性</source>
        <translation>Validity</translation>
    </message>
    <message>
        <source>评标价（元）</source>
        <translation>Evaluated price (CNY)</translation>
    </message>
    <message>
        <source>技术/商务得分</source>
        <translation>Technical/commercial</translation>
    </message>
    <message>
        <source>价格得分</source>
        <translation>Price score</translation>
    </message>
    <message>
        <source>总得分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>评分偏离：{expert} 对 {bidder} 的评分偏离平均值 {pct}%，须书面说明（R-SCR-4）</source>
        <translation>Score deviation: {expert}&apos;s score for {bidder} deviates {pct}% from the average; a written explanation is required (R-SCR-4)</translation>
    </message>
    <message>
        <source>客观评审因素评分不一致：{bidder} {criterion}（{scores}），更正前不得汇总（R-SCR-2）</source>
        <translation>Objective criterion scored differently: {bidder} {criterion} ({scores}); no summary until corrected (R-SCR-2)</translation>
    </message>
    <message>
        <source>报价明显偏低：{bidder} 低于其他有效报价平均值 {pct}%，应要求书面说明（{rule}）</source>
        <translation>Abnormally low price: {bidder} is {pct}% below the average of the other valid prices; ask for a written explanation ({rule})</translation>
    </message>
    <message>
        <source>有效投标不足三家（{n} 家），评标委员会可否决全部投标（R-PRE-3）</source>
        <translation>Fewer than three valid bids ({n}): the committee may reject all bids (R-PRE-3)</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>Submitted ✓</translation>
    </message>
    <message>
        <source>要求书面说明</source>
        <translation>Request written explanation</translation>
    </message>
    <message>
        <source>投标人书面说明的要点（收到后录入）</source>
        <translation>Summary of the bidder&apos;s written explanation (when received)</translation>
    </message>
    <message>
        <source>录入说明</source>
        <translation>Record explanation</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>招标人（采购人）的决定理由</source>
        <translation>The tenderer&apos;s reason for the decision</translation>
    </message>
    <message>
        <source>延长评标时间</source>
        <translation>Extend the evaluation time</translation>
    </message>
    <message>
        <source>不予延长</source>
        <translation>Do not extend</translation>
    </message>
    <message>
        <source>初步评审结束，开始详细评审</source>
        <translation>Close preliminary review, start scoring</translation>
    </message>
    <message>
        <source>评分结束，进入汇总</source>
        <translation>Close scoring, go to summary</translation>
    </message>
    <message>
        <source>异常低价：书面说明（由组长记录评标委员会认定）</source>
        <translation>Abnormally low price: written explanation (the chair records the committee&apos;s decision)</translation>
    </message>
    <message>
        <source>评标时间：成员认为时间不足的申请与招标人的决定（R-SCR-6）</source>
        <translation>Evaluation time: members saying it is insufficient, and the tenderer&apos;s decision (R-SCR-6)</translation>
    </message>
    <message>
        <source>评分结束须等待：</source>
        <translation>Closing scoring waits for:</translation>
    </message>
    <message>
        <source>{member}（{link}）</source>
        <translation>{member} ({link})</translation>
    </message>
    <message>
        <source>评分结束须等待以下成员提交：</source>
        <translation>Closing scoring waits for these members to submit: </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>{time} 决定延长 {n} 分钟（{asked}/{members} 名成员申请）：{reason}</source>
        <translation>{time} extended by {n} min ({asked}/{members} members asked): {reason}</translation>
    </message>
    <message>
        <source>{time} 决定不予延长（{asked}/{members} 名成员申请）：{reason}</source>
        <translation>{time} not extended ({asked}/{members} members asked): {reason}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>，超过三分之一，应当延长</source>
        <translation>, more than a third: the time shall be extended</translation>
    </message>
    <message>
        <source>，未超过三分之一，由招标人决定</source>
        <translation>, not more than a third: the tenderer decides</translation>
    </message>
    <message>
        <source>认为评标时间不足：{who}（{asked}/{members} 人{must}）</source>
        <translation>Not enough time for evaluation, say: {who} ({asked}/{members} members{must})</translation>
    </message>
    <message>
        <source>尚无成员申请延长评标时间。</source>
        <translation>No member has asked for more time.</translation>
    </message>
    <message>
        <source>评标委员会认定：说明合理</source>
        <translation>committee&apos;s decision: explanation accepted</translation>
    </message>
    <message>
        <source>评标委员会认定：投标无效</source>
        <translation>committee&apos;s decision: bid invalid</translation>
    </message>
    <message>
        <source>待认定</source>
        <translation>awaiting the committee&apos;s decision</translation>
    </message>
    <message>
        <source>{bidder}：报价明显偏低，尚未要求书面说明</source>
        <translation>{bidder}: abnormally low price, no written explanation asked for yet</translation>
    </message>
    <message>
        <source>{bidder}：已要求书面说明，期限 {due}；{decided}</source>
        <translation>{bidder}: written explanation asked for, due {due}; {decided}</translation>
    </message>
    <message>
        <source>{bidder}：说明已收到（{summary}）；{decided}</source>
        <translation>{bidder}: explanation received ({summary}); {decided}</translation>
    </message>
    <message>
        <source>当前环节：{stage}。汇总在详细评审开始后显示。</source>
        <translation>Current stage: {stage}. The summary is shown once detailed evaluation starts.</translation>
    </message>
    <message>
        <source>（另有 {n} 条）</source>
        <translation> ({n} more)</translation>
    </message>
    <message>
        <source>（评分尚未全部提交，以下为已提交评分的结果）</source>
        <translation> (not every score sheet is submitted: the result of those submitted)</translation>
    </message>
    <message>
        <source>评审状态：{status}</source>
        <translation>Evaluation status: {status}</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>{rank}（并列）</source>
        <translation>{rank} (tied)</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>无效</source>
        <translation>Invalid</translation>
    </message>
    <message>
        <source>投标人：{bidders}</source>
        <translation>Bidders: {bidders}</translation>
    </message>
    <message>
        <source>证据：{evidence}</source>
        <translation>Evidence: {evidence}</translation>
    </message>
    <message>
        <source>认定理由：{reason}</source>
        <translation>Reasons: {reason}</translation>
    </message>
    <message>
        <source>⑤ 评标报告</source>
        <translation>⑤ Evaluation report</translation>
    </message>
    <message>
        <source>已申请延长评标时间，待招标人决定</source>
        <translation>More time asked for; awaiting the tenderer&apos;s decision</translation>
    </message>
    <message>
        <source>评标时间不足，申请延长</source>
        <translation>Not enough time: ask for more</translation>
    </message>
    <message>
        <source>承诺书已签署。</source>
        <translation>Commitment letter signed.</translation>
    </message>
    <message>
        <source>评标委员会组长</source>
        <translation>Committee chair</translation>
    </message>
    <message>
        <source>（已中止）</source>
        <translation> (paused)</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;（{id}）&#x3000;{role}&#x3000;&#x3000;当前环节：{stage}{paused}&#x3000;&#x3000;{project} · 标段 {lot}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; ({id})  {role}    current stage: {stage}{paused}    {project} · lot {lot}</translation>
    </message>
    <message>
        <source>主控台</source>
        <extracomment>the roles&apos; and the console pages&apos; names: Chinese sources (the pages are found by them), shown through tr()</extracomment>
        <translation>Console</translation>
    </message>
    <message>
        <source>专家工作站</source>
        <translation>Expert workstation</translation>
    </message>
    <message>
        <source>监督</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>会话导入</source>
        <translation>Session import</translation>
    </message>
    <message>
        <source>开标</source>
        <translation>Bid opening</translation>
    </message>
    <message>
        <source>专家签到</source>
        <translation>Expert check-in</translation>
    </message>
    <message>
        <source>评标委员会</source>
        <translation>Committee</translation>
    </message>
    <message>
        <source>评审进度与汇总</source>
        <translation>Progress and summary</translation>
    </message>
    <message>
        <source>录像监控</source>
        <translation>Room recording</translation>
    </message>
    <message>
        <source>评标报告与归档</source>
        <translation>Report and archive</translation>
    </message>
    <message>
        <source>会话已建立</source>
        <extracomment>the session&apos;s stages (RoomView.stage) as the screens name them</extracomment>
        <translation>Session created</translation>
    </message>
    <message>
        <source>组建评标委员会</source>
        <translation>Committee formation</translation>
    </message>
    <message>
        <source>初步评审</source>
        <translation>Preliminary</translation>
    </message>
    <message>
        <source>详细评审</source>
        <translation>Detailed review</translation>
    </message>
    <message>
        <source>汇总与排序</source>
        <translation>Summary and ranking</translation>
    </message>
    <message>
        <source>评标报告</source>
        <translation>Evaluation report</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>＋ 新登录</source>
        <extracomment>each console page&apos;s place in the list, by its class&apos;s name (&quot;CheckinPage&quot; …)</extracomment>
        <translation>+ New login</translation>
    </message>
    <message>
        <source>工作站：</source>
        <translation>Workstation:</translation>
    </message>
    <message>
        <source>正在打开评标室…</source>
        <translation>Opening the evaluation room…</translation>
    </message>
    <message>
        <source>EvalRoom 评标室</source>
        <translation>EvalRoom evaluation room</translation>
    </message>
    <message>
        <source>EvalRoom 评标室：开标、签到、评审、汇总，全程签名留痕。</source>
        <extracomment>called with the language code after the menu switch (the start screen saves it in the settings)</extracomment>
        <translation>EvalRoom evaluation room: bid opening, check-in, evaluation and summary, every step signed and recorded.</translation>
    </message>
    <message>
        <source>角色：</source>
        <translation>Role:</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>关于 EvalRoom</source>
        <translation>About EvalRoom</translation>
    </message>
    <message>
        <source>&#x3000;【已中止】</source>
        <translation> [paused]</translation>
    </message>
    <message>
        <source>{project} · 标段 {lot}&#x3000;当前环节：{stage}</source>
        <translation>{project} · lot {lot}  current stage: {stage}</translation>
    </message>
    <message>
        <source>请选择本机的用途：</source>
        <translation>Choose what this computer is used for:</translation>
    </message>
    <message>
        <source>副场主控台</source>
        <translation>Remote venue console</translation>
    </message>
    <message>
        <source>远程异地评标的副场：经交易中心加入主场的会话</source>
        <translation>The remote venue of a cross-site evaluation: joins the main room&apos;s session through the center</translation>
    </message>
    <message>
        <source>主控台导入会话包后开始；专家评审终端和监督终端用签到台发放的登录码与评标室服务器配对。</source>
        <translation>The console starts by importing a session package; expert workstations and the supervisor&apos;s PC pair with the room server by the code the check-in desk gives.</translation>
    </message>
    <message>
        <source>评标室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>数据目录</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>政府采购</source>
        <translation>Government procurement</translation>
    </message>
    <message>
        <source>工程建设</source>
        <translation>Engineering construction</translation>
    </message>
    <message>
        <source>综合评分法</source>
        <translation>Comprehensive scoring method</translation>
    </message>
    <message>
        <source>最低评标价法</source>
        <translation>Lowest evaluated price method</translation>
    </message>
    <message>
        <source>技术</source>
        <translation>Technical</translation>
    </message>
    <message>
        <source>商务</source>
        <translation>Commercial</translation>
    </message>
    <message>
        <source>评审因素</source>
        <translation>Criterion</translation>
    </message>
    <message>
        <source>分组</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>性质</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>满分</source>
        <translation>Maximum</translation>
    </message>
    <message>
        <source>步长</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>导入会话包…</source>
        <translation>Import session package…</translation>
    </message>
    <message>
        <source>会话设置 · 导入会话包</source>
        <translation>Session set-up · Import a session package</translation>
    </message>
    <message>
        <source>评审因素及分值</source>
        <translation>Criteria and points</translation>
    </message>
    <message>
        <source>选择会话包</source>
        <translation>Choose a session package</translation>
    </message>
    <message>
        <source>会话包 (*.json)</source>
        <translation>Session packages (*.json)</translation>
    </message>
    <message>
        <source>已导入：{file}</source>
        <translation>Imported: {file}</translation>
    </message>
    <message>
        <source>会话包有误，未导入：{error}</source>
        <translation>The session package is not valid and was not imported: {error}</translation>
    </message>
    <message>
        <source>低价优先法</source>
        <translation>lowest price first</translation>
    </message>
    <message>
        <source>基准价偏差法</source>
        <translation>deviation from the benchmark price</translation>
    </message>
    <message>
        <source>，价格分 {points} 分（{formula}）</source>
        <translation>, price score {points} points ({formula})</translation>
    </message>
    <message>
        <source>标段：{lot}</source>
        <translation>Lot: {lot}</translation>
    </message>
    <message>
        <source>规则：{profile}&#x3000;评标办法：{method}</source>
        <translation>Rules: {profile}  Evaluation method: {method}</translation>
    </message>
    <message>
        <source>投标截止时间：{deadline}&#x3000;投标人 {bidders} 家&#x3000;评标委员会 {members} 人&#x3000;当前环节：{stage}</source>
        <translation>Bid deadline: {deadline}  {bidders} bidders  committee of {members}  current stage: {stage}</translation>
    </message>
    <message>
        <source>主观</source>
        <translation>Subjective</translation>
    </message>
    <message>
        <source>客观</source>
        <translation>Objective</translation>
    </message>
    <message>
        <source>会话包</source>
        <translation>Session package</translation>
    </message>
    <message>
        <source>设置文件有误</source>
        <translation>Settings error</translation>
    </message>
    <message>
        <source>信息亭模式需要退出口令：用 evalroom settings exit-passphrase 设置。</source>
        <translation>kiosk mode needs an exit passphrase: set it with `evalroom settings exit-passphrase`</translation>
    </message>
    <message>
        <source>口令无法打开本机的评标室密钥。</source>
        <translation>The passphrase does not open this computer&apos;s room key.</translation>
    </message>
    <message>
        <source>保存到系统钥匙串，以后启动时不再询问</source>
        <translation>Keep it in the OS keyring and do not ask at each start</translation>
    </message>
    <message>
        <source>本机没有可用的系统钥匙串</source>
        <translation>No OS keyring is available on this computer</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 — 本机签名密钥口令</source>
        <translation>EvalRoom — This PC&apos;s signing key passphrase</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 — 评标室密钥口令</source>
        <translation>EvalRoom — Room key passphrase</translation>
    </message>
    <message>
        <source>评标室密钥口令</source>
        <translation>Room key passphrase</translation>
    </message>
    <message>
        <source>本机签名密钥口令</source>
        <translation>This PC&apos;s signing key passphrase</translation>
    </message>
    <message>
        <source>本机尚未配对：请设置保护本机签名密钥的口令（至少 8 个字符），配对时本机的密钥在此生成。</source>
        <translation>This PC is not paired yet: set the passphrase that protects its signing key (at least 8 characters); the key is made here at pairing.</translation>
    </message>
    <message>
        <source>请输入保护本机签名密钥的口令。</source>
        <translation>Enter the passphrase that protects this PC&apos;s signing key.</translation>
    </message>
    <message>
        <source>本机第一次使用评标室密钥：请设置保护密钥的口令（至少 8 个字符）。</source>
        <translation>This computer uses its room key for the first time: set the passphrase that protects it (at least 8 characters).</translation>
    </message>
    <message>
        <source>请输入保护本机评标室密钥的口令。</source>
        <translation>Enter the passphrase that protects this computer&apos;s room key.</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>密钥文件</source>
        <translation>Key file</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>请输入口令。</source>
        <translation>Enter the passphrase.</translation>
    </message>
    <message>
        <source>系统钥匙串</source>
        <translation>OS keyring</translation>
    </message>
    <message>
        <source>口令无法打开本机的签名密钥。</source>
        <translation>The passphrase does not open this PC&apos;s signing key.</translation>
    </message>
    <message>
        <source>语言设置未保存：{error}</source>
        <translation>The language was not saved: {error}</translation>
    </message>
    <message>
        <source>已记录的操作都已保存在本机，重新打开后可以继续。本机的录像（如有）随之停止。</source>
        <translation>Everything recorded is saved on this computer; open EvalRoom again to go on. This computer&apos;s recording (if any) stops with it.</translation>
    </message>
    <message>
        <source>授权退出</source>
        <extracomment>how the passphrase is asked; tests replace it</extracomment>
        <translation>Authorised exit</translation>
    </message>
    <message>
        <source>请输入退出口令：</source>
        <translation>Enter the exit passphrase:</translation>
    </message>
    <message>
        <source>系统</source>
        <extracomment>ends the program after the authorised exit; tests replace it</extracomment>
        <translation>System</translation>
    </message>
    <message>
        <source>退出口令不正确。</source>
        <translation>Wrong exit passphrase.</translation>
    </message>
    <message>
        <source>退出 EvalRoom？</source>
        <translation>Quit EvalRoom?</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>投标人名单（共 {count} 家）</source>
        <translation>Bidder list ({count} in all)</translation>
    </message>
    <message>
        <source>请先核对投标人名单：签署承诺书即表示已阅读本名单；与名单中的投标人存在利害关系的，须在“回避声明”中申请回避。</source>
        <translation>Check the bidder list first: signing the letter states that you have read it; if you have an interest in a bidder on it, ask to withdraw in the conflict declaration.</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>投标人名称</source>
        <translation>Bidder name</translation>
    </message>
    <message>
        <source>重写</source>
        <translation>Clear and rewrite</translation>
    </message>
    <message>
        <source>同意并签署</source>
        <translation>Agree and sign</translation>
    </message>
    <message>
        <source>请先核对投标人名单，再完整阅读承诺书（滚动到末尾），然后在下方手写签名。</source>
        <translation>Check the bidder list first, then read the whole letter (scroll to the end) and sign by hand below.</translation>
    </message>
    <message>
        <source>请完整阅读承诺书（滚动到末尾），然后在下方手写签名。</source>
        <translation>Read the whole letter (scroll to the end), then sign by hand below.</translation>
    </message>
    <message>
        <source>正在读取承诺书……</source>
        <translation>Reading the commitment letter…</translation>
    </message>
    <message>
        <source>请在下方签名区手写签名。</source>
        <translation>Sign by hand in the signature area below.</translation>
    </message>
    <message>
        <source>确认无误后，点击“同意并签署”。</source>
        <translation>When everything is right, press “Agree and sign”.</translation>
    </message>
    <message>
        <source>{name}：满分 {max} 分</source>
        <translation>{name}: at most {max} points</translation>
    </message>
    <message>
        <source>，步长 {step}</source>
        <translation>, in steps of {step}</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Sum</translation>
    </message>
    <message>
        <source>（{max}分）</source>
        <translation>({max} pts)</translation>
    </message>
    <message>
        <source>扣分须填写理由</source>
        <translation>A deduction needs its reason</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>保存失败，请重新输入</source>
        <translation>Not saved; type it again</translation>
    </message>
    <message>
        <source>{state}；扣分理由：{reason}</source>
        <translation>{state}; reason for the deduction: {reason}</translation>
    </message>
    <message>
        <source>输入分值后按回车下移、Tab 右移；每格输入即自动保存。</source>
        <translation>Type a score, Enter moves down, Tab moves right; every cell is saved at once.</translation>
    </message>
    <message>
        <source>未接受：{reason}</source>
        <translation>Not accepted: {reason}</translation>
    </message>
    <message>
        <source>签到台发放的 6 位登录码</source>
        <translation>6-digit code from the check-in desk</translation>
    </message>
    <message>
        <source>自设 4–8 位数字，锁屏后用于解锁</source>
        <translation>Choose 4–8 digits; unlocks the screen after idle lock</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>登录码</source>
        <translation>Login code</translation>
    </message>
    <message>
        <source>个人识别码（PIN）</source>
        <translation>Personal PIN</translation>
    </message>
    <message>
        <source>专家评审终端 · 登录</source>
        <translation>Expert workstation · Login</translation>
    </message>
    <message>
        <source>已签到的专家在工作站或主控台重启后需要重新登录：请签到台在“专家签到”页“重新发放登录码”，此前的登录码随即作废。</source>
        <translation>A checked-in expert logs in again after the workstation or the console restarted: the check-in desk issues a new code (Expert check-in → Issue the code again); the code before stops working.</translation>
    </message>
    <message>
        <source>选中扣分的单元格后填写扣分理由，回车保存</source>
        <translation>Select a deducted cell, type the reason, Enter saves it</translation>
    </message>
    <message>
        <source>提交评分</source>
        <translation>Submit scores</translation>
    </message>
    <message>
        <source>记录人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>评审进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>事件记录</source>
        <translation>Event log</translation>
    </message>
    <message>
        <source>监督人员承诺书</source>
        <translation>Supervisor&apos;s commitment letter</translation>
    </message>
    <message>
        <source>监督签字已记录。</source>
        <translation>The supervisor&apos;s signature is recorded.</translation>
    </message>
    <message>
        <source>中止/恢复的理由</source>
        <translation>Reason for pausing or resuming</translation>
    </message>
    <message>
        <source>中止评标</source>
        <translation>Pause evaluation</translation>
    </message>
    <message>
        <source>恢复评标</source>
        <translation>Resume evaluation</translation>
    </message>
    <message>
        <source>情况记录（时间、经过、处理）</source>
        <translation>Incident (time, what happened, handling)</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>监督意见</source>
        <translation>Supervision opinion</translation>
    </message>
    <message>
        <source>监督签字</source>
        <translation>Supervisor sign-off</translation>
    </message>
    <message>
        <source>建立会话</source>
        <extracomment>the ledger&apos;s events as the supervisor reads them (app.services.room_view.EventView.type)</extracomment>
        <translation>Session set up</translation>
    </message>
    <message>
        <source>进入环节</source>
        <translation>Stage entered</translation>
    </message>
    <message>
        <source>监督人员登记</source>
        <translation>Supervisor registered</translation>
    </message>
    <message>
        <source>唱标</source>
        <translation>Bids read out</translation>
    </message>
    <message>
        <source>开标异议及答复</source>
        <translation>Opening objection and answer</translation>
    </message>
    <message>
        <source>围标串标预警</source>
        <translation>Collusion warnings</translation>
    </message>
    <message>
        <source>预警认定</source>
        <translation>Warning decided</translation>
    </message>
    <message>
        <source>签署承诺书</source>
        <translation>Commitment letter signed</translation>
    </message>
    <message>
        <source>回避</source>
        <translation>Recusal</translation>
    </message>
    <message>
        <source>推选组长</source>
        <translation>Chair elected</translation>
    </message>
    <message>
        <source>初步评审结论</source>
        <translation>Preliminary verdict</translation>
    </message>
    <message>
        <source>评分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>退回评分</source>
        <translation>Scores sent back</translation>
    </message>
    <message>
        <source>低价处理决定</source>
        <translation>Low price decided</translation>
    </message>
    <message>
        <source>价格调整</source>
        <translation>Price adjustment</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Resumed</translation>
    </message>
    <message>
        <source>终止</source>
        <translation>Terminated</translation>
    </message>
    <message>
        <source>情况记录</source>
        <translation>Incident recorded</translation>
    </message>
    <message>
        <source>录像片段</source>
        <translation>Recording segment</translation>
    </message>
    <message>
        <source>检查点</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>报告签字</source>
        <translation>Report signed</translation>
    </message>
    <message>
        <source>报告草稿</source>
        <translation>Report drafted</translation>
    </message>
    <message>
        <source>报告签字（有不同意见）</source>
        <translation>Report signed with a dissent</translation>
    </message>
    <message>
        <source>拒签说明</source>
        <translation>Refusal note</translation>
    </message>
    <message>
        <source>报告定稿</source>
        <translation>Report finalized</translation>
    </message>
    <message>
        <source>申请延长评标时间</source>
        <translation>More time asked for</translation>
    </message>
    <message>
        <source>评标时间决定</source>
        <translation>Evaluation time decided</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Session archived</translation>
    </message>
    <message>
        <source>副场链路中断</source>
        <translation>Remote venue link down</translation>
    </message>
    <message>
        <source>副场链路恢复</source>
        <translation>Remote venue link restored</translation>
    </message>
    <message>
        <source>招标人决定（R-SUS-6）</source>
        <translation>Tenderer&apos;s decision (R-SUS-6)</translation>
    </message>
    <message>
        <source>场地间消息</source>
        <translation>Message between venues</translation>
    </message>
    <message>
        <source>中止 / 恢复</source>
        <translation>Pause / resume</translation>
    </message>
    <message>
        <source>情况记录与签字</source>
        <translation>Incidents and sign-off</translation>
    </message>
    <message>
        <source>现场监督</source>
        <translation>On-site supervision</translation>
    </message>
    <message>
        <source>评标已中止。</source>
        <translation>Evaluation paused.</translation>
    </message>
    <message>
        <source>已恢复评标。</source>
        <translation>Evaluation resumed.</translation>
    </message>
    <message>
        <source>情况记录已保存。</source>
        <translation>Incident recorded.</translation>
    </message>
    <message>
        <source>监督人员承诺书已签署。</source>
        <translation>The supervisor&apos;s commitment letter is signed.</translation>
    </message>
    <message>
        <source>申请回避（{bidders}）</source>
        <translation>Withdraws ({bidders})</translation>
    </message>
    <message>
        <source>拒绝：{reason}</source>
        <translation>Refused: {reason}</translation>
    </message>
    <message>
        <source>评标已终止。</source>
        <translation>Evaluation terminated.</translation>
    </message>
    <message>
        <source>评标已中止（当前环节：{stage}）。</source>
        <translation>Evaluation paused (current stage: {stage}).</translation>
    </message>
    <message>
        <source>评标进行中：{stage}。</source>
        <translation>Evaluation in progress: {stage}.</translation>
    </message>
    <message>
        <source>扣分理由：</source>
        <translation>Deduction reason:</translation>
    </message>
    <message>
        <source>详细评审 · 评分</source>
        <translation>Detailed review · Scoring</translation>
    </message>
    <message>
        <source>投标文件对照</source>
        <translation>Bid files beside</translation>
    </message>
    <message>
        <source>收起投标文件</source>
        <translation>Hide bid files</translation>
    </message>
    <message>
        <source>请先输入分值，再填写扣分理由。</source>
        <translation>Type the score first, then the reason for the deduction.</translation>
    </message>
    <message>
        <source>扣分理由已保存。</source>
        <translation>The reason for the deduction was saved.</translation>
    </message>
    <message>
        <source>尚有 {count} 项未评分或未保存，不能提交。</source>
        <translation>{count} item(s) not scored or not saved yet: the sheet cannot be submitted.</translation>
    </message>
    <message>
        <source>扣分须填写理由：{bidder} 的 {criterion} 等 {count} 项尚无理由。</source>
        <translation>A deduction needs its reason: {count} item(s), the first {bidder}&apos;s {criterion}, have none yet.</translation>
    </message>
    <message>
        <source>{bidder}：{total} 分</source>
        <translation>{bidder}: {total} points</translation>
    </message>
    <message>
        <source>提交后不能修改（除非组长退回）。各投标人合计：</source>
        <translation>Once submitted the sheet cannot be changed (unless the chair reopens it). Each bidder&apos;s total:</translation>
    </message>
    <message>
        <source>确认提交评分</source>
        <translation>Submit the scores</translation>
    </message>
    <message>
        <source>评分已提交。</source>
        <translation>The scores were submitted.</translation>
    </message>
    <message>
        <source>评分索引：选中评分单元格，显示投标文件中对应的页码</source>
        <translation>Page references: select a score cell to see the pages of the bid that answer it</translation>
    </message>
    <message>
        <source>评分索引（{bidder} · {criterion}）：</source>
        <translation>Page references ({bidder} · {criterion}): </translation>
    </message>
    <message>
        <source>投标文件未给出页码</source>
        <translation>the bid gives no page</translation>
    </message>
    <message>
        <source>{part} 第 {page} 页</source>
        <translation>{part}, page {page}</translation>
    </message>
    <message>
        <source>详细评审尚未开始。</source>
        <translation>Detailed scoring has not started yet.</translation>
    </message>
    <message>
        <source>评标已由监督人员中止，暂停评分。</source>
        <translation>The supervisor has paused the evaluation: scoring is paused.</translation>
    </message>
    <message>
        <source>评分已提交（只读）。如需更正，请向组长申请退回。</source>
        <translation>Scores submitted (read-only). To correct, ask the chair to reopen the sheet.</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Go back</translation>
    </message>
    <message>
        <source>工作站已锁定</source>
        <translation>Workstation locked</translation>
    </message>
    <message>
        <source>请输入您的个人识别码（PIN）解锁。已保存的评分不受影响。</source>
        <translation>Enter your PIN to unlock. Saved scores are not affected.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>PIN 不正确，请重新输入</source>
        <translation>Wrong PIN, try again</translation>
    </message>
    <message>
        <source>请在此处手写签名</source>
        <translation>Sign here</translation>
    </message>
    <message>
        <source>请选择</source>
        <translation>Choose</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Pass</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Fail</translation>
    </message>
    <message>
        <source>投标人</source>
        <translation>Bidder</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>不合格理由</source>
        <translation>Reason for fail</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>初步评审（资格性、符合性审查）</source>
        <translation>Preliminary review (qualification and conformity)</translation>
    </message>
    <message>
        <source>逐家给出“合格/不合格”结论；判定不合格时必须填写理由。每项结论选定即保存。</source>
        <translation>Give pass or fail for each bid; a fail needs a reason. Each verdict is saved when chosen.</translation>
    </message>
    <message>
        <source>不合格时必填</source>
        <translation>required for a fail</translation>
    </message>
    <message>
        <source>未评</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>判定不合格时必须填写理由。</source>
        <translation>A fail needs its reason.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>开标筛查有 {n} 条围标串标预警待评标委员会认定（见组长事项）。</source>
        <translation>{n} collusion warning(s) of the opening screen await the committee&apos;s decision (see the chair&apos;s matters).</translation>
    </message>
    <message>
        <source>评标委员会认定 {bidders} 构成串通投标：按 R-PRE-1(7) 应判定不合格。</source>
        <translation>The committee found collusion by {bidders}: fail them under R-PRE-1(7).</translation>
    </message>
    <message>
        <source>开标筛查的围标串标预警均已由评标委员会认定，未认定构成串通投标。</source>
        <translation>The committee has decided on every collusion warning of the opening screen: no collusion found.</translation>
    </message>
    <message>
        <source>操作未完成</source>
        <translation>Operation failed</translation>
    </message>
    <message>
        <source>商务部分</source>
        <translation>Commercial part</translation>
    </message>
    <message>
        <source>技术部分</source>
        <translation>Technical part</translation>
    </message>
    <message>
        <source>资格审查部分</source>
        <translation>Qualification part</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>在本文件中查找文字</source>
        <translation>Find text in this file</translation>
    </message>
    <message>
        <source>查找下一处</source>
        <translation>Find next</translation>
    </message>
    <message>
        <source>上一页（PageUp）</source>
        <translation>Previous page (PageUp)</translation>
    </message>
    <message>
        <source>下一页（PageDown）</source>
        <translation>Next page (PageDown)</translation>
    </message>
    <message>
        <source>/ {n} 页</source>
        <translation>/ {n} pages</translation>
    </message>
    <message>
        <source>（尚未传到本机）</source>
        <translation> (not on this PC yet)</translation>
    </message>
    <message>
        <source>本项目无电子投标文件。</source>
        <translation>This project has no electronic bid files.</translation>
    </message>
    <message>
        <source>该文件尚未传到本机：开标后由评标室主机发送，请稍候。</source>
        <translation>This file is not on this PC yet: the room hub sends it after the opening; please wait.</translation>
    </message>
    <message>
        <source>正在打开……</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>查找中……</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>未找到</source>
        <translation>Not found</translation>
    </message>
    <message>
        <source>第 {page} 页（{i}/{n} 页有，共 {total} 处）</source>
        <translation>Page {page} ({i} of {n} pages with hits, {total} in all)</translation>
    </message>
    <message>
        <source>投标文件（离线查看，已按账本核对 SHA-256）</source>
        <translation>Bid files (offline, SHA-256 checked against the ledger)</translation>
    </message>
    <message>
        <source>两家对照</source>
        <translation>Compare two</translation>
    </message>
    <message>
        <source>索引所指的文件 {path} 不在本机的投标文件中（未解密或尚未传到）。</source>
        <translation>The file {path} the reference points at is not among this PC&apos;s bid files (not decrypted, or not here yet).</translation>
    </message>
    <message>
        <source>未配置交易中心地址（设置文件 center_url）：副场主控台须经交易中心加入主场的会话。</source>
        <extracomment>the console&apos;s database thread: it opens the VenueConsole there (its own view: no room snapshots)</extracomment>
        <translation>No center is configured (settings: center_url): the remote console joins the main venue&apos;s session through the center.</translation>
    </message>
    <message>
        <source>正在连接交易中心 {center} …</source>
        <translation>Connecting to the center {center} …</translation>
    </message>
    <message>
        <source>（交易中心暂不可达，先在本机副本上工作：{reason}）</source>
        <translation> (the center cannot be reached; working on this computer&apos;s replica for now: {reason})</translation>
    </message>
    <message>
        <source>已加入会话 {session}</source>
        <translation>Joined session {session}</translation>
    </message>
    <message>
        <source>本评标室是多个会话的副场，请选择要加入的会话。</source>
        <translation>This room is a remote venue of several sessions: choose one to join.</translation>
    </message>
    <message>
        <source>本评标室 {room} 尚不是任何会话的副场：主场添加本副场（公钥 {key}）后自动加入。</source>
        <translation>Room {room} is not a remote venue of any session yet: it joins once the main venue adds it (public key {key}).</translation>
    </message>
    <message>
        <source>请交易中心登记本评标室的公钥 {key}</source>
        <translation>Ask the center to enroll this room&apos;s public key {key}</translation>
    </message>
    <message>
        <source>{n} 秒后重试</source>
        <translation>retrying in {n} s</translation>
    </message>
    <message>
        <source>评标室编号</source>
        <extracomment>the form&apos;s field of a SettingsError&apos;s key, for the message shown under the form</extracomment>
        <translation>Room id</translation>
    </message>
    <message>
        <source>评标室名称</source>
        <translation>Room name</translation>
    </message>
    <message>
        <source>交易中心地址</source>
        <translation>Center URL</translation>
    </message>
    <message>
        <source>空闲锁定（分钟）</source>
        <translation>Idle lock (minutes)</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 — 首次设置</source>
        <translation>EvalRoom — First-time setup</translation>
    </message>
    <message>
        <source>首次设置</source>
        <translation>First-time setup</translation>
    </message>
    <message>
        <source>本机第一次作为主控台运行。请填写评标室的基本信息，之后可在设置文件中修改。</source>
        <translation>This computer runs the console for the first time. Fill in the room&apos;s details; you can change them later in the settings file.</translation>
    </message>
    <message>
        <source>例如 szggzy-room-3</source>
        <translation>e.g. szggzy-room-3</translation>
    </message>
    <message>
        <source>例如 第三评标室</source>
        <translation>e.g. Room 3</translation>
    </message>
    <message>
        <source>可不填：离线工作，之后手动同步</source>
        <translation>Optional: work offline and sync by hand later</translation>
    </message>
    <message>
        <source>synthetic、设备序号、rtsp:// 地址</source>
        <translation>synthetic, a device index, an rtsp:// URL</translation>
    </message>
    <message>
        <source>保护评标室密钥，至少 8 个字符</source>
        <translation>protects the room key; at least 8 characters</translation>
    </message>
    <message>
        <source>密钥口令</source>
        <translation>Key passphrase</translation>
    </message>
    <message>
        <source>再次输入口令</source>
        <translation>Passphrase again</translation>
    </message>
    <message>
        <source>设置文件</source>
        <translation>Settings file</translation>
    </message>
    <message>
        <source>保存并继续</source>
        <translation>Save and continue</translation>
    </message>
    <message>
        <source>密钥口令填写有误：{problem}</source>
        <translation>The key passphrase is not right: {problem}</translation>
    </message>
    <message>
        <source>口令未保存到系统钥匙串：{error}</source>
        <translation>The passphrase was not kept in the OS keyring: {error}</translation>
    </message>
    <message>
        <source>设置文件无法写入：{path}（{error}）。</source>
        <translation>Cannot write the settings file {path} ({error}).</translation>
    </message>
    <message>
        <source>{field}填写有误。 / {detail}</source>
        <translation>{field} is not right: {detail}</translation>
    </message>
    <message>
        <source>本机密钥口令</source>
        <translation>This PC&apos;s key passphrase</translation>
    </message>
    <message>
        <source>无法打开本机的签名密钥：口令不符或密钥文件损坏。请用本机的正确口令重新启动本程序（EVALROOM_KEY_PASSPHRASE、设置中的口令文件或系统钥匙串）。</source>
        <translation>cannot open this PC&apos;s signing key (wrong passphrase or a damaged file): start the program again with this PC&apos;s passphrase (EVALROOM_KEY_PASSPHRASE, the settings&apos; passphrase file or the OS keyring).</translation>
    </message>
    <message>
        <source>本机原有的配对无法打开；可重新配对。</source>
        <translation>this PC&apos;s seat cannot be opened: pair again.</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 · 专家评审终端</source>
        <translation>EvalRoom · expert workstation</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 · 监督终端</source>
        <translation>EvalRoom · supervisor&apos;s PC</translation>
    </message>
    <message>
        <source>正在打开本机的评审数据…</source>
        <extracomment>the opening line&apos;s text in the current language (opening, or why it did not open)</extracomment>
        <translation>Opening this PC&apos;s evaluation data…</translation>
    </message>
    <message>
        <source>重新配对（新的登录码或新的会话）…</source>
        <translation>Pair again (a new code or a new session)…</translation>
    </message>
    <message>
        <source>重新打开数字证书…</source>
        <translation>Open the digital certificate again…</translation>
    </message>
    <message>
        <source>EvalRoom 评标室：本机的每一步都用本机的密钥签名，先保存在本机，再同步到评标室服务器。</source>
        <translation>EvalRoom: every step on this PC is signed with this PC&apos;s own key, saved here first, then synced to the room server.</translation>
    </message>
    <message>
        <source>本机将用签到台发放的新登录码重新配对（新的会话，或签到台重新发放的登录码）。本机已签名保存的评审内容保留在本机的数据目录中；重新配对后，原配对不再使用。</source>
        <translation>This PC pairs again with a new code from the check-in desk (a new session, or a code the desk issued again). What this PC signed and saved stays in its data folder; the earlier pairing is no longer used.</translation>
    </message>
    <message>
        <source>重新配对？</source>
        <translation>Pair again?</translation>
    </message>
    <message>
        <source>重新配对</source>
        <translation>Pair again</translation>
    </message>
    <message>
        <source>本机将每隔几秒自动重试。</source>
        <translation>This PC tries again every few seconds.</translation>
    </message>
    <message>
        <source>数字证书“{subject}”已重新打开。</source>
        <translation>The digital certificate &apos;{subject}&apos; is open again.</translation>
    </message>
    <message>
        <source>您已签署评标报告（同意）。</source>
        <translation>You have signed the report (agreeing).</translation>
    </message>
    <message>
        <source>您已签字并提出不同意见，理由将印入报告。</source>
        <translation>You have signed with a dissent; your reasons are printed in the report.</translation>
    </message>
    <message>
        <source>评标委员会已记录您拒绝签字且未说明理由，视为同意评标结论（R-SIG-3）。</source>
        <translation>The committee recorded that you refused to sign without reasons: this counts as agreement (R-SIG-3).</translation>
    </message>
    <message>
        <source>签署评标报告</source>
        <translation>Sign the evaluation report</translation>
    </message>
    <message>
        <source>评标报告草稿尚未生成（汇总完成后由主控台生成）。</source>
        <translation>The report has not been drafted yet (the console drafts it after the summary).</translation>
    </message>
    <message>
        <source>评标报告已定稿（含签字页）。</source>
        <translation>The report is final (with the signature page).</translation>
    </message>
    <message>
        <source>您不在需签字的成员之列。</source>
        <translation>You are not among the members who sign.</translation>
    </message>
    <message>
        <source>请审阅评标报告草稿，确认后签字。</source>
        <translation>Review the report draft, then sign it.</translation>
    </message>
    <message>
        <source>报告草稿的预览尚未显示完毕，请稍候再签。</source>
        <translation>The draft preview is still rendering; sign once it is shown.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{member}&lt;/b&gt;：请确认已审阅评标报告草稿，然后签字。</source>
        <translation>&lt;b&gt;{member}&lt;/b&gt;: confirm that you have reviewed the draft evaluation report, then sign.</translation>
    </message>
    <message>
        <source>所签报告草稿的 SHA-256：{sha}</source>
        <translation>SHA-256 of the draft signed: {sha}</translation>
    </message>
    <message>
        <source>同意评标结论，签字</source>
        <translation>I agree with the conclusion and sign</translation>
    </message>
    <message>
        <source>有不同意见：签字并书面说明理由（R-SIG-2，理由印入报告）</source>
        <translation>I dissent: sign with written reasons (R-SIG-2, printed in the report)</translation>
    </message>
    <message>
        <source>不同意见的具体理由</source>
        <translation>The reasons for the dissent</translation>
    </message>
    <message>
        <source>签署</source>
        <translation>Sign</translation>
    </message>
    <message>
        <source>手写签名：</source>
        <translation>Handwritten signature:</translation>
    </message>
    <message>
        <source>请先在签名区手写签名。</source>
        <translation>Write your signature on the pad first.</translation>
    </message>
    <message>
        <source>有不同意见须书面说明理由（R-SIG-2）。</source>
        <translation>A dissent needs written reasons (R-SIG-2).</translation>
    </message>
    <message>
        <source>录像告警：{alarms}</source>
        <translation>Recording alarm: {alarms}</translation>
    </message>
    <message>
        <source>程序遇到意外错误，即将关闭。已记录的数据不会丢失，请重新启动。
崩溃报告已保存到：
{path}
</source>
        <translation>EvalRoom hit an unexpected error and will close. Recorded data is not lost; please start it again.
The crash report was saved to:
{path}
</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 — 意外错误</source>
        <translation>EvalRoom — Unexpected error</translation>
    </message>
    <message>
        <source>EvalRoom 评标室 · 主控台 — {folder}</source>
        <translation>EvalRoom · console — {folder}</translation>
    </message>
    <message>
        <source>主控台已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。</source>
        <extracomment>what a second copy of each mode is told (``{owner}``: the process holding the lock, when known)</extracomment>
        <translation>The console already runs on this computer{owner}, data folder {folder}; switch to the open window.</translation>
    </message>
    <message>
        <source>专家工作站已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。</source>
        <translation>The expert workstation already runs on this computer{owner}, data folder {folder}; switch to the open window.</translation>
    </message>
    <message>
        <source>监督已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。</source>
        <translation>The supervisor already runs on this computer{owner}, data folder {folder}; switch to the open window.</translation>
    </message>
    <message>
        <source>演示已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。</source>
        <translation>The demo already runs on this computer{owner}, data folder {folder}; switch to the open window.</translation>
    </message>
    <message>
        <source>{mode} 已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。</source>
        <translation>The {mode} already runs on this computer{owner}, data folder {folder}; switch to the open window.</translation>
    </message>
    <message>
        <source>（进程 {pid}）</source>
        <translation> (process {pid})</translation>
    </message>
    <message>
        <source>重新打开数字证书</source>
        <translation>Open the digital certificate again</translation>
    </message>
    <message>
        <source>本次签到绑定了数字证书“{subject}”。本程序重启后需要重新打开该证书（证书口令或 USB Key 的 PIN），才能签署承诺书、提交评分和签署评标报告；无需重新签到。</source>
        <translation>This check-in is bound to the digital certificate &apos;{subject}&apos;. Since this program restarted, open it again (its passphrase or the USB key&apos;s PIN) to sign the declaration, submit scores and sign the report; no new check-in is needed.</translation>
    </message>
    <message>
        <source>使用此证书</source>
        <translation>Use this certificate</translation>
    </message>
    <message>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>请选择证书来源并“读取证书”。</source>
        <translation>Choose where the certificate is and click &apos;Read certificate&apos;.</translation>
    </message>
</context>
</TS>
