#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# IPv6 pinholes behind Add-, Get- and Remove-UpnpPortMapping, as an admin uses them: the objects they return (format
# view, Clixml round trip), and in the lab a TCP connection over IPv6 from the WAN host to a LAN listener.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp

    function New-Pinhole([int] $Id, [uri] $FirewallUrl = 'http://127.0.0.1:9/ctl/IP6FCtl') {
        $gateway = New-Object PSUpnp.UpnpGateway -ArgumentList @(
            'Dead router', 'Nobody', 'None', 'uuid:dead', 2, 'urn:schemas-upnp-org:service:WANIPConnection:2',
            [uri] 'http://127.0.0.1:9/ctl/IPConn', [uri] 'http://127.0.0.1:9/rootDesc.xml', $null, [ipaddress] '127.0.0.1',
            $null, $null, $null, $null, $FirewallUrl)
        New-Object PSUpnp.UpnpPortMapping -ArgumentList @(
            $gateway, $null, 8080, [PSUpnp.PortMappingProtocol]::TCP, 8080, [ipaddress] '2001:db8:77::10', $true, 'Pester',
            [timespan]::FromHours(1), $null, [PSUpnp.PortMappingMethod]::UpnpIgd, $null, $null, [Net.Sockets.AddressFamily]::InterNetworkV6, $Id, 4000)
    }
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'A pinhole as an object' {
    It 'says its family in the protocol column at 80 and 120 columns' {
        $pinhole = New-Pinhole 7
        foreach ($width in 80, 120) {
            $lines = @($pinhole | Out-String -Width $width -Stream | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 3
            $lines[2] | Should -Match '^TCP IPv6\s+8080 2001:db8:77::10\s+8080 '
            ($lines | Where-Object { $_.Length -gt $width }) | Should -BeNullOrEmpty
        }
    }

    It 'keeps AddressFamily, PinholeId, RemotePort and the gateway''s firewall URL through Export-Clixml, and Remove targets that pinhole' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-pinhole-$PID.xml"
        try {
            New-Pinhole 7 | Export-Clixml -LiteralPath $file
            $saved = Import-Clixml -LiteralPath $file
            # Clixml keeps an enum as its number: 23 is InterNetworkV6.
            "$([Net.Sockets.AddressFamily] $saved.AddressFamily) $($saved.PinholeId) $($saved.RemotePort) $($saved.Gateway.FirewallControlUrl)" |
                Should -Be 'InterNetworkV6 7 4000 http://127.0.0.1:9/ctl/IP6FCtl'
            Get-WhatIfTarget 'Remove IPv6 pinhole' { $saved | Remove-UpnpPortMapping -WhatIf -ErrorAction Stop } |
                Should -Be 'IPv6 pinhole 7 on Dead router (127.0.0.1)'
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }

    It 'refuses -AddressFamily Both with an -InternalClient before asking for either family' {
        $output = Add-UpnpPortMapping 8080 -AddressFamily Both -InternalClient 192.168.1.10 -Gateway (New-DeadGateway) -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UpnpInvalidArgument,PSUpnp.Commands.AddUpnpPortMappingCommand'
        $failures[0].Exception.Message | Should -Match 'takes no -InternalClient'
    }

    It 'refuses a permanent lease for a pinhole, saying its bounds' {
        Add-UpnpPortMapping 8080 -InternalClient 2001:db8::10 -LeaseDuration 0 -Gateway (New-Pinhole 1).Gateway -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UpnpInvalidArgument,PSUpnp.Commands.AddUpnpPortMappingCommand'
        $failures[0].Exception.Message | Should -Match '1 second to 24 hours'
    }
}

Describe 'IPv6 pinholes in the lab' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:lab = Get-LabConfig
        $script:port = 43000 + (Get-Random -Maximum 900)
        $script:listener = [Net.Sockets.TcpListener]::new([ipaddress] $lab['LAN_IP6'], $port)
        $listener.Start()

        # A TCP connection from the WAN host over IPv6 to the listener (the kernel completes it without an accept).
        function Test-WanConnect {
            $pwsh, $prefix = Get-PwshInvocation
            $probe = "`$c = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetworkV6); try { `$c.ConnectAsync('$($lab['LAN_IP6'])', $port).Wait(2000) } catch { `$false } finally { `$c.Dispose() }"
            $answer = & ip netns exec $lab['NS_WAN'] $pwsh @prefix -NoProfile -NonInteractive -Command $probe
            "$answer" -eq 'True'
        }

        # miniupnpd's lease_file6: the expiry (seconds since the epoch) the router holds for pinhole Id. miniupnpd
        # rewrites the whole file on each change, so a read may catch it half written: read until every line is whole.
        function Get-RouterExpiry([int] $Id) {
            $file = "/tmp/psupnp-lab-$($lab['PREFIX'])/$($lab['MINIUPNPD_PINHOLE_LEASES'])"
            $script:leaseLines = @()
            Wait-Until -Because "a whole read of $file" -TimeoutSec 5 {
                $text = Get-Content -LiteralPath $file -Raw -ErrorAction SilentlyContinue
                $lines = @("$text" -split "`n" | Where-Object { $_ })
                $script:leaseLines = $lines
                ("$text" -eq '' -or "$text".EndsWith("`n")) -and -not ($lines | Where-Object { ($_ -split ';').Count -lt 8 })
            }
            $line = @($leaseLines | Where-Object { ($_ -split ';')[5] -eq "$Id" })
            if ($line.Count -eq 1) { [long] ($line[0] -split ';')[6] }
        }
    }

    AfterAll {
        if ($script:listener) { $listener.Stop() }
        if ($script:port) { Clear-LabMapping @($port) }
    }

    It 'lets the WAN host connect over IPv6 only while the pinhole exists' {
        Test-WanConnect | Should -BeFalse -Because 'the router drops unsolicited inbound IPv6'
        $pinhole = Add-UpnpPortMapping $port -AddressFamily IPv6 -LeaseDuration '00:05:00' -Confirm:$false -ErrorAction Stop
        try {
            "$($pinhole.AddressFamily) $($pinhole.InternalClient) $($pinhole.InternalPort)" | Should -Be "InterNetworkV6 $($lab['LAN_IP6']) $port"
            $pinhole.PinholeId | Should -Not -BeNullOrEmpty
            Test-WanConnect | Should -BeTrue
            @(Get-UpnpPortMapping -AddressFamily IPv6 -ExternalPort $port).PinholeId | Should -Be $pinhole.PinholeId
        }
        finally {
            $pinhole | Remove-UpnpPortMapping -Confirm:$false -ErrorAction Stop
        }
        Test-WanConnect | Should -BeFalse
        @(Get-UpnpPortMapping -AddressFamily IPv6 -ExternalPort $port) | Should -HaveCount 0
    }

    It '-Renew with the pinhole piped in grows the lease the router holds' {
        $pinhole = Add-UpnpPortMapping $port -AddressFamily IPv6 -LeaseDuration '00:02:00' -Confirm:$false -ErrorAction Stop
        try {
            $before = Get-RouterExpiry $pinhole.PinholeId
            $before | Should -Not -BeNullOrEmpty
            $renewed = $pinhole | Add-UpnpPortMapping -Renew -LeaseDuration '00:30:00' -Confirm:$false -WarningVariable warnings -ErrorAction Stop
            $renewed.PinholeId | Should -Be $pinhole.PinholeId
            $warnings | Should -HaveCount 0
            ((Get-RouterExpiry $pinhole.PinholeId) - $before) | Should -BeGreaterOrEqual (27 * 60)
        }
        finally {
            Remove-UpnpPortMapping -PinholeId $pinhole.PinholeId -Confirm:$false -ErrorAction Stop
        }
    }

    It 'refuses a pinhole for another LAN host as miniupnpd does, with UpnpError606 and its advice' {
        $output = Add-UpnpPortMapping $port -InternalClient $lab['LAN2_IP6'] -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UpnpError606,PSUpnp.Commands.AddUpnpPortMappingCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'own address'
    }

    It 'gives one IPv4 mapping and one pinhole for -AddressFamily Both, each saying its family' {
        $both = @(Add-UpnpPortMapping $port -AddressFamily Both -LeaseDuration '00:05:00' -Confirm:$false -ErrorAction Stop)
        try {
            $both | Should -HaveCount 2
            ($both.AddressFamily -join ',') | Should -Be 'InterNetwork,InterNetworkV6'
            "$($both[0].InternalClient) $($both[0].PinholeId)" | Should -Be "$($lab['LAN_IP']) "
            $both[1].InternalClient | Should -Be ([ipaddress] $lab['LAN_IP6'])
            Test-WanConnect | Should -BeTrue
        }
        finally {
            $both | Remove-UpnpPortMapping -Confirm:$false -ErrorAction Stop
        }
        @(Get-UpnpPortMapping -ExternalPort $port) | Should -HaveCount 0
    }
}
