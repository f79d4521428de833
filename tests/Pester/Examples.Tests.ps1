#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
Every ```powershell block of docs/help/*.md (cmdlet pages and about_PSUpnp) and README.md runs in the lab, as the
reader would type it, and must emit what it promises. The pages are the source: a new example is picked up by itself.

Conventions of the pages (keep them when you write an example):
- Promise. The block's first line (after a #! line in a script file) is "# Output: <type name>[, <type name>...]" or
  "# Output: none". The block must emit at least one object of each type named and nothing else (a type matches the
  first of the object's PSObject.TypeNames, so Select-Object's output is "Selected.<type>"), and write no error.
- Files. A fenced block is the content of a file when the prose line before it ends in "<name>.<ext>:" (as in
  "The script /usr/local/lib/psupnp/renew.ps1:"), or, for a data block such as ```csv, when the PowerShell code of
  the same example names exactly one file with that extension (Import-Csv ports.csv). Each example runs in a fresh
  working directory holding, under their leaf names, the files its page shows before it or in its own example.
  The examples of a page run in page order in one working directory, as a reader working through the page: a file
  that one example makes (Set-Content ports.csv) is there for the next (Import-Csv ports.csv).
- Prompts. "PS C:\> " prompts are optional; in a block with prompts, the lines without one are sample output, except
  inside an unfinished statement (the body of a here-string).
- Addresses. The pages use one example network: the router at 192.168.1.1 (description
  http://192.168.1.1:5000/rootDesc.xml), this PC 192.168.1.10, another PC 192.168.1.20, and the STUN servers
  stun.example.net and stun.example.org.
- The one substitution: that example network becomes the lab's (RTR_LAN_IP and DESCRIPTION_URL, LAN_IP, LAN2_IP of
  tests/Lab/lab.conf) and every STUN server, named or Test-NatType's public default list, the lab's coturn
  (STUN_SERVER), so that no test traffic leaves the lab. Nothing else in a block is changed.
- Router state. Each block runs against a router that holds the mappings the pages talk about, made from this PC:
  TCP 8080 'Web server', TCP 9000 'PSUpnp example', UDP 27015 'Steam', UDP 27016 'Game server'. Whatever the block
  leaves on the router (and those four) is removed after it.
- Not run. A block that cannot run here (Windows only, the real internet) is listed in Examples.NotRun.psd1 by page
  and the hash of its text, with the reason. A block neither listed nor runnable fails; a listed entry that matches no
  block any more fails too (a changed block must be reviewed again).

