#!/usr/bin/env bash
# Installs (or reuses) the PowerShell tools of the test run into .tools/ at the repository's root (git-ignored):
# pwsh as a .NET tool and Pester as a NuGet package, at the versions in tools.conf; nothing from the Gallery.
# Sourced, it also sets PSUPNP_PWSH and PSUPNP_PESTER (the paths of pwsh and of Pester.psd1).
# Run it alone to install: bash tests/Tools/install.sh
set -euo pipefail

_tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_tools_root=$(cd "$_tools_dir/../.." && pwd)
# shellcheck source=tools.conf
. "$_tools_dir/tools.conf"

export PSUPNP_TOOLS="$_tools_root/.tools"
export PSUPNP_PWSH="$PSUPNP_TOOLS/pwsh/pwsh"
export PSUPNP_PESTER="$PSUPNP_TOOLS/packages/pester/$PESTER_VERSION/tools/Pester.psd1"

_pwsh_version() { "$PSUPNP_PWSH" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true; }

if [[ ! -x $PSUPNP_PWSH || $(_pwsh_version) != "$PWSH_VERSION" ]]; then
    echo "== install pwsh $PWSH_VERSION into $PSUPNP_TOOLS/pwsh"
    rm -rf "$PSUPNP_TOOLS/pwsh"
    dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$PSUPNP_TOOLS/pwsh" >/dev/null
    [[ $(_pwsh_version) == "$PWSH_VERSION" ]] || { echo "tests/Tools/install.sh: pwsh $PWSH_VERSION did not install" >&2; exit 1; }
fi

if [[ ! -f $PSUPNP_PESTER ]]; then
    echo "== restore Pester $PESTER_VERSION into $PSUPNP_TOOLS/packages"
    dotnet restore "$_tools_dir/Pester.csproj" -p:PesterVersion="$PESTER_VERSION" --packages "$PSUPNP_TOOLS/packages" \
        -v quiet -nologo >/dev/null
    [[ -f $PSUPNP_PESTER ]] || { echo "tests/Tools/install.sh: Pester $PESTER_VERSION did not restore" >&2; exit 1; }
fi
