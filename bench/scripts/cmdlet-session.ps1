# One warm pwsh session for bench/run's cmdlet-* rows: each cmdlet's time beside the bench driver's in-process time for
# the same engine work, so that the cost of the PowerShell layer is a number. Imports the built module, then for each
# operation runs it once (cold: the first call in the session) and -Runs times more (warm), checks what it returned,
# and prints one JSON line {"scenario","cold_ms","median_ms"} as the driver's bench does; the last line is the session's
# peak resident size.
# Started by the runner inside the lab's LAN namespace, with the router holding -Listed mappings.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [uri] $Location,
    [Parameter(Mandatory)] [string] $ControlUrl,
    [Parameter(Mandatory)] [int] $Runs,
    [Parameter(Mandatory)] [int] $AddPort,
    [Parameter(Mandatory)] [string] $Description,
    [Parameter(Mandatory)] [string] $StunServer,
    [Parameter(Mandatory)] [ipaddress] $OpenAddress,
    [Parameter(Mandatory)] [int] $Listed
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module $Module

function Assert-That([bool] $Condition, [string] $Problem) {
    if (-not $Condition) { throw $Problem }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

# Name, the operation (what a user types), and the check of one call's output.
$operations = @(
    @{ Name = 'discover'; Run = { Find-UpnpGateway }
        Check = { param($out) Assert-That ($out.Count -eq 1 -and "$($out[0].ControlUrl)" -eq $ControlUrl) "Find-UpnpGateway did not return the lab router ($ControlUrl): $($out | Out-String)" } }
    @{ Name = 'discover-location'; Run = { Find-UpnpGateway -Location $Location }
        Check = { param($out) Assert-That ($out.Count -eq 1 -and "$($out[0].ControlUrl)" -eq $ControlUrl) "Find-UpnpGateway -Location did not return the lab router: $($out | Out-String)" } }
    @{ Name = 'external-address'; Run = { Find-UpnpGateway -Location $Location | Get-UpnpExternalAddress }
        Check = { param($out) Assert-That ($out.Count -eq 1 -and $null -ne $out[0].ExternalAddress) "Get-UpnpExternalAddress returned no address: $($out | Out-String)" } }
    @{ Name = 'add-delete'
        Run = {
            Find-UpnpGateway -Location $Location |
                Add-UpnpPortMapping -ExternalPort $AddPort -InternalPort $AddPort -Description $Description -Confirm:$false
            Find-UpnpGateway -Location $Location | Remove-UpnpPortMapping -ExternalPort $AddPort -Protocol TCP -Confirm:$false
        }
        Check = { param($out) Assert-That ($out.Count -eq 1 -and $out[0].ExternalPort -eq $AddPort) "Add-UpnpPortMapping did not return the mapping of port ${AddPort}: $($out | Out-String)" } }
    @{ Name = 'list'; Run = { Find-UpnpGateway -Location $Location | Get-UpnpPortMapping }
        Check = { param($out) Assert-That ($out.Count -eq $Listed) "Get-UpnpPortMapping listed $($out.Count) mappings, not the $Listed created" } }
    @{ Name = 'nat-type'; Run = { Test-NatType -Server $StunServer -LocalAddress $OpenAddress -NoGateway }
        Check = { param($out) Assert-That ($out.Count -eq 1 -and "$($out[0].NatType)" -eq 'OpenInternet') "Test-NatType from $OpenAddress did not say OpenInternet: $($out | Out-String)" } }
)

$watch = [Diagnostics.Stopwatch]::new()
foreach ($operation in $operations) {
    $times = foreach ($i in 0..$Runs) {
        $watch.Restart()
        $out = @(& $operation.Run)
        $watch.Stop()
        & $operation.Check $out
        $watch.Elapsed.TotalMilliseconds
    }
    [ordered] @{ scenario = $operation.Name; cold_ms = $times[0]; median_ms = Get-Median $times[1..$Runs] } | ConvertTo-Json -Compress
}

$hwm = (Select-String -LiteralPath "/proc/$PID/status" -Pattern '^VmHWM:\s+(\d+)').Matches[0].Groups[1].Value
@{ peak_rss_mb = [double] $hwm / 1024 } | ConvertTo-Json -Compress
