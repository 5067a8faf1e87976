<#
.SYNOPSIS
    The Napster scenario end to end on loopback: an index server, three peers sharing music, one client that
    finds "Hey Jude" and downloads every hit, verified.
.DESCRIPTION
    Creates three temporary folders of generated "music" (random bytes), starts a Napster index server, three
    peers sharing the folders and a client node sharing nothing, then runs

        Find-PeerFile "Hey Jude" | Receive-PeerFile -Destination $dest

    It shows the hits and the downloads, checks that every downloaded file has exactly the bytes of its original,
    stops every node and removes the temporary files. The last thing it emits is one summary object
    (HitCount, DownloadCount, AllVerified, BytesMatch) that tests assert on.
    Uses only PSPeer's cmdlets, a few Core cmdlets and .NET, so it runs in a minimal hosted runspace too.
#>
[CmdletBinding()]
param(
    # Size of each generated file, in bytes.
    [int] $FileSize = 300KB
)
$ErrorActionPreference = 'Stop'

$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-hey-jude-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$random = [Random]::new(1968)
$originals = @{}   # file name -> bytes, to check the downloads against

# Each peer shares a few songs; two of them have a "Hey Jude".
$library = @{
    'alice' = @('The Beatles - Hey Jude.mp3', 'The Beatles - Let It Be.mp3', 'The Beatles - Yesterday.mp3')
    'bob'   = @('Hey Jude (Remastered 2015).mp3', 'The Rolling Stones - Paint It Black.mp3')
    'carol' = @('Simon & Garfunkel - The Boxer.mp3', 'The Kinks - Waterloo Sunset.mp3')
}

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
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'index'
    $peers = foreach ($owner in 'alice', 'bob', 'carol') {
        Start-PeerNode -Protocol Napster -Name $owner -IndexServer $index -SharedPath (New-MusicFolder $owner $library[$owner])
    }
    $client = Start-PeerNode -Protocol Napster -Name 'client' -IndexServer $index
    Get-PeerNode | Out-Default

    # Search and show what came back, then pipe those very hits into the download.
    $dest = [IO.Path]::Combine($root, 'downloads')
    $hits = @(Find-PeerFile 'Hey Jude' -Via $client -Timeout 5)
    $hits | Out-Default
    $downloads = @($hits | Receive-PeerFile -Destination $dest)
    $downloads | Out-Default

    # Every download must hold exactly the original bytes.
    $mismatches = @($downloads | Where-Object {
        $got = [IO.File]::ReadAllBytes($_.Path)
        $want = $originals[$_.Name]
        -not ($want -and [BitConverter]::ToString($got) -eq [BitConverter]::ToString($want))
    })

    [pscustomobject]@{
        HitCount      = $hits.Count
        DownloadCount = $downloads.Count
        AllVerified   = @($downloads | Where-Object { -not $_.Verified }).Count -eq 0
        BytesMatch    = $downloads.Count -gt 0 -and $mismatches.Count -eq 0
        Files         = @($downloads | ForEach-Object { $_.Name })
    }
}
finally {
    Get-PeerNode | Stop-PeerNode -Confirm:$false
    if ([IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
}
