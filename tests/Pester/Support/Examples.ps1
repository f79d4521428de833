# Dot-sourced by Examples.Tests.ps1 (in BeforeDiscovery and BeforeAll): reads the PowerShell examples out of the
# documentation pages and runs one of them as a reader would, in the lab. The conventions the pages follow are written
# in the header of Examples.Tests.ps1.

# The pages whose ```powershell blocks are examples: every help page and the README.
function Get-DocExamplePage {
    $pages = @(Get-ChildItem -LiteralPath (Join-Path $script:RepoRoot 'docs/help') -Filter '*.md' | Sort-Object Name) +
        @(Get-Item -LiteralPath (Join-Path $script:RepoRoot 'README.md'))
    foreach ($page in $pages) {
        $page.FullName.Substring($script:RepoRoot.Length + 1).Replace('\', '/')
    }
}

# A stable name for a block's text: a changed block no longer matches its entry in Examples.NotRun.psd1.
function Get-DocBlockHash([string] $Text) {
    $sha = [Security.Cryptography.SHA256]::Create()
    try { $hash = $sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($Text)) }
    finally { $sha.Dispose() }
    ([BitConverter]::ToString($hash) -replace '-', '').Substring(0, 16).ToLowerInvariant()
}

# Every fenced block of one page, in order: its language, text, line, the heading it sits under, and the file name it
# is the content of (when the prose line before it ends in "<name>.<ext>:").
function Get-DocBlock([string] $Page) {
    $lines = @(Get-Content -LiteralPath (Join-Path $script:RepoRoot $Page))
    $heading = $null
    $lastProse = ''
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^```(\S*)') {
            $language = $Matches[1].ToLowerInvariant()
            $start = $i + 1
            $body = [Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i] -notmatch '^```\s*$'; $i++) { $body.Add($lines[$i]) }
            if ($i -ge $lines.Count) { throw "${Page}:$start opens a code block that is never closed." }
            $text = ($body -join "`n").Trim()
            $fileName = if ($lastProse -match '(\S+\.\w+):\s*$') { Split-Path -Leaf $Matches[1] }
            [pscustomobject] @{
                Page = $Page; Line = $start; Heading = $heading; Language = $language; Text = $text
                FileName = $fileName; Hash = Get-DocBlockHash $text
            }
            $lastProse = ''
            continue
        }
        if ($line -match '^#{1,3} (.+)$') { $heading = $Matches[1].Trim(); $lastProse = ''; continue }
        if ($line.Trim()) { $lastProse = $line }
    }
}

# The code of a block as a reader types it: "PS C:\> " prompts and ">> " continuations stripped. In a block with
# prompts, a line without one is code while the statement before it is unfinished (a here-string, an open brace),
# and sample output otherwise.
function Get-DocBlockCode([string] $Text) {
    $lines = $Text -split "`n"
    if (-not ($lines -match '^PS [^>]*>')) { return $Text }
    $code = [Collections.Generic.List[string]]::new()
    foreach ($line in $lines) {
        if ($line -match '^PS [^>]*> ?(.*)$' -or $line -match '^>> ?(.*)$') { $code.Add($Matches[1]) }
        elseif ($line -match '^\s*#\s*Output:' -or (Test-DocCodeIncomplete ($code -join "`n"))) { $code.Add($line) }
    }
    $code -join "`n"
}

function Test-DocCodeIncomplete([string] $Code) {
    $errors = $null
    $null = [Management.Automation.Language.Parser]::ParseInput($Code, [ref] $null, [ref] $errors)
    [bool] ($errors | Where-Object IncompleteInput)
}

# The "# Output: <type>, <type>" (or "# Output: none") line of a block: the type names its output promises.
function Get-DocBlockPromise([string] $Code) {
    $marker = @($Code -split "`n" | Where-Object { $_ -match '^\s*#\s*Output:\s*(.+?)\s*$' })
    if ($marker.Count -ne 1) { return $null }
    $null = $marker[0] -match '^\s*#\s*Output:\s*(.+?)\s*$'
    if ($Matches[1] -eq 'none') { return , @() }
    , @($Matches[1] -split '\s*,\s*' | Where-Object { $_ })
}

# The file a data block (csv, json, ...) without a name line is the content of: the one file with that extension that
# the PowerShell blocks of the same section (example) name, as a ```csv block beside "Import-Csv ports.csv | ...".
function Resolve-DocBlockFileName($Blocks) {
    foreach ($block in $Blocks) {
        if ($block.FileName -or $block.Language -in 'powershell', '', 'text', 'output') { continue }
        $code = @($Blocks | Where-Object { $_.Language -eq 'powershell' -and $_.Heading -eq $block.Heading } |
                ForEach-Object Text) -join "`n"
        $names = @([regex]::Matches($code, "[\w.-]+\.$([regex]::Escape($block.Language))\b") | ForEach-Object Value |
            Sort-Object -Unique)
        if ($names.Count -eq 1) { $block.FileName = $names[0] }
    }
}

