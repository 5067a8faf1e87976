# Pester 5 suite: Export-PeerChart, drawing Measure-PeerNetwork results (Gnutella flooding) and a live swarm's
# completion times, read back as SVG/XML the way a browser test or a script would find the axes and reference lines.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force

    function Read-Svg([string] $Path) { [xml](Get-Content -LiteralPath $Path -Raw) }
    # Elements whose class attribute holds the token.
    function Select-Class([xml] $Doc, [string] $Class) {
        @($Doc.SelectNodes("//*[contains(concat(' ', @class, ' '), ' $Class ')]"))
    }
    function Select-Series([xml] $Doc, [string] $Panel, [string] $Class, [string] $Series) {
        @($Doc.SelectNodes("//*[@data-panel='$Panel']//*[contains(concat(' ', @class, ' '), ' $Class ') and @data-series='$Series']"))
    }

    # One flood per TTL on a small simulated network, then one TTL-7 flood measured alone.
    $net = New-PeerNetwork -Count 300 -Degree 4 -Simulated -Seed 4
    $script:sweep = foreach ($ttl in 1..4) {
        $null = Find-PeerFile 'no such song' -Via $net.Nodes[0] -Ttl $ttl -Timeout 1
        $net | Measure-PeerNetwork -Reset
    }
    $null = Find-PeerFile 'no such song' -Via $net.Nodes[0] -Ttl 7 -Timeout 2
    $script:wide = $net | Measure-PeerNetwork -Reset
    $net | Stop-PeerNode
}

Describe 'Export-PeerChart: Gnutella flooding' {
    It 'draws a TTL sweep: two panels with titled axes, one point per TTL, the 2|E| bound and BFS reach' {
        $file = $sweep | Export-PeerChart -Path (Join-Path $TestDrive 'flood.svg') -PassThru
        $file | Should -BeOfType System.IO.FileInfo
        $svg = Read-Svg $file.FullName

        $svg.svg.'data-kind' | Should -Be 'Flood'
        (Select-Class $svg 'pspeer-panel').'data-panel' | Should -Be @('flood-messages', 'flood-reach')
        (Select-Class $svg 'pspeer-axis-title' | ForEach-Object { $_.'#text' }) | Should -Be @('TTL', 'Query messages', 'TTL', 'Nodes reached')
        $svg.SelectNodes("//*[@data-untagged]").Count | Should -Be 0

        # One marker per TTL on each measured series; the reference lines are drawn and named.
        (Select-Series $svg 'flood-messages' 'pspeer-marker' 'messages').Count | Should -Be 4
        (Select-Series $svg 'flood-reach' 'pspeer-marker' 'nodes reached').Count | Should -Be 4
        $bound = @(Select-Series $svg 'flood-messages' 'pspeer-series' '2|E| bound')
        $bound.Count | Should -Be 1
        $bound[0].'data-role' | Should -Be 'reference'
        $bound[0].'data-points' | Should -Be '4'
        (Select-Series $svg 'flood-reach' 'pspeer-reference' 'BFS reach (perfect flood)').Count | Should -BeGreaterThan 0
        # The legend names both.
        (Select-Class $svg 'pspeer-legend-item' | Where-Object LocalName -eq 'text' | ForEach-Object { $_.'#text' }) |
            Should -Be @('messages', '2|E| bound', 'nodes reached', 'BFS reach (perfect flood)')
    }

    It 'reads one wide flood hop by hop: seven points, the last one the whole flood' {
        $wide.FloodTtl | Should -Be 7
        $wide.QueryMessagesByHops[6] | Should -Be $wide.QueryMessages
        $wide | Export-PeerChart -Path (Join-Path $TestDrive 'hops.svg')
        $svg = Read-Svg (Join-Path $TestDrive 'hops.svg')
        (Select-Series $svg 'flood-messages' 'pspeer-marker' 'messages').Count | Should -Be 7
        # The note says how it was read, whole.
        $svg.svg.desc | Should -Match 'hop by hop .*what a TTL-h flood costs and reaches\.$'
    }

    It 'writes a self-contained HTML report: the SVG inline, the numbers as tables, nothing to load' {
        $sweep | Export-PeerChart -Path (Join-Path $TestDrive 'flood.html')
        $html = Get-Content -LiteralPath (Join-Path $TestDrive 'flood.html') -Raw
        $html | Should -Match '<svg[^>]*class="pspeer-chart"'
        $html | Should -Match "Content-Security-Policy"
        $html | Should -Not -Match '<script'
        $html | Should -Not -Match '(src|href)='
        # The bound's value, 2|E|, is in the messages table on every row.
        $bound = $sweep[0].MessageBound.ToString('#,0', [Globalization.CultureInfo]::InvariantCulture)
        ([regex]::Matches($html, "<td>$bound</td>")).Count | Should -Be 4
    }

    It 'shows a title with markup as text' {
        $title = '<script>alert(1)</script> & "quotes"'
        $sweep | Export-PeerChart -Path (Join-Path $TestDrive 'title.svg') -Title $title
        $sweep | Export-PeerChart -Path (Join-Path $TestDrive 'title.html') -Title $title
        $svg = Read-Svg (Join-Path $TestDrive 'title.svg')
        $svg.SelectNodes("//*[local-name()='script']").Count | Should -Be 0
        @(Select-Class $svg 'pspeer-figure-title')[0].'#text' | Should -Be $title
        $html = Get-Content -LiteralPath (Join-Path $TestDrive 'title.html') -Raw
        $html | Should -Not -Match '<script'
        $html | Should -Match '&lt;script&gt;alert\(1\)&lt;/script&gt; &amp;'
    }
}

