#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-UpnpPortMapping as a user runs it: every error it can write, its table, its progress, and the lab flow
# (discovery, add, list, remove) that ends in it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:command = 'PSUpnp.Commands.GetUpnpPortMappingCommand'
}

Describe 'Get-UpnpPortMapping' {
    Context 'Arguments refused before anything is sent' {
        It 'refuses <Case> with ParameterArgumentValidationError' -TestCases @(
            @{ Case = '-ExternalPort 0'; Arguments = @{ ExternalPort = 0 } }
            @{ Case = '-ExternalPort 65536'; Arguments = @{ ExternalPort = 65536 } }
            @{ Case = '-TimeoutSec 0'; Arguments = @{ TimeoutSec = 0 } }
        ) {
            { Get-UpnpPortMapping @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,$command"
        }

        It 'refuses a -Protocol other than TCP or UDP with CannotConvertArgumentNoMessage' {
            { Get-UpnpPortMapping -Protocol Both -Gateway (New-DeadGateway) -ErrorAction Stop } |
                Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$command"
        }

        It 'reports piped text that is not a description URL as ParameterArgumentTransformationError, saying what to pass' {
            $output = 'router' | Get-UpnpPortMapping -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,$command"
            $failures[0].Exception.Message | Should -Match "'router' is not a gateway's description URL.*Find-UpnpGateway"
        }
    }

    Context 'Default formatting' {
        BeforeAll {
            # The widest values a mapping's key columns take: five-digit ports, a 15-character IPv4 client, and a
            # description as applications write them (address and port inside).
            $gateway = New-DeadGateway
            $script:mappings = @(
                New-Object PSUpnp.UpnpPortMapping -ArgumentList @(
                    $gateway, $null, 65535, 'UDP', 65534, [ipaddress] '192.168.100.200', $true, 'Transmission at 192.168.100.200', [timespan]::FromDays(7), $null)
                New-Object PSUpnp.UpnpPortMapping -ArgumentList @(
                    $gateway, [ipaddress] '203.0.113.200', 8080, 'TCP', 80, [ipaddress] '192.168.100.201', $false, 'Web server', [timespan]::Zero, $null)
            )
        }

        It 'shows every key column whole, on one line per mapping, at 120 columns' {
            $lines = @($mappings | Out-String -Width 120 -Stream | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 4
            $lines[0] -split '\s+' | Should -Be @('Protocol', 'ExternalPort', 'InternalClient', 'InternalPort', 'Lease', 'RemoteHost', 'Description', 'Enabled')
            $lines[2] | Should -Match '^UDP\s+65535 192\.168\.100\.200\s+65534 7\.00:00:00 \*\s+Transmission at 192\.168\.100\.200\s+True$'
            $lines[3] | Should -Match '^TCP\s+8080 192\.168\.100\.201\s+80 Permanent\s+203\.0\.113\.200\s+Web server\s+False$'
        }

        It 'still shows protocol, ports and client first at 80 columns' {
            $lines = @($mappings | Out-String -Width 80 -Stream | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 4
            $lines[2] | Should -Match '^UDP\s+65535 192\.168\.100\.200\s+65534 '
            $lines[3] | Should -Match '^TCP\s+8080 192\.168\.100\.201\s+80 '
            ($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
            $lines[0] -split '\s+' | Should -Be @('Protocol', 'ExternalPort', 'InternalClient', 'InternalPort', 'Lease', 'RemoteHost') -Because 'a column that does not fit is left out whole, not squeezed into a header one letter wide'
        }
    }

    Context 'Against the lab router' -Tag 'Lab' {
        BeforeAll {
            Assert-InLab
            $script:conf = Get-LabConfig
            $script:router = Find-UpnpGateway -Location $conf['DESCRIPTION_URL'] -ErrorAction Stop
        }

        It 'discovers the lab router, opens a port, lists it and closes it' {
            $gateway = Find-UpnpGateway -TimeoutSec 5
            $added = $gateway | Add-UpnpPortMapping 40123 -Protocol Both -Description 'Pester lab' -LeaseDuration '00:10:00' -Confirm:$false
            $listed = @($gateway | Get-UpnpPortMapping -ExternalPort 40123)
            # Discovery, listing and removal in one pipeline, each object handled as it arrives.
            $removed = @(Find-UpnpGateway -TimeoutSec 5 | Get-UpnpPortMapping -ExternalPort 40123 | Remove-UpnpPortMapping -PassThru -Confirm:$false)
            $after = @($gateway | Get-UpnpPortMapping -ExternalPort 40123)

            @($added) | Should -HaveCount 2
            $listed | Should -HaveCount 2
            ($listed.Protocol | Sort-Object) | Should -Be @('TCP', 'UDP')
            $listed.InternalClient | Should -Be @(([ipaddress] $conf['LAN_IP']), ([ipaddress] $conf['LAN_IP']))
            $listed.Description | Should -Be @('Pester lab', 'Pester lab')
            $removed | Should -HaveCount 2
            $after | Should -HaveCount 0
        }

        It 'filters by protocol, client and description wildcards' {
            $null = $router | Add-UpnpPortMapping 40124 -Protocol Both -Description 'Pester filter' -LeaseDuration '00:10:00' -Confirm:$false
            try {
                $udp = @($router | Get-UpnpPortMapping -ExternalPort 40124 -Protocol UDP)
                $byClient = @($router | Get-UpnpPortMapping -ExternalPort 40124 -InternalClient (($conf['LAN_IP'] -replace '\.\d+$') + '.*'))
                $byDescription = @($router | Get-UpnpPortMapping -Description 'pester FILT*')
                $none = @($router | Get-UpnpPortMapping -ExternalPort 40124 -Description 'Nobody*')
            }
            finally {
                $null = $router | Get-UpnpPortMapping -ExternalPort 40124 | Remove-UpnpPortMapping -Confirm:$false
            }
            $udp | Should -HaveCount 1
            $udp[0].Protocol | Should -Be 'UDP'
            $byClient | Should -HaveCount 2
            $byDescription | Should -HaveCount 2
            $none | Should -HaveCount 0
        }

        It 'writes progress records of one activity, the last one Completed' {
            $null = $router | Add-UpnpPortMapping 40125 -Description 'Pester progress' -LeaseDuration '00:10:00' -Confirm:$false
            $ps = Start-ModulePowerShell { param($Gateway) $Gateway | Get-UpnpPortMapping } @{ Gateway = $router }
            try {
                $output = $ps.Invoke()
                $ps.HadErrors | Should -BeFalse
                $records = @($ps.Streams.Progress)
            }
            finally {
                $ps.Dispose()
                $null = $router | Remove-UpnpPortMapping 40125 -Protocol TCP -Confirm:$false
            }
            @($output | Where-Object ExternalPort -EQ 40125) | Should -HaveCount 1
            $records.Count | Should -BeGreaterOrEqual 2
            @($records.ActivityId | Sort-Object -Unique) | Should -HaveCount 1
            $records[0].RecordType | Should -Be 'Processing'
            $records[-1].RecordType | Should -Be 'Completed'
            @($records | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 1
        }

        It 'stops the pipeline with UpnpGatewayNotFound when no gateway is given and none answers' {
            # A new pwsh: its session has no gateway remembered from the tests before, as a scheduled task starts.
            $script = Join-Path ([IO.Path]::GetTempPath()) "psupnp-notfound-$PID.ps1"
            Set-Content -LiteralPath $script -Value @'
param($ModulePath)
Import-Module $ModulePath
try { Get-UpnpPortMapping -TimeoutSec 2; 'no error' } catch { 'terminating ' + $_.FullyQualifiedErrorId }
'@
            $null = Invoke-Lab miniupnpd stop
            try {
                $run = Invoke-PwshFile -Path $script -Arguments @('-ModulePath', (Get-PSUpnpModulePath))
            }
            finally {
                $null = Invoke-Lab miniupnpd start
                Remove-Item -LiteralPath $script -Force
            }
            $run.Output | Should -Be @("terminating UpnpGatewayNotFound,$command")
            $run.ExitCode | Should -Be 0
        }

        It 'reports a gateway whose control port is closed as UpnpConnectionRefused' {
            $gateway = New-LabGateway ('http://{0}:1/ctl/IPConn' -f $conf['RTR_LAN_IP'])
            $output = $gateway | Get-UpnpPortMapping -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpConnectionRefused,$command"
            $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'reports a gateway that accepts and never answers as UpnpTimeout' {
            $silent = Start-FakeHttpServer -Address $conf['LAN_IP']
            try {
                $output = New-LabGateway "$($silent.Url)/ctl/IPConn" | Get-UpnpPortMapping -TimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                Stop-FakeHttpServer $silent
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "UpnpTimeout,$command"
        }

        It 'reports a gateway that answers <Case> as <ErrorId>' -TestCases @(
            @{ Case = 'HTTP 503'; ErrorId = 'UpnpHttpError503'; Status = '503 Service Unavailable'; Body = 'busy' }
            @{ Case = 'UPnP error 606'; ErrorId = 'UpnpError606'; Status = '500 Internal Server Error'; Body = '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>606</errorCode><errorDescription>Action not authorized</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>' }
            @{ Case = 'a SOAP fault without a UPnP error'; ErrorId = 'UpnpSoapFault'; Status = '500 Internal Server Error'; Body = '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>Broken</faultstring></s:Fault></s:Body></s:Envelope>' }
            @{ Case = 'a body that is not SOAP'; ErrorId = 'UpnpMalformedResponse'; Status = '200 OK'; Body = 'hello' }
        ) {
            $device = Start-FakeHttpServer -Address $conf['LAN_IP'] -Response (New-HttpResponse -Status $Status -Body $Body)
            try {
                $output = New-LabGateway "$($device.Url)/ctl/IPConn" | Get-UpnpPortMapping -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                Stop-FakeHttpServer $device
            }
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$command"
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
    }
}
