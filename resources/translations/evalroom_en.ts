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
        <source>组成检查未通过：</source>
        <translation>Composition check failed:</translation>
    </message>
    <message>
        <source>尚未完成签到、承诺书或回避声明：</source>
        <translation>Not yet checked in, signed or declared:</translation>
    </message>
    <message>
        <source>候补专家待签到：</source>
        <translation>Reserve to check in: </translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>not connected</translation>
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
        <source>重新生成报告草稿</source>
        <translation>Draft the report again</translation>
    </message>
    <message>
        <source>已有成员签署当前草稿。重新生成后，全部成员须重新审阅并签字。是否继续？</source>
        <translation>Members have signed the current draft. A new draft must be reviewed and signed by everyone again. Go on?</translation>
    </message>
    <message>
        <source>正在生成预览……</source>
        <translation>Rendering the preview…</translation>
    </message>
    <message>
        <source>尚无报告草稿</source>
        <translation>No report draft yet</translation>
    </message>
    <message>
        <source>（摄像头画面）</source>
        <extracomment>called with the language code after the menu switch (the launcher keeps it in the settings)</extracomment>
        <translation>(camera picture)</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>never synced</translation>
    </message>
    <message>
        <source>中断期间的签到和消息保存在本机，链路恢复后自动发送；主场按 R-SUS-6/R-SUS-7 计时。</source>
        <translation>Check-ins and messages are kept on this PC while the link is down and sent once it is back; the main venue times the outage by R-SUS-6/R-SUS-7.</translation>
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
        <source>本副场未启动评标室服务器（设置 hub_listen），专家评审终端无法配对</source>
        <translation>This venue runs no room hub (settings: hub_listen): the experts&apos; own PCs cannot pair</translation>
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
        <source>评分和签名先保存在本机，再同步到评标室服务器。</source>
        <translation>Scores and signatures are saved on this PC first, then synced to the room server.</translation>
    </message>
    <message>
        <source>离线：评分保存在本机，恢复连接后自动同步</source>
        <translation>Offline: scores are saved on this PC and sync by themselves when the link is back</translation>
    </message>
    <message>
        <source>本机与评标室服务器的连接中断。可以继续评审：每一步都已签名保存在本机，恢复连接后自动同步。</source>
        <translation>The link with the room server is down. Go on evaluating: every step is signed and saved on this PC and syncs when the link is back.</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
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
        <source>未配置交易中心：会话只保存在本机，之后手动同步。</source>
        <translation>No center configured: the session is kept on this computer only; sync it by hand later.</translation>
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
        <source>在签到台核验身份后，签到台屏幕显示一次性登录码。在此输入登录码：本机生成自己的签名密钥（私钥不离开本机），主控台记录签到并绑定此密钥。</source>
        <translation> has the identity checked at the desk, whose screen then shows a one-time code. Type it here: this PC makes its own signing key (the private key never leaves it) and the console records the check-in bound to that key.</translation>
    </message>
    <message>
        <source>正在本机网络上查找评标室服务器…</source>
        <translation>Looking for the room server on this network…</translation>
    </message>
    <message>
        <source>未在本机网络上找到评标室服务器：请确认主控台已开启评标室服务器，或填写主控台签到页上显示的地址。</source>
        <translation>No room server found on this network: check that the console runs it, or type the address its check-in page shows.</translation>
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
        <source>、</source>
        <translation>, </translation>
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
        <source>选择会话包</source>
        <translation>Choose a session package</translation>
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
        <source>评标室密钥口令</source>
        <translation>Room key passphrase</translation>
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
</context>
</TS>
