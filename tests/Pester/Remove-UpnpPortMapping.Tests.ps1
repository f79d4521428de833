#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Remove-UpnpPortMapping: piped mappings (live or saved) and gateways bind to the right parameter set, each error by its
# FullyQualifiedErrorId, -PassThru's output through the real formatter, and removal in the lab.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp
    $script:Fqid = ',PSUpnp.Commands.RemoveUpnpPortMappingCommand'
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'Remove-UpnpPortMapping binding' {
    It 'binds piped mappings to -InputObject and sends nothing under -WhatIf' {
        $gateway = New-DeadGateway
        $mappings = @((New-Mapping 8080 TCP $gateway), (New-Mapping 8080 UDP $gateway))
        $box = @{}
        $removed = Get-WhatIfTarget 'Remove port mapping' { $box.Output = $mappings | Remove-UpnpPortMapping -WhatIf -PassThru -ErrorVariable e; $box.Errors = $e }
        $removed | Should -Be @('TCP 8080 on Dead router (127.0.0.1)', 'UDP 8080 on Dead router (127.0.0.1)')
        # A request sent to the dead gateway would have failed: no error proves none was sent.
        @($box.Errors) | Should -HaveCount 0
        $box.Output | Should -BeNullOrEmpty
    }

    It 'binds a piped gateway to -Gateway when the mapping is named by port and protocol' {
        Get-WhatIfTarget 'Remove port mapping' { New-DeadGateway | Remove-UpnpPortMapping 9000 UDP -WhatIf -ErrorAction Stop } |
            Should -Be 'UDP 9000 on Dead router (127.0.0.1)'
    }

    It 'binds objects with ExternalPort, Protocol, RemoteHost and Gateway properties by name, an empty RemoteHost meaning any' {
        $keys = @(
            [pscustomobject] @{ ExternalPort = '9000'; Protocol = 'UDP'; RemoteHost = ''; Gateway = (New-DeadGateway) }
            [pscustomobject] @{ ExternalPort = '9001'; Protocol = 'TCP'; RemoteAddress = '203.0.113.9'; Gateway = (New-DeadGateway) }
        )
        Get-WhatIfTarget 'Remove port mapping' { $keys | Remove-UpnpPortMapping -WhatIf -ErrorAction Stop } |
            Should -Be @('UDP 9000 on Dead router (127.0.0.1)', 'TCP 9001 from 203.0.113.9 on Dead router (127.0.0.1)')
    }

    It 'removes mappings saved with Export-Clixml from the gateway they were saved with' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-mappings-$PID.xml"
        try {
            $gateway = New-DeadGateway
            @((New-Mapping 9002 TCP $gateway), (New-Mapping 9003 UDP $gateway)) | Export-Clixml -LiteralPath $file
            $saved = Import-Clixml -LiteralPath $file
            Get-WhatIfTarget 'Remove port mapping' { $saved | Remove-UpnpPortMapping -WhatIf -ErrorAction Stop } |
                Should -Be @('TCP 9002 on Dead router (127.0.0.1)', 'UDP 9003 on Dead router (127.0.0.1)')
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }

    It 'removes a mapping returned through a runspace boundary, its gateway kept as an object by the type data' {
        $mapping = New-Mapping 9004 UDP (New-DeadGateway)
        $returned = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($mapping))
        $returned.Gateway.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSUpnp.UpnpGateway'
        Get-WhatIfTarget 'Remove port mapping' { $returned | Remove-UpnpPortMapping -WhatIf -ErrorAction Stop } | Should -Be 'UDP 9004 on Dead router (127.0.0.1)'
    }

    It 'answers to -RemoteAddress, the name Get-NetTCPConnection gives the remote peer' {
        (Get-Command Remove-UpnpPortMapping).Parameters['RemoteHost'].Aliases | Should -Be @('RemoteAddress')
    }

    It 'declares -Gateway once, named, by value and by property name, in both parameter sets' {
        $gateway = (Get-Command Remove-UpnpPortMapping).Parameters['Gateway']
        $gateway.ParameterSets.Keys | Should -Be '__AllParameterSets'
        $attribute = $gateway.Attributes | Where-Object { $_ -is [Parameter] }
        $attribute.Position | Should -BeLessThan 0
        $attribute.ValueFromPipeline | Should -BeTrue
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
    }
}

