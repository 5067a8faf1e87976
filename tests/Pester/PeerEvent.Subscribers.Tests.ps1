# Pester 5 suite: events a PowerShell user consumes (Register-ObjectEvent, Get-PeerEventStream) never reach the node.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
}

Describe 'Event subscribers' {
    It 'raises EventReceived for Register-ObjectEvent' {
        $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'ev-index'
        $null = Register-ObjectEvent -InputObject $index -EventName EventReceived -SourceIdentifier 'ev-index'
        try {
            $null = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'ev-peer'
            $event = $null
            for ($i = 0; $i -lt 100 -and -not $event; $i++) {
                $event = Get-Event -SourceIdentifier 'ev-index' -ErrorAction SilentlyContinue |
                    Where-Object { $_.SourceEventArgs.Event.Type -eq 'LoggedIn' } | Select-Object -First 1
                if (-not $event) { Start-Sleep -Milliseconds 100 }
            }
            $event.SourceEventArgs.Event.Node | Should -Be 'ev-index'
        }
        finally {
            Unregister-Event -SourceIdentifier 'ev-index'
            Get-Event -SourceIdentifier 'ev-index' -ErrorAction SilentlyContinue | Remove-Event
        }
    }

    It 'keeps a node working when a scriptblock observer of Get-PeerEventStream cannot run' {
        $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'sb-index'
        $subscription = [System.ObservableExtensions]::Subscribe((Get-PeerEventStream $index),
            [Action[PSPeer.Engine.Core.PeerEvent]] { param($e) $null = $e })
        try {
            $peer = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'sb-peer'
            $peer.State | Should -Be 'Running'
            { $peer, $index | Stop-PeerNode -ErrorAction Stop } | Should -Not -Throw
        }
        finally { $subscription.Dispose() }
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
