#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-UpnpExternalAddress: -Gateway in every form (a gateway, one saved with Export-Clixml, one returned through a
# runspace or process boundary, a description URL), each error by its FullyQualifiedErrorId, and its output through the
# real formatter.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:Fqid = ',PSUpnp.Commands.GetUpnpExternalAddressCommand'

    # A gateway as it comes back from another runspace or host: serialized and deserialized, as remoting does.
    function ConvertTo-Deserialized($InputObject) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($InputObject))
    }
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'Get-UpnpExternalAddress binding' {
    It 'declares -Gateway named, by value and by property name, as every gateway cmdlet does' {
        foreach ($name in 'Get-UpnpExternalAddress', 'Add-UpnpPortMapping', 'Get-UpnpPortMapping', 'Remove-UpnpPortMapping') {
            $parameter = (Get-Command $name).Parameters['Gateway']
            $parameter.ParameterType | Should -Be ([PSUpnp.Commands.GatewayReference])
            $attribute = @($parameter.Attributes | Where-Object { $_ -is [Parameter] })
            $attribute | Should -HaveCount 1 -Because "$name declares -Gateway once, in every parameter set"
            $attribute[0].Position | Should -BeLessThan 0
            $attribute[0].ValueFromPipeline | Should -BeTrue
            $attribute[0].ValueFromPipelineByPropertyName | Should -BeTrue
            @($parameter.Attributes | Where-Object { $_ -is [PSUpnp.Commands.GatewayTransformationAttribute] }) | Should -HaveCount 1
        }
    }

    It 'uses a gateway rebuilt from <Form>' -TestCases @(
        @{ Form = 'a deserialized copy (a runspace boundary)'; Make = { ConvertTo-Deserialized (New-DeadGateway) } }
        @{ Form = 'an Import-Clixml file'; Make = {
                $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-gw-$PID.xml"
                New-DeadGateway | Export-Clixml -LiteralPath $file
                Import-Clixml -LiteralPath $file
                Remove-Item -LiteralPath $file } }
        @{ Form = 'the Gateway property of a saved mapping'; Make = { ConvertTo-Deserialized (New-Mapping 8080 TCP (New-DeadGateway)) } }
    ) {
        $saved = & $Make
        $saved | Should -Not -BeOfType [PSUpnp.UpnpGateway]
        # The rebuilt gateway is really asked: its control URL is the dead loopback port, which refuses at once.
        $null = $saved | Get-UpnpExternalAddress -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpConnectionRefused' + $Fqid)
        "$($failures[0].TargetObject)" | Should -Match '^Dead router \(http://127\.0\.0\.1:9/ctl/IPConn\)$|^http://127\.0\.0\.1:9/'
    }

    It 'answers every gateway piped in, one error each for those that do not answer' {
        $gateways = @((New-DeadGateway), (ConvertTo-Deserialized (New-DeadGateway)), 'http://127.0.0.1:9/rootDesc.xml')
        $null = $gateways | Get-UpnpExternalAddress -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 3
        $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be ('UpnpConnectionRefused' + $Fqid)
    }
}

