"""The catalogue of the messages of errors (``app.errors.render``): key → (简体中文, English).

``str.format`` placeholders are named by the error's arguments, and each raise site passes every argument either text
names (the English may add technical detail for the logs: an HTTP status, the underlying error; each language may
name an argument its own way). A key ending in ``.help`` is the diagnostics of the error of that key (what to do).
Keys are grouped by where they are raised.
"""

from __future__ import annotations

#: key → (简体中文, English). A key ending in ``.help`` is the diagnostics of the error of that key.
CATALOGUE: dict[str, tuple[str, str]] = {
    "detail": ("{detail}", "{detail}"),
    "unexpected": ("{kind}: {detail}", "{kind}: {detail}"),
    "internal": ("内部错误：{kind}: {detail}（设置 EVALROOM_DEBUG=1 可查看详情）",
                 "internal error: {kind}: {detail} (set EVALROOM_DEBUG=1 for details)"),
    "action.refused": ("操作未被接受（已作为证据记录）：{detail}", "{detail}"),
    "action.refused.help": ("该操作已作为证据写入账本，但规则不允许它生效；请按提示更正后重新操作。",
                            "The action is kept in the ledger as evidence, but the rules do not let it take effect; "
                            "correct it as the message says and do it again."),
    "case.help": ("会话包未导入，任何内容都未更改；请按提示更正所指字段后重新导入。",
                  "Nothing was imported or changed; correct the field named and import the file again."),
    "settings.help": ("请更正设置文件中所指的项（或删除该项以使用默认值）后重新启动。",
                      "Correct the setting named in the settings file (or remove it to use the default) and start "
                      "again."),
    "passphrase.missing.help": ("在环境变量 EVALROOM_KEY_PASSPHRASE 中设置口令，"
                                "或在设置文件的 key_passphrase_file 中指定口令文件，或将口令存入系统钥匙串。",
                                "Set the passphrase in EVALROOM_KEY_PASSPHRASE, name a passphrase file in the "
                                "settings' key_passphrase_file, or keep it in the OS keyring."),
    "store.help": ("请确认所指文件是 EvalRoom 的会话文件"
                   "（simulate 写出的文件夹中的 session.sqlite，或主控台数据文件夹中的会话文件）。",
                   "Check that the path names an EvalRoom session file (session.sqlite in a folder written by "
                   "simulate, or the session file in the console's data folder)."),
    "recorder.microphone": ("麦克风 {microphone} 无法使用：{detail}", "microphone {microphone}: {detail}"),
    "recorder.microphone.help": ("录像照常进行，但没有声音；请检查麦克风的连接和设置（microphone），"
                                 "声音恢复时会自动继续录音。",
                                 "The picture is still recorded, without sound: check the microphone's connection and "
                                 "the microphone setting; the sound is recorded again as soon as it comes back."),
    "recorder.busy.help": ("同一文件夹只能有一个录像进程；请先停止正在录像的进程，或选择另一个文件夹。",
                           "One recorder at a time records into a folder: stop the one recording there or choose "
                           "another folder."),
    "sync.unreachable.help": ("请检查网络连接及中心地址；本机数据已保存，连接恢复后会自动同步。",
                              "Check the network and the center's address; nothing is lost here, and the sync "
                              "resumes once the center answers."),
    "pin.mismatch.help": ("这可能是冒充的集线服务。请向签到台核对根证书指纹；"
                          "确已更换根证书时，删除本机固定的证书文件后重新配对。",
                          "This may be an impostor hub. Check the room CA fingerprint with the check-in desk; when the "
                          "room CA was really replaced, delete the pinned certificate file on this PC and pair again."),
    "cert.file": ("证书文件 {path} 无法使用：{reason}", "certificate file {path}: {reason}"),
    "cert.file.help": ("请确认证书文件（PKCS#12 或 PEM）完整，口令（EVALROOM_CERT_PASSPHRASE）正确。",
                       "Check that the certificate file (PKCS#12 or PEM) is complete and its passphrase "
                       "(EVALROOM_CERT_PASSPHRASE) is right."),
    "key.help": ("请确认密钥文件及其口令正确（口令见 EVALROOM_KEY_PASSPHRASE 或设置文件的 key_passphrase_file）。",
                 "Check the key file and its passphrase (EVALROOM_KEY_PASSPHRASE or the settings' "
                 "key_passphrase_file)."),
    "venue.not_enrolled": ("交易中心拒绝了本评标室 {room}（未登记或密钥不符）：{reason}",
                           "the center refused room {room} (not enrolled or another key): {reason}"),
    "single_instance.help": ("本机已有一个 EvalRoom 窗口在使用该数据文件夹；请切换到该窗口，或先关闭它。",
                             "An EvalRoom window already uses this data folder on this PC: switch to it, or close it "
                             "first."),
    # the services' refusals of a person's action (desk, room, seat, venues, pairing, report, hub)
    # app/services/desk_actions.py
    "desk.letter_changed": ("承诺书版本已变化，请重新阅读后签署",
                            "the letter template changed; read it again"),
    "desk.conflict_needs_ground": ("申请回避时，请勾选回避情形",
                                   "a declared conflict needs at least one ground"),
    "desk.conflict_needs_bidder": ("申请回避时，请勾选与您存在利害关系的投标人",
                                   "name the bidder(s) the conflict is with"),
    "desk.bidders_without_conflict": ("未申请回避时不应勾选投标人",
                                      "bidders are named only for a declared conflict"),
    "desk.fail_needs_reason": ("判定不合格时必须填写理由",
                               "a fail verdict needs a reason"),
    "desk.reopen_needs_reason": ("退回评分须说明理由",
                                 "reopening a sheet needs a reason"),
    "bid_files.not_here": ("投标文件 {path} 尚未传到本机（开标后由评标室主机发送，请稍候）",
                           "the bid file {path} is not on this PC yet (the room hub sends it after the opening)"),
    "bid_files.unreadable": ("无法读取投标文件 {path}：{exc}", "cannot read the bid file {path}: {exc}"),
    "bid_files.hash_differs": ("投标文件 {path} 与账本记录不符（SHA-256 {actual}… 而非 {listed}…），不予显示",
                               "the bid file {path} is not the one the ledger names (SHA-256 {actual}… instead of "
                               "{listed}…): not shown"),
    "publish.archive_invalid": ("归档 {bag} 未通过验证（{count} 项问题，首项：{first}），不予公示，未写出任何文件",
                                "the archive {bag} does not verify ({count} problems, the first: {first}): nothing "
                                "is published"),
    "publish.no_final_report": ("归档 {bag} 中没有定稿的评标报告，不能公示", "the archive {bag} holds no final report: "
                                "nothing to publish"),
    "desk.finding_needs_reason": ("对围标串标预警的认定须说明理由",
                                  "a decision on a collusion warning needs the committee's reasons"),
    "desk.pause_needs_reason": ("中止评标须说明理由",
                                "a pause needs a reason"),
    "desk.resume_needs_reason": ("恢复评标须说明理由",
                                 "resuming needs a reason"),
    "desk.incident_empty": ("请填写情况记录内容",
                            "the incident text is empty"),
    # app/services/room.py
    "room.no_session": ("尚未导入会话包",
                        "no session has been started"),
    "room.objection_incomplete": ("异议内容和当场答复都须填写",
                                  "an objection needs its text and the answer given on the spot"),
    "room.representative_missing": ("请填写投标人代表姓名",
                                    "the representative's name is missing"),
    "room.supervisor_missing": ("请填写监督人员姓名",
                                "the supervisor's name is missing"),
    "room.session_archived": ("会话已归档，不再发放登录码",
                              "the session is archived: no code"),
    "room.no_hub": ("本主控台未启动评标室服务器（hub_listen）",
                    "this console runs no room hub (hub_listen)"),
    "room.login_code_unknown": ("登录码不正确，请向签到台工作人员核实",
                                "unknown login code"),
    "room.login_code_expired": ("登录码已过期，请到签到台重新获取",
                                "the login code has expired"),
    "room.pin_too_short": ("请设置至少 4 位数字的个人识别码（PIN），用于锁屏后解锁",
                           "the PIN must be at least 4 digits"),
    "room.explanation_empty": ("请摘录投标人书面说明的要点",
                               "the explanation's summary is empty"),
    "room.time_decision_needs_reason": ("请填写延长或不予延长的理由",
                                        "the decision on the evaluation time needs a reason"),
    "room.camera_no_picture": ("录像摄像头尚无画面，请稍候再拍照",
                               "the recorder's camera has no picture yet"),
    "room.hub_unreachable": ("无法连接评标室服务器 {url}：{exc}",
                             "cannot reach the room hub {url}: {exc}"),
    "room.login_code_used": ("此登录码已使用过（一次性），请到签到台重新获取",
                             "the login code has been used already"),
    "room.photo_unencodable": ("照片编码失败",
                               "cannot encode the photo"),
    # app/services/member_room.py
    "seat.supervisor_pc": ("本机为监督人员终端，不能作为评审专家操作",
                           "this PC is a supervisor's: no expert acts here"),
    "seat.member_not_drawn": ("{member} 不在本项目抽取的专家名单中",
                              "{member} is not on the drawn list"),
    "seat.key_not_current": ("本机密钥不是 {member} 当前的签到密钥（已在签到台重新签到或尚未同步），请重新配对",
                             "this PC's key is not {member}'s current check-in key (checked in again elsewhere, or "
                             "not synced yet): pair again"),
    "seat.not_this_supervisor": ("本机不是监督人员 {name} 的终端",
                                 "this PC is not supervisor {name}'s"),
    "seat.supervisor_key_unregistered": ("本机密钥未登记为监督人员 {name}（或尚未同步），请重新配对",
                                         "this PC's key is not registered for supervisor {name} (or not synced yet): "
                                         "pair again"),
    "seat.no_replica": ("本机尚无会话 {session} 的副本，须先连接评标室主机一次：{exc}",
                        "this PC holds no copy of session {session} yet and needs the room hub once: {exc}"),
    "seat.replica_unopenable": ("无法打开会话 {session} 的本机副本：{exc}",
                                "cannot open this PC's copy of session {session}: {exc}"),
    "seat.replica_empty": ("本机副本尚无会话包",
                           "the replica holds no session package yet"),
    # app/services/venues.py
    "venue.id_and_name_missing": ("请填写副场编号和名称",
                                  "the venue's id and name are required"),
    "venue.message_empty": ("消息内容不能为空",
                            "the message is empty"),
    "venue.not_a_venue": ("{to} 不是本会话的副场",
                          "{to} is not a remote venue of this session"),
    "venue.decided_by_missing": ("请填写作出决定的招标人（采购人）代表",
                                 "who decided (the tenderer's representative) is missing"),
    "venue.key_not_a_venue": ("本主控台的密钥不是该会话的副场",
                              "this console's key is not a remote venue of the session"),
    "venue.no_center": ("未配置交易中心地址（设置 center_url），副场无法加入会话",
                        "no center configured (settings: center_url): the remote venue cannot join a session"),
    "venue.not_joined": ("尚未加入会话",
                         "no session joined yet"),
    "venue.no_main_venue": ("会话中没有主场",
                            "the session has no main venue"),
    "venue.center_refused": ("交易中心拒绝了请求：{exc}",
                             "the center refused the request: {exc}"),
    "venue.center_unreachable": ("无法连接交易中心：{exc}",
                                 "cannot reach the center: {exc}"),
    "venue.join_failed": ("无法加入会话 {session}：{exc}",
                          "cannot join session {session}: {exc}"),
    "venue.not_a_picture": ("{path} 不是可识别的照片",
                            "{path} is not a picture"),
    # app/services/pairing.py
    "pairing.bad_code": ("登录码应为签到台给出的 6 位数字",
                         "the code is the 6 digits the check-in desk gave"),
    "pairing.no_passphrase": ("请设置本机密钥的口令（EVALROOM_KEY_PASSPHRASE）",
                              "no passphrase for this PC's key (EVALROOM_KEY_PASSPHRASE)"),
    "pairing.ca_mismatch": ("评标室服务器 {hub_url} 的根证书指纹 {fingerprint} 与签到台显示的 {ca_fingerprint} 不一致"
                            "，未配对",
                            "the room CA of {hub_url} ({fingerprint}) is not the one the check-in desk shows "
                            "({ca_fingerprint}): nothing pinned, not paired"),
    # app/services/pairing_desk.py
    "pairing_desk.clock_off": ("本机时间与主控台相差超过 30 分钟，请校准时间后重试",
                               "this PC's clock is more than 30 minutes off the console's: set it right and try again"),
    "pairing_desk.key_bound": ("此密钥已绑定到本会话的其他身份（{who}），不能再次使用，请在本机重新配对",
                               "this key is already bound in this session ({who}): a key is bound once, pair again"),
    "pairing_desk.expired": ("配对已过期或主控台已重启，请到签到台重新获取登录码",
                             "this pairing expired or the console restarted: ask the check-in desk for a new code"),
    "pairing_desk.binding_not_for_member": ("本机出示的签名不是为 {member} 签署的（密钥被用于其他身份），已拒绝",
                                            "the binding presented is not this key's signature for {member} (a key "
                                            "presented for another member): refused"),
    "pairing_desk.checkin_refused": ("签到未被记录：{exc}",
                                     "the check-in was refused: {exc}"),
    # app/services/report.py
    "report.no_signature": ("请先手写签名",
                            "write the signature first"),
    "report.dissent_needs_reasons": ("有不同意见须书面说明理由（R-SIG-2）",
                                     "a dissent needs written reasons (R-SIG-2)"),
    "report.refusal_note_missing": ("请填写评标委员会对拒签的说明",
                                    "the committee's note on the refusal is empty"),
    "report.not_reproducible": ("评标报告无法从账本重现",
                                "the report cannot be reproduced from the ledger"),
    # app/services/room_hub.py
    "hub.not_started": ("评标室服务器尚未启动",
                        "the room hub has not started"),
    # app/services/checkin.py
    "checkin.not_drawn": ("{member} 不在本项目抽取的专家名单中",
                          "{member} is not on the drawn list"),
    "checkin.not_seated_here": ("{member} 不在本副场就座",
                                "{member} does not sit at this venue"),
    "checkin.already_checked_in": ("{member} 已完成签到",
                                   "{member} is already checked in"),
    "checkin.faces": ("照片中应只有签到专家一人（检测到 {count} 张人脸），请重新拍照",
                      "the photo must show exactly one face, it shows {count}"),
    "checkin.recused": ("{member} 已回避，不再发放登录码",
                        "{member} has recused: no login code"),
    "checkin.not_checked_in": ("{member} 尚未签到，请先核验身份并签到",
                               "{member} is not checked in yet"),
    "checkin.session_archived": ("会话已归档，不再发放登录码",
                                 "the session is archived: no login code"),
    "checkin.photo_unreadable": ("照片无法识别，请重新拍照",
                                 "the photo cannot be decoded"),
    # app/sync/pinning.py
    "pin.needs_https": ("固定评标室根证书需要 https:// 地址，而不是 {hub_url}",
                        "pinning the room CA needs an https:// hub URL, not {hub_url}"),
    "pin.bad_url": ("集线服务地址无效：{url}", "{exc}"),
    "pin.no_ca": ("集线服务 {hub_url} 未提供评标室根证书（{status}）",
                  "the hub at {hub_url} publishes no room CA ({status}: {body})"),
    "pin.not_paired": ("本机尚未与评标室配对（没有固定的评标室根证书）",
                       "this PC has not paired with a room yet (no pinned room CA {file})"),
    "pin.pair_first": ("本机尚未与评标室配对（没有固定的评标室根证书），请先配对",
                       "this PC has not paired with a room yet (no pinned room CA {file}): pair first"),
    "pin.host_not_named": ("集线服务的证书来自已固定的评标室根证书，但不含地址 {host}（请在主控台更新集线服务证书）",
                           "the hub's certificate is from the pinned room CA but does not name {host} ({reason}): "
                           "renew it on the console"),
    "pin.not_expected": ("集线服务 {hub_url} 的评标室根证书指纹 {fingerprint} 与预期的不一致",
                         "the room CA of {hub_url} ({fingerprint}) is not the expected one (SHA-256 {expected}…): "
                         "nothing pinned"),
    "pin.not_issued_by_ca": ("集线服务 {hub_url} 的证书不是它提供的评标室根证书签发的（或不含此地址），未固定",
                             "the hub's certificate is not issued by the room CA it publishes for this address "
                             "({reason}): nothing pinned"),
    "pin.not_a_ca": ("集线服务 {hub_url} 提供的不是根证书",
                     "the certificate {hub_url} publishes is not a CA"),
    # the Chinese shorter than the English: the English (str(), the logs) keeps the technical detail
    # app/services/pairing.py
    "pairing.hub_refused": ("评标室服务器拒绝了配对请求：{reason}",
                            "the room hub at {url} refused ({status_code}): {reason}"),
    "pairing.hub_unreachable": ("无法连接评标室服务器 {hub_url}，请检查网络和服务器地址",
                                "cannot reach the room hub at {hub_url}: {exc}"),
    "pairing.hub_lost": ("无法连接评标室服务器 {url}（{kind}），请检查网络和服务器地址",
                         "cannot reach the room hub at {url}: {kind}: {exc}"),
    "pairing.request_gone": ("评标室服务器已重启或配对请求已过期，请重新配对",
                             "the room hub at {url} restarted or the pairing request expired: pair again"),
    "pairing.not_a_hub": ("{url} 不是评标室服务器（没有配对服务）",
                          "{url} is not a room hub (no pairing service): {reason}"),
    # app/services/pairing_desk.py
    "pairing_desk.bad_key": ("配对请求中的公钥无效",
                             "the pairing request's key is not valid: {exc}"),
    # app/services/venues.py
    "venue.bad_console_key": ("副场主控台公钥不是有效的 PEM 公钥",
                              "the venue console key is not a PEM public key ({exc})"),
    "venue.key_file_unreadable": ("无法读取副场主控台公钥文件 {key_file}",
                                  "cannot read {key_file} ({strerror})"),
    "venue.room_key_unopenable": ("无法打开本机的评标室密钥 {key_file}（口令不符或文件损坏）",
                                  "cannot open the room key {key_file} (wrong passphrase or a damaged file: {exc})"),
    "venue.camera_no_picture": ("摄像头无法拍照",
                                "the camera gave no picture ({exc})"),
    "venue.photo_unreadable": ("无法读取照片文件 {path}",
                               "cannot read the photo {path} ({strerror})"),
    # app/services/room_hub.py
    "hub.no_answer": ("评标室服务器未能启动",
                      "the room hub at {url} does not answer"),
    # app/sync/pinning.py
    "pin.ca_unreadable": ("集线服务 {hub_url} 提供的评标室根证书无法读取",
                          "the room CA from {hub_url} is not a CA certificate: {exc}"),
    # app/domain/scoring.py: a typed score
    "score.not_decimal": ("“{text}”不是有效的分值，请输入数字", "\"{text}\" is not a decimal string"),
    "score.below_zero": ("分值不能小于 0（{criterion}）", "\"{text}\" is below the minimum 0"),
    "score.above_max": ("分值 {text} 超过本项满分 {max} 分（{criterion}）", "\"{text}\" is above the maximum {max}"),
    "score.off_step": ("分值 {text} 不符合本项的分值步长 {step}（{criterion}）",
                       "\"{text}\" is not a multiple of the step {step}"),
    # the arguments each language names differently
    "seat.not_this_member": ("本机只供 {paired} 使用，不能代 {member} 操作",
                             "this PC is paired for {paired} only, not {member}"),
    "desk.unknown_bidders": ("投标人 {bidders_zh} 不在本项目投标人名单中", "unknown bidder {bidders}"),
    "pairing.unknown_role": ("未知的身份 {role}", "unknown role {role_repr} (expected one of {roles})"),
    "pairing.unexpected_status": ("评标室服务器的应答无法识别", "unexpected pairing status {status}"),
    "pairing.unexpected_answer": ("评标室服务器的应答无法识别", "the room hub at {url} answered {body}"),
    "pairing.console_ca_mismatch": ("主控台的评标室根证书指纹 {offered} 与本机固定的 {pinned} 不一致，已拒绝配对",
                                    "the console's room CA {offered} is not the one this PC pinned ({pinned}): "
                                    "pairing refused"),
    "pairing_desk.code_for_supervisor": ("此登录码是发给监督人员的，请选择正确的身份",
                                         "this code was issued for a {issued}, not a {role}"),
    "pairing_desk.code_for_expert": ("此登录码是发给评标专家的，请选择正确的身份",
                                     "this code was issued for a {issued}, not a {role}"),
    "room.representative_may_not_chair": ("{name}为采购人代表，不得担任评标委员会组长（R-COM-7），请另行推选",
                                          "{member} is the purchaser's representative and may not chair (R-COM-7)"),
    "hub.no_room_key": ("主控台尚无评标室密钥", "no room key in {folder} (start the console first)"),
    "hub.did_not_start": ("评标室服务器未能启动（{listen}）", "the room hub did not start on {listen}: {log}"),
    # a pairing code refused (app/services/pairing_desk.py)
    "pairing_desk.wrong_code": ("登录码不正确，请向签到台工作人员核实",
                                "wrong pairing code: check it with the check-in desk"),
    "pairing_desk.wrong_code_left": ("登录码不正确，请向签到台工作人员核实（还可尝试 {left} 次）",
                                     "wrong pairing code: check it with the check-in desk ({left} attempts left)"),
    "pairing_desk.code_used": ("此登录码已使用过（一次性），请到签到台重新获取",
                               "this code has been used already (one-time): ask the check-in desk for a new one"),
    "pairing_desk.code_replaced": ("此登录码已作废（签到台已重新发放），请使用最新的登录码",
                                   "this code was replaced by a newer one issued at the check-in desk: use the newest "
                                   "code"),
    "pairing_desk.code_locked": ("此登录码尝试错误次数过多，已作废，请到签到台重新获取",
                                 "too many wrong attempts with this code: it is void, ask the check-in desk for a new "
                                 "one"),
    "pairing_desk.code_expired": ("登录码已过期，请到签到台重新获取",
                                  "the code has expired: ask the check-in desk for a new one"),
    "report.no_draft": ("尚未生成评标报告草稿", "no report draft yet"),
    "report.no_final": ("尚未生成评标报告定稿", "no report final yet"),
    "room.archive_not_built": ("归档包未生成：{problems}", "{exc}"),
    "venue.no_passphrase": ("评标室密钥口令未设置或无法读取：请设置环境变量 EVALROOM_KEY_PASSPHRASE，"
                            "或在设置文件中以 key_passphrase_file 指定保存口令的文件", "{exc}"),
}
