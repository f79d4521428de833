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
    $pwsh, $first = Get-PwshInvocation
    $output = & $pwsh @first -NoProfile -NonInteractive -File $Path @Arguments 2>&1
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

# A gateway object as discovery would return it, but whose control URL is the given one (a closed port, a silent or
# canned listener in the lab): what a cmdlet does with a gateway that misbehaves, without touching the real router.
function New-LabGateway([uri] $ControlUrl, [string] $ServiceType = 'urn:schemas-upnp-org:service:WANIPConnection:2') {
    $local = (Get-LabConfig)['LAN_IP']
    New-Object PSUpnp.UpnpGateway -ArgumentList @(
        'Lab double', 'Pester', 'None', 'uuid:pester-double', 2, $ServiceType,
        $ControlUrl, [uri] "http://$($ControlUrl.Authority)/rootDesc.xml", $null, [ipaddress] $local)
}

# A TCP listener on this host that plays a device. With -Response it answers every request (read to its end) with
# those bytes and closes; without, it accepts nothing and says nothing (the kernel completes the handshake), which is
# a device that hangs. Url is http://address:port; .Listener and .Pending() are there to watch it; stop it with
# Stop-FakeHttpServer.
function Start-FakeHttpServer {
    param([Parameter(Mandatory)] [string] $Address, [string] $Response)
    $listener = [System.Net.Sockets.TcpListener]::new([ipaddress] $Address, 0)
    $listener.Start()
    $server = [pscustomobject] @{
        Listener   = $listener
        Url        = 'http://{0}:{1}' -f $Address, $listener.LocalEndpoint.Port
        PowerShell = $null
    }
    if ($PSBoundParameters.ContainsKey('Response')) {
        $server.PowerShell = [powershell]::Create()
        $null = $server.PowerShell.AddScript({
            param($Listener, [byte[]] $Bytes)
            while ($true) {
                try { $client = $Listener.AcceptTcpClient() } catch { return }
                try {
                    $stream = $client.GetStream()
                    $stream.ReadTimeout = 10000
                    # Read the whole request (head, then Content-Length bytes) so that closing sends FIN, not RST.
                    $head = [System.Text.StringBuilder]::new()
                    while (-not $head.ToString().EndsWith("`r`n`r`n")) {
                        $b = $stream.ReadByte()
                        if ($b -lt 0) { break }
                        $null = $head.Append([char] $b)
                    }
                    $length = if ($head.ToString() -match '(?im)^Content-Length:\s*(\d+)') { [int] $Matches[1] } else { 0 }
                    for ($i = 0; $i -lt $length -and $stream.ReadByte() -ge 0; $i++) { }
                    $stream.Write($Bytes, 0, $Bytes.Length)
                }
                catch { }
                finally { $client.Dispose() }
            }
        }).AddArgument($listener).AddArgument([System.Text.Encoding]::UTF8.GetBytes($Response))
        $null = $server.PowerShell.BeginInvoke()
    }
    $server
}

function Stop-FakeHttpServer($Server) {
    if (-not $Server) { return }
    $Server.Listener.Stop()
    if ($Server.PowerShell) {
        # Stopping the listener ends its accept loop; Stop() only waits for that.
        $Server.PowerShell.Stop()
        $Server.PowerShell.Dispose()
    }
}

# An HTTP response as a device would send it: status line, headers and body (Content-Length from the body unless given).
function New-HttpResponse([string] $Status = '200 OK', [string] $Body = '', [string] $ContentType = 'text/xml; charset="utf-8"', [string] $ContentLength) {
    $length = if ($ContentLength) { $ContentLength } else { [System.Text.Encoding]::UTF8.GetByteCount($Body) }
    "HTTP/1.1 $Status`r`nContent-Type: $ContentType`r`nContent-Length: $length`r`nConnection: close`r`n`r`n$Body"
}

# Waits until the condition holds, checking every 50 ms; throws with the reason when it does not within the bound.
# The bound is generous on purpose: it only decides when to give up, it is not what a test asserts.
function Wait-Until {
    param([Parameter(Mandatory)] [scriptblock] $Condition, [Parameter(Mandatory)] [string] $Because, [double] $TimeoutSec = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Waited $TimeoutSec s for $Because, in vain." }
        Start-Sleep -Milliseconds 50
    }
}

