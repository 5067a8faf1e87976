# Pester 5 suite: Publish-PeerFile.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    $more = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'more') -Force
    [IO.File]::WriteAllBytes((Join-Path $more 'Yesterday.mp3'), [byte[]](1..250))
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'pub-index'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name 'pub-bob'
    $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'pub-alice'
}

Describe 'Publish-PeerFile' {
    It 'shares a file and returns it with -PassThru' {
        $shared = Publish-PeerFile -Path (Join-Path $more 'Yesterday.mp3') -Node $bob -PassThru
        $shared.Name | Should -Be 'Yesterday.mp3'
        $shared.Size | Should -Be 250
        "$($shared.ContentHash)" | Should -Match '^urn:sha1:[A-Z2-7]{32}$'
    }

    It 'makes the file findable through the index' {
        (Find-PeerFile 'Yesterday' -Via $alice).PeerName | Should -Be 'pub-bob'
    }

    It 'reports a missing file as PeerFileNotFound' {
        { Publish-PeerFile -Path (Join-Path $TestDrive 'missing.mp3') -Node $bob -ErrorAction Stop } | Should -Throw -ErrorId 'PeerFileNotFound,*'
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