Describe 'Export-PeerChart: a swarm' {
    BeforeAll {
        # A torrent whose name (attacker-chosen, in a real swarm) is markup; a seed and two leechers, all upload-limited.
        $script:name = '<script>alert(1)&<img src=x onerror=alert(1)>.bin'
        $seedDir = Join-Path $TestDrive 'seed'
        $null = New-Item -ItemType Directory $seedDir
        $bytes = [byte[]]::new(512KB); [Random]::new(7).NextBytes($bytes)
        [IO.File]::WriteAllBytes([IO.Path]::Combine($seedDir, $name), $bytes)
        $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker
        $torrent = New-Torrent ([IO.Path]::Combine($seedDir, $name)) -Tracker $tracker -PieceSize 32KB -OutFile (Join-Path $TestDrive 'x.torrent')
        $null = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrent -SharedPath $seedDir -UploadLimit 256KB
        $script:leechers = 1..2 | ForEach-Object {
            Start-PeerNode -Protocol BitTorrent -Role Leecher -Torrent $torrent -SharedPath (Join-Path $TestDrive "leecher-$_") -UploadLimit 128KB
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (@($leechers | Where-Object Progress -lt 1).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }

    It 'draws the completion CDF against the lower bound of its upload limits' {
        @($leechers | Where-Object Progress -eq 1).Count | Should -Be 2
        $leechers | Export-PeerChart -Path (Join-Path $TestDrive 'swarm.svg')
        $svg = Read-Svg (Join-Path $TestDrive 'swarm.svg')
        $svg.svg.'data-kind' | Should -Be 'Swarm'
        (Select-Class $svg 'pspeer-axis-title' | ForEach-Object { $_.'#text' }) | Should -Be @('Completion time (s)', 'Fraction of leechers complete')
        (Select-Series $svg 'swarm-completion' 'pspeer-marker' 'leechers complete').Count | Should -Be 2
        # 512 KiB from a 256 KiB/s seed takes 2 s; two copies at 256 + 2 x 128 KiB/s also 2 s.
        $bound = @(Select-Series $svg 'swarm-completion' 'pspeer-series' 'lower bound (2 s)')
        $bound.Count | Should -Be 1
        $bound[0].'data-role' | Should -Be 'reference'
        # No leecher beat the bound.
        $leechers | ForEach-Object { ($_.CompletedAt - $_.StartTime).TotalSeconds | Should -BeGreaterOrEqual 1.9 }
    }

    It 'shows the torrent name from the swarm as text, in SVG and HTML' {
        $leechers | Export-PeerChart -Path (Join-Path $TestDrive 'swarm-name.svg')
        $leechers | Export-PeerChart -Path (Join-Path $TestDrive 'swarm-name.html')
        $svg = Read-Svg (Join-Path $TestDrive 'swarm-name.svg')
        $svg.SelectNodes("//*[local-name()='script' or local-name()='img']").Count | Should -Be 0
        @(Select-Class $svg 'pspeer-figure-title')[0].'#text' | Should -Be "Swarm completion: $name, 2 leechers"
        $html = Get-Content -LiteralPath (Join-Path $TestDrive 'swarm-name.html') -Raw
        $html | Should -Not -Match '<script|<img'
        $html | Should -Match ([regex]::Escape('&lt;script&gt;alert(1)&amp;&lt;img src=x onerror=alert(1)&gt;.bin'))
    }

    It 'draws Receive-PeerFile results of the torrent without a bound (their upload limit is unknown)' {
        $download = Get-TorrentInfo (Join-Path $TestDrive 'x.torrent') | Receive-PeerFile -Destination (Join-Path $TestDrive 'copy') -Timeout 60
        $download.Verified | Should -BeTrue
        $download | Export-PeerChart -Path (Join-Path $TestDrive 'downloads.svg') -Title 'One more copy'
        $svg = Read-Svg (Join-Path $TestDrive 'downloads.svg')
        (Select-Series $svg 'swarm-completion' 'pspeer-marker' 'leechers complete').Count | Should -Be 1
        (Select-Class $svg 'pspeer-reference').Count | Should -Be 0
        $svg.svg.desc | Should -Match 'No lower bound drawn'
    }

    AfterAll {
        Get-PeerNode | Stop-PeerNode -Confirm:$false
    }
}

Describe 'Export-PeerChart: Chord rings' {
    BeforeAll {
        # Three ring sizes, each with lookups and stored keys: one point per size.
        $script:rings = foreach ($n in 64, 256, 1024) {
            $ring = New-PeerNetwork -Protocol Chord -Count $n -Simulated -Seed 1
            $ring | Invoke-PeerSimulation -Lookups 200 -Keys 2000 | Measure-PeerNetwork
            $ring | Stop-PeerNode
        }
    }

    It 'draws hops against ½·log2 N and keys per host, one point per ring size' {
        $rings.Count | Should -Be 3
        $file = $rings | Export-PeerChart -Path (Join-Path $TestDrive 'chord.svg') -PassThru
        $svg = Read-Svg $file.FullName
        $svg.svg.'data-kind' | Should -Be 'Chord'
        (Select-Class $svg 'pspeer-panel').'data-panel' | Should -Be @('chord-hops', 'chord-keys')
        $svg.SelectNodes("//*[@data-untagged]").Count | Should -Be 0
        foreach ($series in 'mean hops', 'p1 hops', 'p99 hops') {
            (Select-Series $svg 'chord-hops' 'pspeer-marker' $series).Count | Should -Be 3
        }
        foreach ($series in 'mean keys', 'p1 keys', 'p99 keys') {
            (Select-Series $svg 'chord-keys' 'pspeer-marker' $series).Count | Should -Be 3
        }
        $half = @(Select-Series $svg 'chord-hops' 'pspeer-series' '½·log2 N')
        $half.Count | Should -Be 1
        $half[0].'data-role' | Should -Be 'reference'
        $half[0].'data-points' | Should -Be '3'
    }

    It 'draws a single ring as one point per series, and without keys only the hops' {
        $ring = New-PeerNetwork -Protocol Chord -Count 128 -Simulated -Seed 2
        $ring | Invoke-PeerSimulation -Lookups 100 | Measure-PeerNetwork | Export-PeerChart -Path (Join-Path $TestDrive 'one.svg')
        $ring | Stop-PeerNode
        $svg = Read-Svg (Join-Path $TestDrive 'one.svg')
        (Select-Class $svg 'pspeer-panel').'data-panel' | Should -Be @('chord-hops')
        (Select-Series $svg 'chord-hops' 'pspeer-marker' 'mean hops').Count | Should -Be 1
        $svg.svg.desc | Should -Match 'No key load drawn'
    }
}

Describe 'Export-PeerChart: files and errors' {
    It 'refuses <Extension> with ChartFormatNotSupported' -ForEach @(
        @{ Extension = '.png' }
        @{ Extension = '.txt' }
    ) {
        { $sweep | Export-PeerChart -Path (Join-Path $TestDrive "chart$Extension") } |
            Should -Throw -ErrorId 'ChartFormatNotSupported,PSPeer.ExportPeerChartCommand'
        Test-Path (Join-Path $TestDrive "chart$Extension") | Should -BeFalse
    }

    It 'keeps a different file unless -Force, and leaves the same chart as it is' {
        $path = Join-Path $TestDrive 'kept.svg'
        Set-Content -LiteralPath $path -Value 'mine'
        { $sweep | Export-PeerChart -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'DestinationFileExists,PSPeer.ExportPeerChartCommand'
        Get-Content -LiteralPath $path | Should -Be 'mine'

        $sweep | Export-PeerChart -Path $path -WhatIf
        Get-Content -LiteralPath $path | Should -Be 'mine'

        $sweep | Export-PeerChart -Path $path -Force
        $first = Get-Content -LiteralPath $path -Raw
        $first | Should -Match 'pspeer-chart'
        # The same chart again: nothing to replace, no error, the file comes back with -PassThru.
        ($sweep | Export-PeerChart -Path $path -PassThru -ErrorAction Stop).FullName | Should -Be $path
        Get-Content -LiteralPath $path -Raw | Should -Be $first
    }

    It 'reports what it cannot draw' {
        { 'a string' | Export-PeerChart -Path (Join-Path $TestDrive 'a.svg') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ChartInputNotSupported,PSPeer.ExportPeerChartCommand'
        { @($sweep[0], $leechers[0]) | Export-PeerChart -Path (Join-Path $TestDrive 'b.svg') } |
            Should -Throw -ErrorId 'ChartInputMixed,PSPeer.ExportPeerChartCommand'
        $idle = New-PeerNetwork -Count 50 -Simulated -Seed 1
        { $idle | Measure-PeerNetwork | Export-PeerChart -Path (Join-Path $TestDrive 'c.svg') } |
            Should -Throw -ErrorId 'ChartInputEmpty,PSPeer.ExportPeerChartCommand'
        $idle | Stop-PeerNode
    }
}

AfterAll {
    Remove-Module PSPeer
}
