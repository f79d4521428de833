BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp

    # A TCP listener on this LAN host, and a connection to the router's WAN address from the WAN host: true when the
    # connection reached this listener from the WAN host's address (a forwarded port), false when it did not connect.
    function Test-WanReachesLan([int] $Port) {
        $conf = Get-LabConfig
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress] $conf['LAN_IP'], $Port)
        $listener.Start()
        try {
            $accept = $listener.AcceptTcpClientAsync()
            & bash (Join-Path $PSScriptRoot '../Lab/lab.sh') exec wan timeout 3 bash -c "exec 3<>/dev/tcp/$($conf['RTR_WAN_IP'])/$Port" 2>$null
            $connected = $LASTEXITCODE -eq 0
            if (-not $connected) { return $false }
            $accept.Wait(3000) | Should -BeTrue -Because 'the WAN host connected, so the connection must have arrived here'
            $client = $accept.GetAwaiter().GetResult()
            try { $client.Client.RemoteEndPoint.Address | Should -Be ([ipaddress] $conf['WAN_IP1']) } finally { $client.Dispose() }
            $true
        }
        finally {
            $listener.Stop()
        }
    }
}

Describe 'The ways with UPnP off on the lab router (PCP and NAT-PMP only)' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:conf = Get-LabConfig
        # The session remembers the router from when its UPnP was on; the first test proves a fresh search forgets it.
        Clear-GatewayCache
        $null = Get-UpnpExternalAddress -ErrorAction Stop
        Invoke-Lab field upnp-off | Out-Null
    }

    AfterAll {
        Remove-UpnpPortMapping 8080 TCP -Method Pcp -Confirm:$false -ErrorAction SilentlyContinue
        Remove-UpnpPortMapping 8080 TCP -Method NatPmp -Confirm:$false -ErrorAction SilentlyContinue
        Invoke-Lab field normal | Out-Null
        Clear-GatewayCache
    }

    It 'finds the router by PCP and NAT-PMP in one search, with no UPnP description' {
        $found = @(Find-UpnpGateway -ErrorAction Stop)
        $found | Should -HaveCount 1
        $found[0].Address | Should -Be ([ipaddress] $conf['RTR_LAN_IP'])
        ($found[0].Methods -join ',') | Should -Be 'Pcp,NatPmp'
        $found[0].ControlUrl | Should -BeNullOrEmpty
        $found[0].LocalAddress | Should -Be ([ipaddress] $conf['LAN_IP'])
        # The UPnP gateway the session remembered from before is forgotten by that search: the next call asks by PCP.
        (Get-UpnpExternalAddress -ErrorAction Stop).Gateway.Methods | Should -Not -Contain ([PSUpnp.PortMappingMethod]::UpnpIgd)
    }

    It 'opens TCP 8080 through PCP with no extra parameter, forwards it from the WAN, and Remove closes it' {
        Test-WanReachesLan 8080 | Should -BeFalse -Because 'nothing forwards 8080 before the mapping'
        $mapping = Add-UpnpPortMapping 8080 -Confirm:$false -ErrorAction Stop
        $mapping.Method | Should -Be 'Pcp'
        $mapping.PcpNonce | Should -Match '^[0-9a-f]{24}$'
        $mapping.LeaseDuration | Should -Be ([timespan]::FromHours(2)) -Because 'the router granted the two hours asked for'
        $mapping.InternalClient | Should -Be ([ipaddress] $conf['LAN_IP'])
        Test-WanReachesLan 8080 | Should -BeTrue

        Remove-UpnpPortMapping 8080 TCP -Confirm:$false -ErrorAction Stop
        Test-WanReachesLan 8080 | Should -BeFalse -Because 'the mapping was removed'
    }

    It 'opens and closes TCP 8080 through NAT-PMP when -Method NatPmp names it' {
        $mapping = Add-UpnpPortMapping 8080 -Method NatPmp -Confirm:$false -ErrorAction Stop
        $mapping.Method | Should -Be 'NatPmp'
        $mapping.PcpNonce | Should -BeNullOrEmpty
        Test-WanReachesLan 8080 | Should -BeTrue

        $mapping | Remove-UpnpPortMapping -Confirm:$false -ErrorAction Stop
        Test-WanReachesLan 8080 | Should -BeFalse
    }

    It 'answers Get-UpnpPortMapping with UpnpMappingListNotSupported, not an empty list' {
        $listed = Get-UpnpPortMapping -ErrorVariable failures -ErrorAction SilentlyContinue
        $listed | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UpnpMappingListNotSupported,PSUpnp.Commands.GetUpnpPortMappingCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $failures[0].Exception.Message | Should -Match 'cannot list'
    }

    It 'refuses -Method UpnpIgd for a router that did not answer UPnP IGD with UpnpMethodUnavailable' {
        Get-UpnpExternalAddress -Method UpnpIgd -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UpnpMethodUnavailable,PSUpnp.Commands.GetUpnpExternalAddressCommand'
    }

    It 'reads the external address by PCP and by NAT-PMP' {
        (Get-UpnpExternalAddress -Method Pcp -ErrorAction Stop).ExternalAddress | Should -Be ([ipaddress] $conf['RTR_WAN_IP'])
        (Get-UpnpExternalAddress -Method NatPmp -ErrorAction Stop).ExternalAddress | Should -Be ([ipaddress] $conf['RTR_WAN_IP'])
    }

    It 're-creates a PCP mapping that a router restart forgot, warns that it had vanished, and it forwards again' {
        $made = Add-UpnpPortMapping 8080 -Confirm:$false -ErrorAction Stop
        Invoke-Lab miniupnpd restart | Out-Null
        Test-WanReachesLan 8080 | Should -BeFalse -Because 'the restarted router forgot the mapping'

        $renewed = Add-UpnpPortMapping 8080 -Renew -Confirm:$false -WarningVariable vanished -ErrorAction Stop
        $renewed.Method | Should -Be 'Pcp'
        $renewed.PcpNonce | Should -Be $made.PcpNonce
        $vanished | Should -HaveCount 1
        "$vanished" | Should -Match 'no longer on the router.*created again'
        Test-WanReachesLan 8080 | Should -BeTrue

        # And a renewal of a mapping that is there renews it quietly.
        Add-UpnpPortMapping 8080 -Renew -Confirm:$false -WarningVariable quiet -ErrorAction Stop | Out-Null
        $quiet | Should -HaveCount 0
    }

    It 'renews and removes a saved PCP mapping in another process (a scheduled task) by its nonce' {
        $saved = Join-Path ([System.IO.Path]::GetTempPath()) "psupnp-pcp-$PID.xml"
        Add-UpnpPortMapping 8080 -Confirm:$false -ErrorAction Stop | Export-Clixml -LiteralPath $saved
        try {
            $script = Join-Path ([System.IO.Path]::GetTempPath()) "psupnp-pcp-$PID.ps1"
            # The scheduled task's script: the module and the saved mapping, in a process that never saw the mapping made.
            Set-Content -LiteralPath $script -Value @'
param([string] $Module, [string] $Saved)
Import-Module $Module
$m = Import-Clixml -LiteralPath $Saved
$r = $m | Add-UpnpPortMapping -Renew -Confirm:$false -ErrorAction Stop
'{0} {1}' -f $r.Method, ($r.PcpNonce -eq $m.PcpNonce)
$m | Remove-UpnpPortMapping -Confirm:$false -ErrorAction Stop
'removed'
'@
            $run = Invoke-PwshFile $script @((Get-PSUpnpModulePath), $saved)
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -Be @('Pcp True', 'removed')
            Test-WanReachesLan 8080 | Should -BeFalse -Because 'the other process removed the mapping with the saved nonce'
        }
        finally {
            Remove-Item -LiteralPath $saved, $script -ErrorAction SilentlyContinue
        }
    }
}

