# The demo's PowerShell half, run by tests/Lab/demo inside the lab's LAN host (the PC behind the router): the real
# cmdlets of the built module, each shown as typed and answered with its own formatted output (tables, -WhatIf,
# warnings). The internet host's side uses the lab's TCP probe (tests/Lab's PSUpnp.Lab tool).
param(
    # PSUpnp.Lab.dll, whose tcp-listen and tcp-connect prove that a connection crosses the router.
    [Parameter(Mandatory)] [string] $Probe,
    [int] $Port = 8080
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot '../Pester/Support/Common.ps1')
# A log or a test reads this when it is redirected: no colour codes, and the width of a usual terminal (120 columns)
# instead of the 80 that pwsh assumes without one. In a terminal, the terminal's own width and colours.
$redirected = [Console]::IsOutputRedirected
if ($redirected) {
    $PSStyle.OutputRendering = 'PlainText'
}

$lab = Get-LabConfig
$token = 'hello-from-the-lan'

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host "== $Text" -ForegroundColor Cyan
}

# Shows a command as an admin types it, then runs it here and lets PowerShell format its output.
function Invoke-Shown([string] $Command) {
    Write-Host "PS> $Command" -ForegroundColor Yellow
    $typed = [scriptblock]::Create($Command)
    if ($redirected) {
        & $typed | Out-String -Width 120 -Stream | Write-Host
    } else {
        & $typed | Out-Host
    }
}

# The internet host's side of the proof: exit code 0 when it read the listener's token through the router.
function Test-FromInternet([string] $ExpectToken, [int] $TimeoutSec) {
    & ip netns exec $lab['NS_WAN'] dotnet $Probe tcp-connect $lab['RTR_WAN_IP'] $Port --expect-token $ExpectToken --timeout $TimeoutSec 2>$null | Out-Null
    $LASTEXITCODE -eq 0
}

Import-PSUpnp
Write-Host "pwsh $($PSVersionTable.PSVersion), module PSUpnp $((Get-Module PSUpnp).Version) from $(Split-Path (Get-PSUpnpModulePath))"

Write-Step 'Find the router: SSDP multicast, and unicast to the default gateway'
Invoke-Shown 'Find-UpnpGateway'

Write-Step 'Its address on the internet'
Invoke-Shown 'Get-UpnpExternalAddress'

Write-Step "A service on this PC listens on TCP $Port; from the internet host, $($lab['RTR_WAN_IP']):$Port is closed"
if (Test-FromInternet -ExpectToken 'nothing' -TimeoutSec 2) {
    throw "unexpected: $($lab['RTR_WAN_IP']):$Port is open before any mapping"
}
Write-Host 'closed, as expected'
$listenerLog = [IO.Path]::GetTempFileName()
$listener = Start-Process dotnet -ArgumentList $Probe, 'tcp-listen', $Port, '--token', $token, '--timeout', 60 -NoNewWindow -PassThru `
    -RedirectStandardOutput $listenerLog -RedirectStandardError "$listenerLog.err"
try {
    # The listener is a process of its own whose start takes a while on a busy machine: the internet host connects
    # only once it really listens (ss runs here, in the PC's namespace).
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (& ss -Hltn "sport = :$Port")) {
        if ($listener.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "the listener on TCP $Port did not start: $(Get-Content -Raw "$listenerLog.err")" }
        Start-Sleep -Milliseconds 50
    }

    Write-Step 'Open the port: first ask what would happen, then do it'
    Invoke-Shown "Add-UpnpPortMapping -ExternalPort $Port -Description demo -LeaseDuration 00:10:00 -WhatIf"
    Invoke-Shown "Add-UpnpPortMapping -ExternalPort $Port -Description demo -LeaseDuration 00:10:00"

    Write-Step "The router's table"
    Invoke-Shown 'Get-UpnpPortMapping'

    Write-Step "From the internet host ($($lab['WAN_IP1'])), connect to $($lab['RTR_WAN_IP']):$Port"
    if (-not (Test-FromInternet -ExpectToken $token -TimeoutSec 10)) {
        throw 'the internet host did not reach the listener through the mapping'
    }
    $listener.WaitForExit()
    Write-Host "the listener on this PC was reached from $((Get-Content -LiteralPath $listenerLog) -join ' ')"
    Write-Host 'the connection from the internet reached the listener on the PC through the mapping'
} finally {
    # A demo stopped half-way leaves no listener behind in a namespace about to be deleted.
    if (-not $listener.HasExited) { $listener.Kill() }
    Remove-Item -LiteralPath $listenerLog, "$listenerLog.err" -ErrorAction SilentlyContinue
}

Write-Step 'The router restarts and forgets its mappings; the renewal a scheduled task runs puts it back, and says so'
Invoke-Lab miniupnpd restart | Out-Null
Invoke-Shown "Add-UpnpPortMapping -ExternalPort $Port -Description demo -LeaseDuration 00:10:00 -Renew"

Write-Step 'Close it again'
Invoke-Shown "Get-UpnpPortMapping -ExternalPort $Port | Remove-UpnpPortMapping"
Invoke-Shown 'Get-UpnpPortMapping'
Write-Host "mappings left: $(@(Get-UpnpPortMapping).Count)"

Write-Step "Why is TCP $Port not reachable? One cmdlet checks the router, the address, the mapping and this PC"
Invoke-Shown "Test-UpnpPortMapping -ExternalPort $Port -StunServer $($lab['STUN_SERVER'])"

Write-Step 'IPv6 has no NAT: the router''s firewall opens a pinhole to this PC instead, beside the IPv4 mapping'
Invoke-Shown "Add-UpnpPortMapping -ExternalPort $Port -AddressFamily Both -Description demo -LeaseDuration 00:10:00"
Invoke-Shown "Get-UpnpPortMapping -ExternalPort $Port | Remove-UpnpPortMapping -PassThru"

Write-Step 'The router''s UPnP is switched off: the same commands go by PCP (or NAT-PMP), which it still answers'
Invoke-Lab field upnp-off | Out-Null
Invoke-Shown 'Find-UpnpGateway'
Invoke-Shown "Add-UpnpPortMapping -ExternalPort $Port -LeaseDuration 00:10:00 | Format-List Method, Protocol, ExternalPort, InternalClient, LeaseDuration, ExternalAddress"
Invoke-Shown "Remove-UpnpPortMapping -ExternalPort $Port -Protocol TCP"
Invoke-Lab field normal | Out-Null

Write-Step "What NAT stands between this PC and the internet (STUN server $($lab['STUN_SERVER']))"
Invoke-Shown "Test-NatType -Server $($lab['STUN_SERVER'])"
