# Dot-sourced by every *.Tests.ps1 in BeforeAll (and BeforeDiscovery where test cases need it):
#   . (Join-Path $PSScriptRoot 'Support/Common.ps1')
# Gives the built module's path, the lab's address plan and control, and the test doubles shared by the files.
# The tests always import the module folder that the build assembled (out/PSUpnp/<version>), never the source tree.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Get-PSUpnpModulePath {
    [xml] $props = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'Directory.Build.props') -Raw
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    $path = Join-Path $script:RepoRoot "out/PSUpnp/$version/PSUpnp.psd1"
    if (-not (Test-Path -LiteralPath $path)) {
        throw "$path is missing: run ./build.ps1 -Task Build (or dotnet build) first."
    }
    $path
}

function Import-PSUpnp {
    Import-Module (Get-PSUpnpModulePath) -Force -Global
}

# lab.conf as a hashtable (KEY=VALUE lines), plus the namespaces of this run's prefix.
function Get-LabConfig {
    $conf = @{}
    foreach ($line in Get-Content -LiteralPath (Join-Path $script:RepoRoot 'tests/Lab/lab.conf')) {
        if ($line -match '^(\w+)=(.*)$') { $conf[$Matches[1]] = $Matches[2] }
    }
    $prefix = if ($env:PSUPNP_LAB_PREFIX) { $env:PSUPNP_LAB_PREFIX } else { $conf['DEFAULT_PREFIX'] }
    $conf['PREFIX'] = $prefix
    foreach ($role in 'LAN', 'LAN2', 'RTR', 'WAN') {
        $conf["NS_$role"] = '{0}-{1}' -f $prefix, $conf["NS_$($role)_SUFFIX"]
    }
    $conf['DESCRIPTION_URL'] = 'http://{0}:{1}/rootDesc.xml' -f $conf['RTR_LAN_IP'], $conf['MINIUPNPD_HTTP_PORT']
    $conf['STUN_SERVER'] = '{0}:{1}' -f $conf['WAN_IP1'], $conf['STUN_PORT']
    $conf
}

# True when this process runs in the lab's LAN namespace (bash tests/run runs the whole Pester suite there).
function Test-InLab {
    $conf = Get-LabConfig
    if (-not ((Test-Path variable:IsLinux) -and $IsLinux)) { return $false }
    $here = & ip netns identify $PID 2>$null
    $here -eq $conf['NS_LAN']
}

# Lab tests never skip: outside the lab they fail and say how to run them.
function Assert-InLab {
    if (-not (Test-InLab)) {
        throw "This test needs the network lab: run it through 'bash tests/run' (as root), which runs Pester inside the lab's LAN namespace."
    }
}

# lab.sh of this run's lab: nat MODE, loss N, miniupnpd restart, exec ROLE CMD...
function Invoke-Lab {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $output = & bash (Join-Path $script:RepoRoot 'tests/Lab/lab.sh') @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "lab.sh $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join ' ')"
    }
    $output
}

# Runs a script file in a new pwsh, as a scheduled task or cron would (-NoProfile -NonInteractive -File).
function Invoke-PwshFile {
    param([string] $Path, [string[]] $Arguments = @())
    $pwsh = (Get-Process -Id $PID).Path
    # pwsh installed as a .NET tool (tests/Tools/install.sh) runs as the dotnet host: its own launcher is in $PSHOME.
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
        $pwsh = Join-Path $PSHOME 'pwsh'
    }
    $output = & $pwsh -NoProfile -NonInteractive -File $Path @Arguments 2>&1
    [pscustomobject] @{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
}

# A gateway whose control URL points at a closed loopback port: any request that is really sent fails at once.
function New-DeadGateway {
    New-Object PSUpnp.UpnpGateway -ArgumentList @(
        'Dead router', 'Nobody', 'None', 'uuid:dead', 2, 'urn:schemas-upnp-org:service:WANIPConnection:2',
        [uri] 'http://127.0.0.1:9/ctl/IPConn', [uri] 'http://127.0.0.1:9/rootDesc.xml', $null, [ipaddress] '127.0.0.1')
}

function New-Mapping([int] $Port, [PSUpnp.PortMappingProtocol] $Protocol, $Gateway) {
    New-Object PSUpnp.UpnpPortMapping -ArgumentList @(
        $Gateway, $null, $Port, $Protocol, $Port, [ipaddress] '127.0.0.1', $true, 'Pester', [timespan]::FromHours(1), $null)
}
