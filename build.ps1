#Requires -Version 5.1
<#
.SYNOPSIS
Builds, tests, documents and packages the PSUpnp module.

.DESCRIPTION
Build    dotnet build of the solution: the module folder out/PSUpnp/<version>, with its compiled help.
Test     The xunit suite (without the network lab unless -Lab), then the Pester 5 suite in tests/Pester; prints both
         suites' counts and fails when either fails (and, with -Lab, when any test was skipped).
Docs     docs/help (platyPS markdown) to en-US/PSUpnp.dll-Help.xml and about_PSUpnp.help.txt in the module folder,
         by the project's help compiler: the same one that dotnet build runs.
Package  out/package/PSUpnp: the module folder and LICENSE, ready for Publish-Module -Path; then proves it by importing
         it by name from a temporary PSModulePath in a fresh pwsh (Test-ModuleManifest, Get-Help).

Tools come from tests/Tools/install.sh (pwsh and Pester from NuGet into .tools/); nothing is installed from here.
bash tests/run runs Build, Docs and Package, then Test -Lab -NoBuild inside the lab's LAN namespace.

.EXAMPLE
./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    # One or more of Build, Test, Docs, Package; "Build,Docs" in one argument also works (as pwsh -File passes it).
    [Parameter(Position = 0)]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Also run the tests that need the network lab (Linux, root, this process inside the lab's LAN namespace).
    [switch] $Lab,

    # Test what an earlier Build made (inside the lab's namespace there is no route to the package registry).
    [switch] $NoBuild,

    # Only the xunit tests this dotnet test filter selects (ANDed with the lab filter), e.g. FullyQualifiedName~Stun.
    [string] $XunitFilter,

    # Only these Pester files or folders (default: all of tests/Pester); -XunitFilter 'none' with this runs Pester alone.
    [string[]] $PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
[xml] $props = Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw
$version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
$moduleDir = Join-Path $root "out/PSUpnp/$version"
$resultsDir = Join-Path $root 'out/test-results'

function Invoke-Native {
    param([string] $FilePath, [string[]] $Arguments)
    Write-Host "> $FilePath $($Arguments -join ' ')" -ForegroundColor Cyan
    & $FilePath @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath failed with exit code $LASTEXITCODE."
    }
}

# Pester.psd1 as tests/Tools/install.sh installed it (it exports PSUPNP_PESTER; else found from tools.conf's version).
function Get-PesterPath {
    $path = $env:PSUPNP_PESTER
    if (-not $path) {
        $version = (Select-String -LiteralPath (Join-Path $root 'tests/Tools/tools.conf') -Pattern '^PESTER_VERSION=(.*)$').Matches[0].Groups[1].Value
        $path = Join-Path $root ".tools/packages/pester/$version/tools/Pester.psd1"
    }
    if (-not (Test-Path -LiteralPath $path)) {
        throw "$path is missing: install the test tools with 'bash tests/Tools/install.sh'."
    }
    $path
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'PSUpnp.sln'), '-c', $Configuration, '-nologo')
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDir 'PSUpnp.psd1')
    Write-Host "Module $($manifest.Name) $($manifest.Version) in $moduleDir"
}

function Get-HelpCompiler {
    $compiler = Join-Path $root "build/PSUpnp.HelpCompiler/bin/$Configuration/net10.0/PSUpnp.HelpCompiler.dll"
    if (-not (Test-Path -LiteralPath $compiler)) {
        throw "$compiler is missing: run the Build task first."
    }
    $compiler
}

function Invoke-Docs {
    $helpDir = Join-Path $moduleDir 'en-US'
    Invoke-Native dotnet @((Get-HelpCompiler), (Join-Path $root 'docs/help'), $helpDir)
    Get-ChildItem -LiteralPath $helpDir | ForEach-Object { Write-Host "Help: $($_.FullName)" }
}

function Invoke-Package {
    $package = Join-Path $root 'out/package/PSUpnp'
    if (Test-Path -LiteralPath $package) {
        Remove-Item -LiteralPath $package -Recurse -Force
    }
    New-Item -ItemType Directory -Path $package | Out-Null
    Copy-Item -Path (Join-Path $moduleDir '*') -Destination $package -Recurse
    Copy-Item -LiteralPath (Join-Path $root 'LICENSE') -Destination $package

    # Installed as a user installs it: a folder named PSUpnp on PSModulePath, imported by name in a fresh process.
    $modules = Join-Path ([IO.Path]::GetTempPath()) "psupnp-package-$PID"
    New-Item -ItemType Directory -Path $modules -Force | Out-Null
    try {
        Copy-Item -LiteralPath $package -Destination (Join-Path $modules 'PSUpnp') -Recurse
        $check = @'
$ErrorActionPreference = 'Stop'
$manifest = Test-ModuleManifest -Path (Join-Path (Get-Module -ListAvailable PSUpnp).ModuleBase 'PSUpnp.psd1')
Import-Module PSUpnp
$missing = @(foreach ($command in (Get-Module PSUpnp).ExportedCmdlets.Keys) {
    $help = Get-Help $command -Full
    if (-not $help.Synopsis -or $help.Synopsis -eq $command -or -not $help.examples) { $command }
})
if (-not (Get-Help about_PSUpnp)) { $missing += 'about_PSUpnp' }
if ($missing) { throw "help missing in the installed package for: $($missing -join ', ')" }
"PSUpnp $($manifest.Version) imports by name from the package, with help for $((Get-Module PSUpnp).ExportedCmdlets.Count) cmdlets and about_PSUpnp"
'@
        $pwsh = (Get-Process -Id $PID).Path
        # pwsh installed as a .NET tool (tests/Tools/install.sh) runs as the dotnet host; its launcher is in $PSHOME.
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
            $pwsh = Join-Path $PSHOME 'pwsh'
        }
        $env:PSModulePath, $saved = $modules, $env:PSModulePath
        try {
            Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-Command', $check)
        }
        finally {
            $env:PSModulePath = $saved
        }
    }
    finally {
        Remove-Item -LiteralPath $modules -Recurse -Force
    }
    Write-Host "Ready for: Publish-Module -Path '$package' -NuGetApiKey <key>"
}

