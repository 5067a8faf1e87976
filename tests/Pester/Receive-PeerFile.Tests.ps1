# Pester 5 suite: Receive-PeerFile.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    $original = Join-Path $music 'The Beatles - Hey Jude.mp3'
    $bytes = [byte[]]::new(300000); [System.Random]::new(1).NextBytes($bytes)
    [IO.File]::WriteAllBytes($original, $bytes)
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'recv-index'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name 'recv-bob'
    $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'recv-alice'
}

Describe 'Receive-PeerFile' {
    It 'downloads what Find-PeerFile found and verifies it' {
        $dest = Join-Path $TestDrive 'downloads'
        $download = Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $dest
        $download.Verified | Should -BeTrue
        (Get-FileHash $download.Path).Hash | Should -Be (Get-FileHash $original).Hash
    }

    It 'binds a plain object by property name' {
        $dest = Join-Path $TestDrive 'by-name'
        $hit = Find-PeerFile 'Hey Jude' -Via $alice
        $download = [pscustomobject]@{ Name = $hit.Name; Size = $hit.Size; ContentHash = "$($hit.ContentHash)"; Source = $hit.Source; FileIndex = $hit.FileIndex } |
            Receive-PeerFile -Destination $dest -Via $alice
        $download.Verified | Should -BeTrue
    }

    It 'downloads a file shared by two peers once' {
        $copies = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'carol') -Force
        Copy-Item $original $copies
        $carol = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $copies -Name 'recv-carol'
        $dest = Join-Path $TestDrive 'twice'
        $hits = @(Find-PeerFile 'Hey Jude' -Via $alice)
        $hits.Count | Should -Be 2
        $downloads = @($hits | Receive-PeerFile -Destination $dest)
        $downloads.Count | Should -Be 1
        $downloads[0].Verified | Should -BeTrue
        $carol | Stop-PeerNode -Confirm:$false
    }

    It 'refuses content that does not match its hash and leaves nothing behind' {
        $dest = Join-Path $TestDrive 'mismatch'
        $hit = Find-PeerFile 'Hey Jude' -Via $alice
        $changed = [byte[]]::new(300000); [System.Random]::new(2).NextBytes($changed)
        [IO.File]::WriteAllBytes($original, $changed)
        { $hit | Receive-PeerFile -Destination $dest -ErrorAction Stop } | Should -Throw -ErrorId 'ContentHashMismatch,*'
        Get-ChildItem $dest -File -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
