# Pester 5 suite: node objects bind as nodes, from the pipeline too.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
}

Describe 'Node objects in the pipeline' {
    It 'stops a network node piped to Stop-PeerNode' {
        $net = New-PeerNetwork -Protocol Gnutella -Count 10 -Simulated -Seed 5
        $net.Nodes[0] | Stop-PeerNode
        $net.Nodes[0].State | Should -Be 'Stopped'
        $net.Nodes[1].State | Should -Be 'Running'
        $net | Stop-PeerNode
    }

    It 'reports a stopped node piped in as NodeNotRunning' {
        $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'pipe-index'
        $index | Stop-PeerNode
        { $index | Stop-PeerNode -ErrorAction Stop } | Should -Throw -ErrorId 'NodeNotRunning,*'
    }

    It 'takes the node to act through from the pipeline (-Via), and -Node still works for Publish-PeerFile' {
        $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
        $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'via-index'
        $bob = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name 'via-bob'
        $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'via-alice'
        $song = Join-Path $TestDrive 'Penny Lane.mp3'
        [IO.File]::WriteAllBytes($song, [byte[]](1..100))
        ($bob | Publish-PeerFile -Path $song -PassThru).Name | Should -Be 'Penny Lane.mp3'
        ($alice | Find-PeerFile 'Penny Lane').Name | Should -Be 'Penny Lane.mp3'
        { Publish-PeerFile -Path $song -Node $bob } | Should -Not -Throw
        $index, $bob, $alice | Stop-PeerNode
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