# The UDP or TCP sockets this process holds, as inode numbers (Linux: the socket inodes of /proc/self/fd found in
# /proc/net/<proto>): after Ctrl+C, none left of those a command opened proves that nothing is left listening or sending.
function Get-OwnSocket([ValidateSet('udp', 'tcp')] [string] $Protocol) {
    $inodes = [System.Collections.Generic.HashSet[string]]::new()
    foreach ($fd in Get-ChildItem -LiteralPath "/proc/$PID/fd" -ErrorAction SilentlyContinue) {
        if ($fd.LinkTarget -match '^socket:\[(\d+)\]$') { $null = $inodes.Add($Matches[1]) }
    }
    foreach ($table in "/proc/net/$Protocol", "/proc/net/$($Protocol)6") {
        if (-not (Test-Path -LiteralPath $table)) { continue }
        foreach ($line in Get-Content -LiteralPath $table | Select-Object -Skip 1) {
            $fields = $line.Trim() -split '\s+'
            # Field 10 is the inode; listening and connected sockets alike.
            if ($fields.Count -gt 9 -and $inodes.Contains($fields[9])) {
                [pscustomobject] @{ Inode = $fields[9]; Local = $fields[1]; Remote = $fields[2] }
            }
        }
    }
}

# The sockets of Get-OwnSocket that were not there before (a list of inodes taken earlier).
function Get-NewSocket([ValidateSet('udp', 'tcp')] [string] $Protocol, [object[]] $Before) {
    $known = @($Before | ForEach-Object Inode)
    @(Get-OwnSocket $Protocol | Where-Object { $known -notcontains $_.Inode })
}

# Waits until every socket opened since $Before is closed; the error names those still open (hex address:port).
function Wait-SocketsClosed([ValidateSet('udp', 'tcp')] [string] $Protocol, [object[]] $Before, [double] $TimeoutSec = 30) {
    try {
        Wait-Until -TimeoutSec $TimeoutSec -Because "the $Protocol sockets opened since to close" { @(Get-NewSocket $Protocol $Before).Count -eq 0 }
    }
    catch {
        $open = (Get-NewSocket $Protocol $Before | ForEach-Object { "$($_.Local)->$($_.Remote)" }) -join ', '
        throw "$($_.Exception.Message) Still open: $open"
    }
}

# A packet counter on the lab router (its own nftables table, hooked before NAT and the lab's drop rules): what the
# router sees of a test's traffic. $Match is an nft match such as 'ip saddr 192.168.77.10 udp dport 1900'.
function Start-RouterPacketCounter([string] $Name, [string] $Match) {
    Stop-RouterPacketCounter $Name
    $rules = "table inet $Name {`n chain watch {`n type filter hook prerouting priority -400; policy accept;`n $Match counter`n }`n}"
    $file = Join-Path ([IO.Path]::GetTempPath()) "$Name-$PID.nft"
    Set-Content -LiteralPath $file -Value $rules
    try { $null = Invoke-Lab exec rtr nft -f $file } finally { Remove-Item -LiteralPath $file -Force }
}

function Get-RouterPacketCount([string] $Name) {
    $text = (Invoke-Lab exec rtr nft list table inet $Name) -join "`n"
    if ($text -notmatch 'counter packets (\d+)') { throw "No counter in the router's table $($Name): $text" }
    [int] $Matches[1]
}

function Stop-RouterPacketCounter([string] $Name) {
    $tables = (Invoke-Lab exec rtr nft list tables) -join "`n"
    if ($tables -match "inet $Name\b") { $null = Invoke-Lab exec rtr nft delete table inet $Name }
}

# A [powershell] instance in this process with the built module imported, running $Script with $Arguments; the
# caller reads its streams and state, and disposes it.
# The module comes with the session state, not as a first statement: a batch of statements, stopped and disposed,
# runs its next statement on a closed runspace and takes the whole process down.
function Start-ModulePowerShell([scriptblock] $Script, [hashtable] $Parameters = @{}) {
    $state = [initialsessionstate]::CreateDefault2()
    $state.ImportPSModule([string[]] @(Get-PSUpnpModulePath))
    $ps = [powershell]::Create($state)
    $null = $ps.AddScript($Script.ToString()).AddParameters($Parameters)
    $ps
}

# upnpc -l against the lab router, run in the lab's LAN namespace: the table as an independent client sees it.
function Invoke-UpnpcList {
    $conf = Get-LabConfig
    & ip netns exec $conf['NS_LAN'] upnpc -u $conf['DESCRIPTION_URL'] -l 2>&1
}

# The port mappings the lab router holds, as miniupnpc's upnpc -l lists them (an independent client's view).
function Get-UpnpcMapping {
    foreach ($line in Invoke-UpnpcList) {
        if ($line -match "^\s*\d+\s+(TCP|UDP)\s+(\d+)->([\d.]+):(\d+)\s+'([^']*)'") {
            [pscustomobject] @{
                Protocol = $Matches[1]; ExternalPort = [int] $Matches[2]; InternalClient = $Matches[3]
                InternalPort = [int] $Matches[4]; Description = $Matches[5]
            }
        }
    }
}

# Ctrl+C on a running [powershell] instance: how long its Stop() took to return.
function Measure-Stop([powershell] $PowerShell) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $PowerShell.Stop()
    $watch.Elapsed
}