Describe 'The ways with UPnP on (the IGD path unchanged)' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:conf = Get-LabConfig
        $script:port = 43000 + (Get-Random -Maximum 900)
    }

    AfterAll {
        if ($script:port) { Clear-LabMapping $port }
    }

    It 'finds one gateway that answered all three ways' {
        $found = @(Find-UpnpGateway -ErrorAction Stop)
        $found | Should -HaveCount 1
        ($found[0].Methods -join ',') | Should -Be 'UpnpIgd,Pcp,NatPmp'
        "$($found[0].ControlUrl)" | Should -Match "^http://$([regex]::Escape($conf['RTR_LAN_IP'])):"
    }

    It 'adds by UPnP IGD when no -Method is given, as before' {
        $mapping = Find-UpnpGateway | Add-UpnpPortMapping $port -Confirm:$false -ErrorAction Stop
        $mapping.Method | Should -Be 'UpnpIgd'
        $mapping.Description | Should -Be 'PSUpnp'
        @(Get-UpnpPortMapping -ExternalPort $port -ErrorAction Stop) | Should -HaveCount 1
    }

    It 'says that PCP cannot list a table when -Method Pcp is given, even where UPnP IGD could' {
        Get-UpnpPortMapping -Method Pcp -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UpnpMappingListNotSupported,PSUpnp.Commands.GetUpnpPortMappingCommand'
    }

    It 'shows with -WhatIf which way would be used' {
        $target = @(Get-WhatIfTarget 'Add port mapping' { Add-UpnpPortMapping ($port + 1) -Method NatPmp -WhatIf })
        $target | Should -HaveCount 1
        $target[0] | Should -Match "TCP $($port + 1) -> .* by NatPmp$"
    }
}

Describe 'A gateway without UPnP IGD, saved and read back' {
    BeforeAll {
        $script:router = New-Object PSUpnp.UpnpGateway -ArgumentList @(
            '', '', '', '', 0, $null, $null, $null, $null, [ipaddress] '192.168.100.200', $null, $null,
            [ipaddress] '192.168.100.254', [PSUpnp.PortMappingMethod[]] @('Pcp', 'NatPmp'))
        $script:file = Join-Path ([System.IO.Path]::GetTempPath()) "psupnp-waygw-$PID.xml"
    }

    AfterAll {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }

    It 'is rebuilt from Export-Clixml with its address and ways, and used by the way it answered' {
        $router | Export-Clixml -LiteralPath $file
        $saved = Import-Clixml -LiteralPath $file
        $target = @(Get-WhatIfTarget 'Add port mapping' { $saved | Add-UpnpPortMapping 8080 -WhatIf })
        $target | Should -HaveCount 1
        $target[0] | Should -Be 'TCP 8080 -> 192.168.100.200:8080 on 192.168.100.254 by Pcp'
    }

    It 'keeps its ways inside a saved mapping (two levels deep), so the mapping is removed the way it was made' {
        $mapping = New-Object PSUpnp.UpnpPortMapping -ArgumentList @(
            $router, $null, 8080, 'TCP', 8080, [ipaddress] '192.168.100.200', $true, '', [timespan]::FromHours(2), $null, 'NatPmp', $null)
        $mapping | Export-Clixml -LiteralPath $file
        $saved = Import-Clixml -LiteralPath $file
        @($saved.Gateway.Methods) | Should -Be @('Pcp', 'NatPmp')
        $target = @(Get-WhatIfTarget 'Remove port mapping' { $saved | Remove-UpnpPortMapping -WhatIf })
        $target | Should -Be @('TCP 8080 on 192.168.100.254')
    }
}
