#Requires -Version 7.0
<#
.SYNOPSIS
Brings src/*/PublicAPI.Unshipped.txt in line with the public surface the compiler sees, after a deliberate change.

.DESCRIPTION
PublicApiAnalyzers fail the build with RS0016 (a public symbol the file does not list) and RS0017 (a listed symbol
that is gone). This builds the solution, adds each RS0016 symbol and removes each RS0017 symbol, exactly as the
analyzer spells them, and keeps the file sorted. Review the diff: it is the change to the module's public API.
#>
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$output = & dotnet build (Join-Path $root 'PSUpnp.sln') -c Release -nologo -v q --no-incremental 2>&1
$changes = @{}
foreach ($line in $output) {
    if ("$line" -match "^(?<project>.+?/src/[^/]+)/.*error (?<id>RS001[67]): Symbol '(?<symbol>.*)' is (not )?part of the declared") {
        $project = $Matches.project
        if (-not $changes.ContainsKey($project)) { $changes[$project] = @{ Add = [Collections.Generic.HashSet[string]]::new(); Remove = [Collections.Generic.HashSet[string]]::new() } }
        $null = $changes[$project][$(if ($Matches.id -eq 'RS0016') { 'Add' } else { 'Remove' })].Add($Matches.symbol)
    }
}
foreach ($project in $changes.Keys) {
    $file = Join-Path $project 'PublicAPI.Unshipped.txt'
    $lines = @(Get-Content -LiteralPath $file)
    $header = @($lines | Where-Object { $_.StartsWith('#') })
    $body = @($lines | Where-Object { $_ -and -not $_.StartsWith('#') -and -not $changes[$project].Remove.Contains($_) }) + @($changes[$project].Add)
    Set-Content -LiteralPath $file -Value ($header + ($body | Sort-Object -Unique { $_.ToLowerInvariant() }))
    Write-Host "${file}: +$($changes[$project].Add.Count) -$($changes[$project].Remove.Count)"
}
if (-not $changes.Count) { Write-Host 'The public API files already match the code.' }
