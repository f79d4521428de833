#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module as a whole, as it is installed: the folder the build assembled, its manifest, its format views, and
# several runspaces using it at once against one router.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    $script:modulePath = Get-PSUpnpModulePath
    Import-PSUpnp
    $script:module = Get-Module PSUpnp
    $script:manifest = Import-PowerShellDataFile -LiteralPath $modulePath
}

Describe 'The PSUpnp module' {
    It 'is imported from the folder the build assembled' {
        $module | Should -HaveCount 1
        $module.Path | Should -Be ($modulePath -replace '\.psd1$', '.dll')
        $module.ModuleBase | Should -Be (Split-Path -Parent $modulePath)
        $module.Version | Should -Be ([version] $manifest.ModuleVersion)
    }

    It 'exports exactly the cmdlets its manifest names, and no function, alias or variable' {
        $manifest.CmdletsToExport | Should -HaveCount 7
        ($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It 'passes Test-ModuleManifest with the same cmdlets' {
        $tested = Test-ModuleManifest -Path $modulePath -ErrorAction Stop
        $tested.Name | Should -Be 'PSUpnp'
        ($tested.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $tested.RequiredAssemblies | Should -Be @('PSUpnp.Core.dll')
    }

    It 'has a default view for <Type>, a type a cmdlet outputs' -TestCases @(
        # BeforeDiscovery would need the module; the cmdlets' declared outputs are checked against this list below.
        @{ Type = 'PSUpnp.UpnpGateway' }
        @{ Type = 'PSUpnp.UpnpPortMapping' }
        @{ Type = 'PSUpnp.UpnpExternalAddress' }
        @{ Type = 'PSUpnp.NatTypeResult' }
        @{ Type = 'PSUpnp.PortMappingDiagnosis' }
    ) {
        $views = @((Get-FormatData -TypeName $Type).FormatViewDefinition)
        $views.Count | Should -BeGreaterOrEqual 1
        # The first view is the default one; each view shows at least one column or item.
        $views[0].Control | Should -Not -BeNullOrEmpty
    }

    It 'declares as outputs only types that have a view, and every such type is checked above' {
        $declared = @(Get-Command -Module PSUpnp | ForEach-Object { $_.OutputType.Type } | ForEach-Object FullName | Sort-Object -Unique)
        $declared | Should -Be @('PSUpnp.NatTypeResult', 'PSUpnp.PortMappingDiagnosis', 'PSUpnp.UpnpExternalAddress', 'PSUpnp.UpnpGateway', 'PSUpnp.UpnpPortMapping')
        foreach ($type in $declared) {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type is an output type"
        }
    }

    It 'selects only types that exist in its format file' {
        [xml] $format = Get-Content -LiteralPath (Join-Path $module.ModuleBase $manifest.FormatsToProcess[0]) -Raw
        $selected = @($format.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName | Sort-Object -Unique)
        $selected.Count | Should -BeGreaterOrEqual 4
        foreach ($name in $selected) {
            $name -as [type] | Should -Not -BeNullOrEmpty -Because "the view for $name must select a real type"
        }
    }

    Context 'Eight runspaces at once against the lab router' -Tag 'Lab' {
        BeforeAll {
            Assert-InLab
            $script:conf = Get-LabConfig
            $script:gateway = Find-UpnpGateway -Location $conf['DESCRIPTION_URL'] -ErrorAction Stop
            # Each runspace owns ten ports of this block.
            $script:first = 41000
            $script:last = $first + 8 * 10 - 1
            function script:Get-BlockMapping {
                $gateway | Get-UpnpPortMapping | Where-Object { $_.ExternalPort -ge $first -and $_.ExternalPort -le $last }
            }
            Get-BlockMapping | Remove-UpnpPortMapping -Confirm:$false
        }

        AfterAll {
            if ($gateway) { Get-BlockMapping | Remove-UpnpPortMapping -Confirm:$false }
        }

        It 'leave the router''s table exactly as their adds and removes say, seen by Get-UpnpPortMapping and upnpc' {
            $outcomes = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                $ErrorActionPreference = 'Stop'
                Import-Module $using:modulePath
                $gateway = $using:gateway
                $base = $using:first + ($_ - 1) * 10
                $description = "Pester parallel $_"
                # Four TCP ports and one UDP port in, then two of the TCP ports out again.
                $added = @(foreach ($port in $base..($base + 3)) {
                        $gateway | Add-UpnpPortMapping $port -Protocol TCP -Description $description -LeaseDuration '00:10:00' -Confirm:$false
                    })
                $added += $gateway | Add-UpnpPortMapping $base -Protocol UDP -Description $description -LeaseDuration '00:10:00' -Confirm:$false
                $removed = @(foreach ($port in ($base + 2), ($base + 3)) {
                        $gateway | Remove-UpnpPortMapping $port -Protocol TCP -PassThru -Confirm:$false
                    })
                [pscustomobject] @{ Runspace = $_; Added = $added.Count; Removed = $removed.Count }
            }

            $outcomes | Should -HaveCount 8
            $outcomes.Added | Should -Be (@(5) * 8)
            $outcomes.Removed | Should -Be (@(2) * 8)

            $expected = foreach ($i in 1..8) {
                $base = $first + ($i - 1) * 10
                "TCP $base $($conf['LAN_IP']) Pester parallel $i"
                "TCP $($base + 1) $($conf['LAN_IP']) Pester parallel $i"
                "UDP $base $($conf['LAN_IP']) Pester parallel $i"
            }
            $expected = @($expected | Sort-Object)
            $listed = @(Get-BlockMapping | ForEach-Object { "$($_.Protocol) $($_.ExternalPort) $($_.InternalClient) $($_.Description)" } | Sort-Object)
            $upnpc = @(Get-UpnpcMapping | Where-Object { $_.ExternalPort -ge $first -and $_.ExternalPort -le $last } |
                    ForEach-Object { "$($_.Protocol) $($_.ExternalPort) $($_.InternalClient) $($_.Description)" } | Sort-Object)

            $expected | Should -HaveCount 24
            $listed | Should -Be $expected
            $upnpc | Should -Be $expected
        }
    }
}
