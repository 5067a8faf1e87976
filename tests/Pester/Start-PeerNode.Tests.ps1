# Pester 5 suite: Start-PeerNode. Run with build.ps1 -Task Test, or Invoke-Pester tests/Pester after building.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
}

Describe 'Start-PeerNode' {
    It 'starts an index server on a free port' {
        $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'start-index'
        $index.State | Should -Be 'Running'
        $index.Role | Should -Be 'IndexServer'
        $index.EndPoint | Should -Match '^127\.0\.0\.1:\d+$'
    }

    It 'starts a peer that shares a folder' {
        $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
        [IO.File]::WriteAllBytes((Join-Path $music 'Hey Jude.mp3'), [byte[]](1..200))
        $peer = Start-PeerNode -Protocol Napster -IndexServer (Get-PeerNode -Name 'start-index') -SharedPath $music -Name 'start-sharer'
        $peer.SharedFileCount | Should -Be 1
    }

    It 'takes -ConnectionLimit as a hashtable over the role''s defaults, and shows it as Limits' {
        $limited = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'start-limited' -ConnectionLimit @{ MaxConnectionsPerAddress = 3; HandshakeTimeout = '00:00:05' }
        $limited.GetLimits().MaxConnectionsPerAddress | Should -Be 3
        $limited.GetLimits().HandshakeTimeout | Should -Be ([timespan]::FromSeconds(5))
        $limited.GetLimits().MaxConnections | Should -Be 4096
        Stop-PeerNode -Name 'start-limited'
    }

    It 'refuses a name already in use with PeerNodeNameInUse' {
        { Start-PeerNode -Protocol Napster -Role IndexServer -Name 'start-index' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PeerNodeNameInUse,*'
    }

    It 'reports a port in use as PortInUse' {
        $holder = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $holder.Start()
        try {
            { Start-PeerNode -Protocol Napster -Role IndexServer -Port $holder.LocalEndpoint.Port -ErrorAction Stop } |
                Should -Throw -ErrorId 'PortInUse,*'
        }
        finally { $holder.Stop() }
    }

    It 'reports a missing shared folder as SharedPathNotFound' {
        { Start-PeerNode -Protocol Napster -IndexServer (Get-PeerNode -Name 'start-index') -SharedPath (Join-Path $TestDrive 'nope') -ErrorAction Stop } |
            Should -Throw -ErrorId 'SharedPathNotFound,*'
    }

    It 'reports an unreachable index server as IndexServerUnreachable, naming host:port' {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $err = { Start-PeerNode -Protocol Napster -IndexServer "127.0.0.1:$port" -ErrorAction Stop } | Should -Throw -ErrorId 'IndexServerUnreachable,*' -PassThru
        $err.Exception.Message | Should -BeLike "*127.0.0.1:$port*"
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
