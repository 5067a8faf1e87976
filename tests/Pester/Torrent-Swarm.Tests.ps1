# Pester 5 suite: BitTorrent seeders and leechers from cmdlets (Start-PeerNode -Role Seeder/Leecher, Receive-PeerFile with torrents).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $seedDir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'seed') -Force
    $payload = Join-Path $seedDir 'app.zip'
    $bytes = [byte[]]::new(2000000); [System.Random]::new(7).NextBytes($bytes)
    [IO.File]::WriteAllBytes($payload, $bytes)
    $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name 'swarm-tracker'
    $torrentPath = Join-Path $TestDrive 'app.torrent'
    $info = New-Torrent $payload -Tracker $tracker.AnnounceUrl -PieceSize 64KB -OutFile $torrentPath
    $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $info -SharedPath $seedDir -Name 'swarm-seed'
}

Describe 'Torrent swarm' {
    It 'starts a seeder that holds every piece' {
        $seed.Role | Should -Be 'Seeder'
        $seed.Progress | Should -Be 1
        $seed.InfoHash | Should -Be $info.InfoHash
    }

    It 'downloads a TorrentInfo from the pipeline byte for byte' {
        $dest = Join-Path $TestDrive 'copy'
        $download = Get-TorrentInfo $torrentPath | Receive-PeerFile -Destination $dest -Timeout 60
        $download.Verified | Should -BeTrue
        $download.Sources | Should -Contain $seed.EndPoint
        (Get-FileHash $download.Path).Hash | Should -Be (Get-FileHash $payload).Hash
    }

    It 'accepts a .torrent path as -Torrent' -ForEach @(@{ Kind = 'path' }, @{ Kind = 'FileInfo' }) {
        $dest = Join-Path $TestDrive "by-$Kind"
        $torrent = if ($Kind -eq 'path') { $torrentPath } else { Get-Item $torrentPath }
        $download = Receive-PeerFile -Torrent $torrent -Destination $dest -Timeout 60
        (Get-FileHash $download.Path).Hash | Should -Be (Get-FileHash $payload).Hash
    }

    It 'runs a leecher in the background that completes and seeds' {
        $leecher = Start-PeerNode -Protocol BitTorrent -Role Leecher -Torrent $torrentPath -SharedPath (Join-Path $TestDrive 'leecher') -Tracker $tracker
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($leecher.Progress -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $leecher.Progress | Should -Be 1
        $leecher.Sources | Should -Not -BeNullOrEmpty
        $leecher | Stop-PeerNode -Confirm:$false
    }

    It 'reports a broken torrent as InvalidTorrent' {
        $bad = Join-Path $TestDrive 'bad.torrent'
        Set-Content -Path $bad -Value 'not bencode'
        { Receive-PeerFile -Torrent $bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTorrent,*'
    }

    It 'reports a missing torrent as TorrentNotFound' {
        { Receive-PeerFile -Torrent (Join-Path $TestDrive 'nope.torrent') -ErrorAction Stop } | Should -Throw -ErrorId 'TorrentNotFound,*'
    }

    It 'refuses a seeder without its content' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty') -Force
        { Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath $empty -ErrorAction Stop } |
            Should -Throw -ErrorId 'TorrentDataMissing,*'
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
