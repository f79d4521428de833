@{
    RootModule           = 'PSUpnp.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '236c831b-d85b-47f8-99ee-f690bfce4b2d'
    Author               = 'PSUpnp contributors'
    CompanyName          = 'PSUpnp'
    Copyright            = 'Copyright (c) 2026 PSUpnp contributors'
    Description          = 'Opens, lists and closes port mappings on UPnP Internet Gateway Devices (IGD v1 and v2) from PowerShell, with typed results, -WhatIf and leases that expire unless renewed; tests the NAT type with STUN (RFC 5780) and spots double NAT.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    RequiredAssemblies   = @('PSUpnp.Core.dll')
    FormatsToProcess     = @('PSUpnp.Format.ps1xml')
    TypesToProcess       = @('PSUpnp.Types.ps1xml')
    CmdletsToExport      = @(
        'Find-UpnpGateway'
        'Get-UpnpExternalAddress'
        'Add-UpnpPortMapping'
        'Get-UpnpPortMapping'
        'Remove-UpnpPortMapping'
        'Test-NatType'
        'Test-UpnpPortMapping'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('UPnP', 'IGD', 'NAT', 'PortForwarding', 'PortMapping', 'Router', 'STUN', 'NATType', 'Network', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/PSUpnp/PSUpnp'
            LicenseUri   = 'https://github.com/PSUpnp/PSUpnp/blob/main/LICENSE'
            ReleaseNotes = 'First release: Find-UpnpGateway, Get-UpnpExternalAddress, Add-, Get- and Remove-UpnpPortMapping, and Test-NatType (STUN, RFC 5780, with the UPnP gateway as a double-NAT cross-check).'
        }
    }
}
