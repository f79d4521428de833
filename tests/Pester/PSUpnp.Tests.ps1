#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Runs against the module folder that `dotnet build` assembled, never against the source tree.

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    [xml] $props = Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    $script:modulePath = Join-Path $root "out/PSUpnp/$version/PSUpnp.psd1"
    if (-not (Test-Path -LiteralPath $script:modulePath)) {
        throw "$($script:modulePath) is missing: run ./build.ps1 -Task Build (or dotnet build src/PSUpnp) first."
    }
    Import-Module $script:modulePath -Force

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
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'The PSUpnp module' {
    It 'exports exactly the cmdlets its manifest names' {
        $manifest = Import-PowerShellDataFile -LiteralPath $script:modulePath
        $exported = (Get-Module PSUpnp).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $exported | Should -HaveCount 6
        (Get-Module PSUpnp).ExportedFunctions.Count | Should -Be 0
    }

    It 'formats mappings as a table' {
        $mapping = New-Mapping -Port 8080 -Protocol TCP -Gateway (New-DeadGateway)
        $text = $mapping | Format-Table | Out-String -Width 120
        $text | Should -Match 'ExternalPort'
        $text | Should -Match '8080'
    }

    It 'rejects a negative lease before any request' {
        { Add-UpnpPortMapping 8080 -LeaseDuration '-01:00:00' -Gateway (New-DeadGateway) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,PSUpnp.Commands.AddUpnpPortMappingCommand'
    }

    It 'tab-completes Both for -Protocol of Add-UpnpPortMapping' {
        $line = 'Add-UpnpPortMapping 8080 -Protocol B'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'Both'
    }
}

Describe 'Pipeline binding' {
    It 'takes gateways by value' -TestCases @(
        @{ Name = 'Get-UpnpExternalAddress'; Parameter = 'Gateway' }
        @{ Name = 'Add-UpnpPortMapping'; Parameter = 'Gateway' }
        @{ Name = 'Get-UpnpPortMapping'; Parameter = 'Gateway' }
        @{ Name = 'Remove-UpnpPortMapping'; Parameter = 'InputObject' }
        @{ Name = 'Remove-UpnpPortMapping'; Parameter = 'Gateway' }
    ) {
        $attributes = (Get-Command $Name).Parameters[$Parameter].Attributes | Where-Object { $_ -is [Parameter] }
        ($attributes | Where-Object ValueFromPipeline) | Should -Not -BeNullOrEmpty
    }

    It 'binds piped mappings to Remove-UpnpPortMapping and sends nothing under -WhatIf' {
        $gateway = New-DeadGateway
        $mappings = @((New-Mapping 8080 TCP $gateway), (New-Mapping 8080 UDP $gateway))
        $output = $mappings | Remove-UpnpPortMapping -WhatIf -PassThru -ErrorVariable failures
        # A request sent to the dead gateway would have failed: no error proves none was sent.
        $failures | Should -HaveCount 0
        $output | Should -BeNullOrEmpty
    }

    It 'binds a piped gateway to -Gateway when the mapping is named by port and protocol' {
        { New-DeadGateway | Remove-UpnpPortMapping 9000 UDP -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It 'binds objects with ExternalPort and Protocol properties by name' {
        $keys = [pscustomobject] @{ ExternalPort = 9000; Protocol = 'UDP'; Gateway = (New-DeadGateway) }
        { $keys | Remove-UpnpPortMapping -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It 'adds nothing under -WhatIf' {
        { New-DeadGateway | Add-UpnpPortMapping 8080 -Protocol Both -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It 'renews nothing under -WhatIf' {
        { New-DeadGateway | Add-UpnpPortMapping 8080 -Renew -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It 'reports an unreachable gateway as a non-terminating error with a stable id' {
        $gateway = New-DeadGateway
        $null = Remove-UpnpPortMapping -ExternalPort 8080 -Protocol TCP -Gateway $gateway -Confirm:$false -TimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Match '^Upnp\w+,PSUpnp\.Commands\.RemoveUpnpPortMappingCommand$'
    }
}

Describe 'Test-NatType' {
    # No test here reaches the internet: these fail before any request; the lab flow below uses the lab's STUN server.
    It 'declares NatTypeResult as its output and takes servers as strings' {
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

Describe 'The lab flow' -Tag 'Lab' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Support/Common.ps1')
        Assert-InLab
        $script:lanNamespace = (Get-LabConfig)['NS_LAN']
    }

    It 'discovers the lab router, opens a port, lists it and closes it from the LAN namespace' {
        $flow = @'
param($ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$gateway = Find-UpnpGateway -TimeoutSec 5
$added = $gateway | Add-UpnpPortMapping 40123 -Protocol Both -Description 'Pester lab' -LeaseDuration '00:10:00' -Confirm:$false
$listed = @($gateway | Get-UpnpPortMapping -ExternalPort 40123)
# The pipeline issue 3 names: discovery, listing and removal, each object handled as it arrives.
$removed = @(Find-UpnpGateway -TimeoutSec 5 | Get-UpnpPortMapping -ExternalPort 40123 | Remove-UpnpPortMapping -PassThru -Confirm:$false)
$after = @($gateway | Get-UpnpPortMapping -ExternalPort 40123)
[pscustomobject] @{ Added = @($added).Count; Listed = $listed.Count; Removed = $removed.Count; After = $after.Count } | ConvertTo-Json -Compress
'@
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-lab-flow-$PID.ps1"
        Set-Content -LiteralPath $file -Value $flow
        try {
            $json = & ip netns exec $script:lanNamespace pwsh -NoProfile -NonInteractive -File $file -ModulePath $script:modulePath
            $LASTEXITCODE | Should -Be 0
        }
        finally {
            Remove-Item -LiteralPath $file -Force
        }

        $result = $json | ConvertFrom-Json
        $result.Added | Should -Be 2
        $result.Listed | Should -Be 2
        $result.Removed | Should -Be 2
        $result.After | Should -Be 0
    }

    It 'tests the NAT behind the port-restricted lab router and finds its miniupnpd and no double NAT' {
        $conf = @{}
        foreach ($line in Get-Content -LiteralPath (Join-Path $PSScriptRoot '../Lab/lab.conf')) {
            if ($line -match '^(\w+)=(.*)$') { $conf[$Matches[1]] = $Matches[2] }
        }
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
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-lab-nat-$PID.ps1"
        Set-Content -LiteralPath $file -Value $flow
        try {
            $server = '{0}:{1}' -f $conf['WAN_IP1'], $conf['STUN_PORT']
            $json = & ip netns exec $script:lanNamespace pwsh -NoProfile -NonInteractive -File $file -ModulePath $script:modulePath -Server $server
            $LASTEXITCODE | Should -Be 0
        }
        finally {
            Remove-Item -LiteralPath $file -Force
        }

        $result = $json | ConvertFrom-Json
        $result.NatType | Should -Be 'PortRestrictedCone'
        $result.Public | Should -Be $conf['RTR_WAN_IP']
        $result.Gateway | Should -Be $conf['RTR_WAN_IP']
        $result.IsDoubleNat | Should -BeFalse
        $result.Shown | Should -Match 'Verdict'
    }
}
