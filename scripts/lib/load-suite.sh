# Sourced by the scripts that run the load suite: builds it in Release when the build is missing or older than the
# sources it depends on, and names the dll.
LOAD_DLL=loadtests/ChatLoad.LoadTests/bin/Release/net10.0/ChatLoad.LoadTests.dll

ensure_load_suite_built() {
  if [ ! -f "$LOAD_DLL" ] || [ -n "$(find loadtests server/ChatLoad.Irc common Directory.Build.props \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer "$LOAD_DLL" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
    echo "building the load suite (Release)..." >&2
    dotnet build loadtests/ChatLoad.LoadTests/ChatLoad.LoadTests.csproj -c Release -nologo -v q >&2
  fi
}
