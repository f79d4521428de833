#Requires -Version 5.1
<#
.SYNOPSIS
Builds, tests, documents and packages the PSUpnp module.

.DESCRIPTION
Build    dotnet build of src/PSUpnp, which assembles the module folder out/PSUpnp/<version>.
Test     Build, then the xunit suite (without the network lab unless -Lab), then the Pester 5 tests in tests/Pester.
Docs     Build, then the platyPS markdown in docs/help to MAML help in the module folder (en-US).
Package  Build and Docs, then out/package/PSUpnp: a folder ready for Publish-Module -Path.

Nothing is installed on the fly: a missing tool stops the task with the command that installs it.

.EXAMPLE
./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Also run the xunit tests that need the network lab (Linux, root, inside the lab's LAN namespace).
    [switch] $Lab
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
[xml] $props = Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw
$version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
$moduleDir = Join-Path $root "out/PSUpnp/$version"

function Invoke-Native {
    param([string] $FilePath, [string[]] $Arguments)
    Write-Host "> $FilePath $($Arguments -join ' ')" -ForegroundColor Cyan
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath failed with exit code $LASTEXITCODE."
    }
}

function Assert-Module {
    param([string] $Name, [version] $MinimumVersion, [string] $InstallCommand)
    $found = Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -ge $MinimumVersion } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $found) {
        throw "$Name $MinimumVersion or later is required and not installed. Install it with: $InstallCommand"
    }
    Import-Module $found -Force
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'src/PSUpnp/PSUpnp.csproj'), '-c', $Configuration)
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDir 'PSUpnp.psd1')
    Write-Host "Module $($manifest.Name) $($manifest.Version) in $moduleDir"
}

function Invoke-Test {
    Invoke-Build
    $filter = if ($Lab) { 'Category=Lab|Category!=Lab' } else { 'Category!=Lab' }
    Invoke-Native dotnet @('test', (Join-Path $root 'tests/PSUpnp.Tests'), '-c', $Configuration, '--filter', $filter)

    Assert-Module -Name Pester -MinimumVersion '5.0.0' -InstallCommand 'Install-Module Pester -MinimumVersion 5.0.0 -Scope CurrentUser -SkipPublisherCheck'
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0) {
        throw "$($result.FailedCount) Pester test(s) failed."
    }
}

function Invoke-Docs {
    Invoke-Build
    Assert-Module -Name platyPS -MinimumVersion '0.14.0' -InstallCommand 'Install-Module platyPS -MinimumVersion 0.14.0 -Scope CurrentUser'
    $helpDir = Join-Path $moduleDir 'en-US'
    New-ExternalHelp -Path (Join-Path $root 'docs/help') -OutputPath $helpDir -Force | Out-Null
    Get-ChildItem -LiteralPath $helpDir | ForEach-Object { Write-Host "Help: $($_.FullName)" }
}

function Invoke-Package {
    Invoke-Docs
    $package = Join-Path $root 'out/package/PSUpnp'
    if (Test-Path -LiteralPath $package) {
        Remove-Item -LiteralPath $package -Recurse -Force
    }
    New-Item -ItemType Directory -Path $package | Out-Null
    Copy-Item -Path (Join-Path $moduleDir '*') -Destination $package -Recurse
    Copy-Item -LiteralPath (Join-Path $root 'LICENSE') -Destination $package
    Test-ModuleManifest -Path (Join-Path $package 'PSUpnp.psd1') | Out-Null
    Write-Host "Ready for: Publish-Module -Path '$package' -NuGetApiKey <key>"
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Green
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
    }
}
