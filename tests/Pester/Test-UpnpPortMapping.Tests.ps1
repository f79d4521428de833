#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Test-UpnpPortMapping: binding, its view at 120 and 80 columns, the -Detailed bundle through ConvertTo-Json and
# Export-Clixml, and in the lab each failure it can name, produced for real (the field modes, deny-all, no listener,
# a mapping for another port or host, no mapping) and its verdict asserted against what the lab does: a TCP connection
# from the WAN host fails where the verdict says the port is unreachable, and succeeds where every check passes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:Fqid = ',PSUpnp.Commands.TestUpnpPortMappingCommand'

    # A diagnosis as a failing run would return it, without any network.
    function New-Diagnosis {
        $gateway = New-Object PSUpnp.UpnpGateway -ArgumentList @(
            'FRITZ!Box 7590 AX', 'AVM', 'FRITZ!Box 7590 AX', 'uuid:x', 2, 'urn:schemas-upnp-org:service:WANIPConnection:2',
            [uri] 'http://192.168.178.254:49000/igdupnp/control/WANIPConn1', [uri] 'http://192.168.178.254:49000/igddesc.xml', $null,
            [ipaddress] '192.168.178.20')
        $checks = [System.Collections.Generic.List[PSUpnp.PortMappingCheck]]::new()
        $checks.Add([PSUpnp.PortMappingCheck]::new('Gateway', 'Passed', 'FRITZ!Box 7590 AX answers at 192.168.178.254 (WANIPConnection v2).'))
        $checks.Add([PSUpnp.PortMappingCheck]::new('AddressOwner', 'Failed', 'The router reports 203.0.113.7 but does not hold it: an ICMP echo to 203.0.113.7 with TTL 1 expired at the gateway 192.168.178.254, which forwarded it onward.'))
        $checks.Add([PSUpnp.PortMappingCheck]::new('Listener', 'Inconclusive', 'A UDP socket is bound to port 27015 on this host; whether the service answers cannot be told for UDP.'))
        [PSUpnp.PortMappingDiagnosis]::new(27015, 'UDP', 27015, [ipaddress] '192.168.178.20', $gateway, $null,
            [ipaddress] '203.0.113.7', [ipaddress] '203.0.113.7', $checks, 'Another NAT lies beyond the router, so the mapping is not reachable from the internet.', $null)
    }

    # One diagnosis in the lab, with the lab's STUN server; the checks by name.
    function Invoke-Diagnosis([int] $Port, [string] $Protocol = 'TCP', [hashtable] $Extra = @{}) {
        $diagnosis = Test-UpnpPortMapping -ExternalPort $Port -Protocol $Protocol -StunServer (Get-LabConfig)['STUN_SERVER'] @Extra -ErrorAction Stop
        $byName = @{}
        foreach ($check in $diagnosis.Checks) { $byName[$check.Name] = $check.Result.ToString() }
        [pscustomobject] @{ Diagnosis = $diagnosis; Result = $byName }
    }

    # The Listener check connects to the listener itself: accept those connections, so that what is pending afterwards
    # came from the WAN host.
    function Clear-Pending($Listener) {
        while ($Listener.Pending()) { $Listener.AcceptTcpClient().Dispose() }
    }
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'Test-UpnpPortMapping binding' {
    It 'is exported and declares -Gateway as every gateway cmdlet does' {
        $command = Get-Command Test-UpnpPortMapping
        $command.OutputType.Type | Should -Be ([PSUpnp.PortMappingDiagnosis])
        $command.Parameters['Gateway'].ParameterType | Should -Be ([PSUpnp.Commands.GatewayReference])
        $command.Parameters['Protocol'].ParameterType | Should -Be ([PSUpnp.PortMappingProtocol])
    }

    It 'rejects a port outside 1..65535 before any request' {
        { Test-UpnpPortMapping 0 -ErrorAction Stop } | Should -Throw -ErrorId ('ParameterArgumentValidationError' + $Fqid)
        { Test-UpnpPortMapping 8080 -InternalPort 70000 -ErrorAction Stop } | Should -Throw -ErrorId ('ParameterArgumentValidationError' + $Fqid)
    }

    It 'rejects a protocol other than TCP or UDP, naming the choices' {
        $failure = { Test-UpnpPortMapping 8080 -Protocol Both -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'TCP'
    }

    It 'takes a piped mapping and asks its own gateway: a dead one is the Gateway check failing, not an error' {
        $mapping = New-Mapping 8080 TCP (New-DeadGateway)
        $diagnosis = $mapping | Test-UpnpPortMapping -StunServer 127.0.0.1:9 -TimeoutSec 1 -ErrorAction Stop
        $diagnosis.ExternalPort | Should -Be 8080
        $diagnosis.Gateway.ControlUrl | Should -Be ([uri] 'http://127.0.0.1:9/ctl/IPConn')
        $diagnosis.FirstFailure.Name | Should -Be 'Gateway'
        $diagnosis.FirstFailure.Detail | Should -Match 'UpnpConnectionRefused'
        $diagnosis.Verdict | Should -Match '^The gateway does not answer'
        ($diagnosis.Checks | Where-Object Name -eq 'MappingExists').Result | Should -Be 'Inconclusive'
    }
}

Describe 'Test-UpnpPortMapping output formatting' {
    It 'shows the verdict, the mapping and one line per check at 120 columns' {
        $text = New-Diagnosis | Out-String -Width 120
        $lines = $text -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Verdict\s+: Another NAT lies beyond the router'
        $lines | Should -Contain 'Mapping   : UDP 27015 -> 192.168.178.20:27015 on FRITZ!Box 7590 AX (192.168.178.254)'
        $lines | Should -Contain 'Addresses : router reports 203.0.113.7, STUN sees 203.0.113.7'
        ($lines | Where-Object { $_ -match '^\s+Failed\s+AddressOwner\s+The router reports' }) | Should -HaveCount 1
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
    }

    It 'keeps every line within 80 columns and every check on a line of its own' {
        $lines = (New-Diagnosis | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        foreach ($name in 'Gateway', 'AddressOwner', 'Listener') {
            ($lines | Where-Object { $_ -match "^(Checks\s+:)?\s+\w+\s+$name\s" }) | Should -HaveCount 1
        }
    }

    It 'shows one diagnosis a row with Format-Table, within 120 columns' {
        $lines = (New-Diagnosis | Format-Table | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Protocol ExternalPort Passed FirstFailure\s+Verdict$'
        $lines[2] | Should -Match '^UDP\s+27015\s+False\s+AddressOwner\s+Another NAT lies beyond the router'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
    }
}

Describe 'Test-UpnpPortMapping in the lab' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:lab = Get-LabConfig
        $script:port = 18080
    }

    AfterEach {
        if ($script:listener) { $script:listener.Stop(); $script:listener = $null }
        $null = Invoke-Lab field normal
        Clear-LabMapping $port, ($port + 1)
    }

    It 'passes every check where the port is reachable, and the WAN host indeed connects' {
        $script:listener = Start-LabListener $port
        $null = Add-UpnpPortMapping $port -ErrorAction Stop
        $run = Invoke-Diagnosis $port -Extra @{ InternalPort = $port }
        Clear-Pending $listener
        $run.Diagnosis.Passed | Should -BeTrue -Because ($run.Diagnosis.Checks | Out-String)
        $run.Diagnosis.Verdict | Should -Match '^No fault found'
        $run.Result['AddressOwner'] | Should -Be 'Passed'
        $run.Result['Stun'] | Should -Be 'Passed'
        $run.Result['Listener'] | Should -Be 'Passed'
        $run.Result['Hairpinning'] | Should -Be 'Information'
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeTrue
        $listener.Pending() | Should -BeTrue -Because 'the connection from the WAN reached this host''s listener'
    }

    It 'names the missing listener when nothing listens on the internal port, and the WAN host is refused' {
        $null = Add-UpnpPortMapping $port -ErrorAction Stop
        $run = Invoke-Diagnosis $port
        $run.Diagnosis.FirstFailure.Name | Should -Be 'Listener'
        $run.Diagnosis.Verdict | Should -Match "^Nothing listens on TCP port $port on this host"
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse
    }

    It 'names a mapping that leads to another internal port, and the WAN host does not reach the service' {
        $script:listener = Start-LabListener $port
        $null = Add-UpnpPortMapping $port ($port + 1) -ErrorAction Stop
        $run = Invoke-Diagnosis $port -Extra @{ InternalPort = $port }
        Clear-Pending $listener
        $run.Diagnosis.FirstFailure.Name | Should -Be 'InternalPort'
        $run.Diagnosis.Verdict | Should -Match "leads to port $($port + 1), not $port"
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse
        $listener.Pending() | Should -BeFalse
    }

    It 'names a mapping that leads to another host, and the WAN host does not reach this one' {
        $script:listener = Start-LabListener $port
        $null = Invoke-Lab exec lan2 upnpc '-u' $lab['DESCRIPTION_URL'] '-e' 'other host' '-a' $lab['LAN2_IP'] $port $port TCP
        try {
            $run = Invoke-Diagnosis $port
            Clear-Pending $listener
            $run.Diagnosis.FirstFailure.Name | Should -Be 'InternalClient'
            $run.Diagnosis.Verdict | Should -Match ([regex]::Escape("leads to $($lab['LAN2_IP']), not to this host"))
            Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse
            $listener.Pending() | Should -BeFalse
        }
        finally {
            # Secure mode lets only the other host remove its mapping.
            $null = Invoke-Lab exec lan2 upnpc '-u' $lab['DESCRIPTION_URL'] '-d' $port TCP
        }
    }

    It 'names the absent mapping (never added, expired or forgotten), and the WAN host is refused' {
        $script:listener = Start-LabListener $port
        $run = Invoke-Diagnosis $port
        $run.Diagnosis.FirstFailure.Name | Should -Be 'MappingExists'
        $run.Diagnosis.Verdict | Should -Match "^The router has no TCP $port mapping: add it with Add-UpnpPortMapping $port"
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse
    }

    It 'names the absent mapping where the router refuses every mapping (deny-all), and the WAN host is refused' {
        $null = Invoke-Lab field deny-all
        $script:listener = Start-LabListener $port
        $null = Add-UpnpPortMapping $port -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -Be 'UpnpError606,PSUpnp.Commands.AddUpnpPortMappingCommand'
        $run = Invoke-Diagnosis $port
        $run.Diagnosis.FirstFailure.Name | Should -Be 'MappingExists'
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse
    }

    It 'fails the Gateway check for a remembered router whose UPnP went off, then finds it by PCP and says the mapping cannot be looked up' {
        $null = Invoke-Lab field upnp-off
        $script:listener = Start-LabListener $port
        # The session still remembers the router from the tests before: it no longer answers UPnP, and is forgotten.
        $run = Invoke-Diagnosis $port -Extra @{ TimeoutSec = 2 }
        $run.Diagnosis.FirstFailure.Name | Should -Be 'Gateway'
        $run.Diagnosis.Verdict | Should -Match 'turn UPnP \(IGD\), PCP or NAT-PMP on in the router'
        # Asked again, discovery finds the router by PCP and NAT-PMP, which cannot look a mapping up: no guess either way.
        $run = Invoke-Diagnosis $port -Extra @{ TimeoutSec = 2 }
        $run.Result['Gateway'] | Should -Be 'Passed'
        $run.Diagnosis.Gateway.Methods | Should -Contain ([PSUpnp.PortMappingMethod]::Pcp)
        $run.Result['MappingExists'] | Should -Be 'Inconclusive'
        $run.Diagnosis.Verdict | Should -Match "cannot look a mapping up; Add-UpnpPortMapping $port -Protocol TCP -Renew makes sure it exists"
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse -Because 'no mapping was made yet'
        # Made through PCP, the port is reachable, and the diagnosis finds no fault in what it can check.
        (Add-UpnpPortMapping $port -ErrorAction Stop).Method | Should -Be 'Pcp'
        $run = Invoke-Diagnosis $port -Extra @{ TimeoutSec = 2 }
        Clear-Pending $listener
        $run.Diagnosis.Verdict | Should -Match '^No fault found in what could be checked'
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeTrue
        $null = Remove-UpnpPortMapping $port TCP -ErrorAction Stop
    }

    It 'names no router answering UPnP, PCP or NAT-PMP as its first finding, not as an error, and the WAN host is refused' {
        $null = Invoke-Lab field portmap-off
        $script:listener = Start-LabListener $port
        $run = Invoke-Diagnosis $port -Extra @{ TimeoutSec = 2 }
        $run.Diagnosis.FirstFailure.Name | Should -Be 'Gateway'
        # Asked again, discovery finds nothing: still a diagnosis, not an error.
        $run = Invoke-Diagnosis $port -Extra @{ TimeoutSec = 2 }
        $run.Diagnosis.FirstFailure.Name | Should -Be 'Gateway'
        $run.Diagnosis.Verdict | Should -Match '^No gateway answered UPnP, PCP or NAT-PMP: turn UPnP \(IGD\), PCP or NAT-PMP on in the router'
        $run.Diagnosis.Gateway | Should -BeNullOrEmpty
        $run.Result['Stun'] | Should -Be 'Information' -Because 'STUN still answers: it names the public address even without a router to compare'
        Test-WanTcpConnection $lab['RTR_WAN_IP'] $port | Should -BeFalse
    }

    It 'names the NAT beyond the router in <Mode> although the mapping and listener are fine, and the WAN host is refused' -TestCases @(
        @{ Mode = 'cgnat' }
        @{ Mode = 'double-router' }
    ) {
        $null = Invoke-Lab field $Mode
        $script:listener = Start-LabListener $port
        $null = Add-UpnpPortMapping $port -WarningAction SilentlyContinue -ErrorAction Stop
        $run = Invoke-Diagnosis $port
        Clear-Pending $listener
        $run.Diagnosis.FirstFailure.Name | Should -Be 'AddressOwner'
        $run.Diagnosis.Verdict | Should -Match '^Another NAT lies beyond the router, so the mapping is not reachable from the internet'
        $run.Result['MappingExists'] | Should -Be 'Passed'
        $run.Result['Listener'] | Should -Be 'Passed'
        "$($run.Diagnosis.ExternalAddress)" | Should -Be $lab['EDGE_WAN_IP']
        Test-WanTcpConnection $lab['EDGE_WAN_IP'] $port | Should -BeFalse
        $listener.Pending() | Should -BeFalse
    }

    It 'names the missing external address behind a carrier NAT the router cannot see through (cgnat-nostun), and the WAN host is refused' {
        $null = Invoke-Lab field cgnat-nostun
        $script:listener = Start-LabListener $port
        $run = Invoke-Diagnosis $port
        $run.Diagnosis.FirstFailure.Name | Should -Be 'ExternalAddress'
        $run.Diagnosis.Verdict | Should -Match '^The router has no external address'
        Test-WanTcpConnection $lab['EDGE_WAN_IP'] $port | Should -BeFalse
    }

    It 'says for UDP that whether a service answers cannot be told' {
        $null = Add-UpnpPortMapping $port -Protocol UDP -ErrorAction Stop
        try {
            $run = Invoke-Diagnosis $port -Protocol UDP
            $run.Result['Listener'] | Should -Be 'Inconclusive'
            ($run.Diagnosis.Checks | Where-Object Name -eq 'Listener').Detail | Should -Match 'cannot be told for UDP'
        }
        finally {
            Remove-UpnpPortMapping $port UDP -Confirm:$false -ErrorAction SilentlyContinue
        }
    }

    It 'collects with -Detailed a bundle that survives ConvertTo-Json and Export-Clixml, with no device identifier' {
        $null = Add-UpnpPortMapping $port -ErrorAction Stop
        $run = Invoke-Diagnosis $port -Extra @{ Detailed = $true }
        $details = $run.Diagnosis.Details
        $details | Should -Not -BeNullOrEmpty
        $details.InterfacesSearched | Should -Not -BeNullOrEmpty
        @($details.SsdpAnswers).Count | Should -BeGreaterThan 0
        $details.SsdpAnswers[0].Location | Should -Be $lab['DESCRIPTION_URL']
        @($details.SsdpAnswers | Where-Object Interface -match ([regex]::Escape($lab['LAN_IP']))) | Should -Not -BeNullOrEmpty
        $details.ServerHeader | Should -Match 'miniupnpd'
        $details.ExternalAddress | Should -Be $lab['RTR_WAN_IP']
        $details.ConnectionStatus | Should -Be 'Connected'
        $details.NatType | Should -Not -BeNullOrEmpty

        $json = $details | ConvertTo-Json -Depth 4
        $json | Should -Not -Match ([regex]::Escape($lab['MINIUPNPD_UUID'])) -Because 'the UDN names one device wherever it goes'
        $json | Should -Not -Match 'PSUPNPLAB' -Because 'the serial number is left out'
        $back = $json | ConvertFrom-Json
        $back.ExternalAddress | Should -Be $lab['RTR_WAN_IP']
        $back.SsdpAnswers[0].Location | Should -Be $lab['DESCRIPTION_URL']

        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-bundle-$PID.xml"
        try {
            $run.Diagnosis | Export-Clixml -LiteralPath $file -Depth 4
            $saved = Import-Clixml -LiteralPath $file
            $saved.Verdict | Should -Be $run.Diagnosis.Verdict
            $saved.Details.SsdpAnswers[0].Location | Should -Be $lab['DESCRIPTION_URL']
            @($saved.Checks).Count | Should -Be $run.Diagnosis.Checks.Count
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }
}