Describe 'Get-UpnpExternalAddress errors without the lab' {
    It 'rejects <Case> before any request' -TestCases @(
        @{ Case = 'a URL without a scheme'; Gateway = '192.168.1.1:5000/rootDesc.xml'; Id = 'ParameterArgumentTransformationError' }
        @{ Case = 'an https URL'; Gateway = 'https://192.168.1.1/rootDesc.xml'; Id = 'ParameterArgumentTransformationError' }
        @{ Case = 'a number'; Gateway = 5000; Id = 'CannotConvertArgumentNoMessage' }
    ) {
        { Get-UpnpExternalAddress -Gateway $Gateway -ErrorAction Stop } | Should -Throw -ErrorId ($Id + $Fqid)
    }

    It 'rejects a saved gateway without its control URL, saying what to pass instead' {
        $saved = ConvertTo-Deserialized (New-DeadGateway)
        $saved.ControlUrl = $null
        $failure = { $saved | Get-UpnpExternalAddress -ErrorAction Stop } |
            Should -Throw -ErrorId ('ParameterArgumentTransformationError' + $Fqid) -PassThru
        $failure.Exception.Message | Should -Match 'has no usable ControlUrl'
        $failure.Exception.Message | Should -Match 'Export-Clixml'
    }

    It 'reports an unreachable gateway as UpnpConnectionRefused' {
        $null = Get-UpnpExternalAddress -Gateway (New-DeadGateway) -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpConnectionRefused' + $Fqid)
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}

Describe 'Get-UpnpExternalAddress output formatting' {
    BeforeAll {
        $gateway = New-Object PSUpnp.UpnpGateway -ArgumentList @(
            'FRITZ!Box 7590 AX', 'AVM', 'FRITZ!Box 7590 AX', 'uuid:x', 2, 'urn:schemas-upnp-org:service:WANIPConnection:2',
            [uri] 'http://192.168.178.254:49000/igdupnp/control/WANIPConn1', [uri] 'http://192.168.178.254:49000/igddesc.xml', $null,
            [ipaddress] '192.168.178.20')
        $script:address = New-Object PSUpnp.UpnpExternalAddress -ArgumentList @(
            $gateway, [ipaddress] '203.0.113.200', 'Connected', [timespan]::new(12, 3, 4, 5), 'ERROR_NONE')
    }

    It 'shows every key column whole at 120 columns, the control URL host included' {
        $lines = ($address | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines | Should -HaveCount 3 -Because 'a header, its underline and one row: nothing wrapped'
        $lines[0] | Should -Match '^ExternalAddress\s+ConnectionStatus Uptime\s+DoubleNat Gateway\s+Router\s+LastConnectionError$'
        $lines[-1] | Should -Not -Match '…'
        $lines[-1] | Should -Match '^203\.0\.113\.200\s+Connected\s+12\.03:04:05\s+False\s+192\.168\.178\.254 FRITZ!Box 7590 AX\s+ERROR_NONE$'
    }

    It 'still shows the address, status and gateway host at 80 columns' {
        $lines = ($address | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[-1] | Should -Match '^203\.0\.113\.200\s+Connected\s+12\.03:04:05\s+False\s+192\.168\.178\.254 '
    }
}

Describe 'Get-UpnpExternalAddress in the lab' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:lab = Get-LabConfig
    }

    It 'answers for a gateway saved with Export-Clixml and read back with Import-Clixml' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-lab-gw-$PID.xml"
        try {
            Find-UpnpGateway -TimeoutSec 5 | Export-Clixml -LiteralPath $file
            $address = Import-Clixml -LiteralPath $file | Get-UpnpExternalAddress -ErrorAction Stop
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        "$($address.ExternalAddress)" | Should -Be $lab['RTR_WAN_IP']
        $address.Gateway | Should -BeOfType [PSUpnp.UpnpGateway]
    }

    It 'answers for a gateway another pwsh process found and returned as CLIXML' {
        $pwsh, $prefix = Get-PwshInvocation
        $returned = & $pwsh @prefix -NoProfile -NonInteractive -OutputFormat xml -Command "Import-Module '$(Get-PSUpnpModulePath)'; Find-UpnpGateway -TimeoutSec 5"
        $LASTEXITCODE | Should -Be 0
        $returned.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSUpnp.UpnpGateway'
        $address = $returned | Get-UpnpExternalAddress -ErrorAction Stop
        "$($address.ExternalAddress)" | Should -Be $lab['RTR_WAN_IP']
    }

    It 'answers for a gateway returned through a runspace boundary' {
        $gateway = Find-UpnpGateway -TimeoutSec 5
        $address = Get-UpnpExternalAddress -Gateway (ConvertTo-Deserialized $gateway) -ErrorAction Stop
        "$($address.ExternalAddress)" | Should -Be $lab['RTR_WAN_IP']
        $address.Gateway.ControlUrl | Should -Be $gateway.ControlUrl
    }

    It 'answers for a gateway named by its description URL, piped or given' {
        (Get-UpnpExternalAddress -Gateway $lab['DESCRIPTION_URL'] -ErrorAction Stop).ExternalAddress | Should -Be ([ipaddress] $lab['RTR_WAN_IP'])
        ($lab['DESCRIPTION_URL'] | Get-UpnpExternalAddress -ErrorAction Stop).Gateway.DescriptionUrl | Should -Be ([uri] $lab['DESCRIPTION_URL'])
    }

    It 'shows the lab router whole at 120 columns' {
        $lines = (Get-UpnpExternalAddress -ErrorAction Stop | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines | Should -HaveCount 3
        $lines[-1] | Should -Match ('^{0}\s+Connected\s+\S+\s+False\s+{1}\s+PSUpnp lab router\s' -f [regex]::Escape($lab['RTR_WAN_IP']), [regex]::Escape($lab['RTR_LAN_IP']))
    }

    It 'reports a description URL that does not answer within -TimeoutSec as UpnpTimeout about that URL' {
        $url = "$((New-SilentLabGateway).DescriptionUrl)"
        $null = Get-UpnpExternalAddress -Gateway $url -TimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpTimeout' + $Fqid)
        "$($failures[0].TargetObject)" | Should -Be $url
    }

    It 'reports a gateway that does not answer within -TimeoutSec as UpnpTimeout' {
        $silent = New-SilentLabGateway
        $null = $silent | Get-UpnpExternalAddress -TimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpTimeout' + $Fqid)
    }

    It 'ends the pipeline with UpnpGatewayNotFound where no gateway answers' {
        $id = Get-ErrorIdWhereNoGatewayAnswers 'Get-UpnpExternalAddress -TimeoutSec 1'
        $id | Should -Be ('UpnpGatewayNotFound' + $Fqid)
    }
}
