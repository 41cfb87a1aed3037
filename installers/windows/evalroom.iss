;; EvalRoom 评标室 — Inno Setup 6 script (per-machine install of the PyInstaller bundle).
;;
;; Build on Windows: `make dist` (or the same PyInstaller command) gives dist\evalroom\, then
;;   iscc installers\windows\evalroom.iss            ->  dist\evalroom-<version>-setup.exe
;; The [Files] source is that bundle folder as PyInstaller writes it (evalroom.exe + _internal\); the tests in
;; tests/installers check it against installers/pyinstaller/evalroom.spec and the Makefile's `dist` target.
;;
;; Data: sessions, archives, keys, logs and the settings file live in the per-user data and config folders
;; (platformdirs: %LOCALAPPDATA%\EvalRoom\EvalRoom) or wherever the settings' data_folder points, never under
;; {app}. The uninstaller removes only what it installed ({app}); it never deletes the data folder, so
;; session data and archives survive an uninstall and a reinstall or upgrade finds them again.
;;
;; Languages: Simplified Chinese first, English. ChineseSimplified.isl ships with current Inno Setup 6 releases;
;; with an older 6.x put it into the compiler's Languages folder (https://jrsoftware.org/files/istrans/).

#define AppName "EvalRoom 评标室"
#define AppVersion "0.1.0"
#define AppExe "evalroom.exe"
#define BundleDir "..\..\dist\evalroom"

[Setup]
AppId={{5B0C2E7A-6D43-4F0B-9C2E-2B6A1E0F7D31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=EvalRoom
DefaultDirName={autopf}\EvalRoom
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per-machine: Program Files, shortcuts for all users, needs administrator rights
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=evalroom-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\evalroom.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.ConsoleName=评标室主控
chinesesimplified.WorkstationName=专家评审终端
chinesesimplified.SupervisorName=现场监督
chinesesimplified.VenueName=副场主控台
chinesesimplified.DemoName=演示
chinesesimplified.ConsoleComment=开标、签到、组建评标委员会与汇总
chinesesimplified.WorkstationComment=评标专家的评审与打分终端
chinesesimplified.SupervisorComment=现场监督：进度、事件记录、监控、中止与恢复
chinesesimplified.VenueComment=远程异地评标的副场主控台：本场专家签到、与主场的链路和消息
chinesesimplified.DemoComment=演示会话，三个角色在一个窗口中
chinesesimplified.DesktopIcons=在桌面上创建快捷方式
english.ConsoleName=EvalRoom Console
english.WorkstationName=EvalRoom Expert Workstation
english.SupervisorName=EvalRoom Supervisor
english.VenueName=EvalRoom Remote Venue Console
english.DemoName=EvalRoom Demo
english.ConsoleComment=Bid opening, check-in, committee and summary
english.WorkstationComment=An expert's review and scoring terminal
english.SupervisorComment=On-site supervision: progress, ledger, cameras, pause and resume
english.VenueComment=A remote venue's console in a cross-region evaluation: its experts' check-in, the link and messages to the main venue
english.DemoComment=The demo session with all roles in one window
english.DesktopIcons=Create desktop shortcuts

[Tasks]
Name: "desktopicons"; Description: "{cm:DesktopIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}\{cm:ConsoleName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode console"; WorkingDir: "{app}"; Comment: "{cm:ConsoleComment}"
Name: "{autoprograms}\{#AppName}\{cm:WorkstationName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode workstation"; WorkingDir: "{app}"; Comment: "{cm:WorkstationComment}"
Name: "{autoprograms}\{#AppName}\{cm:SupervisorName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode supervisor"; WorkingDir: "{app}"; Comment: "{cm:SupervisorComment}"
Name: "{autoprograms}\{#AppName}\{cm:VenueName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode venue"; WorkingDir: "{app}"; Comment: "{cm:VenueComment}"
Name: "{autoprograms}\{#AppName}\{cm:DemoName}"; Filename: "{app}\{#AppExe}"; Parameters: "demo"; WorkingDir: "{app}"; Comment: "{cm:DemoComment}"
Name: "{autodesktop}\{cm:ConsoleName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode console"; WorkingDir: "{app}"; Tasks: desktopicons
Name: "{autodesktop}\{cm:WorkstationName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode workstation"; WorkingDir: "{app}"; Tasks: desktopicons
Name: "{autodesktop}\{cm:SupervisorName}"; Filename: "{app}\{#AppExe}"; Parameters: "--mode supervisor"; WorkingDir: "{app}"; Tasks: desktopicons

[InstallDelete]
; an upgrade replaces the bundle's library folder whole (no stale modules from the previous release)
Type: filesandordirs; Name: "{app}\_internal"

[UninstallDelete]
; only the program folder: Python may leave caches next to the bundle. Never the data folder (see the top).
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
