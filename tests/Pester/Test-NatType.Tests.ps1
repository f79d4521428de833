#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Test-NatType as a user runs it: every error it can write, its list and table views, its progress, and Ctrl+C
# during a test that cannot finish. No test here reaches the internet: the lab's coturn is the STUN server.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:command = 'PSUpnp.Commands.TestNatTypeCommand'
}

Describe 'Test-NatType' {
    Context 'Arguments refused before anything is sent' {
        It 'declares NatTypeResult as its output and takes servers as strings' {
            $info = Get-Command Test-NatType -Module PSUpnp
            $info.OutputType.Type | Should -Be ([PSUpnp.NatTypeResult])
            $info.Parameters['Server'].ParameterType | Should -Be ([string[]])
        }

        It 'refuses <Case> with ParameterArgumentValidationError' -TestCases @(
            @{ Case = '-LocalPort 70000'; Arguments = @{ LocalPort = 70000 } }
            @{ Case = '-LocalPort -1'; Arguments = @{ LocalPort = -1 } }
            @{ Case = '-TimeoutSec 0'; Arguments = @{ TimeoutSec = 0 } }
            @{ Case = 'an empty -Server'; Arguments = @{ Server = '' } }
        ) {
            { Test-NatType @Arguments -NoGateway -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$command"
        }

        It 'refuses a -LocalAddress that is not an IP address with CannotConvertArgumentNoMessage' {
            { Test-NatType -LocalAddress 'eth0' -NoGateway -ErrorAction Stop } |
                Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$command"
        }

        It 'reports a server <Server> that is not host[:port] as StunInvalidServer' -TestCases @(
            @{ Server = 'not:a:server' }, @{ Server = 'stun.example:0' }, @{ Server = 'stun.example:http' }
        ) {
            $output = Test-NatType -Server $Server -NoGateway -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "StunInvalidServer,$command"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'reports an IPv6 server for an IPv4 test as UpnpNameNotResolved' {
            $output = Test-NatType -Server '[2001:db8::1]:3478' -NoGateway -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpNameNotResolved,$command"
            $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        }
    }

    Context 'Against the lab''s NAT and STUN server' -Tag 'Lab' {
        BeforeAll {
            Assert-InLab
            $script:conf = Get-LabConfig
            $script:server = $conf['STUN_SERVER']
            # The lab's own mode, whatever an interrupted run left behind.
            $null = Invoke-Lab nat $conf['DEFAULT_NAT_MODE']
            # One real result behind the port-restricted lab router, shared by the checks of its content and views.
            $script:result = Test-NatType -Server $server -ErrorAction Stop
        }

        It 'finds the port-restricted NAT, the router''s miniupnpd and no double NAT' {
            $result | Should -HaveCount 1
            $result.NatType | Should -Be 'PortRestrictedCone'
            $result.PublicEndpoint.Address | Should -Be ([ipaddress] $conf['RTR_WAN_IP'])
            $result.GatewayExternalAddress | Should -Be ([ipaddress] $conf['RTR_WAN_IP'])
            $result.IsDoubleNat | Should -BeFalse
            $result.Server | Should -Be $server
        }

        It 'shows the list view at <Width> columns with the type, endpoints and server whole' -TestCases @(
            @{ Width = 120 }, @{ Width = 80 }
        ) {
            $lines = @($result | Out-String -Width $Width -Stream | Where-Object { $_.Trim() })
            $lines | Should -Contain ('NatType                : {0}' -f $result.NatType)
            $lines | Should -Contain ('LocalEndpoint          : {0}' -f $result.LocalEndpoint)
            $lines | Should -Contain ('PublicEndpoint         : {0}' -f $result.PublicEndpoint)
            $lines | Should -Contain ('GatewayExternalAddress : {0}' -f $result.GatewayExternalAddress)
            $lines | Should -Contain ('Server                 : {0}' -f $result.Server)
            ($lines | Where-Object { $_.Length -gt $Width }) | Should -BeNullOrEmpty
        }

        It 'shows every column of the table view whole at 120 columns' {
            $lines = @($result | Format-Table | Out-String -Width 120 -Stream | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 3
            $lines[0] -split '\s+' | Should -Be @('NatType', 'MappingBehavior', 'FilteringBehavior', 'PublicAddress', 'DoubleNat', 'Server')
            $lines[2] -split '\s+' | Should -Be @("$($result.NatType)", "$($result.MappingBehavior)", "$($result.FilteringBehavior)",
                "$($result.PublicEndpoint.Address)", "$($result.IsDoubleNat)", $result.Server)
        }

        It 'keeps the type and both behaviours whole in the table view at 80 columns' {
            $lines = @($result | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_.Trim() })
            $row = $lines | Where-Object { $_ -match "^$($result.NatType)\s" }
            $row | Should -HaveCount 1
            $row | Should -Match "^$($result.NatType)\s+$($result.MappingBehavior)\s+$($result.FilteringBehavior)\s"
        }

        It 'reports a -LocalAddress that is not this host''s as StunSocketFailed' {
            $output = Test-NatType -Server $server -LocalAddress $conf['WAN_IP1'] -NoGateway -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "StunSocketFailed,$command"
        }

        It 'reports a -LocalPort already in use as StunSocketFailed' {
            $holder = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress] $conf['LAN_IP'], 0))
            try {
                $output = Test-NatType -Server $server -LocalAddress $conf['LAN_IP'] -LocalPort $holder.Client.LocalEndPoint.Port -NoGateway -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                $holder.Dispose()
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "StunSocketFailed,$command"
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }

        It 'writes progress records of one activity, the last one Completed' {
            $ps = Start-ModulePowerShell { param($Server) Test-NatType -Server $Server -NoGateway } @{ Server = $server }
            try {
                $output = $ps.Invoke()
                $ps.HadErrors | Should -BeFalse
                $records = @($ps.Streams.Progress)
            }
            finally {
                $ps.Dispose()
            }
            $output | Should -HaveCount 1
            $records.Count | Should -BeGreaterOrEqual 2
            @($records.ActivityId | Sort-Object -Unique) | Should -HaveCount 1
            $records[0].RecordType | Should -Be 'Processing'
            $records[-1].RecordType | Should -Be 'Completed'
            @($records | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 1
            $percents = @($records | Where-Object RecordType -EQ 'Processing' | ForEach-Object PercentComplete)
            $percents | Should -Be ($percents | Sort-Object)
        }

        Context 'With forwarded UDP dropped by the router (udp-blocked)' {
            BeforeAll {
                $null = Invoke-Lab nat udp-blocked
                $script:counter = 'pester_nat_stop'
                Start-RouterPacketCounter $counter ('ip saddr {0} ip daddr {1} udp dport {2}' -f $conf['LAN_IP'], $conf['WAN_IP1'], $conf['STUN_PORT'])
            }

            AfterAll {
                Stop-RouterPacketCounter $counter
                $null = Invoke-Lab nat $conf['DEFAULT_NAT_MODE']
            }

            It 'reports UdpBlocked as a result, not an error, when no STUN answer comes' {
                $blocked = Test-NatType -Server $server -NoGateway -TimeoutSec 2 -ErrorVariable failures
                $failures | Should -HaveCount 0
                $blocked | Should -HaveCount 1
                $blocked.NatType | Should -Be 'UdpBlocked'
                $blocked.Reason | Should -Match 'No STUN server answered'
            }

            It 'stops within a second on Ctrl+C, closes its sockets and sends nothing more' {
                $before = @(Get-OwnSocket udp)
                $ps = Start-ModulePowerShell { param($Server) Test-NatType -Server $Server -TimeoutSec 120 } @{ Server = $server }
                try {
                    # Really running: the router has seen three of its retransmissions. The longest gap between two
                    # of them is the pace at which a test left running would still be sending.
                    $seen = [System.Collections.Generic.List[datetime]]::new()
                    $count = Get-RouterPacketCount $counter
                    $null = $ps.BeginInvoke()
                    $deadline = [datetime]::UtcNow.AddSeconds(60)
                    while ($seen.Count -lt 3) {
                        if ([datetime]::UtcNow -gt $deadline) { throw 'Waited 60 s for three STUN requests to reach the router, in vain.' }
                        $now = Get-RouterPacketCount $counter
                        if ($now -gt $count) { $seen.Add([datetime]::UtcNow); $count = $now }
                        Start-Sleep -Milliseconds 50
                    }
                    $ps.InvocationStateInfo.State | Should -Be 'Running'
                    $elapsed = Measure-Stop $ps
                    $state = $ps.InvocationStateInfo.State
                }
                finally {
                    $ps.Dispose()
                }
                $elapsed | Should -BeLessThan ([timespan]::FromSeconds(1))
                $state | Should -Be 'Stopped'
                Wait-SocketsClosed udp $before

                $pace = [math]::Max(($seen[1] - $seen[0]).TotalSeconds, ($seen[2] - $seen[1]).TotalSeconds)
                $after = Get-RouterPacketCount $counter
                # An observation window, not a timing assertion: twice the pace the test was sending at.
                Start-Sleep -Milliseconds ([int] (2000 * [math]::Max(1, $pace)))
                Get-RouterPacketCount $counter | Should -Be $after
            }
        }
    }
}
