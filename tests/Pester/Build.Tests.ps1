# build.ps1 as CI runs it (bash tests/run runs its Build, Docs, Package and Test tasks under pwsh -File): these cases
# cover what that run does not, its refusal of a task it does not know.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Common.ps1')
    $script:build = Join-Path $script:RepoRoot 'build.ps1'
}

Describe 'build.ps1' {
    It 'refuses an unknown task before doing anything, naming the four it offers' {
        $run = Invoke-PwshFile -Path $build -Arguments @('-Task', 'Build,Publish')
        $run.ExitCode | Should -Not -Be 0
        ($run.Output -join "`n") | Should -Match "Unknown task 'Publish': use Build, Test, Docs or Package"
        ($run.Output -join "`n") | Should -Not -Match '== Build'
    }
}
