# Pester 5 suite: Watch-PeerEvent and Get-PeerEventStream.
BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1'
    Import-Module $manifest -Force
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'watch-index'
}

Describe 'Watch-PeerEvent' {
    It 'collects -Count LoggedIn events as peers join' {
        # The watcher blocks its pipeline, so it runs in a second runspace while this one starts peers.
        $watcher = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $null = $watcher.AddScript({
            param($Manifest, $Node)
            Import-Module $Manifest
            Watch-PeerEvent -Node $Node -Type LoggedIn -Count 2 -Timeout 60
        }).AddArgument($manifest).AddArgument($index)
        $pending = $watcher.BeginInvoke()
        try {
            for ($i = 0; $i -lt 40 -and -not $pending.IsCompleted; $i++) {
                $null = Start-PeerNode -Protocol Napster -IndexServer $index -Name "watch-joiner$i"
                Start-Sleep -Milliseconds 250
            }
            $events = $watcher.EndInvoke($pending)
        }
        finally { $watcher.Dispose() }
        $events.Count | Should -Be 2
        $events.Type | Should -Be @('LoggedIn', 'LoggedIn')
    }

    It 'ends after -Timeout with nothing when nothing happens' {
        Watch-PeerEvent -Node $index -Type SearchReceived -Timeout 1 | Should -BeNullOrEmpty
    }
}

Describe 'Get-PeerEventStream' {
    It 'hands back the node''s IObservable of events' {
        $stream = Get-PeerEventStream -Node $index
        $stream -is [System.IObservable[PSPeer.Engine.Core.PeerEvent]] | Should -BeTrue
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
