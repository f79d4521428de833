# The start of the lab shell (tests/Lab/shell), run by `pwsh -NoExit -File` inside the lab's LAN host: imports the
# built module, gives the `lab` command (lab.sh of this lab), sets a prompt that says where you are, prints the banner.
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../Pester/Support/Common.ps1')
Import-PSUpnp
$lab = Get-LabConfig

# Global: the script's own scope ends before the prompt appears.
$global:LabScript = Join-Path $PSScriptRoot 'lab.sh'
function global:lab {
    & bash $global:LabScript @args
}
$global:LabPromptName = $lab['PREFIX']
function global:prompt {
    "PS lab:$global:LabPromptName $($executionContext.SessionState.Path.CurrentLocation)> "
}

$url = $lab['DESCRIPTION_URL']
$stun = $lab['STUN_SERVER']
$module = Get-Module PSUpnp
function Format-Try([string] $Command, [string] $Why) {
    if ($Why) { '  {0,-62} # {1}' -f $Command, $Why } else { "  $Command" }
}
$lines = @(
    "PSUpnp lab shell: pwsh $($PSVersionTable.PSVersion) on the PC of a simulated home network ($($lab['NS_LAN']))"
    "  PC $($lab['LAN_IP']) -> router $($lab['RTR_LAN_IP']) (miniupnpd, external $($lab['RTR_WAN_IP'])) -> internet $($lab['WAN_IP1']) (STUN)"
    "  PSUpnp $($module.Version) from $($module.ModuleBase)"
    '  exit (or Ctrl+D) leaves and takes the lab down.'
    ''
    'Try:'
    Format-Try 'Find-UpnpGateway' 'SSDP, as any client does'
    Format-Try "Find-UpnpGateway -Location $url"
    Format-Try 'Get-UpnpExternalAddress'
    Format-Try 'Add-UpnpPortMapping -ExternalPort 8080 -WhatIf'
    Format-Try 'Add-UpnpPortMapping -ExternalPort 8080 -Description web -LeaseDuration 00:10:00'
    Format-Try 'Add-UpnpPortMapping -ExternalPort 5000 -InternalPort 5001 -Protocol UDP'
    Format-Try 'Get-UpnpPortMapping'
    Format-Try 'Get-UpnpPortMapping -ExternalPort 8080 | Remove-UpnpPortMapping'
    Format-Try "Test-NatType -Server $stun" "through the router's NAT"
    Format-Try "Test-NatType -Server $stun -LocalAddress $($lab['LAN_OPEN_IP'])" 'from an address routed without NAT'
    Format-Try 'Get-Help Add-UpnpPortMapping -Examples; Get-Help about_PSUpnp'
    ''
    'The lab, from here (lab.sh of this lab):'
    Format-Try 'lab nat symmetric' 'or open, port-restricted (the start), full-cone,'
    Format-Try '' 'address-restricted, udp-blocked'
    Format-Try 'lab miniupnpd restart' 'the router forgets its mappings: then try -Renew'
    Format-Try 'lab loss 30' "drop 30% of the router's LAN packets (lab loss 0)"
    Format-Try 'lab status; lab exec wan ss -tn' 'roles: lan lan2 rtr wan'
)
Write-Host ($lines -join [Environment]::NewLine) -ForegroundColor Cyan
