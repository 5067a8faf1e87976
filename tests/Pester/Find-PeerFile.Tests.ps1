# Pester 5 suite: Find-PeerFile.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    [IO.File]::WriteAllBytes((Join-Path $music 'The Beatles - Hey Jude.mp3'), [byte[]](1..240))
    [IO.File]::WriteAllBytes((Join-Path $music 'Let It Be.mp3'), [byte[]](1..120))
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'find-index'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name 'find-bob'
    $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'find-alice'
}

Describe 'Find-PeerFile' {
    It 'finds <Query> through the index' -ForEach @(
        @{ Query = 'Hey Jude'; Expected = 'The Beatles - Hey Jude.mp3' }
        @{ Query = 'let it';   Expected = 'Let It Be.mp3' }
    ) {
        $hit = Find-PeerFile $Query -Via $alice
        $hit.Name | Should -Be $Expected
        $hit.PeerName | Should -Be 'find-bob'
        "$($hit.ContentHash)" | Should -Match '^urn:sha1:'
    }

    It 'writes nothing and no error when nothing matches' {
        $hits = Find-PeerFile 'Stairway to Heaven' -Via $alice -Timeout 2 -ErrorVariable problems
        $hits | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }

    It 'searches through the most recent client node by default' {
        (Find-PeerFile 'Hey Jude').Node.Name | Should -Be 'find-alice'
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
