#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-Help as a user sees it, in the imported built module, against its source: the pages of docs/help. The test cases
# come from the markdown pages and from the cmdlets themselves, so a new page, parameter or example is covered without
# touching this file. No lab needed.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp

    # A page as blocks under its headings, fences respected (a '#' line in code is code): the reader the help
    # compiler's output is checked against, written apart from the compiler on purpose.
    function Read-HelpPage([string] $Path) {
        $nodes = [System.Collections.Generic.List[object]]::new()
        $current = [pscustomobject] @{ Level = 0; Title = ''; Lines = [System.Collections.Generic.List[string]]::new() }
        $inFence = $false
        foreach ($line in ((Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n") -split "`n") {
            if ($line -match '^```') { $inFence = -not $inFence }
            if (-not $inFence -and $line -match '^(#{1,3}) (.+?)\s*$') {
                $nodes.Add($current)
                $current = [pscustomobject] @{ Level = $Matches[1].Length; Title = $Matches[2]; Lines = [System.Collections.Generic.List[string]]::new() }
                continue
            }
            $current.Lines.Add($line)
        }
        $nodes.Add($current)
        $nodes
    }

    # The ### nodes under one ## section.
    function Get-Subsection($Nodes, [string] $Section) {
        $in = $false
        foreach ($node in $Nodes) {
            if ($node.Level -le 2) { $in = $node.Level -eq 2 -and $node.Title -eq $Section; continue }
            if ($in -and $node.Level -eq 3) { $node }
        }
    }

    # The prose of some lines as one string, code left out.
    function Get-Prose([string[]] $Lines) {
        (Get-Paragraph $Lines) -join ' '
    }

    # The prose paragraphs (a list counts as one), apart: code blocks between them are shown between them.
    function Get-Paragraph([string[]] $Lines) {
        $inFence = $false
        $paragraph = @()
        foreach ($line in $Lines) {
            if ($line -match '^```') { $inFence = -not $inFence }
            if ($inFence -or $line -match '^```' -or -not $line.Trim()) {
                if ($paragraph) { ($paragraph -join ' ').Trim() }
                $paragraph = @()
                continue
            }
            $paragraph += $line.Trim()
        }
        if ($paragraph) { ($paragraph -join ' ').Trim() }
    }

    # An example: the code of its first fence, and its remarks (what follows: prose, and any further code).
    function Split-Example([string[]] $Lines) {
        $fences = @(for ($i = 0; $i -lt $Lines.Count; $i++) { if ($Lines[$i] -match '^```') { $i } })
        @{
            Code    = $Lines[($fences[0] + 1)..($fences[1] - 1)] -join "`n"
            Remarks = ($Lines | Select-Object -Skip ($fences[1] + 1) | Where-Object { $_ -notmatch '^```' }) -join ' '
        }
    }

    $helpDir = Join-Path $script:RepoRoot 'docs/help'
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    $cmdlets = foreach ($command in (Get-Module PSUpnp).ExportedCmdlets.Values | Sort-Object Name) {
        $nodes = Read-HelpPage (Join-Path $helpDir "$($command.Name).md")
        $section = @{}
        foreach ($node in $nodes | Where-Object Level -EQ 2) { $section[$node.Title] = $node.Lines }
        $documented = @{}
        foreach ($node in Get-Subsection $nodes 'PARAMETERS' | Where-Object Title -NE 'CommonParameters') {
            $yamlType = ($node.Lines | Where-Object { $_ -match '^Type: (.+)$' } | Select-Object -First 1) -replace '^Type: ', ''
            $documented[$node.Title.TrimStart('-')] = @{
                Description = Get-Prose ($node.Lines | Select-Object -First $node.Lines.FindIndex([Predicate[string]] { param($l) $l -match '^```yaml' }))
                Type        = $yamlType
            }
        }
        @{
            Name        = $command.Name
            Synopsis    = Get-Prose $section['SYNOPSIS']
            Description = Get-Prose $section['DESCRIPTION']
            Real        = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
            Documented  = @($documented.Keys | Sort-Object)
            Parameters  = @(foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
                    $page = $documented[$name]
                    @{
                        Command     = $command.Name
                        Name        = $name
                        Description = if ($page) { $page.Description } else { '' }
                        # Get-Help shows -Name <Type>, or -Name alone for a switch.
                        Shown       = if (-not $page -or $page.Type -eq 'SwitchParameter') { "-$name" } else { "-$name <$($page.Type)>" }
                    }
                })
            Inputs      = @(foreach ($node in Get-Subsection $nodes 'INPUTS') { @{ Type = $node.Title; Description = Get-Prose $node.Lines } })
            Outputs     = @(foreach ($node in Get-Subsection $nodes 'OUTPUTS') { @{ Type = $node.Title; Description = Get-Prose $node.Lines } })
            Examples    = @(foreach ($node in Get-Subsection $nodes 'EXAMPLES') { @{ Title = $node.Title } + (Split-Example $node.Lines) })
        }
    }

    $aboutNodes = Read-HelpPage (Join-Path $helpDir 'about_PSUpnp.help.md')
    $about = @{
        ShortDescription = Get-Prose ($aboutNodes | Where-Object Title -EQ 'SHORT DESCRIPTION').Lines
        # Everything after the topic's name: SHORT DESCRIPTION, LONG DESCRIPTION and its ## sections, SEE ALSO...
        Sections         = @(foreach ($node in $aboutNodes | Select-Object -Skip (1 + [array]::IndexOf(@($aboutNodes.Title), 'about_PSUpnp'))) {
                @{ Title = $node.Title; Paragraphs = @(Get-Paragraph $node.Lines); Lines = [string[]] $node.Lines }
            })
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    Import-PSUpnp

    # Get-Help wraps text to the window and may break a line anywhere (even inside a word), so text is compared
    # without its whitespace: what is compared is the sequence of characters the user reads.
    function Compress([string] $Text) { $Text -replace '\s+', '' }

    function Should-Show([string] $Text, [string] $Expected, [string] $What) {
        Compress $Expected | Should -Not -BeNullOrEmpty -Because "the page gives $What"
        (Compress $Text).Contains((Compress $Expected)) | Should -BeTrue -Because "Get-Help should show $What as the page writes it: '$Expected'"
    }
}

AfterAll {
    Remove-Module PSUpnp -Force -ErrorAction SilentlyContinue
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $full = Get-Help $Name -Full
        $helpText = $full | Out-String -Width 120
    }

    It 'is the compiled help of the page, not the help PowerShell makes up without it' {
        $full.Synopsis | Should -Be $Synopsis
        $helpText | Should -Match 'DESCRIPTION'
    }

    It 'shows the synopsis' {
        Should-Show $helpText $Synopsis 'the synopsis'
    }

    It 'shows the description' {
        Should-Show $helpText $Description 'the description'
    }

    It 'documents exactly the parameters the cmdlet has' {
        $Real | Should -Not -BeNullOrEmpty
        $Documented | Should -Be $Real
        @($full.parameters.parameter.name | Sort-Object) | Should -Be $Real
    }

    It 'shows <Shown> with its description' -ForEach $Parameters {
        Should-Show $helpText "$Shown $Description" "the description of -$Name"
    }

    It 'shows -<Name> with Get-Help -Parameter' -ForEach $Parameters {
        $parameterHelp = Get-Help $Command -Parameter $Name | Out-String -Width 120
        Should-Show $parameterHelp "$Shown $Description" "the description of -$Name"
    }

    It 'shows the input <Type>' -ForEach $Inputs {
        Should-Show $helpText "INPUTS" 'the INPUTS heading'
        Should-Show $helpText "$Type $Description" "the input type $Type with its description"
    }

    It 'shows the output <Type>' -ForEach $Outputs {
        Should-Show $helpText "$Type $Description" "the output type $Type with its description"
    }

    It 'has examples' {
        $Examples.Count | Should -BeGreaterThan 0
        @($full.examples.example).Count | Should -Be $Examples.Count
    }

    It 'shows <Title> with its code and remarks' -ForEach $Examples {
        Should-Show $helpText "$Title --------- $Code $Remarks" "the example '$Title', its code and then its remarks"
    }
}

Describe 'Get-Help about_PSUpnp' -ForEach @($about) {
    BeforeAll {
        $topic = Get-Help about_PSUpnp
        $helpText = $topic | Out-String -Width 120
    }

    It 'finds the topic, with its short description as the synopsis' {
        $topic | Should -Not -BeNullOrEmpty
        $topic.Synopsis | Should -Be $ShortDescription
        @(Get-Help -Name 'about_PSU*' -Category HelpFile).Count | Should -Be 1
    }

    It 'shows the section <Title> with its text and code' -ForEach $Sections {
        $helpText | Should -Match ([regex]::Escape($Title.ToUpperInvariant()))
        foreach ($paragraph in $Paragraphs) {
            Should-Show $helpText $paragraph "a paragraph of $Title"
        }
        $inFence = $false
        foreach ($line in $Lines) {
            if ($line -match '^```') { $inFence = -not $inFence; continue }
            if ($inFence -and $line.Trim()) { $helpText | Should -Match ([regex]::Escape($line.TrimEnd())) }
        }
    }
}
