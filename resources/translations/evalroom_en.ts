<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>评标室服务器正在启动…</source>
        <translation>The room server is starting…</translation>
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
        <source>为以下专家重新发放工作站一次性登录码：</source>
        <translation>A new one-time workstation login code for: </translation>
    </message>
    <message>
        <source>请先核对专家本人身份。此前发放的登录码随即作废；专家用新登录码登录后，原工作站的签名密钥作废（记入账本），已记录的评审内容不受影响。</source>
        <translation>Check the expert&apos;s identity first. The code issued before stops working; once the expert logs in with the new code, the old workstation&apos;s signing key is revoked (recorded in the ledger). What was recorded stays.</translation>
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
        <source>申请回避</source>
        <translation>Withdraws</translation>
    </message>
    <message>
        <source>按现有人数，评标委员会组成检查将不通过：</source>
        <translation>With the members present, the committee fails the composition check: </translation>
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
        <source>您已申请回避，不再参加本项目评审。请告知现场工作人员。</source>
        <translation>You have withdrawn and take no further part in this evaluation. Please tell the staff.</translation>
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
        <source>已申请延长评标时间，待招标人决定</source>
        <translation>More time asked for; awaiting the tenderer&apos;s decision</translation>
    </message>
</context>
</TS>
