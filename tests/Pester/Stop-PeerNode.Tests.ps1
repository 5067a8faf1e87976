# Pester 5 suite: Stop-PeerNode.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'stop-index'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'stop-bob'

    function Test-PortFree([int] $Port) {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
        try { $listener.Start(); $true } catch { $false } finally { $listener.Stop() }
    }
}

Describe 'Stop-PeerNode' {
    It 'stops nothing with -WhatIf' {
        $bob | Stop-PeerNode -WhatIf
        (Get-PeerNode -Name 'stop-bob').State | Should -Be 'Running'
    }

    It 'stops a node from the pipeline and frees its port' {
        $port = [int]($bob.EndPoint -split ':')[-1]
        $stopped = $bob | Stop-PeerNode -PassThru
        $stopped.State | Should -Be 'Stopped'
        Get-PeerNode -Name 'stop-bob' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-PortFree $port | Should -BeTrue
    }

    It 'stops a node by name' {
        Stop-PeerNode -Name 'stop-index'
        Get-PeerNode -Name 'stop-*' | Should -BeNullOrEmpty
    }

    It 'stops every node when the module is removed' {
        $again = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'stop-last'
        $port = [int]($again.EndPoint -split ':')[-1]
        Remove-Module PSPeer
        Test-PortFree $port | Should -BeTrue
        Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
