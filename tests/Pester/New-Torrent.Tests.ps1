# Pester 5 suite: New-Torrent.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $content = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'content') -Force
    $file = Join-Path $content 'app.zip'
    $bytes = [byte[]]::new(3000000)
    [Random]::new(1).NextBytes($bytes)
    [IO.File]::WriteAllBytes($file, $bytes)
    $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'build/bin') -Force
    [IO.File]::WriteAllBytes((Join-Path $TestDrive 'build/bin/app.dll'), $bytes[0..599999])
    [IO.File]::WriteAllText((Join-Path $TestDrive 'build/readme.txt'), 'read me')
    $out = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'torrents') -Force
    # Debian has /bin and /usr/bin as the same folder, so Get-Command can list mktorrent twice: take the first.
    $mktorrent = Get-Command mktorrent -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
}

Describe 'New-Torrent' {
    It 'creates a torrent and emits its TorrentInfo' {
        $t = New-Torrent $file -Tracker 'http://127.0.0.1:6969/announce' -PieceSize 256KB -OutFile (Join-Path $out 'app.torrent')
        $t.Name | Should -Be 'app.zip'
        $t.Size | Should -Be 3000000
        $t.PieceSize | Should -Be 262144
        $t.PieceCount | Should -Be 12
        $t.InfoHash | Should -Match '^[0-9a-f]{40}$'
        $t.Trackers | Should -Be @('http://127.0.0.1:6969/announce')
        Join-Path $out 'app.torrent' | Should -Exist
    }

    It 'makes a multi-file torrent of a folder from the pipeline' {
        $t = Get-Item (Join-Path $TestDrive 'build') | New-Torrent -OutFile (Join-Path $out 'build.torrent') -Private
        $t.FileCount | Should -Be 2
        $t.Files.Path | Should -Be @('bin/app.dll', 'readme.txt')
        $t.Private | Should -BeTrue
    }

    It 'writes <Name>.torrent in the current location by default' {
        Push-Location $out
        try {
            $null = New-Torrent $file -Name 'renamed.zip'
            Join-Path $out 'renamed.zip.torrent' | Should -Exist
        }
        finally { Pop-Location }
    }

    It 'refuses to overwrite without -Force' {
        { New-Torrent $file -OutFile (Join-Path $out 'app.torrent') -ErrorAction Stop } | Should -Throw -ErrorId 'TorrentFileExists,*'
        { New-Torrent $file -OutFile (Join-Path $out 'app.torrent') -Force -ErrorAction Stop } | Should -Not -Throw
    }

    It 'refuses a piece size of <Size>' -ForEach @(@{ Size = 100KB }, @{ Size = 8KB }, @{ Size = 32MB }) {
        { New-Torrent $file -PieceSize $Size -OutFile (Join-Path $out 'bad.torrent') } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'writes nothing with -WhatIf' {
        New-Torrent $file -OutFile (Join-Path $out 'whatif.torrent') -WhatIf
        Join-Path $out 'whatif.torrent' | Should -Not -Exist
    }

    It 'reports missing content as TorrentSourceNotFound' {
        { New-Torrent (Join-Path $TestDrive 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'TorrentSourceNotFound,*'
    }

    It 'gives the same info-hash as mktorrent -l 18' {
        if (-not $mktorrent) { Set-ItResult -Skipped -Because 'mktorrent is not installed (apt-get install mktorrent)'; return }
        $mk = Join-Path $out 'mk.torrent'
        & $mktorrent.Source -l 18 -a 'http://127.0.0.1:6969/announce' -o $mk $file | Out-Null
        $ours = New-Torrent $file -PieceSize 256KB -Tracker 'http://127.0.0.1:6969/announce' -OutFile (Join-Path $out 'ours.torrent')
        (Get-TorrentInfo $mk).InfoHash | Should -Be $ours.InfoHash
    }
}

AfterAll {
    Remove-Module PSPeer
}