# Both suites' counts, in the form the closing lines of the run give them.
function Format-Counts {
    param([string] $Suite, [int] $Passed, [int] $Failed, [int] $Skipped)
    '{0}: {1} passed, {2} failed, {3} skipped' -f $Suite, $Passed, $Failed, $Skipped
}

function Invoke-XunitSuite {
    $trx = Join-Path $resultsDir 'xunit.trx'
    if (Test-Path -LiteralPath $trx) { Remove-Item -LiteralPath $trx }
    $filter = if ($Lab) { 'Category=Lab|Category!=Lab' } else { 'Category!=Lab' }
    if ($XunitFilter -eq 'none') {
        return [pscustomobject] @{ Passed = 0; Failed = 0; Skipped = 0; Exit = 0 }
    }
    if ($XunitFilter) { $filter = "($filter)&($XunitFilter)" }
    & dotnet test (Join-Path $root 'tests/PSUpnp.Tests/PSUpnp.Tests.csproj') -c $Configuration --no-build `
        --filter $filter --logger 'console;verbosity=normal' --logger 'trx;LogFileName=xunit.trx' --results-directory $resultsDir | Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $trx)) {
        throw "dotnet test exited $exit and wrote no results ($trx)."
    }
    $counters = ([xml] (Get-Content -LiteralPath $trx -Raw)).TestRun.ResultSummary.Counters
    [pscustomobject] @{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
        Exit    = $exit
    }
}

function Invoke-PesterSuite {
    Import-Module (Get-PesterPath) -Force
    $config = New-PesterConfiguration
    $config.Run.Path = if ($PesterPath) { $PesterPath } else { Join-Path $root 'tests/Pester' }
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    if ($env:CI -eq 'true') {
        $config.Output.RenderMode = 'Plaintext'
    }
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path $resultsDir 'pester.xml'
    if (-not $Lab) {
        $config.Filter.ExcludeTag = 'Lab'
    }
    $env:PSUPNP_CONFIGURATION = $Configuration
    $result = Invoke-Pester -Configuration $config
    [pscustomobject] @{
        Passed  = $result.PassedCount
        Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        Skipped = $result.SkippedCount + $result.NotRunCount
    }
}

function Invoke-Test {
    if (-not $NoBuild) {
        Invoke-Build
    }
    New-Item -ItemType Directory -Path $resultsDir -Force | Out-Null
    $xunit = Invoke-XunitSuite
    $pester = Invoke-PesterSuite

    $counts = @(
        Format-Counts 'xunit' $xunit.Passed $xunit.Failed $xunit.Skipped
        Format-Counts 'Pester' $pester.Passed $pester.Failed $pester.Skipped
        Format-Counts 'total' ($xunit.Passed + $pester.Passed) ($xunit.Failed + $pester.Failed) ($xunit.Skipped + $pester.Skipped)
    )
    # tests/run prints this file again as its very last lines, after the lab is down.
    Set-Content -LiteralPath (Join-Path $resultsDir 'counts.txt') -Value $counts
    Write-Host ''
    $counts | ForEach-Object { Write-Host $_ }
    $problems = @()
    if ($xunit.Failed -gt 0 -or $xunit.Exit -ne 0) { $problems += "xunit failed (exit $($xunit.Exit))" }
    if ($pester.Failed -gt 0) { $problems += "$($pester.Failed) Pester failure(s)" }
    # With the lab, nothing may be skipped: a lab test that could not run is a failure, never a skip.
    if ($Lab -and ($xunit.Skipped + $pester.Skipped) -gt 0) { $problems += 'tests were skipped in a lab run' }
    if ($problems) {
        throw ($problems -join '; ')
    }
}

$tasks = @($Task -split ',' | ForEach-Object Trim | Where-Object { $_ })
$unknown = @($tasks | Where-Object { $_ -notin 'Build', 'Test', 'Docs', 'Package' })
if ($unknown) {
    throw "Unknown task '$($unknown -join "', '")': use Build, Test, Docs or Package (several with commas: -Task Build,Test)."
}
foreach ($name in $tasks) {
    Write-Host "== $name" -ForegroundColor Green
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
    }
}
