# Pester 5 suite: Receive-PeerFile never replaces a file it did not write.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    $original = Join-Path $music 'Hey Jude.mp3'
    $bytes = [byte[]]::new(200000); [System.Random]::new(11).NextBytes($bytes)
    [IO.File]::WriteAllBytes($original, $bytes)
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'exist-index'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name 'exist-bob'
    $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'exist-alice'
}

Describe 'Receive-PeerFile and an existing file' {
    BeforeEach {
        $dest = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $dest
        $target = Join-Path $dest 'Hey Jude.mp3'
    }

    It 'leaves a different file alone with DestinationFileExists, naming -Force' {
        Set-Content -Path $target -Value 'my own notes'
        { Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $dest -ErrorAction Stop } |
            Should -Throw -ErrorId 'DestinationFileExists,*' -ExpectedMessage '*-Force*'
        Get-Content -Path $target | Should -Be 'my own notes'
        @(Get-ChildItem -Path $dest -Force).Count | Should -Be 1
    }

    It 'replaces it with -Force, only with the verified download' {
        Set-Content -Path $target -Value 'my own notes'
        $download = Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $dest -Force
        $download.Verified | Should -BeTrue
        (Get-FileHash -Path $target -Algorithm SHA1).Hash | Should -Be $download.Sha1
    }

    It 'counts a file with the same content as received, without a transfer' {
        Copy-Item -Path $original -Destination $target
        $download = Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $dest
        $download.Verified | Should -BeTrue
        $download.Bytes | Should -Be 0
    }

    It 'writes nothing with -WhatIf' {
        Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $dest -WhatIf | Should -BeNullOrEmpty
        Test-Path -Path $target | Should -BeFalse
    }

    It 'has a hex SHA-1 that compares with Get-FileHash' {
        (Find-PeerFile 'Hey Jude' -Via $alice).Sha1 | Should -Be (Get-FileHash -Path $original -Algorithm SHA1).Hash
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
