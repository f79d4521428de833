# The renewal a scheduled job runs (about_PSUpnp's Linux recipe, discovering the router as `upnpc -a` does), as
# bench/run's renew-script scenario starts it, the way cron or a systemd timer would:
#   pwsh -NoProfile -NonInteractive -File renew.ps1 -Module <the built PSUpnp.psd1> -ExternalPort N
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [int] $ExternalPort,
    [string] $Description = 'psupnp-bench'
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Find-UpnpGateway |
    Add-UpnpPortMapping -ExternalPort $ExternalPort -Description $Description -LeaseDuration '01:00:00' -Renew -Confirm:$false
