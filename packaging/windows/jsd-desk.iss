; Inno Setup script: the Windows installer of JSD Desk, from the one-folder app PyInstaller built.
; Build on Windows (see packaging/README.md):
;   iscc /DAppVersion=0.1.0 packaging\windows\jsd-desk.iss
; → build\pkg\installer\jsd-desk-0.1.0-setup.exe
;
; Per user: no administrator rights asked (facilitators' laptops are often locked down); the
; program goes to %LOCALAPPDATA%\Programs\JSD Desk. The user's data live elsewhere, in
; %LOCALAPPDATA%\jsd-desk (platformdirs), and the uninstaller removes only what this installer
; put in {app}: there is no [UninstallDelete] entry and none may ever name the data folder.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (jsd-desk --version prints it)
#endif
#define AppName "JSD Desk"
#define Repo "..\.."

[Setup]
; A fixed AppId keeps upgrades in place (never change it).
AppId={{6E0B7C52-3A5D-4F0E-9E51-1F7A8C2D4B90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=JSD Desk team
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir={#Repo}\build\pkg\installer
OutputBaseFilename=jsd-desk-{#AppVersion}-setup
SetupIconFile={#Repo}\resources\icons\jsd-desk.ico
UninstallDisplayIcon={app}\jsd-desk-gui.exe
UninstallDisplayName={#AppName}
LicenseFile={#Repo}\packaging\windows\LICENSE.txt
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Repo}\build\pkg\dist\jsd-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\jsd-desk-gui.exe"; IconFilename: "{app}\jsd-desk-gui.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\jsd-desk-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\jsd-desk-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program's own folder (files PyInstaller may have left, e.g. __pycache__): never the
; data folder %LOCALAPPDATA%\jsd-desk, which holds the user's encrypted store and backups.
Type: filesandordirs; Name: "{app}\_internal"
