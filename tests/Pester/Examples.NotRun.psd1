# The PowerShell blocks of docs/help and README.md that Examples.Tests.ps1 does not run, each with the reason.
# An entry names its page, the heading it sits under (for the reader) and the hash of its text (what is matched): when
# the block changes, the entry stops matching and the test fails until the block is reviewed again and either run or
# listed with its new hash (Examples.Tests.ps1 prints it). Keep this list short: an example that can run, runs.
@{
    Blocks = @(
        @{
            Page    = 'docs/help/about_PSUpnp.help.md'
            Heading = 'LEASES AND RENEWAL'
            Hash    = 'e9fba9fd0d7f2ab4'
            Reason  = 'Registers a Windows scheduled task (New-ScheduledTaskAction, Register-ScheduledTask): the ScheduledTasks module exists only on Windows, and the lab is Linux. The command it schedules is Add-UpnpPortMapping -Renew against a pinned gateway, which Add-UpnpPortMapping Example 4 and the Linux recipe run.'
        }
    )
}