# How to start another pwsh like this one: the executable, and the pwsh.dll to give it when this pwsh runs as a .NET
# tool (dotnet pwsh.dll ..., where the process path is dotnet's). Use: $exe, $first = Get-PwshInvocation; & $exe @first ...
function Get-PwshInvocation {
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        return $exe, @(Join-Path $PSHOME 'pwsh.dll')
    }
    $exe, @()
}

# The targets a -WhatIf run says it would act on, for one operation ("Add port mapping"). PowerShell writes "What if:"
# lines to the host only, so they are read from a transcript of the call. Variables of the caller stay visible to
# $Script; give it a hashtable to bring back what it collects (-ErrorVariable and the like).
function Get-WhatIfTarget {
    param([string] $Operation, [scriptblock] $Script)
    $transcriptPath = Join-Path ([IO.Path]::GetTempPath()) "psupnp-whatif-$PID-$([guid]::NewGuid().ToString('n')).txt"
    $null = Start-Transcript -LiteralPath $transcriptPath -UseMinimalHeader
    try {
        $null = & $Script
    }
    finally {
        $null = Stop-Transcript
    }
    $lines = Get-Content -LiteralPath $transcriptPath
    Remove-Item -LiteralPath $transcriptPath
    $pattern = '^What if: Performing the operation "{0}" on target "(.*)"\.$' -f [regex]::Escape($Operation)
    @($lines | Where-Object { $_ -match $pattern } | ForEach-Object { $Matches[1] })
}

# A gateway on the lab's LAN that nobody answers for (an unused address of LAN_SUBNET): requests to it time out.
function New-SilentLabGateway {
    $conf = Get-LabConfig
    $silent = $conf['LAN_SUBNET'] -replace '\.\d+/\d+$', '.99'
    New-Object PSUpnp.UpnpGateway -ArgumentList @(
        'Silent', 'Nobody', 'None', 'uuid:silent', 2, 'urn:schemas-upnp-org:service:WANIPConnection:2',
        [uri] "http://${silent}:$($conf['MINIUPNPD_HTTP_PORT'])/ctl/IPConn", [uri] "http://${silent}:$($conf['MINIUPNPD_HTTP_PORT'])/rootDesc.xml",
        $null, [ipaddress] $conf['LAN_IP'])
}

# Runs a PSUpnp command in a new pwsh in the lab's WAN namespace, where no UPnP gateway answers, and returns the
# FullyQualifiedErrorId of the terminating error it ends with (nothing when it does not end with one).
function Get-ErrorIdWhereNoGatewayAnswers([string] $Command) {
    $conf = Get-LabConfig
    $pwsh, $prefix = Get-PwshInvocation
    $script = "Import-Module '$(Get-PSUpnpModulePath)'; try { $Command } catch { `$_.FullyQualifiedErrorId }"
    & ip netns exec $conf['NS_WAN'] $pwsh @prefix -NoProfile -NonInteractive -Command $script
}

# What `upnpc -l` prints for the lab router, as one text (Get-UpnpcMapping parses the same listing into objects).
function Get-UpnpcListing {
    (Invoke-UpnpcList) -join "`n"
}

# Removes what a lab test may have left on the lab router: every mapping of the external ports given.
# The session's gateway cache is internal to the module: a test that changes the router under a remembered gateway
# (UPnP switched off) forgets it as a new session would, instead of waiting for the module to find it gone.
function Clear-GatewayCache {
    $cache = [PSUpnp.UpnpGateway].Assembly.GetType('PSUpnp.Igd.GatewayCache', $true)
    $cache.GetProperty('Shared', [Reflection.BindingFlags] 'Static, Public, NonPublic').GetValue($null).Clear()
}

function Clear-LabMapping([int[]] $ExternalPort) {
    Get-UpnpPortMapping -ExternalPort $ExternalPort -ErrorAction SilentlyContinue |
        Remove-UpnpPortMapping -Confirm:$false -ErrorAction SilentlyContinue
}

# What the internet sees of a port: a TCP connection from the lab's WAN host to Address:Port, within 3 s (bash's
# /dev/tcp, so no tool is needed there). True when it was accepted; false when refused or silent.
function Test-WanTcpConnection([string] $Address, [int] $Port) {
    $conf = Get-LabConfig
    & ip netns exec $conf['NS_WAN'] timeout 3 bash -c "exec 3<>/dev/tcp/$Address/$Port" 2>$null
    $LASTEXITCODE -eq 0
}

# A TCP listener on this host's lab address (the service a mapping leads to); stop it with .Stop().
function Start-LabListener([int] $Port) {
    $listener = [System.Net.Sockets.TcpListener]::new([ipaddress] (Get-LabConfig)['LAN_IP'], $Port)
    $listener.Start()
    $listener
}
