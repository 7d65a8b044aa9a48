; 短信精灵 Windows installer (NSIS 3, Unicode). Built by `python installer/build.py`, which passes:
;   -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DBUNDLE=dist\smsjingling -DOUTFILE=dist\smsjingling-setup-0.1.0.exe
;   -DICON=build\installer\smsjingling.ico
; (the version lives only in pyproject.toml).
;
; Per user, no administrator rights: the program goes to %LOCALAPPDATA%\Programs\SMSJingling, shortcuts to the
; user's Start menu and desktop, the uninstall entry to HKCU. The user's data (database, logs, window layout)
; lives apart, in %LOCALAPPDATA%\SMSJingling (or, in portable mode, the `data` folder beside the program), so
; installing a newer version over an older one replaces the program and keeps the data; the program upgrades the
; database itself on its next start, after copying it to a backup.
;
; For IT:  smsjingling-setup-X.Y.Z.exe /S [/D=C:\path\without\quotes]     silent install (/D= must come last)
;          uninstall.exe /S                                                  silent uninstall, data kept
;          uninstall.exe /S /DELETEDATA                                      silent uninstall, data deleted too
;                (and the program's passwords, gateway keys and SIM PINs in Windows Credential Manager)

!ifdef AMD64
  ; A 64-bit installer (-DAMD64), where this NSIS has the 64-bit stubs (Debian's has; the official Windows
  ; build has only the 32-bit ones, which install the 64-bit program just as well).
  Target amd64-unicode
!endif
Unicode true
ManifestDPIAware true
!ifdef NOCOMPRESS
  ; A quick check that the script compiles (build.py off Windows): the data is stored, not compressed.
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!macro Require NAME
  !ifndef ${NAME}
    !error "${NAME} is not defined: run python installer/build.py, which passes VERSION, VERSION4, BUNDLE, OUTFILE and ICON."
  !endif
!macroend
!insertmacro Require VERSION
!insertmacro Require VERSION4
!insertmacro Require BUNDLE
!insertmacro Require OUTFILE
!insertmacro Require ICON

!define APP_ID "SMSJingling"
!define PRODUCT "短信精灵"
!define PUBLISHER "短信精灵 developers"
!define GUI_EXE "smsjingling.exe"
!define CONSOLE_EXE "smsjingling-console.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\${APP_ID}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
; An upgrade goes where the last install went, even if the user chose another folder then.
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} ${VERSION} setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "© ${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPageShow un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

Var DataFolder
Var DeleteData
Var DeleteCheckbox

; The first language is the default; Windows in English gets English, any other language Chinese.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString RunNow ${LANG_SIMPCHINESE} "启动短信精灵"
LangString RunNow ${LANG_ENGLISH} "Start 短信精灵 (SMS Jingling)"
LangString StillRunning ${LANG_SIMPCHINESE} "短信精灵正在运行。请先退出它（包括托盘图标），再点“重试”。"
LangString StillRunning ${LANG_ENGLISH} "短信精灵 is running. Quit it (the tray icon too), then click Retry."
LangString DataTitle ${LANG_SIMPCHINESE} "用户数据"
LangString DataTitle ${LANG_ENGLISH} "User data"
LangString DataSubtitle ${LANG_SIMPCHINESE} "通讯录、发送记录和设置是否一并删除"
LangString DataSubtitle ${LANG_ENGLISH} "Whether contacts, send records and settings go too"
LangString DataText ${LANG_SIMPCHINESE} "卸载只删除程序。通讯录、发送记录、审计日志和设置保存在：$\r$\n$\r$\n$DataFolder$\r$\n$\r$\n默认保留，重新安装后可继续使用。发送记录可能须按规定保存至少六个月。"
LangString DataText ${LANG_ENGLISH} "Uninstalling removes the program only. Contacts, send records, the audit log and settings are kept in:$\r$\n$\r$\n$DataFolder$\r$\n$\r$\nThey stay unless you tick the box, and a new install uses them again. Send records may have to be kept for at least six months."
LangString DataDelete ${LANG_SIMPCHINESE} "同时删除我的数据（无法恢复）"
LangString DataDelete ${LANG_ENGLISH} "Also delete my data (cannot be undone)"
LangString StartMenuUninstall ${LANG_SIMPCHINESE} "卸载短信精灵"
LangString StartMenuUninstall ${LANG_ENGLISH} "Uninstall 短信精灵"

