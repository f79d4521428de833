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
Write-Host @"
PSUpnp lab shell: pwsh $($PSVersionTable.PSVersion) on the PC of a simulated home network (lab $($lab['PREFIX']), namespace $($lab['NS_LAN']))
  this PC $($lab['LAN_IP']) -> router $($lab['RTR_LAN_IP']) (miniupnpd; external $($lab['RTR_WAN_IP'])) -> internet $($lab['WAN_IP1']) (STUN $stun)
  PSUpnp $($module.Version) imported from $($module.ModuleBase). exit (or Ctrl+D) leaves and takes the lab down.

Try:
  Find-UpnpGateway                                        # SSDP; or Find-UpnpGateway -Location $url
  Get-UpnpExternalAddress
  Add-UpnpPortMapping -ExternalPort 8080 -WhatIf
  Add-UpnpPortMapping -ExternalPort 8080 -Description web -LeaseDuration 00:10:00
  Add-UpnpPortMapping -ExternalPort 5000 -InternalPort 5001 -Protocol UDP
  Get-UpnpPortMapping
  Get-UpnpPortMapping -ExternalPort 8080 | Remove-UpnpPortMapping
  Test-NatType -Server $stun                          # through the router's NAT
  Test-NatType -Server $stun -LocalAddress $($lab['LAN_OPEN_IP'])    # from an address routed without NAT
  Get-Help Add-UpnpPortMapping -Examples; Get-Help about_PSUpnp

The lab, from here (lab.sh of this lab):
  lab nat symmetric         # or open, port-restricted (the start), full-cone, address-restricted, udp-blocked
  lab miniupnpd restart     # the router forgets its mappings; then try Add-UpnpPortMapping ... -Renew
  lab loss 30               # drop 30% of the router's LAN-side packets (lab loss 0 ends it)
  lab status; lab exec wan ss -tn   # roles: lan lan2 rtr wan
"@ -ForegroundColor Cyan
