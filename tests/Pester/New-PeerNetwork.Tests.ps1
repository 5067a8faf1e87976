# Pester 5 suite: New-PeerNetwork, with Invoke-PeerSimulation and Measure-PeerNetwork on what it builds.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
}

Describe 'New-PeerNetwork' {
    It 'builds a connected simulated <Topology> network that answers Hey Jude' -ForEach @(
        @{ Topology = 'Random' }
        @{ Topology = 'PowerLaw' }
        @{ Topology = 'Ring' }
    ) {
        $net = New-PeerNetwork -Protocol Gnutella -Count 300 -Topology $Topology -Degree 4 -Simulated -Seed 1
        $net.Count | Should -Be 300
        $net.FailedLinks | Should -Be 0
        $hits = @(Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -Ttl 7)
        $hits.Count | Should -BeGreaterThan 0
        $hits | ForEach-Object { $_.Hops | Should -BeLessOrEqual 7 }
        $net | Stop-PeerNode
    }

    It 'reaches exactly what breadth-first search predicts, TTL by TTL' {
        $net = New-PeerNetwork -Count 500 -Degree 4 -Simulated -Seed 2
        foreach ($ttl in 1..4) {
            $null = Find-PeerFile 'no such song' -Via $net.Nodes[0] -Ttl $ttl -Timeout 1
            $m = $net | Measure-PeerNetwork -Reset
            $m.MeanReach | Should -Be $m.AnalyticReachByTtl[$ttl - 1]
        }
        $net | Stop-PeerNode
    }

    It 'gives the same answers for the same seed' {
        $a = New-PeerNetwork -Count 200 -Simulated -Seed 9
        $b = New-PeerNetwork -Count 200 -Simulated -Seed 9
        $first  = (Find-PeerFile 'Hey Jude' -Via $a.Nodes[5] | ForEach-Object { "$($_.Source)/$($_.Hops)" }) -join ';'
        $second = (Find-PeerFile 'Hey Jude' -Via $b.Nodes[5] | ForEach-Object { "$($_.Source)/$($_.Hops)" }) -join ';'
        $second | Should -Be $first
        $a, $b | Stop-PeerNode
    }

    It 'runs virtual time forward with churn' {
        $net = New-PeerNetwork -Count 200 -Simulated -Seed 3
        $net | Invoke-PeerSimulation -Duration 30 -ChurnPerSecond 1 -Downtime 5 | Out-Null
        $net.Elapsed.TotalSeconds | Should -BeGreaterThan 30
        ($net | Measure-PeerNetwork).NodesLeft | Should -BeGreaterThan 0
        $net | Stop-PeerNode
    }

    It 'refuses a live network too large for loopback' {
        { New-PeerNetwork -Count 5000 } | Should -Throw -ErrorId 'PeerNetworkTooLarge,PSPeer.NewPeerNetworkCommand'
    }

    It 'builds a small live network whose hits download' {
        $net = New-PeerNetwork -Count 6 -Degree 2 -SharingFraction 0.5 -Seed 3
        $download = Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -First 1 | Receive-PeerFile -Destination (Join-Path $TestDrive 'downloads')
        $download.Verified | Should -BeTrue
        $net | Stop-PeerNode
    }
}

AfterAll {
    Remove-Module PSPeer
}
