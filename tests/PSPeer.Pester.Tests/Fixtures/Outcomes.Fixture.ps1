# Not a suite (no .Tests.ps1, outside tests/Pester): PesterRunnerTests runs it to check that each thing Pester can
# report about an It reaches xunit as it should.
Describe 'Outcomes' {
    It 'passes' { 1 | Should -Be 1 }
    It 'fails with <Expected>' -ForEach @{ Expected = 2 } { 1 | Should -Be $Expected }
    It 'skips' { Set-ItResult -Skipped -Because 'the tool is missing' }
    Context 'in a block whose AfterAll fails' {
        It 'passes before the AfterAll' { $true | Should -BeTrue }
        AfterAll { throw 'cleanup broke' }
    }
}