; Stops (or, silent, fails with exit code 2) while a copy of the program runs: its files cannot be replaced or
; removed then. A running .exe cannot be opened for writing, which is the test.
!macro WaitUntilClosed UN
Function ${UN}WaitFor  ; $R2: the program file
  ${DoWhile} ${FileExists} $R2
    ClearErrors
    FileOpen $R3 $R2 a
    ${IfNot} ${Errors}
      FileClose $R3
      ${Break}
    ${EndIf}
    ${If} ${Silent}
      SetErrorLevel 2
      Quit
    ${EndIf}
    ${IfNot} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" IDRETRY`
      Quit
    ${EndIf}
  ${Loop}
FunctionEnd

Function ${UN}WaitUntilClosed
  StrCpy $R2 "$INSTDIR\${GUI_EXE}"
  Call ${UN}WaitFor
  StrCpy $R2 "$INSTDIR\${CONSOLE_EXE}"
  Call ${UN}WaitFor
FunctionEnd
!macroend
!insertmacro WaitUntilClosed ""
!insertmacro WaitUntilClosed "un."

; Where the program keeps the user's data (smsjingling/paths.py): the `data` folder beside the program when a
; `portable` file is there, else the per-user data folder.
!macro FindDataFolder
  ${If} ${FileExists} "$INSTDIR\portable"
    StrCpy $DataFolder "$INSTDIR\data"
  ${Else}
    StrCpy $DataFolder "$LOCALAPPDATA\${APP_ID}"
  ${EndIf}
!macroend

Function .onInit
  SetShellVarContext current
FunctionEnd

Section "!${PRODUCT}" SecMain
  SectionIn RO
  SetShellVarContext current
  Call WaitUntilClosed
  SetOutPath "$INSTDIR"
  ; An upgrade: the old program files go first, so nothing of the old version stays behind. The data (a
  ; portable install's `data` folder and `portable` marker included) is left alone.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CONSOLE_EXE}"
  File /r "${BUNDLE}/*"

  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${GUI_EXE}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\$(StartMenuUninstall).lnk" "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${GUI_EXE}"

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${SETTINGS_KEY}" "Version" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT} (SMS Jingling)"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Function un.onInit
  SetShellVarContext current
  !insertmacro FindDataFolder
  StrCpy $DeleteData 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DELETEDATA" $R1
  ${IfNot} ${Errors}
    StrCpy $DeleteData 1
  ${EndIf}
FunctionEnd

Function un.DataPageShow
  !insertmacro MUI_HEADER_TEXT "$(DataTitle)" "$(DataSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 60% "$(DataText)"
  Pop $0
  ${NSD_CreateCheckbox} 0 65% 100% 12u "$(DataDelete)"
  Pop $DeleteCheckbox
  ${If} $DeleteData == 1
    ${NSD_Check} $DeleteCheckbox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DeleteCheckbox $DeleteData
  ${If} $DeleteData == ${BST_CHECKED}
    StrCpy $DeleteData 1
  ${Else}
    StrCpy $DeleteData 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.WaitUntilClosed
  ${If} $DeleteData == 1
    ; The secrets are not in the data folder: database passwords, gateway keys and SIM PINs are entries in
    ; Windows Credential Manager. The program removes its own (`secrets forget-all`) while it and its database
    ; (which names them) are still there; nsExec, one of NSIS's own plugins, runs it without a console window.
    ; Its exit code is logged, not checked: the uninstall goes on either way.
    DetailPrint "${CONSOLE_EXE} --cli secrets forget-all"
    nsExec::ExecToLog '"$INSTDIR\${CONSOLE_EXE}" --cli secrets forget-all'
    Pop $0
    DetailPrint "exit code $0"
  ${EndIf}
  Delete "$DESKTOP\${PRODUCT}.lnk"
  RMDir /r "$SMPROGRAMS\${PRODUCT}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CONSOLE_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  ${If} $DeleteData == 1
    RMDir /r "$DataFolder"
    Delete "$INSTDIR\portable"
  ${EndIf}
  ; Only when empty: a portable install's data (kept) keeps its folder.
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd
