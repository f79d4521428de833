#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Test-NatType from the module folder that `dotnet build` assembled. No test here reaches the internet: the checks
# that need no server fail before any request, and the lab test talks to the lab's own STUN server.

BeforeDiscovery {
    $script:isLinuxRoot = $false
    if ((Test-Path variable:IsLinux) -and $IsLinux) {
        $script:isLinuxRoot = (& id -u) -eq '0'
    }
}

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    [xml] $props = Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    $script:modulePath = Join-Path $root "out/PSUpnp/$version/PSUpnp.psd1"
    if (-not (Test-Path -LiteralPath $script:modulePath)) {
        throw "$($script:modulePath) is missing: run ./build.ps1 -Task Build (or dotnet build src/PSUpnp) first."
    }
    Import-Module $script:modulePath -Force
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'Test-NatType' {
    It 'is exported and declares NatTypeResult as its output' {
        $command = Get-Command Test-NatType -Module PSUpnp
        $command.OutputType.Type | Should -Be ([PSUpnp.NatTypeResult])
        $command.Parameters['Server'].ParameterType | Should -Be ([string[]])
    }

    It 'rejects a local port outside 0..65535 before any request' {
        { Test-NatType -LocalPort 70000 -NoGateway -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,PSUpnp.Commands.TestNatTypeCommand'
    }

    It 'reports a server that is not host[:port] as a non-terminating error with a stable id' {
        $output = Test-NatType -Server 'not:a:server' -NoGateway -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'StunInvalidServer,PSUpnp.Commands.TestNatTypeCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Test-NatType in the lab' -Tag 'Lab' -Skip:(-not $script:isLinuxRoot) {
    BeforeAll {
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $script:conf = @{}
        foreach ($line in Get-Content -LiteralPath (Join-Path $root 'tests/Lab/lab.conf')) {
            if ($line -match '^(\w+)=(.*)$') { $script:conf[$Matches[1]] = $Matches[2] }
        }
        $prefix = if ($env:PSUPNP_LAB_PREFIX) { $env:PSUPNP_LAB_PREFIX } else { $script:conf['DEFAULT_PREFIX'] }
        $script:lanNamespace = "$prefix-$($script:conf['NS_LAN_SUFFIX'])"
        $script:labScript = Join-Path $root 'tests/Lab/lab.sh'
        & bash $script:labScript up
        if ($LASTEXITCODE -ne 0) { throw "lab.sh up failed with exit code $LASTEXITCODE" }
    }

    AfterAll {
        & bash $script:labScript down
    }

    It 'sees the port-restricted router, its miniupnpd and no double NAT from the LAN namespace' {
        $flow = @'
param($ModulePath, $Server)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$nat = Test-NatType -Server $Server
[pscustomobject] @{
    NatType     = "$($nat.NatType)"
    Public      = "$($nat.PublicEndpoint.Address)"
    Gateway     = "$($nat.GatewayExternalAddress)"
    IsDoubleNat = $nat.IsDoubleNat
    Shown       = ($nat | Out-String -Width 120)
} | ConvertTo-Json -Compress
'@
        $server = "$($script:conf['WAN_IP1']):$($script:conf['STUN_PORT'])"
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-lab-nat-$PID.ps1"
        Set-Content -LiteralPath $file -Value $flow
        try {
            $json = & ip netns exec $script:lanNamespace pwsh -NoProfile -NonInteractive -File $file -ModulePath $script:modulePath -Server $server
            $LASTEXITCODE | Should -Be 0
        }
        finally {
            Remove-Item -LiteralPath $file -Force
        }

        $result = $json | ConvertFrom-Json
        $result.NatType | Should -Be 'PortRestrictedCone'
        $result.Public | Should -Be $script:conf['RTR_WAN_IP']
        $result.Gateway | Should -Be $script:conf['RTR_WAN_IP']
        $result.IsDoubleNat | Should -BeFalse
        $result.Shown | Should -Match 'Verdict'
    }
}