# Every ```powershell block of the pages, with the files its page shows before it or in its own section.
function Get-DocExample {
    foreach ($page in Get-DocExamplePage) {
        $blocks = @(Get-DocBlock $page)
        Resolve-DocBlockFileName $blocks
        foreach ($block in $blocks | Where-Object Language -eq 'powershell') {
            $code = Get-DocBlockCode $block.Text
            [pscustomobject] @{
                Name = '{0}: {1} (line {2})' -f $page, $block.Heading, $block.Line
                Page = $page; Heading = $block.Heading; Line = $block.Line; Hash = $block.Hash
                Text = $block.Text; Code = $code; Promise = Get-DocBlockPromise $code
                HasPromise = @($code -split "`n" -match '^\s*#\s*Output:').Count -eq 1
                FileName = $block.FileName
                Files = @($blocks | Where-Object { $_.FileName -and ($_.Line -lt $block.Line -or $_.Heading -eq $block.Heading) } |
                        ForEach-Object { @{ Name = $_.FileName; Text = $_.Text } })
            }
        }
    }
}

# The one substitution: the example home network and STUN servers of the pages become the lab's.
function ConvertTo-LabExample([string] $Code, [hashtable] $Lab) {
    $lanPrefix = $Lab['RTR_LAN_IP'] -replace '\.\d+$', ''
    $result = $Code.Replace('http://192.168.1.1:5000/rootDesc.xml', $Lab['DESCRIPTION_URL'])
    $result = $result -replace '(?<![\d.])192\.168\.1\.\*', "$lanPrefix.*"
    foreach ($pair in @(('1', 'RTR_LAN_IP'), ('10', 'LAN_IP'), ('20', 'LAN2_IP'))) {
        $result = $result -replace "(?<![\d.])192\.168\.1\.$($pair[0])(?![\d])", $Lab[$pair[1]]
    }
    if ($result -match '(?<![\d.])192\.168\.1\.\d+') {
        throw "The example uses $($Matches[0]), which is not in the example network (router 192.168.1.1:5000, this PC 192.168.1.10, another PC 192.168.1.20): use one of those."
    }
    $result -replace '\bstun\.example\.(net|org)(:\d+)?', $Lab['STUN_SERVER']
}

# Runs an example's code in a fresh runspace with the built module imported, in its page's working directory (the
# examples of a page run in order in one folder, as a reader working through the page: a file one example makes is
# there for the next), after writing there the files the page shows. Test-NatType without -Server (and
# Test-UpnpPortMapping without -StunServer) asks the lab's coturn, not the public list.
function Invoke-DocExample($Example, [hashtable] $Lab, [string] $WorkRoot) {
    $workDir = Join-Path $WorkRoot ([IO.Path]::GetFileNameWithoutExtension($Example.Page))
    New-Item -ItemType Directory -Path $workDir -Force | Out-Null
    foreach ($file in $Example.Files) {
        Set-Content -LiteralPath (Join-Path $workDir $file.Name) -Value $file.Text
    }
    $state = [initialsessionstate]::CreateDefault2()
    $state.ImportPSModule((Get-PSUpnpModulePath))
    $ps = [powershell]::Create($state)
    try {
        $null = $ps.AddScript('param($Dir, $Stun) Set-Location -LiteralPath $Dir; $global:PSDefaultParameterValues["Test-NatType:Server"] = $Stun; $global:PSDefaultParameterValues["Test-UpnpPortMapping:StunServer"] = $Stun').
            AddArgument($workDir).AddArgument($Lab['STUN_SERVER']).Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddScript((ConvertTo-LabExample $Example.Code $Lab))
        $output = [Collections.Generic.List[object]]::new()
        $failure = $null
        # A hung example fails with a message instead of hanging the suite; no example comes near this bound.
        $running = $ps.BeginInvoke()
        if (-not $running.AsyncWaitHandle.WaitOne([timespan]::FromMinutes(2))) {
            $ps.Stop()
            $failure = [TimeoutException]::new('the example did not finish within 2 minutes and was stopped')
        }
        else {
            try { foreach ($item in $ps.EndInvoke($running)) { $output.Add($item) } }
            catch { $failure = if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception } }
        }
        [pscustomobject] @{
            Output = $output.ToArray()
            Errors = @($ps.Streams.Error | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" }) +
                @(if ($failure) { "terminating: $($failure.Message)" })
            Warnings = @($ps.Streams.Warning | ForEach-Object { "$_" })
        }
    }
    finally {
        $ps.Dispose()
    }
}

# The type names of what a block emitted, outermost first (Select-Object's output is "Selected.<type>").
function Get-DocOutputType($Output) {
    @($Output | ForEach-Object { if ($null -eq $_) { '$null' } else { $_.PSObject.TypeNames[0] } }) | Sort-Object -Unique
}
