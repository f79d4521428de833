#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The cmdlets where a mapping fails in the field (lab.sh field MODE), as a user meets them: behind carrier-grade NAT and
# behind the provider's box, Get-UpnpExternalAddress and Add-UpnpPortMapping warn that mappings will not be reachable
# from the internet and Test-NatType says double NAT in words, and the warning is true (the WAN host cannot connect);
# behind the provider's box, a mapping made on the box too with -Gateway at its description URL is reachable; after the
# WAN address changes, the cmdlets report the new address and about_PSUpnp's DNS recipe publishes it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    . (Join-Path $PSScriptRoot 'Support/Examples.ps1')
    Import-PSUpnp
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'The cmdlets in the field modes' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:lab = Get-LabConfig
        $script:port = 18180
        $script:boxUrl = 'http://{0}:{1}/rootDesc.xml' -f $lab['BOX_LAN_IP'], $lab['MINIUPNPD_HTTP_PORT']
    }

    AfterEach {
        if ($script:listener) { $script:listener.Stop(); $script:listener = $null }
        $null = Invoke-Lab field normal
        Clear-LabMapping $port
    }

    It 'adds a reachable mapping without a warning on the router of the normal lab (the control)' {
        $script:listener = Start-LabListener $port
        $mapping = Add-UpnpPortMapping $port -WarningVariable warnings -ErrorAction Stop
        $warnings | Should -BeNullOrEmpty
        "$($mapping.ExternalAddress)" | Should -Be $lab['RTR_WAN_IP']
        $address = Get-UpnpExternalAddress -ErrorAction Stop
        $address.IsBehindAnotherNat | Should -BeFalse
        $address.IsHeldByGateway | Should -BeTrue
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeTrue
        $listener.Pending() | Should -BeTrue
    }

    It 'keeps the new properties through Export-Clixml and a child pwsh' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-field-$PID.xml"
        try {
            Add-UpnpPortMapping $port -ErrorAction Stop | Export-Clixml -LiteralPath $file
            "$((Import-Clixml -LiteralPath $file).ExternalAddress)" | Should -Be $lab['RTR_WAN_IP']
            Get-UpnpExternalAddress -ErrorAction Stop | Export-Clixml -LiteralPath $file
            $saved = Import-Clixml -LiteralPath $file
            $saved.IsHeldByGateway | Should -BeTrue
            $saved.HolderEvidence | Should -Match 'answered by'
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        $pwsh, $prefix = Get-PwshInvocation
        $returned = & $pwsh @prefix -NoProfile -NonInteractive -OutputFormat xml -Command "Import-Module '$(Get-PSUpnpModulePath)'; Add-UpnpPortMapping $port -Renew"
        $LASTEXITCODE | Should -Be 0
        "$($returned.ExternalAddress)" | Should -Be $lab['RTR_WAN_IP']
    }

    It 'warns in <Mode> that the mapping will not be reachable, and the WAN host indeed cannot connect' -TestCases @(
        @{ Mode = 'cgnat' }
        @{ Mode = 'double-router' }
    ) {
        $null = Invoke-Lab field $Mode
        $script:listener = Start-LabListener $port

        $address = Get-UpnpExternalAddress -WarningVariable addressWarnings -ErrorAction Stop
        "$($address.ExternalAddress)" | Should -Be $lab['EDGE_WAN_IP'] -Because 'the router learnt the edge''s public address by STUN'
        $address.IsBehindAnotherNat | Should -BeTrue
        $address.IsHeldByGateway | Should -BeFalse
        $address.HolderEvidence | Should -Match ([regex]::Escape("expired at the gateway $($lab['RTR_LAN_IP'])"))
        $addressWarnings | Should -HaveCount 1
        "$($addressWarnings[0])" | Should -Match 'will not be reachable from the internet'

        $mapping = Add-UpnpPortMapping $port -WarningVariable addWarnings -ErrorAction Stop
        $mapping.ExternalPort | Should -Be $port -Because 'the router still makes the mapping'
        $addWarnings | Should -HaveCount 1
        "$($addWarnings[0])" | Should -Match "^TCP $port -> .* was added, but it will not be reachable from the internet\. "
        "$($addWarnings[0])" | Should -Match 'bridge mode'

        $nat = Test-NatType -Server $lab['STUN_SERVER'] -ErrorAction Stop
        $nat.IsDoubleNat | Should -BeTrue
        $nat.DoubleNat | Should -Match '^Double NAT: '
        $nat.Verdict | Should -Match 'will not help, because another NAT lies beyond it'

        Test-WanTcpConnection $lab['EDGE_WAN_IP'] $port | Should -BeFalse
        $listener.Pending() | Should -BeFalse
    }

    It 'warns once per run however many mappings one pipeline adds behind carrier-grade NAT' {
        $null = Invoke-Lab field cgnat
        $mappings = @(@{ ExternalPort = $port; Protocol = 'TCP' }, @{ ExternalPort = $port; Protocol = 'UDP' }) |
            ForEach-Object { [pscustomobject] $_ } | Add-UpnpPortMapping -WarningVariable warnings -ErrorAction Stop
        $mappings | Should -HaveCount 2
        $mappings.ExternalAddress | ForEach-Object { "$_" | Should -Be $lab['EDGE_WAN_IP'] }
        @($warnings | Where-Object { "$_" -match 'will not be reachable' }) | Should -HaveCount 1
    }

    It 'reaches this host behind the provider''s box once the box maps the port too, pointed at with -Gateway and its description URL' {
        $null = Invoke-Lab field double-router
        $script:listener = Start-LabListener $port
        $null = Add-UpnpPortMapping $port -WarningAction SilentlyContinue -ErrorAction Stop
        Test-WanTcpConnection $lab['EDGE_WAN_IP'] $port | Should -BeFalse -Because 'our router''s mapping alone ends at the box'

        $box = Get-UpnpExternalAddress -Gateway $boxUrl -ErrorAction Stop
        $box.Gateway.FriendlyName | Should -Be 'PSUpnp lab provider box'
        "$($box.ExternalAddress)" | Should -Be $lab['EDGE_WAN_IP']
        $boxMapping = Add-UpnpPortMapping $port -Gateway $boxUrl -InternalClient $lab['BOX_RTR_IP'] -ErrorAction Stop
        "$($boxMapping.InternalClient)" | Should -Be $lab['BOX_RTR_IP']
        Test-WanTcpConnection $lab['EDGE_WAN_IP'] $port | Should -BeTrue -Because 'the box forwards to our router, which forwards to this host'
        $listener.Pending() | Should -BeTrue
        Remove-UpnpPortMapping $port TCP -Gateway $boxUrl -Confirm:$false -ErrorAction Stop
    }

    It 'reports the new address after the WAN address changes, in Get-UpnpExternalAddress and in a renewal''s result' {
        $script:listener = Start-LabListener $port
        $null = Add-UpnpPortMapping $port -ErrorAction Stop
        $null = Invoke-Lab field wan-change
        "$((Get-UpnpExternalAddress -ErrorAction Stop).ExternalAddress)" | Should -Be $lab['RTR_WAN_IP_CHANGED']
        $renewed = Add-UpnpPortMapping $port -Renew -WarningVariable warnings -ErrorAction Stop
        "$($renewed.ExternalAddress)" | Should -Be $lab['RTR_WAN_IP_CHANGED']
        $warnings | Should -BeNullOrEmpty -Because 'the router kept the mapping through the change'
        Test-WanTcpConnection $lab['RTR_WAN_IP_CHANGED'] $port | Should -BeTrue
    }

    It 'runs about_PSUpnp''s DNS recipe, which publishes the new address after the WAN address changes' {
        $recipe = @(Get-DocExample | Where-Object { $_.Page -eq 'docs/help/about_PSUpnp.help.md' -and $_.FileName -eq 'publish.ps1' })
        $recipe | Should -HaveCount 1
        $state = Join-Path ([IO.Path]::GetTempPath()) 'psupnp-published-address.txt'
        $workRoot = Join-Path ([IO.Path]::GetTempPath()) "psupnp-publish-$PID"
        $savedPath = $env:PSModulePath
        $env:PSModulePath = (Join-Path $script:RepoRoot 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
        try {
            Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
            $run = Invoke-DocExample $recipe[0] $lab $workRoot
            $run.Errors | Should -BeNullOrEmpty
            (Get-Content -LiteralPath $state -Raw).Trim() | Should -Be $lab['RTR_WAN_IP']

            $null = Invoke-Lab field wan-change
            $run = Invoke-DocExample $recipe[0] $lab $workRoot
            $run.Errors | Should -BeNullOrEmpty
            (Get-Content -LiteralPath $state -Raw).Trim() | Should -Be $lab['RTR_WAN_IP_CHANGED']
        }
        finally {
            $env:PSModulePath = $savedPath
            Remove-Item -LiteralPath $state, $workRoot -Recurse -ErrorAction SilentlyContinue
            Clear-LabMapping 8080
        }
    }
}