Describe 'Remove-UpnpPortMapping errors without the lab' {
    It 'rejects <Case> before any request' -TestCases @(
        @{ Case = 'a port above 65535'; Arguments = @{ ExternalPort = 70000; Protocol = 'TCP' }; Id = 'ParameterArgumentValidationError' }
        @{ Case = 'a protocol that is neither TCP nor UDP'; Arguments = @{ ExternalPort = 8080; Protocol = 'SCTP' }; Id = 'CannotConvertArgumentNoMessage' }
        @{ Case = 'a remote host that is no address'; Arguments = @{ ExternalPort = 8080; Protocol = 'TCP'; RemoteHost = 'example.org' }; Id = 'ParameterArgumentTransformationError' }
        @{ Case = 'a gateway URL that is no http URL'; Arguments = @{ ExternalPort = 8080; Protocol = 'TCP'; Gateway = 'ftp://192.168.1.1/rootDesc.xml' }; Id = 'ParameterArgumentTransformationError' }
    ) {
        { Remove-UpnpPortMapping @Arguments -Gateway:$(if ($Arguments.ContainsKey('Gateway')) { $Arguments.Gateway } else { New-DeadGateway }) -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId ($Id + $Fqid)
    }

    It 'rejects a mapping given as -Gateway before any request' {
        $mapping = New-Mapping 1 TCP (New-DeadGateway)
        { Remove-UpnpPortMapping 8080 TCP -Gateway $mapping -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId ('CannotConvertArgumentNoMessage' + $Fqid)
    }

    It 'reports an unreachable gateway as UpnpConnectionRefused, non-terminating, about the mapping piped in' {
        $gateway = New-DeadGateway
        $mappings = @((New-Mapping 8080 TCP $gateway), (New-Mapping 8081 TCP $gateway))
        $null = $mappings | Remove-UpnpPortMapping -Confirm:$false -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 2
        $failures.FullyQualifiedErrorId | Should -Be @(('UpnpConnectionRefused' + $Fqid), ('UpnpConnectionRefused' + $Fqid))
    }

    It 'reports a description URL that cannot be read as UpnpConnectionRefused about that URL' {
        $url = 'http://127.0.0.1:9/rootDesc.xml'
        $null = Remove-UpnpPortMapping 8080 TCP -Gateway $url -Confirm:$false -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpConnectionRefused' + $Fqid)
        "$($failures[0].TargetObject)" | Should -Be $url
    }
}

Describe 'Remove-UpnpPortMapping in the lab' -Tag 'Lab' {
    BeforeAll {
        Assert-InLab
        $script:lab = Get-LabConfig
        $script:base = 44000 + (Get-Random -Maximum 900)
    }

    AfterAll {
        if ($script:base) { Clear-LabMapping ($base..($base + 9)) }
    }

    It 'removes the mappings piped in and passes them through, as upnpc -l confirms' {
        $added = @(Add-UpnpPortMapping $base -Protocol Both -Description 'Pester remove' -LeaseDuration '00:10:00' -Confirm:$false -ErrorAction Stop)
        $added | Should -HaveCount 2
        Get-UpnpcListing | Should -Match "UDP\s+$base->"

        $removed = @(Get-UpnpPortMapping -ExternalPort $base | Remove-UpnpPortMapping -PassThru -Confirm:$false -ErrorAction Stop)
        $removed | Should -HaveCount 2
        @(Get-UpnpPortMapping -ExternalPort $base) | Should -HaveCount 0
        Get-UpnpcListing | Should -Not -Match "\s$base->"

        # What -PassThru writes, through the real formatter: whole at 120 columns, ports, protocol and client first at 80.
        $wide = ($removed | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() }
        $wide | Should -HaveCount 4 -Because 'a header, its underline and two rows: nothing wrapped'
        $wide -join "`n" | Should -Not -Match '…'
        $wide[2] | Should -Match ('^(TCP|UDP)\s+{0} {1}\s+{0} 0\.00:\d\d:\d\d \*\s+Pester remove\s+True$' -f $base, [regex]::Escape($lab['LAN_IP']))
        $narrow = ($removed | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $narrow[-1] | Should -Match ('^(TCP|UDP)\s+{0} {1}\s+{0} ' -f $base, [regex]::Escape($lab['LAN_IP']))
    }

    It 'removes mappings saved with Export-Clixml in an earlier session' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "psupnp-lab-mappings-$PID.xml"
        try {
            Add-UpnpPortMapping ($base + 1) -Protocol Both -Confirm:$false -ErrorAction Stop | Export-Clixml -LiteralPath $file
            $removed = @(Import-Clixml -LiteralPath $file | Remove-UpnpPortMapping -PassThru -Confirm:$false -ErrorAction Stop)
            $removed | Should -HaveCount 2
            @(Get-UpnpPortMapping -ExternalPort ($base + 1)) | Should -HaveCount 0
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }

    It 'removes mappings another pwsh process added and returned as CLIXML, each on its gateway' {
        $pwsh, $prefix = Get-PwshInvocation
        $port = $base + 4
        $returned = @(& $pwsh @prefix -NoProfile -NonInteractive -OutputFormat xml -Command "Import-Module '$(Get-PSUpnpModulePath)'; Add-UpnpPortMapping $port -Protocol Both -Confirm:`$false")
        $returned | Should -HaveCount 2
        $returned[0].Gateway.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSUpnp.UpnpGateway'
        $removed = @($returned | Remove-UpnpPortMapping -PassThru -Confirm:$false -ErrorAction Stop)
        $removed | Should -HaveCount 2
        Get-UpnpcListing | Should -Not -Match "\s$port->"
    }

    It 'removes through a gateway named by its description URL' {
        $null = Add-UpnpPortMapping ($base + 2) -Confirm:$false -ErrorAction Stop
        Remove-UpnpPortMapping ($base + 2) TCP -Gateway $lab['DESCRIPTION_URL'] -Confirm:$false -ErrorAction Stop
        Get-UpnpcListing | Should -Not -Match "\s$($base + 2)->"
    }

    It 'reports a gateway that does not answer within -TimeoutSec as UpnpTimeout' {
        $silent = New-SilentLabGateway
        $null = $silent | Remove-UpnpPortMapping ($base + 3) TCP -TimeoutSec 1 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be ('UpnpTimeout' + $Fqid)
    }

    It 'ends the pipeline with UpnpGatewayNotFound where no gateway answers' {
        $id = Get-ErrorIdWhereNoGatewayAnswers 'Remove-UpnpPortMapping 8080 TCP -TimeoutSec 1 -Confirm:$false'
        $id | Should -Be ('UpnpGatewayNotFound' + $Fqid)
    }
}
