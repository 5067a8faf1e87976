# Pester 5 suite: New-PeerNetwork -Protocol Chord, with Invoke-PeerSimulation and Measure-PeerNetwork on the ring:
# the same network cmdlets as for Gnutella, with Chord's builder and measurement behind them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
}

Describe 'New-PeerNetwork -Protocol Chord' {
    It 'builds a simulated ring whose lookups take about half of log2 N hops' {
        $ring = New-PeerNetwork -Protocol Chord -Count 2048 -Simulated -Seed 1
        $ring.Protocol | Should -Be 'Chord'
        $ring.Count | Should -Be 2048
        $ring.VirtualNodes | Should -Be 1
        $ring.Topology | Should -BeNullOrEmpty
        $m = $ring | Invoke-PeerSimulation -Lookups 2000 | Measure-PeerNetwork
        $m.PSObject.TypeNames[0] | Should -Be 'PSPeer.PeerChordMeasurement'
        $m.Lookups | Should -Be 2000
        $m.FailedLookups + $m.WrongOwner | Should -Be 0
        $m.ExpectedHops | Should -Be 5.5
        # The engine counts hops as issue 12 says (the first node asked is hop 0, the step to the owner is not counted):
        # about one hop under the paper's figure at this size; the growth with log2 N is what the example's table shows.
        [Math]::Abs($m.MeanHops - $m.ExpectedHops) | Should -BeLessThan 1.5
        $m.HopsP1 | Should -BeLessOrEqual $m.MeanHops
        $m.HopsP99 | Should -BeGreaterOrEqual $m.MeanHops
        $m.MessagesPerLookup | Should -BeGreaterThan 1
        $ring | Stop-PeerNode
    }

    It 'gives the same measurement for the same seed' {
        $first, $second = 1..2 | ForEach-Object {
            $ring = New-PeerNetwork -Protocol Chord -Count 300 -Simulated -Seed 4
            $m = $ring | Invoke-PeerSimulation -Lookups 300 -Mode Recursive | Measure-PeerNetwork
            "$($m.MeanHops)/$($m.HopsP99)/$($m.MeanLatency)"
            $ring | Stop-PeerNode
        }
        $second | Should -Be $first
    }

    It 'spreads keys more evenly with virtual nodes' {
        $ratios = 1, 8 | ForEach-Object {
            $ring = New-PeerNetwork -Protocol Chord -Count 200 -VirtualNodes $_ -Simulated -Seed 2
            ($ring | Invoke-PeerSimulation -Keys 4000 | Measure-PeerNetwork).KeyLoadP99OverMean
            $ring | Stop-PeerNode
        }
        $ratios[1] | Should -BeLessThan $ratios[0]
    }

    It 'keeps finding live owners after half the hosts fail' {
        $ring = New-PeerNetwork -Protocol Chord -Count 400 -Simulated -Seed 3
        $m = $ring | Invoke-PeerSimulation -Keys 1000 -FailFraction 0.5 -Duration 120 -Lookups 500 | Measure-PeerNetwork
        $m.Nodes | Should -Be 200
        $m.NodesFailed | Should -Be 200
        $m.FailedFraction | Should -BeLessThan 0.05
        $m.KeysLostFraction | Should -BeLessThan 0.3
        $ring | Stop-PeerNode
    }

    It 'answers Find-PeerKey through a node of the simulated ring' {
        $ring = New-PeerNetwork -Protocol Chord -Count 100 -Simulated -Seed 5
        $lookup = Find-PeerKey 'Hey Jude' -Via $ring.Nodes[7] -Mode Recursive
        $lookup.Succeeded | Should -BeTrue
        $lookup.Via | Should -Be $ring.Nodes[7].Name
        $ring | Stop-PeerNode
    }

    It 'refuses Gnutella parameters for a ring, and ring parameters for Gnutella' {
        { New-PeerNetwork -Protocol Chord -Count 10 -Simulated -Degree 4 } | Should -Throw -ErrorId 'ParameterNotApplicable,PSPeer.NewPeerNetworkCommand'
        { New-PeerNetwork -Protocol Gnutella -Count 10 -Simulated -VirtualNodes 2 } | Should -Throw -ErrorId 'ParameterNotApplicable,PSPeer.NewPeerNetworkCommand'
        $net = New-PeerNetwork -Count 20 -Simulated
        { $net | Invoke-PeerSimulation -Lookups 10 } | Should -Throw -ErrorId 'ParameterNotApplicable,PSPeer.InvokePeerSimulationCommand'
        $net | Stop-PeerNode
    }

    It 'builds a small live ring on loopback addresses' {
        $ring = New-PeerNetwork -Protocol Chord -Count 6
        $ring.Simulated | Should -BeFalse
        ($ring.Nodes.EndPoint | ForEach-Object { ($_ -split ':')[0] } | Select-Object -Unique) | Should -HaveCount 6
        (Find-PeerKey 'Hey Jude' -Via $ring.Nodes[0]).Owner | Should -Be (Find-PeerKey 'Hey Jude' -Via $ring.Nodes[5] -Mode Recursive).Owner
        $ring | Stop-PeerNode
    }
}

AfterAll {
    Remove-Module PSPeer
}
