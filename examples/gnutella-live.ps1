<#
.SYNOPSIS
    Gnutella on loopback: a handful of real servents bootstrapped from one another, a search that floods through
    them, and a download over HTTP from the servent that answered.
.DESCRIPTION
    Writes generated "music" into temporary folders, starts three ultrapeers (each bootstrapped from the ones
    before it) and a leaf attached to two of them, then runs

        Find-PeerFile "Hey Jude" -Via $leaf | Receive-PeerFile -Destination $dest

    The query goes from the leaf to its ultrapeers and floods on; each hit comes back along the reverse path with
    its hop count, and the download is a plain HTTP GET from the servent that has the file. It checks the bytes,
    stops every node and removes the temporary files. The last thing it emits is one summary object that tests
    assert on. Uses only PSPeer's cmdlets, Core cmdlets and .NET.
#>
[CmdletBinding()]
param(
    [int] $FileSize = 200KB
)
$ErrorActionPreference = 'Stop'

$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-gnutella-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$random = [Random]::new(1968)
$originals = @{}

function New-MusicFolder([string] $owner, [string[]] $songs) {
    $folder = [IO.Path]::Combine($root, $owner)
    [void][IO.Directory]::CreateDirectory($folder)
    foreach ($song in $songs) {
        $bytes = [byte[]]::new($FileSize + $random.Next(0, 4096))
        $random.NextBytes($bytes)
        [IO.File]::WriteAllBytes([IO.Path]::Combine($folder, $song), $bytes)
        $originals[$song] = $bytes
    }
    $folder
}

try {
    $first  = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name 'first' -SharedPath (New-MusicFolder 'first' @('Queen - Bohemian Rhapsody.mp3'))
    $second = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name 'second' -Bootstrap $first
    $third  = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name 'third' -Bootstrap $second -SharedPath (New-MusicFolder 'third' @('The Beatles - Hey Jude.mp3'))
    $leaf   = Start-PeerNode -Protocol Gnutella -Role Leaf -Name 'leaf' -Bootstrap $first, $second
    Get-PeerNode | Out-Default

    # Links come up in the background; give the leaf a moment to reach its ultrapeers.
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ($leaf.ConnectionCount -lt 2 -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(50) }

    $dest = [IO.Path]::Combine($root, 'downloads')
    $hits = @(Find-PeerFile 'Hey Jude' -Via $leaf -Timeout 5)
    $hits | Out-Default
    $downloads = @($hits | Receive-PeerFile -Destination $dest)
    $downloads | Out-Default

    $mismatches = @($downloads | Where-Object {
        $got = [IO.File]::ReadAllBytes($_.Path)
        $want = $originals[$_.Name]
        -not ($want -and [BitConverter]::ToString($got) -eq [BitConverter]::ToString($want))
    })
    [pscustomobject]@{
        HitCount      = $hits.Count
        Hops          = @($hits | ForEach-Object { $_.Hops })
        DownloadCount = $downloads.Count
        AllVerified   = @($downloads | Where-Object { -not $_.Verified }).Count -eq 0
        BytesMatch    = $downloads.Count -gt 0 -and $mismatches.Count -eq 0
    }
}
finally {
    Get-PeerNode | Stop-PeerNode -Confirm:$false
    if ([IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
}
