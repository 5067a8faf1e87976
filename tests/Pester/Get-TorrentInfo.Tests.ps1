# Pester 5 suite: Get-TorrentInfo.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $out = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'torrents') -Force
    $file = Join-Path $TestDrive 'app.zip'
    [IO.File]::WriteAllBytes($file, [byte[]](1..250) * 400)
    $made = New-Torrent $file -Tracker 'http://127.0.0.1:6969/announce' -OutFile (Join-Path $out 'app.torrent') -Comment 'nightly'
    [IO.File]::WriteAllText((Join-Path $out 'bad.torrent'), 'not bencode')
}

Describe 'Get-TorrentInfo' {
    It 'reads a torrent' {
        $t = Get-TorrentInfo (Join-Path $out 'app.torrent')
        $t.Name | Should -Be 'app.zip'
        $t.Size | Should -Be 100000
        $t.InfoHash | Should -Be $made.InfoHash
        $t.Comment | Should -Be 'nightly'
        $t.MagnetLink | Should -BeLike "magnet:?xt=urn:btih:$($made.InfoHash)*"
        $t.Path | Should -Be (Join-Path $out 'app.torrent')
    }

    It 'takes files from the pipeline' {
        (Get-ChildItem $out -Filter 'app.torrent' | Get-TorrentInfo).Name | Should -Be 'app.zip'
    }

    It 'reports an invalid torrent as InvalidTorrent and goes on' {
        $infos = Get-TorrentInfo (Join-Path $out '*.torrent') -ErrorVariable errs -ErrorAction SilentlyContinue
        @($infos).Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTorrent,*'
        $errs[0].Exception.Message | Should -BeLike '*bad.torrent*'
    }

    It 'reports a missing file as TorrentNotFound' {
        { Get-TorrentInfo (Join-Path $out 'missing.torrent') -ErrorAction Stop } | Should -Throw -ErrorId 'TorrentNotFound,*'
    }
}

AfterAll {
    Remove-Module PSPeer
}
