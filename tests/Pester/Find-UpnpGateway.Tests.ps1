#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Find-UpnpGateway as a user runs it: every error it can write, its table, its progress, and Ctrl+C during a search.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:command = 'PSUpnp.Commands.FindUpnpGatewayCommand'
}

Describe 'Find-UpnpGateway' {
    Context 'Arguments refused before anything is sent' {
        It 'refuses -TimeoutSec <TimeoutSec> with ParameterArgumentValidationError' -TestCases @(
            @{ TimeoutSec = 0 }, @{ TimeoutSec = 601 }
        ) {
            { Find-UpnpGateway -TimeoutSec $TimeoutSec -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$command"
        }

        It 'refuses a -LocalAddress that is not an IP address with CannotConvertArgumentNoMessage' {
            { Find-UpnpGateway -LocalAddress 'router' -ErrorAction Stop } |
                Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$command"
        }

        It 'refuses a -Location that is not a URI with CannotConvertArgumentNoMessage' {
            { Find-UpnpGateway -Location 'http://a..b/rootDesc.xml' -ErrorAction Stop } |
                Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$command"
        }

        It 'reports a -Location <Location> that is not an absolute http URL as UpnpLocationInvalid' -TestCases @(
            @{ Location = 'ftp://192.0.2.1/rootDesc.xml' }, @{ Location = 'rootDesc.xml' }
        ) {
            $output = Find-UpnpGateway -Location $Location -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpLocationInvalid,$command"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            "$($failures[0].TargetObject)" | Should -Be $Location
            $failures[0].ErrorDetails.RecommendedAction | Should -Match 'http://'
        }
    }

    Context 'Default formatting' {
        BeforeAll {
            # A gateway as discovery builds it, with the longest values a home router gives (IPv4 address, port).
            $script:gateway = New-Object PSUpnp.UpnpGateway -ArgumentList @(
                'Home router', 'Router', 'R7000', 'uuid:format', 2, 'urn:schemas-upnp-org:service:WANIPConnection:2',
                [uri] 'http://192.168.100.254:49152/upnp/control/WANIPConn1', [uri] 'http://192.168.100.254:49152/rootDesc.xml',
                $null, [ipaddress] '192.168.100.200')
        }

        It 'shows the ways, the control URL''s host and port and the whole local address at 120 columns' {
            $lines = @($gateway | Out-String -Width 120 -Stream | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 3
            $lines[0] -split '\s+' | Should -Be @('FriendlyName', 'Methods', 'Service', 'IGD', 'Router', 'LocalAddress')
            $lines[2] | Should -Match '^Home router\s+UpnpIgd\s+WANIPConnection:2\s+2 http://192\.168\.100\.254:49152/\S*\s+192\.168\.100\.200$'
        }

        It 'keeps one line per gateway, the ways and the router first, at 80 columns' {
            $lines = @($gateway | Out-String -Width 80 -Stream | Where-Object { $_.Trim() })
            $row = $lines | Where-Object { $_ -match '^Home router' }
            $row | Should -HaveCount 1
            $row | Should -Match '^Home router\s+UpnpIgd\s+WANIPConnection:2\s+2 http://192\.168\.10'
            ($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
            $lines | Should -HaveCount 3 -Because 'a header, its underline and one row: no header wrapped into a narrow column'
        }

        It 'shows a router found only by PCP and NAT-PMP by its ways and address, with no UPnP cells' {
            $router = New-Object PSUpnp.UpnpGateway -ArgumentList @(
                '', '', '', '', 0, $null, $null, $null, $null, [ipaddress] '192.168.100.200', $null, $null,
                [ipaddress] '192.168.100.254', [PSUpnp.PortMappingMethod[]] @('NatPmp', 'Pcp'))
            $lines = @($router | Out-String -Width 120 -Stream | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 3
            $lines[2] | Should -Match '^\s+Pcp,NatPmp\s+192\.168\.100\.254\s+192\.168\.100\.200$'
        }
    }

    Context 'Against the lab router' -Tag 'Lab' {
        BeforeAll {
            Assert-InLab
            $script:conf = Get-LabConfig
        }

        It 'finds the lab router by discovery and by its description URL' {
            $found = @(Find-UpnpGateway -TimeoutSec 5)
            $found | Should -HaveCount 1
            $found[0].ControlUrl.Host | Should -Be $conf['RTR_LAN_IP']
            $found[0].LocalAddress | Should -Be ([ipaddress] $conf['LAN_IP'])

            $pinned = @(Find-UpnpGateway -Location $conf['DESCRIPTION_URL'])
            $pinned | Should -HaveCount 1
            $pinned[0].ControlUrl | Should -Be $found[0].ControlUrl
        }

        It 'reports UpnpGatewayNotFound when no router answers (miniupnpd stopped)' {
            $null = Invoke-Lab miniupnpd stop
            try {
                $output = Find-UpnpGateway -TimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                $null = Invoke-Lab miniupnpd start
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpGatewayNotFound,$command"
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].ErrorDetails.RecommendedAction | Should -Match '-Location'
        }

        It 'reports UpnpGatewayNotFound, naming UpnpLocationNotFollowed, when the only answer points at another network' {
            # A responder on this host answers each M-SEARCH (the search's multicast loops back to it) with a LOCATION
            # on the WAN: a control point must not be steered there.
            $responder = [System.Net.Sockets.UdpClient]::new()
            $responder.Client.SetSocketOption('Socket', 'ReuseAddress', $true)
            $responder.Client.Bind([System.Net.IPEndPoint]::new([ipaddress]::Any, 1900))
            $responder.JoinMulticastGroup([ipaddress] '239.255.255.250', [ipaddress] $conf['LAN_IP'])
            $answering = [powershell]::Create()
            $null = $answering.AddScript({
                param($Socket, $Location)
                while ($true) {
                    $from = [System.Net.IPEndPoint]::new([ipaddress]::Any, 0)
                    try { $request = [System.Text.Encoding]::ASCII.GetString($Socket.Receive([ref] $from)) } catch { return }
                    if ($request -notmatch '^M-SEARCH') { continue }
                    $answer = [System.Text.Encoding]::ASCII.GetBytes(("HTTP/1.1 200 OK`r`nCACHE-CONTROL: max-age=120`r`nEXT:`r`n" +
                            "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1`r`nUSN: uuid:pester-elsewhere::urn:schemas-upnp-org:device:InternetGatewayDevice:1`r`n" +
                            "SERVER: Pester/1.0 UPnP/1.1 Fake/1.0`r`nLOCATION: $Location`r`n`r`n"))
                    $null = $Socket.Send($answer, $answer.Length, $from)
                }
            }).AddArgument($responder).AddArgument(('http://{0}:{1}/rootDesc.xml' -f $conf['WAN_IP1'], $conf['MINIUPNPD_HTTP_PORT']))
            $null = Invoke-Lab miniupnpd stop
            try {
                $null = $answering.BeginInvoke()
                $output = Find-UpnpGateway -TimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                $responder.Dispose()
                $answering.Stop()
                $answering.Dispose()
                $null = Invoke-Lab miniupnpd start
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpGatewayNotFound,$command"
            $failures[0].Exception.InnerException.ErrorId | Should -Be 'UpnpLocationNotFollowed'
            $failures[0].Exception.Message | Should -Match 'was not followed'
        }

        It 'reports a -LocalAddress that no interface has as UpnpLocalAddressNotFound' {
            $output = Find-UpnpGateway -LocalAddress $conf['WAN_IP1'] -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpLocalAddressNotFound,$command"
            "$($failures[0].TargetObject)" | Should -Be $conf['WAN_IP1']
        }

        It 'reports -Location <Case> as <ErrorId>' -TestCases @(
            @{ Case = 'at a closed port of the router'; ErrorId = 'UpnpConnectionRefused'; Url = { 'http://{0}:1/rootDesc.xml' -f $conf['RTR_LAN_IP'] } }
            @{ Case = 'at a path the router does not serve'; ErrorId = 'UpnpHttpError404'; Url = { 'http://{0}:{1}/missing.xml' -f $conf['RTR_LAN_IP'], $conf['MINIUPNPD_HTTP_PORT'] } }
            @{ Case = 'with a host name that cannot resolve'; ErrorId = 'UpnpNameNotResolved'; Url = { 'http://-:{0}/rootDesc.xml' -f $conf['MINIUPNPD_HTTP_PORT'] } }
            @{ Case = 'at an IPv6 address this host has no route to'; ErrorId = 'UpnpNoRoute'; Url = { 'http://[{0}]:{1}/rootDesc.xml' -f $conf['NO_ROUTE6_IP'], $conf['MINIUPNPD_HTTP_PORT'] } }
        ) {
            $location = & $Url
            $output = Find-UpnpGateway -Location $location -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$command"
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'reports -Location at a LAN address where no host answers ARP as UpnpHostUnreachable' {
            # The kernel gives up on an address after its ARP probes: 3 s by default, longer on a loaded machine, by
            # when the description read's own bound may have ended it. Faster probes here, for this one test.
            $absent = ($conf['LAN_IP'] -replace '\.\d+$') + '.254'
            $setting = "net.ipv4.neigh.$($conf['CLIENT_IF']).retrans_time_ms"
            $saved = (& sysctl -n $setting)
            $null = & sysctl -w "$setting=100"
            try {
                $output = Find-UpnpGateway -Location ('http://{0}:{1}/rootDesc.xml' -f $absent, $conf['MINIUPNPD_HTTP_PORT']) -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                $null = & sysctl -w "$setting=$saved"
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpHostUnreachable,$command"
        }

        It 'reports a device that answers <Case> as <ErrorId>' -TestCases @(
            @{ Case = 'nothing at all (it accepts and stays silent)'; ErrorId = 'UpnpTimeout'; Response = $null }
            @{ Case = 'something that is not HTTP'; ErrorId = 'UpnpMalformedHttp'; Response = { "SSH-2.0-OpenSSH_9.2`r`n`r`n" } }
            @{ Case = 'a body larger than a description may be'; ErrorId = 'UpnpResponseTooLarge'; Response = { New-HttpResponse -Body '<root/>' -ContentLength 100000000 } }
            @{ Case = 'part of its body and closes'; ErrorId = 'UpnpIncompleteResponse'; Response = { New-HttpResponse -Body '<root>' -ContentLength 5000 } }
            @{ Case = 'XML that is not well formed'; ErrorId = 'UpnpMalformedDescription'; Response = { New-HttpResponse -Body '<root><device>' } }
            @{ Case = 'a description with a DTD'; ErrorId = 'UpnpDescriptionDtdProhibited'; Response = { New-HttpResponse -Body '<?xml version="1.0"?><!DOCTYPE root [<!ENTITY a "a">]><root>&a;</root>' } }
            @{ Case = 'a device without a WAN connection service'; ErrorId = 'UpnpNoConnectionService'; Response = {
                    New-HttpResponse -Body ('<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>' +
                        '<device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>Media box</friendlyName>' +
                        '<manufacturer>Pester</manufacturer><modelName>Box</modelName><UDN>uuid:media-box</UDN></device></root>') } }
        ) {
            $device = if ($Response) { Start-FakeHttpServer -Address $conf['LAN_IP'] -Response (& $Response) } else { Start-FakeHttpServer -Address $conf['LAN_IP'] }
            try {
                # Silence is told by the bound alone, so a short one; an answer, however bad, gets a generous one.
                $timeout = if ($Response) { 10 } else { 1 }
                $output = Find-UpnpGateway -Location "$($device.Url)/rootDesc.xml" -TimeoutSec $timeout -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                Stop-FakeHttpServer $device
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$command"
        }

        It 'writes progress records of one activity, the last one Completed' {
            $ps = Start-ModulePowerShell { Find-UpnpGateway -TimeoutSec 5 }
            try {
                $found = $ps.Invoke()
                $ps.HadErrors | Should -BeFalse
                $found | Should -HaveCount 1
                $records = @($ps.Streams.Progress)
            }
            finally {
                $ps.Dispose()
            }
            $records.Count | Should -BeGreaterOrEqual 2
            @($records.ActivityId | Sort-Object -Unique) | Should -HaveCount 1
            $records[0].RecordType | Should -Be 'Processing'
            $records[0].StatusDescription | Should -Match 'Waiting up to 5 s'
            $records[-1].RecordType | Should -Be 'Completed'
            @($records | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 1
        }

        Context 'Ctrl+C' {
            It 'stops a discovery that nothing answers within a second and closes its sockets' {
                $before = @(Get-OwnSocket udp)
                $null = Invoke-Lab miniupnpd stop
                $ps = Start-ModulePowerShell { Find-UpnpGateway -All -TimeoutSec 120 }
                try {
                    $null = $ps.BeginInvoke()
                    Wait-Until -Because 'the search to open its sockets' {
                        $ps.InvocationStateInfo.State -eq 'Running' -and @(Get-NewSocket udp $before).Count -gt 0
                    }
                    $elapsed = Measure-Stop $ps
                    $state = $ps.InvocationStateInfo.State
                }
                finally {
                    $ps.Dispose()
                    $null = Invoke-Lab miniupnpd start
                }
                $elapsed | Should -BeLessThan ([timespan]::FromSeconds(1))
                $state | Should -Be 'Stopped'
                # Nothing of the search is left listening or sending once its sockets are gone.
                Wait-SocketsClosed udp $before
            }

            It 'stops the read of a description that never comes within a second and closes the connection' {
                $silent = Start-FakeHttpServer -Address $conf['LAN_IP']
                $ps = Start-ModulePowerShell { param($Location) Find-UpnpGateway -Location $Location -TimeoutSec 120 } @{
                    Location = "$($silent.Url)/rootDesc.xml"
                }
                $accepted = @()
                try {
                    $null = $ps.BeginInvoke()
                    Wait-Until -Because 'the description request to reach the device' { $silent.Listener.Pending() }
                    $elapsed = Measure-Stop $ps
                    $state = $ps.InvocationStateInfo.State
                    while ($silent.Listener.Pending()) { $accepted += $silent.Listener.AcceptTcpClient() }
                    # The cmdlet's end of each connection must be closed: after the request the device reads end of
                    # stream or a reset, never a read timeout (a socket still open behind the stopped pipeline).
                    $ends = foreach ($client in $accepted) {
                        $client.ReceiveTimeout = 15000
                        $stream = $client.GetStream()
                        $buffer = [byte[]]::new(4096)
                        try {
                            do { $read = $stream.Read($buffer, 0, $buffer.Length) } while ($read -gt 0)
                            'closed'
                        }
                        catch [System.IO.IOException] {
                            if ($_.Exception.GetBaseException().SocketErrorCode -ne 'ConnectionReset') { throw }
                            'reset'
                        }
                    }
                }
                finally {
                    $accepted | ForEach-Object Dispose
                    Stop-FakeHttpServer $silent
                    $ps.Dispose()
                }
                $elapsed | Should -BeLessThan ([timespan]::FromSeconds(1))
                $state | Should -Be 'Stopped'
                $accepted.Count | Should -BeGreaterOrEqual 1
                $ends | Should -HaveCount $accepted.Count
            }
        }
    }
}
