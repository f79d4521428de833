#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Add-UpnpPortMapping as admins pipe into it: CSV rows and saved mappings bind by property name, gateways in every form
# -Gateway takes, each error by its FullyQualifiedErrorId, and its output through the real formatter.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:Fqid = ',PSUpnp.Commands.AddUpnpPortMappingCommand'

    function New-PortsCsv([string] $Text) {
        $path = Join-Path ([IO.Path]::GetTempPath()) "psupnp-ports-$PID-$([guid]::NewGuid().ToString('n')).csv"
        Set-Content -LiteralPath $path -Value $Text
        $path
    }

}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'Add-UpnpPortMapping binding' {
    It 'takes every mapping field by property name and the gateway by value and by property name' {
        $parameters = (Get-Command Add-UpnpPortMapping).Parameters
        foreach ($name in 'ExternalPort', 'InternalPort', 'Protocol', 'InternalClient', 'Description', 'LeaseDuration', 'RemoteHost', 'Gateway') {
            $attribute = $parameters[$name].Attributes | Where-Object { $_ -is [Parameter] }
            $attribute.ValueFromPipelineByPropertyName | Should -BeTrue -Because "-$name binds from a CSV column or a saved mapping"
        }
        ($parameters['Gateway'].Attributes | Where-Object { $_ -is [Parameter] }).ValueFromPipeline | Should -BeTrue
    }

    It 'answers to the names of Add-NetNatStaticMapping and Get-NetTCPConnection' {
        $parameters = (Get-Command Add-UpnpPortMapping).Parameters
        $parameters['InternalClient'].Aliases | Should -Be @('InternalIPAddress')
        $parameters['RemoteHost'].Aliases | Should -Be @('RemoteAddress')
    }

    It 'makes one mapping per CSV row, an empty cell meaning the default' {
        $csv = New-PortsCsv @'
ExternalPort,InternalPort,Protocol,InternalClient,Description,LeaseDuration,RemoteHost
8080,80,UDP,192.168.1.20,web,02:00:00,
8081,,,,,,
8082,,Both,,,,203.0.113.9
'@
        try {
            $gateway = New-DeadGateway
            $targets = Get-WhatIfTarget 'Add port mapping' { Import-Csv $csv | Add-UpnpPortMapping -Gateway $gateway -WhatIf -ErrorAction Stop }
        }
        finally {
            Remove-Item -LiteralPath $csv
        }

        # Nothing was sent to the dead gateway (no error), and each row became the mapping it describes.
        $targets | Should -Be @(
            'UDP 8080 -> 192.168.1.20:80 on Dead router (127.0.0.1)'
            'TCP 8081 -> 127.0.0.1:8081 on Dead router (127.0.0.1)'
            'TCP 8082 -> 127.0.0.1:8082 on Dead router (127.0.0.1)'
            'UDP 8082 -> 127.0.0.1:8082 on Dead router (127.0.0.1)'
        )
    }

    It 'binds the NetNat column names InternalIPAddress and RemoteAddress from a CSV' {
        $row = [pscustomobject] @{ ExternalPort = '8090'; InternalIPAddress = '192.168.1.30'; RemoteAddress = '' }
        $targets = Get-WhatIfTarget 'Add port mapping' { $row | Add-UpnpPortMapping -Gateway (New-DeadGateway) -WhatIf -ErrorAction Stop }
        $targets | Should -Be 'TCP 8090 -> 192.168.1.30:8090 on Dead router (127.0.0.1)'
    }

    It 'reports a row it cannot read and goes on with the next rows' {
        $rows = @(
            [pscustomobject] @{ ExternalPort = '8091'; InternalClient = '' }
            [pscustomobject] @{ ExternalPort = '8092'; InternalClient = 'not-an-address' }
            [pscustomobject] @{ ExternalPort = '8093'; InternalClient = '' }
        )
        $box = @{}
        $targets = Get-WhatIfTarget 'Add port mapping' { $rows | Add-UpnpPortMapping -Gateway (New-DeadGateway) -WhatIf -ErrorVariable e -ErrorAction SilentlyContinue; $box.Errors = $e }
        $targets | Should -Be @('TCP 8091 -> 127.0.0.1:8091 on Dead router (127.0.0.1)', 'TCP 8093 -> 127.0.0.1:8093 on Dead router (127.0.0.1)')
        $failures = @($box.Errors)
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('ParameterArgumentTransformationError' + $Fqid)
        $failures[0].Exception.Message | Should -Match "'not-an-address' is not an IP address"
    }

    It 're-creates a piped mapping, its own gateway included' {
        $mapping = New-Mapping 9000 UDP (New-DeadGateway)
        $targets = Get-WhatIfTarget 'Add port mapping' { $mapping | Add-UpnpPortMapping -WhatIf -ErrorAction Stop }
        $targets | Should -Be 'UDP 9000 -> 127.0.0.1:9000 on Dead router (127.0.0.1)'
    }

    It 're-creates a mapping saved with Export-Clixml' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-mapping-$PID.xml"
        try {
            New-Mapping 9001 UDP (New-DeadGateway) | Export-Clixml -LiteralPath $file
            $targets = Get-WhatIfTarget 'Add port mapping' { Import-Clixml -LiteralPath $file | Add-UpnpPortMapping -WhatIf -ErrorAction Stop }
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        $targets | Should -Be 'UDP 9001 -> 127.0.0.1:9001 on Dead router (127.0.0.1)'
    }

    It 'takes a piped gateway by value, also one saved and deserialized' {
        $gateway = New-DeadGateway
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($gateway))
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSUpnp.UpnpGateway'
        Get-WhatIfTarget 'Add port mapping' { $gateway | Add-UpnpPortMapping 8080 -Protocol Both -WhatIf -ErrorAction Stop } | Should -HaveCount 2
        Get-WhatIfTarget 'Add port mapping' { $copy | Add-UpnpPortMapping 8080 -WhatIf -ErrorAction Stop } | Should -Be 'TCP 8080 -> 127.0.0.1:8080 on Dead router (127.0.0.1)'
    }

    It 'renews nothing under -WhatIf' {
        { New-DeadGateway | Add-UpnpPortMapping 8080 -Renew -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It 'tab-completes Both for -Protocol' {
        $line = 'Add-UpnpPortMapping 8080 -Protocol B'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Both'
    }
}

Describe 'Add-UpnpPortMapping errors without the lab' {
    It 'rejects <Case> before any request' -TestCases @(
        @{ Case = 'a port above 65535'; Arguments = @{ ExternalPort = 70000; Gateway = 'http://127.0.0.1:9/rootDesc.xml' }; Id = 'ParameterArgumentValidationError' }
        @{ Case = 'a negative lease'; Arguments = @{ ExternalPort = 8080; LeaseDuration = '-01:00:00'; Gateway = 'http://127.0.0.1:9/rootDesc.xml' }; Id = 'ParameterArgumentValidationError' }
        @{ Case = 'an internal client that is no address'; Arguments = @{ ExternalPort = 8080; InternalClient = 'router.lan'; Gateway = 'http://127.0.0.1:9/rootDesc.xml' }; Id = 'ParameterArgumentTransformationError' }
        @{ Case = 'a gateway URL that is no http URL'; Arguments = @{ ExternalPort = 8080; Gateway = '192.168.1.1' }; Id = 'ParameterArgumentTransformationError' }
        @{ Case = 'a gateway that is a number'; Arguments = @{ ExternalPort = 8080; Gateway = 42 }; Id = 'CannotConvertArgumentNoMessage' }
    ) {
        # Binding fails before the gateway's description could be read: no request is sent.
        { Add-UpnpPortMapping @Arguments -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId ($Id + $Fqid)
    }

    It 'says what to pass instead of a bad gateway URL' {
        $failure = { Add-UpnpPortMapping 8080 -Gateway 'router' -WhatIf } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match "'router' is not a gateway's description URL"
        $failure.Exception.Message | Should -Match 'Find-UpnpGateway'
        $failure.Exception.Message | Should -Match 'http://192\.168\.1\.1:5000/rootDesc\.xml'
    }

    It 'rejects a saved gateway cut down to a few properties, naming what is missing' {
        $cut = New-DeadGateway | Select-Object -Property @('FriendlyName', 'ServiceType', 'ControlUrl', 'DescriptionUrl')
        $cut.PSObject.TypeNames.Insert(0, 'Deserialized.PSUpnp.UpnpGateway')
        $failure = { Add-UpnpPortMapping 8080 -Gateway $cut -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId ('ParameterArgumentTransformationError' + $Fqid) -PassThru
        $failure.Exception.Message | Should -Match 'has no usable LocalAddress'
    }

    It 'reports an unreachable gateway as UpnpConnectionRefused about the request, once per protocol' {
        $null = Add-UpnpPortMapping 8080 -Protocol Both -Gateway (New-DeadGateway) -Confirm:$false -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 2
        $failures.FullyQualifiedErrorId | Should -Be @(('UpnpConnectionRefused' + $Fqid), ('UpnpConnectionRefused' + $Fqid))
    }

    It 'reports a description URL that cannot be read as a non-terminating error about that URL' {
        $url = 'http://127.0.0.1:9/rootDesc.xml'
        $null = Add-UpnpPortMapping 8080 -Gateway $url -Confirm:$false -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpConnectionRefused' + $Fqid)
        "$($failures[0].TargetObject)" | Should -Be $url
    }
}

Describe 'Add-UpnpPortMapping rows that name their gateway' {
    It 'reads a Gateway column URL once per run and fails each row that names an unreadable one' {
        $url = 'http://127.0.0.1:9/rootDesc.xml'
        $rows = 8101..8103 | ForEach-Object { [pscustomobject] @{ ExternalPort = $_; Gateway = $url } }
        $verbose = $rows | Add-UpnpPortMapping -Confirm:$false -TimeoutSec 10 -Verbose -ErrorVariable failures -ErrorAction SilentlyContinue 4>&1
        $failures | Should -HaveCount 3
        $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be ('UpnpConnectionRefused' + $Fqid)
        @($verbose | Where-Object { "$_" -like "*reading the description at $url*" }) | Should -HaveCount 1
    }
}

Describe 'Add-UpnpPortMapping output formatting' {
    BeforeAll {
        $gateway = New-DeadGateway
        $script:mapping = New-Object PSUpnp.UpnpPortMapping -ArgumentList @(
            $gateway, $null, 25565, [PSUpnp.PortMappingProtocol]::UDP, 25566, [ipaddress] '192.168.100.200', $true,
            'Minecraft server (Ana)', [timespan]::FromHours(2), $null)
    }

    It 'shows every key column whole at 120 columns' {
        $lines = ($mapping | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Protocol ExternalPort InternalClient\s+InternalPort Lease\s+RemoteHost\s+Description\s+Enabled$'
        $row = $lines[-1]
        $row | Should -Not -Match '…'
        $row | Should -Match '^UDP\s+25565 192\.168\.100\.200\s+25566 0\.02:00:00 \*\s+Minecraft server \(Ana\)\s+True$'
        $lines | Should -HaveCount 3 -Because 'a header, its underline and one row: nothing wrapped'
    }

    It 'still shows ports, protocol and client first at 80 columns' {
        $lines = ($mapping | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Protocol ExternalPort InternalClient\s+InternalPort'
        $lines[-1] | Should -Match '^UDP\s+25565 192\.168\.100\.200\s+25566 '
    }
}

Describe 'Add-UpnpPortMapping in the lab' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:lab = Get-LabConfig
        $script:base = 42000 + (Get-Random -Maximum 900)
    }

    AfterAll {
        if ($script:base) { Clear-LabMapping ($base..($base + 9)) }
    }

    It 'makes the mappings of a CSV file, as Get-UpnpPortMapping and upnpc -l show, and -Renew renews them' {
        $csv = New-PortsCsv @"
ExternalPort,InternalPort,Protocol,InternalClient,Description,LeaseDuration,RemoteHost
$base,8080,UDP,$($lab['LAN_IP']),Pester web cam,02:00:00,
$($base + 1),,,,,,
$($base + 2),,Both,,Pester game,00:30:00,
"@
        try {
            $added = @(Import-Csv $csv | Add-UpnpPortMapping -Confirm:$false -ErrorAction Stop)
            $added | Should -HaveCount 4

            $listed = @(Get-UpnpPortMapping -ExternalPort @($base, ($base + 1), ($base + 2)) | Sort-Object -Property @('ExternalPort', 'Protocol'))
            $listed | Should -HaveCount 4
            "$($listed[0].Protocol) $($listed[0].ExternalPort) $($listed[0].InternalClient):$($listed[0].InternalPort) $($listed[0].Description)" |
                Should -Be "UDP $base $($lab['LAN_IP']):8080 Pester web cam"
            $listed[1].Description | Should -Be 'PSUpnp' -Because 'an empty Description cell means the default'
            $listed[1].InternalPort | Should -Be ($base + 1) -Because 'an empty InternalPort cell means the external port'
            $listed[1].InternalClient | Should -Be ([ipaddress] $lab['LAN_IP']) -Because 'an empty InternalClient cell means this host'
            $listed[1].RemoteHost | Should -BeNullOrEmpty -Because 'an empty RemoteHost cell means any remote host'
            ($listed[2..3].Protocol -join ',') | Should -Be 'TCP,UDP'

            $upnpc = Get-UpnpcListing
            $upnpc | Should -Match "UDP\s+$base->$([regex]::Escape($lab['LAN_IP'])):8080\s+'Pester web cam'"
            $upnpc | Should -Match "TCP\s+$($base + 1)->$([regex]::Escape($lab['LAN_IP'])):$($base + 1)\s+'PSUpnp'"
            $upnpc | Should -Match "TCP\s+$($base + 2)->"
            $upnpc | Should -Match "UDP\s+$($base + 2)->"

            # The scheduled task's one line: after a router restart forgot them all, each row is made again and said so.
            Invoke-Lab miniupnpd restart | Out-Null
            $renewed = @(Import-Csv $csv | Add-UpnpPortMapping -Renew -Confirm:$false -WarningVariable vanished -ErrorAction Stop)
            $renewed | Should -HaveCount 4
            $vanished | Should -HaveCount 4
            @(Get-UpnpPortMapping -ExternalPort @($base, ($base + 1), ($base + 2))) | Should -HaveCount 4

            # And a renewal of mappings that are there renews them quietly.
            $again = @(Import-Csv $csv | Add-UpnpPortMapping -Renew -Confirm:$false -WarningVariable quiet -ErrorAction Stop)
            $again | Should -HaveCount 4
            $quiet | Should -HaveCount 0
            Get-UpnpcListing | Should -Match "UDP\s+$base->"
        }
        finally {
            Remove-Item -LiteralPath $csv
        }
    }

    It 'reports a port another client holds as UpnpMappingConflict (718)' {
        $port = $base + 5
        & ip netns exec $lab['NS_LAN2'] upnpc -u $lab['DESCRIPTION_URL'] -a $lab['LAN2_IP'] $port $port UDP | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $output = Add-UpnpPortMapping $port -Protocol UDP -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpMappingConflict' + $Fqid)
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        }
        finally {
            & ip netns exec $lab['NS_LAN2'] upnpc -u $lab['DESCRIPTION_URL'] -d $port UDP | Out-Null
        }
    }

    It 'tries to take a port another client holds with -Force, which the secure-mode router refuses as UpnpError606' {
        # -Force deletes the holder's mapping before adding (a plain add gets UpnpMappingConflict above); miniupnpd's
        # secure_mode lets no client delete another's, so the refusal names the takeover and the holder keeps the port.
        $port = $base + 4
        & ip netns exec $lab['NS_LAN2'] upnpc -u $lab['DESCRIPTION_URL'] -e 'held by lan2' -a $lab['LAN2_IP'] $port $port UDP | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $output = Add-UpnpPortMapping $port -Protocol UDP -Force -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpError606' + $Fqid)
            Get-UpnpcListing | Should -Match "UDP\s+$port->$([regex]::Escape($lab['LAN2_IP'])):$port\s+'held by lan2'"
        }
        finally {
            & ip netns exec $lab['NS_LAN2'] upnpc -u $lab['DESCRIPTION_URL'] -d $port UDP | Out-Null
        }
    }

    It 'reports a mapping for another host, refused by the router, as UpnpError718' {
        $null = Add-UpnpPortMapping ($base + 6) -InternalClient $lab['LAN2_IP'] -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpError718' + $Fqid)
    }

    It 'reports the internal port the router denies as UpnpError606' {
        $null = Add-UpnpPortMapping ($base + 7) -InternalPort $lab['MINIUPNPD_DENIED_PORT'] -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpError606' + $Fqid)
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'reports a gateway that does not answer within -TimeoutSec as UpnpTimeout' {
        $silent = New-SilentLabGateway
        $null = $silent | Add-UpnpPortMapping ($base + 8) -TimeoutSec 1 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpTimeout' + $Fqid)
    }

    It 'adds through a gateway named by its description URL' {
        $added = Add-UpnpPortMapping ($base + 9) -Gateway $lab['DESCRIPTION_URL'] -Confirm:$false -ErrorAction Stop
        $added.Gateway.DescriptionUrl | Should -Be ([uri] $lab['DESCRIPTION_URL'])
        Get-UpnpcListing | Should -Match "TCP\s+$($base + 9)->"
    }

    It 'ends the pipeline with UpnpGatewayNotFound where no gateway answers' {
        $id = Get-ErrorIdWhereNoGatewayAnswers 'Add-UpnpPortMapping 8080 -TimeoutSec 1 -Confirm:$false'
        $id | Should -Be ('UpnpGatewayNotFound' + $Fqid)
    }
}
