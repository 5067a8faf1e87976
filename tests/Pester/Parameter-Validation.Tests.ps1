# Pester 5 suite: the mistakes a PowerShell user makes first get one error with its own id, and Tab completes what
# fits. Scenarios of issue 11 (validation and completion) across Start-PeerNode, Watch-PeerEvent, Measure-PeerNetwork,
# New-Torrent and Find-PeerFile. Run with build.ps1 -Task Test, or Invoke-Pester tests/Pester after building.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'valid-index'
    $song = Join-Path $TestDrive 'song.mp3'
    [IO.File]::WriteAllText($song, 'la la la')

    function Complete([string] $line) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
    }
}

Describe 'Start-PeerNode refuses what does not apply' {
    It 'refuses <Arguments> with ParameterNotApplicable naming -<Parameter>' -ForEach @(
        @{ Arguments = '-Protocol Gnutella -IndexServer valid-index'; Parameter = 'IndexServer' }
        @{ Arguments = '-Protocol Napster -Bootstrap 127.0.0.1:1'; Parameter = 'Bootstrap' }
        @{ Arguments = '-Protocol BitTorrent -Role Tracker -SharedPath .'; Parameter = 'SharedPath' }
        @{ Arguments = '-Protocol Gnutella -UploadLimit 0'; Parameter = 'UploadLimit' }
    ) {
        $err = { Invoke-Expression "Start-PeerNode $Arguments -ErrorAction Stop" } | Should -Throw -ErrorId 'ParameterNotApplicable,*' -PassThru
        $err.Exception.Message | Should -BeLike "-$Parameter applies to*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-PeerNode).Count | Should -Be 1
    }

    It 'refuses a role of another protocol with RoleNotSupported' {
        { Start-PeerNode -Protocol BitTorrent -Role Leaf -ErrorAction Stop } | Should -Throw -ErrorId 'RoleNotSupported,*'
    }

    It 'refuses a file as -SharedPath with SharedPathNotFolder' {
        { Start-PeerNode -Protocol Gnutella -SharedPath $song -ErrorAction Stop } | Should -Throw -ErrorId 'SharedPathNotFolder,*'
    }

    It 'refuses a Napster name with a space with PeerNodeNameInvalid, without the engine''s parameter name' {
        $err = { Start-PeerNode -Name 'my peer' -ErrorAction Stop } | Should -Throw -ErrorId 'PeerNodeNameInvalid,*' -PassThru
        "$err" | Should -Not -BeLike '*(Parameter*'
    }
}

Describe 'Other cmdlets refuse what cannot be' {
    It 'Watch-PeerEvent refuses an event type no node emits' {
        { Watch-PeerEvent -Node $index -Type Bogus -Timeout 30 -ErrorAction Stop } | Should -Throw -ErrorId 'PeerEventTypeUnknown,*'
    }

    It 'Measure-PeerNetwork reports a stopped network instead of zeros' {
        $net = New-PeerNetwork -Count 20 -Simulated
        $net | Stop-PeerNode
        { $net | Measure-PeerNetwork -ErrorAction Stop } | Should -Throw -ErrorId 'PeerNetworkStopped,*'
    }

    It 'New-Torrent reports missing content as TorrentSourceNotFound' {
        { New-Torrent (Join-Path $TestDrive 'nope') -ErrorAction Stop } | Should -Throw -ErrorId 'TorrentSourceNotFound,*'
    }

    It 'Find-PeerFile refuses -Ttl through a Napster node' {
        $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'valid-alice'
        { Find-PeerFile 'x' -Via $alice -Ttl 3 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterNotApplicable,*'
        $alice | Stop-PeerNode
    }
}

Describe 'Tab completion' {
    It 'completes -Role with the roles of -Protocol <Protocol>' -ForEach @(
        @{ Protocol = 'Napster'; Roles = 'IndexServer', 'Peer' }
        @{ Protocol = 'Gnutella'; Roles = 'Ultrapeer', 'Leaf', 'Peer' }
        @{ Protocol = 'BitTorrent'; Roles = 'Tracker', 'Seeder', 'Leecher' }
    ) {
        Complete "Start-PeerNode -Protocol $Protocol -Role " | Should -Be $Roles
    }

    It 'completes node names, not file names, for -IndexServer and -Via' {
        Complete 'Start-PeerNode -IndexServer ' | Should -Be 'valid-index'
        Complete 'Find-PeerFile x -Via valid' | Should -Be 'valid-index'
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
