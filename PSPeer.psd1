#
# PSPeer module manifest. ModuleVersion is stamped from Directory.Build.props <Version> when the build lays out
# out/PSPeer/, so edit the version there, not here.
#
@{
    RootModule           = 'PSPeer.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '7d3f2a6e-5b1c-4e8a-9f47-2c6d0b81e935'
    Author               = 'PSPeer contributors'
    CompanyName          = 'PSPeer'
    Copyright            = '(c) PSPeer contributors. All rights reserved.'
    Description          = 'Runs classic peer-to-peer systems for real from PowerShell, live on loopback or in deterministic simulations: a Napster-style central index, Gnutella 0.6 (flooding with TTL, ultrapeers and leaves, push) and BitTorrent (torrents, an HTTP and UDP tracker, seeders and leechers that interoperate with aria2, libtorrent and Transmission). Start nodes, search, download with verification, simulate networks of thousands of servents, and watch every event as pipeline objects.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PSPeer.Format.ps1xml')
    TypesToProcess       = @('PSPeer.Types.ps1xml')
    CmdletsToExport      = @(
        'Start-PeerNode'
        'Get-PeerNode'
        'Stop-PeerNode'
        'Publish-PeerFile'
        'Find-PeerFile'
        'Receive-PeerFile'
        'Watch-PeerEvent'
        'Get-PeerEventStream'
        'New-Torrent'
        'Get-TorrentInfo'
        'New-PeerNetwork'
        'Invoke-PeerSimulation'
        'Measure-PeerNetwork'
        'Show-PeerNetwork'
        'Get-PeerDashboard'
        'Stop-PeerDashboard'
        'Set-PeerKey'
        'Get-PeerKey'
        'Find-PeerKey'
        'Get-PeerRing'
        'Export-PeerChart'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('P2P', 'PeerToPeer', 'Napster', 'Gnutella', 'BitTorrent', 'Chord', 'Networking', 'Simulation', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
        }
    }
}