The Linux renewal recipe of about_PSUpnp is also run as its systemd unit runs it: pwsh -NoProfile -NonInteractive
-File, twice, with miniupnpd restarted in between.
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    . (Join-Path $PSScriptRoot 'Support/Examples.ps1')
    $examples = @(Get-DocExample)
    $notRun = (Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'Examples.NotRun.psd1')).Blocks
    $isListed = { param($e) [bool] ($notRun | Where-Object { $_.Page -eq $e.Page -and $_.Hash -eq $e.Hash }) }
    $runCases = @($examples | Where-Object { -not (& $isListed $_) } | ForEach-Object { @{ Example = $_; Name = $_.Name } })
    $entryCases = @($notRun | ForEach-Object { @{ Entry = $_; Name = '{0}: {1} ({2})' -f $_.Page, $_.Heading, $_.Hash } })
    $pageCases = @(Get-DocExamplePage | ForEach-Object { @{ Page = $_ } })
    $allCases = @($examples | ForEach-Object { @{ Example = $_; Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    . (Join-Path $PSScriptRoot 'Support/Examples.ps1')
    $script:examples = @(Get-DocExample)
    $script:notRun = (Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'Examples.NotRun.psd1')).Blocks
    # "Import-Module PSUpnp" in an example (and in the renewal script's own pwsh) finds the built module by name.
    $script:savedModulePath = $env:PSModulePath
    $env:PSModulePath = (Join-Path $script:RepoRoot 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
}

AfterAll {
    $env:PSModulePath = $script:savedModulePath
}

Describe 'The example pages' {
    It 'has PowerShell examples in <Page>' -ForEach $pageCases {
        @($script:examples | Where-Object Page -eq $Page) | Should -Not -BeNullOrEmpty -Because 'every page shows its use'
    }

    # Listed blocks too: what cannot run here must at least be valid PowerShell.
    It 'parses <Name>' -ForEach $allCases {
        $errors = $null
        $null = [Management.Automation.Language.Parser]::ParseInput($Example.Code, [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
    }

    It 'uses only the example network and STUN servers in <Name>' -ForEach $allCases {
        { ConvertTo-LabExample $Example.Code (Get-LabConfig) } | Should -Not -Throw
    }

    It 'lists a block that still exists with its reason: <Name>' -ForEach $entryCases {
        $Entry.Reason | Should -Not -BeNullOrEmpty
        $matching = @($script:examples | Where-Object { $_.Page -eq $Entry.Page -and $_.Hash -eq $Entry.Hash })
        $now = ($script:examples | Where-Object { $_.Page -eq $Entry.Page -and $_.Heading -eq $Entry.Heading } |
                ForEach-Object { "line $($_.Line): $($_.Hash)" }) -join ', '
        $matching | Should -HaveCount 1 -Because "an entry of Examples.NotRun.psd1 must match a block: if the block under '$($Entry.Heading)' changed ($now), review it, then run it or list it again with its new hash"
    }
}

Describe 'Every example runs in the lab and emits what it promises' -Tag 'Lab' {
    BeforeAll {
        $script:workRoot = $null
        Assert-InLab
        Import-PSUpnp
        $script:lab = Get-LabConfig
        $script:gateway = Find-UpnpGateway -Location $script:lab['DESCRIPTION_URL']
        $script:workRoot = Join-Path ([IO.Path]::GetTempPath()) "psupnp-examples-$PID"
        $script:seeds = @(
            @{ ExternalPort = 8080; Protocol = 'TCP'; Description = 'Web server' }
            @{ ExternalPort = 9000; Protocol = 'TCP'; Description = 'PSUpnp example' }
            @{ ExternalPort = 27015; Protocol = 'UDP'; Description = 'Steam' }
            @{ ExternalPort = 27016; Protocol = 'UDP'; Description = 'Game server' }
        )
    }

    BeforeEach {
        $script:before = @(Get-UpnpPortMapping -Gateway $script:gateway | ForEach-Object { "$($_.Protocol)/$($_.ExternalPort)" })
        foreach ($seed in $script:seeds) {
            $null = Add-UpnpPortMapping @seed -LeaseDuration '01:00:00' -Gateway $script:gateway -Confirm:$false -WarningAction SilentlyContinue
        }
    }

    AfterAll {
        if ($script:workRoot -and (Test-Path -LiteralPath $script:workRoot)) { Remove-Item -LiteralPath $script:workRoot -Recurse -Force }
    }

    AfterEach {
        $seeded = $script:seeds | ForEach-Object { "$($_.Protocol)/$($_.ExternalPort)" }
        Get-UpnpPortMapping -Gateway $script:gateway |
            Where-Object { "$($_.Protocol)/$($_.ExternalPort)" -notin $script:before -or "$($_.Protocol)/$($_.ExternalPort)" -in $seeded } |
            Remove-UpnpPortMapping -Confirm:$false
        $left = @(Get-UpnpPortMapping -Gateway $script:gateway | ForEach-Object { "$($_.Protocol)/$($_.ExternalPort)" } |
                Where-Object { $_ -notin $script:before })
        $left | Should -BeNullOrEmpty -Because 'the router is left as the example found it'
    }

    It '<Name>' -ForEach $runCases {
        $Example.HasPromise | Should -BeTrue -Because "the block must say what it emits in a '# Output: <type>' (or '# Output: none') line, or be listed in Examples.NotRun.psd1 with its reason (Page '$($Example.Page)', Hash '$($Example.Hash)')"
        $result = Invoke-DocExample $Example $script:lab $script:workRoot
        $result.Errors | Should -BeNullOrEmpty -Because "the example as written must run (warnings: $($result.Warnings -join ' | '))"
        $emitted = @(Get-DocOutputType $result.Output)
        if ($Example.Promise.Count -eq 0) {
            $emitted | Should -BeNullOrEmpty -Because 'the example promises no output'
        }
        else {
            foreach ($type in $Example.Promise) {
                $emitted | Should -Contain $type -Because "the example promises $($Example.Promise -join ', ')"
            }
            $emitted | Where-Object { $_ -notin $Example.Promise } | Should -BeNullOrEmpty -Because "the example promises only $($Example.Promise -join ', ')"
        }
    }
}

Describe 'The Linux renewal recipe of about_PSUpnp' -Tag 'Lab' {
    BeforeAll {
        $script:gateway = $script:scriptDir = $null
        Assert-InLab
        Import-PSUpnp
        $script:lab = Get-LabConfig
        $recipe = @($script:examples | Where-Object { $_.Page -eq 'docs/help/about_PSUpnp.help.md' -and $_.FileName -eq 'renew.ps1' })
        $recipe | Should -HaveCount 1 -Because 'about_PSUpnp shows the script its systemd unit runs, after "The script .../renew.ps1:"'
        $script:scriptDir = Join-Path ([IO.Path]::GetTempPath()) "psupnp-renew-$PID"
        New-Item -ItemType Directory -Path $script:scriptDir -Force | Out-Null
        $script:scriptPath = Join-Path $script:scriptDir 'renew.ps1'
        Set-Content -LiteralPath $script:scriptPath -Value (ConvertTo-LabExample $recipe[0].Code $script:lab)
        $script:gateway = Find-UpnpGateway -Location $script:lab['DESCRIPTION_URL']

        # What the recipe keeps open: the port, protocol and lease its Add-UpnpPortMapping line names.
        $script:port = [int] ([regex]::Match($recipe[0].Code, '-ExternalPort (\d+)').Groups[1].Value)
        $script:lease = [timespan] ([regex]::Match($recipe[0].Code, "-LeaseDuration '([^']+)'").Groups[1].Value)
        $script:port | Should -BeGreaterThan 0
        $script:lease | Should -BeGreaterThan ([timespan]::FromMinutes(5))

        function Get-RecipeMapping {
            @(Get-UpnpPortMapping -Gateway $script:gateway -ExternalPort $script:port -Protocol TCP)
        }
    }

    AfterAll {
        # Outside the lab BeforeAll stopped at Assert-InLab: nothing was made, and its message is the one to show.
        if ($script:gateway) {
            Get-UpnpPortMapping -Gateway $script:gateway -ExternalPort $script:port -Protocol TCP | Remove-UpnpPortMapping -Confirm:$false
        }
        if ($script:scriptDir -and (Test-Path -LiteralPath $script:scriptDir)) {
            Remove-Item -LiteralPath $script:scriptDir -Recurse -Force
        }
    }

    It 'renews the mapping, and re-creates it with a warning after miniupnpd restarted' {
        # A mapping with a short lease left: the first run must reset it to the recipe's lease.
        $null = Add-UpnpPortMapping -ExternalPort $script:port -Description 'Web server' -LeaseDuration '00:05:00' -Gateway $script:gateway -Confirm:$false
        (Get-RecipeMapping)[0].LeaseDuration | Should -BeLessOrEqual ([timespan]::FromMinutes(5))

        $first = Invoke-PwshFile -Path $script:scriptPath
        $first.ExitCode | Should -Be 0 -Because ($first.Output -join "`n")
        $first.Output -match 'WARNING' | Should -BeNullOrEmpty -Because 'the mapping was there: a plain renewal'
        $renewed = Get-RecipeMapping
        $renewed | Should -HaveCount 1
        $renewed[0].LeaseDuration | Should -BeGreaterThan ($script:lease - [timespan]::FromMinutes(1))

        Invoke-Lab miniupnpd restart | Out-Null
        Get-RecipeMapping | Should -BeNullOrEmpty -Because 'a restarted miniupnpd forgets every mapping'

        $second = Invoke-PwshFile -Path $script:scriptPath
        $second.ExitCode | Should -Be 0 -Because ($second.Output -join "`n")
        ($second.Output -join "`n") | Should -Match 'WARNING: .*no longer on the router.*created again'
        $recreated = Get-RecipeMapping
        $recreated | Should -HaveCount 1
        $recreated[0].LeaseDuration | Should -BeGreaterThan ($script:lease - [timespan]::FromMinutes(1))
        $recreated[0].Description | Should -Be 'Web server'
    }
}
