@echo off
rem Drop a pipeline (.yaml) on this file to run it; double-click it to run the sample.
rem torimatome.exe shows its progress and summary in this window and opens the book
rem when it is written. Kept to ASCII: cmd reads a batch file in the console code page.
setlocal
set "HERE=%~dp0"
set "PIPELINE=%~1"
if "%PIPELINE%"=="" set "PIPELINE=%HERE%pipelines\minato.yaml"
"%HERE%torimatome.exe" run "%PIPELINE%" --open
set "CODE=%ERRORLEVEL%"
echo.
pause
exit /b %CODE%
