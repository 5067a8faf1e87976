# Pester 5 suite: every output type converts cleanly (ConvertTo-Json without a depth warning, Export-Csv, Format-List).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    $bytes = [byte[]]::new(50000); [System.Random]::new(3).NextBytes($bytes)
    [IO.File]::WriteAllBytes((Join-Path $music 'Hey Jude.mp3'), $bytes)
    $extra = Join-Path $TestDrive 'Yesterday.mp3'
    [IO.File]::WriteAllBytes($extra, $bytes[0..999])
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'json-index'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name 'json-bob'
    $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'json-alice'
    $hit = Find-PeerFile 'Hey Jude' -Via $alice
    $net = New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated -Seed 2
    $script:outputs = @{
        PeerNode               = $bob
        PeerSearchHit          = $hit
        PeerDownload           = $hit | Receive-PeerFile -Destination (Join-Path $TestDrive 'dl')
        PeerSharedFile         = Publish-PeerFile -Path $extra -Via $bob -PassThru
        TorrentInfo            = New-Torrent -Path $music -Tracker http://127.0.0.1:6969/announce -OutFile (Join-Path $TestDrive 'm.torrent')
        PeerNetwork            = $net
        PeerNetworkMeasurement = $net | Measure-PeerNetwork
    }
}

Describe 'Output objects' {
    It '<_> converts to JSON without a depth warning and without engine handles' -ForEach @(
        'PeerNode', 'PeerSearchHit', 'PeerDownload', 'PeerSharedFile', 'TorrentInfo', 'PeerNetwork', 'PeerNetworkMeasurement') {
        $object = $script:outputs[$_]
        $object | Should -Not -BeNullOrEmpty
        $json = $object | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $json | Should -Not -Match '"(Engine|Hit|Metainfo|Measurement|Runtime|Clock)"\s*:'
        { $object | Export-Csv -Path (Join-Path $TestDrive "$_.csv") -NoTypeInformation } | Should -Not -Throw
        ($object | Format-List * | Out-String) | Should -Not -Match 'Engine\s*:'
    }
}

AfterAll {
    $net | Stop-PeerNode
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
